package dev.weft.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The request log hook, the server's counters and the Flight Recorder event. */
class ObservabilityTest {
    record Entry(String method, String target, String user, int status, long bytes, long durationNanos) {}

    static final class Log implements RequestLog {
        final List<Entry> entries = new CopyOnWriteArrayList<>();
        final List<String> refused = new CopyOnWriteArrayList<>();

        @Override
        public void log(Request r, int status, long bytes, long start, long duration) {
            entries.add(new Entry(r.method(), r.target(), r.user(), status, bytes, duration));
        }

        @Override
        public void refused(InetSocketAddress remote, Request r, int status, String reason) {
            refused.add(status + " " + (r == null ? "-" : r.target()) + " " + remote.getAddress().getHostAddress());
        }
    }

    private static final Handler APP = (w, r) -> {
        switch (r.path()) {
            case "/hello" -> w.write("Hello, World!");
            case "/user" -> {
                r.setUser("ada");
                w.writeHeader(204);
            }
            case "/boom" -> throw new IllegalStateException("boom (expected by the test)");
            default -> {
                w.writeHeader(404);
                w.write("no");
            }
        }
    };

    @Test
    void everyAnsweredRequestIsLoggedOnceWithItsStatusSizeAndUser() throws Exception {
        Log log = new Log();
        try (TestServers.Running s = TestServers.start(APP, b -> b.requestLog(log))) {
            try (RawClient c = s.raw()) {
                c.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n").read("GET");
                c.send("GET /user?x=1 HTTP/1.1\r\nHost: x\r\n\r\n").read("GET");
                c.send("HEAD /nope HTTP/1.1\r\nHost: x\r\n\r\n").read("HEAD");
                c.send("GET /boom HTTP/1.1\r\nHost: x\r\n\r\n").read("GET");
            }
            // The log is told after the response went out: give the last one a moment.
            awaitTrue(() -> log.entries.size() >= 4);
            assertEquals(4, log.entries.size(), log.entries.toString());
            assertEquals(new Entry("GET", "/hello", null, 200, 13, log.entries.get(0).durationNanos()), log.entries.get(0));
            assertEquals(new Entry("GET", "/user?x=1", "ada", 204, 0, log.entries.get(1).durationNanos()), log.entries.get(1));
            assertEquals(404, log.entries.get(2).status());
            assertEquals(500, log.entries.get(3).status());
            assertTrue(log.entries.get(0).durationNanos() > 0);
            assertEquals(List.of(), log.refused);
        }
    }

    @Test
    void refusedRequestsAreLoggedAsRefusalsNotAsAnswers() throws Exception {
        Log log = new Log();
        try (TestServers.Running s = TestServers.start(APP, b -> b.requestLog(log))) {
            try (RawClient c = s.raw()) {
                assertEquals(400, c.send("GET /hello HTTP/1.1\r\nHost: x\r\nBad Name: y\r\n\r\n").read("GET").status);
            }
            try (RawClient c = s.raw()) {
                assertEquals(400, c.send("GET /hello HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n"
                        + "Transfer-Encoding: chunked\r\n\r\n").read("GET").status);
            }
            assertEquals(List.of("400 - 127.0.0.1", "400 - 127.0.0.1"), log.refused);
            assertEquals(List.of(), log.entries);
            assertEquals(2, s.server().stats().refusedRequests());
            assertEquals(0, s.server().stats().requests());
        }
    }

    @Test
    void aFailingRequestLogNeverBreaksTheResponse() throws Exception {
        try (TestServers.Running s = TestServers.start(APP, b -> b.requestLog((r, st, n, t0, d) -> {
            throw new IllegalStateException("log failed (expected by the test)");
        }))) {
            try (RawClient c = s.raw()) {
                assertEquals("Hello, World!", c.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n").read("GET").text());
                assertEquals("Hello, World!", c.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n").read("GET").text());
            }
        }
    }

    @Test
    void statsCountRequestsErrorsBytesAndConnections() throws Exception {
        try (TestServers.Running s = TestServers.start(APP)) {
            String get = "GET /hello HTTP/1.1\r\nHost: x\r\n\r\n";
            long responseBytes;
            try (RawClient c = s.raw()) {
                c.send(get).read("GET");
                c.send(get).read("GET");
                c.send("GET /boom HTTP/1.1\r\nHost: x\r\n\r\n").read("GET");
            }
            try (RawClient c = s.raw()) {
                c.send(get).read("GET");
                // Hold this one idle while the counts are read.
                ServerStats st = s.server().stats();
                // The first connection's thread may still be noticing its client went away.
                awaitTrue(() -> s.server().connectionsByState().get(ConnState.IDLE) == 1
                        && s.server().connectionsByState().get(ConnState.ACTIVE) == 0);
                assertEquals(1, s.server().connectionsByState().get(ConnState.IDLE));
                assertEquals(0, s.server().connectionsByState().get(ConnState.ACTIVE));
                assertEquals(4, st.requests());
                assertEquals(1, st.handlerErrors());
                assertEquals(2, st.acceptedConnections());
                assertEquals(4L * get.length() - get.length() + "GET /boom HTTP/1.1\r\nHost: x\r\n\r\n".length(), st.bytesIn());
                responseBytes = st.bytesOut();
                assertTrue(responseBytes > 4 * 13, "bytes out " + responseBytes);
            }
        }
    }

    @Test
    void connectionsWaitingAtTheLimitAreCountedAsRejected() throws Exception {
        try (TestServers.Running s = TestServers.start(APP, b -> b.maxConnections(1))) {
            try (RawClient first = s.raw()) {
                first.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n").read("GET");
                try (RawClient second = s.raw()) {
                    awaitTrue(() -> s.server().stats().rejectedConnections() >= 1);
                    first.close();
                    assertEquals(200, second.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n").read("GET").status);
                }
            }
            // Each time the loop finds the limit reached counts, and it does again once the second is in.
            assertTrue(s.server().stats().rejectedConnections() >= 1);
        }
    }

    @Test
    void theFlightRecorderEventIsOffByDefaultAndCarriesTheRequestWhenOn(@TempDir Path dir) throws Exception {
        try (TestServers.Running s = TestServers.start(APP)) {
            Path off = dir.resolve("off.jfr");
            try (Recording r = new Recording()) {
                r.start();
                try (RawClient c = s.raw()) {
                    c.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n").read("GET");
                }
                r.stop();
                r.dump(off);
            }
            assertTrue(events(off).isEmpty(), "event recorded while disabled");

            Path on = dir.resolve("on.jfr");
            try (Recording r = new Recording()) {
                r.enable("dev.weft.Request").withoutThreshold();
                r.start();
                try (RawClient c = s.raw()) {
                    c.send("GET /hello?q=1 HTTP/1.1\r\nHost: x\r\n\r\n").read("GET");
                    c.send("GET /nope HTTP/1.1\r\nHost: x\r\n\r\n").read("GET");
                }
                r.stop();
                r.dump(on);
            }
            List<RecordedEvent> events = events(on);
            assertEquals(2, events.size(), events.toString());
            RecordedEvent first = events.get(0);
            assertEquals("GET", first.getString("method"));
            assertEquals("/hello", first.getString("path"));
            assertEquals(200, first.getInt("status"));
            assertEquals(13, first.getLong("bytes"));
            assertEquals("127.0.0.1", first.getString("remote").split(":")[0]);
            assertTrue(first.getDuration().toNanos() > 0);
            assertEquals(404, events.get(1).getInt("status"));
        }
    }

    private static List<RecordedEvent> events(Path file) throws Exception {
        if (!Files.exists(file)) {
            return List.of();
        }
        return RecordingFile.readAllEvents(file).stream()
                .filter(e -> e.getEventType().getName().equals("dev.weft.Request"))
                .sorted(java.util.Comparator.comparing(RecordedEvent::getStartTime))
                .toList();
    }

    private static void awaitTrue(java.util.function.BooleanSupplier cond) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!cond.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "condition not met in 5 s");
            Thread.sleep(5);
        }
    }

}
