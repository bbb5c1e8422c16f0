package dev.weft.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestEvent;
import jakarta.servlet.ServletRequestListener;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletMapping;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Servlet 6.1 chapter 12, "Mapping Requests to Servlets", with the request path elements of
 * §3.6 and the {@link HttpServletMapping} of each match, tested over the wire: the spec's own
 * example tables, precedence between the kinds of pattern, the context root, URI
 * canonicalisation (§3.5.2) as a client can send it, and the programmatic mapping API.
 */
class MappingTest {

    /** Reports where a request landed, one {@code key=value} line per path element. */
    static final class PathDump extends HttpServlet {
        @Override
        protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            resp.setContentType("text/plain;charset=UTF-8");
            resp.getWriter().print(dump(req));
        }
    }

    static String dump(HttpServletRequest req) {
        HttpServletMapping m = req.getHttpServletMapping();
        return "servletName=" + m.getServletName() + "\n"
                + "mappingMatch=" + m.getMappingMatch() + "\n"
                + "matchValue=" + m.getMatchValue() + "\n"
                + "pattern=" + m.getPattern() + "\n"
                + "contextPath=" + req.getContextPath() + "\n"
                + "servletPath=" + req.getServletPath() + "\n"
                + "pathInfo=" + req.getPathInfo() + "\n"
                + "requestURI=" + req.getRequestURI() + "\n"
                + "requestURL=" + req.getRequestURL() + "\n"
                + "queryString=" + req.getQueryString() + "\n";
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

    /** Adds {@code name} as a {@link PathDump} mapped to {@code patterns}; "default" replaces the container's. */
    static void dumpAt(WebApp app, String name, String... patterns) {
        ServletRegistration.Dynamic r = app.addServlet(name, new PathDump());
        if (patterns.length > 0) {
            assertEquals(Set.of(), r.addMapping(patterns));
        }
    }

    static Deployed shared;

    @BeforeAll
    static void deployShared() throws Exception {
        // §12.2.2 "Example Mapping Set".
        WebApp spec = new WebApp("/spec");
        dumpAt(spec, "servlet1", "/foo/bar/*");
        dumpAt(spec, "servlet2", "/baz/*");
        dumpAt(spec, "servlet3", "/catalog");
        dumpAt(spec, "servlet4", "*.bop");
        dumpAt(spec, "default");

        // §3.6 "Request Path Elements" example.
        WebApp catalog = new WebApp("/catalog");
        dumpAt(catalog, "LawnServlet", "/lawn/*");
        dumpAt(catalog, "GardenServlet", "/garden/*");
        dumpAt(catalog, "JSPServlet", "*.jsp");

        // The HttpServletMapping Javadoc's declaration, at a context path and at the root.
        WebApp ctx = new WebApp("/ctx");
        dumpAt(ctx, "MyServlet", "/MyServlet", "", "*.extension", "/path/*");
        dumpAt(ctx, "default");
        WebApp root = new WebApp("");
        dumpAt(root, "MyServlet", "/MyServlet", "", "*.extension", "/path/*");
        dumpAt(root, "default");

        // Precedence between exact, prefix, extension and default patterns.
        WebApp prec = new WebApp("/prec");
        dumpAt(prec, "exact", "/a/b");
        dumpAt(prec, "prefixA", "/a/*");
        dumpAt(prec, "prefixAB", "/a/b/*");
        dumpAt(prec, "ext", "*.jsp");
        dumpAt(prec, "slash", "/s/");
        dumpAt(prec, "unicode", "/caf\u00e9");
        dumpAt(prec, "default");

        // "/*" against "", exact and extension patterns.
        WebApp wild = new WebApp("/wild");
        dumpAt(wild, "all", "/*");
        dumpAt(wild, "root", "");
        dumpAt(wild, "exact", "/exact");
        dumpAt(wild, "ext", "*.jsp");

        // Canonicalisation: everything below the context goes to one servlet.
        WebApp canon = new WebApp("/canon");
        dumpAt(canon, "all", "/*");

        shared = Deployed.start(spec, catalog, ctx, root, prec, wild, canon);
    }

    @AfterAll
    static void stopShared() throws Exception {
        if (shared != null) {
            shared.close();
        }
    }

    static Map<String, String> dumpOf(String target) throws IOException {
        TckWire.Resp r = TckWire.get(shared.port, target);
        assertEquals(200, r.status(), () -> target + " -> " + r.statusLine() + "\n" + r.body());
        return parse(r.body());
    }

    static String url(String uri) {
        return "http://127.0.0.1:" + shared.port + uri;
    }

    /** One expected mapping: the servlet, the HttpServletMapping and the path elements. */
    record Expect(String servletName, String mappingMatch, String matchValue, String pattern, String servletPath,
            String pathInfo) {
        void check(String contextPath, String path, String query, Map<String, String> got) {
            String where = contextPath + path + (query == null ? "" : "?" + query) + " " + got;
            assertEquals(servletName, got.get("servletName"), where);
            assertEquals(mappingMatch, got.get("mappingMatch"), where);
            assertEquals(matchValue, got.get("matchValue"), where);
            assertEquals(pattern, got.get("pattern"), where);
            assertEquals(contextPath, got.get("contextPath"), where);
            assertEquals(servletPath, got.get("servletPath"), where);
            assertEquals(String.valueOf(pathInfo), got.get("pathInfo"), where);
            assertEquals(contextPath + path, got.get("requestURI"), where);
            assertEquals(url(contextPath + path), got.get("requestURL"), where);
            assertEquals(String.valueOf(query), got.get("queryString"), where);
        }
    }

    static Expect expect(String servletName, String match, String matchValue, String pattern, String servletPath,
            String pathInfo) {
        return new Expect(servletName, match, matchValue, pattern, servletPath, pathInfo);
    }

    // ---- §12.2.2 example mapping set ----

    static Stream<Arguments> specExampleMappingSet() {
        return Stream.of(
                Arguments.of("/foo/bar/index.html", expect("servlet1", "PATH", "index.html", "/foo/bar/*", "/foo/bar", "/index.html")),
                Arguments.of("/foo/bar/index.bop", expect("servlet1", "PATH", "index.bop", "/foo/bar/*", "/foo/bar", "/index.bop")),
                Arguments.of("/baz", expect("servlet2", "PATH", "", "/baz/*", "/baz", null)),
                Arguments.of("/baz/index.html", expect("servlet2", "PATH", "index.html", "/baz/*", "/baz", "/index.html")),
                Arguments.of("/catalog", expect("servlet3", "EXACT", "catalog", "/catalog", "/catalog", null)),
                Arguments.of("/catalog/index.html", expect("default", "DEFAULT", "", "/", "/catalog/index.html", null)),
                Arguments.of("/catalog/racecar.bop", expect("servlet4", "EXTENSION", "catalog/racecar", "*.bop", "/catalog/racecar.bop", null)),
                Arguments.of("/index.bop", expect("servlet4", "EXTENSION", "index", "*.bop", "/index.bop", null)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void specExampleMappingSet(String path, Expect e) throws IOException {
        e.check("/spec", path, null, dumpOf("/spec" + path));
    }

    // ---- §3.6 request path elements ----

    static Stream<Arguments> requestPathElementsExample() {
        return Stream.of(
                Arguments.of("/lawn/index.html", expect("LawnServlet", "PATH", "index.html", "/lawn/*", "/lawn", "/index.html")),
                Arguments.of("/garden/implements/", expect("GardenServlet", "PATH", "implements/", "/garden/*", "/garden", "/implements/")),
                Arguments.of("/help/feedback.jsp", expect("JSPServlet", "EXTENSION", "help/feedback", "*.jsp", "/help/feedback.jsp", null)));
    }

    @ParameterizedTest(name = "/catalog{0}")
    @MethodSource
    void requestPathElementsExample(String path, Expect e) throws IOException {
        e.check("/catalog", path, "a=1&b=%2F+x", dumpOf("/catalog" + path + "?a=1&b=%2F+x"));
    }

    // ---- HttpServletMapping Javadoc table, at "/ctx" and at the root ----

    static Stream<Arguments> httpServletMappingJavadocTable() {
        List<Arguments> rows = new ArrayList<>();
        for (String cp : List.of("/ctx", "")) {
            rows.add(Arguments.of(cp, "/", expect("MyServlet", "CONTEXT_ROOT", "", "", "", "/")));
            rows.add(Arguments.of(cp, "/index.html", expect("default", "DEFAULT", "", "/", "/index.html", null)));
            rows.add(Arguments.of(cp, "/MyServlet/index.html", expect("default", "DEFAULT", "", "/", "/MyServlet/index.html", null)));
            rows.add(Arguments.of(cp, "/MyServlet", expect("MyServlet", "EXACT", "MyServlet", "/MyServlet", "/MyServlet", null)));
            rows.add(Arguments.of(cp, "/MyServlet/foo", expect("default", "DEFAULT", "", "/", "/MyServlet/foo", null)));
            rows.add(Arguments.of(cp, "/foo.extension", expect("MyServlet", "EXTENSION", "foo", "*.extension", "/foo.extension", null)));
            rows.add(Arguments.of(cp, "/bar/foo.extension", expect("MyServlet", "EXTENSION", "bar/foo", "*.extension", "/bar/foo.extension", null)));
            rows.add(Arguments.of(cp, "/path/foo", expect("MyServlet", "PATH", "foo", "/path/*", "/path", "/foo")));
            rows.add(Arguments.of(cp, "/path/foo/bar", expect("MyServlet", "PATH", "foo/bar", "/path/*", "/path", "/foo/bar")));
        }
        return rows.stream();
    }

    @ParameterizedTest(name = "[{0}] {1}")
    @MethodSource
    void httpServletMappingJavadocTable(String contextPath, String path, Expect e) throws IOException {
        e.check(contextPath, path, null, dumpOf(contextPath + path));
        e.check(contextPath, path, "x=%C3%A9&y", dumpOf(contextPath + path + "?x=%C3%A9&y"));
    }

    // ---- Precedence ----

    static Stream<Arguments> precedence() {
        return Stream.of(
                // An exact match beats every prefix.
                Arguments.of("/prec", "/a/b", expect("exact", "EXACT", "a/b", "/a/b", "/a/b", null)),
                // The longest prefix wins, matched segment by segment.
                Arguments.of("/prec", "/a/b/", expect("prefixAB", "PATH", "", "/a/b/*", "/a/b", "/")),
                Arguments.of("/prec", "/a/b/c", expect("prefixAB", "PATH", "c", "/a/b/*", "/a/b", "/c")),
                Arguments.of("/prec", "/a/bc", expect("prefixA", "PATH", "bc", "/a/*", "/a", "/bc")),
                Arguments.of("/prec", "/a", expect("prefixA", "PATH", "", "/a/*", "/a", null)),
                Arguments.of("/prec", "/a/", expect("prefixA", "PATH", "", "/a/*", "/a", "/")),
                // A prefix beats an extension.
                Arguments.of("/prec", "/a/x.jsp", expect("prefixA", "PATH", "x.jsp", "/a/*", "/a", "/x.jsp")),
                Arguments.of("/prec", "/a/b/x.jsp", expect("prefixAB", "PATH", "x.jsp", "/a/b/*", "/a/b", "/x.jsp")),
                // An extension beats the default servlet, and applies to the last segment only.
                Arguments.of("/prec", "/b/x.jsp", expect("ext", "EXTENSION", "b/x", "*.jsp", "/b/x.jsp", null)),
                Arguments.of("/prec", "/x.jsp", expect("ext", "EXTENSION", "x", "*.jsp", "/x.jsp", null)),
                Arguments.of("/prec", "/x.y.jsp", expect("ext", "EXTENSION", "x.y", "*.jsp", "/x.y.jsp", null)),
                Arguments.of("/prec", "/b/x.jsp/y", expect("default", "DEFAULT", "", "/", "/b/x.jsp/y", null)),
                Arguments.of("/prec", "/b.jsp/y", expect("default", "DEFAULT", "", "/", "/b.jsp/y", null)),
                Arguments.of("/prec", "/x.jspx", expect("default", "DEFAULT", "", "/", "/x.jspx", null)),
                // Matching is case-sensitive (§12.1).
                Arguments.of("/prec", "/b/x.JSP", expect("default", "DEFAULT", "", "/", "/b/x.JSP", null)),
                Arguments.of("/prec", "/A/b", expect("default", "DEFAULT", "", "/", "/A/b", null)),
                Arguments.of("/prec", "/a/B", expect("prefixA", "PATH", "B", "/a/*", "/a", "/B")),
                // A trailing slash is part of an exact pattern.
                Arguments.of("/prec", "/s/", expect("slash", "EXACT", "s/", "/s/", "/s/", null)),
                Arguments.of("/prec", "/s", expect("default", "DEFAULT", "", "/", "/s", null)),
                // Without a "" pattern, the context root goes to the default servlet.
                Arguments.of("/prec", "/", expect("default", "DEFAULT", "", "/", "/", null)),
                // "" matches only the context root, ahead of "/*"; "/*" beats extension and default.
                Arguments.of("/wild", "/", expect("root", "CONTEXT_ROOT", "", "", "", "/")),
                Arguments.of("/wild", "/exact", expect("exact", "EXACT", "exact", "/exact", "/exact", null)),
                Arguments.of("/wild", "/exact/", expect("all", "PATH", "exact/", "/*", "", "/exact/")),
                Arguments.of("/wild", "/x.jsp", expect("all", "PATH", "x.jsp", "/*", "", "/x.jsp")),
                Arguments.of("/wild", "/any/thing", expect("all", "PATH", "any/thing", "/*", "", "/any/thing")),
                // Without a "" pattern, "/*" gets the context root too.
                Arguments.of("/canon", "/", expect("all", "PATH", "", "/*", "", "/")),
                // Path parameters take no part in mapping, and stay in getRequestURI.
                Arguments.of("/prec", "/b/x.jsp;v=1", expect("ext", "EXTENSION", "b/x", "*.jsp", "/b/x.jsp", null)),
                Arguments.of("/prec", "/a;x=y/b", expect("exact", "EXACT", "a/b", "/a/b", "/a/b", null)),
                Arguments.of("/prec", "/a/b;jsessionid=F00/c;x", expect("prefixAB", "PATH", "c", "/a/b/*", "/a/b", "/c")));
    }

    @ParameterizedTest(name = "{0}{1} -> {2}")
    @MethodSource
    void precedence(String contextPath, String path, Expect e) throws IOException {
        e.check(contextPath, path, null, dumpOf(contextPath + path));
    }

    @Test
    void mappingUsesTheDecodedPathAndRequestUriStaysEncoded() throws IOException {
        Map<String, String> got = dumpOf("/prec/caf%C3%A9?q=caf%C3%A9");
        assertEquals("unicode", got.get("servletName"));
        assertEquals("EXACT", got.get("mappingMatch"));
        assertEquals("caf\u00e9", got.get("matchValue"));
        assertEquals("/caf\u00e9", got.get("servletPath"));
        assertEquals("null", got.get("pathInfo"));
        assertEquals("/prec/caf%C3%A9", got.get("requestURI"));
        assertEquals(url("/prec/caf%C3%A9"), got.get("requestURL"));
        assertEquals("q=caf%C3%A9", got.get("queryString"));
    }

    @Test
    void getRequestUrlUsesTheHostHeader() throws IOException {
        TckWire.Resp r = TckWire.exchange(shared.port,
                "GET /ctx/path/x?y=1 HTTP/1.1\r\nHost: shop.example:8080\r\nConnection: close\r\n\r\n");
        assertEquals(200, r.status());
        assertEquals("http://shop.example:8080/ctx/path/x", parse(r.body()).get("requestURL"));
        TckWire.Resp noPort = TckWire.exchange(shared.port,
                "GET /ctx/path/x HTTP/1.1\r\nHost: shop.example\r\nConnection: close\r\n\r\n");
        assertEquals("http://shop.example/ctx/path/x", parse(noPort.body()).get("requestURL"));
    }

    // ---- Contexts ----

    static Stream<Arguments> contextSelection() {
        return Stream.of(
                Arguments.of("/ctx/MyServlet", "/ctx", expect("MyServlet", "EXACT", "MyServlet", "/MyServlet", "/MyServlet", null)),
                Arguments.of("/MyServlet", "", expect("MyServlet", "EXACT", "MyServlet", "/MyServlet", "/MyServlet", null)),
                // A context path matches whole segments only.
                Arguments.of("/ctxx/MyServlet", "", expect("default", "DEFAULT", "", "/", "/ctxx/MyServlet", null)),
                Arguments.of("/ctx/", "/ctx", expect("MyServlet", "CONTEXT_ROOT", "", "", "", "/")),
                Arguments.of("/", "", expect("MyServlet", "CONTEXT_ROOT", "", "", "", "/")),
                Arguments.of("/ctx/ctx/MyServlet", "/ctx", expect("default", "DEFAULT", "", "/", "/ctx/MyServlet", null)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void contextSelection(String target, String contextPath, Expect e) throws IOException {
        e.check(contextPath, target.substring(contextPath.length()), null, dumpOf(target));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "/ctx       | /ctx/",
        "/ctx?a=1&b | /ctx/?a=1&b",
        "/spec      | /spec/",
    })
    void contextPathWithoutSlashIsRedirectedToTheContextRoot(String target, String location) throws IOException {
        TckWire.Resp r = TckWire.get(shared.port, target);
        assertEquals(302, r.status());
        String loc = r.header("Location");
        assertNotNull(loc);
        // Relative or absolute, it must point at the context root, query kept.
        assertTrue(loc.equals(location) || loc.equals(url(location)), loc);
    }

    @Test
    void contextRedirectNeverLeavesTheServer() throws IOException {
        TckWire.Resp r = TckWire.get(shared.port, "//ctx");
        assertEquals(302, r.status());
        String loc = r.header("Location");
        // "//ctx/" would be a network-path reference: the client would go to host "ctx".
        assertTrue(loc.equals("/ctx/") || loc.equals(url("/ctx/")), loc);
    }

    // ---- URI canonicalisation over the wire (§3.5.2) ----

    static Stream<Arguments> canonicalisation() {
        return Stream.of(
                Arguments.of("/canon/a/b", "/canon", "/a/b"),
                Arguments.of("/canon/a/./b/.", "/canon", "/a/b"),
                Arguments.of("/canon/a/../b", "/canon", "/b"),
                Arguments.of("/canon/a/b/..", "/canon", "/a"),
                Arguments.of("/canon//a///b", "/canon", "/a/b"),
                Arguments.of("/canon//a//b//", "/canon", "/a/b/"),
                Arguments.of("//canon/a", "/canon", "/a"),
                Arguments.of("/canon/a;jsessionid=ABC123/b", "/canon", "/a/b"),
                Arguments.of("/canon/a/b;jsessionid=ABC123", "/canon", "/a/b"),
                Arguments.of("/canon/a;x=1;y=2/b;z", "/canon", "/a/b"),
                Arguments.of("/canon;v=1/a", "/canon", "/a"),
                Arguments.of("/canon/a/b/./;", "/canon", "/a/b/"),
                Arguments.of("/canon/caf%C3%A9", "/canon", "/caf\u00e9"),
                Arguments.of("/canon/a%20b", "/canon", "/a b"),
                Arguments.of("/canon/a%25b", "/canon", "/a%b"),
                Arguments.of("/canon/a%3Bb", "/canon", "/a;b"),
                Arguments.of("/canon/%41%42", "/canon", "/AB"),
                Arguments.of("/canon/.../a", "/canon", "/.../a"),
                Arguments.of("/canon/a/.b", "/canon", "/a/.b"),
                // Dot-segments are resolved before the context is chosen.
                Arguments.of("/canon/a/../../MyServlet", "", "/MyServlet"),
                Arguments.of("/spec/../canon/x", "/canon", "/x"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void canonicalisation(String target, String contextPath, String pathInContext) throws IOException {
        Map<String, String> got = dumpOf(target);
        assertEquals(contextPath, got.get("contextPath"), got::toString);
        String pathInfo = got.get("pathInfo");
        assertEquals(pathInContext, got.get("servletPath") + ("null".equals(pathInfo) ? "" : pathInfo), got::toString);
        // getRequestURI is the request line's path as sent: not decoded, not normalised, parameters kept.
        assertEquals(target, got.get("requestURI"), got::toString);
        assertEquals("null", got.get("queryString"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "/canon/a%2Fb",
        "/canon/a%2fb",
        "/canon/%2F",
        "/canon/a%5Cb",
        "/canon/a\\b",
        "/canon/%2e%2e/x",
        "/canon/a/%2e/b",
        "/canon/a/.%2E/b",
        "/canon/a/%2E./b",
        "/canon/a/..;/b",
        "/canon/..;/x",
        "/canon/a/.;/b",
        "/canon/a/..;jsessionid=1/b",
        "/canon/;x/a",
        "/canon/a%00b",
        "/canon/a%0Db",
        "/canon/a%7F",
        "/canon/a%E2%82",
        "/canon/a%zz",
        "/canon/a%4",
        "/../canon/a",
        "/canon/../../a",
    })
    void suspiciousPathsAreRejectedWith400(String target) throws IOException {
        TckWire.Resp r = TckWire.get(shared.port, target);
        assertEquals(400, r.status(), () -> target + " -> " + r.statusLine() + "\n" + r.body());
        assertTrue(!r.body().contains("servletName="), r.body());
    }

    @Test
    void rawNulInThePathIsRejectedWith400() throws IOException {
        byte[] head = "GET /canon/a".getBytes(StandardCharsets.ISO_8859_1);
        byte[] tail = ("b HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
        byte[] req = new byte[head.length + 1 + tail.length];
        System.arraycopy(head, 0, req, 0, head.length);
        req[head.length] = 0;
        System.arraycopy(tail, 0, req, head.length + 1, tail.length);
        assertEquals(400, TckWire.exchange(shared.port, req).status());
    }

    // ---- Programmatic mapping ----

    @Test
    void addMappingReturnsTheConflictingPatternsAndChangesNothing() throws Exception {
        WebApp app = new WebApp("/m");
        ServletRegistration.Dynamic a = app.addServlet("a", new PathDump());
        ServletRegistration.Dynamic b = app.addServlet("b", new PathDump());
        dumpAt(app, "default");
        assertEquals(Set.of(), a.addMapping("/one", "/two"));
        // Adding a pattern a servlet already has is no conflict.
        assertEquals(Set.of(), a.addMapping("/two"));
        assertEquals(Set.of("/one", "/two"), b.addMapping("/two", "/three", "/one"));
        assertEquals(List.of(), List.copyOf(b.getMappings()));
        assertEquals(Set.of("/one", "/two"), Set.copyOf(a.getMappings()));
        // Another call adds to the former ones.
        assertEquals(Set.of(), b.addMapping("/three"));
        assertEquals(Set.of(), b.addMapping("*.b"));
        assertEquals(Set.of("/three", "*.b"), Set.copyOf(b.getMappings()));
        assertEquals(Set.of("*.b"), a.addMapping("*.b", "/four"));
        assertEquals(Set.of("/one", "/two"), Set.copyOf(a.getMappings()));
        try (Deployed d = Deployed.start(app)) {
            assertEquals("a", parse(TckWire.get(d.port, "/m/two").body()).get("servletName"));
            assertEquals("b", parse(TckWire.get(d.port, "/m/three").body()).get("servletName"));
            assertEquals("b", parse(TckWire.get(d.port, "/m/x.b").body()).get("servletName"));
            assertEquals("default", parse(TckWire.get(d.port, "/m/four").body()).get("servletName"));
        }
    }

    @Test
    void conflictsAreReportedToAContextListenerToo() throws Exception {
        List<Set<String>> conflicts = new ArrayList<>();
        WebApp app = new WebApp("/m");
        app.addServlet("a", new PathDump()).addMapping("/x/*");
        app.addListener(new ServletContextListener() {
            @Override
            public void contextInitialized(ServletContextEvent sce) {
                ServletContext c = sce.getServletContext();
                ServletRegistration.Dynamic late = c.addServlet("late", new PathDump());
                conflicts.add(late.addMapping("/x/*", "/y"));
                conflicts.add(late.addMapping("/y"));
            }
        });
        try (Deployed d = Deployed.start(app)) {
            assertEquals(List.of(Set.of("/x/*"), Set.of()), conflicts);
            assertEquals("late", parse(TckWire.get(d.port, "/m/y").body()).get("servletName"));
            assertEquals("a", parse(TckWire.get(d.port, "/m/x/y").body()).get("servletName"));
        }
    }

    @Test
    void aServletMappedToSlashReplacesTheDefaultServlet() throws Exception {
        WebApp app = new WebApp("/m");
        dumpAt(app, "mine", "/");
        try (Deployed d = Deployed.start(app)) {
            Map<String, String> got = parse(TckWire.get(d.port, "/m/no/such/thing").body());
            assertEquals("mine", got.get("servletName"));
            assertEquals("DEFAULT", got.get("mappingMatch"));
            assertEquals("/", got.get("pattern"));
            assertEquals("/no/such/thing", got.get("servletPath"));
            assertEquals("null", got.get("pathInfo"));
        }
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"foo", "foo/*", "foo.jsp", "*.jsp/x", "*.a/b", "/a/*.jsp", "x*.jsp"})
    void invalidPatternsAreRefused(String pattern) {
        WebApp app = new WebApp("/m");
        ServletRegistration.Dynamic r = app.addServlet("s", new PathDump());
        assertThrows(IllegalArgumentException.class, () -> r.addMapping(pattern));
        assertThrows(IllegalArgumentException.class, () -> r.addMapping("/ok", pattern));
        assertTrue(r.getMappings().isEmpty(), r.getMappings()::toString);
    }

    @Test
    void nullOrEmptyPatternListsAreRefused() {
        WebApp app = new WebApp("/m");
        ServletRegistration.Dynamic r = app.addServlet("s", new PathDump());
        assertThrows(IllegalArgumentException.class, () -> r.addMapping());
        assertThrows(IllegalArgumentException.class, () -> r.addMapping((String[]) null));
    }

    /** Something an application might try once its context has been initialised. */
    record LateCall(String name, Consumer<WebApp> call) {
        @Override
        public String toString() {
            return name;
        }
    }

    static final class NoopFilter implements Filter {
        @Override
        public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
                throws IOException, ServletException {
            chain.doFilter(request, response);
        }
    }

    static final class NoopRequestListener implements ServletRequestListener {
        @Override
        public void requestInitialized(ServletRequestEvent sre) {}
    }

    static Stream<LateCall> configurationAfterStartThrowsIllegalState() {
        return Stream.of(
                new LateCall("addServlet(name, instance)", a -> a.addServlet("late", new PathDump())),
                new LateCall("addServlet(name, class)", a -> a.addServlet("late", PathDump.class)),
                new LateCall("addServlet(name, className)", a -> a.addServlet("late", PathDump.class.getName())),
                new LateCall("registration.addMapping", a -> a.getServletRegistration("s").addMapping("/late")),
                new LateCall("dynamic registration.addMapping", a -> ((ServletRegistration.Dynamic) a.getServletRegistration("s")).addMapping("/late/*")),
                new LateCall("registration.setInitParameter", a -> a.getServletRegistration("s").setInitParameter("k", "v")),
                new LateCall("registration.setLoadOnStartup", a -> ((ServletRegistration.Dynamic) a.getServletRegistration("s")).setLoadOnStartup(1)),
                new LateCall("addFilter(name, instance)", a -> a.addFilter("late", new NoopFilter())),
                new LateCall("addFilter(name, class)", a -> a.addFilter("late", NoopFilter.class)),
                new LateCall("filter addMappingForUrlPatterns", a -> a.getFilterRegistration("f")
                        .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), true, "/late")),
                new LateCall("addListener(instance)", a -> a.addListener(new NoopRequestListener())),
                new LateCall("addListener(class)", a -> a.addListener(NoopRequestListener.class)),
                new LateCall("addListener(className)", a -> a.addListener(NoopRequestListener.class.getName())),
                new LateCall("setInitParameter", a -> a.setInitParameter("k", "v")),
                new LateCall("setSessionTimeout", a -> a.setSessionTimeout(5)),
                new LateCall("setRequestCharacterEncoding", a -> a.setRequestCharacterEncoding("UTF-8")),
                new LateCall("setResponseCharacterEncoding", a -> a.setResponseCharacterEncoding("UTF-8")),
                new LateCall("declareRoles", a -> a.declareRoles("admin")),
                new LateCall("setSessionTrackingModes", a -> a.setSessionTrackingModes(Set.of())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void configurationAfterStartThrowsIllegalState(LateCall late) throws Exception {
        WebApp app = new WebApp("/m");
        dumpAt(app, "s", "/s");
        app.addFilter("f", new NoopFilter()).addMappingForUrlPatterns(null, false, "/*");
        try (Deployed d = Deployed.start(app)) {
            assertThrows(IllegalStateException.class, () -> late.call().accept(app));
            // Nothing changed: the mapping is as it was.
            Map<String, String> got = parse(TckWire.get(d.port, "/m/s").body());
            assertEquals("s", got.get("servletName"));
            assertEquals(404, TckWire.get(d.port, "/m/late").status());
        }
    }

    /** Tries a late configuration call from inside a request and reports the exception's class. */
    static final class LateConfigServlet extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            String outcome;
            try {
                req.getServletContext().addServlet("late", new PathDump()).addMapping("/late");
                outcome = "no exception";
            } catch (RuntimeException e) {
                outcome = e.getClass().getSimpleName();
            }
            resp.getWriter().print(outcome);
        }
    }

    @Test
    void configurationFromAServletAtRequestTimeThrowsIllegalState() throws Exception {
        WebApp app = new WebApp("/m");
        app.addServlet("s", new LateConfigServlet()).addMapping("/s");
        try (Deployed d = Deployed.start(app)) {
            assertEquals("IllegalStateException", TckWire.get(d.port, "/m/s").body());
            assertEquals(404, TckWire.get(d.port, "/m/late").status());
        }
    }
}
