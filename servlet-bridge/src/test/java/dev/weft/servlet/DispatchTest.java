package dev.weft.servlet;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletMapping;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Servlet 6.1 chapter 9, dispatching requests: forward and include by path and by name, what the
 * target sees, what the caller sees afterwards, and what happens to the response.
 */
class DispatchTest {

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

    private static final String[] DISPATCH_ATTRIBUTES = {
        RequestDispatcher.FORWARD_REQUEST_URI, RequestDispatcher.FORWARD_CONTEXT_PATH,
        RequestDispatcher.FORWARD_SERVLET_PATH, RequestDispatcher.FORWARD_PATH_INFO,
        RequestDispatcher.FORWARD_QUERY_STRING, RequestDispatcher.FORWARD_MAPPING,
        RequestDispatcher.INCLUDE_REQUEST_URI, RequestDispatcher.INCLUDE_CONTEXT_PATH,
        RequestDispatcher.INCLUDE_SERVLET_PATH, RequestDispatcher.INCLUDE_PATH_INFO,
        RequestDispatcher.INCLUDE_QUERY_STRING, RequestDispatcher.INCLUDE_MAPPING,
    };

    static String mapping(HttpServletMapping m) {
        return m == null ? "null" : m.getServletName() + ":" + m.getMappingMatch() + ":" + m.getMatchValue() + ":"
                + m.getPattern();
    }

    /**
     * What a servlet sees of the request, a "key=value" line each: the dispatcher type, the
     * paths, the mapping, the dispatch attributes that are set (named without the
     * "jakarta.servlet." prefix) and the parameters.
     */
    static String describe(HttpServletRequest req) {
        StringBuilder sb = new StringBuilder();
        sb.append("type=").append(req.getDispatcherType()).append('\n');
        sb.append("uri=").append(req.getRequestURI()).append('\n');
        sb.append("context=").append(req.getContextPath()).append('\n');
        sb.append("servletPath=").append(req.getServletPath()).append('\n');
        sb.append("pathInfo=").append(req.getPathInfo()).append('\n');
        sb.append("query=").append(req.getQueryString()).append('\n');
        sb.append("mapping=").append(mapping(req.getHttpServletMapping())).append('\n');
        for (String a : DISPATCH_ATTRIBUTES) {
            Object v = req.getAttribute(a);
            if (v != null) {
                sb.append(a.substring("jakarta.servlet.".length())).append('=')
                        .append(v instanceof HttpServletMapping m ? mapping(m) : v).append('\n');
            }
        }
        List<String> names = Collections.list(req.getParameterNames());
        for (String n : names) {
            sb.append("param.").append(n).append('=').append(Arrays.toString(req.getParameterValues(n))).append('\n');
        }
        return sb.toString();
    }

    /** The lines of {@link #describe}, as a map. */
    static Map<String, String> parse(String described) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : described.split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            int eq = line.indexOf('=');
            m.put(line.substring(0, eq), line.substring(eq + 1));
        }
        return m;
    }

    /** Asserts that {@code seen} holds exactly {@code expected}: every key, and no other key. */
    static void assertSees(Map<String, String> expected, Map<String, String> seen) {
        List<Executable> checks = new ArrayList<>();
        for (Map.Entry<String, String> e : expected.entrySet()) {
            checks.add(() -> assertEquals(e.getValue(), seen.get(e.getKey()), e.getKey() + " in " + seen));
        }
        for (String k : seen.keySet()) {
            checks.add(() -> assertTrue(expected.containsKey(k), "unexpected " + k + "=" + seen.get(k)));
        }
        assertAll(checks);
    }

    /** Builds an expected description: alternating keys and values. */
    static Map<String, String> sees(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    /** Answers with what it sees. */
    static final class Describe extends HttpServlet {
        @Override
        protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            resp.setContentType("text/plain");
            resp.getWriter().print(describe(req));
        }
    }

    /** Overrides the "who" parameter and adds "extra", as an application wrapper does. */
    static final class ParamWrapper extends HttpServletRequestWrapper {
        ParamWrapper(HttpServletRequest req) {
            super(req);
        }

        @Override
        public String getParameter(String name) {
            return switch (name) {
                case "who" -> "wrapped";
                case "extra" -> "yes";
                default -> super.getParameter(name);
            };
        }
    }

    /** An application response wrapper that does nothing but be there. */
    static final class PlainResponseWrapper extends HttpServletResponseWrapper {
        PlainResponseWrapper(HttpServletResponse res) {
            super(res);
        }
    }

    /**
     * The application most tests use, at /ctx. Servlets at /fwd/*, /inc/*, /nfwd/*, /ninc/*
     * forward or include the path (or servlet name) in the X-To request header, and then record
     * what they see in {@code after}; /dir/src does the same with X-Op and a relative X-To.
     */
    static WebApp app(List<String> after) {
        WebApp app = new WebApp("/ctx");
        app.addServlet("target", new Describe()).addMapping("/target/*");
        app.addServlet("exact", new Describe()).addMapping("/dir/t");
        app.addServlet("fwd", new Fn((req, res) -> {
            if (req.getHeader("X-Before") != null) {
                res.getWriter().print("BEFORE");
            }
            res.setHeader("X-Before-Forward", "kept");
            req.getRequestDispatcher(req.getHeader("X-To")).forward(req, res);
            String sendError;
            try {
                res.sendError(500);
                sendError = "accepted";
            } catch (IllegalStateException e) {
                sendError = "IllegalStateException";
            }
            after.add(describe(req) + "committed=" + res.isCommitted() + "\nsendError=" + sendError + "\n");
            res.setHeader("X-After", "1");
            res.getWriter().print("AFTER");
        })).addMapping("/fwd/*");
        app.addServlet("inc", new Fn((req, res) -> {
            req.getRequestDispatcher(req.getHeader("X-To")).include(req, res);
            after.add(describe(req));
        })).addMapping("/inc/*");
        app.addServlet("nfwd", new Fn((req, res) -> {
            req.getServletContext().getNamedDispatcher(req.getHeader("X-To")).forward(req, res);
            after.add(describe(req));
        })).addMapping("/nfwd/*");
        app.addServlet("ninc", new Fn((req, res) -> {
            req.getServletContext().getNamedDispatcher(req.getHeader("X-To")).include(req, res);
            after.add(describe(req));
        })).addMapping("/ninc/*");
        app.addServlet("rel", new Fn((req, res) -> {
            RequestDispatcher rd = req.getRequestDispatcher(req.getHeader("X-To"));
            if ("include".equals(req.getHeader("X-Op"))) {
                rd.include(req, res);
            } else {
                rd.forward(req, res);
            }
        })).addMapping("/dir/src");
        app.addServlet("mid", new Fn((req, res) -> req.getRequestDispatcher("/target/second?m=1").forward(req, res)))
                .addMapping("/mid");
        return app;
    }

    static Map<String, String> get(Deployed d, String path, String... headers) throws IOException {
        Deployed.Resp r = d.get(path, g -> {
            for (int i = 0; i < headers.length; i += 2) {
                g.setHeader(headers[i], headers[i + 1]);
            }
        });
        assertEquals(200, r.status(), r.body());
        return parse(r.body());
    }

    // ---- Forward ----

    @Test
    void forwardByAbsolutePathShowsTheTargetsPathsAndTheOriginalsInAttributes() throws Exception {
        List<String> after = new CopyOnWriteArrayList<>();
        try (Deployed d = Deployed.start(app(after))) {
            Map<String, String> seen = get(d, "/ctx/fwd/a?x=1&y=orig", "X-To", "/target/p?y=2&s=a%20b");
            assertSees(sees(
                    "type", "FORWARD",
                    "uri", "/ctx/target/p",
                    "context", "/ctx",
                    "servletPath", "/target",
                    "pathInfo", "/p",
                    "query", "y=2&s=a%20b",
                    "mapping", "target:PATH:p:/target/*",
                    "forward.request_uri", "/ctx/fwd/a",
                    "forward.context_path", "/ctx",
                    "forward.servlet_path", "/fwd",
                    "forward.path_info", "/a",
                    "forward.query_string", "x=1&y=orig",
                    "forward.mapping", "fwd:PATH:a:/fwd/*",
                    "param.y", "[2, orig]",
                    "param.s", "[a b]",
                    "param.x", "[1]"), seen);

            // Back in the caller: its own paths and parameters, no forward attributes, and a
            // response that forward committed and closed.
            assertEquals(1, after.size());
            assertSees(sees(
                    "type", "REQUEST",
                    "uri", "/ctx/fwd/a",
                    "context", "/ctx",
                    "servletPath", "/fwd",
                    "pathInfo", "/a",
                    "query", "x=1&y=orig",
                    "mapping", "fwd:PATH:a:/fwd/*",
                    "param.x", "[1]",
                    "param.y", "[orig]",
                    "committed", "true",
                    "sendError", "IllegalStateException"), parse(after.get(0)));
        }
    }

    @Test
    void forwardByRelativePath() throws Exception {
        // A dispatch path without a query leaves getQueryString() as it was (as Tomcat and Jetty do).
        record Row(String to, Map<String, String> expected) {}
        List<Row> rows = List.of(
                new Row("t", sees(
                        "type", "FORWARD", "uri", "/ctx/dir/t", "context", "/ctx", "servletPath", "/dir/t",
                        "pathInfo", "null", "query", "k=v", "mapping", "exact:EXACT:dir/t:/dir/t",
                        "forward.request_uri", "/ctx/dir/src", "forward.context_path", "/ctx",
                        "forward.servlet_path", "/dir/src", "forward.query_string", "k=v",
                        "forward.mapping", "rel:EXACT:dir/src:/dir/src", "param.k", "[v]")),
                new Row("./t?z=1", sees(
                        "type", "FORWARD", "uri", "/ctx/dir/t", "context", "/ctx", "servletPath", "/dir/t",
                        "pathInfo", "null", "query", "z=1", "mapping", "exact:EXACT:dir/t:/dir/t",
                        "forward.request_uri", "/ctx/dir/src", "forward.context_path", "/ctx",
                        "forward.servlet_path", "/dir/src", "forward.query_string", "k=v",
                        "forward.mapping", "rel:EXACT:dir/src:/dir/src", "param.z", "[1]", "param.k", "[v]")),
                new Row("../target/q/r", sees(
                        "type", "FORWARD", "uri", "/ctx/target/q/r", "context", "/ctx", "servletPath", "/target",
                        "pathInfo", "/q/r", "query", "k=v", "mapping", "target:PATH:q/r:/target/*",
                        "forward.request_uri", "/ctx/dir/src", "forward.context_path", "/ctx",
                        "forward.servlet_path", "/dir/src", "forward.query_string", "k=v",
                        "forward.mapping", "rel:EXACT:dir/src:/dir/src", "param.k", "[v]")));
        try (Deployed d = Deployed.start(app(new ArrayList<>()))) {
            List<Executable> checks = new ArrayList<>();
            for (Row row : rows) {
                Map<String, String> seen = get(d, "/ctx/dir/src?k=v", "X-To", row.to());
                checks.add(() -> assertSees(row.expected(), seen));
            }
            assertAll(checks);
        }
    }

    @Test
    void forwardForwardedAgainKeepsTheOriginalRequestInTheAttributes() throws Exception {
        try (Deployed d = Deployed.start(app(new ArrayList<>()))) {
            Map<String, String> seen = get(d, "/ctx/fwd/a?x=1", "X-To", "/mid?n=1");
            assertSees(sees(
                    "type", "FORWARD",
                    "uri", "/ctx/target/second",
                    "context", "/ctx",
                    "servletPath", "/target",
                    "pathInfo", "/second",
                    "query", "m=1",
                    "mapping", "target:PATH:second:/target/*",
                    "forward.request_uri", "/ctx/fwd/a",
                    "forward.context_path", "/ctx",
                    "forward.servlet_path", "/fwd",
                    "forward.path_info", "/a",
                    "forward.query_string", "x=1",
                    "forward.mapping", "fwd:PATH:a:/fwd/*",
                    "param.m", "[1]",
                    "param.n", "[1]",
                    "param.x", "[1]"), seen);
        }
    }

    @Test
    void namedForwardKeepsThePathsAndSetsNoForwardAttributes() throws Exception {
        List<String> after = new CopyOnWriteArrayList<>();
        try (Deployed d = Deployed.start(app(after))) {
            Map<String, String> seen = get(d, "/ctx/nfwd/a?x=1", "X-To", "target");
            assertSees(sees(
                    "type", "FORWARD",
                    "uri", "/ctx/nfwd/a",
                    "context", "/ctx",
                    "servletPath", "/nfwd",
                    "pathInfo", "/a",
                    "query", "x=1",
                    // getHttpServletMapping: a named forward leaves the mapping as it was.
                    "mapping", "nfwd:PATH:a:/nfwd/*",
                    "param.x", "[1]"), seen);
            assertEquals("REQUEST", parse(after.get(0)).get("type"));
        }
    }

    @Test
    void forwardClearsTheBufferAndCommitsAndClosesTheResponse() throws Exception {
        List<String> after = new CopyOnWriteArrayList<>();
        try (Deployed d = Deployed.start(app(after))) {
            Deployed.Resp r = d.get("/ctx/fwd/a", g -> {
                g.setHeader("X-To", "/target/p");
                g.setHeader("X-Before", "1");
            });
            assertEquals(200, r.status());
            assertTrue(r.body().startsWith("type=FORWARD\n"), r.body());
            assertFalse(r.body().contains("BEFORE"), "output buffered before forward is cleared: " + r.body());
            assertFalse(r.body().contains("AFTER"), "output after forward is ignored: " + r.body());
            assertNull(r.header("X-After"), "headers after forward are ignored");
            assertEquals("kept", r.header("X-Before-Forward"), "forward clears the buffer, not the headers");
            assertEquals("true", parse(after.get(0)).get("committed"));
        }
    }

    @Test
    void forwardToAnEncodedPathDecodesThePathsButNotTheUri() throws Exception {
        try (Deployed d = Deployed.start(app(new ArrayList<>()))) {
            Map<String, String> seen = get(d, "/ctx/fwd/a", "X-To", "/target/a%20b/c%2Bd");
            assertAll(
                    () -> assertEquals("/ctx/target/a%20b/c%2Bd", seen.get("uri")),
                    () -> assertEquals("/target", seen.get("servletPath")),
                    () -> assertEquals("/a b/c+d", seen.get("pathInfo")),
                    () -> assertEquals("target:PATH:a b/c+d:/target/*", seen.get("mapping")));
        }
    }

    @Test
    void aFilterMayForwardInsteadOfPassingTheRequestOn() throws Exception {
        List<String> log = new CopyOnWriteArrayList<>();
        WebApp app = new WebApp("/ctx");
        app.addServlet("old", new Fn((req, res) -> log.add("old servlet"))).addMapping("/old/*");
        app.addServlet("target", new Describe()).addMapping("/target/*");
        app.addFilter("moved", new jakarta.servlet.Filter() {
            @Override
            public void doFilter(jakarta.servlet.ServletRequest req, jakarta.servlet.ServletResponse res,
                    jakarta.servlet.FilterChain chain) throws IOException, ServletException {
                log.add("moved " + req.getDispatcherType());
                req.getRequestDispatcher("/target" + ((HttpServletRequest) req).getPathInfo()).forward(req, res);
            }
        }).addMappingForUrlPatterns(null, false, "/old/*");
        app.addFilter("next", new jakarta.servlet.Filter() {
            @Override
            public void doFilter(jakarta.servlet.ServletRequest req, jakarta.servlet.ServletResponse res,
                    jakarta.servlet.FilterChain chain) throws IOException, ServletException {
                log.add("next " + req.getDispatcherType());
                chain.doFilter(req, res);
            }
        }).addMappingForUrlPatterns(null, false, "/*");
        try (Deployed d = Deployed.start(app)) {
            Map<String, String> seen = get(d, "/ctx/old/page");
            assertEquals("/ctx/target/page", seen.get("uri"));
            assertEquals("/ctx/old/page", seen.get("forward.request_uri"));
            assertEquals(List.of("moved REQUEST"), log, "the rest of the chain does not run");
        }
    }

    @Test
    void forwardAfterTheResponseWasCommittedThrowsIllegalStateException() throws Exception {
        WebApp app = new WebApp("/ctx");
        app.addServlet("target", new Fn((req, res) -> res.getWriter().print("target"))).addMapping("/target");
        app.addServlet("late", new Fn((req, res) -> {
            res.getWriter().print("partial");
            res.flushBuffer();
            try {
                req.getRequestDispatcher("/target").forward(req, res);
                res.getWriter().print(" forwarded");
            } catch (IllegalStateException e) {
                res.getWriter().print(" IllegalStateException");
            }
        })).addMapping("/late");
        try (Deployed d = Deployed.start(app)) {
            Deployed.Resp r = d.get("/ctx/late");
            assertEquals(200, r.status());
            assertEquals("partial IllegalStateException", r.body());
        }
    }

    @Test
    void exceptionsOfTheTargetReachTheCaller() throws Exception {
        List<String> outcomes = new CopyOnWriteArrayList<>();
        WebApp app = new WebApp("/ctx");
        app.addServlet("boom", new Fn((req, res) -> {
            throw new IOException("boom " + req.getDispatcherType());
        })).addMapping("/boom");
        app.addServlet("caller", new Fn((req, res) -> {
            try {
                if (req.getParameter("include") != null) {
                    req.getRequestDispatcher("/boom").include(req, res);
                } else {
                    req.getRequestDispatcher("/boom").forward(req, res);
                }
                outcomes.add("no exception");
            } catch (IOException e) {
                outcomes.add("caught " + e.getMessage() + " then " + req.getDispatcherType() + " "
                        + req.getServletPath());
            }
        })).addMapping("/caller");
        try (Deployed d = Deployed.start(app)) {
            assertEquals(200, d.get("/ctx/caller?include=1").status());
            d.get("/ctx/caller");
            assertEquals(List.of("caught boom INCLUDE then REQUEST /caller", "caught boom FORWARD then REQUEST /caller"),
                    outcomes);
        }
    }

    // ---- Include ----

    @Test
    void includeByPathKeepsThePathsAndShowsTheTargetsInAttributes() throws Exception {
        List<String> after = new CopyOnWriteArrayList<>();
        try (Deployed d = Deployed.start(app(after))) {
            Map<String, String> seen = get(d, "/ctx/inc/a?x=1&y=orig", "X-To", "/target/p?y=2");
            assertSees(sees(
                    "type", "INCLUDE",
                    "uri", "/ctx/inc/a",
                    "context", "/ctx",
                    "servletPath", "/inc",
                    "pathInfo", "/a",
                    "query", "x=1&y=orig",
                    // getHttpServletMapping: unchanged by an include.
                    "mapping", "inc:PATH:a:/inc/*",
                    "include.request_uri", "/ctx/target/p",
                    "include.context_path", "/ctx",
                    "include.servlet_path", "/target",
                    "include.path_info", "/p",
                    "include.query_string", "y=2",
                    "include.mapping", "target:PATH:p:/target/*",
                    "param.y", "[2, orig]",
                    "param.x", "[1]"), seen);
            assertSees(sees(
                    "type", "REQUEST",
                    "uri", "/ctx/inc/a",
                    "context", "/ctx",
                    "servletPath", "/inc",
                    "pathInfo", "/a",
                    "query", "x=1&y=orig",
                    "mapping", "inc:PATH:a:/inc/*",
                    "param.x", "[1]",
                    "param.y", "[orig]"), parse(after.get(0)));
        }
    }

    @Test
    void includeByRelativePath() throws Exception {
        try (Deployed d = Deployed.start(app(new ArrayList<>()))) {
            Map<String, String> seen = get(d, "/ctx/dir/src", "X-To", "t?z=1", "X-Op", "include");
            assertSees(sees(
                    "type", "INCLUDE",
                    "uri", "/ctx/dir/src",
                    "context", "/ctx",
                    "servletPath", "/dir/src",
                    "pathInfo", "null",
                    "query", "null",
                    "mapping", "rel:EXACT:dir/src:/dir/src",
                    "include.request_uri", "/ctx/dir/t",
                    "include.context_path", "/ctx",
                    "include.servlet_path", "/dir/t",
                    "include.query_string", "z=1",
                    "include.mapping", "exact:EXACT:dir/t:/dir/t",
                    "param.z", "[1]"), seen);
        }
    }

    @Test
    void namedIncludeSetsNoIncludeAttributes() throws Exception {
        List<String> after = new CopyOnWriteArrayList<>();
        try (Deployed d = Deployed.start(app(after))) {
            Map<String, String> seen = get(d, "/ctx/ninc/a?x=1", "X-To", "target");
            assertSees(sees(
                    "type", "INCLUDE",
                    "uri", "/ctx/ninc/a",
                    "context", "/ctx",
                    "servletPath", "/ninc",
                    "pathInfo", "/a",
                    "query", "x=1",
                    "mapping", "ninc:PATH:a:/ninc/*",
                    "param.x", "[1]"), seen);
            assertEquals("REQUEST", parse(after.get(0)).get("type"));
        }
    }

    @Test
    void nestedIncludesRestoreTheOuterIncludeAttributes() throws Exception {
        WebApp app = new WebApp("/ctx");
        app.addServlet("outer", new Fn((req, res) -> {
            res.setContentType("text/plain");
            req.getRequestDispatcher("/one/x?a=1").include(req, res);
            res.getWriter().print("outer " + req.getAttribute(RequestDispatcher.INCLUDE_REQUEST_URI)
                    + " a=" + req.getParameter("a") + " " + req.getDispatcherType());
        })).addMapping("/outer");
        app.addServlet("one", new Fn((req, res) -> {
            res.getWriter().print("one " + req.getAttribute(RequestDispatcher.INCLUDE_REQUEST_URI) + " "
                    + req.getAttribute(RequestDispatcher.INCLUDE_QUERY_STRING) + " "
                    + req.getAttribute(RequestDispatcher.INCLUDE_SERVLET_PATH) + " a=" + req.getParameter("a") + "\n");
            req.getRequestDispatcher("/two/y?b=2").include(req, res);
            res.getWriter().print("back " + req.getAttribute(RequestDispatcher.INCLUDE_REQUEST_URI) + " "
                    + req.getAttribute(RequestDispatcher.INCLUDE_QUERY_STRING) + " "
                    + req.getAttribute(RequestDispatcher.INCLUDE_SERVLET_PATH) + " "
                    + mapping((HttpServletMapping) req.getAttribute(RequestDispatcher.INCLUDE_MAPPING))
                    + " a=" + req.getParameter("a") + " b=" + req.getParameter("b") + "\n");
        })).addMapping("/one/*");
        app.addServlet("two", new Fn((req, res) -> res.getWriter().print("two "
                + req.getAttribute(RequestDispatcher.INCLUDE_REQUEST_URI) + " "
                + req.getAttribute(RequestDispatcher.INCLUDE_QUERY_STRING) + " "
                + req.getAttribute(RequestDispatcher.INCLUDE_SERVLET_PATH) + " "
                + req.getAttribute(RequestDispatcher.INCLUDE_PATH_INFO) + " "
                + mapping(req.getHttpServletMapping())
                + " a=" + req.getParameter("a") + " b=" + req.getParameter("b") + "\n"))).addMapping("/two/*");
        try (Deployed d = Deployed.start(app)) {
            assertEquals("one /ctx/one/x a=1 /one a=1\n"
                    + "two /ctx/two/y b=2 /two /y outer:EXACT:outer:/outer a=1 b=2\n"
                    + "back /ctx/one/x a=1 /one one:PATH:x:/one/* a=1 b=null\n"
                    + "outer null a=null REQUEST", d.get("/ctx/outer").body());
        }
    }

    @Test
    void anIncludedServletCannotChangeTheStatusOrHeadersButCanWrite() throws Exception {
        WebApp app = new WebApp("/ctx");
        app.addServlet("naughty", new Fn((req, res) -> {
            res.setStatus(404);
            res.setHeader("X-Inc", "1");
            res.addHeader("X-Inc-Added", "1");
            res.setIntHeader("X-Inc-Int", 1);
            res.addCookie(new Cookie("inc", "1"));
            res.setContentType("application/json");
            res.setCharacterEncoding("UTF-16");
            res.setContentLength(3);
            res.sendError(500);
            res.sendRedirect("/elsewhere");
            res.getWriter().print("inc|");
        })).addMapping("/naughty");
        app.addServlet("includer", new Fn((req, res) -> {
            res.setContentType("text/plain");
            res.setHeader("X-Outer", "1");
            res.getWriter().print("a|");
            req.getRequestDispatcher("/naughty").include(req, res);
            res.getWriter().print("b");
        })).addMapping("/includer");
        try (Deployed d = Deployed.start(app)) {
            Deployed.Resp r = d.get("/ctx/includer");
            assertAll(
                    () -> assertEquals(200, r.status()),
                    () -> assertEquals("a|inc|b", r.body()),
                    () -> assertEquals("1", r.header("X-Outer")),
                    () -> assertNull(r.header("X-Inc")),
                    () -> assertNull(r.header("X-Inc-Added")),
                    () -> assertNull(r.header("X-Inc-Int")),
                    () -> assertNull(r.header("Set-Cookie")),
                    () -> assertNull(r.header("Location")),
                    () -> assertEquals("text/plain;charset=ISO-8859-1", r.header("Content-Type")));
        }
    }

    @Test
    void includeAfterCommitIsAllowed() throws Exception {
        WebApp app = new WebApp("/ctx");
        app.addServlet("part", new Fn((req, res) -> res.getWriter().print("included"))).addMapping("/part");
        app.addServlet("page", new Fn((req, res) -> {
            res.getWriter().print("head ");
            res.flushBuffer();
            req.getRequestDispatcher("/part").include(req, res);
            res.getWriter().print(" tail");
        })).addMapping("/page");
        try (Deployed d = Deployed.start(app)) {
            assertEquals("head included tail", d.get("/ctx/page").body());
        }
    }

    // ---- Parameters ----

    static Deployed.Resp postForm(Deployed d, String path, String to, String form) throws IOException {
        var post = new org.apache.hc.client5.http.classic.methods.HttpPost(d.url(path));
        post.setHeader("X-To", to);
        post.setEntity(new org.apache.hc.core5.http.io.entity.StringEntity(form,
                org.apache.hc.core5.http.ContentType.APPLICATION_FORM_URLENCODED));
        return d.send(post);
    }

    @Test
    void dispatchQueryParametersComeBeforeTheRequestsOwn() throws Exception {
        try (Deployed d = Deployed.start(app(new CopyOnWriteArrayList<>()))) {
            for (String via : List.of("/ctx/fwd/a?f=url", "/ctx/inc/a?f=url")) {
                Map<String, String> seen = parse(postForm(d, via, "/target/p?f=dispatch&g=1", "f=body&h=2").body());
                assertAll(via,
                        () -> assertEquals("[dispatch, url, body]", seen.get("param.f")),
                        () -> assertEquals("[1]", seen.get("param.g")),
                        () -> assertEquals("[2]", seen.get("param.h")));
            }
        }
    }

    @Test
    void dispatchQueryParametersGoAgainAfterwards() throws Exception {
        List<String> after = new CopyOnWriteArrayList<>();
        try (Deployed d = Deployed.start(app(after))) {
            get(d, "/ctx/fwd/a?f=url&k=1", "X-To", "/target/p?f=dispatch&g=1");
            get(d, "/ctx/inc/a?f=url&k=1", "X-To", "/target/p?f=dispatch&g=1");
            for (String back : after) {
                Map<String, String> m = parse(back);
                assertAll(
                        () -> assertEquals("[url]", m.get("param.f")),
                        () -> assertEquals("[1]", m.get("param.k")),
                        () -> assertNull(m.get("param.g")));
            }
            assertEquals(2, after.size());
        }
    }

    @Test
    void formParametersSurviveADispatch() throws Exception {
        // §9.1.1: the dispatch's query parameters are scoped to the dispatch; when it returns the
        // request has its own parameters again, those of the body included.
        List<String> after = new CopyOnWriteArrayList<>();
        try (Deployed d = Deployed.start(app(after))) {
            postForm(d, "/ctx/fwd/a?f=url", "/target/p?f=dispatch&g=1", "f=body&h=2");
            postForm(d, "/ctx/inc/a?f=url", "/target/p?f=dispatch&g=1", "f=body&h=2");
            assertEquals(2, after.size());
            for (String back : after) {
                Map<String, String> m = parse(back);
                assertAll(
                        () -> assertEquals("[url, body]", m.get("param.f")),
                        () -> assertNull(m.get("param.g")),
                        () -> assertEquals("[2]", m.get("param.h")));
            }
        }
    }

    // ---- Wrappers ----

    @Test
    void theTargetReceivesTheApplicationsWrappers() throws Exception {
        WebApp app = new WebApp("/ctx");
        app.addServlet("target", new Fn((req, res) -> {
            res.setContentType("text/plain");
            res.getWriter().print(req.getDispatcherType()
                    + " sameRequest=" + (req == req.getAttribute("wrapper"))
                    + " sameResponse=" + (res == req.getAttribute("responseWrapper"))
                    + " who=" + req.getParameter("who")
                    + " extra=" + req.getParameter("extra")
                    + " plain=" + req.getParameter("plain")
                    + " servletPath=" + req.getServletPath()
                    + " requestUri=" + req.getRequestURI() + "\n");
        })).addMapping("/target");
        app.addServlet("wrap", new Fn((req, res) -> {
            ParamWrapper wreq = new ParamWrapper(req);
            PlainResponseWrapper wres = new PlainResponseWrapper(res);
            req.setAttribute("wrapper", wreq);
            req.setAttribute("responseWrapper", wres);
            RequestDispatcher rd = req.getParameter("named") != null
                    ? req.getServletContext().getNamedDispatcher("target")
                    : req.getRequestDispatcher("/target?plain=p");
            if (req.getParameter("include") != null) {
                rd.include(wreq, wres);
            } else {
                rd.forward(wreq, wres);
            }
        })).addMapping("/wrap");
        try (Deployed d = Deployed.start(app)) {
            assertEquals("FORWARD sameRequest=true sameResponse=true who=wrapped extra=yes plain=p "
                    + "servletPath=/target requestUri=/ctx/target\n", d.get("/ctx/wrap?who=me").body());
            assertEquals("INCLUDE sameRequest=true sameResponse=true who=wrapped extra=yes plain=p "
                    + "servletPath=/wrap requestUri=/ctx/wrap\n", d.get("/ctx/wrap?who=me&include=1").body());
            assertEquals("FORWARD sameRequest=true sameResponse=true who=wrapped extra=yes plain=null "
                    + "servletPath=/wrap requestUri=/ctx/wrap\n", d.get("/ctx/wrap?who=me&named=1").body());
        }
    }

    // ---- Dispatchers the context gives out ----

    @Test
    void namedDispatcherForAnUnknownServletIsNull() throws Exception {
        WebApp app = new WebApp("/ctx");
        app.addServlet("s", new Fn((req, res) -> res.getWriter().print(
                "unknown=" + req.getServletContext().getNamedDispatcher("nope")
                        + " self=" + (req.getServletContext().getNamedDispatcher("s") != null)
                        + " default=" + (req.getServletContext().getNamedDispatcher("default") != null)
                        + " outside=" + req.getRequestDispatcher("../../escape"))))
                .addMapping("/s");
        try (Deployed d = Deployed.start(app)) {
            assertEquals("unknown=null self=true default=true outside=null", d.get("/ctx/s").body());
        }
    }

    @Test
    void crossContextDispatchOnlyWhenEnabled() throws Exception {
        WebApp closed = new WebApp("/a");
        WebApp open = new WebApp("/open");
        open.setCrossContext(true);
        WebApp b = new WebApp("/b");
        b.addServlet("t", new Describe()).addMapping("/t");
        for (WebApp app : List.of(closed, open)) {
            app.addServlet("x", new Fn((req, res) -> {
                ServletContext self = req.getServletContext().getContext(req.getContextPath() + "/anything");
                ServletContext other = req.getServletContext().getContext("/b/t");
                if (other == null) {
                    res.getWriter().print("other=null self=" + (self == req.getServletContext()));
                    return;
                }
                other.getRequestDispatcher("/t?q=1").forward(req, res);
            })).addMapping("/x");
        }
        try (Deployed d = Deployed.start(closed, open, b)) {
            assertEquals("other=null self=true", d.get("/a/x").body());
            assertSees(sees(
                    "type", "FORWARD",
                    "uri", "/b/t",
                    "context", "/b",
                    "servletPath", "/t",
                    "pathInfo", "null",
                    "query", "q=1",
                    "mapping", "t:EXACT:t:/t",
                    "forward.request_uri", "/open/x",
                    "forward.context_path", "/open",
                    "forward.servlet_path", "/x",
                    "forward.query_string", "k=v",
                    "forward.mapping", "x:EXACT:x:/x",
                    "param.q", "[1]",
                    "param.k", "[v]"), parse(d.get("/open/x?k=v").body()));
        }
    }

    @Test
    void crossContextIncludeKeepsTheCallersContextPath() throws Exception {
        // RequestDispatcher.include: "The ServletRequest object has its path elements and
        // parameters remain unchanged from the caller's"; the target's context path is in
        // jakarta.servlet.include.context_path.
        WebApp open = new WebApp("/open");
        open.setCrossContext(true);
        open.addServlet("x", new Fn((req, res) -> req.getServletContext().getContext("/b/t")
                .getRequestDispatcher("/t?q=1").include(req, res))).addMapping("/x");
        WebApp b = new WebApp("/b");
        b.addServlet("t", new Describe()).addMapping("/t");
        try (Deployed d = Deployed.start(open, b)) {
            assertSees(sees(
                    "type", "INCLUDE",
                    "uri", "/open/x",
                    "context", "/open",
                    "servletPath", "/x",
                    "pathInfo", "null",
                    "query", "k=v",
                    "mapping", "x:EXACT:x:/x",
                    "include.request_uri", "/b/t",
                    "include.context_path", "/b",
                    "include.servlet_path", "/t",
                    "include.query_string", "q=1",
                    "include.mapping", "t:EXACT:t:/t",
                    "param.q", "[1]",
                    "param.k", "[v]"), parse(d.get("/open/x?k=v").body()));
        }
    }
}
