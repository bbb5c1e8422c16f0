package dev.weft.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * WebSocket echo round trips through the JDK's client: each connection sends a binary message,
 * waits for its echo, and sends the next, for a fixed time. Prints messages per second (one
 * message is one round trip) and the mean round-trip time. Run it against a server that echoes,
 * such as {@code ./weft}'s {@code /demo/ws/echo}.
 */
final class WebSocketLoad {
    private WebSocketLoad() {}

    public static void main(String[] args) throws Exception {
        URI uri = URI.create("ws://127.0.0.1:8080/demo/ws/echo");
        int connections = 16;
        int size = 64;
        int seconds = 10;
        int warmup = 3;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--uri" -> uri = URI.create(args[++i]);
                case "--connections" -> connections = Integer.parseInt(args[++i]);
                case "--size" -> size = Integer.parseInt(args[++i]);
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--warmup-seconds" -> warmup = Integer.parseInt(args[++i]);
                default -> throw Main.fail("websocket: unknown argument " + args[i]);
            }
        }
        if (!"127.0.0.1".equals(uri.getHost()) && !"localhost".equals(uri.getHost())) {
            throw Main.fail("websocket: the target must be on 127.0.0.1 or localhost");
        }
        byte[] payload = new byte[size];
        for (int i = 0; i < size; i++) {
            payload[i] = (byte) ('a' + i % 26);
        }
        HttpClient http = HttpClient.newHttpClient();
        List<Echoer> echoers = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            Echoer e = new Echoer(payload);
            e.ws = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                    .buildAsync(uri, e).get(10, TimeUnit.SECONDS);
            echoers.add(e);
        }
        echoers.forEach(Echoer::send);
        Thread.sleep(warmup * 1000L);
        long before = total(echoers);
        long t0 = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        long n = total(echoers) - before;
        double elapsed = (System.nanoTime() - t0) / 1e9;
        echoers.forEach(e -> e.stopping = true);
        for (Echoer e : echoers) {
            e.stopped.await(10, TimeUnit.SECONDS);
            e.ws.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(10, TimeUnit.SECONDS);
        }
        long errors = echoers.stream().mapToLong(e -> e.errors.get()).sum();
        System.out.printf("websocket: %s, %d connections, %d-byte binary messages: %.0f round trips/s,"
                        + " mean %.1f us each, %d errors, %.1f s measured%n",
                uri, connections, size, n / elapsed, connections * elapsed * 1e6 / Math.max(1, n), errors, elapsed);
        http.close();
        if (errors > 0) {
            System.exit(1);
        }
    }

    private static long total(List<Echoer> echoers) {
        return echoers.stream().mapToLong(e -> e.echoed.get()).sum();
    }

    /** One connection: sends the payload again each time the whole echo has arrived. */
    private static final class Echoer implements WebSocket.Listener {
        final byte[] payload;
        final AtomicLong echoed = new AtomicLong();
        final AtomicLong errors = new AtomicLong();
        final CountDownLatch stopped = new CountDownLatch(1);
        volatile boolean stopping;
        volatile WebSocket ws;
        int received;

        Echoer(byte[] payload) {
            this.payload = payload;
        }

        void send() {
            ws.sendBinary(ByteBuffer.wrap(payload), true).exceptionally(t -> {
                errors.incrementAndGet();
                stopped.countDown();
                return null;
            });
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            received += data.remaining();
            webSocket.request(1);
            if (last) {
                if (received != payload.length) {
                    errors.incrementAndGet();
                }
                received = 0;
                echoed.incrementAndGet();
                if (stopping) {
                    stopped.countDown();
                } else {
                    send();
                }
            }
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            errors.incrementAndGet();
            stopped.countDown();
        }
    }
}
