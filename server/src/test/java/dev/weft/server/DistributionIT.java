package dev.weft.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged {@code weft.jar}, run with {@code java -jar} from a folder outside the repository:
 * what it prints, what it serves, and how it stops on signals.
 */
class DistributionIT {
    static final Path JAR = Path.of(System.getProperty("weft.jar", "target/weft.jar")).toAbsolutePath();

    @TempDir
    Path dir;

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    private Child weft(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Child.java(), "-jar", JAR.toString(), "--work",
                dir.resolve("work").toString()));
        command.addAll(List.of(args));
        return Child.start(dir, Map.of(), command);
    }

    private HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void startsWithTheExamplesAndSaysWhereTheyAre() throws Exception {
        try (Child w = weft("--port", "0")) {
            int port = w.awaitPort();
            String base = "http://localhost:" + port;
            w.awaitLine("Started in \\d+ ms \\(\\d+ ms since the JVM started\\): " + Pattern.quote(base) + "/$",
                    Duration.ofSeconds(60));
            List<String> log = List.copyOf(w.lines);
            assertTrue(log.get(0).matches(".* INFO weft - Weft \\S+ on Java \\S+ \\(.*\\), pid \\d+, \\d+ CPUs"), log.get(0));
            assertInOrder(log,
                    "INFO weft - Settings: defaults, the command line",
                    "INFO weft - Listening on " + base + "/ (all addresses, port " + port + ")",
                    "INFO weft - Work folder: " + dir.resolve("work"),
                    "INFO weft - Context /demo at " + base + "/demo/ from embedded DemoApp deployed in ",
                    "INFO weft - Context /examples at " + base + "/examples/ from examples.war deployed in ",
                    "INFO weft - Started in ");
            assertFalse(w.output().contains("WARN"), w.output());

            // Every link on the index page works; /examples/boom shows the error page on purpose.
            String index = get(base + "/").body();
            Matcher links = Pattern.compile("href=\"(/[^\"]*)\"").matcher(index);
            int checked = 0;
            while (links.find()) {
                String link = links.group(1).replace("&amp;", "&");
                int status = get(base + link).statusCode();
                int expected = link.equals("/examples/boom") ? 500 : link.equals("/examples/nowhere") ? 404 : 200;
                assertEquals(expected, status, link);
                checked++;
            }
            assertTrue(checked >= 14, "links on the index: " + checked);
            // Forms on the index post to these.
            assertEquals("message=hi", client.send(HttpRequest.newBuilder(URI.create(base + "/echo"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("message=hi")).build(), HttpResponse.BodyHandlers.ofString()).body());
            // The JSP compiles and runs: Jasper is in the jar.
            HttpResponse<String> jsp = get(base + "/examples/hello.jsp?name=Ada");
            assertTrue(jsp.body().contains("2 + 3 = 5"), jsp.body());
        }
    }

    private static void assertInOrder(List<String> log, String... fragments) {
        int at = 0;
        for (String f : fragments) {
            while (at < log.size() && !log.get(at).contains(f)) {
                at++;
            }
            assertTrue(at < log.size(), "\"" + f + "\" in order in\n" + String.join("\n", log));
        }
    }

    @Test
    void aBrokenWarIsNamedWithItsFileAndLineAndTheRestIsServed() throws Exception {
        Path broken = dir.resolve("broken.war");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(broken))) {
            zip.putNextEntry(new ZipEntry("WEB-INF/web.xml"));
            zip.write("""
                    <?xml version="1.0" encoding="UTF-8"?>
                    <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.1">
                      <servlet><servlet-name>x</servlet-name>
                    </web-app>
                    """.getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        Path good = ExamplesSite.extractWar(dir.resolve("copy"));
        Files.copy(good, dir.resolve("good.war"));
        try (Child w = weft("--port", "0", "broken.war", "good.war")) {
            int port = w.awaitPort();
            w.awaitLine("Started in", Duration.ofSeconds(60));
            String error = w.awaitLine("ERROR weft - Cannot deploy .*broken\\.war", Duration.ofSeconds(5)).group();
            String line = w.lines.stream().filter(l -> l.contains(error)).findFirst().orElseThrow();
            assertTrue(line.contains("broken.war!/WEB-INF/web.xml:4"), line);
            assertEquals(200, get("http://127.0.0.1:" + port + "/good/hello?name=Ada").statusCode());
        }
    }

    @Test
    void aPortInUseIsOneLineAndStatus1() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
                Child w = weft("--host", "127.0.0.1", "--port", Integer.toString(taken.getLocalPort()))) {
            assertEquals(1, w.await(Duration.ofSeconds(60)), w.output());
            String last = w.lines.get(w.lines.size() - 1);
            assertTrue(last.startsWith("weft: cannot listen on 127.0.0.1:" + taken.getLocalPort() + ": "), w.output());
        }
    }

    @Test
    void sigtermLetsTheRequestInFlightFinishAndRefusesNewConnections() throws Exception {
        try (Child w = weft("--host", "127.0.0.1", "--port", "0", "--drain-time", "30s")) {
            int port = w.awaitPort();
            w.awaitLine("Started in", Duration.ofSeconds(60));
            try (Socket slow = inFlight(port)) {
                long t0 = System.nanoTime();
                w.terminate();
                w.awaitLine("INFO weft - Stopping: no new connections; 1 request in flight, up to 30s to finish",
                        Duration.ofSeconds(10));
                assertTrue(Running.eventually(() -> refused(port)), "new connections are refused while draining");
                assertTrue(w.process.isAlive(), "still draining the request in flight");

                OutputStream out = slow.getOutputStream();
                out.write("67890".getBytes(StandardCharsets.US_ASCII)); // the rest of the body
                out.flush();
                String response = new String(slow.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
                assertTrue(response.startsWith("HTTP/1.1 200 OK\r\n"), response);
                assertTrue(response.endsWith("\r\n\r\n1234567890"), response);
                assertTrue(response.contains("Connection: close"), "no keep-alive while stopping: " + response);

                assertTrue(w.process.waitFor(30, TimeUnit.SECONDS), "exits within the drain time");
                assertEquals(0, w.process.exitValue(), w.output());
                assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(30));
                w.awaitLine("INFO weft - Stopped in \\d+ ms", Duration.ofSeconds(5));
            }
        }
    }

    @Test
    void aSecondSignalStopsAtOnce() throws Exception {
        try (Child w = weft("--host", "127.0.0.1", "--port", "0", "--drain-time", "5m")) {
            int port = w.awaitPort();
            w.awaitLine("Started in", Duration.ofSeconds(60));
            try (Socket slow = inFlight(port)) {
                w.terminate();
                w.awaitLine("Stopping: no new connections; 1 request in flight", Duration.ofSeconds(10));
                assertFalse(slow.isClosed());
                long t0 = System.nanoTime();
                w.terminate(); // a second SIGTERM: the request in flight is not waited for
                assertTrue(w.process.waitFor(20, TimeUnit.SECONDS), "stopped at once");
                assertEquals(143, w.process.exitValue(), w.output());
                assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(20));
                w.awaitLine("weft: second signal: stopping now", Duration.ofSeconds(5));
            }
        }
    }

    @Test
    void sigintStopsGracefullyToo() throws Exception {
        try (Child w = weft("--host", "127.0.0.1", "--port", "0")) {
            w.awaitPort();
            w.awaitLine("Started in", Duration.ofSeconds(60));
            Process kill = new ProcessBuilder("kill", "-INT", Long.toString(w.process.pid())).start();
            assertTrue(kill.waitFor(10, TimeUnit.SECONDS));
            assertTrue(w.process.waitFor(30, TimeUnit.SECONDS));
            assertEquals(0, w.process.exitValue(), w.output());
            w.awaitLine("Stopping: no new connections; 0 requests in flight", Duration.ofSeconds(5));
            w.awaitLine("Stopped in", Duration.ofSeconds(5));
        }
    }

    /**
     * A POST /echo whose body is half sent: its handler is running (it asked for the body, which
     * sent the 100 Continue), waiting for the rest.
     */
    private static Socket inFlight(int port) throws IOException {
        Socket s = new Socket("127.0.0.1", port);
        s.setSoTimeout(60_000);
        OutputStream out = s.getOutputStream();
        out.write(("POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\nContent-Length: 10\r\n"
                + "Expect: 100-continue\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = s.getInputStream();
        String continued = new String(in.readNBytes(25), StandardCharsets.US_ASCII);
        assertEquals("HTTP/1.1 100 Continue\r\n\r\n", continued);
        out.write("12345".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return s;
    }

    private static boolean refused(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            return false;
        } catch (ConnectException e) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
