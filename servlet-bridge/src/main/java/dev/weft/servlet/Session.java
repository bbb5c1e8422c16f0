package dev.weft.servlet;

import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpSession;
import jakarta.servlet.http.HttpSessionAttributeListener;
import jakarta.servlet.http.HttpSessionBindingEvent;
import jakarta.servlet.http.HttpSessionBindingListener;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Objects;

/** The {@link HttpSession} the application sees: a view of {@link SessionData} with the listener events. */
final class Session implements HttpSession {
    final SessionData data;
    private final SessionManager manager;

    Session(SessionData data, SessionManager manager) {
        this.data = data;
        this.manager = manager;
    }

    private void checkValid(String method) {
        if (!data.valid) {
            throw new IllegalStateException(method + "() on an invalidated session");
        }
    }

    boolean isValidNow() {
        return data.valid && !data.isExpired(System.currentTimeMillis());
    }

    @Override
    public long getCreationTime() {
        checkValid("getCreationTime");
        return data.creationTime();
    }

    @Override
    public String getId() {
        return data.id();
    }

    @Override
    public long getLastAccessedTime() {
        checkValid("getLastAccessedTime");
        return data.lastAccessedTime();
    }

    @Override
    public ServletContext getServletContext() {
        return manager.app();
    }

    @Override
    public void setMaxInactiveInterval(int interval) {
        data.maxInactiveInterval(interval);
    }

    @Override
    public int getMaxInactiveInterval() {
        return data.maxInactiveInterval();
    }

    @Override
    public Object getAttribute(String name) {
        checkValid("getAttribute");
        return name == null ? null : data.attributes().get(name);
    }

    @Override
    public Enumeration<String> getAttributeNames() {
        checkValid("getAttributeNames");
        return Collections.enumeration(new ArrayList<>(data.attributes().keySet()));
    }

    @Override
    public void setAttribute(String name, Object value) {
        Objects.requireNonNull(name, "name");
        checkValid("setAttribute");
        if (value == null) {
            removeAttribute(name);
            return;
        }
        if (value instanceof HttpSessionBindingListener l) {
            l.valueBound(new HttpSessionBindingEvent(this, name, value));
        }
        Object old = data.attributes().put(name, value);
        if (old != null && old != value && old instanceof HttpSessionBindingListener l) {
            l.valueUnbound(new HttpSessionBindingEvent(this, name, old));
        }
        List<HttpSessionAttributeListener> ls = manager.app().sessionAttributeListeners;
        if (!ls.isEmpty()) {
            HttpSessionBindingEvent e = new HttpSessionBindingEvent(this, name, old == null ? value : old);
            for (HttpSessionAttributeListener l : ls) {
                if (old == null) {
                    l.attributeAdded(e);
                } else {
                    l.attributeReplaced(e);
                }
            }
        }
    }

    @Override
    public void removeAttribute(String name) {
        checkValid("removeAttribute");
        removeAttributeNotifying(name);
    }

    void removeAttributeNotifying(String name) {
        Object old = name == null ? null : data.attributes().remove(name);
        if (old == null) {
            return;
        }
        if (old instanceof HttpSessionBindingListener l) {
            l.valueUnbound(new HttpSessionBindingEvent(this, name, old));
        }
        List<HttpSessionAttributeListener> ls = manager.app().sessionAttributeListeners;
        if (!ls.isEmpty()) {
            HttpSessionBindingEvent e = new HttpSessionBindingEvent(this, name, old);
            for (HttpSessionAttributeListener l : ls) {
                l.attributeRemoved(e);
            }
        }
    }

    @Override
    public void invalidate() {
        checkValid("invalidate");
        manager.invalidate(this);
    }

    @Override
    public boolean isNew() {
        checkValid("isNew");
        return data.isNew();
    }

    SessionManager manager() {
        return manager;
    }

    @Override
    public Accessor getAccessor() {
        checkValid("getAccessor");
        String id = data.id();
        return consumer -> {
            Session s = manager.accessFromOutside(id);
            if (s == null) {
                throw new IllegalStateException("the session " + id + " is no longer valid or changed its id");
            }
            consumer.accept(s);
        };
    }
}
