package dev.weft.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Slow and hostile clients: slowloris, slow body senders, slow readers. Each test is bounded in
 * connections and time and uses loopback only.
 */
class SlowClientTest {
    @Test
    void slowlorisIsCutAtReadHeaderTimeoutWhileOthersAreServed() throws Exception {
        int attackers = 1000;
        Duration headerTimeout = Duration.ofSeconds(2);
        try (TestServers.Running s = TestServers.start((w, r) -> w.write("ok"),
                b -> b.readHeaderTimeout(headerTimeout))) {
            List<RawClient> slow = new ArrayList<>();
            for (int i = 0; i < attackers; i++) {
                slow.add(s.raw().timeout(10_000));
            }
            byte[] head = "GET / HTTP/1.1\r\nHost: x\r\nX-Slow: aaaaaaaaaaaaaaaa\r\n".getBytes();
            AtomicBoolean stop = new AtomicBoolean();
            // One header byte per connection per second, never finishing the head.
            Thread trickler = Thread.ofVirtual().start(() -> {
                for (int i = 0; i < head.length && !stop.get(); i++) {
                    for (RawClient c : slow) {
                        try {
                            c.send(new byte[] {head[i]});
                        } catch (IOException closed) {
                            // cut by the server: expected
                        }
                    }
                    try {
                        Thread.sleep(1000);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });

            // Meanwhile an ordinary client keeps being served promptly.
            AtomicLong worstMillis = new AtomicLong();
            AtomicInteger served = new AtomicInteger();
            Thread ordinary = Thread.ofVirtual().start(() -> {
                try (RawClient c = s.raw()) {
                    while (!stop.get()) {
                        long t0 = System.nanoTime();
                        c.send("GET /ordinary HTTP/1.1\r\nHost: x\r\n\r\n");
                        if (c.read().status == 200) {
                            served.incrementAndGet();
                        }
                        worstMillis.accumulateAndGet(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0), Math::max);
                        Thread.sleep(20);
                    }
                } catch (IOException | InterruptedException e) {
                    throw new RuntimeException(e);
                }
            });

            long t0 = System.nanoTime();
            int cut408 = 0;
            for (RawClient c : slow) {
                RawClient.Resp r = c.read();
                if (r.status == 408) {
                    cut408++;
                }
                assertTrue(c.closedByServer());
            }
            long cutAfter = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            stop.set(true);
            trickler.join();
            ordinary.join();
            for (RawClient c : slow) {
                c.close();
            }
            System.out.printf("slowloris: %d connections cut with 408 within %d ms; ordinary client "
                    + "served %d requests meanwhile, worst latency %d ms%n", cut408, cutAfter, served.get(), worstMillis.get());
            assertEquals(attackers, cut408);
            assertTrue(cutAfter < headerTimeout.toMillis() + 3000, "cut after " + cutAfter + " ms");
            assertTrue(served.get() > 20, "ordinary client served " + served.get());
            assertTrue(worstMillis.get() < 1000, "ordinary client waited " + worstMillis.get() + " ms");
        }
    }

    @Test
    void slowBodySenderIsCutAtReadTimeout() throws Exception {
        AtomicReference<Throwable> seen = new AtomicReference<>();
        CountDownLatch failed = new CountDownLatch(1);
        try (TestServers.Running s = TestServers.start((w, r) -> {
            try {
                r.body().readAllBytes();
            } catch (IOException e) {
                seen.set(e);
                failed.countDown();
                throw e;
            }
        }, b -> b.readTimeout(Duration.ofSeconds(1))); RawClient c = s.raw()) {
            c.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n");
            long t0 = System.nanoTime();
            boolean cut = false;
            for (int i = 0; i < 100 && !cut; i++) {
                try {
                    c.send("a"); // one byte every 200 ms: 20 s for the body
                    cut = failed.await(200, TimeUnit.MILLISECONDS);
                } catch (IOException e) {
                    cut = true;
                }
            }
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertTrue(failed.await(5, TimeUnit.SECONDS));
            assertTrue(seen.get() instanceof SocketTimeoutException, String.valueOf(seen.get()));
            assertTrue(ms < 3000, "cut after " + ms + " ms");
            assertTrue(c.closedByServer());
        }
    }

    @Test
    void slowReaderIsCutAtWriteTimeout() throws Exception {
        AtomicReference<Throwable> seen = new AtomicReference<>();
        CountDownLatch failed = new CountDownLatch(1);
        try (TestServers.Running s = TestServers.start((w, r) -> {
            byte[] chunk = new byte[64 << 10];
            try {
                for (int i = 0; i < 1024; i++) { // 64 MiB, far more than socket buffers hold
                    w.write(chunk);
                }
            } catch (IOException e) {
                seen.set(e);
                failed.countDown();
                throw e;
            }
        }, b -> b.writeTimeout(Duration.ofSeconds(1))); RawClient c = s.raw()) {
            c.socket.setReceiveBufferSize(4096);
            long t0 = System.nanoTime();
            c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            // Never read: the server's writes block until the write deadline closes the connection.
            assertTrue(failed.await(10, TimeUnit.SECONDS), "the handler's write never failed");
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertTrue(ms >= 900 && ms < 5000, "cut after " + ms + " ms");
            for (int i = 0; i < 200 && s.server().connectionCount() > 0; i++) {
                Thread.sleep(10);
            }
            assertEquals(0, s.server().connectionCount());
        }
    }
}
