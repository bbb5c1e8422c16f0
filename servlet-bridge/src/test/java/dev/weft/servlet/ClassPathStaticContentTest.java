package dev.weft.servlet;

import static dev.weft.servlet.StaticContentTest.fetch;
import static dev.weft.servlet.StaticContentTest.get;
import static dev.weft.servlet.StaticContentTest.head;
import static dev.weft.servlet.StaticContentTest.parts;
import static dev.weft.servlet.StaticContentTest.pattern;
import static dev.weft.servlet.StaticContentTest.raw;
import static dev.weft.servlet.StaticContentTest.slice;
import static dev.weft.servlet.StaticContentTest.statusOf;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.servlet.StaticContentTest.Bin;
import dev.weft.servlet.StaticContentTest.Part;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The default servlet over class-path resources: a folder on the test class path
 * ({@code src/test/resources/static-content}, served from files) and a jar built here (served
 * from jar entry streams, which cannot seek).
 */
class ClassPathStaticContentTest {
    static final String HELLO = "Hello from the class path\n";

    @TempDir
    Path tmp;
    URLClassLoader jarLoader;
    byte[] big;

    @BeforeEach
    void jar() throws IOException {
        Path jar = tmp.resolve("static.jar");
        big = new byte[5 * 1024 * 1024 + 17];
        new Random(7).nextBytes(big);
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            for (String dir : List.of("site/", "site/sub/", "site/WEB-INF/")) {
                entry(out, dir, null);
            }
            entry(out, "site/hello.txt", "jar hello".getBytes(StandardCharsets.UTF_8));
            entry(out, "site/data.bin", pattern(1000));
            entry(out, "site/big.bin", big);
            entry(out, "site/sub/index.html", "<p>sub index</p>".getBytes(StandardCharsets.UTF_8));
            entry(out, "site/WEB-INF/secret.txt", "jar secret".getBytes(StandardCharsets.UTF_8));
        }
        // No parent: only the jar is searched, so nothing else on the class path can answer.
        jarLoader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null);
    }

    private static void entry(JarOutputStream out, String name, byte[] content) throws IOException {
        JarEntry e = new JarEntry(name);
        e.setLastModifiedTime(FileTime.from(Instant.parse("2023-06-07T08:09:10Z")));
        out.putNextEntry(e);
        if (content != null) {
            out.write(content);
        }
        out.closeEntry();
    }

    @AfterEach
    void close() throws IOException {
        jarLoader.close();
    }

    private WebApp classPathApp() {
        return new WebApp("/cp").setResources(Resources.classPath(getClass().getClassLoader(), "static-content"));
    }

    private WebApp jarApp() {
        return new WebApp("/jar").setResources(Resources.classPath(jarLoader, "site"));
    }

    @Test
    void classPathFolderServesFilesWithValidators() throws Exception {
        try (Deployed d = Deployed.start(classPathApp())) {
            Bin r = get(d, "/cp/hello.txt");
            assertEquals(200, r.status());
            assertEquals(HELLO, r.text());
            assertEquals("text/plain", r.header("Content-Type"));
            assertEquals(Integer.toString(HELLO.length()), r.header("Content-Length"));
            assertTrue(r.header("ETag").matches("W/\"" + HELLO.length() + "-\\d+\""), r.header("ETag"));
            assertNotNull(r.header("Last-Modified"));
            assertEquals(304, get(d, "/cp/hello.txt", "If-None-Match", r.header("ETag")).status());
            assertEquals(304, get(d, "/cp/hello.txt", "If-Modified-Since", r.header("Last-Modified")).status());
            Bin range = get(d, "/cp/hello.txt", "Range", "bytes=0-4");
            assertEquals(206, range.status());
            assertEquals("Hello", range.text());
            assertEquals("text/css", get(d, "/cp/docs/page.css").header("Content-Type"));
        }
    }

    @Test
    void classPathFolderDirectoriesAndProtectedPaths() throws Exception {
        try (Deployed d = Deployed.start(classPathApp())) {
            Bin redirect = get(d, "/cp/docs?v=1");
            assertEquals(302, redirect.status());
            assertTrue(redirect.header("Location").endsWith("/cp/docs/?v=1"), redirect.header("Location"));
            assertEquals("<p>docs index</p>", get(d, "/cp/docs/").text());
            assertEquals(404, get(d, "/cp/WEB-INF/secret.txt").status());
            assertEquals(404, get(d, "/cp/web-inf/secret.txt").status());
            assertEquals(404, get(d, "/cp/nope.txt").status());
            assertEquals(404, get(d, "/cp/").status(), "no welcome file at the root");
        }
    }

    @Test
    void classPathBaseCannotBeClimbedOutOf() throws Exception {
        WebApp app = new WebApp("").setResources(Resources.classPath(getClass().getClassLoader(), "static-content"));
        app.addServlet("fwd", new StaticContentTest.Forwarder()).addMapping("/fwd");
        try (Deployed d = Deployed.start(app)) {
            String target = "/dev/weft/servlet/ClassPathStaticContentTest.class";
            for (String p : List.of("/.." + target, "/docs/../.." + target, "/%2e%2e" + target, "/..%2f.." + target)) {
                assertEquals(400, statusOf(raw(d, "GET", p)), p);
            }
            // Only the application can hand the servlet such a path; it must not reach the classes.
            Bin r = get(d, "/fwd?to=" + java.net.URLEncoder.encode("/.." + target, StandardCharsets.UTF_8));
            assertEquals(404, r.status());
            assertEquals(404, get(d, target).status(), "the prefix is the base");
        }
    }

    @Test
    void jarEntriesAreServedWithValidators() throws Exception {
        try (Deployed d = Deployed.start(jarApp())) {
            Bin r = get(d, "/jar/hello.txt");
            assertEquals(200, r.status());
            assertEquals("jar hello", r.text());
            assertEquals("9", r.header("Content-Length"));
            assertEquals("bytes", r.header("Accept-Ranges"));
            assertTrue(r.header("ETag").matches("W/\"9-\\d+\""), r.header("ETag"));
            assertNotNull(r.header("Last-Modified"));
            assertEquals(304, get(d, "/jar/hello.txt", "If-None-Match", r.header("ETag")).status());
            assertEquals(304, get(d, "/jar/hello.txt", "If-Modified-Since", r.header("Last-Modified")).status());
            Bin h = head(d, "/jar/hello.txt");
            assertEquals("9", h.header("Content-Length"));
            assertEquals(0, h.body().length);
        }
    }

    @Test
    void jarEntryRangesNeedNoSeeking() throws Exception {
        byte[] data = pattern(1000);
        try (Deployed d = Deployed.start(jarApp())) {
            Bin single = get(d, "/jar/data.bin", "Range", "bytes=-10");
            assertEquals(206, single.status());
            assertEquals("bytes 990-999/1000", single.header("Content-Range"));
            assertArrayEquals(slice(data, 990, 999), single.body());
            // Out of order: the second part starts behind the first, so the stream is reopened.
            Bin multi = get(d, "/jar/data.bin", "Range", "bytes=700-709,10-19,500-501");
            List<Part> p = parts(multi);
            assertEquals(3, p.size());
            assertArrayEquals(slice(data, 700, 709), p.get(0).data());
            assertArrayEquals(slice(data, 10, 19), p.get(1).data());
            assertArrayEquals(slice(data, 500, 501), p.get(2).data());
            assertEquals(416, get(d, "/jar/data.bin", "Range", "bytes=1000-").status());
        }
    }

    @Test
    void largeJarEntryIsStreamedIntact() throws Exception {
        try (Deployed d = Deployed.start(jarApp())) {
            Bin r = fetch(d, new HttpGet(d.url("/jar/big.bin")));
            assertEquals(200, r.status());
            assertEquals(Integer.toString(big.length), r.header("Content-Length"));
            assertTrue(Arrays.equals(big, r.body()), "body differs");
            Bin tail = get(d, "/jar/big.bin", "Range", "bytes=" + (big.length - 100_000) + "-");
            assertArrayEquals(slice(big, big.length - 100_000, big.length - 1), tail.body());
        }
    }

    @Test
    void jarDirectoriesWelcomeFilesListingsAndProtectedPaths() throws Exception {
        try (Deployed d = Deployed.start(jarApp().setDirectoryListings(true))) {
            Bin redirect = get(d, "/jar/sub");
            assertEquals(302, redirect.status());
            assertTrue(redirect.header("Location").endsWith("/jar/sub/"), redirect.header("Location"));
            assertEquals("<p>sub index</p>", get(d, "/jar/sub/").text());
            Bin listing = get(d, "/jar/");
            assertEquals(200, listing.status());
            String html = listing.text();
            assertTrue(html.contains("<a href=\"hello.txt\">hello.txt</a></td><td>9</td>"), html);
            assertTrue(html.contains("<a href=\"sub/\">sub/</a>"), html);
            assertFalse(html.contains("WEB-INF"), html);
            assertEquals(404, get(d, "/jar/WEB-INF/secret.txt").status());
            assertEquals(404, get(d, "/jar/WEB-INF/").status());
            assertEquals(404, get(d, "/jar/hello.txt/").status());
            assertEquals(404, get(d, "/jar/nope.txt").status());
        }
    }
}
