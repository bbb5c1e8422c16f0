package dev.weft.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The four timeouts as deadlines, each firing and not firing. Timeouts are short so the tests
 * are quick; nothing waits on a sleep to synchronise, only on the server's own deadlines.
 */
class TimeoutTest {
    static final Duration SHORT = Duration.ofMillis(300);

    @Test
    void readHeaderTimeoutCutsASlowHead() throws IOException {
        try (TestServers.Running s = TestServers.start((w, r) -> w.write("ok"),
                b -> b.readHeaderTimeout(SHORT)); RawClient c = s.raw()) {
            long t0 = System.nanoTime();
            c.send("GET / HTTP/1.1\r\nHost: x\r\n"); // never finishes the head
            RawClient.Resp r = c.read();
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertEquals(408, r.status);
            assertTrue(c.closedByServer());
            assertTrue(ms >= 250 && ms < 5000, "cut after " + ms + " ms");
        }
    }

    @Test
    void readHeaderTimeoutCoversWaitingForTheFirstRequest() throws IOException {
        try (TestServers.Running s = TestServers.start((w, r) -> w.write("ok"),
                b -> b.readHeaderTimeout(SHORT)); RawClient c = s.raw()) {
            // A connection that sends nothing is closed, without a response.
            assertTrue(c.closedByServer());
        }
    }

    @Test
    void readHeaderTimeoutDoesNotFireForAPromptClient() throws IOException {
        try (TestServers.Running s = TestServers.start((w, r) -> {
            Thread.sleep(SHORT.toMillis() * 2); // a slow handler is not a slow client
            w.write("ok");
        }, b -> b.readHeaderTimeout(SHORT)); RawClient c = s.raw()) {
            c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals("ok", c.read().text());
        }
    }

    @Test
    void readTimeoutCutsASlowBody() throws IOException {
        AtomicReference<Throwable> seen = new AtomicReference<>();
        try (TestServers.Running s = TestServers.start((w, r) -> {
            try {
                r.body().readAllBytes();
            } catch (IOException e) {
                seen.set(e);
                throw e;
            }
        }, b -> b.readTimeout(SHORT)); RawClient c = s.raw()) {
            c.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc");
            assertTrue(c.closedByServer());
            assertTrue(seen.get() instanceof java.net.SocketTimeoutException, String.valueOf(seen.get()));
        }
    }

    @Test
    void readTimeoutDoesNotFireWhenTheBodyArrivesInTime() throws IOException {
        try (TestServers.Running s = TestServers.start((w, r) -> w.write(r.body().readAllBytes()),
                b -> b.readTimeout(Duration.ofSeconds(5))); RawClient c = s.raw()) {
            c.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 6\r\n\r\nabc");
            c.send("def");
            assertEquals("abcdef", c.read().text());
        }
    }

    @Test
    void writeTimeoutAbortsASlowResponse() throws Exception {
        CountDownLatch handlerDone = new CountDownLatch(1);
        AtomicReference<Throwable> writeError = new AtomicReference<>();
        try (TestServers.Running s = TestServers.start((w, r) -> {
            try {
                w.write("first part ");
                w.flush();
                Thread.sleep(SHORT.toMillis() * 3);
                w.write("second part");
                w.flush();
            } catch (IOException e) {
                writeError.set(e);
            } finally {
                handlerDone.countDown();
            }
        }, b -> b.writeTimeout(SHORT)); RawClient c = s.raw()) {
            c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            RawClient.Resp r = c.read();
            assertTrue(r.truncated, "the response must end before its last chunk");
            assertEquals("first part ", r.text());
            assertTrue(handlerDone.await(5, TimeUnit.SECONDS));
            assertTrue(writeError.get() != null, "the late write fails");
        }
    }

    @Test
    void writeTimeoutDoesNotFireForAQuickResponse() throws IOException {
        try (TestServers.Running s = TestServers.start((w, r) -> w.write("ok"),
                b -> b.writeTimeout(SHORT)); RawClient c = s.raw()) {
            for (int i = 0; i < 3; i++) {
                c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
                assertEquals("ok", c.read().text());
            }
        }
    }

    @Test
    void writeTimeoutStartsAfreshForEachRequest() throws Exception {
        try (TestServers.Running s = TestServers.start((w, r) -> w.write("ok"),
                b -> b.writeTimeout(SHORT)); RawClient c = s.raw()) {
            c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals("ok", c.read().text());
            // Idle for longer than the write timeout: an idle connection has no write deadline.
            assertFalse(c.timeout((int) SHORT.toMillis() * 2).closedByServerWithin());
            c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals("ok", c.read().text());
        }
    }

    @Test
    void idleTimeoutClosesAnIdleKeepAliveConnection() throws IOException {
        try (TestServers.Running s = TestServers.start((w, r) -> w.write("ok"),
                b -> b.idleTimeout(SHORT)); RawClient c = s.raw()) {
            c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals("ok", c.read().text());
            long t0 = System.nanoTime();
            assertTrue(c.closedByServer());
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertTrue(ms >= 200 && ms < 5000, "closed after " + ms + " ms");
        }
    }

    @Test
    void idleTimeoutFallsBackToReadTimeout() throws IOException {
        try (TestServers.Running s = TestServers.start((w, r) -> w.write("ok"),
                b -> b.idleTimeout(Duration.ZERO).readTimeout(SHORT)); RawClient c = s.raw()) {
            c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals("ok", c.read().text());
            assertTrue(c.closedByServer());
        }
    }

    @Test
    void idleTimeoutIsNotTheHeaderTimeout() throws IOException {
        // A long idle timeout with a short header timeout: waiting between requests is allowed
        // for the idle timeout, and the header deadline starts only with the next request's first byte.
        try (TestServers.Running s = TestServers.start((w, r) -> w.write("ok"),
                b -> b.readHeaderTimeout(SHORT).idleTimeout(Duration.ofSeconds(10))); RawClient c = s.raw()) {
            c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals("ok", c.read().text());
            assertFalse(c.timeout((int) SHORT.toMillis() * 3).closedByServerWithin());
            c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals("ok", c.read().text());
        }
    }

    @Test
    void handlerCanExtendItsWriteDeadline() throws IOException {
        try (TestServers.Running s = TestServers.start((w, r) -> {
            w.setWriteDeadline(java.time.Instant.now().plusSeconds(30));
            w.write("streaming ");
            w.flush();
            Thread.sleep(SHORT.toMillis() * 3);
            w.write("still here");
        }, b -> b.writeTimeout(SHORT)); RawClient c = s.raw()) {
            c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            RawClient.Resp r = c.read();
            assertFalse(r.truncated);
            assertEquals("streaming still here", r.text());
        }
    }

    @Test
    void defaultsAreSafe() {
        // No timeout is infinite out of the box (Go's zero defaults are a known foot-gun).
        assertEquals(Duration.ofSeconds(20), Server.Builder.DEFAULT_READ_HEADER_TIMEOUT);
        assertEquals(Duration.ofMinutes(5), Server.Builder.DEFAULT_READ_TIMEOUT);
        assertEquals(Duration.ofMinutes(10), Server.Builder.DEFAULT_WRITE_TIMEOUT);
        assertEquals(Duration.ofSeconds(60), Server.Builder.DEFAULT_IDLE_TIMEOUT);
        Server s = Server.builder().handler((w, r) -> { }).build();
        assertEquals(Duration.ofSeconds(20).toNanos(), s.readHeaderTimeoutNanos);
        assertEquals(Duration.ofMinutes(5).toNanos(), s.readTimeoutNanos);
        assertEquals(Duration.ofMinutes(10).toNanos(), s.writeTimeoutNanos);
        assertEquals(Duration.ofSeconds(60).toNanos(), s.idleTimeoutNanos);
    }
}
