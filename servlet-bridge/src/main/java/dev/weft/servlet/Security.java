package dev.weft.servlet;

import jakarta.servlet.HttpConstraintElement;
import jakarta.servlet.HttpMethodConstraintElement;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletSecurityElement;
import jakarta.servlet.annotation.ServletSecurity.EmptyRoleSemantic;
import jakarta.servlet.annotation.ServletSecurity.TransportGuarantee;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Declarative security for one application (Servlet 6.1 chapter 13): the constraints that apply to
 * a request, transport guarantees, and authentication by BASIC, FORM or CLIENT-CERT against a
 * {@link Realm}. Runs before the filter chain of every REQUEST dispatch; dispatches inside the
 * application are not constrained.
 */
final class Security {
    static final String SESSION_PRINCIPAL = "dev.weft.security.principal";
    static final String SESSION_AUTH_TYPE = "dev.weft.security.authType";
    static final String SESSION_SAVED_REQUEST = "dev.weft.security.savedRequest";
    static final int MAX_SAVED_BODY = 64 << 10;

    /** A request saved while its user went to the login page, to replay after login (FORM). */
    record SavedRequest(String method, String requestUri, String query, String contentType, byte[] body)
            implements Serializable {}

    /** One url-pattern of one constraint. */
    private record Entry(SecurityConstraint.Collection collection, SecurityConstraint constraint) {}

    /** What the constraints that apply to a request ask for. */
    record Decision(boolean excluded, Set<String> roles, boolean anyAuthenticated, boolean secureTransport) {
        boolean authRequired() {
            return anyAuthenticated || roles != null;
        }
    }

    private final WebApp app;
    private final Map<String, List<Entry>> byPattern = new HashMap<>();
    private boolean denyUncovered;

    Security(WebApp app, List<SecurityConstraint> constraints, Map<ServletHolder, ServletSecurityElement> annotated,
            boolean denyUncovered) {
        this.app = app;
        this.denyUncovered = denyUncovered;
        for (SecurityConstraint c : constraints) {
            add(c);
        }
        // Servlet-level constraints (@ServletSecurity, setServletSecurity) never override a
        // pattern the descriptor already constrains (§13.4.1).
        Set<String> described = new HashSet<>(byPattern.keySet());
        for (Map.Entry<ServletHolder, ServletSecurityElement> e : annotated.entrySet()) {
            List<String> patterns = new ArrayList<>();
            for (String p : e.getKey().mappings()) {
                if (!described.contains(p)) {
                    patterns.add(p);
                }
            }
            if (!patterns.isEmpty()) {
                for (SecurityConstraint c : fromElement(patterns, e.getValue())) {
                    add(c);
                }
            }
        }
    }

    boolean isEmpty() {
        return byPattern.isEmpty();
    }

    private void add(SecurityConstraint c) {
        for (SecurityConstraint.Collection col : c.collections()) {
            for (String p : col.urlPatterns()) {
                byPattern.computeIfAbsent(p, k -> new ArrayList<>()).add(new Entry(col, c));
            }
        }
    }

    /** The constraints an {@code HttpConstraint}/{@code HttpMethodConstraint} set stands for (§13.4). */
    static List<SecurityConstraint> fromElement(List<String> patterns, ServletSecurityElement e) {
        List<SecurityConstraint> out = new ArrayList<>();
        Set<String> methodNames = new LinkedHashSet<>();
        for (HttpMethodConstraintElement m : e.getHttpMethodConstraints()) {
            methodNames.add(m.getMethodName());
            out.add(new SecurityConstraint(
                    List.of(new SecurityConstraint.Collection(patterns, Set.of(m.getMethodName()), Set.of())),
                    roles(m), m.getTransportGuarantee()));
        }
        // The class-level constraint covers every method not named in a method constraint.
        out.add(new SecurityConstraint(List.of(new SecurityConstraint.Collection(patterns, Set.of(), methodNames)),
                roles(e), e.getTransportGuarantee()));
        return out;
    }

    private static Set<String> roles(HttpConstraintElement c) {
        if (c.getRolesAllowed().length > 0) {
            return Set.of(c.getRolesAllowed());
        }
        return c.getEmptyRoleSemantic() == EmptyRoleSemantic.DENY ? Set.of() : null;
    }

    /**
     * The combined constraints for a context-relative path and method (§13.8.1), or null if none
     * apply. The best-matching url-pattern wins, by the servlet mapping rules; among its
     * constraints covering the method, excluded beats everything, no authorization constraint
     * beats roles, roles add up, and a transport is required only if every one requires it.
     */
    Decision decide(String path, String method) {
        List<Entry> applicable = bestMatch(path, method);
        if (applicable == null) {
            return null;
        }
        if (applicable.isEmpty()) {
            // The pattern is constrained but this method is not covered.
            return denyUncovered ? new Decision(true, Set.of(), false, false) : null;
        }
        boolean excluded = false;
        boolean open = false;
        boolean anyAuthenticated = false;
        boolean allRequireSecure = true;
        Set<String> roles = new LinkedHashSet<>();
        for (Entry e : applicable) {
            SecurityConstraint c = e.constraint();
            if (c.transport() == TransportGuarantee.NONE) {
                allRequireSecure = false;
            }
            if (c.roles() == null) {
                open = true;
            } else if (c.roles().isEmpty()) {
                excluded = true;
            } else {
                for (String r : c.roles()) {
                    if (r.equals("**") && !app.declaredRoles().contains("**")) {
                        anyAuthenticated = true;
                    } else if (r.equals("*")) {
                        // Every role the application declares; with none declared, nobody (§13.8.1).
                        roles.addAll(app.declaredRoles());
                    } else {
                        roles.add(r);
                    }
                }
            }
        }
        if (excluded) {
            return new Decision(true, Set.of(), false, allRequireSecure);
        }
        if (open) {
            return new Decision(false, null, false, allRequireSecure);
        }
        return new Decision(false, roles, anyAuthenticated, allRequireSecure);
    }

    /**
     * The entries of the best-matching url-pattern, chosen by the path alone with the servlet
     * mapping rules (§13.8.3): the context root and exact patterns, then the longest prefix, then
     * an extension, then the default. Of those, the ones covering {@code method}; an empty list if
     * the pattern constrains other methods only; null if no pattern matches the path.
     */
    private List<Entry> bestMatch(String path, String method) {
        List<Entry> best = null;
        if (path.equals("/")) {
            best = byPattern.get("");
        }
        if (best == null) {
            best = byPattern.get(path);
        }
        if (best == null) {
            String p = path;
            while (best == null) {
                best = byPattern.get(p + "/*");
                if (p.isEmpty()) {
                    break;
                }
                p = p.substring(0, p.lastIndexOf('/'));
            }
        }
        if (best == null) {
            int slash = path.lastIndexOf('/');
            int dot = path.lastIndexOf('.');
            if (dot > slash) {
                best = byPattern.get("*." + path.substring(dot + 1));
            }
        }
        if (best == null) {
            best = byPattern.get("/");
        }
        return best == null ? null : covering(best, method);
    }

    private static List<Entry> covering(List<Entry> entries, String method) {
        List<Entry> out = new ArrayList<>(entries.size());
        for (Entry e : entries) {
            if (e.collection().covers(method)) {
                out.add(e);
            }
        }
        return out;
    }

    // ---- Enforcement ----

    /**
     * Checks a REQUEST dispatch before its filters run: FORM's j_security_check, the transport,
     * excluded and uncovered methods, authentication and roles. Returns whether the request may
     * go on; when not, the response has been taken care of.
     */
    boolean check(WeftRequest req, WeftResponse res) throws IOException, ServletException {
        LoginConfig login = app.loginConfig();
        String path = req.pathInContext();
        if (login != null && LoginConfig.FORM.equals(login.authMethod()) && path.endsWith("/j_security_check")
                && "POST".equals(req.getMethod())) {
            formLogin(req, res, login);
            return false;
        }
        Decision d = decide(path, req.getMethod());
        if (d == null) {
            return true;
        }
        if (d.secureTransport() && !req.isSecure()) {
            int port = app.confidentialPort();
            if (port <= 0) {
                res.sendError(HttpServletResponse.SC_FORBIDDEN, "This resource needs a secure connection.");
                return false;
            }
            String q = req.getQueryString();
            res.sendRedirect("https://" + req.getServerName() + (port == 443 ? "" : ":" + port) + req.getRequestURI()
                    + (q == null ? "" : "?" + q));
            return false;
        }
        if (d.excluded()) {
            res.sendError(HttpServletResponse.SC_FORBIDDEN);
            return false;
        }
        if (!d.authRequired()) {
            return true;
        }
        if (req.getUserPrincipal() == null && !authenticate(req, res, true)) {
            return false;
        }
        if (d.anyAuthenticated()) {
            return true;
        }
        for (String role : d.roles()) {
            if (app.realm() != null && app.realm().hasRole(req.getUserPrincipal(), role)) {
                return true;
            }
        }
        res.sendError(HttpServletResponse.SC_FORBIDDEN);
        return false;
    }

    /**
     * Establishes who the user is with the configured mechanism. With {@code challenge} set, a
     * user who has not authenticated yet is asked to (401, or the login page); returns whether
     * the request is now authenticated.
     */
    boolean authenticate(WeftRequest req, WeftResponse res, boolean challenge) throws IOException, ServletException {
        LoginConfig login = app.loginConfig();
        Realm realm = app.realm();
        if (login == null || realm == null) {
            if (challenge) {
                res.sendError(HttpServletResponse.SC_UNAUTHORIZED);
            }
            return false;
        }
        switch (login.authMethod()) {
            case LoginConfig.BASIC -> {
                String h = req.getHeader("Authorization");
                if (h != null && h.regionMatches(true, 0, "Basic ", 0, 6)) {
                    String[] userPass = decodeBasic(h.substring(6).strip());
                    if (userPass == null) {
                        res.sendError(HttpServletResponse.SC_BAD_REQUEST, "Malformed Authorization header.");
                        return false;
                    }
                    Principal p = realm.authenticate(userPass[0], userPass[1]);
                    if (p != null) {
                        req.setIdentity(p, HttpServletRequestAuth.BASIC);
                        return true;
                    }
                }
                if (challenge) {
                    String name = login.realmName() == null ? "weft" : login.realmName().replace("\"", "");
                    res.setHeader("WWW-Authenticate", "Basic realm=\"" + name + "\", charset=\"UTF-8\"");
                    res.sendError(HttpServletResponse.SC_UNAUTHORIZED);
                }
                return false;
            }
            case LoginConfig.CLIENT_CERT -> {
                X509Certificate[] chain = (X509Certificate[]) req.getAttribute("jakarta.servlet.request.X509Certificate");
                Principal p = chain == null ? null : realm.authenticate(chain);
                if (p != null) {
                    req.setIdentity(p, HttpServletRequestAuth.CLIENT_CERT);
                    return true;
                }
                if (challenge) {
                    res.sendError(chain == null ? HttpServletResponse.SC_UNAUTHORIZED : HttpServletResponse.SC_FORBIDDEN);
                }
                return false;
            }
            case LoginConfig.FORM -> {
                if (challenge) {
                    saveAndShowLoginPage(req, res, login);
                }
                return false;
            }
            default -> {
                if (challenge) {
                    res.sendError(HttpServletResponse.SC_UNAUTHORIZED);
                }
                return false;
            }
        }
    }

    /** user:password from a BASIC credential (RFC 7617, UTF-8), or null if it is not one. */
    static String[] decodeBasic(String token) {
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(token);
        } catch (IllegalArgumentException e) {
            return null;
        }
        String s = new String(raw, StandardCharsets.UTF_8);
        int colon = s.indexOf(':');
        if (colon < 0) {
            return null;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < 0x20 || s.charAt(i) == 0x7f) {
                return null; // RFC 7617 §2: no control characters
            }
        }
        return new String[] {s.substring(0, colon), s.substring(colon + 1)};
    }

    /** FORM: remember what was asked for, then show the login page (§13.6.3). */
    private void saveAndShowLoginPage(WeftRequest req, WeftResponse res, LoginConfig login)
            throws IOException, ServletException {
        byte[] body = null;
        if ("POST".equals(req.getMethod())) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            try (InputStream in = req.getInputStream()) {
                byte[] buf = new byte[8192];
                for (int n; (n = in.read(buf)) > 0; ) {
                    if (b.size() + n > MAX_SAVED_BODY) {
                        res.sendError(HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE,
                                "The request is too large to keep while you log in.");
                        return;
                    }
                    b.write(buf, 0, n);
                }
            }
            body = b.toByteArray();
        }
        HttpSession session = req.getSession(true);
        session.setAttribute(SESSION_SAVED_REQUEST, new SavedRequest(req.getMethod(), req.getRequestURI(),
                req.getQueryString(), req.getContentType(), body));
        res.setHeader("Cache-Control", "no-store");
        RequestDispatcher page = app.getRequestDispatcher(login.formLoginPage());
        page.forward(req, res);
    }

    /** FORM: the login page posted back (§13.6.3.1). */
    private void formLogin(WeftRequest req, WeftResponse res, LoginConfig login) throws IOException, ServletException {
        String user = req.getParameter("j_username");
        String password = req.getParameter("j_password");
        Realm realm = app.realm();
        Principal p = realm == null || user == null || password == null ? null : realm.authenticate(user, password);
        if (p == null) {
            res.setHeader("Cache-Control", "no-store");
            app.getRequestDispatcher(login.formErrorPage()).forward(req, res);
            return;
        }
        HttpSession session = req.getSession(true);
        if (!session.isNew()) {
            req.changeSessionId(); // a new id once logged in, against session fixation
        }
        session.setAttribute(SESSION_PRINCIPAL, p);
        session.setAttribute(SESSION_AUTH_TYPE, HttpServletRequestAuth.FORM);
        req.setIdentity(p, HttpServletRequestAuth.FORM);
        Object saved = session.getAttribute(SESSION_SAVED_REQUEST);
        String target = saved instanceof SavedRequest s
                ? s.requestUri() + (s.query() == null ? "" : "?" + s.query())
                : app.getContextPath() + "/";
        res.setStatus(HttpServletResponse.SC_SEE_OTHER);
        res.setHeader("Location", res.absolute(target));
        res.closeOutput();
    }

    /**
     * At the start of a request: the user a FORM login or {@code login()} put in the session, and
     * the request saved before the login if this is its replay.
     */
    void restoreIdentity(WeftRequest req) {
        if (req.getRequestedSessionId() == null) {
            return; // no session, so nobody logged in through one
        }
        HttpSession s = req.getSession(false);
        if (s == null) {
            return;
        }
        Object p = s.getAttribute(SESSION_PRINCIPAL);
        if (p instanceof Principal principal) {
            req.setIdentity(principal, (String) s.getAttribute(SESSION_AUTH_TYPE));
            Object saved = s.getAttribute(SESSION_SAVED_REQUEST);
            if (saved instanceof SavedRequest sr && sr.requestUri().equals(req.getRequestURI())
                    && java.util.Objects.equals(sr.query(), req.getQueryString())) {
                s.removeAttribute(SESSION_SAVED_REQUEST);
                req.replay(sr);
            }
        }
    }

    /** The auth type names {@code getAuthType} reports. */
    static final class HttpServletRequestAuth {
        static final String BASIC = jakarta.servlet.http.HttpServletRequest.BASIC_AUTH;
        static final String FORM = jakarta.servlet.http.HttpServletRequest.FORM_AUTH;
        static final String CLIENT_CERT = jakarta.servlet.http.HttpServletRequest.CLIENT_CERT_AUTH;

        private HttpServletRequestAuth() {}
    }
}
