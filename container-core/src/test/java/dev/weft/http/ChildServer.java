package dev.weft.http;

import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * A server in its own JVM, for tests that need the server's own file-descriptor limit or memory
 * figures: prints {@code PORT n} once listening. {@code GET /stats} answers with the heap in use
 * after a full GC, the tracked connections and the process's resident memory.
 */
public final class ChildServer {
    private ChildServer() {}

    public static void main(String[] args) throws Exception {
        Server[] self = new Server[1];
        Handler h = (w, r) -> {
            if (r.path().equals("/stats")) {
                System.gc();
                Runtime rt = Runtime.getRuntime();
                long heap = rt.totalMemory() - rt.freeMemory();
                w.write("heap=" + heap + " conns=" + self[0].connectionCount() + " rss=" + rssBytes()
                        + " threads=" + ManagementFactory.getThreadMXBean().getThreadCount());
                return;
            }
            w.write("ok");
        };
        Server s = Server.builder()
                .address(new InetSocketAddress("127.0.0.1", 0))
                .handler(h)
                .idleTimeout(Duration.ofSeconds(120))
                .maxConnections(0)
                .build();
        self[0] = s;
        Listener l = s.start();
        System.out.println("PORT " + l.address().getPort());
        System.out.flush();
        Thread.sleep(Duration.ofMinutes(5)); // the test kills it long before; never outlive it by much
        s.close();
    }

    static long rssBytes() {
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (java.io.IOException | RuntimeException ignored) {
            // Not on Linux: no figure.
        }
        return -1;
    }
}
