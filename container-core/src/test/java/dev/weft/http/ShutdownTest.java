package dev.weft.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Graceful shutdown and abrupt close, as Go's Shutdown and Close. */
class ShutdownTest {
    @Test
    void shutdownClosesIdleConnectionsAndReturnsTrue() throws Exception {
        try (TestServers.Running s = TestServers.start((w, r) -> w.write("ok")); RawClient c = s.raw()) {
            c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals("ok", c.read().text());
            long t0 = System.nanoTime();
            assertTrue(s.server().shutdown(Duration.ofSeconds(5)));
            assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0) < 2000);
            assertTrue(c.closedByServer());
            assertThrows(ConnectException.class, () -> new Socket().connect(new InetSocketAddress("127.0.0.1", s.port()), 1000));
        }
    }

    @Test
    void shutdownLetsAnInFlightRequestFinishThenClosesItsConnection() throws Exception {
        CountDownLatch inHandler = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (TestServers.Running s = TestServers.start((w, r) -> {
            inHandler.countDown();
            release.await();
            w.write("finished");
        }); RawClient c = s.raw()) {
            c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            assertTrue(inHandler.await(5, TimeUnit.SECONDS));
            CompletableFuture<Boolean> done = CompletableFuture.supplyAsync(() -> {
                try {
                    return s.server().shutdown(Duration.ofSeconds(10));
                } catch (InterruptedException e) {
                    throw new RuntimeException(e);
                }
            });
            // The server is draining: still waiting on the active connection.
            assertThrows(java.util.concurrent.TimeoutException.class, () -> done.get(200, TimeUnit.MILLISECONDS));
            release.countDown();
            RawClient.Resp r = c.read();
            assertEquals("finished", r.text());
            assertEquals("close", r.header("Connection"), "no keep-alive while shutting down");
            assertTrue(done.get(5, TimeUnit.SECONDS));
            assertTrue(c.closedByServer());
        }
    }

    @Test
    void shutdownGivesUpAtItsDeadlineAndCloseEndsTheRest() throws Exception {
        CountDownLatch inHandler = new CountDownLatch(1);
        try (TestServers.Running s = TestServers.start((w, r) -> {
            inHandler.countDown();
            Thread.sleep(60_000);
        }); RawClient c = s.raw()) {
            c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            assertTrue(inHandler.await(5, TimeUnit.SECONDS));
            assertFalse(s.server().shutdown(Duration.ofMillis(300)));
            s.server().close();
            assertTrue(c.closedByServer());
        }
    }

    @Test
    void newConnectionThatNeverSendsIsNotWaitedForeverButIsWaitedFor() throws Exception {
        // A NEW connection counts as busy for its first 5 seconds (Go's issue 22682), so a short
        // shutdown does not finish while one is open...
        try (TestServers.Running s = TestServers.start((w, r) -> w.write("ok")); RawClient c = s.raw()) {
            awaitConnections(s.server(), 1);
            assertFalse(s.server().shutdown(Duration.ofMillis(200)));
        }
    }

    @Test
    void newConnectionSilentForOverFiveSecondsCountsAsIdle() throws Exception {
        // Go's issue 22682: a client that connects and never sends must not hold shutdown forever.
        try (TestServers.Running s = TestServers.start((w, r) -> w.write("ok")); RawClient c = s.raw()) {
            awaitConnections(s.server(), 1);
            long t0 = System.nanoTime();
            assertTrue(s.server().shutdown(Duration.ofSeconds(20)));
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertTrue(ms >= 4000 && ms < 10_000, "shutdown took " + ms + " ms");
            assertTrue(c.closedByServer());
        }
    }

    @Test
    void onShutdownHooksRunAndServeReturnsServerClosed() throws Exception {
        Server server = Server.builder().address(new InetSocketAddress("127.0.0.1", 0)).handler((w, r) -> { }).build();
        Listener l = Listener.tcp(new InetSocketAddress("127.0.0.1", 0));
        CountDownLatch hookRan = new CountDownLatch(1);
        server.onShutdown(hookRan::countDown);
        CompletableFuture<Throwable> served = CompletableFuture.supplyAsync(() -> {
            try {
                server.serve(l);
                return null;
            } catch (IOException e) {
                return e;
            }
        });
        awaitListening(l.address());
        assertTrue(server.shutdown(Duration.ofSeconds(5)));
        assertTrue(hookRan.await(5, TimeUnit.SECONDS));
        assertTrue(served.get(5, TimeUnit.SECONDS) instanceof ServerClosedException);
        assertThrows(ServerClosedException.class, server::listenAndServe);
    }

    @Test
    void oneServerServesSeveralListeners() throws Exception {
        Server server = Server.builder().handler((w, r) -> w.write("port " + r.localAddress().getPort())).build();
        Listener a = Listener.tcp(new InetSocketAddress("127.0.0.1", 0));
        Listener b = Listener.tcp(new InetSocketAddress("127.0.0.1", 0));
        server.startServing(a);
        server.startServing(b);
        try {
            for (Listener l : new Listener[] {a, b}) {
                try (RawClient c = new RawClient(l.address().getPort())) {
                    c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
                    assertEquals("port " + l.address().getPort(), c.read().text());
                }
            }
        } finally {
            assertTrue(server.shutdown(Duration.ofSeconds(5)));
        }
    }

    @Test
    void closeEndsEveryConnectionAtOnce() throws Exception {
        CountDownLatch inHandler = new CountDownLatch(1);
        try (TestServers.Running s = TestServers.start((w, r) -> {
            inHandler.countDown();
            Thread.sleep(60_000);
        }); RawClient busy = s.raw(); RawClient idle = s.raw()) {
            busy.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            assertTrue(inHandler.await(5, TimeUnit.SECONDS));
            s.server().close();
            assertTrue(busy.closedByServer());
            assertTrue(idle.closedByServer());
        }
    }

    static void awaitConnections(Server s, int n) throws InterruptedException {
        for (int i = 0; i < 500 && s.connectionCount() < n; i++) {
            Thread.sleep(10);
        }
        assertEquals(n, s.connectionCount());
    }

    static void awaitListening(InetSocketAddress a) throws InterruptedException {
        // The listener is bound before serve() runs, so a connect succeeds as soon as it exists.
        try (Socket s = new Socket()) {
            s.connect(a, 2000);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
