package dev.weft.servlet;

import static dev.weft.servlet.SecurityKit.sessionCookies;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.servlet.RequestDispatcher;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** FORM login (§13.6.3) on a deployed application, cookie by cookie over the wire. */
class FormLoginTest {
    static Deployed d;
    static final ConcurrentLinkedQueue<String> events = new ConcurrentLinkedQueue<>();

    @BeforeAll
    static void deploy() throws Exception {
        WebApp app = new WebApp("/f");
        app.setRealm(SecurityKit.realm());
        app.setLoginConfig(LoginConfig.form("/login", "/login-error"));
        app.declareRoles("admin", "user");
        app.addServlet("login", new SecurityKit.Fn((req, res) -> {
            res.setContentType("text/html;charset=UTF-8");
            res.getWriter().print("<form method=post action=j_security_check>LOGIN PAGE for "
                    + req.getAttribute(RequestDispatcher.FORWARD_REQUEST_URI) + "</form>");
        })).addMapping("/login");
        app.addServlet("error", new SecurityKit.Fn((req, res) -> {
            res.setContentType("text/html;charset=UTF-8");
            res.getWriter().print("LOGIN FAILED");
        })).addMapping("/login-error");
        app.addServlet("page", new SecurityKit.Fn((req, res) -> {
            res.setContentType("text/plain;charset=UTF-8");
            res.getWriter().print(SecurityKit.describe(req) + " params " + SecurityKit.params(req) + " ct="
                    + req.getContentType() + " admin=" + req.isUserInRole("admin"));
        })).addMapping("/protected/*", "/admin-only/*", "/");
        app.addServlet("logout", new SecurityKit.Fn((req, res) -> {
            req.logout();
            res.setContentType("text/plain;charset=UTF-8");
            res.getWriter().print("logged out user=" + req.getRemoteUser() + " type=" + req.getAuthType());
        })).addMapping("/protected/logout");
        app.addServlet("api", new SecurityKit.Fn((req, res) -> {
            switch (req.getPathInfo()) {
                case "/authenticate" -> {
                    boolean ok = req.authenticate(res);
                    events.add("authenticate=" + ok);
                    if (ok) {
                        res.setContentType("text/plain;charset=UTF-8");
                        res.getWriter().print("authenticated " + SecurityKit.describe(req));
                    }
                }
                case "/login" -> {
                    res.setContentType("text/plain;charset=UTF-8");
                    try {
                        req.login(req.getParameter("u"), req.getParameter("p"));
                        res.getWriter().print("login=ok " + SecurityKit.describe(req));
                    } catch (jakarta.servlet.ServletException e) {
                        res.getWriter().print("login=ServletException " + SecurityKit.describe(req));
                    }
                }
                default -> res.sendError(404);
            }
        })).addMapping("/api/*");
        app.addSecurityConstraint(SecurityConstraint.roles(List.of("/protected/*"), "user", "admin"));
        app.addSecurityConstraint(SecurityConstraint.roles(List.of("/admin-only/*"), "admin"));
        d = Deployed.start(app);
    }

    @AfterAll
    static void undeploy() throws IOException {
        d.close();
    }

    static Deployed.Resp get(String path, String session) throws IOException {
        HttpGet g = new HttpGet(d.url(path));
        if (session != null) {
            g.setHeader("Cookie", "JSESSIONID=" + session);
        }
        return d.send(g);
    }

    static Deployed.Resp post(String path, String session, String contentType, String body) throws IOException {
        HttpPost p = new HttpPost(d.url(path));
        if (session != null) {
            p.setHeader("Cookie", "JSESSIONID=" + session);
        }
        p.setEntity(new StringEntity(body, ContentType.parse(contentType)));
        return d.send(p);
    }

    static Deployed.Resp login(String session, String user, String password) throws IOException {
        return post("/f/j_security_check", session, "application/x-www-form-urlencoded",
                "j_username=" + user + "&j_password=" + password);
    }

    /** The one JSESSIONID the response sets. */
    static String newSession(Deployed.Resp r) {
        List<String> ids = sessionCookies(r.headers("Set-Cookie"));
        assertEquals(1, ids.size(), "one session cookie: " + r.headers("Set-Cookie"));
        return ids.get(0);
    }

    static void assertLoginPage(Deployed.Resp r, String requested) {
        assertEquals(200, r.status(), r.body());
        assertEquals("<form method=post action=j_security_check>LOGIN PAGE for " + requested + "</form>", r.body());
        assertEquals("no-store", r.header("Cache-Control"));
    }

    @Test
    void loginThroughTheFormThenTheOriginalPage() throws IOException {
        Deployed.Resp r = get("/f/protected/page?x=1&y=%C3%A9", null);
        assertLoginPage(r, "/f/protected/page");
        String before = newSession(r);

        r = login(before, "bob", "bob-pw");
        assertEquals(303, r.status(), r.body());
        assertEquals(d.url("/f/protected/page?x=1&y=%C3%A9"), r.header("Location"));
        String after = newSession(r);
        assertNotEquals(before, after, "a new session id once logged in");

        r = get("/f/protected/page?x=1&y=%C3%A9", after);
        assertEquals(200, r.status());
        assertEquals("GET /f/protected/page user=bob type=FORM secure=false params x=[1] y=[é] ct=null admin=false",
                r.body());
        assertEquals(List.of(), sessionCookies(r.headers("Set-Cookie")));

        r = get("/f/protected/other", after);
        assertEquals(200, r.status());
        assertEquals("GET /f/protected/other user=bob type=FORM secure=false params  ct=null admin=false", r.body());

        // The session is the login: unprotected pages see the user too.
        r = get("/f/elsewhere", after);
        assertEquals("GET /f/elsewhere user=bob type=FORM secure=false params  ct=null admin=false", r.body());

        // The id from before the login is worth nothing.
        r = get("/f/protected/page", before);
        assertLoginPage(r, "/f/protected/page");

        // Logged in, but without the role.
        r = get("/f/admin-only/x", after);
        assertEquals(403, r.status());
    }

    @Test
    void aProtectedPostIsSavedAndReplayedAfterLogin() throws IOException {
        Deployed.Resp r = post("/f/protected/form?q=1", null, "application/x-www-form-urlencoded; charset=UTF-8",
                "a=1&b=%C3%A9t%C3%A9&b=2&c=");
        assertLoginPage(r, "/f/protected/form");
        String before = newSession(r);

        r = login(before, "alice", "alice-pw");
        assertEquals(303, r.status());
        assertEquals(d.url("/f/protected/form?q=1"), r.header("Location"));
        String after = newSession(r);
        assertNotEquals(before, after);

        r = get("/f/protected/form?q=1", after);
        assertEquals(200, r.status());
        assertEquals("POST /f/protected/form user=alice type=FORM secure=false params a=[1] b=[été, 2] c=[] q=[1]"
                + " ct=application/x-www-form-urlencoded; charset=UTF-8 admin=true", r.body());

        // Replayed once only.
        r = get("/f/protected/form?q=1", after);
        assertEquals("GET /f/protected/form user=alice type=FORM secure=false params q=[1] ct=null admin=true", r.body());
    }

    @Test
    void theReplayedBodyCanBeReadAsAStream() throws Exception {
        WebApp app = new WebApp("/raw");
        app.setRealm(SecurityKit.realm());
        app.setLoginConfig(LoginConfig.form("/login", "/login"));
        app.addServlet("login", new SecurityKit.Fn((req, res) -> res.getWriter().print("LOGIN"))).addMapping("/login");
        app.addServlet("raw", new SecurityKit.Fn((req, res) -> {
            byte[] body = req.getInputStream().readAllBytes();
            res.setContentType("text/plain;charset=UTF-8");
            res.getWriter().print(req.getMethod() + " " + req.getContentType() + " " + req.getContentLength() + " "
                    + new String(body, java.nio.charset.StandardCharsets.UTF_8));
        })).addMapping("/raw");
        app.addSecurityConstraint(SecurityConstraint.roles(List.of("/raw"), "user"));
        try (Deployed x = Deployed.start(app)) {
            HttpPost p = new HttpPost(x.url("/raw/raw"));
            p.setEntity(new StringEntity("{\"k\": \"v\"}", ContentType.APPLICATION_JSON));
            Deployed.Resp r = x.send(p);
            assertEquals("LOGIN", r.body());
            String s = newSession(r);
            p = new HttpPost(x.url("/raw/j_security_check"));
            p.setHeader("Cookie", "JSESSIONID=" + s);
            p.setEntity(new StringEntity("j_username=bob&j_password=bob-pw", ContentType.APPLICATION_FORM_URLENCODED));
            r = x.send(p);
            assertEquals(303, r.status());
            s = newSession(r);
            HttpGet g = new HttpGet(r.header("Location"));
            g.setHeader("Cookie", "JSESSIONID=" + s);
            r = x.send(g);
            assertEquals(200, r.status());
            assertEquals("POST application/json; charset=UTF-8 10 {\"k\": \"v\"}", r.body());
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "wrong password   | j_username=bob&j_password=nope",
        "unknown user     | j_username=nobody&j_password=bob-pw",
        "no password      | j_username=bob",
        "no user          | j_password=bob-pw",
        "nothing          | ''",
        "empty password   | j_username=bob&j_password=",
        "other field name | username=bob&password=bob-pw",
    })
    void wrongCredentialsShowTheErrorPageAndLogNobodyIn(String what, String body) throws IOException {
        Deployed.Resp r = get("/f/protected/page", null);
        String s = newSession(r);
        r = post("/f/j_security_check", s, "application/x-www-form-urlencoded", body);
        assertEquals(200, r.status(), what);
        assertEquals("LOGIN FAILED", r.body(), what);
        assertNull(r.header("Location"));
        r = get("/f/protected/page", s);
        assertLoginPage(r, "/f/protected/page");
        r = get("/f/elsewhere", s);
        assertEquals("GET /f/elsewhere user=null type=null secure=false params  ct=null admin=false", r.body());
    }

    @Test
    void afterAFailureTheNextAttemptStillWorks() throws IOException {
        Deployed.Resp r = get("/f/protected/page?n=1", null);
        String s = newSession(r);
        assertEquals("LOGIN FAILED", login(s, "bob", "nope").body());
        r = login(s, "bob", "bob-pw");
        assertEquals(303, r.status());
        assertEquals(d.url("/f/protected/page?n=1"), r.header("Location"));
        String after = newSession(r);
        assertNotEquals(s, after);
        assertEquals(200, get("/f/protected/page?n=1", after).status());
    }

    @Test
    void logoutThenThePageAsksForLoginAgain() throws IOException {
        String s = newSession(get("/f/protected/page", null));
        Deployed.Resp r = login(s, "bob", "bob-pw");
        String after = newSession(r);
        assertEquals(200, get("/f/protected/page", after).status());

        r = get("/f/protected/logout", after);
        assertEquals(200, r.status());
        assertEquals("logged out user=null type=null", r.body());

        assertLoginPage(get("/f/protected/page", after), "/f/protected/page");
        assertEquals("GET /f/elsewhere user=null type=null secure=false params  ct=null admin=false",
                get("/f/elsewhere", after).body());
    }

    @Test
    void aLoginWithNothingSavedGoesToTheContextRoot() throws IOException {
        Deployed.Resp r = login(null, "bob", "bob-pw");
        assertEquals(303, r.status());
        assertEquals(d.url("/f/"), r.header("Location"));
        String s = newSession(r);
        assertEquals("GET /f/protected/x user=bob type=FORM secure=false params  ct=null admin=false",
                get("/f/protected/x", s).body());
    }

    @Test
    void aSavedBodyTooLargeToKeepIs413() throws IOException {
        Deployed.Resp r = post("/f/protected/form", null, "application/x-www-form-urlencoded",
                "a=" + "x".repeat(Security.MAX_SAVED_BODY + 1));
        assertEquals(413, r.status());
    }

    @Test
    void authenticateShowsTheLoginPageThenComesBack() throws IOException {
        events.clear();
        Deployed.Resp r = get("/f/api/authenticate", null);
        assertLoginPage(r, "/f/api/authenticate");
        assertEquals(List.of("authenticate=false"), List.copyOf(events));
        String s = newSession(r);

        r = login(s, "alice", "alice-pw");
        assertEquals(303, r.status());
        assertEquals(d.url("/f/api/authenticate"), r.header("Location"));
        s = newSession(r);

        events.clear();
        r = get("/f/api/authenticate", s);
        assertEquals(200, r.status());
        assertEquals("authenticated GET /f/api/authenticate user=alice type=FORM secure=false", r.body());
        assertEquals(List.of("authenticate=true"), List.copyOf(events));
    }

    @Test
    void programmaticLoginInAFormAppLastsForTheSession() throws IOException {
        Deployed.Resp r = get("/f/api/login?u=bob&p=bob-pw", null);
        assertEquals("login=ok GET /f/api/login user=bob type=FORM secure=false", r.body());
        String s = newSession(r);
        r = get("/f/protected/x", s);
        assertEquals("GET /f/protected/x user=bob type=FORM secure=false params  ct=null admin=false", r.body());
        assertEquals("logged out user=null type=null", get("/f/protected/logout", s).body());
        assertLoginPage(get("/f/protected/x", s), "/f/protected/x");

        r = get("/f/api/login?u=bob&p=nope", s);
        assertEquals("login=ServletException GET /f/api/login user=null type=null secure=false", r.body());
    }

    /**
     * Session fixation: Tomcat changes the session id on every authentication, login() included
     * (changeSessionIdOnAuthentication, on by default), as Weft does for j_security_check.
     */
    @Test
    void programmaticLoginChangesAnExistingSessionsId() throws IOException {
        String before = newSession(get("/f/protected/page", null));
        Deployed.Resp r = get("/f/api/login?u=bob&p=bob-pw", before);
        assertEquals("login=ok GET /f/api/login user=bob type=FORM secure=false", r.body());
        String after = newSession(r);
        assertNotEquals(before, after);
        assertLoginPage(get("/f/protected/page", before), "/f/protected/page");
    }

    @Test
    void theLoginAndErrorPagesAreNotConstrained() throws IOException {
        Deployed.Resp r = get("/f/login", null);
        assertEquals(200, r.status());
        assertTrue(r.body().contains("LOGIN PAGE"));
        assertEquals(200, get("/f/login-error", null).status());
        assertEquals(List.of(), sessionCookies(r.headers("Set-Cookie")));
    }

    @Test
    void aGetToJSecurityCheckDoesNotLogIn() throws IOException {
        Deployed.Resp r = get("/f/j_security_check?j_username=bob&j_password=bob-pw", null);
        assertNotEquals(303, r.status());
        assertFalse(r.body().contains("user=bob"), r.body());
    }

    @Test
    void formLoginConfigNeedsBothPages() {
        assertThrows(IllegalArgumentException.class, () -> LoginConfig.form("login.html", "/error"));
        assertThrows(IllegalArgumentException.class, () -> LoginConfig.form("/login", null));
        assertNotNull(LoginConfig.form("/a", "/b"));
    }
}
