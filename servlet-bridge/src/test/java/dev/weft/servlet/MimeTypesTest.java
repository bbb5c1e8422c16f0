package dev.weft.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class MimeTypesTest {

    private static Arguments row(String path, String expected) {
        return Arguments.of(path, expected);
    }

    static Stream<Arguments> builtIn() {
        return Stream.of(
                row("index.html", "text/html"),
                row("/a/b/page.htm", "text/html"),
                row("site.css", "text/css"),
                row("app.js", "text/javascript"),
                row("module.mjs", "text/javascript"),
                row("data.json", "application/json"),
                row("feed.xml", "application/xml"),
                row("notes.txt", "text/plain"),
                row("table.csv", "text/csv"),
                row("logo.png", "image/png"),
                row("photo.jpg", "image/jpeg"),
                row("photo.jpeg", "image/jpeg"),
                row("anim.gif", "image/gif"),
                row("icon.svg", "image/svg+xml"),
                row("favicon.ico", "image/vnd.microsoft.icon"),
                row("pic.webp", "image/webp"),
                row("pic.avif", "image/avif"),
                row("font.woff", "font/woff"),
                row("font.woff2", "font/woff2"),
                row("font.ttf", "font/ttf"),
                row("font.otf", "font/otf"),
                row("doc.pdf", "application/pdf"),
                row("bundle.zip", "application/zip"),
                row("dump.tar.gz", "application/gzip"),
                row("src.tar", "application/x-tar"),
                row("prog.wasm", "application/wasm"),
                row("song.mp3", "audio/mpeg"),
                row("clip.mp4", "video/mp4"),
                row("clip.webm", "video/webm"),
                row("sound.ogg", "audio/ogg"),
                row("sound.wav", "audio/wav"),
                row("lib.jar", "application/java-archive"),
                row("app.war", "application/java-archive"),
                row("Main.class", "application/java-vm"),
                row("report.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
                row("segment.ts", "video/mp2t"),
                // Case does not matter.
                row("INDEX.HTML", "text/html"),
                row("Photo.JpG", "image/jpeg"),
                // No extension, an unknown one, or a dot that belongs to a directory.
                row("README", null),
                row("file.unknownext", null),
                row("file.", null),
                row("/v1.2/readme", null),
                row("/v1.2/readme.md", "text/markdown"),
                row(".htaccess", null),
                row("/dir/.css", "text/css"),
                row("", null),
                row(null, null));
    }

    @ParameterizedTest
    @MethodSource
    void builtIn(String path, String expected) {
        assertEquals(expected, new MimeTypes().forPath(path), path);
    }

    /** One row: the mapping to add, a path, its type in that table and in a fresh one. */
    static Stream<Arguments> overrides() {
        return Stream.of(
                Arguments.of("foo", "application/x-foo", "a.foo", "application/x-foo", null),
                Arguments.of("FOO", "application/x-foo", "a.foo", "application/x-foo", null),
                Arguments.of(".foo", "application/x-foo", "a.FOO", "application/x-foo", null),
                Arguments.of("js", "application/javascript", "app.js", "application/javascript", "text/javascript"),
                Arguments.of("html", "text/html;charset=UTF-8", "x.HTML", "text/html;charset=UTF-8", "text/html"),
                Arguments.of("foo", "application/x-foo", "a.css", "text/css", "text/css"));
    }

    @ParameterizedTest
    @MethodSource
    void overrides(String extension, String type, String path, String expected, String elsewhere) {
        MimeTypes app = new MimeTypes();
        app.add(extension, type);
        assertEquals(expected, app.forPath(path));
        // The mapping belongs to that table: the built-in one, shared by all, is untouched.
        assertEquals(elsewhere, new MimeTypes().forPath(path));
    }

    static Stream<Arguments> invalidAdds() {
        return Stream.of(
                Arguments.of(null, "text/plain"),
                Arguments.of("txt", null),
                Arguments.of("txt", " "),
                Arguments.of("", "text/plain"),
                Arguments.of(".", "text/plain"),
                Arguments.of("a/b", "text/plain"),
                Arguments.of("tar.gz", "application/gzip"));
    }

    @ParameterizedTest
    @MethodSource
    void invalidAdds(String extension, String type) {
        assertThrows(IllegalArgumentException.class, () -> new MimeTypes().add(extension, type));
    }
}
