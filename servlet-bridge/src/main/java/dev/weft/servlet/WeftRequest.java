package dev.weft.servlet;

import dev.weft.http.Request;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.MultipartConfigElement;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletConnection;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestAttributeEvent;
import jakarta.servlet.ServletRequestAttributeListener;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletMapping;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import jakarta.servlet.http.HttpUpgradeHandler;
import jakarta.servlet.http.Part;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UnsupportedEncodingException;
import java.net.InetSocketAddress;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.security.Principal;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * The container's {@link HttpServletRequest}, a view of a core {@link Request}.
 *
 * <p>Dispatching changes what it reports: a forward replaces the paths, query and parameters (and,
 * across contexts, the application) for the duration of the forward and restores them afterwards,
 * so application wrappers around it see the forward too.
 */
final class WeftRequest implements HttpServletRequest {
    private static final AtomicLong REQUEST_IDS = new AtomicLong();
    static final int MAX_FORM_BYTES = 2 << 20;
    static final int MAX_PARAMETERS = 10_000;

    final Request core;
    final ServletHandler handler;
    WeftResponse response;
    private final String canonicalPath; // context path included
    private final String sessionIdFromUrl;
    private final long requestId = REQUEST_IDS.incrementAndGet();

    // What dispatching changes. An include into another context changes the application (its
    // ServletContext, its sessions) but not the context path the request reports.
    WebApp app;
    String contextPath;
    DispatcherType dispatcherType = DispatcherType.REQUEST;
    String requestUri;
    String servletPath;
    String pathInfo;
    Mapping mapping;
    String queryString;
    String methodOverride; // GET during an error dispatch (Servlet 6.1)
    private Map<String, List<String>> params; // null until first asked
    private IllegalStateException parameterProblem;

    private Map<String, Object> attributes;
    private String characterEncoding;
    private boolean formParsed;
    private InputMode inputMode = InputMode.NONE;
    private BodyInputStream body;
    private BufferedReader reader;
    private Cookie[] cookies;
    private List<Locale> locales;
    private String requestedSessionId;
    private boolean requestedSessionIdFromCookie;
    private boolean sessionLookedUp;
    Session session; // in the application the request arrived for
    private final WebApp originalApp;
    private Map<WebApp, Session> otherSessions; // of other applications reached by dispatch

    private enum InputMode { NONE, STREAM, READER }

    WeftRequest(ServletHandler handler, WebApp app, Request core, String canonicalPath, String sessionIdFromUrl) {
        this.handler = handler;
        this.app = app;
        this.originalApp = app;
        this.contextPath = app.getContextPath();
        this.core = core;
        this.canonicalPath = canonicalPath;
        this.sessionIdFromUrl = sessionIdFromUrl;
        this.requestUri = core.rawPath();
        this.queryString = core.rawQuery();
    }

    /** The path below the context, canonical and decoded, as mapping sees it. */
    String pathInContext() {
        return canonicalPath.substring(contextPath.length());
    }

    /** The mapping's path below the context: servlet path and path info. */
    String servletPathAndInfo() {
        return pathInfo == null ? servletPath : servletPath + pathInfo;
    }

    void setMapping(Mapping m) {
        this.mapping = m;
        this.servletPath = m.servletPath();
        this.pathInfo = m.pathInfo();
    }

    // ---- Dispatch state ----

    /** A snapshot of what a forward changes, to restore afterwards. */
    record State(WebApp app, String contextPath, DispatcherType type, String requestUri, String servletPath,
            String pathInfo, Mapping mapping, String queryString, Map<String, List<String>> params) {}

    State save() {
        return new State(app, contextPath, dispatcherType, requestUri, servletPath, pathInfo, mapping, queryString, params);
    }

    /**
     * Restores what a dispatch changed. Parameters parsed during the dispatch without a merged
     * query are the request's own and are kept: the body they came from cannot be read twice.
     */
    void restore(State s) {
        app = s.app();
        contextPath = s.contextPath();
        if (s.params() != null) {
            params = s.params();
        }
        dispatcherType = s.type();
        requestUri = s.requestUri();
        servletPath = s.servletPath();
        pathInfo = s.pathInfo();
        mapping = s.mapping();
        queryString = s.queryString();
    }

    /** Parses the request's own parameters before a dispatch merges a query into them. */
    void parseParametersBeforeMerge() {
        try {
            parameters();
        } catch (IllegalStateException e) {
            // Reported to the application when it asks; the dispatch goes ahead.
        }
    }

    /** Adds the parameters of a dispatch's query string before the existing ones (§9.1.1). */
    void mergeQuery(String query) {
        if (query == null || query.isEmpty()) {
            return;
        }
        Map<String, List<String>> added = new LinkedHashMap<>();
        FormDecoder.decode(query, StandardCharsets.UTF_8, added, MAX_PARAMETERS);
        Map<String, List<String>> merged = new LinkedHashMap<>(added);
        for (Map.Entry<String, List<String>> e : parameters().entrySet()) {
            merged.merge(e.getKey(), e.getValue(), (a, b) -> {
                List<String> l = new ArrayList<>(a);
                l.addAll(b);
                return l;
            });
        }
        params = merged;
    }

    // ---- Parameters ----

    private Map<String, List<String>> parameters() {
        if (params == null) {
            Map<String, List<String>> p = new LinkedHashMap<>();
            String q = core.rawQuery();
            try {
                if (q != null && !q.isEmpty()) {
                    FormDecoder.decode(q, StandardCharsets.UTF_8, p, MAX_PARAMETERS, true);
                }
                parseForm(p);
            } catch (IllegalStateException e) {
                parameterProblem = e;
            }
            params = p;
        } else if (!formParsed) {
            try {
                parseForm(params);
            } catch (IllegalStateException e) {
                parameterProblem = e;
            }
        }
        if (parameterProblem != null) {
            // Servlet 6.1: a problem parsing the parameters is reported, every time they are asked for.
            throw new IllegalStateException(parameterProblem.getMessage(), parameterProblem);
        }
        return params;
    }

    /**
     * Form parameters follow the query's (§3.1): POST with a urlencoded body not yet read as a
     * stream, or with a multipart/form-data body when the servlet has a multipart config (§3.2),
     * whose fields are parameters too.
     */
    private void parseForm(Map<String, List<String>> into) {
        if (formParsed) {
            return;
        }
        formParsed = true;
        if (multipart != null) {
            addMultipartFields(into); // getParts() came first
            return;
        }
        if (inputMode != InputMode.NONE || !"POST".equals(getMethod())) {
            return;
        }
        String type = getContentType();
        if (type != null && mimeType(type).equals("multipart/form-data")) {
            MultipartConfigElement config = multipartConfig();
            if (config != null && multipartFailure == null) {
                try {
                    parseMultipart(config, type);
                } catch (IOException e) {
                    throw new IllegalStateException("reading the multipart body failed: " + e.getMessage(), e);
                }
                addMultipartFields(into);
            } else if (multipartFailure instanceof IllegalStateException e) {
                throw e;
            } else if (multipartFailure != null) {
                throw new IllegalStateException("reading the multipart body failed: " + multipartFailure.getMessage(),
                        multipartFailure);
            }
            return;
        }
        if (type == null || !mimeType(type).equals("application/x-www-form-urlencoded")) {
            return;
        }
        try {
            FormDecoder.decode(bodySource(), bodyCharset(), MAX_FORM_BYTES, into, MAX_PARAMETERS, true);
        } catch (IOException e) {
            throw new IllegalStateException("reading the form body failed: " + e.getMessage(), e);
        }
    }

    static String mimeType(String contentType) {
        int semi = contentType.indexOf(';');
        return (semi < 0 ? contentType : contentType.substring(0, semi)).strip().toLowerCase(Locale.ROOT);
    }

    private Charset bodyCharset() {
        String enc = getCharacterEncoding();
        if (enc == null) {
            return StandardCharsets.ISO_8859_1;
        }
        try {
            return Charset.forName(enc);
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            return StandardCharsets.ISO_8859_1;
        }
    }

    @Override
    public String getParameter(String name) {
        List<String> v = parameters().get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    @Override
    public Enumeration<String> getParameterNames() {
        return Collections.enumeration(new ArrayList<>(parameters().keySet()));
    }

    @Override
    public String[] getParameterValues(String name) {
        List<String> v = parameters().get(name);
        return v == null ? null : v.toArray(new String[0]);
    }

    @Override
    public Map<String, String[]> getParameterMap() {
        Map<String, String[]> m = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> e : parameters().entrySet()) {
            m.put(e.getKey(), e.getValue().toArray(new String[0]));
        }
        return Collections.unmodifiableMap(m);
    }

    // ---- Body ----

    @Override
    public String getCharacterEncoding() {
        if (characterEncoding != null) {
            return characterEncoding;
        }
        String ct = getContentType();
        if (ct != null) {
            String cs = charsetParam(ct);
            if (cs != null) {
                return cs;
            }
        }
        return app.getRequestCharacterEncoding();
    }

    static String charsetParam(String contentType) {
        for (String part : contentType.split(";")) {
            String p = part.strip();
            if (p.regionMatches(true, 0, "charset=", 0, 8)) {
                String v = p.substring(8).strip();
                if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
                    v = v.substring(1, v.length() - 1);
                }
                return v.isEmpty() ? null : v;
            }
        }
        return null;
    }

    @Override
    public void setCharacterEncoding(String env) throws UnsupportedEncodingException {
        if (inputMode == InputMode.READER || formParsed) {
            return; // too late: parameters or the reader already decoded with the old encoding (§3.12)
        }
        if (env == null) {
            characterEncoding = null;
            return;
        }
        try {
            Charset.forName(env);
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            throw new UnsupportedEncodingException(env);
        }
        characterEncoding = env;
    }

    @Override
    public int getContentLength() {
        long n = getContentLengthLong();
        return n > Integer.MAX_VALUE ? -1 : (int) n;
    }

    @Override
    public long getContentLengthLong() {
        if (replayed != null) {
            return replayed.body() == null ? -1 : replayed.body().length;
        }
        return core.contentLength();
    }

    @Override
    public String getContentType() {
        return replayed != null ? replayed.contentType() : core.header("Content-Type");
    }

    @Override
    public ServletInputStream getInputStream() throws IOException {
        if (inputMode == InputMode.READER) {
            throw new IllegalStateException("getReader() has already been called for this request");
        }
        inputMode = InputMode.STREAM;
        return body();
    }

    /** The body stream if the application has asked for it, else null. */
    BodyInputStream bodyIfOpened() {
        return body;
    }

    BodyInputStream body() {
        if (body == null) {
            body = new BodyInputStream(bodySource(), this::nonBlockingAllowed, app, null);
            body.markFinishedIfEmpty(getContentLengthLong());
        }
        return body;
    }

    @Override
    public BufferedReader getReader() throws IOException {
        if (inputMode == InputMode.STREAM) {
            throw new IllegalStateException("getInputStream() has already been called for this request");
        }
        if (reader == null) {
            String enc = getCharacterEncoding();
            Charset cs = StandardCharsets.ISO_8859_1;
            if (enc != null) {
                try {
                    cs = Charset.forName(enc);
                } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
                    throw new UnsupportedEncodingException(enc);
                }
            }
            inputMode = InputMode.READER;
            reader = new BufferedReader(new InputStreamReader(body(), cs));
        }
        return reader;
    }

    // ---- Attributes ----

    @Override
    public Object getAttribute(String name) {
        Objects.requireNonNull(name, "name");
        Object v = attributes == null ? null : attributes.get(name);
        if (v == null && name.startsWith("jakarta.servlet.request.") && core.tlsSession() != null) {
            v = tlsAttribute(name, core.tlsSession());
        }
        return v;
    }

    private static Object tlsAttribute(String name, SSLSession tls) {
        return switch (name) {
            case "jakarta.servlet.request.cipher_suite" -> tls.getCipherSuite();
            case "jakarta.servlet.request.key_size" -> keySize(tls.getCipherSuite());
            case "jakarta.servlet.request.ssl_session_id" -> hex(tls.getId());
            case "jakarta.servlet.request.X509Certificate" -> {
                try {
                    Certificate[] certs = tls.getPeerCertificates();
                    List<X509Certificate> x = new ArrayList<>();
                    for (Certificate c : certs) {
                        if (c instanceof X509Certificate xc) {
                            x.add(xc);
                        }
                    }
                    yield x.isEmpty() ? null : x.toArray(new X509Certificate[0]);
                } catch (SSLPeerUnverifiedException e) {
                    yield null;
                }
            }
            default -> null;
        };
    }

    private static Integer keySize(String suite) {
        if (suite.contains("_256_") || suite.contains("CHACHA20")) {
            return 256;
        }
        if (suite.contains("_128_")) {
            return 128;
        }
        return null;
    }

    private static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) {
            sb.append(Character.forDigit((x >> 4) & 0xf, 16)).append(Character.forDigit(x & 0xf, 16));
        }
        return sb.toString();
    }

    @Override
    public Enumeration<String> getAttributeNames() {
        return Collections.enumeration(attributes == null ? List.of() : new ArrayList<>(attributes.keySet()));
    }

    @Override
    public void setAttribute(String name, Object o) {
        Objects.requireNonNull(name, "name");
        if (o == null) {
            removeAttribute(name);
            return;
        }
        if (attributes == null) {
            attributes = new HashMap<>();
        }
        Object old = attributes.put(name, o);
        List<ServletRequestAttributeListener> ls = app.requestAttributeListeners;
        if (!ls.isEmpty()) {
            ServletRequestAttributeEvent e = new ServletRequestAttributeEvent(app, this, name, old == null ? o : old);
            for (ServletRequestAttributeListener l : ls) {
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
        Objects.requireNonNull(name, "name");
        Object old = attributes == null ? null : attributes.remove(name);
        List<ServletRequestAttributeListener> ls = app.requestAttributeListeners;
        if (old != null && !ls.isEmpty()) {
            ServletRequestAttributeEvent e = new ServletRequestAttributeEvent(app, this, name, old);
            for (ServletRequestAttributeListener l : ls) {
                l.attributeRemoved(e);
            }
        }
    }

    /** Sets an attribute without listener events, for the container's own dispatch attributes. */
    void setInternalAttribute(String name, Object value) {
        if (attributes == null) {
            attributes = new HashMap<>();
        }
        if (value == null) {
            attributes.remove(name);
        } else {
            attributes.put(name, value);
        }
    }

    // ---- Request line, headers, addresses ----

    @Override
    public String getMethod() {
        if (methodOverride != null) {
            return methodOverride;
        }
        return replayed != null ? replayed.method() : core.method();
    }

    @Override
    public String getProtocol() {
        return core.proto();
    }

    @Override
    public String getScheme() {
        return core.isSecure() ? "https" : "http";
    }

    @Override
    public boolean isSecure() {
        return core.isSecure();
    }

    @Override
    public String getServerName() {
        String host = core.host();
        if (host.isEmpty()) {
            return getLocalName();
        }
        if (host.startsWith("[")) {
            int close = host.indexOf(']');
            return host.substring(0, close + 1);
        }
        int colon = host.lastIndexOf(':');
        return colon < 0 ? host : host.substring(0, colon);
    }

    @Override
    public int getServerPort() {
        String host = core.host();
        int colon = host.lastIndexOf(':');
        int close = host.lastIndexOf(']');
        if (host.isEmpty()) {
            return getLocalPort();
        }
        if (colon > close && colon < host.length() - 1) {
            try {
                return Integer.parseInt(host.substring(colon + 1));
            } catch (NumberFormatException e) {
                return getLocalPort();
            }
        }
        return isSecure() ? 443 : 80;
    }

    @Override
    public String getRemoteAddr() {
        InetSocketAddress a = core.remoteAddress();
        return a == null ? null : a.getAddress().getHostAddress();
    }

    @Override
    public String getRemoteHost() {
        return getRemoteAddr(); // no reverse DNS lookup on the request path
    }

    @Override
    public int getRemotePort() {
        InetSocketAddress a = core.remoteAddress();
        return a == null ? -1 : a.getPort();
    }

    @Override
    public String getLocalName() {
        InetSocketAddress a = core.localAddress();
        return a == null ? null : a.getAddress().getHostAddress();
    }

    @Override
    public String getLocalAddr() {
        InetSocketAddress a = core.localAddress();
        return a == null ? null : a.getAddress().getHostAddress();
    }

    @Override
    public int getLocalPort() {
        InetSocketAddress a = core.localAddress();
        return a == null ? -1 : a.getPort();
    }

    @Override
    public String getHeader(String name) {
        return core.headers().get(name);
    }

    @Override
    public Enumeration<String> getHeaders(String name) {
        return Collections.enumeration(core.headers().values(name));
    }

    @Override
    public Enumeration<String> getHeaderNames() {
        return Collections.enumeration(core.headers().names());
    }

    @Override
    public int getIntHeader(String name) {
        String v = getHeader(name);
        return v == null ? -1 : Integer.parseInt(v.strip());
    }

    @Override
    public long getDateHeader(String name) {
        String v = getHeader(name);
        if (v == null) {
            return -1;
        }
        long t = HttpDates.parse(v);
        if (t < 0) {
            throw new IllegalArgumentException("header " + name + " is not a date: " + v);
        }
        return t;
    }

    @Override
    public Locale getLocale() {
        return locales().get(0);
    }

    @Override
    public Enumeration<Locale> getLocales() {
        return Collections.enumeration(locales());
    }

    private List<Locale> locales() {
        if (locales == null) {
            List<Locale> l = AcceptLanguage.parse(getHeader("Accept-Language"));
            locales = l.isEmpty() ? List.of(Locale.getDefault()) : l;
        }
        return locales;
    }

    @Override
    public Cookie[] getCookies() {
        if (cookies == null) {
            List<String> values = core.headers().values("Cookie");
            cookies = values.isEmpty() ? new Cookie[0] : Cookies.parse(values);
        }
        return cookies.length == 0 ? null : cookies.clone();
    }

    // ---- Paths ----

    @Override
    public String getContextPath() {
        return contextPath;
    }

    @Override
    public String getServletPath() {
        return servletPath;
    }

    @Override
    public String getPathInfo() {
        return pathInfo;
    }

    @Override
    public String getPathTranslated() {
        return pathInfo == null ? null : app.getRealPath(pathInfo);
    }

    @Override
    public String getQueryString() {
        return queryString;
    }

    @Override
    public String getRequestURI() {
        return requestUri;
    }

    @Override
    public StringBuffer getRequestURL() {
        StringBuffer sb = new StringBuffer();
        String scheme = getScheme();
        int port = getServerPort();
        sb.append(scheme).append("://").append(getServerName());
        if (!(scheme.equals("http") && port == 80) && !(scheme.equals("https") && port == 443)) {
            sb.append(':').append(port);
        }
        return sb.append(requestUri);
    }

    @Override
    public HttpServletMapping getHttpServletMapping() {
        return mapping;
    }

    @Override
    public ServletContext getServletContext() {
        return app;
    }

    @Override
    public DispatcherType getDispatcherType() {
        return dispatcherType;
    }

    @Override
    public RequestDispatcher getRequestDispatcher(String path) {
        if (path == null) {
            return null;
        }
        if (path.startsWith("/")) {
            return app.getRequestDispatcher(path);
        }
        // Relative to the current servlet path and path info (§9.1).
        String current = servletPathAndInfo();
        int slash = current.lastIndexOf('/');
        String base = slash < 0 ? "/" : current.substring(0, slash + 1);
        String joined = base + path;
        int q = joined.indexOf('?');
        String norm = Resources.normalize(q < 0 ? joined : joined.substring(0, q));
        if (norm == null) {
            return null;
        }
        return app.getRequestDispatcher(q < 0 ? norm : norm + joined.substring(q));
    }

    // ---- Sessions ----

    private void lookUpRequestedSession() {
        if (sessionLookedUp) {
            return;
        }
        sessionLookedUp = true;
        SessionManager sm = app.sessions();
        if (sm.cookieTracking()) {
            String name = sm.cookieConfig().getName();
            Cookie[] cs = getCookies();
            if (cs != null) {
                for (Cookie c : cs) {
                    if (c.getName().equals(name)) {
                        if (requestedSessionId == null || sm.isValid(c.getValue())) {
                            requestedSessionId = c.getValue();
                            requestedSessionIdFromCookie = true;
                        }
                    }
                }
            }
        }
        if (requestedSessionId == null && sessionIdFromUrl != null && sm.urlTracking()) {
            requestedSessionId = sessionIdFromUrl;
        }
    }

    @Override
    public HttpSession getSession(boolean create) {
        if (app != originalApp) {
            return crossContextSession(create);
        }
        if (session != null && session.isValidNow()) {
            return session;
        }
        session = null;
        lookUpRequestedSession();
        SessionManager sm = app.sessions();
        if (requestedSessionId != null) {
            session = sm.access(requestedSessionId);
        }
        if (session == null && create) {
            if (response != null && response.isCommitted()) {
                throw new IllegalStateException("cannot create a session after the response has been committed");
            }
            session = sm.create(this);
        }
        return session;
    }

    /** A servlet reached through another context's dispatcher has that context's session (§7.3). */
    private HttpSession crossContextSession(boolean create) {
        if (otherSessions == null) {
            otherSessions = new HashMap<>(2);
        }
        Session s = otherSessions.get(app);
        if (s != null && s.isValidNow()) {
            return s;
        }
        s = null;
        SessionManager sm = app.sessions();
        Cookie[] cs = getCookies();
        if (cs != null && sm.cookieTracking()) {
            for (Cookie c : cs) {
                if (c.getName().equals(sm.cookieConfig().getName()) && s == null) {
                    s = sm.access(c.getValue());
                }
            }
        }
        if (s == null && create) {
            if (response != null && response.isCommitted()) {
                throw new IllegalStateException("cannot create a session after the response has been committed");
            }
            s = sm.create(this);
        }
        if (s != null) {
            otherSessions.put(app, s);
        }
        return s;
    }

    /** The sessions this request used, its own first, for the end of the request. */
    List<Session> sessionsUsed() {
        if (otherSessions == null) {
            return session == null ? List.of() : List.of(session);
        }
        List<Session> all = new ArrayList<>();
        if (session != null) {
            all.add(session);
        }
        all.addAll(otherSessions.values());
        return all;
    }

    @Override
    public HttpSession getSession() {
        return getSession(true);
    }

    @Override
    public String changeSessionId() {
        HttpSession s = getSession(false);
        if (s == null) {
            throw new IllegalStateException("no session associated with this request");
        }
        return app.sessions().changeId((Session) s, this);
    }

    @Override
    public String getRequestedSessionId() {
        lookUpRequestedSession();
        return requestedSessionId;
    }

    @Override
    public boolean isRequestedSessionIdValid() {
        lookUpRequestedSession();
        return requestedSessionId != null && app.sessions().isValid(requestedSessionId);
    }

    @Override
    public boolean isRequestedSessionIdFromCookie() {
        lookUpRequestedSession();
        return requestedSessionId != null && requestedSessionIdFromCookie;
    }

    @Override
    public boolean isRequestedSessionIdFromURL() {
        lookUpRequestedSession();
        return requestedSessionId != null && !requestedSessionIdFromCookie;
    }

    // ---- Security ----

    private Principal userPrincipal;
    private String authType;
    private Security.SavedRequest replayed; // a request saved before a FORM login, now replayed

    /** Sets who the request is from, as an authentication mechanism established it. */
    void setIdentity(Principal p, String type) {
        this.userPrincipal = p;
        this.authType = p == null ? null : type;
        core.setUser(p == null ? null : p.getName()); // for the access log
    }

    /** Makes this request the one saved before a FORM login: its method, content type and body (§13.6.3). */
    void replay(Security.SavedRequest saved) {
        this.replayed = saved;
    }

    /** Where the body comes from: the wire, or a request saved before a FORM login. */
    private java.io.InputStream bodySource() {
        return replayed != null && replayed.body() != null ? new java.io.ByteArrayInputStream(replayed.body()) : core.body();
    }

    @Override
    public String getAuthType() {
        return authType;
    }

    @Override
    public String getRemoteUser() {
        return userPrincipal == null ? null : userPrincipal.getName();
    }

    @Override
    public Principal getUserPrincipal() {
        return userPrincipal;
    }

    /**
     * Role names in the servlet's code go through its security-role-refs first; {@code **} means
     * any authenticated user unless the application declares a role of that name; a servlet's
     * run-as role counts while it runs (§13.3).
     */
    @Override
    public boolean isUserInRole(String role) {
        if (role == null || role.equals("*")) {
            return false;
        }
        if (userPrincipal == null) {
            return false; // nobody authenticated is in any role, run-as or not
        }
        ServletHolder servlet = mapping == null ? null : mapping.holder();
        if (servlet != null && role.equals(servlet.getRunAsRole())) {
            return true;
        }
        if (role.equals("**") && !app.declaredRoles().contains("**")) {
            return true;
        }
        String mapped = servlet == null ? role : servlet.roleRefs().getOrDefault(role, role);
        Realm realm = app.realm();
        return realm != null && realm.hasRole(userPrincipal, mapped);
    }

    @Override
    public boolean authenticate(HttpServletResponse response) throws IOException, ServletException {
        if (userPrincipal != null) {
            return true;
        }
        Security security = app.security();
        return security != null && security.authenticate(this, Dispatcher.unwrap(response), true);
    }

    @Override
    public void login(String username, String password) throws ServletException {
        if (userPrincipal != null) {
            throw new ServletException("already authenticated as " + userPrincipal.getName());
        }
        Realm realm = app.realm();
        if (realm == null) {
            throw new ServletException("no realm is configured for " + app.name());
        }
        Principal p = realm.authenticate(username, password);
        if (p == null) {
            throw new ServletException("login failed");
        }
        LoginConfig lc = app.loginConfig();
        String type = lc == null ? "LOGIN" : switch (lc.authMethod()) {
            case LoginConfig.BASIC -> BASIC_AUTH;
            case LoginConfig.FORM -> FORM_AUTH;
            case LoginConfig.CLIENT_CERT -> CLIENT_CERT_AUTH;
            default -> lc.authMethod();
        };
        setIdentity(p, type);
        if (lc != null && LoginConfig.FORM.equals(lc.authMethod())) {
            // A FORM application keeps its users in the session; so does a login() there, under a
            // new session id, against session fixation.
            HttpSession s = getSession(false);
            if (s != null && !s.isNew()) {
                changeSessionId();
            }
            s = getSession(true);
            s.setAttribute(Security.SESSION_PRINCIPAL, p);
            s.setAttribute(Security.SESSION_AUTH_TYPE, type);
        }
    }

    @Override
    public void logout() {
        setIdentity(null, null);
        HttpSession s = getSession(false);
        if (s != null) {
            s.removeAttribute(Security.SESSION_PRINCIPAL);
            s.removeAttribute(Security.SESSION_AUTH_TYPE);
        }
    }

    // ---- Async and upgrade ----

    AsyncState async;
    private boolean asyncStarted;
    boolean asyncSupported = true; // all filters and the servlet of the current chain support async
    HttpUpgradeHandler upgradeHandler;

    @Override
    public AsyncContext startAsync() {
        return startAsync(this, response, true);
    }

    @Override
    public AsyncContext startAsync(ServletRequest servletRequest, ServletResponse servletResponse) {
        Objects.requireNonNull(servletRequest, "servletRequest");
        Objects.requireNonNull(servletResponse, "servletResponse");
        explicitObjects = true;
        try {
            return startAsync(servletRequest, servletResponse, servletRequest == this && servletResponse == response);
        } finally {
            explicitObjects = false;
        }
    }

    private boolean explicitObjects;

    private AsyncContext startAsync(ServletRequest r, ServletResponse s, boolean original) {
        if (!asyncSupported) {
            throw new IllegalStateException("a filter or servlet of this request does not support asynchronous processing");
        }
        if (asyncStarted) {
            throw new IllegalStateException("startAsync() has already been called in this dispatch");
        }
        if (response.isClosed() || (async != null && async.isCompleted())) {
            throw new IllegalStateException("the response has already been closed");
        }
        if (async == null) {
            async = new AsyncState(this, app.asyncTimeoutMillis());
        }
        async.begin(r, s, original, !(r == this && s == response) || explicitObjects);
        asyncStarted = true;
        return async;
    }

    /** dispatch() or complete() was called: no longer in asynchronous mode for this cycle. */
    void asyncDispatched() {
        asyncStarted = false;
    }

    @Override
    public boolean isAsyncStarted() {
        return asyncStarted;
    }

    @Override
    public boolean isAsyncSupported() {
        return asyncSupported;
    }

    @Override
    public AsyncContext getAsyncContext() {
        if (!asyncStarted || async == null) {
            throw new IllegalStateException("asynchronous processing has not been started");
        }
        return async;
    }

    /** Non-blocking reads and writes are for asynchronous requests and upgraded connections (§5.4). */
    boolean nonBlockingAllowed() {
        return asyncStarted || upgradeHandler != null;
    }

    WebApp originalApp() {
        return originalApp;
    }

    /** The path below the original context, as the client asked for it. */
    String originalPathInContext() {
        return canonicalPath.substring(originalApp.getContextPath().length());
    }

    @Override
    public <T extends HttpUpgradeHandler> T upgrade(Class<T> handlerClass) throws IOException, ServletException {
        Objects.requireNonNull(handlerClass, "handlerClass");
        if (upgradeHandler != null) {
            throw new IllegalStateException("upgrade() has already been called");
        }
        if (response.isCommitted()) {
            throw new IllegalStateException("upgrade() after the response was committed");
        }
        T handler = app.newPerRequestInstance(handlerClass);
        upgradeHandler = handler;
        // The 101 goes out, with the headers the servlet sets, once service() returns.
        response.setStatus(HttpServletResponse.SC_SWITCHING_PROTOCOLS);
        return handler;
    }

    // ---- Multipart ----

    private MultipartForm multipart; // null until parsed
    private Exception multipartFailure; // IllegalStateException or IOException, thrown again on every call
    private boolean multipartFieldsAdded;

    @Override
    public Collection<Part> getParts() throws IOException, ServletException {
        return multipart().parts();
    }

    @Override
    public Part getPart(String name) throws IOException, ServletException {
        return multipart().part(name);
    }

    private MultipartForm multipart() throws IOException, ServletException {
        if (multipart == null && multipartFailure == null) {
            // Tomcat's order: no multipart config is a mistake whatever the request is.
            MultipartConfigElement config = multipartConfig();
            if (config == null) {
                throw new IllegalStateException("servlet " + (mapping == null ? "?" : mapping.getServletName())
                        + " has no multipart config (@MultipartConfig or multipart-config)");
            }
            String type = getContentType();
            if (type == null || !mimeType(type).equals("multipart/form-data")) {
                throw new ServletException("the request is not multipart/form-data");
            }
            if (inputMode != InputMode.NONE) {
                throw new IllegalStateException("the body has already been read through "
                        + (inputMode == InputMode.READER ? "getReader()" : "getInputStream()"));
            }
            parseMultipart(config, type);
            if (formParsed && params != null && parameterProblem == null) {
                // The parameters were read before the parts (another servlet's mapping, or not a POST).
                try {
                    addMultipartFields(params);
                } catch (IllegalStateException e) {
                    parameterProblem = e;
                }
            }
        }
        if (multipartFailure instanceof IllegalStateException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        if (multipartFailure != null) {
            throw new IOException(multipartFailure.getMessage(), multipartFailure);
        }
        return multipart;
    }

    /** The multipart config of the servlet the request is mapped to now, or null. */
    private MultipartConfigElement multipartConfig() {
        return mapping == null || mapping.holder() == null ? null : mapping.holder().multipartConfig();
    }

    /** Reads the parts, once; a failure is kept to be reported to whoever asks next. */
    private void parseMultipart(MultipartConfigElement config, String type) throws IOException {
        try {
            multipart = MultipartForm.parse(bodySource(), getContentLengthLong(), type, config,
                    MultipartForm.location(app, config));
        } catch (IOException | IllegalStateException e) {
            multipartFailure = e;
            throw e;
        }
    }

    private void addMultipartFields(Map<String, List<String>> into) {
        if (multipartFieldsAdded) {
            return;
        }
        multipartFieldsAdded = true;
        Charset explicit = null;
        String declared = characterEncoding != null ? characterEncoding : charsetParam(getContentType());
        if (declared != null) {
            try {
                explicit = Charset.forName(declared);
            } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
                // An unknown charset declared by the client: as if none were.
            }
        }
        Charset fallback = StandardCharsets.ISO_8859_1;
        String appDefault = app.getRequestCharacterEncoding();
        if (appDefault != null) {
            try {
                fallback = Charset.forName(appDefault);
            } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
                // Keep ISO-8859-1.
            }
        }
        multipart.addFieldsTo(into, explicit, fallback, MAX_PARAMETERS);
    }

    /** Deletes the request's temporary upload files; the container calls it once the request is over. */
    void deleteUploads() {
        if (multipart != null) {
            multipart.delete();
        }
    }

    // ---- Servlet 6 ----

    @Override
    public String getRequestId() {
        return Long.toString(requestId);
    }

    @Override
    public String getProtocolRequestId() {
        return ""; // HTTP/1.1 has no request identifiers of its own
    }

    @Override
    public ServletConnection getServletConnection() {
        // The ALPN names of the protocols (RFC 7301): "http/1.0" or "http/1.1".
        return new Connection(Long.toString(core.connectionId()), core.protoAtLeast(1, 1) ? "http/1.1" : "http/1.0",
                core.isSecure());
    }

    private record Connection(String connectionId, String protocol, boolean secure) implements ServletConnection {
        @Override
        public String getConnectionId() {
            return connectionId;
        }

        @Override
        public String getProtocol() {
            return protocol;
        }

        @Override
        public String getProtocolConnectionId() {
            return "";
        }

        @Override
        public boolean isSecure() {
            return secure;
        }
    }

    @Override
    public Map<String, String> getTrailerFields() {
        if (!isTrailerFieldsReady()) {
            throw new IllegalStateException("trailer fields are not ready: read the body to its end first");
        }
        Map<String, String> m = new LinkedHashMap<>();
        var t = core.trailers();
        for (int i = 0; i < t.size(); i++) {
            m.merge(t.name(i).toLowerCase(Locale.ROOT), t.value(i), (a, b) -> a + "," + b);
        }
        return m;
    }

    @Override
    public boolean isTrailerFieldsReady() {
        return !core.isChunked() || (body != null && body.isFinished());
    }

    @Override
    public String toString() {
        return getMethod() + " " + requestUri + (queryString == null ? "" : "?" + queryString);
    }
}
