package dev.weft.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The access log's writer never makes a request wait, and what it writes is what was served. */
class AccessLogTest {
    @TempDir
    Path dir;

    /** A sink whose first write blocks until released, as a stalled disk would. */
    static final class StalledSink implements AccessLog.Sink {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final List<String> lines = new CopyOnWriteArrayList<>();

        @Override
        public void write(String line) throws IOException {
            entered.countDown();
            try {
                if (!release.await(10, TimeUnit.SECONDS)) {
                    throw new IOException("never released");
                }
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
            lines.add(line);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    }

    @Test
    void aStalledDiskCostsLinesNotWaiting() throws Exception {
        StalledSink sink = new StalledSink();
        AccessLog log = new AccessLog(AccessLogFormat.compile("common"), sink, 4);
        try {
            assertTrue(log.offer("line 0"));
            assertTrue(sink.entered.await(10, TimeUnit.SECONDS), "the writer took the first line");
            for (int i = 1; i <= 4; i++) {
                assertTrue(log.offer("line " + i), "room in the queue for line " + i);
            }
            long t0 = System.nanoTime();
            assertFalse(log.offer("line 5"));
            assertFalse(log.offer("line 6"));
            assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(5), "offer never waits");
            assertEquals(2, log.dropped());
        } finally {
            sink.release.countDown();
            log.close();
        }
        assertEquals(List.of("line 0", "line 1", "line 2", "line 3", "line 4"), sink.lines);
        assertEquals(5, log.written());
        assertFalse(log.offer("after close"));
    }

    @Test
    void requestsServedAndRefusedAreLoggedInCombinedFormat() throws Exception {
        Path file = dir.resolve("logs/access.log");
        try (Running r = Running.start(dir, "--access-log", file.toString(), "--no-jmx")) {
            HttpResponse<String> hello = r.client.send(HttpRequest.newBuilder(URI.create(r.base + "/hello?x=1"))
                    .header("Referer", "http://example.com/from").header("User-Agent", "weft-test \"quoted\"").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, hello.statusCode());
            assertEquals(200, r.post("/echo", "12345").statusCode());
            assertEquals(404, r.get("/demo/missing").statusCode());
            // A request the server refuses itself: no handler sees it, the log does.
            try (Socket s = new Socket("127.0.0.1", r.server.addresses().get(0).getPort())) {
                s.setSoTimeout(10_000);
                OutputStream out = s.getOutputStream();
                out.write("GET /x HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                InputStream in = s.getInputStream();
                String status = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
                assertEquals("HTTP/1.1 400", status);
            }
        }
        // Each line is queued just after its response went out: the order of lines from
        // different connections is the order they finished, which the client cannot see.
        List<String> lines = Files.readAllLines(file);
        assertEquals(4, lines.size(), String.join("\n", lines));
        String time = "\\[\\d{2}/\\w{3}/\\d{4}:\\d{2}:\\d{2}:\\d{2} [+-]\\d{4}\\]";
        assertOneMatches(lines, "127\\.0\\.0\\.1 - - " + time
                + " \"GET /hello\\?x=1 HTTP/1\\.1\" 200 13 \"http://example\\.com/from\" \"weft-test \\\\\"quoted\\\\\"\"");
        assertOneMatches(lines, "127\\.0\\.0\\.1 - - " + time + " \"POST /echo HTTP/1\\.1\" 200 5 \"-\" \"Java-http-client/.*\"");
        assertOneMatches(lines, "127\\.0\\.0\\.1 - - " + time
                + " \"GET /demo/missing HTTP/1\\.1\" 404 \\d+ \"-\" \"Java-http-client/.*\"");
        // Refused while its head was read: the request line, when the server got that far.
        assertOneMatches(lines, "127\\.0\\.0\\.1 - - " + time + " (\"GET /x HTTP/1\\.1\"|\"-\") 400 - \"-\" \"-\"");
    }

    private static void assertOneMatches(List<String> lines, String regex) {
        assertEquals(1, lines.stream().filter(l -> l.matches(regex)).count(),
                "exactly one of\n" + String.join("\n", lines) + "\nmatches\n" + regex);
    }

    @Test
    void aPatternOfOnesOwn() throws Exception {
        Path file = dir.resolve("custom.log");
        try (Running r = Running.start(dir, "--access-log", file.toString(), "--access-log-pattern", "%m %U%q %s %B %{ms}T",
                "--no-jmx")) {
            assertEquals(200, r.get("/hello?a=b").statusCode());
        }
        List<String> lines = Files.readAllLines(file);
        assertEquals(1, lines.size());
        assertMatches("GET /hello\\?a=b 200 13 \\d+", lines.get(0));
    }

    private static void assertMatches(String regex, String line) {
        assertTrue(line.matches(regex), "\n" + line + "\n does not match\n" + regex);
    }

    @Test
    void closingWaitsForQueuedLines() throws Exception {
        var out = new java.io.ByteArrayOutputStream();
        AccessLog log = new AccessLog(AccessLogFormat.compile("common"), AccessLog.of(out), 1000);
        for (int i = 0; i < 500; i++) {
            assertTrue(log.offer("line " + i));
        }
        log.close();
        String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals(500, lines.length);
        assertEquals("line 499", lines[499]);
    }
}
