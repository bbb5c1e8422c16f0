package dev.weft.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.weft.http.RoutePattern.Relation;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Parsing of mux patterns and the relations between them, after Go's pattern_test.go. */
class RoutePatternTest {

    private static final Relation EQ = Relation.EQUIVALENT;
    private static final Relation MG = Relation.MORE_GENERAL;
    private static final Relation MS = Relation.MORE_SPECIFIC;
    private static final Relation DJ = Relation.DISJOINT;
    private static final Relation OV = Relation.OVERLAPS;

    static Stream<Arguments> validPatterns() {
        return Stream.of(
                arguments("/", "", "", "multi()"),
                arguments("/a", "", "", "lit(a)"),
                arguments("/a/", "", "", "lit(a) multi()"),
                arguments("/path/to/something", "", "", "lit(path) lit(to) lit(something)"),
                arguments("/{w1}/lit/{w2}", "", "", "wild(w1) lit(lit) wild(w2)"),
                arguments("/{w1}/lit/{w2}/", "", "", "wild(w1) lit(lit) wild(w2) multi()"),
                arguments("example.com/", "", "example.com", "multi()"),
                arguments("GET /", "GET", "", "multi()"),
                arguments("POST example.com/foo/{w}", "POST", "example.com", "lit(foo) wild(w)"),
                arguments("/{$}", "", "", "dollar"),
                arguments("DELETE example.com/a/{foo12}/{$}", "DELETE", "example.com", "lit(a) wild(foo12) dollar"),
                arguments("/foo/{$}", "", "", "lit(foo) dollar"),
                arguments("/{a}/foo/{rest...}", "", "", "wild(a) lit(foo) multi(rest)"),
                arguments("//", "", "", "lit() multi()"),
                arguments("/foo///./../bar", "", "", "lit(foo) lit() lit() lit(.) lit(..) lit(bar)"),
                arguments("a.com/foo//", "", "a.com", "lit(foo) lit() multi()"),
                arguments("/%61%62/%7b/%", "", "", "lit(ab) lit({) lit(%)"),
                arguments("/a%2Fb/%E2%82%AC", "", "", "lit(a/b) lit(€)"),
                arguments("GET\t  /", "GET", "", "multi()"),
                arguments("POST \t  example.com/foo/{w}", "POST", "example.com", "lit(foo) wild(w)"),
                arguments("DELETE    \texample.com/a/{foo12}/{$}", "DELETE", "example.com", "lit(a) wild(foo12) dollar"),
                arguments("GET /trailing/blanks \t", "GET", "", "lit(trailing) lit(blanks)"),
                arguments(" /leading-blank-means-no-method", "", "", "lit(leading-blank-means-no-method)"),
                arguments("CONNECT //", "CONNECT", "", "lit() multi()"),
                arguments("/{_x1}/{ñame}/{π...}", "", "", "wild(_x1) wild(ñame) multi(π)"),
                arguments("M-SEARCH [::1]/x", "M-SEARCH", "[::1]", "lit(x)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validPatterns")
    void parses(String in, String method, String host, String segments) {
        RoutePattern p = RoutePattern.parse(in);
        assertEquals(method, p.method, "method");
        assertEquals(host, p.host, "host");
        assertEquals(segments, p.segments.stream().map(Object::toString).collect(Collectors.joining(" ")));
        assertEquals(in, p.toString());
    }

    static Stream<Arguments> invalidPatterns() {
        return Stream.of(
                arguments("", "empty pattern"),
                arguments("A=B /", "at offset 0: invalid method"),
                arguments(" ", "at offset 1: host/path missing /"),
                arguments("example.com", "at offset 0: host/path missing /"),
                arguments("/{w}x", "at offset 1: bad wildcard segment"),
                arguments("/x{w}", "at offset 1: bad wildcard segment"),
                arguments("/{wx", "at offset 1: bad wildcard segment"),
                arguments("/a/{/}/c", "at offset 3: bad wildcard segment"),
                arguments("/a/{%61}/c", "at offset 3: bad wildcard name"),
                arguments("/{a$}", "at offset 1: bad wildcard name"),
                arguments("/{1a}", "at offset 1: bad wildcard name"),
                arguments("/{a-b}", "at offset 1: bad wildcard name"),
                arguments("/{}", "at offset 1: empty wildcard"),
                arguments("POST a.com/x/{}/y", "at offset 13: empty wildcard"),
                arguments("/{...}", "at offset 1: empty wildcard"),
                arguments("/{$...}", "at offset 1: bad wildcard"),
                arguments("/{$}/", "at offset 1: {$} not at end"),
                arguments("/{$}/x", "at offset 1: {$} not at end"),
                arguments("/abc/{$}/x", "at offset 5: {$} not at end"),
                arguments("/{a...}/", "at offset 1: {...} wildcard not at end"),
                arguments("/{a...}/x", "at offset 1: {...} wildcard not at end"),
                arguments("{a}/b", "at offset 0: host contains '{' (missing initial '/'?)"),
                arguments("/a/{x}/b/{x...}", "at offset 9: duplicate wildcard name"),
                arguments("GET //", "at offset 4: non-CONNECT pattern with unclean path"),
                arguments("GET /a/../b", "non-CONNECT pattern with unclean path"),
                arguments("GET /a/./", "non-CONNECT pattern with unclean path"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidPatterns")
    void rejects(String in, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RoutePattern.parse(in));
        assertTrue(e.getMessage().contains(message), e.getMessage());
        assertTrue(e.getMessage().contains("\"" + in + "\""), "names the pattern: " + e.getMessage());
    }

    static Stream<Arguments> tokens() {
        return Stream.of(
                arguments("", false),
                arguments("GET", true),
                arguments("get", true),
                arguments("white space", false),
                arguments("#!~", true),
                arguments("a-b1_2", true),
                arguments("notok)", false),
                arguments("ÄÖ", false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tokens")
    void methodMustBeAToken(String in, boolean want) {
        assertEquals(want, RoutePattern.isToken(in));
    }

    static Stream<Arguments> methodRelations() {
        return Stream.of(
                arguments("/", "/", EQ),
                arguments("GET /", "GET /", EQ),
                arguments("HEAD /", "HEAD /", EQ),
                arguments("POST /", "POST /", EQ),
                arguments("GET /", "POST /", DJ),
                arguments("GET /", "/", MS),
                arguments("HEAD /", "/", MS),
                arguments("GET /", "HEAD /", MG));
    }

    @ParameterizedTest(name = "{0} vs {1}")
    @MethodSource("methodRelations")
    void compareMethods(String a, String b, Relation want) {
        RoutePattern p1 = RoutePattern.parse(a);
        RoutePattern p2 = RoutePattern.parse(b);
        assertEquals(want, p1.compareMethods(p2));
        assertEquals(want.inverse(), p2.compareMethods(p1));
    }

    static Stream<Arguments> pathRelations() {
        return Stream.of(
                // A literal is more specific than anything it overlaps, except itself.
                arguments("/a", "/a", EQ),
                arguments("/a", "/b", DJ),
                arguments("/a", "/", MS),
                arguments("/a", "/{$}", DJ),
                arguments("/a", "/{x}", MS),
                arguments("/a", "/{x...}", MS),
                // Adding a segment doesn't change that.
                arguments("/b/a", "/b/a", EQ),
                arguments("/b/a", "/b/b", DJ),
                arguments("/b/a", "/b/", MS),
                arguments("/b/a", "/b/{$}", DJ),
                arguments("/b/a", "/b/{x}", MS),
                arguments("/b/a", "/b/{x...}", MS),
                arguments("/{z}/a", "/{z}/a", EQ),
                arguments("/{z}/a", "/{z}/b", DJ),
                arguments("/{z}/a", "/{z}/", MS),
                arguments("/{z}/a", "/{z}/{$}", DJ),
                arguments("/{z}/a", "/{z}/{x}", MS),
                arguments("/{z}/a", "/{z}/{x...}", MS),
                // Single wildcard on the left.
                arguments("/{z}", "/a", MG),
                arguments("/{z}", "/a/b", DJ),
                arguments("/{z}", "/{$}", DJ),
                arguments("/{z}", "/{x}", EQ),
                arguments("/{z}", "/", MS),
                arguments("/{z}", "/{x...}", MS),
                arguments("/b/{z}", "/b/a", MG),
                arguments("/b/{z}", "/b/a/b", DJ),
                arguments("/b/{z}", "/b/{$}", DJ),
                arguments("/b/{z}", "/b/{x}", EQ),
                arguments("/b/{z}", "/b/", MS),
                arguments("/b/{z}", "/b/{x...}", MS),
                // Trailing slash on the left.
                arguments("/", "/a", MG),
                arguments("/", "/a/b", MG),
                arguments("/", "/{$}", MG),
                arguments("/", "/{x}", MG),
                arguments("/", "/", EQ),
                arguments("/", "/{x...}", EQ),
                arguments("/b/", "/b/a", MG),
                arguments("/b/", "/b/a/b", MG),
                arguments("/b/", "/b/{$}", MG),
                arguments("/b/", "/b/{x}", MG),
                arguments("/b/", "/b/", EQ),
                arguments("/b/", "/b/{x...}", EQ),
                arguments("/{z}/", "/{z}/a", MG),
                arguments("/{z}/", "/{z}/a/b", MG),
                arguments("/{z}/", "/{z}/{$}", MG),
                arguments("/{z}/", "/{z}/{x}", MG),
                arguments("/{z}/", "/{z}/", EQ),
                arguments("/{z}/", "/a/", MG),
                arguments("/{z}/", "/{z}/{x...}", EQ),
                arguments("/{z}/", "/a/{x...}", MG),
                arguments("/a/{z}/", "/{z}/a/", OV),
                arguments("/a/{z}/b/", "/{x}/c/{y...}", OV),
                // Multi wildcard on the left.
                arguments("/{m...}", "/a", MG),
                arguments("/{m...}", "/a/b", MG),
                arguments("/{m...}", "/{$}", MG),
                arguments("/{m...}", "/{x}", MG),
                arguments("/{m...}", "/", EQ),
                arguments("/{m...}", "/{x...}", EQ),
                arguments("/b/{m...}", "/b/a", MG),
                arguments("/b/{m...}", "/b/a/b", MG),
                arguments("/b/{m...}", "/b/{$}", MG),
                arguments("/b/{m...}", "/b/{x}", MG),
                arguments("/b/{m...}", "/b/", EQ),
                arguments("/b/{m...}", "/b/{x...}", EQ),
                arguments("/b/{m...}", "/a/{x...}", DJ),
                arguments("/{z}/{m...}", "/{z}/a", MG),
                arguments("/{z}/{m...}", "/{z}/a/b", MG),
                arguments("/{z}/{m...}", "/{z}/{$}", MG),
                arguments("/{z}/{m...}", "/{z}/{x}", MG),
                arguments("/{z}/{m...}", "/{w}/", EQ),
                arguments("/{z}/{m...}", "/a/", MG),
                arguments("/{z}/{m...}", "/{z}/{x...}", EQ),
                arguments("/{z}/{m...}", "/a/{x...}", MG),
                arguments("/a/{m...}", "/a/b/{y...}", MG),
                arguments("/a/{m...}", "/a/{x}/{y...}", MG),
                arguments("/a/{z}/{m...}", "/a/b/{y...}", MG),
                arguments("/a/{z}/{m...}", "/{z}/a/", OV),
                arguments("/a/{z}/{m...}", "/{z}/b/{y...}", OV),
                arguments("/a/{z}/b/{m...}", "/{x}/c/{y...}", OV),
                arguments("/a/{z}/a/{m...}", "/{x}/b", DJ),
                // Dollar on the left.
                arguments("/{$}", "/a", DJ),
                arguments("/{$}", "/a/b", DJ),
                arguments("/{$}", "/{$}", EQ),
                arguments("/{$}", "/{x}", DJ),
                arguments("/{$}", "/", MS),
                arguments("/{$}", "/{x...}", MS),
                arguments("/b/{$}", "/b", DJ),
                arguments("/b/{$}", "/b/a", DJ),
                arguments("/b/{$}", "/b/a/b", DJ),
                arguments("/b/{$}", "/b/{$}", EQ),
                arguments("/b/{$}", "/b/{x}", DJ),
                arguments("/b/{$}", "/b/", MS),
                arguments("/b/{$}", "/b/{x...}", MS),
                arguments("/b/{$}", "/b/c/{x...}", DJ),
                arguments("/b/{x}/a/{$}", "/{x}/c/{y...}", OV),
                arguments("/{x}/b/{$}", "/a/{x}/{y}", DJ),
                arguments("/{x}/b/{$}", "/a/{x}/c", DJ),
                arguments("/{z}/{$}", "/{z}/a", DJ),
                arguments("/{z}/{$}", "/{z}/a/b", DJ),
                arguments("/{z}/{$}", "/{z}/{$}", EQ),
                arguments("/{z}/{$}", "/{z}/{x}", DJ),
                arguments("/{z}/{$}", "/{z}/", MS),
                arguments("/{z}/{$}", "/a/", OV),
                arguments("/{z}/{$}", "/a/{x...}", OV),
                arguments("/{z}/{$}", "/{z}/{x...}", MS),
                arguments("/a/{z}/{$}", "/{z}/a/", OV),
                // Escapes are decoded before comparing; an escaped slash is not {$}.
                arguments("/%61", "/a", EQ),
                arguments("/a%2Fb", "/a/b", DJ),
                arguments("/a/%2F", "/a/{$}", DJ),
                arguments("/a/%2F", "/a/{x}", MS));
    }

    @ParameterizedTest(name = "{0} vs {1}")
    @MethodSource("pathRelations")
    void comparePaths(String a, String b, Relation want) {
        RoutePattern p1 = RoutePattern.parse(a);
        RoutePattern p2 = RoutePattern.parse(b);
        assertEquals(EQ, p1.comparePaths(p1), "matches itself");
        assertEquals(EQ, p2.comparePaths(p2), "matches itself");
        assertEquals(want, p1.comparePaths(p2));
        assertEquals(want.inverse(), p2.comparePaths(p1));
    }

    static Stream<Arguments> conflicts() {
        return Stream.of(
                arguments("/a", "/a", true),
                arguments("/a", "/ab", false),
                arguments("/a/b/cd", "/a/b/cd", true),
                arguments("/a/b/cd", "/a/b/c", false),
                arguments("/a/b/c", "/a/c/c", false),
                arguments("/{x}", "/{y}", true),
                arguments("/{x}", "/a", false),
                arguments("/{x}/{y}", "/{x}/a", false),
                arguments("/{x}/{y}", "/{x}/a/b", false),
                arguments("/{x}", "/a/{y}", false),
                arguments("/{x}/{y}", "/{x}/a/", false),
                arguments("/{x}", "/a/{y...}", false),
                arguments("/{x}/a/{y}", "/{x}/a/{y...}", false),
                arguments("/{x}/{y}", "/{x}/a/{$}", false),
                arguments("/{x}/{y}/{$}", "/{x}/a/{$}", false),
                arguments("/a/{x}", "/{x}/b", true),
                arguments("/", "GET /", false),
                arguments("/", "GET /foo", false),
                arguments("GET /", "GET /foo", false),
                arguments("GET /", "/foo", true),
                arguments("GET /foo", "HEAD /", true),
                // A host beats no host; different hosts never meet; hosts ignore case.
                arguments("a.com/x", "/x", false),
                arguments("a.com/x", "b.com/x", false),
                arguments("A.com/x", "a.COM/x", true),
                arguments("[::1]/x", "::1/x", true),
                arguments("GET a.com/", "a.com/foo", true));
    }

    @ParameterizedTest(name = "{0} vs {1}")
    @MethodSource("conflicts")
    void conflictsWith(String a, String b, boolean want) {
        RoutePattern p1 = RoutePattern.parse(a);
        RoutePattern p2 = RoutePattern.parse(b);
        assertEquals(want, p1.conflictsWith(p2));
        assertEquals(want, p2.conflictsWith(p1), "commutative");
    }

    static Stream<Arguments> conflictDescriptions() {
        return Stream.of(
                arguments("/a/{x}", "/a/{y}", "the same requests"),
                arguments("/", "/{m...}", "the same requests"),
                arguments("/a/{x}", "/{y}/b", "both match some paths, like \"/a/b\""),
                arguments("/a/{x}", "/{y}/b", "/a/{x} matches \"/a/x\", but /{y}/b doesn't"),
                arguments("/a", "GET /{x}", "matches more methods than GET /{x}, but has a more specific path pattern"),
                arguments("GET /a", "HEAD /", "matches more methods than HEAD /, but has a more specific path pattern"),
                arguments("POST /", "/a", "matches fewer methods than /a, but has a more general path pattern"));
    }

    @ParameterizedTest(name = "{0} vs {1}")
    @MethodSource("conflictDescriptions")
    void describeConflict(String a, String b, String want) {
        String got = RoutePattern.describeConflict(RoutePattern.parse(a), RoutePattern.parse(b));
        assertTrue(got.contains(want), got);
    }

    static Stream<Arguments> commonPaths() {
        return Stream.of(
                arguments("/a/{x}", "/{x}/a", "/a/a"),
                arguments("/a/{z}/", "/{z}/a/", "/a/a/"),
                arguments("/a/{z}/{m...}", "/{z}/a/", "/a/a/"),
                arguments("/{z}/{$}", "/a/", "/a/"),
                arguments("/{z}/{$}", "/a/{x...}", "/a/"),
                arguments("/a/{z}/{$}", "/{z}/a/", "/a/a/"),
                arguments("/a/{x}/b/{y...}", "/{x}/c/{y...}", "/a/c/b/"),
                arguments("/a/{x}/b/", "/{x}/c/{y...}", "/a/c/b/"),
                arguments("/a/{x}/b/{$}", "/{x}/c/{y...}", "/a/c/b/"),
                arguments("/a/{z}/{x...}", "/{z}/b/{y...}", "/a/b/"));
    }

    @ParameterizedTest(name = "{0} vs {1}")
    @MethodSource("commonPaths")
    void commonPath(String a, String b, String want) {
        RoutePattern p1 = RoutePattern.parse(a);
        RoutePattern p2 = RoutePattern.parse(b);
        assertEquals(OV, p1.comparePaths(p2));
        assertEquals(want, RoutePattern.commonPath(p1, p2));
    }

    static Stream<Arguments> differencePaths() {
        return Stream.of(
                arguments("/a/{x}", "/{x}/a", "/a/x"),
                arguments("/{x}/a", "/a/{x}", "/x/a"),
                arguments("/a/{z}/", "/{z}/a/", "/a/z/"),
                arguments("/{z}/a/", "/a/{z}/", "/z/a/"),
                arguments("/{a}/a/", "/a/{z}/", "/ax/a/"),
                arguments("/a/{z}/{x...}", "/{z}/b/{y...}", "/a/z/"),
                arguments("/{z}/b/{y...}", "/a/{z}/{x...}", "/z/b/"),
                arguments("/a/b/", "/a/b/c", "/a/b/"),
                arguments("/a/b/{x...}", "/a/b/c", "/a/b/"),
                arguments("/a/b/{x...}", "/a/b/c/d", "/a/b/"),
                arguments("/a/b/{x...}", "/a/b/c/d/", "/a/b/"),
                arguments("/a/{z}/{m...}", "/{z}/a/", "/a/z/"),
                arguments("/{z}/a/", "/a/{z}/{m...}", "/z/a/"),
                arguments("/{z}/{$}", "/a/", "/z/"),
                arguments("/a/", "/{z}/{$}", "/a/x"),
                arguments("/{z}/{$}", "/a/{x...}", "/z/"),
                arguments("/a/{foo...}", "/{z}/{$}", "/a/foo"),
                arguments("/a/{z}/{$}", "/{z}/a/", "/a/z/"),
                arguments("/{z}/a/", "/a/{z}/{$}", "/z/a/x"),
                arguments("/a/{x}/b/{y...}", "/{x}/c/{y...}", "/a/x/b/"),
                arguments("/{x}/c/{y...}", "/a/{x}/b/{y...}", "/x/c/"),
                arguments("/a/{c}/b/", "/{x}/c/{y...}", "/a/cx/b/"),
                arguments("/{x}/c/{y...}", "/a/{c}/b/", "/x/c/"),
                arguments("/a/{x}/b/{$}", "/{x}/c/{y...}", "/a/x/b/"),
                arguments("/{x}/c/{y...}", "/a/{x}/b/{$}", "/x/c/"));
    }

    @ParameterizedTest(name = "{0} vs {1}")
    @MethodSource("differencePaths")
    void differencePath(String a, String b, String want) {
        RoutePattern p1 = RoutePattern.parse(a);
        RoutePattern p2 = RoutePattern.parse(b);
        Relation rel = p1.comparePaths(p2);
        assertTrue(rel == OV || rel == MG, rel.toString());
        assertEquals(want, RoutePattern.differencePath(p1, p2));
    }

    static Stream<Arguments> wildcardNames() {
        return Stream.of(
                arguments("/{a}/is/{b}/{c...}", new String[] {"a", "b", "c"}),
                arguments("/x/{id}/", new String[] {"id"}),
                arguments("/x/{$}", new String[] {}),
                arguments("/", new String[] {}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("wildcardNames")
    void wildcardNamesInPathOrder(String in, String[] want) {
        assertArrayEquals(want, RoutePattern.parse(in).wildcardNames);
    }
}
