package dev.weft.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Many idle connections and an exhausted file-descriptor table, against a server in its own JVM
 * (so that it has its own descriptor limit and its memory can be read alone).
 */
class ResourceExhaustionTest {
    @Test
    void tenThousandIdleConnectionsDoNotStopANewClientAndTheirMemoryComesBack() throws Exception {
        int idle = 10_000;
        try (ChildProcess child = ChildProcess.start(0, "-Xmx512m")) {
            Stats before = stats(child.port);
            List<RawClient> held = new ArrayList<>(idle);
            long t0 = System.nanoTime();
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<RawClient>> opening = new ArrayList<>();
                for (int i = 0; i < idle; i++) {
                    opening.add(pool.submit(() -> {
                        RawClient c = new RawClient(child.port);
                        c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
                        assertEquals("ok", c.read().text());
                        return c; // now an idle keep-alive connection
                    }));
                }
                for (Future<RawClient> f : opening) {
                    held.add(f.get(60, TimeUnit.SECONDS));
                }
            }
            long openMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            try {
                long worst = 0;
                for (int i = 0; i < 20; i++) {
                    long s0 = System.nanoTime();
                    try (RawClient c = new RawClient(child.port)) {
                        c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
                        assertEquals("ok", c.read().text());
                    }
                    worst = Math.max(worst, TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - s0));
                }
                Stats during = stats(child.port);
                System.out.printf("idle: %d connections opened in %d ms; new client worst latency %d us; "
                                + "heap %d -> %d KiB (%d B per connection); rss %d -> %d MiB (%d B per connection); conns %d%n",
                        idle, openMs, worst, before.heap >> 10, during.heap >> 10, (during.heap - before.heap) / idle,
                        before.rss >> 20, during.rss >> 20, (during.rss - before.rss) / idle, during.conns);
                assertTrue(during.conns >= idle, "server tracks " + during.conns);
                assertTrue(worst < 1_000_000, "a new client waited " + worst + " us");
            } finally {
                for (RawClient c : held) {
                    c.close();
                }
            }
            Stats after = stats(child.port);
            for (int i = 0; i < 100 && after.conns > 1; i++) {
                Thread.sleep(50);
                after = stats(child.port);
            }
            System.out.printf("idle: after closing, conns %d, heap %d KiB (before %d KiB)%n",
                    after.conns, after.heap >> 10, before.heap >> 10);
            assertTrue(after.conns <= 1, "connections left: " + after.conns);
            assertTrue(after.heap < before.heap + (8 << 20), "heap did not come back: " + after.heap + " vs " + before.heap);
        }
    }

    @Test
    void outOfFileDescriptorsBacksOffAndRecovers() throws Exception {
        try (ChildProcess child = ChildProcess.start(256, "-Xmx128m")) {
            // Fill the server's descriptor table with live connections until one is not accepted.
            List<RawClient> held = new ArrayList<>();
            RawClient waiting = null;
            for (int i = 0; i < 400 && waiting == null; i++) {
                RawClient c = new RawClient(child.port).timeout(1500);
                c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
                try {
                    assertEquals("ok", c.read().text());
                    held.add(c);
                } catch (java.net.SocketTimeoutException notAccepted) {
                    waiting = c;
                }
            }
            assertTrue(waiting != null, "the server never ran out of descriptors");
            try {
                // While out of descriptors the accept loop backs off instead of spinning.
                long cpu0 = child.cpuMillis();
                Thread.sleep(2000);
                long cpuMs = child.cpuMillis() - cpu0;
                String log = child.logText();
                int retries = count(log, "retrying in");
                System.out.printf("emfile: %d connections held, %d accept retries logged, %d ms CPU in 2 s while exhausted%n",
                        held.size(), retries, cpuMs);
                assertTrue(log.contains("Too many open files"), log);
                assertTrue(retries < 60, "accept retried " + retries + " times: no backoff?");
                assertTrue(cpuMs < 1000, "the server burned " + cpuMs + " ms of CPU in 2 s");

                // Free some descriptors: the waiting connection is accepted and served.
                for (int i = 0; i < 50; i++) {
                    held.remove(held.size() - 1).close();
                }
                RawClient.Resp r = waiting.timeout(10_000).read();
                assertEquals("ok", r.text());
                assertTrue(log.contains("retrying in 1000 ms") || retries >= 5, "backoff grows: " + retries);
            } finally {
                for (RawClient c : held) {
                    c.close();
                }
                waiting.close();
            }
        }
    }

    private static int count(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    record Stats(long heap, long conns, long rss) {}

    static Stats stats(int port) throws IOException {
        try (RawClient c = new RawClient(port)) {
            c.send("GET /stats HTTP/1.1\r\nHost: x\r\n\r\n");
            String t = c.read().text();
            return new Stats(field(t, "heap"), field(t, "conns"), field(t, "rss"));
        }
    }

    private static long field(String text, String name) {
        Matcher m = Pattern.compile(name + "=(-?\\d+)").matcher(text);
        assertTrue(m.find(), text);
        return Long.parseLong(m.group(1));
    }
}
