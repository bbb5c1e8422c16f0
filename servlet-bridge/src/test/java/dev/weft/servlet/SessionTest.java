package dev.weft.servlet;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.SessionCookieConfig;
import jakarta.servlet.SessionTrackingMode;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import jakarta.servlet.http.HttpSessionBindingEvent;
import jakarta.servlet.http.HttpSessionBindingListener;
import jakarta.servlet.http.HttpSessionEvent;
import jakarta.servlet.http.HttpSessionIdListener;
import jakarta.servlet.http.HttpSessionListener;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Servlet 6.1 chapter 7, sessions: tracking, the session cookie, URL rewriting, life and death. */
class SessionTest {

    // ---- Components written for the tests ----

    /** A servlet whose service() is a lambda. */
    static final class Fn extends HttpServlet {
        interface Body {
            void serve(HttpServletRequest req, HttpServletResponse resp) throws IOException, ServletException;
        }

        private final transient Body body;

        Fn(Body body) {
            this.body = body;
        }

        @Override
        protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException, ServletException {
            body.serve(req, resp);
        }
    }

    /** What a request knows of its session, a "key=value" line each; creates one if asked to. */
    static final class Info extends HttpServlet {
        @Override
        protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            HttpSession s = req.getSession(req.getParameter("create") != null);
            if (s != null && req.getParameter("set") != null) {
                s.setAttribute("value", req.getParameter("set"));
            }
            resp.setContentType("text/plain");
            resp.getWriter().print("session=" + (s == null ? null : s.getId()) + "\n"
                    + "new=" + (s == null ? null : s.isNew()) + "\n"
                    + "value=" + (s == null ? null : s.getAttribute("value")) + "\n"
                    + "requested=" + req.getRequestedSessionId() + "\n"
                    + "valid=" + req.isRequestedSessionIdValid() + "\n"
                    + "fromCookie=" + req.isRequestedSessionIdFromCookie() + "\n"
                    + "fromURL=" + req.isRequestedSessionIdFromURL() + "\n"
                    + "encoded=" + resp.encodeURL(req.getParameter("url") == null ? "/ctx/next?a=1" : req.getParameter("url"))
                    + "\n"
                    + "redirect=" + resp.encodeRedirectURL("/ctx/next") + "\n");
        }
    }

    static Map<String, String> parse(String body) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : body.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                m.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return m;
    }

    /**
     * A Set-Cookie value as a map: the cookie's name and value first, then the attributes by
     * lower-case name (flags map to "").
     */
    static Map<String, String> setCookie(String header) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String part : header.split(";")) {
            String p = part.strip();
            int eq = p.indexOf('=');
            String name = eq < 0 ? p : p.substring(0, eq);
            String value = eq < 0 ? "" : p.substring(eq + 1);
            m.put(m.isEmpty() ? name : name.toLowerCase(Locale.ROOT), value);
        }
        return m;
    }

    static Consumer<HttpUriRequestBase> cookie(String value) {
        return g -> g.setHeader("Cookie", value);
    }

    static WebApp infoApp() {
        WebApp app = new WebApp("/ctx");
        app.addServlet("info", new Info()).addMapping("/info");
        return app;
    }

    /** Creates a session and returns its id, checking it came as the JSESSIONID cookie. */
    static String create(Deployed d) throws IOException {
        Deployed.Resp r = d.get("/ctx/info?create=1&set=v");
        String id = parse(r.body()).get("session");
        assertNotNull(id);
        assertEquals(id, setCookie(r.header("Set-Cookie")).get("JSESSIONID"));
        return id;
    }

    // ---- Creation and tracking by cookie ----

    @Test
    void getSessionCreatesASessionAndAnHttpOnlyCookieForTheContextPath() throws Exception {
        try (Deployed d = Deployed.start(infoApp())) {
            Deployed.Resp r = d.get("/ctx/info?create=1");
            Map<String, String> seen = parse(r.body());
            String id = seen.get("session");
            assertNotNull(id);
            assertEquals("true", seen.get("new"));
            assertEquals(1, r.headers("Set-Cookie").size(), r.headers("Set-Cookie").toString());
            Map<String, String> c = setCookie(r.header("Set-Cookie"));
            assertAll(
                    () -> assertEquals(id, c.get("JSESSIONID")),
                    () -> assertEquals("/ctx", c.get("path")),
                    () -> assertEquals("", c.get("httponly")),
                    () -> assertFalse(c.containsKey("secure"), "no Secure over plain HTTP: " + c),
                    () -> assertFalse(c.containsKey("max-age"), "a browser-session cookie: " + c),
                    () -> assertFalse(c.containsKey("expires"), "a browser-session cookie: " + c));

            Deployed.Resp again = d.get("/ctx/info?create=1", cookie("JSESSIONID=" + id));
            assertEquals(id, parse(again.body()).get("session"));
            assertEquals("false", parse(again.body()).get("new"));
            assertEquals(List.of(), again.headers("Set-Cookie"), "the client has the cookie already");

            Deployed.Resp other = d.get("/ctx/info?create=1");
            assertNotEquals(id, parse(other.body()).get("session"), "no cookie, a new session");
            assertEquals("true", parse(other.body()).get("new"));
        }
    }

    @Test
    void noSessionIsCreatedUnlessAskedFor() throws Exception {
        try (Deployed d = Deployed.start(infoApp())) {
            Deployed.Resp r = d.get("/ctx/info");
            assertEquals("null", parse(r.body()).get("session"));
            assertNull(r.header("Set-Cookie"));
            assertEquals(0, d.handler.apps().get(0).sessions().size());
        }
    }

    @Test
    void theSessionCookieOfTheRootContextHasPathSlash() throws Exception {
        WebApp app = new WebApp("");
        app.addServlet("s", new Fn((req, res) -> req.getSession())).addMapping("/s");
        try (Deployed d = Deployed.start(app)) {
            assertEquals("/", setCookie(d.get("/s").header("Set-Cookie")).get("path"));
        }
    }

    @Test
    void theRequestedSessionIdAndWhereItCameFrom() throws Exception {
        try (Deployed d = Deployed.start(infoApp())) {
            String id = create(d);
            record Row(String name, String path, String cookie, Map<String, String> expected) {}
            List<Row> rows = List.of(
                    new Row("none", "/ctx/info", null, Map.of("requested", "null", "valid", "false",
                            "fromCookie", "false", "fromURL", "false", "session", "null")),
                    new Row("cookie", "/ctx/info", "JSESSIONID=" + id, Map.of("requested", id, "valid", "true",
                            "fromCookie", "true", "fromURL", "false", "session", id, "value", "v")),
                    new Row("unknown cookie", "/ctx/info", "JSESSIONID=BOGUS", Map.of("requested", "BOGUS",
                            "valid", "false", "fromCookie", "true", "fromURL", "false", "session", "null")),
                    new Row("other cookies too", "/ctx/info", "a=1; JSESSIONID=" + id + "; b=2", Map.of(
                            "requested", id, "valid", "true", "fromCookie", "true", "session", id)),
                    new Row("stale cookie then live one", "/ctx/info", "JSESSIONID=STALE; JSESSIONID=" + id, Map.of(
                            "requested", id, "valid", "true", "fromCookie", "true", "session", id)),
                    new Row("cookie wins over url", "/ctx/info;jsessionid=BOGUS", "JSESSIONID=" + id, Map.of(
                            "requested", id, "valid", "true", "fromCookie", "true", "fromURL", "false", "session", id)),
                    new Row("url", "/ctx/info;jsessionid=" + id, null, Map.of("requested", id, "valid", "true",
                            "fromCookie", "false", "fromURL", "true", "session", id, "value", "v")),
                    new Row("unknown url", "/ctx/info;jsessionid=BOGUS", null, Map.of("requested", "BOGUS",
                            "valid", "false", "fromCookie", "false", "fromURL", "true", "session", "null")));
            List<Executable> checks = new ArrayList<>();
            for (Row row : rows) {
                Deployed.Resp r = row.cookie() == null ? d.get(row.path()) : d.get(row.path(), cookie(row.cookie()));
                Map<String, String> seen = parse(r.body());
                checks.add(() -> assertEquals(200, r.status(), row.name()));
                for (Map.Entry<String, String> e : row.expected().entrySet()) {
                    checks.add(() -> assertEquals(e.getValue(), seen.get(e.getKey()), row.name() + ": " + e.getKey()));
                }
            }
            assertAll(checks);
        }
    }

    @Test
    void anUnknownRequestedIdGetsANewSession() throws Exception {
        try (Deployed d = Deployed.start(infoApp())) {
            Deployed.Resp r = d.get("/ctx/info?create=1", cookie("JSESSIONID=BOGUS"));
            Map<String, String> seen = parse(r.body());
            assertNotEquals("BOGUS", seen.get("session"));
            assertEquals("true", seen.get("new"));
            assertEquals(seen.get("session"), setCookie(r.header("Set-Cookie")).get("JSESSIONID"));
        }
    }

    @Test
    void sessionsBelongToOneContext() throws Exception {
        WebApp a = new WebApp("/a");
        a.addServlet("info", new Info()).addMapping("/info");
        WebApp b = new WebApp("/b");
        b.addServlet("info", new Info()).addMapping("/info");
        try (Deployed d = Deployed.start(a, b)) {
            Deployed.Resp created = d.get("/a/info?create=1&set=in-a");
            String id = parse(created.body()).get("session");
            assertEquals("/a", setCookie(created.header("Set-Cookie")).get("path"));
            Map<String, String> inB = parse(d.get("/b/info", cookie("JSESSIONID=" + id)).body());
            assertEquals("null", inB.get("session"));
            assertEquals("false", inB.get("valid"));
            assertEquals(1, a.sessions().size());
            assertEquals(0, b.sessions().size());
        }
    }

    @Test
    void aCrossContextTargetHasItsOwnSession() throws Exception {
        // §7.3: "if a servlet uses the RequestDispatcher to call a servlet in another Web
        // application, any sessions created for and visible to the servlet being called must be
        // different from those visible to the calling servlet."
        WebApp a = new WebApp("/a");
        a.setCrossContext(true);
        a.addServlet("caller", new Fn((req, res) -> {
            req.getSession().setAttribute("owner", "a");
            req.getServletContext().getContext("/b/t").getRequestDispatcher("/t").forward(req, res);
        })).addMapping("/caller");
        WebApp b = new WebApp("/b");
        b.addServlet("t", new Fn((req, res) -> {
            HttpSession s = req.getSession();
            res.getWriter().print("context=" + s.getServletContext().getContextPath() + " owner=" + s.getAttribute("owner"));
        })).addMapping("/t");
        try (Deployed d = Deployed.start(a, b)) {
            assertEquals("context=/b owner=null", d.get("/a/caller").body());
            assertEquals(1, a.sessions().size());
            assertEquals(1, b.sessions().size());
        }
    }

    // ---- URL rewriting ----

    @Test
    void encodeUrlAddsTheIdOnlyWhenTheClientMayNotHaveTheCookie() throws Exception {
        try (Deployed d = Deployed.start(infoApp())) {
            Deployed.Resp created = d.get("/ctx/info?create=1");
            String id = parse(created.body()).get("session");
            record Row(String name, String path, String cookie, String encoded) {}
            List<Row> rows = List.of(
                    new Row("new session", "/ctx/info?create=1", null, null),
                    new Row("by cookie", "/ctx/info", "JSESSIONID=" + id, "/ctx/next?a=1"),
                    new Row("by url", "/ctx/info;jsessionid=" + id, null, "/ctx/next;jsessionid=" + id + "?a=1"),
                    new Row("by url, relative", "/ctx/info;jsessionid=" + id + "?url=next%23top", null,
                            "next;jsessionid=" + id + "#top"),
                    new Row("by url, other host", "/ctx/info;jsessionid=" + id + "?url=http://elsewhere.test/x", null,
                            "http://elsewhere.test/x"),
                    new Row("no session", "/ctx/info", null, "/ctx/next?a=1"));
            List<Executable> checks = new ArrayList<>();
            for (Row row : rows) {
                Deployed.Resp r = row.cookie() == null ? d.get(row.path()) : d.get(row.path(), cookie(row.cookie()));
                Map<String, String> seen = parse(r.body());
                String expected = row.encoded() != null ? row.encoded()
                        : "/ctx/next;jsessionid=" + seen.get("session") + "?a=1";
                checks.add(() -> assertEquals(expected, seen.get("encoded"), row.name()));
            }
            assertAll(checks);
            Map<String, String> byUrl = parse(d.get("/ctx/info;jsessionid=" + id).body());
            assertEquals("/ctx/next;jsessionid=" + id, byUrl.get("redirect"));
        }
    }

    @Test
    void trackingModesDecideBetweenCookieAndUrl() throws Exception {
        WebApp cookieOnly = new WebApp("/ctx");
        cookieOnly.addServlet("info", new Info()).addMapping("/info");
        cookieOnly.setSessionTrackingModes(EnumSet.of(SessionTrackingMode.COOKIE));
        assertEquals(Set.of(SessionTrackingMode.COOKIE), cookieOnly.getEffectiveSessionTrackingModes());
        try (Deployed d = Deployed.start(cookieOnly)) {
            Deployed.Resp r = d.get("/ctx/info?create=1");
            Map<String, String> seen = parse(r.body());
            String id = seen.get("session");
            assertEquals("/ctx/next?a=1", seen.get("encoded"), "no URL rewriting with cookies only");
            assertEquals(id, setCookie(r.header("Set-Cookie")).get("JSESSIONID"));
            Map<String, String> byUrl = parse(d.get("/ctx/info;jsessionid=" + id).body());
            assertEquals("null", byUrl.get("requested"), "a URL id is not looked at");
            assertEquals("null", byUrl.get("session"));
        }

        WebApp urlOnly = new WebApp("/ctx");
        urlOnly.addServlet("info", new Info()).addMapping("/info");
        urlOnly.setSessionTrackingModes(EnumSet.of(SessionTrackingMode.URL));
        try (Deployed d = Deployed.start(urlOnly)) {
            Deployed.Resp r = d.get("/ctx/info?create=1");
            Map<String, String> seen = parse(r.body());
            String id = seen.get("session");
            assertNull(r.header("Set-Cookie"), "no cookie with URL tracking only");
            assertEquals("/ctx/next;jsessionid=" + id + "?a=1", seen.get("encoded"));
            Map<String, String> byCookie = parse(d.get("/ctx/info", cookie("JSESSIONID=" + id)).body());
            assertEquals("null", byCookie.get("requested"), "a cookie is not looked at");
            Map<String, String> byUrl = parse(d.get("/ctx/info;jsessionid=" + id).body());
            assertEquals(id, byUrl.get("session"));
            assertEquals("true", byUrl.get("fromURL"));
        }
    }

    @Test
    void trackingModesAreFixedOnceStartedAndSslIsRefused() throws Exception {
        WebApp app = infoApp();
        assertEquals(Set.of(SessionTrackingMode.COOKIE, SessionTrackingMode.URL), app.getDefaultSessionTrackingModes());
        assertThrows(IllegalArgumentException.class, () -> app.setSessionTrackingModes(EnumSet.of(SessionTrackingMode.SSL)));
        try (Deployed d = Deployed.start(app)) {
            assertThrows(IllegalStateException.class,
                    () -> app.setSessionTrackingModes(EnumSet.of(SessionTrackingMode.COOKIE)));
            assertEquals(Set.of(SessionTrackingMode.COOKIE, SessionTrackingMode.URL),
                    d.handler.apps().get(0).getEffectiveSessionTrackingModes());
        }
    }

    // ---- The session cookie's configuration ----

    @Test
    void sessionCookieConfigShapesTheCookie() throws Exception {
        WebApp app = infoApp();
        SessionCookieConfig config = app.getSessionCookieConfig();
        config.setName("SID");
        config.setPath("/");
        config.setHttpOnly(false);
        config.setSecure(true);
        config.setMaxAge(120);
        config.setDomain("example.test");
        config.setAttribute("SameSite", "Strict");
        assertEquals("Strict", config.getAttribute("samesite"));
        try (Deployed d = Deployed.start(app)) {
            Deployed.Resp r = d.get("/ctx/info?create=1");
            String id = parse(r.body()).get("session");
            Map<String, String> c = setCookie(r.header("Set-Cookie"));
            assertAll(
                    () -> assertEquals(id, c.get("SID")),
                    () -> assertFalse(c.containsKey("JSESSIONID")),
                    () -> assertEquals("/", c.get("path")),
                    () -> assertFalse(c.containsKey("httponly"), c.toString()),
                    () -> assertEquals("", c.get("secure"), "Secure as configured: " + c),
                    () -> assertEquals("120", c.get("max-age")),
                    () -> assertEquals("example.test", c.get("domain")),
                    () -> assertEquals("Strict", c.get("samesite")));
            assertEquals(id, parse(d.get("/ctx/info", cookie("SID=" + id)).body()).get("session"));
            assertEquals("null", parse(d.get("/ctx/info", cookie("JSESSIONID=" + id)).body()).get("requested"));
        }
    }

    @Test
    void sessionCookieConfigIsFixedOnceTheContextIsInitialised() throws Exception {
        WebApp app = infoApp();
        List<String> outcomes = new CopyOnWriteArrayList<>();
        app.addListener(new ServletContextListener() {
            @Override
            public void contextInitialized(ServletContextEvent sce) {
                sce.getServletContext().getSessionCookieConfig().setName("LISTENER_SID"); // still allowed
            }
        });
        app.addServlet("late", new Fn((req, res) -> {
            try {
                req.getServletContext().getSessionCookieConfig().setName("LATE");
                outcomes.add("changed");
            } catch (IllegalStateException e) {
                outcomes.add("IllegalStateException");
            }
        })).addMapping("/late");
        try (Deployed d = Deployed.start(app)) {
            Deployed.Resp r = d.get("/ctx/info?create=1");
            assertTrue(setCookie(r.header("Set-Cookie")).containsKey("LISTENER_SID"), r.header("Set-Cookie"));
            d.get("/ctx/late");
            assertEquals(List.of("IllegalStateException"), outcomes);
            SessionCookieConfig c = app.getSessionCookieConfig();
            List<Executable> setters = List.of(
                    () -> c.setName("X"), () -> c.setPath("/"), () -> c.setDomain("d"), () -> c.setHttpOnly(false),
                    () -> c.setSecure(true), () -> c.setMaxAge(1), () -> c.setAttribute("SameSite", "Lax"));
            List<Executable> checks = new ArrayList<>();
            for (Executable setter : setters) {
                checks.add(() -> assertThrows(IllegalStateException.class, setter));
            }
            assertAll(checks);
            assertEquals("LISTENER_SID", c.getName());
        }
    }

    // ---- Expiry and invalidation ----

    /** Counts down on every sessionDestroyed and remembers the ids. */
    static final class Destroyed implements HttpSessionListener {
        final List<String> ids = new CopyOnWriteArrayList<>();
        final CountDownLatch latch;

        Destroyed(int expected) {
            latch = new CountDownLatch(expected);
        }

        @Override
        public void sessionDestroyed(HttpSessionEvent se) {
            ids.add(se.getSession().getId());
            latch.countDown();
        }
    }

    @Test
    void aSessionPastItsMaxInactiveIntervalIsSweptAway() throws Exception {
        WebApp app = infoApp();
        Destroyed destroyed = new Destroyed(1);
        app.addListener(destroyed);
        app.sessions().setSweepInterval(Duration.ofMillis(50));
        CountDownLatch unbound = new CountDownLatch(1); // attributes go once the session has left the store
        app.addServlet("short", new Fn((req, res) -> {
            HttpSession s = req.getSession();
            s.setMaxInactiveInterval(Integer.parseInt(req.getParameter("seconds")));
            s.setAttribute("watch", new HttpSessionBindingListener() {
                @Override
                public void valueUnbound(HttpSessionBindingEvent event) {
                    unbound.countDown();
                }
            });
            res.getWriter().print(s.getId() + " " + s.getMaxInactiveInterval());
        })).addMapping("/short");
        try (Deployed d = Deployed.start(app)) {
            String[] forever = d.get("/ctx/short?seconds=-1").body().split(" ");
            assertEquals("-1", forever[1]);
            long t0 = System.nanoTime();
            String[] brief = d.get("/ctx/short?seconds=1").body().split(" ");
            assertEquals("1", brief[1]);
            assertEquals(2, app.sessions().size());
            assertTrue(destroyed.latch.await(3, TimeUnit.SECONDS), "the session expires after a second");
            long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertTrue(waited >= 900, "not before its time: " + waited + " ms");
            assertEquals(List.of(brief[0]), destroyed.ids);
            assertTrue(unbound.await(3, TimeUnit.SECONDS));
            assertEquals(1, app.sessions().size(), "a session with no limit stays");
            Map<String, String> seen = parse(d.get("/ctx/info", cookie("JSESSIONID=" + brief[0])).body());
            assertEquals("null", seen.get("session"));
            assertEquals("false", seen.get("valid"));
            assertEquals(forever[0], parse(d.get("/ctx/info", cookie("JSESSIONID=" + forever[0])).body()).get("session"));
        }
    }

    @Test
    void anExpiredSessionIsGoneWhenNextAskedForEvenBeforeTheSweep() throws Exception {
        WebApp app = infoApp();
        Destroyed destroyed = new Destroyed(1);
        app.addListener(destroyed);
        app.sessions().setSweepInterval(Duration.ofMinutes(10));
        app.addServlet("short", new Fn((req, res) -> {
            HttpSession s = req.getSession();
            s.setMaxInactiveInterval(1);
            res.getWriter().print(s.getId());
        })).addMapping("/short");
        try (Deployed d = Deployed.start(app)) {
            String id = d.get("/ctx/short").body();
            Thread.sleep(1300); // the inactivity limit is what is under test
            assertEquals(List.of(), destroyed.ids, "no sweep has run");
            Map<String, String> seen = parse(d.get("/ctx/info", cookie("JSESSIONID=" + id)).body());
            assertEquals("null", seen.get("session"));
            assertEquals("false", seen.get("valid"));
            assertEquals(List.of(id), destroyed.ids, "expired, with its event, when looked up");
        }
    }

    @Test
    void theContextsSessionTimeoutIsTheDefaultInterval() throws Exception {
        WebApp app = infoApp();
        app.setSessionTimeout(2);
        app.addServlet("interval", new Fn((req, res) -> res.getWriter().print(req.getSession().getMaxInactiveInterval()
                + " " + req.getServletContext().getSessionTimeout()))).addMapping("/interval");
        try (Deployed d = Deployed.start(app)) {
            assertEquals("120 2", d.get("/ctx/interval").body());
        }
    }

    @Test
    void anInvalidatedSessionRefusesUseAndIsGoneForLaterRequests() throws Exception {
        WebApp app = infoApp();
        app.addServlet("end", new Fn((req, res) -> {
            HttpSession s = req.getSession(false);
            String id = s.getId();
            s.invalidate();
            Map<String, Executable> uses = new LinkedHashMap<>();
            uses.put("getAttribute", () -> s.getAttribute("value"));
            uses.put("getAttributeNames", s::getAttributeNames);
            uses.put("setAttribute", () -> s.setAttribute("a", "b"));
            uses.put("removeAttribute", () -> s.removeAttribute("value"));
            uses.put("getCreationTime", s::getCreationTime);
            uses.put("getLastAccessedTime", s::getLastAccessedTime);
            uses.put("isNew", s::isNew);
            uses.put("invalidate", s::invalidate);
            StringBuilder sb = new StringBuilder();
            for (Map.Entry<String, Executable> u : uses.entrySet()) {
                try {
                    u.getValue().execute();
                    sb.append(u.getKey()).append("=ok\n");
                } catch (IllegalStateException e) {
                    sb.append(u.getKey()).append("=IllegalStateException\n");
                } catch (Throwable t) {
                    sb.append(u.getKey()).append('=').append(t).append('\n');
                }
            }
            sb.append("current=").append(req.getSession(false)).append('\n');
            sb.append("valid=").append(req.isRequestedSessionIdValid()).append('\n');
            HttpSession fresh = req.getSession(true);
            sb.append("fresh=").append(!fresh.getId().equals(id) && fresh.isNew()).append('\n');
            res.getWriter().print(sb);
        })).addMapping("/end");
        try (Deployed d = Deployed.start(app)) {
            String id = create(d);
            Deployed.Resp r = d.get("/ctx/end", cookie("JSESSIONID=" + id));
            Map<String, String> seen = parse(r.body());
            assertAll(
                    () -> assertEquals("IllegalStateException", seen.get("getAttribute")),
                    () -> assertEquals("IllegalStateException", seen.get("getAttributeNames")),
                    () -> assertEquals("IllegalStateException", seen.get("setAttribute")),
                    () -> assertEquals("IllegalStateException", seen.get("removeAttribute")),
                    () -> assertEquals("IllegalStateException", seen.get("getCreationTime")),
                    () -> assertEquals("IllegalStateException", seen.get("getLastAccessedTime")),
                    () -> assertEquals("IllegalStateException", seen.get("isNew")),
                    () -> assertEquals("IllegalStateException", seen.get("invalidate")),
                    () -> assertEquals("null", seen.get("current")),
                    () -> assertEquals("false", seen.get("valid")),
                    () -> assertEquals("true", seen.get("fresh")));
            assertEquals("null", parse(d.get("/ctx/info", cookie("JSESSIONID=" + id)).body()).get("session"));
        }
    }

    // ---- Changing the id ----

    @Test
    void changeSessionIdKeepsTheSessionUnderANewIdAndCookie() throws Exception {
        List<String> changes = new CopyOnWriteArrayList<>();
        WebApp app = infoApp();
        app.addListener(new HttpSessionIdListener() {
            @Override
            public void sessionIdChanged(HttpSessionEvent event, String oldSessionId) {
                changes.add(oldSessionId + "->" + event.getSession().getId());
            }
        });
        app.addServlet("change", new Fn((req, res) -> {
            HttpSession before = req.getSession(false);
            if (before == null) {
                try {
                    req.changeSessionId();
                    res.getWriter().print("changed without a session");
                } catch (IllegalStateException e) {
                    res.getWriter().print("IllegalStateException");
                }
                return;
            }
            String old = before.getId();
            String returned = req.changeSessionId();
            HttpSession after = req.getSession(false);
            res.getWriter().print("old=" + old + "\nreturned=" + returned + "\nnow=" + after.getId()
                    + "\nvalue=" + after.getAttribute("value") + "\nsameObject=" + (before == after) + "\n");
        })).addMapping("/change");
        try (Deployed d = Deployed.start(app)) {
            assertEquals("IllegalStateException", d.get("/ctx/change").body());
            String id = create(d);
            Deployed.Resp r = d.get("/ctx/change", cookie("JSESSIONID=" + id));
            Map<String, String> seen = parse(r.body());
            String newId = seen.get("returned");
            assertAll(
                    () -> assertEquals(id, seen.get("old")),
                    () -> assertNotEquals(id, newId),
                    () -> assertEquals(newId, seen.get("now")),
                    () -> assertEquals("v", seen.get("value")),
                    () -> assertEquals(newId, setCookie(r.header("Set-Cookie")).get("JSESSIONID")),
                    () -> assertEquals(List.of(id + "->" + newId), changes));
            assertEquals("null", parse(d.get("/ctx/info", cookie("JSESSIONID=" + id)).body()).get("session"));
            Map<String, String> later = parse(d.get("/ctx/info", cookie("JSESSIONID=" + newId)).body());
            assertEquals(newId, later.get("session"));
            assertEquals("v", later.get("value"));
            assertEquals(1, app.sessions().size());
        }
    }

    // ---- Concurrency ----

    @Test
    void concurrentRequestsOfOneSessionLoseNoUpdates() throws Exception {
        WebApp app = infoApp();
        app.addServlet("count", new Fn((req, res) -> {
            HttpSession s = req.getSession(false);
            AtomicInteger n = (AtomicInteger) s.getAttribute("n");
            int now = n.incrementAndGet();
            s.setAttribute("seen-" + now, now);
            int names = Collections.list(s.getAttributeNames()).size();
            s.removeAttribute("seen-" + (now - 1));
            res.getWriter().print(now + " " + names);
        })).addMapping("/count");
        app.addServlet("init", new Fn((req, res) -> {
            req.getSession().setAttribute("n", new AtomicInteger());
            res.getWriter().print(req.getSession().getId());
        })).addMapping("/init");
        int threads = 8;
        int perThread = 25;
        try (Deployed d = Deployed.start(app)) {
            String id = d.get("/ctx/init").body();
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                CountDownLatch go = new CountDownLatch(1);
                List<Future<List<Integer>>> results = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    results.add(pool.submit(() -> {
                        go.await();
                        List<Integer> statuses = new ArrayList<>();
                        for (int i = 0; i < perThread; i++) {
                            statuses.add(d.get("/ctx/count", cookie("JSESSIONID=" + id)).status());
                        }
                        return statuses;
                    }));
                }
                go.countDown();
                for (Future<List<Integer>> f : results) {
                    List<Integer> statuses = f.get(30, TimeUnit.SECONDS);
                    assertEquals(Collections.nCopies(perThread, 200), statuses);
                }
            } finally {
                pool.shutdownNow();
            }
            String last = d.get("/ctx/count", cookie("JSESSIONID=" + id)).body();
            assertEquals(threads * perThread + 1, Integer.parseInt(last.split(" ")[0]));
            assertEquals(1, app.sessions().size());
        }
    }

    // ---- The store and the end of the application ----

    static final class Bound implements HttpSessionBindingListener {
        final List<String> log;

        Bound(List<String> log) {
            this.log = log;
        }

        @Override
        public void valueBound(HttpSessionBindingEvent event) {
            log.add("bound " + event.getName());
        }

        @Override
        public void valueUnbound(HttpSessionBindingEvent event) {
            log.add("unbound " + event.getName());
        }
    }

    @Test
    void theStoreCountsSessionsAndStoppingTheAppInvalidatesThemAll() throws Exception {
        List<String> log = new CopyOnWriteArrayList<>();
        WebApp app = infoApp();
        app.addListener(new HttpSessionListener() {
            @Override
            public void sessionCreated(HttpSessionEvent se) {
                log.add("created");
            }

            @Override
            public void sessionDestroyed(HttpSessionEvent se) {
                log.add("destroyed");
            }
        });
        app.addListener(new ServletContextListener() {
            @Override
            public void contextDestroyed(ServletContextEvent sce) {
                log.add("contextDestroyed");
            }
        });
        app.addServlet("bind", new Fn((req, res) -> req.getSession().setAttribute("b", new Bound(log))))
                .addMapping("/bind");
        app.addServlet("end", new Fn((req, res) -> req.getSession(false).invalidate())).addMapping("/end");
        Deployed d = Deployed.start(app);
        try {
            String a = create(d);
            create(d);
            d.get("/ctx/bind");
            assertEquals(3, app.sessions().size());
            assertEquals(3, app.sessions().store().ids().size());
            assertTrue(app.sessions().store().ids().contains(a));
            d.get("/ctx/end", cookie("JSESSIONID=" + a));
            assertEquals(2, app.sessions().size());
            assertFalse(app.sessions().store().ids().contains(a));
            log.clear();
        } finally {
            d.close();
        }
        assertEquals(0, app.sessions().size());
        assertEquals(2, Collections.frequency(log, "destroyed"), log.toString());
        assertTrue(log.contains("unbound b"), log.toString());
        assertEquals("contextDestroyed", log.get(log.size() - 1), "sessions end before the context: " + log);
    }

    // ---- Committed responses ----

    @Test
    void aSessionCannotBeCreatedOnceTheResponseIsCommitted() throws Exception {
        WebApp app = infoApp();
        app.addServlet("late", new Fn((req, res) -> {
            res.getWriter().print("committed ");
            res.flushBuffer();
            try {
                req.getSession(true);
                res.getWriter().print("created");
            } catch (IllegalStateException e) {
                res.getWriter().print("IllegalStateException " + req.getSession(false));
            }
        })).addMapping("/late");
        try (Deployed d = Deployed.start(app)) {
            Deployed.Resp r = d.get("/ctx/late");
            assertEquals("committed IllegalStateException null", r.body());
            assertEquals(0, app.sessions().size());
        }
    }

    // ---- Access from outside a request ----

    @Test
    void theAccessorReachesTheSessionOutsideARequest() throws Exception {
        AtomicReference<HttpSession.Accessor> accessor = new AtomicReference<>();
        WebApp app = infoApp();
        app.addServlet("accessor", new Fn((req, res) -> {
            accessor.set(req.getSession(false).getAccessor());
            res.getWriter().print("ok");
        })).addMapping("/accessor");
        app.addServlet("change", new Fn((req, res) -> res.getWriter().print(req.changeSessionId()))).addMapping("/change");
        app.addServlet("end", new Fn((req, res) -> req.getSession(false).invalidate())).addMapping("/end");
        try (Deployed d = Deployed.start(app)) {
            String id = create(d);
            d.get("/ctx/accessor", cookie("JSESSIONID=" + id));
            HttpSession.Accessor a = accessor.get();
            assertNotNull(a);
            List<String> seen = new ArrayList<>();
            a.access(s -> {
                seen.add(s.getId() + " " + s.getAttribute("value"));
                s.setAttribute("value", "from outside");
            });
            assertEquals(List.of(id + " v"), seen);
            assertEquals("from outside", parse(d.get("/ctx/info", cookie("JSESSIONID=" + id)).body()).get("value"));

            String newId = d.get("/ctx/change", cookie("JSESSIONID=" + id)).body();
            assertThrows(IllegalStateException.class, () -> a.access(s -> { }), "the id has changed");

            d.get("/ctx/accessor", cookie("JSESSIONID=" + newId));
            HttpSession.Accessor b = accessor.get();
            b.access(s -> s.setAttribute("value", "again"));
            d.get("/ctx/end", cookie("JSESSIONID=" + newId));
            assertThrows(IllegalStateException.class, () -> b.access(s -> { }), "the session is invalid");
        }
    }

    @Test
    void getAccessorOnAnInvalidatedSessionThrows() throws Exception {
        // HttpSession.getAccessor: "@throws IllegalStateException if this method is called on an
        // invalidated session".
        WebApp app = infoApp();
        app.addServlet("end", new Fn((req, res) -> {
            HttpSession s = req.getSession();
            s.invalidate();
            try {
                s.getAccessor();
                res.getWriter().print("accessor");
            } catch (IllegalStateException e) {
                res.getWriter().print("IllegalStateException");
            }
        })).addMapping("/end");
        try (Deployed d = Deployed.start(app)) {
            assertEquals("IllegalStateException", d.get("/ctx/end").body());
        }
    }

    @Test
    void sessionTimesAndContext() throws Exception {
        WebApp app = infoApp();
        app.addServlet("times", new Fn((req, res) -> {
            HttpSession s = req.getSession();
            res.getWriter().print(s.getCreationTime() + " " + s.getLastAccessedTime() + " "
                    + (s.getServletContext() == req.getServletContext()));
        })).addMapping("/times");
        try (Deployed d = Deployed.start(app)) {
            long before = System.currentTimeMillis();
            Deployed.Resp first = d.get("/ctx/times");
            String id = setCookie(first.header("Set-Cookie")).get("JSESSIONID");
            String[] a = first.body().split(" ");
            long created = Long.parseLong(a[0]);
            assertTrue(created >= before - 1000 && created <= System.currentTimeMillis(), first.body());
            assertEquals(created, Long.parseLong(a[1]), "a new session was last accessed when created");
            assertEquals("true", a[2]);
            String[] b = d.get("/ctx/times", cookie("JSESSIONID=" + id)).body().split(" ");
            String[] c = d.get("/ctx/times", cookie("JSESSIONID=" + id)).body().split(" ");
            assertEquals(created, Long.parseLong(b[0]));
            assertEquals(created, Long.parseLong(c[0]));
            assertTrue(Long.parseLong(b[1]) >= created);
            assertTrue(Long.parseLong(c[1]) >= Long.parseLong(b[1]));
        }
    }
}
