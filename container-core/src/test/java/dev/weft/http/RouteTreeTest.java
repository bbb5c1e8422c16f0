package dev.weft.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Matching in the routing tree, after Go's routing_tree_test.go. */
class RouteTreeTest {

    private static RouteTree build(String... patterns) {
        RouteTree t = RouteTree.EMPTY;
        for (String p : patterns) {
            t = t.with(RoutePattern.parse(p), (w, r) -> {});
        }
        return t;
    }

    private static final Map<String, RouteTree> TREES = Map.ofEntries(
            Map.entry("basic", build("/a", "/a/b", "/a/{x}", "/g/h/i", "/g/{x}/j", "/a/b/{x...}", "/a/b/{y}",
                    "/a/b/{$}")),
            Map.entry("items", build("/item/", "POST /item/{user}", "GET /item/{user}", "/item/{user}",
                    "/item/{user}/{id}", "/item/{user}/new", "/item/{$}", "POST alt.com/item/{user}", "GET /headwins",
                    "HEAD /headwins", "/path/{p...}")),
            Map.entry("dollar", build("/a/b/{$}")),
            Map.entry("single", build("/a/b/{w}")),
            Map.entry("multi", build("/a/b/{w...}")),
            Map.entry("all3", build("/a/b/{$}", "/a/b/{w}", "/a/b/{w...}")),
            Map.entry("escaped", build("/a%2Fb/{x}", "/a/b/{y}", "/e/%2F")),
            Map.entry("hosts", build("GET a.com/", "PUT b.com/", "POST /foo/{x}")),
            Map.entry("post", build("POST /")),
            Map.entry("get", build("GET /")),
            Map.entry("any", build("/")));

    static Stream<Arguments> splits() {
        return Stream.of(
                arguments("/a/b/c", List.of("a", "b", "c"), false),
                arguments("/a/b/", List.of("a", "b"), true),
                arguments("/", List.of(), true),
                arguments("/a/%62/c", List.of("a", "b", "c"), false),
                arguments("/a%2Fb%2fc", List.of("a/b/c"), false),
                arguments("//", List.of(""), true),
                arguments("/%E2%82%AC/x%20y", List.of("€", "x y"), false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("splits")
    void splitsPathIntoDecodedSegments(String raw, List<String> segments, boolean trailingSlash) {
        RouteTree.Path p = new RouteTree.Path(raw);
        assertEquals(segments, Arrays.asList(p.segments));
        assertEquals(trailingSlash, p.trailingSlash);
    }

    static Stream<Arguments> matches() {
        return Stream.of(
                arguments("basic", "GET", "", "/a", "/a", List.of(), true),
                arguments("basic", "Get", "", "/b", null, List.of(), false),
                arguments("basic", "Get", "", "/a/b", "/a/b", List.of(), true),
                arguments("basic", "Get", "", "/a/c", "/a/{x}", List.of("c"), true),
                arguments("basic", "Get", "", "/a/b/", "/a/b/{$}", List.of(), true),
                arguments("basic", "Get", "", "/a/b/c", "/a/b/{y}", List.of("c"), true),
                arguments("basic", "Get", "", "/a/b/c/d", "/a/b/{x...}", List.of("c/d"), false),
                arguments("basic", "Get", "", "/g/h/i", "/g/h/i", List.of(), true),
                arguments("basic", "Get", "", "/g/h/j", "/g/{x}/j", List.of("h"), true),
                arguments("items", "GET", "", "/item/jba", "GET /item/{user}", List.of("jba"), true),
                arguments("items", "POST", "", "/item/jba", "POST /item/{user}", List.of("jba"), true),
                arguments("items", "HEAD", "", "/item/jba", "GET /item/{user}", List.of("jba"), true),
                arguments("items", "get", "", "/item/jba", "/item/{user}", List.of("jba"), true),
                arguments("items", "POST", "", "/item/jba/17", "/item/{user}/{id}", List.of("jba", "17"), true),
                arguments("items", "GET", "", "/item/jba/new", "/item/{user}/new", List.of("jba"), true),
                arguments("items", "GET", "", "/item/", "/item/{$}", List.of(), true),
                arguments("items", "GET", "", "/item/jba/17/line2", "/item/", List.of(), false),
                arguments("items", "POST", "alt.com", "/item/jba", "POST alt.com/item/{user}", List.of("jba"), true),
                arguments("items", "GET", "alt.com", "/item/jba", "GET /item/{user}", List.of("jba"), true),
                arguments("items", "GET", "", "/item", null, List.of(), false),
                arguments("items", "GET", "", "/headwins", "GET /headwins", List.of(), true),
                arguments("items", "HEAD", "", "/headwins", "HEAD /headwins", List.of(), true),
                arguments("items", "GET", "", "/path/to/file", "/path/{p...}", List.of("to/file"), false),
                arguments("items", "GET", "", "/path/*", "/path/{p...}", List.of("*"), false),
                arguments("items", "GET", "", "/path/", "/path/{p...}", List.of(""), true),
                arguments("items", "GET", "", "/path/a%2Fb/c%20d/", "/path/{p...}", List.of("a/b/c d/"), false),
                // {$} matches only the path with the trailing slash.
                arguments("dollar", "GET", "", "/a/b", null, List.of(), false),
                arguments("dollar", "GET", "", "/a/b/", "/a/b/{$}", List.of(), true),
                arguments("dollar", "GET", "", "/a/b/c", null, List.of(), false),
                arguments("dollar", "GET", "", "/a/b/c/d", null, List.of(), false),
                // A final single wildcard does not match a trailing slash.
                arguments("single", "GET", "", "/a/b", null, List.of(), false),
                arguments("single", "GET", "", "/a/b/", null, List.of(), false),
                arguments("single", "GET", "", "/a/b/c", "/a/b/{w}", List.of("c"), true),
                arguments("single", "GET", "", "/a/b/c/d", null, List.of(), false),
                // A final multi wildcard matches both.
                arguments("multi", "GET", "", "/a/b", null, List.of(), false),
                arguments("multi", "GET", "", "/a/b/", "/a/b/{w...}", List.of(""), true),
                arguments("multi", "GET", "", "/a/b/c", "/a/b/{w...}", List.of("c"), false),
                arguments("multi", "GET", "", "/a/b/c/d", "/a/b/{w...}", List.of("c/d"), false),
                // All three together.
                arguments("all3", "GET", "", "/a/b", null, List.of(), false),
                arguments("all3", "GET", "", "/a/b/", "/a/b/{$}", List.of(), true),
                arguments("all3", "GET", "", "/a/b/c", "/a/b/{w}", List.of("c"), true),
                arguments("all3", "GET", "", "/a/b/c/d", "/a/b/{w...}", List.of("c/d"), false),
                // Escaped slashes stay inside their segment, in patterns and paths alike.
                arguments("escaped", "GET", "", "/a%2Fb/z", "/a%2Fb/{x}", List.of("z"), true),
                arguments("escaped", "GET", "", "/a%2fb/z", "/a%2Fb/{x}", List.of("z"), true),
                arguments("escaped", "GET", "", "/a/b/z", "/a/b/{y}", List.of("z"), true),
                arguments("escaped", "GET", "", "/a/b/z%2Fq", "/a/b/{y}", List.of("z/q"), true),
                arguments("escaped", "GET", "", "/e/%2F", "/e/%2F", List.of(), true),
                arguments("escaped", "GET", "", "/e/", null, List.of(), false));
    }

    @ParameterizedTest(name = "{0}: {1} {2}{3}")
    @MethodSource("matches")
    void matches(String tree, String method, String host, String path, String wantPattern, List<String> wantValues,
            boolean wantExact) {
        RouteTree.Match m = TREES.get(tree).match(host, method, new RouteTree.Path(path));
        if (wantPattern == null) {
            assertNull(m, () -> "matched " + m.leaf.pattern());
            return;
        }
        assertEquals(wantPattern, m.leaf.pattern().text);
        List<String> values = new ArrayList<>(Arrays.asList(m.values).subList(0, m.valueCount));
        assertEquals(wantValues, values);
        assertEquals(wantExact, m.exact, "exact");
    }

    static Stream<Arguments> allowedMethods() {
        return Stream.of(
                arguments("post", "", "/foo", "POST"),
                arguments("get", "", "/foo", "GET,HEAD"),
                arguments("hosts", "", "/foo", ""),
                arguments("hosts", "", "/foo/bar", "POST"),
                arguments("hosts", "a.com", "/foo/bar", "GET,HEAD,POST"),
                arguments("hosts", "b.com", "/bar", "PUT"),
                // Only asked after nothing matched; patterns for any method are not counted.
                arguments("any", "", "/", ""));
    }

    @ParameterizedTest(name = "{0}: {1}{2}")
    @MethodSource("allowedMethods")
    void allowedMethods(String tree, String host, String path, String want) {
        TreeSet<String> got = new TreeSet<>();
        TREES.get(tree).allowedMethods(host, new RouteTree.Path(path), got);
        assertEquals(want, String.join(",", got));
    }
}
