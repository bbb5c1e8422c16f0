package dev.weft.servlet;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.UnavailableException;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Servlet 6.1 §10.9 and §11: error pages for exceptions and status codes, the error attributes,
 * the ERROR dispatch, the container's own error page, and unavailable servlets.
 */
class ErrorPageTest {

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

    /** Fails in the way its {@code kind} parameter says. */
    static final class Thrower extends HttpServlet {
        @Override
        protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException, ServletException {
            String kind = req.getParameter("kind");
            switch (kind == null ? "" : kind) {
                case "ise" -> throw new IllegalStateException("ise message");
                case "iae" -> throw new IllegalArgumentException("iae message");
                case "fnf" -> throw new FileNotFoundException("fnf message");
                case "wrapped-io" -> throw new ServletException("wrapper", new IOException("inner"));
                case "wrapped-ise" -> throw new ServletException(new IllegalStateException("inner ise"));
                case "servlet" -> throw new ServletException("plain servlet exception");
                case "error" -> throw new AssertionError("an Error");
                case "send404" -> resp.sendError(404, "gone");
                case "send401" -> resp.sendError(401);
                case "send403" -> resp.sendError(403, "forbidden here");
                default -> resp.getWriter().print("no error");
            }
        }
    }

    /**
     * An error page that shows what it sees, a "key=value" line each. Only doGet: the error
     * dispatch is a GET whatever the original method (Servlet 6.1).
     */
    static final class ShowError extends HttpServlet {
        private final String name;

        ShowError(String name) {
            this.name = name;
        }

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            Object status = req.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
            Object type = req.getAttribute(RequestDispatcher.ERROR_EXCEPTION_TYPE);
            Object ex = req.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
            resp.setContentType("text/plain");
            resp.getWriter().print("page=" + name + "\n"
                    + "status_code=" + status + (status == null ? "" : ":" + status.getClass().getSimpleName()) + "\n"
                    + "exception_type=" + (type instanceof Class<?> c ? c.getName() : String.valueOf(type)) + "\n"
                    + "message=" + req.getAttribute(RequestDispatcher.ERROR_MESSAGE) + "\n"
                    + "exception=" + (ex instanceof Throwable t ? t.getClass().getName() + ":" + t.getMessage() : ex) + "\n"
                    + "request_uri=" + req.getAttribute(RequestDispatcher.ERROR_REQUEST_URI) + "\n"
                    + "servlet_name=" + req.getAttribute(RequestDispatcher.ERROR_SERVLET_NAME) + "\n"
                    + "query_string=" + req.getAttribute(RequestDispatcher.ERROR_QUERY_STRING) + "\n"
                    + "method=" + req.getAttribute(RequestDispatcher.ERROR_METHOD) + "\n"
                    + "type=" + req.getDispatcherType() + "\n"
                    + "getMethod=" + req.getMethod() + "\n"
                    + "uri=" + req.getRequestURI() + "\n"
                    + "mapping=" + req.getHttpServletMapping().getServletName() + "\n");
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

    /** Asserts the given keys of an error page's description. */
    static void assertShows(Map<String, String> seen, String... kv) {
        List<Executable> checks = new ArrayList<>();
        for (int i = 0; i < kv.length; i += 2) {
            String k = kv[i];
            String v = kv[i + 1];
            checks.add(() -> assertEquals(v, seen.get(k), k + " in " + seen));
        }
        assertAll(checks);
    }

    /** Exceptions and statuses with pages of their own; no default page. */
    static WebApp pagesApp() {
        WebApp app = new WebApp("/ctx");
        app.addServlet("thrower", new Thrower()).addMapping("/throw");
        app.addServlet("fwd", new Fn((req, res) -> req.getRequestDispatcher("/throw?kind=" + req.getParameter("to"))
                .forward(req, res))).addMapping("/fwd");
        for (String page : List.of("ise", "rt", "io", "404", "401", "error")) {
            app.addServlet("page-" + page, new ShowError(page)).addMapping("/e/" + page);
        }
        app.addErrorPage(IllegalStateException.class, "/e/ise");
        app.addErrorPage(RuntimeException.class, "/e/rt");
        app.addErrorPage("java.io.IOException", "/e/io");
        app.addErrorPage(Error.class, "/e/error");
        app.addErrorPage(404, "/e/404");
        app.addErrorPage(401, "/e/401");
        return app;
    }

    // ---- Choosing the page ----

    @Test
    void exceptionsAndStatusesFindTheirErrorPages() throws Exception {
        record Row(String query, int status, String page, String exceptionType) {}
        List<Row> rows = List.of(
                new Row("kind=ise", 500, "ise", "java.lang.IllegalStateException"), // most specific type
                new Row("kind=iae", 500, "rt", "java.lang.IllegalArgumentException"), // superclass fallback
                new Row("kind=fnf", 500, "io", "java.io.FileNotFoundException"), // mapped by class name
                new Row("kind=wrapped-io", 500, "io", null), // ServletException root cause unwrapped
                new Row("kind=wrapped-ise", 500, "ise", null),
                new Row("kind=error", 500, "error", "java.lang.AssertionError"), // an Error, not an Exception
                new Row("kind=send404", 404, "404", "null"),
                new Row("kind=send401", 401, "401", "null"));
        try (Deployed d = Deployed.start(pagesApp())) {
            List<Executable> checks = new ArrayList<>();
            for (Row row : rows) {
                Deployed.Resp r = d.get("/ctx/throw?" + row.query());
                Map<String, String> seen = parse(r.body());
                checks.add(() -> assertEquals(row.status(), r.status(), row.query()));
                checks.add(() -> assertEquals(row.page(), seen.get("page"), row.query() + ": " + r.body()));
                if (row.exceptionType() != null) {
                    checks.add(() -> assertEquals(row.exceptionType(), seen.get("exception_type"), row.query()));
                }
                checks.add(() -> assertEquals(row.status() + ":Integer", seen.get("status_code"), row.query()));
            }
            assertAll(checks);
        }
    }

    @Test
    void anExceptionWithoutAPageGetsTheContainersPage() throws Exception {
        try (Deployed d = Deployed.start(pagesApp())) {
            Deployed.Resp r = d.get("/ctx/throw?kind=servlet");
            assertEquals(500, r.status());
            assertFalse(r.body().contains("page="), r.body());
            assertTrue(r.body().contains("500"), r.body());
            assertFalse(r.body().contains("plain servlet exception"), r.body());
        }
    }

    @Test
    void theDefaultErrorPageCoversWhatNoOtherPageDoes() throws Exception {
        WebApp app = new WebApp("/ctx");
        app.addServlet("thrower", new Thrower()).addMapping("/throw");
        app.addServlet("page-default", new ShowError("default")).addMapping("/e/default");
        app.addServlet("page-404", new ShowError("404")).addMapping("/e/404");
        app.addServlet("page-ise", new ShowError("ise")).addMapping("/e/ise");
        app.setDefaultErrorPage("/e/default");
        app.addErrorPage(404, "/e/404");
        app.addErrorPage(IllegalStateException.class, "/e/ise");
        record Row(String path, int status, String page, String servletName) {}
        List<Row> rows = List.of(
                new Row("/ctx/throw?kind=send403", 403, "default", "thrower"),
                new Row("/ctx/throw?kind=send404", 404, "404", "thrower"),
                new Row("/ctx/throw?kind=ise", 500, "ise", "thrower"),
                new Row("/ctx/throw?kind=iae", 500, "default", "thrower"),
                new Row("/ctx/throw?kind=servlet", 500, "default", "thrower"),
                new Row("/ctx/no/such/file.txt", 404, "404", "default"));
        try (Deployed d = Deployed.start(app)) {
            List<Executable> checks = new ArrayList<>();
            for (Row row : rows) {
                Deployed.Resp r = d.get(row.path());
                Map<String, String> seen = parse(r.body());
                checks.add(() -> assertEquals(row.status(), r.status(), row.path()));
                checks.add(() -> assertEquals(row.page(), seen.get("page"), row.path() + ": " + r.body()));
                checks.add(() -> assertEquals(row.servletName(), seen.get("servlet_name"), row.path()));
                checks.add(() -> assertEquals("ERROR", seen.get("type"), row.path()));
            }
            assertAll(checks);
        }
    }

    @Test
    void setStatusAloneDoesNotTriggerAnErrorPage() throws Exception {
        WebApp app = pagesApp();
        app.addServlet("status", new Fn((req, res) -> {
            res.setStatus(404);
            res.getWriter().print("custom");
        })).addMapping("/status");
        try (Deployed d = Deployed.start(app)) {
            Deployed.Resp r = d.get("/ctx/status");
            assertEquals(404, r.status());
            assertEquals("custom", r.body());
        }
    }

    // ---- What the error page sees ----

    @Test
    void theErrorPageSeesTheErrorAttributesOfAnException() throws Exception {
        try (Deployed d = Deployed.start(pagesApp())) {
            Deployed.Resp r = d.post("/ctx/throw?kind=ise&a=1", "application/x-www-form-urlencoded", "b=2");
            assertEquals(500, r.status());
            assertShows(parse(r.body()),
                    "page", "ise",
                    "status_code", "500:Integer",
                    "exception_type", "java.lang.IllegalStateException",
                    "message", "ise message",
                    "exception", "java.lang.IllegalStateException:ise message",
                    "request_uri", "/ctx/throw",
                    "servlet_name", "thrower",
                    "query_string", "kind=ise&a=1",
                    "method", "POST",
                    "type", "ERROR",
                    "getMethod", "GET",
                    "uri", "/ctx/e/ise",
                    "mapping", "page-ise");
        }
    }

    @Test
    void theErrorPageSeesTheErrorAttributesOfSendError() throws Exception {
        try (Deployed d = Deployed.start(pagesApp())) {
            Deployed.Resp r = d.send(new org.apache.hc.client5.http.classic.methods.HttpDelete(
                    d.url("/ctx/throw?kind=send404")));
            assertEquals(404, r.status());
            assertShows(parse(r.body()),
                    "page", "404",
                    "status_code", "404:Integer",
                    "exception_type", "null",
                    "message", "gone",
                    "exception", "null",
                    "request_uri", "/ctx/throw",
                    "servlet_name", "thrower",
                    "query_string", "kind=send404",
                    "method", "DELETE",
                    "type", "ERROR",
                    "getMethod", "GET");
        }
    }

    @Test
    void sendErrorInAForwardTargetReachesTheErrorPage() throws Exception {
        try (Deployed d = Deployed.start(pagesApp())) {
            Deployed.Resp sent = d.get("/ctx/fwd?to=send404");
            assertEquals(404, sent.status());
            assertShows(parse(sent.body()), "page", "404", "status_code", "404:Integer", "message", "gone",
                    "request_uri", "/ctx/fwd", "query_string", "to=send404", "type", "ERROR");

            Deployed.Resp thrown = d.get("/ctx/fwd?to=ise");
            assertEquals(500, thrown.status());
            assertShows(parse(thrown.body()), "page", "ise", "exception_type", "java.lang.IllegalStateException",
                    "request_uri", "/ctx/fwd", "type", "ERROR");
        }
    }

    @Test
    void sendErrorKeepsCookiesIgnoresLaterOutputAndCannotFollowACommit() throws Exception {
        List<String> outcomes = new CopyOnWriteArrayList<>();
        WebApp app = pagesApp();
        app.addServlet("cookie", new Fn((req, res) -> {
            res.addCookie(new Cookie("kept", "1"));
            res.getWriter().print("discarded");
            res.sendError(404);
            outcomes.add("committed=" + res.isCommitted());
            res.getWriter().print("ignored");
        })).addMapping("/cookie");
        app.addServlet("late", new Fn((req, res) -> {
            res.getWriter().print("sent");
            res.flushBuffer();
            try {
                res.sendError(404);
                outcomes.add("no exception");
            } catch (IllegalStateException e) {
                outcomes.add("IllegalStateException");
            }
        })).addMapping("/late");
        try (Deployed d = Deployed.start(app)) {
            Deployed.Resp r = d.get("/ctx/cookie");
            assertEquals(404, r.status());
            assertEquals("404", parse(r.body()).get("page"));
            assertFalse(r.body().contains("discarded"), r.body());
            assertFalse(r.body().contains("ignored"), r.body());
            assertTrue(r.header("Set-Cookie") != null && r.header("Set-Cookie").startsWith("kept=1"),
                    String.valueOf(r.header("Set-Cookie")));

            Deployed.Resp late = d.get("/ctx/late");
            assertEquals(200, late.status());
            assertEquals("sent", late.body());
            assertEquals(List.of("committed=true", "IllegalStateException"), outcomes);
        }
    }

    @Test
    void theErrorPageMayUseTheOtherOutputAndSeesItsLocationsQuery() throws Exception {
        WebApp app = new WebApp("/ctx");
        app.addServlet("writer", new Fn((req, res) -> {
            res.getWriter().print("written with the writer");
            throw new IllegalStateException("after the writer");
        })).addMapping("/writer");
        app.addServlet("stream", new Fn((req, res) -> {
            res.getOutputStream().print("written with the stream");
            res.sendError(404);
        })).addMapping("/stream");
        app.addServlet("page-stream", new Fn((req, res) -> res.getOutputStream().print(
                "stream page from=" + req.getParameter("from")))).addMapping("/e/stream");
        app.addServlet("page-writer", new Fn((req, res) -> res.getWriter().print(
                "writer page from=" + req.getParameter("from")))).addMapping("/e/writer");
        app.addErrorPage(IllegalStateException.class, "/e/stream?from=exception");
        app.addErrorPage(404, "/e/writer?from=404");
        try (Deployed d = Deployed.start(app)) {
            Deployed.Resp a = d.get("/ctx/writer");
            assertEquals(500, a.status());
            assertEquals("stream page from=exception", a.body());
            Deployed.Resp b = d.get("/ctx/stream");
            assertEquals(404, b.status());
            assertEquals("writer page from=404", b.body());
        }
    }

    // ---- The ERROR dispatch and filters ----

    @Test
    void errorFiltersRunOnlyOnTheErrorDispatch() throws Exception {
        List<String> log = new CopyOnWriteArrayList<>();
        WebApp app = pagesApp();
        app.addFilter("all", new LogFilter("all", log)).addMappingForUrlPatterns(null, false, "/*");
        app.addFilter("errorOnly", new LogFilter("errorOnly", log))
                .addMappingForUrlPatterns(EnumSet.of(DispatcherType.ERROR), false, "/e/*");
        app.addFilter("requestOnly", new LogFilter("requestOnly", log))
                .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, "/e/*");
        app.addFilter("errorByName", new LogFilter("errorByName", log))
                .addMappingForServletNames(EnumSet.of(DispatcherType.ERROR), false, "page-ise");
        try (Deployed d = Deployed.start(app)) {
            assertEquals(500, d.get("/ctx/throw?kind=ise").status());
            assertEquals(List.of("all:REQUEST", "errorOnly:ERROR", "errorByName:ERROR"), List.copyOf(log));
            log.clear();
            d.get("/ctx/e/ise");
            assertEquals(List.of("all:REQUEST", "requestOnly:REQUEST"), List.copyOf(log));
        }
    }

    static final class LogFilter implements Filter {
        private final String name;
        private final List<String> log;

        LogFilter(String name, List<String> log) {
            this.name = name;
            this.log = log;
        }

        @Override
        public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
                throws IOException, ServletException {
            log.add(name + ":" + req.getDispatcherType());
            chain.doFilter(req, res);
        }
    }

    @Test
    void errorsRaisedByFiltersReachTheErrorPages() throws Exception {
        WebApp app = pagesApp();
        app.addServlet("guarded", new Fn((req, res) -> res.getWriter().print("guarded"))).addMapping("/guarded/*");
        app.addFilter("guard", new Filter() {
            @Override
            public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
                    throws IOException, ServletException {
                if (req.getDispatcherType() != DispatcherType.REQUEST) {
                    chain.doFilter(req, res);
                } else if (req.getParameter("throw") != null) {
                    throw new ServletException(new IllegalStateException("from filter"));
                } else if (req.getParameter("deny") != null) {
                    ((HttpServletResponse) res).sendError(401, "who are you");
                } else {
                    chain.doFilter(req, res);
                }
            }
        }).addMappingForUrlPatterns(null, false, "/guarded/*");
        try (Deployed d = Deployed.start(app)) {
            Deployed.Resp thrown = d.get("/ctx/guarded/x?throw=1");
            assertEquals(500, thrown.status());
            assertShows(parse(thrown.body()), "page", "ise", "request_uri", "/ctx/guarded/x",
                    "servlet_name", "guarded", "type", "ERROR");

            Deployed.Resp denied = d.get("/ctx/guarded/x?deny=1");
            assertEquals(401, denied.status());
            assertShows(parse(denied.body()), "page", "401", "status_code", "401:Integer", "message", "who are you");

            assertEquals("guarded", d.get("/ctx/guarded/x").body());
        }
    }

    // ---- The container's own page ----

    @Test
    void anErrorPageThatFailsGivesTheContainersPage() throws Exception {
        WebApp app = new WebApp("/ctx");
        app.addServlet("thrower", new Thrower()).addMapping("/throw");
        app.addServlet("broken", new Fn((req, res) -> {
            res.getWriter().print("half an error page");
            throw new IllegalStateException("the error page broke: secret-2");
        })).addMapping("/e/broken");
        app.addErrorPage(500, "/e/broken");
        app.addErrorPage(404, "/e/broken");
        try (Deployed d = Deployed.start(app)) {
            record Row(String query, int status) {}
            for (Row row : List.of(new Row("kind=ise", 500), new Row("kind=send404", 404))) {
                Deployed.Resp r = d.get("/ctx/throw?" + row.query());
                assertAll(row.query(),
                        () -> assertEquals(row.status(), r.status()),
                        () -> assertEquals("text/html;charset=utf-8", r.header("Content-Type")),
                        () -> assertTrue(r.body().contains(Integer.toString(row.status())), r.body()),
                        () -> assertFalse(r.body().contains("half an error page"), r.body()),
                        () -> assertFalse(r.body().contains("secret"), r.body()),
                        () -> assertFalse(r.body().contains("ise message"), r.body()));
            }
        }
    }

    @Test
    void theContainersPageHasACharsetAndNoExceptionDetails() throws Exception {
        WebApp app = new WebApp("/ctx");
        app.addServlet("boom", new Fn((req, res) -> {
            res.setContentType("application/json");
            res.setHeader("X-Before", "kept");
            throw new RuntimeException("secret-detail <script>alert(1)</script>");
        })).addMapping("/boom");
        app.addServlet("send", new Fn((req, res) -> res.sendError(409, "<script>alert(1)</script> & more")))
                .addMapping("/send");
        try (Deployed d = Deployed.start(app)) {
            Deployed.Resp r = d.get("/ctx/boom");
            assertAll(
                    () -> assertEquals(500, r.status()),
                    () -> assertEquals("text/html;charset=utf-8", r.header("Content-Type")),
                    () -> assertTrue(r.body().contains("500"), r.body()),
                    () -> assertFalse(r.body().contains("secret-detail"), r.body()),
                    () -> assertFalse(r.body().contains("RuntimeException"), r.body()),
                    () -> assertFalse(r.body().contains("at dev.weft"), r.body()),
                    () -> assertFalse(r.body().contains("<script>"), r.body()));

            Deployed.Resp sent = d.get("/ctx/send");
            assertAll(
                    () -> assertEquals(409, sent.status()),
                    () -> assertEquals("text/html;charset=utf-8", sent.header("Content-Type")),
                    () -> assertFalse(sent.body().contains("<script>"), sent.body()),
                    () -> assertTrue(sent.body().contains("&lt;script&gt;"), "the message is escaped: " + sent.body()));

            Deployed.Resp missing = d.get("/ctx/no-such-thing");
            assertEquals(404, missing.status());
            assertEquals("text/html;charset=utf-8", missing.header("Content-Type"));
        }
    }

    @Test
    void anExceptionAfterCommitAbortsTheConnection() throws Exception {
        WebApp app = new WebApp("/ctx");
        app.addServlet("commit", new Fn((req, res) -> {
            res.setContentType("text/plain");
            res.getWriter().print("partial-body");
            res.flushBuffer();
            throw new IllegalStateException("too late");
        })).addMapping("/commit");
        app.addErrorPage(500, "/e/500");
        app.addServlet("page", new ShowError("500")).addMapping("/e/500");
        try (Deployed d = Deployed.start(app); Socket s = new Socket("127.0.0.1", d.port)) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write("GET /ctx/commit HTTP/1.1\r\nHost: test\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            byte[] buf = new byte[4096];
            for (int n; (n = in.read(buf)) >= 0; ) { // ends: the server closes the connection
                got.write(buf, 0, n);
            }
            String raw = got.toString(StandardCharsets.ISO_8859_1);
            assertTrue(raw.startsWith("HTTP/1.1 200"), raw);
            assertTrue(raw.contains("partial-body"), raw);
            assertFalse(raw.contains("page=500"), raw);
            assertTrue(raw.toLowerCase().contains("transfer-encoding: chunked"), raw);
            assertFalse(raw.endsWith("0\r\n\r\n"), "the chunked body must not be completed: " + raw);
            // The server carries on.
            assertEquals(200, d.get("/ctx/e/500").status());
        }
    }

    // ---- Unavailable servlets ----

    /** Throws UnavailableException from service() (or init()) as its init parameters say. */
    static final class Unavailable extends HttpServlet {
        static final Map<String, AtomicInteger> SERVICED = new java.util.concurrent.ConcurrentHashMap<>();
        static final List<String> DESTROYED = new CopyOnWriteArrayList<>();

        @Override
        public void init(ServletConfig config) throws ServletException {
            super.init(config);
            if ("init".equals(config.getInitParameter("when"))) {
                throw unavailable(config);
            }
        }

        private static UnavailableException unavailable(ServletConfig config) {
            String seconds = config.getInitParameter("seconds");
            return seconds == null ? new UnavailableException("gone for good")
                    : new UnavailableException("busy", Integer.parseInt(seconds));
        }

        @Override
        protected void service(HttpServletRequest req, HttpServletResponse resp) throws ServletException {
            SERVICED.computeIfAbsent(getServletName(), k -> new AtomicInteger()).incrementAndGet();
            throw unavailable(getServletConfig());
        }

        @Override
        public void destroy() {
            DESTROYED.add(getServletName());
        }
    }

    @Test
    void unavailableServletsAnswer404WhenPermanentAnd503WithRetryAfterWhenTemporary() throws Exception {
        Unavailable.SERVICED.clear();
        Unavailable.DESTROYED.clear();
        WebApp app = new WebApp("/ctx");
        app.addServlet("perm", Unavailable.class).addMapping("/perm");
        var temp = app.addServlet("temp", Unavailable.class);
        temp.addMapping("/temp");
        temp.setInitParameter("seconds", "30");
        var initPerm = app.addServlet("initPerm", Unavailable.class);
        initPerm.addMapping("/initPerm");
        initPerm.setInitParameter("when", "init");
        var initTemp = app.addServlet("initTemp", Unavailable.class);
        initTemp.addMapping("/initTemp");
        initTemp.setInitParameter("when", "init");
        initTemp.setInitParameter("seconds", "20");
        try (Deployed d = Deployed.start(app)) {
            Deployed.Resp perm = d.get("/ctx/perm");
            assertEquals(404, perm.status());
            assertNull(perm.header("Retry-After"));
            assertEquals(List.of("perm"), Unavailable.DESTROYED, "a permanently unavailable servlet is destroyed");
            assertEquals(404, d.get("/ctx/perm").status());
            assertEquals(1, Unavailable.SERVICED.get("perm").get(), "and gets no more requests");

            // The JDK client: Apache's would honour Retry-After and send the request again.
            var temp1 = d.jdk("/ctx/temp");
            assertEquals(503, temp1.statusCode());
            assertEquals("30", temp1.headers().firstValue("Retry-After").orElse(null));
            var temp2 = d.jdk("/ctx/temp");
            assertEquals(503, temp2.statusCode());
            int retry = Integer.parseInt(temp2.headers().firstValue("Retry-After").orElseThrow());
            assertTrue(retry >= 1 && retry <= 30, "Retry-After " + retry);
            assertEquals(1, Unavailable.SERVICED.get("temp").get(), "no request reaches it while unavailable");

            assertEquals(404, d.get("/ctx/initPerm").status());
            var initTemp1 = d.jdk("/ctx/initTemp");
            assertEquals(503, initTemp1.statusCode());
            assertTrue(initTemp1.headers().firstValue("Retry-After").isPresent());
            assertNull(Unavailable.SERVICED.get("initPerm"));
            assertNull(Unavailable.SERVICED.get("initTemp"));
            assertEquals(List.of("perm"), Unavailable.DESTROYED, "a servlet whose init failed is not destroyed");
        }
    }

    @Test
    void unavailableStatusesUseTheirErrorPages() throws Exception {
        WebApp app = new WebApp("/ctx");
        app.addServlet("perm", Unavailable.class).addMapping("/perm");
        app.addServlet("temp", Unavailable.class).addMapping("/temp");
        app.getServletRegistration("temp").setInitParameter("seconds", "7");
        app.addServlet("page-404", new ShowError("404")).addMapping("/e/404");
        app.addServlet("page-503", new ShowError("503")).addMapping("/e/503");
        app.addErrorPage(404, "/e/404");
        app.addErrorPage(503, "/e/503");
        try (Deployed d = Deployed.start(app)) {
            Deployed.Resp perm = d.get("/ctx/perm");
            assertEquals(404, perm.status());
            assertShows(parse(perm.body()), "page", "404", "status_code", "404:Integer", "servlet_name", "perm");
            var temp = d.jdk("/ctx/temp");
            assertEquals(503, temp.statusCode());
            assertEquals("7", temp.headers().firstValue("Retry-After").orElse(null));
            assertShows(parse(temp.body()), "page", "503", "status_code", "503:Integer", "servlet_name", "temp");
        }
    }
}
