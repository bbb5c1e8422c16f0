package dev.weft.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Go's cleanPath: path.Clean on a rooted path, keeping a trailing slash. */
class PathCleanTest {

    static Stream<Arguments> paths() {
        return Stream.of(
                // Already clean.
                arguments("/", "/"),
                arguments("/abc", "/abc"),
                arguments("/a/b/c", "/a/b/c"),
                arguments("/abc/", "/abc/"),
                arguments("/.a/..b/...", "/.a/..b/..."),
                arguments("/%2e%2e/x", "/%2e%2e/x"),
                // Missing or empty root.
                arguments("", "/"),
                arguments("abc", "/abc"),
                arguments("a/b/c", "/a/b/c"),
                arguments("test/", "/test/"),
                // Repeated slashes.
                arguments("//abc", "/abc"),
                arguments("///foo.txt", "/foo.txt"),
                arguments("/abc//", "/abc/"),
                arguments("/a//b//c/", "/a/b/c/"),
                arguments("//", "/"),
                // Dot segments.
                arguments("/.", "/"),
                arguments("/./", "/"),
                arguments("/a/./b/", "/a/b/"),
                arguments("/abc/./def", "/abc/def"),
                arguments("/a/.", "/a"),
                // Dot-dot segments.
                arguments("/..", "/"),
                arguments("/../", "/"),
                arguments("/../../foo.txt", "/foo.txt"),
                arguments("/a/../b", "/b"),
                arguments("/a/b/..", "/a"),
                arguments("/a/b/../", "/a/"),
                arguments("/dir/..", "/"),
                arguments("/abc/def/../../..", "/"),
                arguments("/abc/def/../ghi/../jkl", "/abc/jkl"),
                arguments("/testOne/foo/..", "/testOne"),
                arguments("/a/b/../../../c/", "/c/"));
    }

    @ParameterizedTest(name = "\"{0}\"")
    @MethodSource("paths")
    void cleans(String in, String want) {
        assertEquals(want, PathClean.clean(in));
        assertEquals(want, PathClean.clean(want), "idempotent");
        assertEquals(in.equals(want), PathClean.isClean(in));
        if (in.equals(want)) {
            assertSame(in, PathClean.clean(in), "a clean path is returned as it is");
        }
    }
}
