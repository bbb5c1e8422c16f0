package dev.weft.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;

/**
 * Echo messages per second on loopback. Only prints the figures (to the surefire output file and
 * the test report): timings depend on the machine, so nothing here asserts them.
 */
class WebSocketThroughputTest {
    private static final int WARMUP = 5_000;
    private static final int MESSAGES = 20_000;
    private static final String PAYLOAD = "0123456789abcdef"; // small: the cost per message, not per byte

    static EchoServer server;
    static HttpClient http;

    @BeforeAll
    static void start() throws Exception {
        server = EchoServer.start();
        http = HttpClient.newHttpClient();
    }

    @AfterAll
    static void stop() throws Exception {
        http.close();
        server.stop();
    }

    private static void report(TestReporter reporter, String what, int n, long nanos) {
        String line = String.format(Locale.ROOT, "websocket echo, %s: %,d messages of %d bytes in %.0f ms = %,.0f messages/s",
                what, n, PAYLOAD.length(), nanos / 1e6, n / (nanos / 1e9));
        System.out.println(line);
        reporter.publishEntry("throughput", line);
    }

    /** Hands each whole echoed message to the test thread. */
    static final class Handoff implements WebSocket.Listener {
        final SynchronousQueue<String> echoes = new SynchronousQueue<>();
        private final StringBuilder text = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                try {
                    echoes.put(text.toString());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                text.setLength(0);
            }
            ws.request(1);
            return null;
        }
    }

    @Test
    void jdkClientOneMessageInFlight(TestReporter reporter) throws Exception {
        Handoff h = new Handoff();
        WebSocket ws = http.newWebSocketBuilder().buildAsync(server.echoUri(), h).get(10, TimeUnit.SECONDS);
        for (int round = 0; round < 2; round++) {
            int n = round == 0 ? WARMUP : MESSAGES;
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                ws.sendText(PAYLOAD, true).join();
                String echo = h.echoes.poll(10, TimeUnit.SECONDS);
                if (!PAYLOAD.equals(echo)) {
                    throw new AssertionError("echo " + i + " was " + echo);
                }
            }
            if (round == 1) {
                report(reporter, "JDK client, one in flight (round trips)", n, System.nanoTime() - t0);
            }
        }
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "").get(10, TimeUnit.SECONDS);
    }

    /** Counts echoes; completes when the expected number has arrived. */
    static final class Counter implements WebSocket.Listener {
        final AtomicInteger received = new AtomicInteger();
        volatile int expected;
        volatile CompletableFuture<Void> done = new CompletableFuture<>();

        @Override
        public void onOpen(WebSocket ws) {
            ws.request(Long.MAX_VALUE); // no per-message demand round trip in the client
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            if (last && received.incrementAndGet() == expected) {
                done.complete(null);
            }
            return null;
        }
    }

    @Test
    void jdkClientPipelined(TestReporter reporter) throws Exception {
        Counter c = new Counter();
        WebSocket ws = http.newWebSocketBuilder().buildAsync(server.echoUri(), c).get(10, TimeUnit.SECONDS);
        for (int round = 0; round < 2; round++) {
            int n = round == 0 ? WARMUP : MESSAGES;
            c.received.set(0);
            c.expected = n;
            c.done = new CompletableFuture<>();
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                ws.sendText(PAYLOAD, true).join(); // the JDK client allows one send at a time; echoes arrive meanwhile
            }
            c.done.get(30, TimeUnit.SECONDS);
            if (round == 1) {
                report(reporter, "JDK client, pipelined", n, System.nanoTime() - t0);
            }
        }
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "").get(10, TimeUnit.SECONDS);
    }

    @Test
    void rawSocketOneMessageInFlight(TestReporter reporter) throws Exception {
        byte[] frame = RawWebSocket.text(PAYLOAD);
        try (RawWebSocket ws = RawWebSocket.open(server.port)) {
            for (int round = 0; round < 2; round++) {
                int n = round == 0 ? WARMUP : MESSAGES;
                long t0 = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    ws.write(frame);
                    if (ws.readFrame().payload().length != PAYLOAD.length()) {
                        throw new AssertionError("echo " + i);
                    }
                }
                if (round == 1) {
                    report(reporter, "raw socket client, one in flight (round trips)", n, System.nanoTime() - t0);
                }
            }
            ws.send(RawWebSocket.closeFrame(1000, ""));
            ws.expectClose(1000);
        }
    }

    @Test
    void rawSocketPipelined(TestReporter reporter) throws Exception {
        // Frames encoded beforehand and written in bulk: what the server can do when the client costs nothing.
        byte[] frame = RawWebSocket.text(PAYLOAD);
        try (RawWebSocket ws = RawWebSocket.open(server.port)) {
            for (int round = 0; round < 2; round++) {
                int n = round == 0 ? WARMUP : MESSAGES;
                ByteArrayOutputStream all = new ByteArrayOutputStream(frame.length * n);
                for (int i = 0; i < n; i++) {
                    all.writeBytes(frame);
                }
                byte[] bytes = all.toByteArray();
                long t0 = System.nanoTime();
                Thread writer = Thread.ofVirtual().start(() -> {
                    try {
                        ws.write(bytes);
                    } catch (IOException e) {
                        throw new RuntimeException(e);
                    }
                });
                for (int i = 0; i < n; i++) {
                    RawWebSocket.Frame f = ws.readFrame();
                    if (f.payload().length != PAYLOAD.length()) {
                        throw new AssertionError("echo " + i + " was " + new String(f.payload(), StandardCharsets.UTF_8));
                    }
                }
                long nanos = System.nanoTime() - t0;
                writer.join();
                if (round == 1) {
                    report(reporter, "raw socket client, pipelined", n, nanos);
                }
            }
            ws.send(RawWebSocket.closeFrame(1000, ""));
            ws.expectClose(1000);
        }
        server.awaitNoOpenConnections();
        assertEquals(0, server.echoServlet().openConnections());
    }
}
