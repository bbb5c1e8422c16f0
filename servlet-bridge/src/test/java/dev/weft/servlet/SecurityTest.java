package dev.weft.servlet;

import static dev.weft.servlet.SecurityKit.basic;
import static dev.weft.servlet.SecurityKit.credentials;
import static dev.weft.servlet.SecurityKit.echo;
import static dev.weft.servlet.SecurityKit.fastHash;
import static dev.weft.servlet.SecurityKit.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.servlet.HttpConstraintElement;
import jakarta.servlet.HttpMethodConstraintElement;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.ServletSecurityElement;
import jakarta.servlet.annotation.ServletSecurity.EmptyRoleSemantic;
import jakarta.servlet.annotation.ServletSecurity.TransportGuarantee;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Principal;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Declarative and programmatic security (Servlet 6.1 chapter 13) on deployed applications over the
 * wire: constraints and how they combine, uncovered methods, transport guarantees over a real HTTPS
 * listener, {@code setServletSecurity}, {@code login}/{@code logout}/{@code authenticate},
 * {@code isUserInRole}, and the realm and its password hashes. BASIC details are in
 * {@link BasicAuthTest}, FORM in {@link FormLoginTest}, CLIENT-CERT in {@link ClientCertTest}.
 */
class SecurityTest {
    static final String CHALLENGE = "Basic realm=\"Weft Test\", charset=\"UTF-8\"";

    static Deployed d;
    static final ConcurrentLinkedQueue<String> events = new ConcurrentLinkedQueue<>();

    static SecurityConstraint constraint(String pattern, Set<String> roles) {
        return new SecurityConstraint(List.of(new SecurityConstraint.Collection(List.of(pattern), Set.of(), Set.of())),
                roles, TransportGuarantee.NONE);
    }

    static SecurityConstraint methods(String pattern, Set<String> methods, Set<String> roles) {
        return new SecurityConstraint(List.of(new SecurityConstraint.Collection(List.of(pattern), methods, Set.of())),
                roles, TransportGuarantee.NONE);
    }

    static SecurityConstraint omitting(String pattern, Set<String> omitted, Set<String> roles) {
        return new SecurityConstraint(List.of(new SecurityConstraint.Collection(List.of(pattern), Set.of(), omitted)),
                roles, TransportGuarantee.NONE);
    }

    static WebApp basicApp(String contextPath) {
        WebApp app = new WebApp(contextPath);
        app.setRealm(SecurityKit.realm());
        app.setLoginConfig(LoginConfig.basic("Weft Test"));
        app.declareRoles("admin", "user", "manager");
        return app;
    }

    /** /c: every kind of url-pattern, method lists and omissions, role sets, and combinations. */
    static WebApp constraintsApp() {
        WebApp app = basicApp("/c");
        app.addServlet("echo", echo()).addMapping("/");
        app.addServlet("forwarder", new SecurityKit.Fn((req, res) -> req.getRequestDispatcher("/admin/x").forward(req, res)))
                .addMapping("/open/fwd");
        app.addSecurityConstraint(methods("/exact", Set.of("GET", "POST"), Set.of("admin")));
        app.addSecurityConstraint(constraint("/admin/*", Set.of("admin")));
        app.addSecurityConstraint(constraint("/admin/public/*", null));
        app.addSecurityConstraint(constraint("/admin/exact-open", null));
        app.addSecurityConstraint(constraint("*.secret", Set.of("user")));
        app.addSecurityConstraint(omitting("/omit/*", Set.of("GET"), Set.of("admin")));
        app.addSecurityConstraint(constraint("/star/*", Set.of("*")));
        app.addSecurityConstraint(constraint("/any/*", Set.of("**")));
        app.addSecurityConstraint(constraint("/excluded/*", Set.of()));
        app.addSecurityConstraint(constraint("/open/*", null));
        // Several constraints on one pattern.
        app.addSecurityConstraint(constraint("/union/*", Set.of("admin")));
        app.addSecurityConstraint(constraint("/union/*", Set.of("user")));
        app.addSecurityConstraint(constraint("/excl-wins/*", Set.of("admin", "user")));
        app.addSecurityConstraint(constraint("/excl-wins/*", Set.of()));
        app.addSecurityConstraint(constraint("/open-wins/*", Set.of("admin")));
        app.addSecurityConstraint(constraint("/open-wins/*", null));
        app.addSecurityConstraint(methods("/mc/*", Set.of("GET"), Set.of("admin")));
        app.addSecurityConstraint(constraint("/mc/*", Set.of("user")));
        // One constraint, several collections and patterns.
        app.addSecurityConstraint(new SecurityConstraint(List.of(
                new SecurityConstraint.Collection(List.of("/multi-a/*", "/multi-b"), Set.of(), Set.of()),
                new SecurityConstraint.Collection(List.of("*.multi"), Set.of("PUT"), Set.of())),
                Set.of("user"), TransportGuarantee.NONE));
        return app;
    }

    /** /d: the default pattern constrained, a prefix opened under it. */
    static WebApp defaultPatternApp() {
        WebApp app = basicApp("/d");
        app.addServlet("echo", echo()).addMapping("/");
        app.addSecurityConstraint(constraint("/", Set.of("user")));
        app.addSecurityConstraint(constraint("/free/*", null));
        return app;
    }

    /** /r: only the context root ("") is constrained. */
    static WebApp rootApp() {
        WebApp app = basicApp("/r");
        app.addServlet("echo", echo()).addMapping("/");
        app.addSecurityConstraint(constraint("", Set.of("user")));
        return app;
    }

    /** /u: deny-uncovered-http-methods. */
    static WebApp uncoveredApp() {
        WebApp app = basicApp("/u");
        app.addServlet("echo", echo()).addMapping("/");
        app.setDenyUncoveredHttpMethods(true);
        app.addSecurityConstraint(methods("/get-only/*", Set.of("GET"), Set.of("user")));
        app.addSecurityConstraint(omitting("/omits/*", Set.of("GET"), Set.of("admin")));
        return app;
    }

    /** /m and /m2: a method-specific constraint at a pattern more specific than an all-methods one. */
    static WebApp bestMatchApp(String contextPath, boolean denyUncovered) {
        WebApp app = basicApp(contextPath);
        app.addServlet("echo", echo()).addMapping("/");
        app.setDenyUncoveredHttpMethods(denyUncovered);
        app.addSecurityConstraint(constraint("/*", Set.of("admin")));
        app.addSecurityConstraint(methods("/docs/*", Set.of("GET"), Set.of("user")));
        app.addSecurityConstraint(methods("/docs/readme", Set.of("GET"), Set.of("user")));
        return app;
    }

    /** /ro: the context root open, everything else constrained by /*. */
    static WebApp openRootApp() {
        WebApp app = basicApp("/ro");
        app.addServlet("echo", echo()).addMapping("/");
        app.addSecurityConstraint(constraint("/*", Set.of("user")));
        app.addSecurityConstraint(constraint("", null));
        return app;
    }

    static Set<String> setServletSecurityReturned;

    /** /ss: constraints from ServletRegistration.Dynamic.setServletSecurity. */
    static WebApp servletSecurityApp() {
        WebApp app = basicApp("/ss");
        app.addSecurityConstraint(constraint("/both/*", Set.of("user"))); // as from the descriptor
        ServletRegistration.Dynamic guarded = app.addServlet("guarded", echo());
        guarded.addMapping("/guarded/*", "/both/*");
        setServletSecurityReturned = guarded.setServletSecurity(new ServletSecurityElement(
                new HttpConstraintElement(TransportGuarantee.NONE, "admin"),
                List.of(new HttpMethodConstraintElement("GET", new HttpConstraintElement(TransportGuarantee.NONE, "user")),
                        new HttpMethodConstraintElement("DELETE", new HttpConstraintElement(EmptyRoleSemantic.DENY)))));
        ServletRegistration.Dynamic permit = app.addServlet("permit", echo());
        permit.addMapping("/permit/*");
        permit.setServletSecurity(new ServletSecurityElement(new HttpConstraintElement(),
                List.of(new HttpMethodConstraintElement("PUT", new HttpConstraintElement(EmptyRoleSemantic.DENY)))));
        ServletRegistration.Dynamic conf = app.addServlet("conf", echo());
        conf.addMapping("/conf/*");
        conf.setServletSecurity(new ServletSecurityElement(new HttpConstraintElement(TransportGuarantee.CONFIDENTIAL)));
        conf.addMapping("/conf-later/*"); // mappings added later are covered too
        ServletRegistration.Dynamic twice = app.addServlet("twice", echo());
        twice.addMapping("/twice/*");
        twice.setServletSecurity(new ServletSecurityElement(new HttpConstraintElement(EmptyRoleSemantic.DENY)));
        twice.setServletSecurity(new ServletSecurityElement(new HttpConstraintElement(TransportGuarantee.NONE, "user")));
        return app;
    }

    /** /p: the programmatic API. */
    static WebApp programmaticApp() {
        WebApp app = basicApp("/p");
        app.addServlet("api", new SecurityKit.Fn((req, res) -> {
            res.setContentType("text/plain;charset=UTF-8");
            var out = res.getWriter();
            switch (req.getPathInfo()) {
                case "/login" -> {
                    out.println("before user=" + req.getRemoteUser());
                    try {
                        req.login(req.getParameter("u"), req.getParameter("p"));
                        Principal p = req.getUserPrincipal();
                        out.println("login=ok user=" + req.getRemoteUser() + " principal=" + (p == null ? null : p.getName())
                                + " type=" + req.getAuthType() + " admin=" + req.isUserInRole("admin") + " user="
                                + req.isUserInRole("user"));
                    } catch (ServletException e) {
                        out.println("login=ServletException user=" + req.getRemoteUser() + " principal="
                                + req.getUserPrincipal() + " type=" + req.getAuthType());
                        return;
                    }
                    try {
                        req.login(req.getParameter("u"), req.getParameter("p"));
                        out.println("again=ok");
                    } catch (ServletException e) {
                        out.println("again=ServletException user=" + req.getRemoteUser());
                    }
                    req.logout();
                    out.println("logout user=" + req.getRemoteUser() + " principal=" + req.getUserPrincipal() + " type="
                            + req.getAuthType() + " admin=" + req.isUserInRole("admin"));
                }
                case "/authenticate" -> {
                    boolean ok = req.authenticate(res);
                    events.add("authenticate=" + ok);
                    if (ok) {
                        out.print("authenticated " + SecurityKit.describe(req));
                    }
                }
                case "/authenticate-then-login" -> {
                    out.println("authenticate=" + req.authenticate(res) + " user=" + req.getRemoteUser());
                    try {
                        req.login("bob", "bob-pw");
                        out.println("login=ok user=" + req.getRemoteUser());
                    } catch (ServletException e) {
                        out.println("login=ServletException user=" + req.getRemoteUser());
                    }
                }
                case "/authenticate-committed" -> {
                    out.print("committed first");
                    res.flushBuffer();
                    try {
                        events.add("authenticate=" + req.authenticate(res));
                    } catch (IllegalStateException e) {
                        events.add("authenticate=IllegalStateException");
                    }
                }
                default -> res.sendError(404);
            }
        })).addMapping("/api/*");
        SecurityKit.Fn roles = new SecurityKit.Fn((req, res) -> {
            res.setContentType("text/plain;charset=UTF-8");
            res.getWriter().print("user=" + req.getRemoteUser() + " boss=" + req.isUserInRole("boss") + " admin="
                    + req.isUserInRole("admin") + " user-role=" + req.isUserInRole("user") + " **="
                    + req.isUserInRole("**") + " *=" + req.isUserInRole("*") + " operator=" + req.isUserInRole("operator")
                    + " guest=" + req.isUserInRole("guest"));
        });
        app.addServlet("refs", roles).addMapping("/any/refs", "/open/refs");
        app.addSecurityRoleRef("refs", "boss", "admin");
        ServletRegistration.Dynamic runAs = app.addServlet("runas", new SecurityKit.Fn((req, res) -> {
            res.setContentType("text/plain;charset=UTF-8");
            res.getWriter().print("user=" + req.getRemoteUser() + " operator=" + req.isUserInRole("operator") + " admin="
                    + req.isUserInRole("admin"));
        }));
        runAs.addMapping("/any/runas", "/open/runas");
        runAs.setRunAsRole("operator");
        app.declareRoles("operator");
        app.addSecurityConstraint(constraint("/any/*", Set.of("**")));
        return app;
    }

    @BeforeAll
    static void deploy() throws Exception {
        d = Deployed.start(constraintsApp(), defaultPatternApp(), rootApp(), uncoveredApp(), bestMatchApp("/m", false),
                bestMatchApp("/m2", true), openRootApp(), servletSecurityApp(), programmaticApp());
    }

    @AfterAll
    static void undeploy() throws IOException {
        d.close();
    }

    /**
     * Sends the request and checks the status; a 200 must come from the servlet with the expected
     * user, a 401 must carry the BASIC challenge, a 403 must not.
     */
    static void check(String method, String path, String creds, int status, String user) throws IOException {
        Deployed.Resp r = send(d, method, path, credentials(creds));
        String what = method + " " + path + " as " + creds;
        assertEquals(status, r.status(), what + ": " + r.body());
        switch (status) {
            case 200 -> {
                if (!method.equals("HEAD")) {
                    String u = user == null || user.equals("-") ? "null" : user;
                    String type = u.equals("null") ? "null" : "BASIC";
                    int q = path.indexOf('?');
                    assertEquals(method + " " + (q < 0 ? path : path.substring(0, q)) + " user=" + u + " type=" + type
                            + " secure=false", r.body(), what);
                }
            }
            case 401 -> assertEquals(List.of(CHALLENGE), r.headers("WWW-Authenticate"), what);
            case 403 -> assertEquals(List.of(), r.headers("WWW-Authenticate"), what);
            default -> { }
        }
    }

    // ---- Constraints ----

    @ParameterizedTest(name = "{0} {1} as {2} -> {3}")
    @CsvSource({
        // exact pattern with an http-method list: GET and POST constrained, others uncovered (open)
        "GET,      /c/exact,                   -,            401, -",
        "GET,      /c/exact,                   alice,        200, alice",
        "GET,      /c/exact,                   bob,          403, -",
        "POST,     /c/exact,                   bob,          403, -",
        "POST,     /c/exact,                   alice,        200, alice",
        "PUT,      /c/exact,                   -,            200, -",
        "HEAD,     /c/exact,                   -,            200, -",
        "GET,      /c/exact/more,              -,            200, -",
        "GET,      /c/exact?x=1,               alice:wrong,  401, -",
        // prefix pattern: matches the directory itself and everything under it, every method
        "GET,      /c/admin,                   -,            401, -",
        "GET,      /c/admin/,                  -,            401, -",
        "GET,      /c/admin/x,                 -,            401, -",
        "GET,      /c/admin/x/y/z,             bob,          403, -",
        "GET,      /c/admin/x,                 alice,        200, alice",
        "DELETE,   /c/admin/x,                 alice,        200, alice",
        "PROPFIND, /c/admin/x,                 -,            401, -",
        "PROPFIND, /c/admin/x,                 alice,        200, alice",
        "GET,      /c/admin/x,                 alice:wrong,  401, -",
        "GET,      /c/admin/x,                 nobody:pw,    401, -",
        "GET,      /c/administrator,           -,            200, -",
        // a more specific open pattern under a constrained prefix
        "GET,      /c/admin/public/x,          -,            200, -",
        "GET,      /c/admin/public,            -,            200, -",
        "POST,     /c/admin/public/x/y,        -,            200, -",
        "GET,      /c/admin/exact-open,        -,            200, -",
        "GET,      /c/admin/exact-open/x,      -,            401, -",
        // extension pattern; a prefix pattern beats it
        "GET,      /c/x.secret,                -,            401, -",
        "GET,      /c/x.secret,                bob,          200, bob",
        "GET,      /c/x.secret,                alice,        403, -",
        "GET,      /c/deep/dir/x.secret,       bob,          200, bob",
        "GET,      /c/dir.secret/x,            -,            200, -",
        "GET,      /c/x.secretive,             -,            200, -",
        "GET,      /c/admin/x.secret,          bob,          403, -",
        "GET,      /c/admin/x.secret,          alice,        200, alice",
        "GET,      /c/admin/public/x.secret,   -,            200, -",
        // http-method-omission: GET open, everything else admin
        "GET,      /c/omit/x,                  -,            200, -",
        "POST,     /c/omit/x,                  -,            401, -",
        "POST,     /c/omit/x,                  bob,          403, -",
        "POST,     /c/omit/x,                  alice,        200, alice",
        "PATCH,    /c/omit/x,                  alice,        200, alice",
        // * = every declared role (admin, user, manager); guest is not declared
        "GET,      /c/star/x,                  -,            401, -",
        "GET,      /c/star/x,                  alice,        200, alice",
        "GET,      /c/star/x,                  bob,          200, bob",
        "GET,      /c/star/x,                  carol,        403, -",
        // ** = any authenticated user
        "GET,      /c/any/x,                   -,            401, -",
        "GET,      /c/any/x,                   carol,        200, carol",
        "GET,      /c/any/x,                   carol:wrong,  401, -",
        // excluded: nobody, authenticated or not
        "GET,      /c/excluded/x,              -,            403, -",
        "GET,      /c/excluded/x,              alice,        403, -",
        "POST,     /c/excluded,                bob,          403, -",
        // no authorization constraint: open
        "GET,      /c/open/x,                  -,            200, -",
        "DELETE,   /c/open/x,                  -,            200, -",
        // several constraints on one pattern: roles add up; excluded wins; an unconstrained one opens it
        "GET,      /c/union/x,                 -,            401, -",
        "GET,      /c/union/x,                 alice,        200, alice",
        "GET,      /c/union/x,                 bob,          200, bob",
        "GET,      /c/union/x,                 carol,        403, -",
        "GET,      /c/excl-wins/x,             alice,        403, -",
        "GET,      /c/excl-wins/x,             bob,          403, -",
        "GET,      /c/excl-wins/x,             -,            403, -",
        "GET,      /c/open-wins/x,             -,            200, -",
        // method-specific and all-method constraints on one pattern combine per method
        "GET,      /c/mc/x,                    alice,        200, alice",
        "GET,      /c/mc/x,                    bob,          200, bob",
        "GET,      /c/mc/x,                    carol,        403, -",
        "POST,     /c/mc/x,                    alice,        403, -",
        "POST,     /c/mc/x,                    bob,          200, bob",
        // one constraint with several collections and patterns
        "GET,      /c/multi-a/x,               -,            401, -",
        "GET,      /c/multi-b,                 bob,          200, bob",
        "GET,      /c/multi-b/x,               -,            200, -",
        "PUT,      /c/f.multi,                 -,            401, -",
        "GET,      /c/f.multi,                 -,            200, -",
        // nothing matches
        "GET,      /c/nothing,                 -,            200, -",
        "GET,      /c/,                        -,            200, -",
        // the default pattern, and a prefix opened under it
        "GET,      /d/x,                       -,            401, -",
        "GET,      /d/,                        -,            401, -",
        "GET,      /d/x.txt,                   bob,          200, bob",
        "POST,     /d/a/b/c,                   alice,        403, -",
        "GET,      /d/free/x,                  -,            200, -",
        // the context root pattern "" matches / only
        "GET,      /r/,                        -,            401, -",
        "GET,      /r/,                        bob,          200, bob",
        "GET,      /r/x,                       -,            200, -",
        // deny-uncovered-http-methods
        "GET,      /u/get-only/x,              bob,          200, bob",
        "GET,      /u/get-only/x,              -,            401, -",
        "POST,     /u/get-only/x,              bob,          403, -",
        "POST,     /u/get-only/x,              -,            403, -",
        "HEAD,     /u/get-only/x,              bob,          403, -",
        "GET,      /u/omits/x,                 -,            403, -",
        "GET,      /u/omits/x,                 alice,        403, -",
        "POST,     /u/omits/x,                 alice,        200, alice",
        "DELETE,   /u/omits/x,                 -,            401, -",
        "GET,      /u/elsewhere,               -,            200, -",
        // the best-matching pattern decides for the methods it covers
        "GET,      /m/docs/x,                  bob,          200, bob",
        "GET,      /m/docs/x,                  alice,        403, -",
        "GET,      /m/docs/readme,             bob,          200, bob",
        "GET,      /m/other,                   bob,          403, -",
        "GET,      /m/other,                   alice,        200, alice",
    })
    void constraintsDecideByPatternMethodAndRole(String method, String path, String creds, int status, String user)
            throws IOException {
        check(method, path, creds, status, user);
    }

    /**
     * §13.8.3: the best-matching pattern is chosen by the path alone (the Java EE tutorial: "The
     * HTTP method of the request plays no role in selecting the best matching URL pattern"); if
     * the method is not constrained there, the request is accepted, or with
     * deny-uncovered-http-methods refused. Tomcat agrees for exact and prefix patterns.
     */
    @ParameterizedTest(name = "{0} {1} as {2} -> {3}")
    @CsvSource({
        "POST,   /m/docs/x,        -,      200, -",
        "POST,   /m/docs/readme,   -,      200, -",
        "DELETE, /m/docs/x,        bob,    200, -",
        "POST,   /m2/docs/x,       alice,  403, -",
        "POST,   /m2/docs/readme,  alice,  403, -",
    })
    void aMethodTheBestMatchingPatternDoesNotCoverIsUncoveredThere(String method, String path, String creds,
            int status, String user) throws IOException {
        check(method, path, creds, status, user);
    }

    /** §12.2: "" is an exact pattern for the context root, and an exact match beats /* (Tomcat agrees). */
    @Test
    void theContextRootPatternIsAnExactMatch() throws IOException {
        check("GET", "/ro/", "-", 200, "-");
        check("GET", "/ro/x", "-", 401, "-");
    }

    /** A role named "**" that the application declares is an ordinary role (§13.8.1). */
    @Test
    void aDeclaredRoleNamedStarStarIsAnOrdinaryRole() throws Exception {
        WebApp app = basicApp("/dd");
        app.declareRoles("**");
        app.addServlet("roles", new SecurityKit.Fn((req, res) -> res.getWriter().print("**=" + req.isUserInRole("**"))))
                .addMapping("/");
        app.addSecurityConstraint(constraint("/x/*", Set.of("**")));
        try (Deployed dd = Deployed.start(app)) {
            assertEquals(403, send(dd, "GET", "/dd/x/y", basic("bob", "bob-pw")).status());
            assertEquals(401, send(dd, "GET", "/dd/x/y", null).status());
            assertEquals("**=false", send(dd, "GET", "/dd/y", basic("bob", "bob-pw")).body());
        }
    }

    /**
     * "*" is every role the application declares (§13.8.1); with none declared, it names nobody.
     * Tomcat's default (allRolesMode strict) answers 403; Weft's code comment says it chose to
     * admit any authenticated user instead.
     */
    @Test
    void starWithNoDeclaredRolesNamesNobody() throws Exception {
        WebApp app = new WebApp("/nd");
        app.setRealm(SecurityKit.realm());
        app.setLoginConfig(LoginConfig.basic("Weft Test"));
        app.addServlet("echo", echo()).addMapping("/");
        app.addSecurityConstraint(constraint("/x/*", Set.of("*")));
        try (Deployed nd = Deployed.start(app)) {
            assertEquals(403, send(nd, "GET", "/nd/x/y", basic("alice", "alice-pw")).status());
            assertEquals(403, send(nd, "GET", "/nd/x/y", basic("carol", "carol-pw")).status());
        }
    }

    /**
     * ServletContext.declareRoles: "Roles that are implicitly declared as a result of their use
     * within the setServletSecurity or setRunAsRole methods ... need not be declared", so "*"
     * includes them.
     */
    @Test
    void rolesUsedInSetServletSecurityAndRunAsAreImplicitlyDeclared() throws Exception {
        WebApp app = new WebApp("/im");
        app.setRealm(new UserRealm()
                .addUserWithHash("alice", fastHash("alice-pw"), "admin")
                .addUserWithHash("olga", fastHash("olga-pw"), "operator")
                .addUserWithHash("carol", fastHash("carol-pw"), "guest"));
        app.setLoginConfig(LoginConfig.basic("Weft Test"));
        app.declareRoles("user");
        app.addServlet("echo", echo()).addMapping("/");
        ServletRegistration.Dynamic s = app.addServlet("s", echo());
        s.addMapping("/s/*");
        s.setServletSecurity(new ServletSecurityElement(new HttpConstraintElement(TransportGuarantee.NONE, "admin")));
        app.addServlet("r", echo()).setRunAsRole("operator");
        app.addSecurityConstraint(constraint("/star/*", Set.of("*")));
        try (Deployed im = Deployed.start(app)) {
            assertEquals(200, send(im, "GET", "/im/star/x", basic("alice", "alice-pw")).status());
            assertEquals(200, send(im, "GET", "/im/star/x", basic("olga", "olga-pw")).status());
            assertEquals(403, send(im, "GET", "/im/star/x", basic("carol", "carol-pw")).status());
        }
    }

    /** Constraints apply to the path after canonicalization: no path trick reaches a constrained resource unauthenticated. */
    @ParameterizedTest
    @ValueSource(strings = {"/c/open/../admin/x", "/c/./admin/x", "/c//admin/x", "/c/admin//x", "/c/admin;p=1/x",
        "/c/%61dmin/x", "/c/open/%2e%2e/admin/x", "/c/x.secret;p=1", "/c/x%2esecret", "/c/excluded;/x",
        "/c/admin/x/", "/c/exact;jsessionid=1"})
    void pathTricksDoNotGetAroundAConstraint(String target) throws IOException {
        TckWire.Resp r = TckWire.get(d.port, target);
        assertTrue(r.status() == 400 || r.status() == 401 || r.status() == 403,
                target + " -> " + r.status() + " " + r.body());
    }

    /** §13.8: constraints apply to the request URI; a forward inside the application is not constrained. */
    @Test
    void aForwardToAConstrainedPathIsNotConstrained() throws IOException {
        Deployed.Resp r = d.get("/c/open/fwd");
        assertEquals(200, r.status());
        assertEquals("GET /c/admin/x user=null type=null secure=false", r.body());
    }

    // ---- setServletSecurity ----

    @ParameterizedTest(name = "{0} {1} as {2} -> {3}")
    @CsvSource({
        // HttpMethodConstraintElement GET: user; DELETE: denied; HttpConstraintElement for the rest: admin
        "GET,    /ss/guarded/x, -,     401, -",
        "GET,    /ss/guarded/x, bob,   200, bob",
        "GET,    /ss/guarded/x, alice, 403, -",
        "POST,   /ss/guarded/x, -,     401, -",
        "POST,   /ss/guarded/x, alice, 200, alice",
        "POST,   /ss/guarded/x, bob,   403, -",
        "PUT,    /ss/guarded/x, alice, 200, alice",
        "DELETE, /ss/guarded/x, alice, 403, -",
        "DELETE, /ss/guarded/x, -,     403, -",
        // /both/* is constrained by the descriptor: setServletSecurity leaves it alone
        "GET,    /ss/both/x,    bob,   200, bob",
        "GET,    /ss/both/x,    alice, 403, -",
        "POST,   /ss/both/x,    bob,   200, bob",
        "DELETE, /ss/both/x,    bob,   200, bob",
        "DELETE, /ss/both/x,    -,     401, -",
        // PERMIT for all methods but PUT
        "GET,    /ss/permit/x,  -,     200, -",
        "POST,   /ss/permit/x,  -,     200, -",
        "PUT,    /ss/permit/x,  -,     403, -",
        "PUT,    /ss/permit/x,  alice, 403, -",
        // CONFIDENTIAL with no confidential port: 403 over plain HTTP
        "GET,    /ss/conf/x,    -,     403, -",
        "GET,    /ss/conf-later/x, -,  403, -",
        // a second call replaces the first
        "GET,    /ss/twice/x,   bob,   200, bob",
        "GET,    /ss/twice/x,   alice, 403, -",
    })
    void setServletSecurityConstrainsTheServletsMappings(String method, String path, String creds, int status,
            String user) throws IOException {
        check(method, path, creds, status, user);
    }

    @Test
    void setServletSecurityNamesThePatternsTheDescriptorAlreadyConstrains() throws Exception {
        assertEquals(Set.of("/both/*"), setServletSecurityReturned);
        WebApp app = basicApp("/late");
        ServletRegistration.Dynamic reg = app.addServlet("s", echo());
        reg.addMapping("/s");
        assertThrows(IllegalArgumentException.class, () -> reg.setServletSecurity(null));
        assertEquals(Set.of(), reg.setServletSecurity(new ServletSecurityElement()));
        try (Deployed late = Deployed.start(app)) {
            assertThrows(IllegalStateException.class, () -> reg.setServletSecurity(new ServletSecurityElement(
                    new HttpConstraintElement(EmptyRoleSemantic.DENY))));
            assertEquals(200, late.get("/late/s").status());
        }
    }

    // ---- Transport guarantees over a real HTTPS listener ----

    @TempDir
    static Path dir;

    static SecurityConstraint transport(String pattern, Set<String> roles, TransportGuarantee t) {
        return new SecurityConstraint(List.of(new SecurityConstraint.Collection(List.of(pattern), Set.of(), Set.of())),
                roles, t);
    }

    @Test
    void confidentialRedirectsToTheHttpsPortAndIsServedThere() throws Exception {
        SecurityKit.Pki pki = SecurityKit.Pki.create(dir);
        WebApp s = basicApp("/s");
        s.addServlet("echo", echo()).addMapping("/");
        s.addSecurityConstraint(transport("/secure/*", null, TransportGuarantee.CONFIDENTIAL));
        s.addSecurityConstraint(transport("/secure-auth/*", Set.of("user"), TransportGuarantee.CONFIDENTIAL));
        // A constraint without a user-data-constraint makes plain HTTP acceptable (§13.8.1).
        s.addSecurityConstraint(transport("/mixed/*", Set.of("user"), TransportGuarantee.CONFIDENTIAL));
        s.addSecurityConstraint(transport("/mixed/*", Set.of("user"), TransportGuarantee.NONE));
        WebApp none = basicApp("/s0");
        none.addServlet("echo", echo()).addMapping("/");
        none.addSecurityConstraint(transport("/secure/*", null, TransportGuarantee.CONFIDENTIAL));
        WebApp standard = basicApp("/s443");
        standard.addServlet("echo", echo()).addMapping("/");
        standard.addSecurityConstraint(transport("/secure/*", null, TransportGuarantee.CONFIDENTIAL));
        standard.setConfidentialPort(443);
        try (Deployed t = Deployed.start(s, none, standard)) {
            int tls = SecurityKit.addTlsListener(t, pki.tls());
            s.setConfidentialPort(tls);
            String https = "https://127.0.0.1:" + tls;
            var client = pki.client(null);

            Deployed.Resp r = t.get("/s/secure/x?a=1&b=%20");
            assertEquals(302, r.status(), r.body());
            assertEquals(https + "/s/secure/x?a=1&b=%20", r.header("Location"));
            HttpResponse<String> h = SecurityKit.https(client, r.header("Location"), "GET", null);
            assertEquals(200, h.statusCode());
            assertEquals("GET /s/secure/x user=null type=null secure=true", h.body());

            // The transport is seen to before the user: no credentials travel in the clear for nothing.
            r = send(t, "GET", "/s/secure-auth/x", basic("bob", "bob-pw"));
            assertEquals(302, r.status());
            assertEquals(https + "/s/secure-auth/x", r.header("Location"));
            h = SecurityKit.https(client, https + "/s/secure-auth/x", "GET", null);
            assertEquals(401, h.statusCode());
            assertEquals(List.of(CHALLENGE), h.headers().allValues("WWW-Authenticate"));
            h = SecurityKit.https(client, https + "/s/secure-auth/x", "POST", basic("bob", "bob-pw"));
            assertEquals(200, h.statusCode());
            assertEquals("POST /s/secure-auth/x user=bob type=BASIC secure=true", h.body());
            h = SecurityKit.https(client, https + "/s/secure-auth/x", "GET", basic("alice", "alice-pw"));
            assertEquals(403, h.statusCode());

            r = send(t, "GET", "/s/mixed/x", basic("bob", "bob-pw"));
            assertEquals(200, r.status());
            assertEquals("GET /s/mixed/x user=bob type=BASIC secure=false", r.body());
            assertEquals(200, t.get("/s/open").status());

            // No confidential port: refused over HTTP, served over HTTPS.
            r = t.get("/s0/secure/x");
            assertEquals(403, r.status());
            assertNull(r.header("Location"));
            h = SecurityKit.https(client, https + "/s0/secure/x", "GET", null);
            assertEquals(200, h.statusCode());
            assertEquals("GET /s0/secure/x user=null type=null secure=true", h.body());

            // The standard port is left out of the URL.
            r = t.get("/s443/secure/x?q");
            assertEquals(302, r.status());
            assertEquals("https://127.0.0.1/s443/secure/x?q", r.header("Location"));
        }
    }

    // ---- The programmatic API ----

    @Test
    void loginWithGoodCredentialsThenAgainThenLogout() throws IOException {
        Deployed.Resp r = d.get("/p/api/login?u=alice&p=alice-pw");
        assertEquals(200, r.status());
        assertEquals("""
                before user=null
                login=ok user=alice principal=alice type=BASIC admin=true user=false
                again=ServletException user=alice
                logout user=null principal=null type=null admin=false
                """, r.body().replace("\r\n", "\n"));
    }

    @ParameterizedTest
    @CsvSource({"alice, wrong", "nobody, x", "alice, ''", "'', alice-pw"})
    void loginWithBadCredentialsThrowsAndLeavesNoUser(String user, String password) throws IOException {
        Deployed.Resp r = d.get("/p/api/login?u=" + user + "&p=" + password);
        assertEquals(200, r.status());
        assertEquals("before user=null\nlogin=ServletException user=null principal=null type=null\n",
                r.body().replace("\r\n", "\n"));
    }

    @Test
    void loginWithoutParametersThrowsServletException() throws IOException {
        Deployed.Resp r = d.get("/p/api/login");
        assertEquals(200, r.status());
        assertTrue(r.body().contains("login=ServletException user=null"), r.body());
    }

    @Test
    void loginWhenAlreadyAuthenticatedThrows() throws IOException {
        Deployed.Resp r = send(d, "GET", "/p/api/authenticate-then-login", basic("alice", "alice-pw"));
        assertEquals(200, r.status());
        assertEquals("authenticate=true user=alice\nlogin=ServletException user=alice\n", r.body().replace("\r\n", "\n"));
    }

    @Test
    void authenticateWithoutCredentialsSendsTheChallengeAndReturnsFalse() throws IOException {
        events.clear();
        Deployed.Resp r = d.get("/p/api/authenticate");
        assertEquals(401, r.status());
        assertEquals(List.of(CHALLENGE), r.headers("WWW-Authenticate"));
        assertEquals(List.of("authenticate=false"), List.copyOf(events));

        events.clear();
        r = send(d, "GET", "/p/api/authenticate", basic("bob", "wrong"));
        assertEquals(401, r.status());
        assertEquals(List.of(CHALLENGE), r.headers("WWW-Authenticate"));
        assertEquals(List.of("authenticate=false"), List.copyOf(events));

        events.clear();
        r = send(d, "GET", "/p/api/authenticate", basic("bob", "bob-pw"));
        assertEquals(200, r.status());
        assertEquals("authenticated GET /p/api/authenticate user=bob type=BASIC secure=false", r.body());
        assertEquals(List.of("authenticate=true"), List.copyOf(events));
    }

    /** authenticate(): "IllegalStateException if the login mechanism attempted to modify the response and it was already committed". */
    @Test
    void authenticateOnACommittedResponseThrowsIllegalStateException() throws IOException {
        events.clear();
        Deployed.Resp r = d.get("/p/api/authenticate-committed");
        assertEquals(200, r.status());
        assertEquals("committed first", r.body());
        assertEquals(List.of("authenticate=IllegalStateException"), List.copyOf(events));
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
        "/p/any/refs | alice | 200 | user=alice boss=true admin=true user-role=false **=true *=false operator=false guest=false",
        "/p/any/refs | bob   | 200 | user=bob boss=false admin=false user-role=true **=true *=false operator=false guest=false",
        "/p/any/refs | carol | 200 | user=carol boss=false admin=false user-role=false **=true *=false operator=false guest=true",
        "/p/any/refs | -     | 401 | ",
        "/p/open/refs | -    | 200 | user=null boss=false admin=false user-role=false **=false *=false operator=false guest=false",
        "/p/any/runas | bob  | 200 | user=bob operator=true admin=false",
    })
    void isUserInRoleThroughRoleRefsStarsAndRunAs(String path, String creds, int status, String body) throws IOException {
        Deployed.Resp r = send(d, "GET", path, credentials(creds));
        assertEquals(status, r.status(), r.body());
        if (status == 200) {
            assertEquals(body, r.body());
        }
    }

    /** isUserInRole: "If the user has not been authenticated, the method returns false." */
    @Test
    void runAsDoesNotMakeAnUnauthenticatedCallerBeInARole() throws IOException {
        Deployed.Resp r = d.get("/p/open/runas");
        assertEquals(200, r.status());
        assertEquals("user=null operator=false admin=false", r.body());
    }

    // ---- The realm and its hashes ----

    @Test
    void aRealmFileOfPbkdf2Hashes(@TempDir Path tmp) throws Exception {
        Path f = tmp.resolve("users.properties");
        Files.writeString(f, """
                # user = password hash, role, role...

                alice = %s, admin, user
                  bob=%s
                rené = %s ,  guest ,
                """.formatted(Passwords.hash("alice-pw".toCharArray()), fastHash("bob-pw"), fastHash("crème brûlée")),
                StandardCharsets.UTF_8);
        UserRealm realm = UserRealm.fromFile(f);
        Principal alice = realm.authenticate("alice", "alice-pw");
        assertNotNull(alice);
        assertEquals("alice", alice.getName());
        assertTrue(realm.hasRole(alice, "admin"));
        assertTrue(realm.hasRole(alice, "user"));
        assertFalse(realm.hasRole(alice, "guest"));
        assertNull(realm.authenticate("alice", "alice-pw "));
        assertNull(realm.authenticate("alice", "Alice-pw"));
        assertNull(realm.authenticate("Alice", "alice-pw"));
        Principal bob = realm.authenticate("bob", "bob-pw");
        assertEquals("bob", bob.getName());
        assertFalse(realm.hasRole(bob, "user"));
        Principal rene = realm.authenticate("rené", "crème brûlée");
        assertNotNull(rene);
        assertTrue(realm.hasRole(rene, "guest"));
        assertFalse(realm.hasRole(rene, ""));
        assertNull(realm.authenticate("nobody", "x"));
        assertNull(realm.authenticate(null, "x"));
        assertNull(realm.authenticate("alice", null));

        // The same file, deployed: BASIC against it.
        WebApp app = new WebApp("/file");
        app.setRealm(UserRealm.fromFile(f));
        app.setLoginConfig(LoginConfig.basic("Weft Test"));
        app.addServlet("echo", echo()).addMapping("/");
        app.addSecurityConstraint(constraint("/*", Set.of("user", "guest")));
        try (Deployed fd = Deployed.start(app)) {
            assertEquals("GET /file/x user=alice type=BASIC secure=false",
                    send(fd, "GET", "/file/x", basic("alice", "alice-pw")).body());
            assertEquals(403, send(fd, "GET", "/file/x", basic("bob", "bob-pw")).status());
            assertEquals(200, send(fd, "GET", "/file/x", basic("rené", "crème brûlée")).status());
            assertEquals(401, send(fd, "GET", "/file/x", basic("alice", "bob-pw")).status());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"just-a-name", "= %s, admin", "carol = plain-text-password, admin", "dave = md5$abc",
        "eve"})
    void aBadLineInTheRealmFileNamesFileAndLine(String bad, @TempDir Path tmp) throws Exception {
        Path f = tmp.resolve("users");
        Files.writeString(f, "# users\nalice = " + fastHash("a") + ", admin\n\n" + bad.formatted(fastHash("x")) + "\n",
                StandardCharsets.UTF_8);
        IOException e = assertThrows(IOException.class, () -> UserRealm.fromFile(f));
        assertTrue(e.getMessage().contains(f + ":4"), e.getMessage());
    }

    @Test
    void passwordHashesAreSaltedPbkdf2() {
        String h1 = Passwords.hash("correct horse".toCharArray());
        String h2 = Passwords.hash("correct horse".toCharArray());
        Pattern format = Pattern.compile("pbkdf2-sha256\\$210000\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}");
        assertTrue(format.matcher(h1).matches(), h1);
        assertNotEquals(h1, h2, "a random salt each time");
        assertTrue(Passwords.verify("correct horse".toCharArray(), h1));
        assertTrue(Passwords.verify("correct horse".toCharArray(), h2));
        assertFalse(Passwords.verify("correct horse ".toCharArray(), h1));
        assertFalse(Passwords.verify("".toCharArray(), h1));
        String unicode = fastHash("日本語のパスワード");
        assertTrue(Passwords.verify("日本語のパスワード".toCharArray(), unicode));
        assertFalse(Passwords.verify("日本語のパスワー".toCharArray(), unicode));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "pbkdf2-sha256$", "pbkdf2-sha256$$$", "pbkdf2-sha256$1000", "pbkdf2-sha256$1000$c2FsdA",
        "pbkdf2-sha256$1000$c2FsdA$", "pbkdf2-sha256$abc$c2FsdA$aGFzaA", "pbkdf2-sha256$0$c2FsdA$aGFzaA",
        "pbkdf2-sha256$-1$c2FsdA$aGFzaA", "pbkdf2-sha256$99999999999$c2FsdA$aGFzaA",
        "pbkdf2-sha256$2000000000$c2FsdA$aGFzaA", "pbkdf2-sha256$1000$!!!$aGFzaA", "pbkdf2-sha256$1000$c2FsdA$!!!",
        "pbkdf2-sha256$1000$c2FsdA$aGFzaA$extra", "pbkdf2-sha1$1000$c2FsdA$aGFzaA", "PBKDF2-SHA256$1000$c2FsdA$aGFzaA",
        "md5$0cc175b9c0f1b6a831c399e269772661", "plain", " pbkdf2-sha256$1000$c2FsdA$aGFzaA"})
    void verifyIsFalseForAMalformedHash(String stored) {
        long t0 = System.nanoTime();
        assertFalse(Passwords.verify("password".toCharArray(), stored));
        assertTrue(System.nanoTime() - t0 < 5_000_000_000L, "no absurd iteration count is run");
    }

    @Test
    void verifyIsFalseForNullAndEmptyHashes() {
        assertFalse(Passwords.verify("x".toCharArray(), null));
        assertFalse(Passwords.verify(new char[0], ""));
    }

    @Test
    void userRealmRejectsEmptyNamesAndChangesPasswords() {
        UserRealm realm = new UserRealm();
        assertThrows(IllegalArgumentException.class, () -> realm.addUser("", "x"));
        assertThrows(IllegalArgumentException.class, () -> realm.addUserWithHash(null, fastHash("x")));
        realm.addUserWithHash("zoe", fastHash("old"), "user");
        assertNotNull(realm.authenticate("zoe", "old")); // now remembered as verified
        realm.addUserWithHash("zoe", fastHash("new"), "user");
        assertNull(realm.authenticate("zoe", "old"), "a changed password is not remembered");
        assertNotNull(realm.authenticate("zoe", "new"));
        assertEquals("zoe", realm.authenticate("zoe", "new").getName());
    }
}
