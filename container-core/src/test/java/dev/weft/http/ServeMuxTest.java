package dev.weft.http;

import static dev.weft.http.MuxTestRequests.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The mux as a whole, after the ServeMux tests of Go's server_test.go and request_test.go. */
class ServeMuxTest {

    // ---------------------------------------------------------------------------------------
    // Helpers

    /** A handler that answers with {@code code} and the matched pattern and path values as body. */
    private static Handler status(int code) {
        return (w, r) -> {
            w.writeHeader(code);
            if (r.pattern() != null) {
                w.write(r.pattern());
            }
        };
    }

    /** A handler that sets the Result field, as Go's stringHandler. */
    private static Handler result(String s) {
        return (w, r) -> w.header().set("Result", s);
    }

    private static MuxTestWriter serve(ServeMux mux, Request r) throws Exception {
        MuxTestWriter w = new MuxTestWriter();
        mux.serve(w, r);
        return w;
    }

    /** Serves, following one 301 to its Location on the same host as a client would. */
    private static MuxTestWriter serveFollowing(ServeMux mux, String method, String host, String target)
            throws Exception {
        MuxTestWriter w = serve(mux, request(method, host, target));
        if (w.status() == 301) {
            w = serve(mux, request(method, host, w.header().get("Location")));
            assertTrue(w.status() != 301, "redirected twice");
        }
        return w;
    }

    private static ServeMux mux(String... patterns) {
        ServeMux mux = new ServeMux();
        for (String p : patterns) {
            mux.handle(p, status(200));
        }
        return mux;
    }

    // ---------------------------------------------------------------------------------------
    // Go's serveMuxTests: route() and the handler it returns.

    private static ServeMux goRegisteredMux() {
        return new ServeMux()
                .handle("/dir/", status(200))
                .handle("/search", status(201))
                .handle("codesearch.google.com/search", status(202))
                .handle("codesearch.google.com/", status(203))
                .handle("example.com/", (w, r) -> {
                    // Go's checkQueryStringHandler: 200 if the query spells the request's host and path.
                    boolean ok = ("example.com" + r.path()).equals(r.rawQuery());
                    w.writeHeader(ok ? 200 : 500);
                });
    }

    static Stream<Arguments> goServeMuxTests() {
        return Stream.of(
                arguments("GET", "google.com", "/", 404, ""),
                arguments("GET", "google.com", "/dir", 301, "/dir/"),
                arguments("GET", "google.com", "/dir/", 200, "/dir/"),
                arguments("GET", "google.com", "/dir/file", 200, "/dir/"),
                arguments("GET", "google.com", "/search", 201, "/search"),
                arguments("GET", "google.com", "/search/", 404, ""),
                arguments("GET", "google.com", "/search/foo", 404, ""),
                arguments("GET", "codesearch.google.com", "/search", 202, "codesearch.google.com/search"),
                arguments("GET", "codesearch.google.com", "/search/", 203, "codesearch.google.com/"),
                arguments("GET", "codesearch.google.com", "/search/foo", 203, "codesearch.google.com/"),
                arguments("GET", "codesearch.google.com", "/", 203, "codesearch.google.com/"),
                arguments("GET", "codesearch.google.com:443", "/", 203, "codesearch.google.com/"),
                arguments("GET", "CodeSearch.Google.COM:443", "/search", 202, "codesearch.google.com/search"),
                arguments("GET", "images.google.com", "/search", 201, "/search"),
                arguments("GET", "images.google.com", "/search/", 404, ""),
                arguments("GET", "images.google.com", "/search/foo", 404, ""),
                arguments("GET", "google.com", "/../search", 301, "/search"),
                arguments("GET", "google.com", "/dir/..", 301, ""),
                arguments("GET", "google.com", "/dir/./file", 301, "/dir/"),
                arguments("GET", "", "/dir/file", 200, "/dir/"),
                arguments("GET", "example.com", "/test/?example.com/test/", 200, "example.com/"),
                arguments("GET", "example.com", "test/?example.com/test/", 301, "example.com/"));
    }

    @ParameterizedTest(name = "{0} {1}{2}")
    @MethodSource("goServeMuxTests")
    void routeReturnsHandlerAndPattern(String method, String host, String target, int code, String pattern)
            throws Exception {
        ServeMux mux = goRegisteredMux();
        Request r = request(method, host, target);
        ServeMux.Route route = mux.route(r);
        assertEquals(pattern, route.pattern());
        MuxTestWriter w = new MuxTestWriter();
        route.handler().serve(w, r);
        assertEquals(code, w.status());
    }

    @Test
    void routeDoesNotChangeTheRequest() {
        ServeMux mux = mux("/a/{x}");
        Request r = MuxTestRequests.get("/a/b");
        ServeMux.Route route = mux.route(r);
        assertEquals("/a/{x}", route.pattern());
        assertNull(r.pattern());
        assertNull(r.pathValue("x"));
    }

    @Test
    void routeGivesTheRegisteredHandler() {
        Handler h = (w, r) -> {};
        ServeMux mux = new ServeMux().handle("GET /x", h);
        assertSame(h, mux.route(MuxTestRequests.get("/x")).handler());
        assertSame(h, mux.route(request("HEAD", "h", "/x")).handler());
    }

    // ---------------------------------------------------------------------------------------
    // Go's testHostHandlers: host patterns, escaped paths and subtree redirects.

    static Stream<Arguments> hostHandlerTests() {
        return Stream.of(
                arguments("http://localhost/someDir/apage", 200, "someDir"),
                arguments("http://localhost/%23/apage", 200, "hash"),
                arguments("http://localhost/otherDir/apage", 200, "Default"),
                arguments("http://someHost.com/someDir/apage", 200, "someHost.com/someDir"),
                arguments("http://SOMEHOST.COM/someDir/apage", 200, "someHost.com/someDir"),
                arguments("http://somehost.com:8080/someDir/apage", 200, "someHost.com/someDir"),
                arguments("http://otherHost.com/someDir/apage", 200, "someDir"),
                arguments("http://otherHost.com/aDir/apage", 200, "Default"),
                // Redirections for trees.
                arguments("http://localhost/someDir", 301, "/someDir/"),
                arguments("http://localhost/%23", 301, "/%23/"),
                arguments("http://someHost.com/someDir", 301, "/someDir/"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostHandlerTests")
    void hostHandlers(String url, int code, String expected) throws Exception {
        ServeMux mux = new ServeMux()
                .handle("/", result("Default"))
                .handle("/someDir/", result("someDir"))
                .handle("/#/", result("hash"))
                .handle("someHost.com/someDir/", result("someHost.com/someDir"));
        MuxTestWriter w = serve(mux, request("GET", "", url));
        assertEquals(code, w.status());
        assertEquals(expected, w.header().get(code == 301 ? "Location" : "Result"));
    }

    // ---------------------------------------------------------------------------------------
    // Go's TestServeWithSlashRedirectForHostPatterns (the GET half).

    static Stream<Arguments> hostSlashRedirects() {
        return Stream.of(
                arguments("http://example.com/", 404, null, null),
                arguments("http://example.com/pkg/foo", 301, "/pkg/foo/", null),
                arguments("http://example.com/pkg/bar", 200, null, "example.com/pkg/bar"),
                arguments("http://example.com/pkg/bar/", 200, null, "example.com/pkg/bar/"),
                arguments("http://example.com/pkg/baz", 301, "/pkg/baz/", null),
                arguments("http://example.com:3000/pkg/foo", 301, "/pkg/foo/", null),
                arguments("http://example.com:9000/", 404, null, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostSlashRedirects")
    void slashRedirectWithHostPatterns(String url, int code, String location, String result) throws Exception {
        ServeMux mux = new ServeMux()
                .handle("example.com/pkg/foo/", result("example.com/pkg/foo/"))
                .handle("example.com/pkg/bar", result("example.com/pkg/bar"))
                .handle("example.com/pkg/bar/", result("example.com/pkg/bar/"))
                .handle("example.com:3000/pkg/connect/", result("example.com:3000/pkg/connect/"))
                .handle("example.com:9000/", result("example.com:9000/"))
                .handle("/pkg/baz/", result("/pkg/baz/"));
        MuxTestWriter w = serve(mux, request("GET", "", url));
        assertEquals(code, w.status());
        assertEquals(location, w.header().get("Location"));
        assertEquals(result, w.header().get("Result"));
    }

    // ---------------------------------------------------------------------------------------
    // Redirects keep the query: Go's TestServeWithSlashRedirectKeepsQueryString and friends.

    static Stream<Arguments> redirectsWithQuery() {
        return Stream.of(
                arguments("/testOne?this=that", 200, null, "this=that"),
                arguments("/testTwo?foo=bar", 301, "/testTwo/?foo=bar", null),
                arguments("/testTwo?a=1&b=2&a=3", 301, "/testTwo/?a=1&b=2&a=3", null),
                arguments("/testTwo?", 301, "/testTwo/", null),
                arguments("/testTwo", 301, "/testTwo/", null),
                arguments("/testThree?foo", 200, null, "foo"),
                arguments("/testThree/?foo", 200, null, "foo:bar"),
                arguments("/testOne/foo/..?foo", 301, "/testOne?foo", null),
                arguments("//testOne?x=%20y", 301, "/testOne?x=%20y", null),
                arguments("/./testTwo?q", 301, "/testTwo/?q", null),
                arguments("/testTwo/./a/../?q", 301, "/testTwo/?q", null),
                arguments("/testTwo/x/../", 301, "/testTwo/", null),
                arguments("testOne?q=1", 301, "/testOne?q=1", null),
                arguments("/no/such/../thing?q", 301, "/no/thing?q", null),
                arguments("/testTwo%2F?q", 404, null, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("redirectsWithQuery")
    void redirectsKeepTheQuery(String target, int code, String location, String body) throws Exception {
        Handler writeBackQuery = (w, r) -> w.write(r.rawQuery() == null ? "" : r.rawQuery());
        ServeMux mux = new ServeMux()
                .handle("/testOne", writeBackQuery)
                .handle("/testTwo/", writeBackQuery)
                .handle("/testThree", writeBackQuery)
                .handle("/testThree/", (w, r) -> w.write(r.rawQuery() + ":bar"));
        MuxTestWriter w = serve(mux, MuxTestRequests.get(target));
        assertEquals(code, w.status());
        assertEquals(location, w.header().get("Location"));
        if (body != null) {
            assertEquals(body, w.body());
        }
    }

    static Stream<Arguments> leadingSlashes() {
        return Stream.of(
                arguments("//foo.txt"),
                arguments("///foo.txt"),
                arguments("/../../foo.txt"));
    }

    /** Go's TestMuxRedirectLeadingSlashes: cleaning comes first, even with nothing registered. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("leadingSlashes")
    void redirectsLeadingSlashes(String target) throws Exception {
        MuxTestWriter w = serve(new ServeMux(), request("GET", "test", target));
        assertEquals(301, w.status());
        assertEquals("/foo.txt", w.header().get("Location"));
    }

    // ---------------------------------------------------------------------------------------
    // Response formats of the mux's own replies.

    static Stream<Arguments> ownReplies() {
        return Stream.of(
                arguments("GET", "/nothing", 404, "text/plain; charset=utf-8", "404 page not found\n"),
                arguments("HEAD", "/nothing", 404, "text/plain; charset=utf-8", "404 page not found\n"),
                arguments("POST", "/get", 405, "text/plain; charset=utf-8", "Method Not Allowed\n"),
                arguments("GET", "/static", 301, "text/html; charset=utf-8",
                        "<a href=\"/static/\">Moved Permanently</a>.\n\n"),
                arguments("GET", "/static?a=1&b=<2>", 301, "text/html; charset=utf-8",
                        "<a href=\"/static/?a=1&amp;b=&lt;2&gt;\">Moved Permanently</a>.\n\n"),
                arguments("HEAD", "/static", 301, "text/html; charset=utf-8", ""),
                arguments("POST", "/static", 301, null, ""),
                arguments("GET", "/a/../static/x", 301, "text/html; charset=utf-8",
                        "<a href=\"/static/x\">Moved Permanently</a>.\n\n"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("ownReplies")
    void ownReplies(String method, String target, int code, String contentType, String body) throws Exception {
        ServeMux mux = mux("GET /get", "/static/");
        MuxTestWriter w = serve(mux, request(method, "h", target));
        assertEquals(code, w.status());
        assertEquals(contentType, w.header().get("Content-Type"));
        assertEquals(body, w.body());
        if (code == 404 || code == 405) {
            assertEquals("nosniff", w.header().get("X-Content-Type-Options"));
        }
    }

    static Stream<Arguments> asteriskTargets() {
        return Stream.of(arguments("OPTIONS", 1, "close"), arguments("OPTIONS", 0, null));
    }

    /** As Go's ServeHTTP: a {@code *} target gets 400, closing an HTTP/1.1 connection. */
    @ParameterizedTest(name = "{0} * HTTP/1.{1}")
    @MethodSource("asteriskTargets")
    void asteriskTargetIsBadRequest(String method, int protoMinor, String connection) throws Exception {
        ServeMux mux = mux("/");
        Request r = new Request(null, method, "*", protoMinor, new Headers(), "", null, "h", 0, false,
                Body.Empty.INSTANCE);
        assertEquals("", mux.route(r).pattern());
        MuxTestWriter w = serve(mux, r);
        assertEquals(400, w.status());
        assertEquals(connection, w.header().get("Connection"));
    }

    // ---------------------------------------------------------------------------------------
    // 405 and the Allow header: Go's TestStatus, following one redirect as its client does.

    static Stream<Arguments> statusTests() {
        return Stream.of(
                arguments("GET", "/g", 200, null),
                arguments("HEAD", "/g", 200, null),
                arguments("POST", "/g", 405, "GET, HEAD"),
                arguments("GET", "/x", 404, null),
                arguments("GET", "/p", 405, "PATCH, POST"),
                arguments("GET", "/./p", 405, "PATCH, POST"),
                arguments("GET", "/r/", 200, null),
                arguments("GET", "/r", 200, null),
                arguments("HEAD", "/r/", 200, null),
                arguments("HEAD", "/r", 200, null),
                arguments("PUT", "/r/", 405, "GET, HEAD"),
                arguments("PUT", "/r", 200, null),
                arguments("DELETE", "/r", 405, "GET, HEAD, PUT"),
                arguments("delete", "/g", 405, "GET, HEAD"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("statusTests")
    void methodNotAllowed(String method, String target, int code, String allow) throws Exception {
        ServeMux mux = mux("GET /g", "POST /p", "PATCH /p", "PUT /r", "GET /r/");
        MuxTestWriter w = serveFollowing(mux, method, "h", target);
        assertEquals(code, w.status());
        assertEquals(allow, w.header().get("Allow"));
    }

    static Stream<Arguments> trailingSlashEdgeCases() {
        return Stream.of(
                // Go issue 65624: no trailing-slash redirect for a path already ending in a slash.
                arguments("/{x}/", "GET", "/", 404, ""),
                // Go issue 67657: nor a 405 made up from the path plus a slash.
                arguments("GET /{x}/", "GET", "/", 404, ""),
                arguments("GET /{x}/", "POST", "/a", 405, ""),
                // Go issue 73688: the redirect reports the pattern that will match.
                arguments("/{x}/", "POST", "/foo", 301, "/{x}/"),
                // An exact match is not redirected; an inexact one is, if the slash makes it exact.
                arguments("/{x...}", "GET", "/a", 200, "/{x...}"),
                arguments("/a/{x...}", "GET", "/a", 301, "/a/{x...}"),
                arguments("/a/{$}", "GET", "/a", 301, "/a/{$}"),
                arguments("/a/{$}", "GET", "/a/b", 404, ""));
    }

    @ParameterizedTest(name = "{0}: {1} {2}")
    @MethodSource("trailingSlashEdgeCases")
    void trailingSlashEdgeCases(String pattern, String method, String target, int code, String routePattern)
            throws Exception {
        ServeMux mux = mux(pattern);
        Request r = request(method, "h", target);
        assertEquals(routePattern, mux.route(r).pattern());
        assertEquals(code, serve(mux, r).status());
    }

    // ---------------------------------------------------------------------------------------
    // Precedence among many patterns, with path values.

    private static final String[] PRECEDENCE_PATTERNS = {
        "/",
        "/{$}",
        "GET /items/{id}",
        "POST /items/{id}",
        "GET /items/new",
        "HEAD /items/special",
        "/items/{id}/edit",
        "/items/{id}/{rest...}",
        "/files/{path...}",
        "/files/{$}",
        "/a%2Fb/{x}",
        "api.example.com/items/{id}",
        "api.example.com/{$}",
        "/static/",
        "/static/index.html",
        "/x/{y}/z",
        "/x/y/w",
        "/x/y/{z}/",
    };

    static Stream<Arguments> precedence() {
        return Stream.of(
                arguments("GET", "h", "/items/42", "GET /items/{id}", "id=42"),
                arguments("HEAD", "h", "/items/42", "GET /items/{id}", "id=42"),
                arguments("POST", "h", "/items/42", "POST /items/{id}", "id=42"),
                arguments("GET", "h", "/items/new", "GET /items/new", ""),
                arguments("HEAD", "h", "/items/new", "GET /items/new", ""),
                arguments("HEAD", "h", "/items/special", "HEAD /items/special", ""),
                arguments("GET", "h", "/items/special", "GET /items/{id}", "id=special"),
                arguments("GET", "h", "/items/42/edit", "/items/{id}/edit", "id=42"),
                arguments("DELETE", "h", "/items/42/edit", "/items/{id}/edit", "id=42"),
                arguments("GET", "h", "/items/42/a/b/", "/items/{id}/{rest...}", "id=42;rest=a/b/"),
                arguments("GET", "h", "/items/42/", "/items/{id}/{rest...}", "id=42;rest="),
                arguments("GET", "h", "/items/a%2Fb", "GET /items/{id}", "id=a/b"),
                arguments("GET", "h", "/items/%41%20z", "GET /items/{id}", "id=A z"),
                arguments("GET", "h", "/items/%E2%82%AC", "GET /items/{id}", "id=€"),
                arguments("GET", "h", "/", "/{$}", ""),
                arguments("GET", "h", "/nothing/here", "/", ""),
                arguments("GET", "h", "/files/", "/files/{$}", ""),
                arguments("GET", "h", "/files/a/b%2Fc/d", "/files/{path...}", "path=a/b/c/d"),
                arguments("GET", "h", "/files/x", "/files/{path...}", "path=x"),
                arguments("GET", "h", "/a%2Fb/z", "/a%2Fb/{x}", "x=z"),
                arguments("GET", "h", "/a%2fb/z", "/a%2Fb/{x}", "x=z"),
                arguments("GET", "h", "/a/b/z", "/", ""),
                arguments("GET", "h", "/x/y/w", "/x/y/w", ""),
                arguments("GET", "h", "/x/b/z", "/x/{y}/z", "y=b"),
                arguments("GET", "h", "/x/y/z", "/x/{y}/z", "y=y"),
                arguments("GET", "h", "/x/y/q/", "/x/y/{z}/", "z=q"),
                arguments("GET", "api.example.com", "/items/42", "api.example.com/items/{id}", "id=42"),
                arguments("POST", "API.Example.com:8443", "/items/42", "api.example.com/items/{id}", "id=42"),
                arguments("GET", "api.example.com", "/", "api.example.com/{$}", ""),
                arguments("GET", "api.example.com", "/items/42/edit", "/items/{id}/edit", "id=42"),
                arguments("GET", "other.example.com", "/items/42", "GET /items/{id}", "id=42"),
                arguments("GET", "", "/items/42", "GET /items/{id}", "id=42"),
                arguments("GET", "h", "/static/index.html", "/static/index.html", ""),
                arguments("GET", "h", "/static/css/site.css", "/static/", ""));
    }

    @ParameterizedTest(name = "{0} {1}{2}")
    @MethodSource("precedence")
    void mostSpecificPatternWins(String method, String host, String target, String pattern, String values)
            throws Exception {
        ServeMux mux = mux(PRECEDENCE_PATTERNS);
        Request r = request(method, host, target);
        MuxTestWriter w = serve(mux, r);
        assertEquals(200, w.status(), () -> "Location " + w.header().get("Location"));
        assertEquals(pattern, r.pattern());
        assertEquals(pattern, w.body());
        for (String kv : values.isEmpty() ? new String[0] : values.split(";")) {
            int eq = kv.indexOf('=');
            assertEquals(kv.substring(eq + 1), r.pathValue(kv.substring(0, eq)), kv);
        }
    }

    // ---------------------------------------------------------------------------------------
    // Path values: Go's TestPathValueAndPattern and TestSetPathValue.

    static Stream<Arguments> pathValues() {
        return Stream.of(
                arguments("/{a}/is/{b}/{c...}", "/now/is/the/time/for/all",
                        values("a", "now", "b", "the", "c", "time/for/all", "d", null)),
                arguments("/names/{name}/{other...}", "/names/%2fjohn/address",
                        values("name", "/john", "other", "address")),
                arguments("/names/{name}/{other...}", "/names/john%2Fdoe/there/is%2F/more",
                        values("name", "john/doe", "other", "there/is//more")),
                arguments("/names/{name}/{other...}", "/names/n/*", values("name", "n", "other", "*")),
                arguments("GET example.com/{$}", "http://example.com/", values("x", null)),
                arguments("/p/{x}/", "/p/a%20b/c", values("x", "a b")));
    }

    private static Map<String, String> values(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("pathValues")
    void setsPathValuesAndPattern(String pattern, String target, Map<String, String> want) throws Exception {
        List<Request> seen = new ArrayList<>();
        ServeMux mux = new ServeMux().handle(pattern, (w, r) -> seen.add(r));
        serve(mux, request("GET", "example.com", target));
        assertEquals(1, seen.size(), "handler called");
        Request r = seen.get(0);
        assertEquals(pattern, r.pattern());
        want.forEach((name, value) -> assertEquals(value, r.pathValue(name), name));
    }

    @Test
    void handlerMayOverridePathValues() throws Exception {
        List<String> got = new ArrayList<>();
        ServeMux mux = new ServeMux().handle("/a/{b}/c/{d...}", (w, r) -> {
            r.setPathValue("b", "X");
            r.setPathValue("d", "Y");
            r.setPathValue("a", "Z");
            got.add(r.pathValue("b") + r.pathValue("d") + r.pathValue("a"));
        });
        serve(mux, MuxTestRequests.get("/a/b/c/d/e"));
        assertEquals(List.of("XYZ"), got);
    }

    @Test
    void nestedMuxesAddTheirPathValues() throws Exception {
        List<Request> seen = new ArrayList<>();
        ServeMux inner = new ServeMux().handle("/api/{version}/{item}", (w, r) -> seen.add(r));
        ServeMux outer = new ServeMux().handle("/api/{version}/", inner);
        serve(outer, MuxTestRequests.get("/api/v2/things"));
        Request r = seen.get(0);
        assertEquals("/api/{version}/{item}", r.pattern());
        assertEquals("v2", r.pathValue("version"));
        assertEquals("things", r.pathValue("item"));
    }

    // ---------------------------------------------------------------------------------------
    // Registration: conflicts and invalid patterns.

    static Stream<Arguments> conflictingRegistrations() {
        return Stream.of(
                arguments("/a", "/a", "matches the same requests as"),
                arguments("GET /x", "GET /x", "matches the same requests as"),
                arguments("/a/{x}/", "/a/{y}/{z...}", "matches the same requests as"),
                arguments("/{x}", "/{y}", "matches the same requests as"),
                arguments("/", "/{rest...}", "matches the same requests as"),
                arguments("/a/{x}", "/{x}/b", "both match some paths, like \"/a/b\""),
                arguments("GET /", "/foo", "matches more methods than GET /, but has a more specific path pattern"),
                arguments("GET /foo", "HEAD /", "matches fewer methods than GET /foo, but has a more general path"),
                arguments("a.com/x", "A.COM/x", "matches the same requests as"),
                arguments("GET a.com/", "a.com/foo", "matches more methods than GET a.com/"));
    }

    @ParameterizedTest(name = "{0} then {1}")
    @MethodSource("conflictingRegistrations")
    void rejectsConflicts(String first, String second, String message) {
        ServeMux mux = mux(first);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> mux.handle(second, status(200)));
        assertTrue(e.getMessage().contains("\"" + first + "\""), e.getMessage());
        assertTrue(e.getMessage().contains("\"" + second + "\""), e.getMessage());
        assertTrue(e.getMessage().contains(message), e.getMessage());
        // The mux is unchanged: the first pattern still serves.
        assertEquals(first, mux.route(request(first.startsWith("HEAD") ? "HEAD" : "GET", "a.com",
                firstPath(first))).pattern());
    }

    private static String firstPath(String pattern) {
        String p = pattern.substring(pattern.indexOf('/'));
        return p.replaceAll("\\{[^}]*}", "v");
    }

    static Stream<Arguments> compatibleRegistrations() {
        return Stream.of(
                arguments(List.of("/{x}", "/a")),
                arguments(List.of("/{x}/{y}", "/{x}/a", "/{x}/a/b", "/{x}/a/")),
                arguments(List.of("/{x}", "/a/{y...}")),
                arguments(List.of("/{x}/a/{y}", "/{x}/a/{y...}")),
                arguments(List.of("/{x}/{y}", "/{x}/a/{$}", "/{x}/{y}/{$}")),
                arguments(List.of("/", "GET /", "GET /foo", "HEAD /foo")),
                arguments(List.of("/a", "a.com/a", "b.com/a", "GET a.com/a")),
                arguments(List.of("/images/", "/images/thumbnails/", "/images", "/images/{$}")),
                arguments(List.of("/a/b/{$}", "/a/b/{w}", "/a/b/{w...}", "/a/b")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("compatibleRegistrations")
    void acceptsPatternsThatDoNotConflict(List<String> patterns) {
        ServeMux mux = new ServeMux();
        for (String p : patterns) {
            mux.handle(p, status(200));
        }
    }

    static Stream<Arguments> invalidRegistrations() {
        return Stream.of(
                arguments("", "empty pattern"),
                arguments("GET", "host/path missing /"),
                arguments("/a/{x}/{x}", "duplicate wildcard name"),
                arguments("/{x...}/y", "not at end"),
                arguments("/b_{bucket}", "bad wildcard segment"),
                arguments("/{$}/y", "{$} not at end"),
                arguments("/{9lives}", "bad wildcard name"),
                arguments("GET /a/../b", "unclean path"),
                arguments("GE(T /", "invalid method"));
    }

    @ParameterizedTest(name = "\"{0}\"")
    @MethodSource("invalidRegistrations")
    void rejectsInvalidPatterns(String pattern, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ServeMux().handle(pattern, status(200)));
        assertTrue(e.getMessage().contains(message), e.getMessage());
        assertTrue(e.getMessage().contains("\"" + pattern + "\""), e.getMessage());
    }

    @Test
    void rejectsNullHandler() {
        assertThrows(NullPointerException.class, () -> new ServeMux().handle("/", null));
    }

    // ---------------------------------------------------------------------------------------
    // CONNECT: no cleaning, no redirects, matched as path "/" with the host as it is.

    static Stream<Arguments> connectRequests() {
        return Stream.of(
                arguments(List.of("CONNECT /", "GET /"), "example.com:443", 200, "CONNECT /"),
                arguments(List.of("CONNECT /", "CONNECT proxy.test:443/"), "proxy.test:443", 200,
                        "CONNECT proxy.test:443/"),
                arguments(List.of("CONNECT /", "CONNECT proxy.test:443/"), "PROXY.test:443", 200,
                        "CONNECT proxy.test:443/"),
                arguments(List.of("CONNECT /", "CONNECT proxy.test:443/"), "proxy.test:8443", 200, "CONNECT /"),
                arguments(List.of("CONNECT proxy.test/"), "proxy.test:443", 404, ""),
                arguments(List.of("/"), "example.com:443", 200, "/"),
                arguments(List.of("example.com:443/"), "example.com:443", 200, "example.com:443/"),
                arguments(List.of("GET /", "POST /"), "example.com:443", 405, ""),
                arguments(List.of("/a/"), "example.com:443", 404, ""));
    }

    @ParameterizedTest(name = "{0}: CONNECT {1}")
    @MethodSource("connectRequests")
    void connect(List<String> patterns, String authority, int code, String pattern) throws Exception {
        ServeMux mux = mux(patterns.toArray(new String[0]));
        Request r = request("CONNECT", "", authority);
        assertEquals(pattern, mux.route(r).pattern());
        MuxTestWriter w = serve(mux, r);
        assertEquals(code, w.status());
        if (code == 405) {
            assertEquals("GET, HEAD, POST", w.header().get("Allow"));
        }
    }

    @Test
    void connectWithAPathIsNeitherCleanedNorRedirected() throws Exception {
        ServeMux mux = mux("CONNECT //a/../b", "/dir/");
        assertEquals(200, serve(mux, request("CONNECT", "h", "//a/../b")).status());
        assertEquals(404, serve(mux, request("CONNECT", "h", "/dir")).status());
        assertEquals(200, serve(mux, request("CONNECT", "h", "/dir/./x")).status());
    }

    // ---------------------------------------------------------------------------------------
    // Concurrency: registering while serving.

    @Test
    void servesWhileRegistering() throws Exception {
        ServeMux mux = new ServeMux().handle("/fallback/", status(299));
        int patterns = 300;
        AtomicBoolean done = new AtomicBoolean();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        CountDownLatch started = new CountDownLatch(3);
        List<Thread> readers = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
            int seed = t;
            readers.add(Thread.ofPlatform().daemon().start(() -> {
                started.countDown();
                int i = seed;
                while (!done.get()) {
                    i = (i + 7) % patterns;
                    try {
                        Request r = MuxTestRequests.get("/p" + i + "/item-" + i);
                        MuxTestWriter w = serve(mux, r);
                        if (w.status() == 200) {
                            if (!("item-" + i).equals(r.pathValue("name"))) {
                                failures.add("bad value for " + i + ": " + r.pathValue("name"));
                            }
                        } else if (w.status() != 404) {
                            failures.add("status " + w.status() + " for " + i);
                        }
                        MuxTestWriter f = serve(mux, MuxTestRequests.get("/fallback/x"));
                        if (f.status() != 299) {
                            failures.add("fallback status " + f.status());
                        }
                    } catch (Exception e) {
                        failures.add(e.toString());
                    }
                }
            }));
        }
        try {
            started.await();
            for (int i = 0; i < patterns; i++) {
                mux.handle("GET /p" + i + "/{name}", status(200));
            }
        } finally {
            done.set(true);
        }
        for (Thread t : readers) {
            t.join(10_000);
        }
        if (!failures.isEmpty()) {
            fail(failures.size() + " failures, first: " + failures.peek());
        }
        for (int i = 0; i < patterns; i++) {
            Request r = MuxTestRequests.get("/p" + i + "/item-" + i);
            assertEquals(200, serve(mux, r).status());
            assertEquals("item-" + i, r.pathValue("name"));
        }
    }
}
