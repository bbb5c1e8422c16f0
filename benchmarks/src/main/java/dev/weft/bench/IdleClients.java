package dev.weft.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Scenario D's client: opens many keep-alive connections to 127.0.0.1, sends one
 * {@code GET /plaintext} on each, reads the answer, then leaves them all idle for a while, so
 * that run.sh can measure what holding them costs the server.
 *
 * <p>Connections come from several loopback source addresses (127.0.0.1 to 127.0.0.N), so the
 * count is never capped by one address's ephemeral port range. Prints {@code HELD ok=... failed=... ready}
 * once every connection has its response, then holds them for {@code --hold-seconds} and exits.
 */
final class IdleClients {
    private static final byte[] REQUEST =
            "GET /plaintext HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private IdleClients() {}

    public static void main(String[] args) throws Exception {
        int port = 8080;
        int connections = 10_000;
        int holdSeconds = 15;
        int sources = 4;
        int inFlight = 32; // below the peers' default accept backlogs (Tomcat's is 100)
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--connections" -> connections = Integer.parseInt(args[++i]);
                case "--hold-seconds" -> holdSeconds = Integer.parseInt(args[++i]);
                case "--source-addresses" -> sources = Integer.parseInt(args[++i]);
                default -> throw Main.fail("idle-clients: unknown argument " + args[i]);
            }
        }
        InetSocketAddress target = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        AtomicReferenceArray<Socket> sockets = new AtomicReferenceArray<>(connections);
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        AtomicInteger firstErrors = new AtomicInteger();
        Semaphore permits = new Semaphore(inFlight);
        long t0 = System.nanoTime();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < connections; i++) {
                int n = i;
                InetAddress source = InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) (1 + n % sources)});
                permits.acquire();
                pool.submit(() -> {
                    try {
                        sockets.set(n, open(source, target));
                        ok.incrementAndGet();
                    } catch (IOException | RuntimeException e) {
                        failed.incrementAndGet();
                        if (firstErrors.incrementAndGet() <= 5) {
                            System.err.println("idle-clients: connection " + n + ": " + e);
                        }
                    } finally {
                        permits.release();
                    }
                });
            }
        }
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        // One write, ending in a word run.sh waits for, so a half-written line is never taken for the whole.
        System.out.print(String.format("HELD ok=%d failed=%d open_ms=%d ready%n", ok.get(), failed.get(), ms));
        System.out.flush();
        Thread.sleep(TimeUnit.SECONDS.toMillis(holdSeconds));
        int stillOpen = 0;
        for (int i = 0; i < connections; i++) {
            Socket s = sockets.get(i);
            if (s != null) {
                // A peer that closed an idle connection meanwhile shows up as end of stream.
                try {
                    if (s.getInputStream().available() == 0 && !s.isInputShutdown()) {
                        stillOpen++;
                    }
                    s.close();
                } catch (IOException ignored) {
                    // Closing anyway.
                }
            }
        }
        System.out.printf("RELEASED %d%n", stillOpen);
    }

    /** Connects from {@code source}, sends the request, and reads the whole 200 response. */
    private static Socket open(InetAddress source, InetSocketAddress target) throws IOException {
        Socket s = new Socket();
        try {
            s.bind(new InetSocketAddress(source, 0));
            s.connect(target, 10_000);
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(REQUEST);
            out.flush();
            readResponse(s.getInputStream());
            s.setSoTimeout(0);
            return s;
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    /** Reads a response head and its Content-Length body; fails unless the status is 200. */
    static void readResponse(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("connection closed after " + head.length() + " bytes of response head");
            }
            head.append((char) c);
        }
        String h = head.toString();
        if (!h.startsWith("HTTP/1.1 200")) {
            throw new IOException("status line " + h.lines().findFirst().orElse(""));
        }
        long length = -1;
        for (String line : h.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("Content-Length")) {
                length = Long.parseLong(line.substring(colon + 1).trim());
            }
        }
        if (length < 0) {
            throw new IOException("no Content-Length in " + h);
        }
        for (long left = length; left > 0; left--) {
            if (in.read() < 0) {
                throw new IOException("connection closed inside the body");
            }
        }
    }
}
