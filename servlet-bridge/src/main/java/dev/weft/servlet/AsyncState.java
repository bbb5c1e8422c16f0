package dev.weft.servlet;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The {@link AsyncContext} of a request, and what the connection's thread waits on while the
 * request is asynchronous. On virtual threads nothing needs to be suspended and resumed: the
 * connection's thread returns from {@code service()} into {@link #await()} and blocks there until
 * the application completes, dispatches, or the timeout or an error comes first.
 */
final class AsyncState implements AsyncContext {
    /** What the connection's thread is to do next. */
    enum Action { COMPLETE, DISPATCH, TIMEOUT, ERROR }

    private record Registered(AsyncListener listener, ServletRequest request, ServletResponse response) {}

    private final WeftRequest req;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition signal = lock.newCondition();
    private ServletRequest request;
    private ServletResponse response;
    private boolean originalObjects;
    private boolean explicitObjects; // startAsync(request, response): dispatch() goes to that request's URI
    private long timeoutMillis;
    private List<Registered> listeners = new ArrayList<>();

    // Guarded by lock.
    private Action pending;
    private WebApp dispatchApp;
    private String dispatchPath;
    private boolean inService = true; // the dispatch that called startAsync has not returned yet
    private boolean completed;
    private boolean completeCalled; // in this cycle
    private boolean dispatchCalled; // in this cycle
    private boolean keepQuery; // dispatch() back to the request's own URI: its query is already in the parameters
    private Throwable error;

    AsyncState(WeftRequest req, long defaultTimeoutMillis) {
        this.req = req;
        this.timeoutMillis = defaultTimeoutMillis;
    }

    /** A new asynchronous cycle: startAsync was called (again). */
    void begin(ServletRequest request, ServletResponse response, boolean originalObjects, boolean explicitObjects) {
        List<Registered> previous;
        lock.lock();
        try {
            if (completeCalled || dispatchCalled) {
                if (pending != null) {
                    // complete() or dispatch() is waiting for this dispatch to return.
                    throw new IllegalStateException("startAsync() after complete() or dispatch() in the same dispatch");
                }
            }
            this.request = request;
            this.response = response;
            this.originalObjects = originalObjects;
            this.explicitObjects = explicitObjects;
            this.pending = null;
            this.completeCalled = false;
            this.dispatchCalled = false;
            this.inService = true;
            previous = listeners;
            listeners = new ArrayList<>();
        } finally {
            lock.unlock();
        }
        // Listeners of the previous cycle hear of the new one, and must register again to stay (§2.3.3.3).
        for (Registered r : previous) {
            try {
                r.listener().onStartAsync(new AsyncEvent(this, r.request(), r.response()));
            } catch (IOException | RuntimeException e) {
                req.app.logger().error("AsyncListener.onStartAsync failed", e);
            }
        }
    }

    /**
     * Called on the connection's thread once the dispatch that started async has returned; blocks
     * until there is something to do and returns it.
     */
    Action await() {
        lock.lock();
        try {
            inService = false;
            long left = timeoutMillis > 0 ? TimeUnit.MILLISECONDS.toNanos(timeoutMillis) : Long.MAX_VALUE;
            while (pending == null) {
                if (left <= 0) {
                    return Action.TIMEOUT;
                }
                if (left == Long.MAX_VALUE) {
                    signal.awaitUninterruptibly();
                } else {
                    try {
                        left = signal.awaitNanos(left);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return Action.ERROR;
                    }
                }
            }
            Action a = pending;
            pending = null;
            return a;
        } finally {
            lock.unlock();
        }
    }

    /** An action already asked for while the listeners ran (onTimeout, onError), or null. */
    Action takePending() {
        lock.lock();
        try {
            Action a = pending;
            pending = null;
            return a;
        } finally {
            lock.unlock();
        }
    }

    /** Puts an action back for the connection's thread, unless one is already waiting. */
    void requeue(Action a) {
        lock.lock();
        try {
            if (pending == null) {
                pending = a;
                signal.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** The client went away while the request waited. */
    void clientGone(Throwable cause) {
        lock.lock();
        try {
            if (!completed && pending == null) {
                error = cause;
                pending = Action.ERROR;
                signal.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    Throwable error() {
        return error;
    }

    WebApp dispatchApp() {
        return dispatchApp;
    }

    String dispatchPath() {
        return dispatchPath;
    }

    ServletRequest currentRequest() {
        return request;
    }

    ServletResponse currentResponse() {
        return response;
    }

    /** Marks the request finished; listeners hear onComplete, once. */
    void finish() {
        List<Registered> ls;
        lock.lock();
        try {
            if (completed) {
                return;
            }
            completed = true;
            ls = listeners;
        } finally {
            lock.unlock();
        }
        for (Registered r : ls) {
            try {
                r.listener().onComplete(new AsyncEvent(this, r.request(), r.response()));
            } catch (IOException | RuntimeException e) {
                req.app.logger().error("AsyncListener.onComplete failed", e);
            }
        }
    }

    boolean isCompleted() {
        lock.lock();
        try {
            return completed;
        } finally {
            lock.unlock();
        }
    }

    /** Calls onTimeout on every listener; returns whether one of them completed or dispatched. */
    void fireTimeout() {
        for (Registered r : listenersCopy()) {
            try {
                r.listener().onTimeout(new AsyncEvent(this, r.request(), r.response()));
            } catch (IOException | RuntimeException e) {
                req.app.logger().error("AsyncListener.onTimeout failed", e);
            }
        }
    }

    void fireError(Throwable t) {
        for (Registered r : listenersCopy()) {
            try {
                r.listener().onError(new AsyncEvent(this, r.request(), r.response(), t));
            } catch (IOException | RuntimeException e) {
                req.app.logger().error("AsyncListener.onError failed", e);
            }
        }
    }

    private List<Registered> listenersCopy() {
        lock.lock();
        try {
            return List.copyOf(listeners);
        } finally {
            lock.unlock();
        }
    }

    // ---- AsyncContext ----

    @Override
    public ServletRequest getRequest() {
        checkNotCompleted("getRequest");
        return request;
    }

    @Override
    public ServletResponse getResponse() {
        checkNotCompleted("getResponse");
        return response;
    }

    private void checkNotCompleted(String method) {
        lock.lock();
        try {
            if (completed || completeCalled || dispatchCalled) {
                throw new IllegalStateException(method + "() after complete() or dispatch()");
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean hasOriginalRequestAndResponse() {
        return originalObjects;
    }

    /**
     * Back to the request's URI: the one of the request given to startAsync(request, response),
     * else the one the client asked for (AsyncContext.dispatch() Javadoc). Its query is already
     * in the parameters, so it is kept, not merged again.
     */
    @Override
    public void dispatch() {
        if (explicitObjects && request instanceof HttpServletRequest hr) {
            String uri = hr.getRequestURI();
            String cp = hr.getContextPath();
            String path = uri.startsWith(cp) ? uri.substring(cp.length()) : uri;
            dispatchTo(req.app, decodedForDispatch(path), true);
        } else {
            dispatchTo(req.originalApp(), req.originalPathInContext(), true);
        }
    }

    private static String decodedForDispatch(String path) {
        try {
            return UriCanonicalizer.canonicalize(path.isEmpty() ? "/" : path);
        } catch (RuntimeException e) {
            return path;
        }
    }

    @Override
    public void dispatch(String path) {
        dispatch(req.app, path);
    }

    @Override
    public void dispatch(ServletContext context, String path) {
        Objects.requireNonNull(path, "path");
        if (!(context instanceof WebApp app)) {
            throw new IllegalArgumentException("not a context of this container");
        }
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("dispatch path must start with /: " + path);
        }
        dispatchTo(app, path, false);
    }

    private void dispatchTo(WebApp app, String path, boolean keepQuery) {
        lock.lock();
        try {
            if (completed || completeCalled || dispatchCalled || !req.isAsyncStarted()) {
                throw new IllegalStateException("dispatch() after complete() or dispatch(), or outside asynchronous mode");
            }
            dispatchApp = app;
            dispatchPath = path;
            this.keepQuery = keepQuery;
            dispatchCalled = true;
            pending = Action.DISPATCH;
            signal.signalAll();
        } finally {
            lock.unlock();
        }
    }

    boolean keepQuery() {
        return keepQuery;
    }

    /** The dispatch asked for is being carried out: that cycle is over, its listeners may still act. */
    void dispatchCarriedOut() {
        lock.lock();
        try {
            dispatchCalled = false;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void complete() {
        lock.lock();
        try {
            if (completed || completeCalled) {
                throw new IllegalStateException("complete() called twice");
            }
            if (dispatchCalled) {
                throw new IllegalStateException("complete() after dispatch()");
            }
            completeCalled = true;
            pending = Action.COMPLETE;
            signal.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void start(Runnable run) {
        Objects.requireNonNull(run, "run");
        WebApp app = req.app;
        Thread.ofVirtual().name("weft-async").start(() -> {
            ClassLoader previous = app.enterClassLoader();
            try {
                run.run();
            } catch (Throwable t) {
                app.logger().error("task started with AsyncContext.start failed", t);
            } finally {
                app.leaveClassLoader(previous);
            }
        });
    }

    @Override
    public void addListener(AsyncListener listener) {
        addListener(listener, request, response);
    }

    @Override
    public void addListener(AsyncListener listener, ServletRequest servletRequest, ServletResponse servletResponse) {
        Objects.requireNonNull(listener, "listener");
        lock.lock();
        try {
            if (completed || !inService) {
                throw new IllegalStateException("addListener() after the dispatch that started async returned");
            }
            listeners.add(new Registered(listener, servletRequest, servletResponse));
        } finally {
            lock.unlock();
        }
    }

    @Override
    public <T extends AsyncListener> T createListener(Class<T> clazz) throws ServletException {
        return req.app.newPerRequestInstance(clazz);
    }

    @Override
    public void setTimeout(long timeout) {
        lock.lock();
        try {
            if (!inService) {
                throw new IllegalStateException("setTimeout() after the dispatch that started async returned");
            }
            timeoutMillis = timeout;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long getTimeout() {
        return timeoutMillis;
    }
}
