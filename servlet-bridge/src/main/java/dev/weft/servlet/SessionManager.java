package dev.weft.servlet;

import jakarta.servlet.SessionCookieConfig;
import jakarta.servlet.SessionTrackingMode;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpSessionEvent;
import jakarta.servlet.http.HttpSessionIdListener;
import jakarta.servlet.http.HttpSessionListener;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A web application's sessions: ids, the session cookie, URL rewriting, expiry and the session
 * listeners, over a {@link SessionStore}. Expired sessions are swept by one virtual thread per
 * application, never a thread per session; a session is also checked for expiry whenever it is
 * asked for.
 */
public final class SessionManager {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final HexFormat HEX = HexFormat.of().withUpperCase();

    private final WebApp app;
    private final CookieConfig cookieConfig = new CookieConfig();
    private SessionStore store = SessionStore.inMemory();
    private Set<SessionTrackingMode> trackingModes = EnumSet.of(SessionTrackingMode.COOKIE, SessionTrackingMode.URL);
    private volatile int timeoutMinutes = 30;
    private Duration sweepInterval = Duration.ofSeconds(30);
    private volatile Thread sweeper;

    SessionManager(WebApp app) {
        this.app = app;
    }

    WebApp app() {
        return app;
    }

    /** Keeps sessions in {@code store} instead of in memory; before the application starts. */
    public SessionManager setStore(SessionStore store) {
        app.checkConfigurable();
        this.store = Objects.requireNonNull(store);
        return this;
    }

    public SessionStore store() {
        return store;
    }

    /** How often expired sessions are looked for; 30 seconds by default. */
    public SessionManager setSweepInterval(Duration interval) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("sweep interval must be positive");
        }
        this.sweepInterval = interval;
        return this;
    }

    SessionCookieConfig cookieConfig() {
        return cookieConfig;
    }

    void setTrackingModes(Set<SessionTrackingMode> modes) {
        if (modes == null) {
            trackingModes = EnumSet.of(SessionTrackingMode.COOKIE, SessionTrackingMode.URL);
            return;
        }
        if (modes.contains(SessionTrackingMode.SSL)) {
            throw new IllegalArgumentException("SSL session tracking is not supported");
        }
        trackingModes = modes.isEmpty() ? EnumSet.noneOf(SessionTrackingMode.class) : EnumSet.copyOf(modes);
    }

    Set<SessionTrackingMode> trackingModes() {
        return Collections.unmodifiableSet(trackingModes);
    }

    boolean cookieTracking() {
        return trackingModes.contains(SessionTrackingMode.COOKIE);
    }

    boolean urlTracking() {
        return trackingModes.contains(SessionTrackingMode.URL);
    }

    int timeoutMinutes() {
        return timeoutMinutes;
    }

    void setTimeoutMinutes(int minutes) {
        this.timeoutMinutes = minutes;
    }

    /** The number of sessions the store holds. */
    public int size() {
        return store.size();
    }

    void start() {
        cookieConfig.frozen = true;
        // Assigned before it runs: the loop runs for as long as it is the manager's sweeper.
        Thread t = Thread.ofVirtual().name("weft-sessions" + app.getContextPath()).unstarted(this::sweepLoop);
        sweeper = t;
        t.start();
    }

    void stop() {
        Thread t = sweeper;
        sweeper = null;
        if (t != null) {
            t.interrupt();
        }
        // Every session ends with the application, with its listener events (§7.4).
        for (String id : new ArrayList<>(store.ids())) {
            SessionData d = store.load(id);
            if (d != null) {
                invalidate(facade(d));
            }
        }
        store.close();
    }

    private void sweepLoop() {
        while (sweeper == Thread.currentThread()) {
            try {
                Thread.sleep(sweepInterval);
            } catch (InterruptedException e) {
                return;
            }
            sweep();
        }
    }

    /** Invalidates every session whose inactivity limit has passed. */
    void sweep() {
        long now = System.currentTimeMillis();
        for (String id : store.expired(now)) {
            SessionData d = store.load(id);
            if (d != null && d.isExpired(now)) {
                ClassLoader previous = app.enterClassLoader();
                try {
                    if (invalidate(facade(d))) {
                        app.stats().sessionsExpired.increment();
                    }
                } catch (RuntimeException e) {
                    app.logger().error("expiring session {} failed", id, e);
                } finally {
                    app.leaveClassLoader(previous);
                }
            }
        }
    }

    private Session facade(SessionData d) {
        Session s = d.facade;
        if (s == null) {
            s = new Session(d, this);
            d.facade = s;
        }
        return s;
    }

    /** Whether {@code id} names a live session. */
    boolean isValid(String id) {
        SessionData d = store.load(id);
        return d != null && d.valid && !d.isExpired(System.currentTimeMillis());
    }

    /** The session {@code id} names, marked as accessed by this request, or null if it has none or it expired. */
    Session access(String id) {
        SessionData d = store.load(id);
        if (d == null || !d.valid) {
            return null;
        }
        long now = System.currentTimeMillis();
        if (d.isExpired(now)) {
            if (invalidate(facade(d))) {
                app.stats().sessionsExpired.increment();
            }
            return null;
        }
        d.access(now);
        return facade(d);
    }

    /** For {@link jakarta.servlet.http.HttpSession.Accessor}: the session as if a request used it. */
    Session accessFromOutside(String id) {
        Session s = access(id);
        if (s != null) {
            store.save(s.data);
        }
        return s;
    }

    Session create(WeftRequest req) {
        long now = System.currentTimeMillis();
        SessionData d = new SessionData(newId(), now, timeoutMinutes * 60);
        store.save(d);
        app.stats().sessionsCreated.increment();
        Session s = facade(d);
        if (!app.sessionListeners.isEmpty()) {
            HttpSessionEvent e = new HttpSessionEvent(s);
            for (HttpSessionListener l : app.sessionListeners) {
                l.sessionCreated(e);
            }
        }
        sendCookie(req, d.id());
        return s;
    }

    /** Gives the session a new id (after a login, say), keeping its state (§7.3.1). */
    String changeId(Session s, WeftRequest req) {
        String old = s.data.id();
        String id = newId();
        store.delete(old);
        s.data.id(id);
        store.save(s.data);
        if (!app.sessionIdListeners.isEmpty()) {
            HttpSessionEvent e = new HttpSessionEvent(s);
            for (HttpSessionIdListener l : app.sessionIdListeners) {
                l.sessionIdChanged(e, old);
            }
        }
        sendCookie(req, id);
        return id;
    }

    /**
     * Ends a session: listeners hear of it first, then its attributes are unbound (§7.4, §11.5).
     * Returns whether this call ended it.
     */
    boolean invalidate(Session s) {
        SessionData d = s.data;
        if (!d.valid || !d.ending.compareAndSet(false, true)) {
            return false; // already ended, or ending on another thread (an expiry racing an invalidate)
        }
        if (!app.sessionListeners.isEmpty()) {
            HttpSessionEvent e = new HttpSessionEvent(s);
            List<HttpSessionListener> ls = new ArrayList<>(app.sessionListeners);
            Collections.reverse(ls);
            for (HttpSessionListener l : ls) {
                try {
                    l.sessionDestroyed(e);
                } catch (RuntimeException ex) {
                    app.logger().error("session listener failed in sessionDestroyed", ex);
                }
            }
        }
        d.valid = false;
        store.delete(d.id());
        for (String name : new ArrayList<>(d.attributes().keySet())) {
            s.removeAttributeNotifying(name);
        }
        return true;
    }

    /** The request is over: a shared store gets the session's latest state. */
    void endAccess(WeftRequest req) {
        for (Session s : req.sessionsUsed()) {
            if (s.data.valid && s.manager() == this) {
                store.save(s.data);
            }
        }
    }

    private static String newId() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return HEX.formatHex(b);
    }

    private void sendCookie(WeftRequest req, String id) {
        if (!cookieTracking() || req.response == null) {
            return;
        }
        Cookie c = new Cookie(cookieConfig.getName(), id);
        String path = cookieConfig.getPath();
        c.setPath(path != null ? path : app.getContextPath().isEmpty() ? "/" : app.getContextPath());
        if (cookieConfig.getDomain() != null) {
            c.setDomain(cookieConfig.getDomain());
        }
        c.setHttpOnly(cookieConfig.isHttpOnly());
        c.setSecure(cookieConfig.isSecure() || req.isSecure());
        if (cookieConfig.getMaxAge() >= 0) {
            c.setMaxAge(cookieConfig.getMaxAge());
        }
        for (Map.Entry<String, String> a : cookieConfig.getAttributes().entrySet()) {
            String n = a.getKey().toLowerCase(Locale.ROOT);
            if (!n.equals("path") && !n.equals("domain") && !n.equals("max-age") && !n.equals("httponly")
                    && !n.equals("secure") && !n.equals("comment")) {
                c.setAttribute(a.getKey(), a.getValue());
            }
        }
        req.response.addContainerCookie(c);
    }

    /**
     * Adds the session id to a URL for a client that does not send the session cookie, if URL
     * tracking is on and the URL points into this application (§7.1.3).
     */
    String encodeURL(WeftRequest req, String url) {
        if (url == null || !urlTracking()) {
            return url;
        }
        Session s = req.session;
        if (s == null || !s.data.valid || req.isRequestedSessionIdFromCookie()) {
            return url;
        }
        if (!pointsHere(req, url)) {
            return url;
        }
        int cut = url.length();
        int q = url.indexOf('?');
        int h = url.indexOf('#');
        if (q >= 0) {
            cut = q;
        }
        if (h >= 0 && h < cut) {
            cut = h;
        }
        String path = url.substring(0, cut);
        if (path.contains(";jsessionid=")) {
            return url;
        }
        return path + ";jsessionid=" + s.data.id() + url.substring(cut);
    }

    /**
     * Whether {@code url} leads into this application on this server: a relative URL, or an
     * absolute one with the request's own scheme, host and port and a path under the context.
     * A session id must never be handed to another origin.
     */
    private boolean pointsHere(WeftRequest req, String url) {
        int colon = url.indexOf(':');
        boolean hasScheme = colon > 0 && colon < indexOrLength(url, '/');
        if (!hasScheme) {
            return !url.startsWith("//");
        }
        java.net.URI u;
        try {
            u = new java.net.URI(url);
        } catch (java.net.URISyntaxException e) {
            return false;
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals(req.getScheme()) || u.getHost() == null || !u.getHost().equalsIgnoreCase(req.getServerName())) {
            return false;
        }
        int port = u.getPort() >= 0 ? u.getPort() : scheme.equals("https") ? 443 : 80;
        if (port != req.getServerPort()) {
            return false;
        }
        String path = u.getRawPath() == null ? "" : u.getRawPath();
        String cp = app.getContextPath();
        return cp.isEmpty() || path.equals(cp) || path.startsWith(cp + "/");
    }

    private static int indexOrLength(String s, char c) {
        int i = s.indexOf(c);
        return i < 0 ? s.length() : i;
    }

    /** The session cookie's configuration; frozen once the application has started. */
    final class CookieConfig implements SessionCookieConfig {
        private String name = "JSESSIONID";
        private String domain;
        private String path;
        private boolean httpOnly = true;
        private boolean secure;
        private int maxAge = -1;
        private final Map<String, String> attributes = new LinkedHashMap<>();
        volatile boolean frozen;

        private void check() {
            if (frozen) {
                throw new IllegalStateException("the session cookie cannot be configured after "
                        + app.name() + " has been initialized");
            }
        }

        @Override
        public void setName(String name) {
            check();
            if (name == null || name.isEmpty()) {
                throw new IllegalArgumentException("session cookie name must not be empty");
            }
            this.name = name;
        }

        @Override
        public String getName() {
            return name;
        }

        @Override
        public void setDomain(String domain) {
            check();
            this.domain = domain;
        }

        @Override
        public String getDomain() {
            return domain;
        }

        @Override
        public void setPath(String path) {
            check();
            this.path = path;
        }

        @Override
        public String getPath() {
            return path;
        }

        @Override
        @SuppressWarnings("deprecation")
        public void setComment(String comment) {
            check();
        }

        @Override
        @SuppressWarnings("deprecation")
        public String getComment() {
            return null;
        }

        @Override
        public void setHttpOnly(boolean httpOnly) {
            check();
            this.httpOnly = httpOnly;
        }

        @Override
        public boolean isHttpOnly() {
            return httpOnly;
        }

        @Override
        public void setSecure(boolean secure) {
            check();
            this.secure = secure;
        }

        @Override
        public boolean isSecure() {
            return secure;
        }

        @Override
        public void setMaxAge(int maxAge) {
            check();
            this.maxAge = maxAge;
        }

        @Override
        public int getMaxAge() {
            return maxAge;
        }

        @Override
        public void setAttribute(String name, String value) {
            check();
            if (name == null || name.isEmpty()) {
                throw new IllegalArgumentException("cookie attribute name must not be empty");
            }
            if (value == null) {
                attributes.remove(name);
            } else {
                attributes.put(name, value);
            }
        }

        @Override
        public String getAttribute(String name) {
            for (Map.Entry<String, String> e : attributes.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name)) {
                    return e.getValue();
                }
            }
            return null;
        }

        @Override
        public Map<String, String> getAttributes() {
            return Collections.unmodifiableMap(attributes);
        }
    }
}
