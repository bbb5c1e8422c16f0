package dev.weft.test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.weft.test.app.HelloServlet;
import dev.weft.test.app.StartListener;
import jakarta.servlet.ServletContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * Applications deployed through the WAR deployer: a WAR file and an exploded folder, made here
 * from this module's own classes. Each is served to a test class of its own, run here with the
 * engine test kit, so that what happens after the class (the server stops, files go) can be seen.
 */
class WarAndExplodedTest {
    static final String WAR = "target/weft-test-fixtures/greeting.war";
    static final String EXPLODED = "target/weft-test-fixtures/greeting";

    private static final String WEB_XML = """
            <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.1">
              <listener><listener-class>dev.weft.test.app.StartListener</listener-class></listener>
              <welcome-file-list><welcome-file>index.html</welcome-file></welcome-file-list>
            </web-app>
            """;

    /** The entries of the fixture application: web.xml, a page, and two classes of this module. */
    private static Map<String, byte[]> entries() throws IOException {
        return Map.of(
                "WEB-INF/web.xml", WEB_XML.getBytes(),
                "index.html", "<p>welcome</p>".getBytes(),
                "WEB-INF/classes/" + classFile(HelloServlet.class), bytes(HelloServlet.class),
                "WEB-INF/classes/" + classFile(StartListener.class), bytes(StartListener.class));
    }

    private static String classFile(Class<?> c) {
        return c.getName().replace('.', '/') + ".class";
    }

    private static byte[] bytes(Class<?> c) throws IOException {
        try (InputStream in = c.getClassLoader().getResourceAsStream(classFile(c))) {
            return in.readAllBytes();
        }
    }

    @BeforeAll
    static void makeFixtures() throws IOException {
        Path war = Path.of(WAR);
        Files.createDirectories(war.getParent());
        try (OutputStream out = Files.newOutputStream(war); ZipOutputStream zip = new ZipOutputStream(out)) {
            for (var e : entries().entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
        for (var e : entries().entrySet()) {
            Path p = Path.of(EXPLODED, e.getKey());
            Files.createDirectories(p.getParent());
            Files.write(p, e.getValue());
        }
    }

    /** What a fixture class saw while its server ran. */
    record Seen(URI base, String realPath, String loader) {}

    static Seen runAndCheck(Class<?> testClass) {
        var results = EngineTestKit.engine("junit-jupiter").selectors(selectClass(testClass)).execute();
        results.allEvents().assertStatistics(s -> s.failed(0));
        results.testEvents().assertStatistics(s -> s.succeeded(2).failed(0));
        return testClass == WarApp.class ? WarApp.seen : ExplodedApp.seen;
    }

    private static void assertStopped(URI base) {
        assertThrows(ConnectException.class, () -> new Socket(base.getHost(), base.getPort()).close(),
                "the server stops after the class");
    }

    @Test
    void warFileIsUnpackedServedAndRemoved() {
        Seen seen = runAndCheck(WarApp.class);
        assertEquals("/greeting/", seen.base().getPath());
        assertEquals("WebAppClassLoader", seen.loader(), "the application's classes are its own");
        assertNotNull(seen.realPath());
        assertFalse(Files.exists(Path.of(seen.realPath())), "the unpacked WAR is deleted: " + seen.realPath());
        assertStopped(seen.base());
    }

    @Test
    void explodedFolderIsServedInPlace() throws IOException {
        Seen seen = runAndCheck(ExplodedApp.class);
        assertEquals("/", seen.base().getPath());
        assertEquals(Path.of(EXPLODED).toRealPath(), Path.of(seen.realPath()).toRealPath());
        assertTrue(Files.isRegularFile(Path.of(EXPLODED, "index.html")), "the folder itself is left alone");
        assertStopped(seen.base());
    }

    @WeftTest(war = WAR, contextPath = "/greeting")
    static class WarApp {
        static Seen seen;

        @Test
        void servletOfTheWar(URI base, CloseableHttpClient client, ServletContext context) throws Exception {
            var r = Http.get(client, base.resolve("hello"));
            assertEquals(200, r.status());
            assertEquals("Hello from /greeting/hello started=listener", r.body());
            Object servlet = context.getServletRegistration(HelloServlet.class.getName());
            assertNotNull(servlet, "the @WebServlet of WEB-INF/classes was found by the deployer's scan");
            seen = new Seen(base, context.getRealPath("/"), context.getClassLoader().getClass().getSimpleName());
        }

        @Test
        void staticStateIsNotSharedWithTheTest(URI base, CloseableHttpClient client) throws Exception {
            int before = HelloServlet.REQUESTS.get();
            Http.get(client, base.resolve("hello"));
            assertEquals(before, HelloServlet.REQUESTS.get(), "the WAR's copy of the class counted, not the test's");
            assertEquals("<p>welcome</p>", Http.get(client, base).body());
        }
    }

    @WeftTest(exploded = EXPLODED)
    static class ExplodedApp {
        static Seen seen;

        @Test
        void servletOfTheFolder(URI base, CloseableHttpClient client, ServletContext context) throws Exception {
            assertEquals("Hello from /hello started=listener", Http.get(client, base.resolve("hello")).body());
            seen = new Seen(base, context.getRealPath("/"), context.getClassLoader().getClass().getSimpleName());
        }

        @Test
        void welcomeFile(URI base, CloseableHttpClient client) throws Exception {
            var r = Http.get(client, base);
            assertEquals(200, r.status());
            assertEquals("<p>welcome</p>", r.body());
            assertNotEquals(null, r.header("Content-Type"));
        }
    }
}
