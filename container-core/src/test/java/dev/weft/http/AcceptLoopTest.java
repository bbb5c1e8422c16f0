package dev.weft.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The accept loop: backoff on temporary errors, and the connection limit. */
class AcceptLoopTest {
    /** A listener whose first accepts fail as an exhausted file-descriptor table would. */
    static final class FlakyListener implements Listener {
        final Listener real;
        int failuresLeft;
        final List<Long> failureTimes = new ArrayList<>();

        FlakyListener(Listener real, int failures) {
            this.real = real;
            this.failuresLeft = failures;
        }

        @Override
        public Socket accept() throws IOException {
            if (failuresLeft > 0) {
                failuresLeft--;
                failureTimes.add(System.nanoTime());
                throw new IOException("Too many open files");
            }
            return real.accept();
        }

        @Override
        public InetSocketAddress address() {
            return real.address();
        }

        @Override
        public void close() throws IOException {
            real.close();
        }
    }

    @Test
    void temporaryAcceptErrorsBackOffDoublingFrom5Ms() throws Exception {
        FlakyListener l = new FlakyListener(Listener.tcp(new InetSocketAddress("127.0.0.1", 0)), 5);
        Server server = Server.builder().handler((w, r) -> w.write("ok")).build();
        server.startServing(l);
        try (RawClient c = new RawClient(l.address().getPort())) {
            c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals("ok", c.read().text());
            assertEquals(5, l.failureTimes.size());
            // Gaps follow 5, 10, 20, 40 ms: each at least the backoff (scheduling only adds).
            long[] min = {5, 10, 20, 40};
            for (int i = 0; i < 4; i++) {
                long gapMs = TimeUnit.NANOSECONDS.toMillis(l.failureTimes.get(i + 1) - l.failureTimes.get(i));
                assertTrue(gapMs >= min[i], "gap " + i + " was " + gapMs + " ms");
            }
        } finally {
            server.close();
        }
    }

    @Test
    void atTheConnectionLimitNewConnectionsWaitInTheBacklog() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (TestServers.Running s = TestServers.start((w, r) -> {
            if (r.path().equals("/hold")) {
                release.await();
            }
            w.write("ok " + r.path());
        }, b -> b.maxConnections(1)); RawClient first = s.raw()) {
            first.send("GET /hold HTTP/1.1\r\nHost: x\r\n\r\n");
            ShutdownTest.awaitConnections(s.server(), 1);
            try (RawClient second = s.raw()) {
                // The kernel completes the TCP handshake, but the server does not accept yet.
                second.send("GET /second HTTP/1.1\r\nHost: x\r\n\r\n");
                assertTrue(!second.timeout(300).closedByServerWithin());
                assertEquals(1, s.server().connectionCount());
                release.countDown();
                assertEquals("ok /hold", first.read().text());
                first.close();
                assertEquals("ok /second", second.timeout(5000).read().text());
            }
        }
    }

    @Test
    void shutdownEndsTheLoopEvenWhileAtTheLimit() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (TestServers.Running s = TestServers.start((w, r) -> release.await(), b -> b.maxConnections(1));
                RawClient first = s.raw()) {
            first.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            ShutdownTest.awaitConnections(s.server(), 1);
            release.countDown();
            assertTrue(s.server().shutdown(Duration.ofSeconds(5)));
        }
    }
}
