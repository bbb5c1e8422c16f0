package dev.weft.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.examples.websocket.WebSocketEchoServlet;
import dev.weft.http.Server;
import dev.weft.servlet.ServletHandler;
import dev.weft.servlet.WebApp;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The echo endpoint through the JDK's own WebSocket client, as an ordinary client uses it. */
class WebSocketEchoTest {
    static EchoServer server;
    static HttpClient http;

    @BeforeAll
    static void start() throws Exception {
        server = EchoServer.start();
        http = HttpClient.newHttpClient();
    }

    @AfterAll
    static void stop() throws Exception {
        server.awaitNoOpenConnections();
        http.close();
        server.stop();
    }

    private static WebSocket connect(URI uri, Recorder r) throws Exception {
        return http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5)).buildAsync(uri, r).get(10, TimeUnit.SECONDS);
    }

    private static WebSocket connect(Recorder r) throws Exception {
        return connect(server.echoUri(), r);
    }

    /** Our Close with {@code code}, the server's echo of it, and the end of the connection. */
    private static void closeCleanly(WebSocket ws, Recorder r, int code) throws Exception {
        ws.sendClose(code, "done").get(10, TimeUnit.SECONDS);
        Recorder.Closed c = r.closed.get(10, TimeUnit.SECONDS);
        assertEquals(code, c.code(), "the server echoes the close code");
    }

    @Test
    void textIsEchoed() throws Exception {
        Recorder r = new Recorder();
        WebSocket ws = connect(r);
        assertEquals("", ws.getSubprotocol(), "none offered, none chosen");
        for (String s : new String[] {"hello", "", "h\u00e9llo w\u00f6rld \u2713 \ud83c\udf0d"}) {
            ws.sendText(s, true).get(10, TimeUnit.SECONDS);
            assertEquals(s, r.next());
        }
        closeCleanly(ws, r, WebSocket.NORMAL_CLOSURE);
    }

    @Test
    void binaryIsEchoed() throws Exception {
        Recorder r = new Recorder();
        WebSocket ws = connect(r);
        for (int size : new int[] {0, 1, 125, 126, 65535, 65536, 100_000}) {
            byte[] b = new byte[size];
            new Random(size).nextBytes(b);
            ws.sendBinary(ByteBuffer.wrap(b), true).get(10, TimeUnit.SECONDS);
            assertArrayEquals(b, (byte[]) r.next(), size + " bytes");
        }
        closeCleanly(ws, r, WebSocket.NORMAL_CLOSURE);
    }

    @Test
    void largeTextSentInFragmentsComesBackWhole() throws Exception {
        // 512 KiB of text with 1-, 2-, 3- and 4-byte characters, in 8 fragments.
        String unit = "abc \u00e9\u00e8 \u20ac\u2713 \ud83c\udf0d\n";
        StringBuilder b = new StringBuilder();
        while (b.toString().getBytes(StandardCharsets.UTF_8).length < (512 << 10)) {
            b.append(unit.repeat(1024));
        }
        String message = b.toString();
        int parts = 8;
        int step = unit.length() * (message.length() / unit.length() / parts); // cut between units, never inside a pair
        Recorder r = new Recorder();
        WebSocket ws = connect(r);
        for (int i = 0; i < parts; i++) {
            int from = i * step;
            boolean last = i == parts - 1;
            ws.sendText(message.substring(from, last ? message.length() : from + step), last).get(10, TimeUnit.SECONDS);
        }
        assertEquals(message, r.next());
        closeCleanly(ws, r, WebSocket.NORMAL_CLOSURE);
    }

    @Test
    void largeBinaryInFragmentsComesBackWhole() throws Exception {
        byte[] message = new byte[512 << 10];
        new Random(512).nextBytes(message);
        Recorder r = new Recorder();
        WebSocket ws = connect(r);
        int step = message.length / 4;
        for (int i = 0; i < 4; i++) {
            ws.sendBinary(ByteBuffer.wrap(message, i * step, step), i == 3).get(10, TimeUnit.SECONDS);
        }
        assertArrayEquals(message, (byte[]) r.next());
        closeCleanly(ws, r, WebSocket.NORMAL_CLOSURE);
    }

    @Test
    void pingIsAnsweredWithPong() throws Exception {
        Recorder r = new Recorder();
        WebSocket ws = connect(r);
        ws.sendPing(ByteBuffer.wrap("are you there?".getBytes(StandardCharsets.UTF_8))).get(10, TimeUnit.SECONDS);
        ByteBuffer pong = r.pongs.poll(10, TimeUnit.SECONDS);
        assertEquals("are you there?", StandardCharsets.UTF_8.decode(pong).toString());
        // An unsolicited pong is ignored; the connection carries on.
        ws.sendPong(ByteBuffer.wrap(new byte[] {1})).get(10, TimeUnit.SECONDS);
        ws.sendText("still here", true).get(10, TimeUnit.SECONDS);
        assertEquals("still here", r.next());
        closeCleanly(ws, r, WebSocket.NORMAL_CLOSURE);
    }

    @Test
    void closeHandshakeEchoesTheClientsCode() throws Exception {
        Recorder r = new Recorder();
        WebSocket ws = connect(r);
        ws.sendText("before closing", true).get(10, TimeUnit.SECONDS);
        assertEquals("before closing", r.next());
        closeCleanly(ws, r, 4321);
        assertTrue(ws.isInputClosed() && ws.isOutputClosed());
        server.awaitNoOpenConnections(); // the server closed its side and destroy() ran
    }

    @Test
    void manyMessagesOneAtATime() throws Exception {
        Recorder r = new Recorder();
        WebSocket ws = connect(r);
        for (int i = 0; i < 1000; i++) {
            ws.sendText("message " + i, true).get(10, TimeUnit.SECONDS);
            assertEquals("message " + i, r.next());
        }
        closeCleanly(ws, r, WebSocket.NORMAL_CLOSURE);
    }

    @Test
    void manyMessagesPipelinedComeBackInOrder() throws Exception {
        Recorder r = new Recorder();
        WebSocket ws = connect(r);
        for (int i = 0; i < 5000; i++) {
            ws.sendText("message " + i, true).get(10, TimeUnit.SECONDS); // sent, not yet echoed
        }
        for (int i = 0; i < 5000; i++) {
            assertEquals("message " + i, r.next());
        }
        closeCleanly(ws, r, WebSocket.NORMAL_CLOSURE);
    }

    @Test
    void subprotocolIsNegotiated() throws Exception {
        Recorder r = new Recorder();
        WebSocket ws = http.newWebSocketBuilder().subprotocols("chat", "echo").buildAsync(server.echoUri(), r)
                .get(10, TimeUnit.SECONDS);
        assertEquals("echo", ws.getSubprotocol(), "the one the server speaks, of those offered");
        closeCleanly(ws, r, WebSocket.NORMAL_CLOSURE);
    }

    @Test
    void messageOverTheLimitClosesWith1009() throws Exception {
        Recorder r = new Recorder();
        WebSocket ws = connect(r);
        ws.sendBinary(ByteBuffer.allocate((1 << 20) + 1), true).get(10, TimeUnit.SECONDS);
        assertEquals(1009, r.closed.get(10, TimeUnit.SECONDS).code());
        server.awaitNoOpenConnections();
    }

    @Test
    void stoppingTheApplicationClosesConnectionsWith1001() throws Exception {
        // Its own application, with its own settings, so stopping it leaves the demo alone.
        ServletHandler servlets = new ServletHandler();
        WebApp app = new WebApp("/small");
        var reg = app.addServlet("echo", new WebSocketEchoServlet());
        reg.addMapping("/echo");
        reg.setInitParameter("maxMessageSize", "10");
        reg.setInitParameter("closeTimeoutMillis", "500");
        servlets.deploy(app);
        Server small = Server.builder().address(new InetSocketAddress("127.0.0.1", 0)).handler(servlets).build();
        try {
            URI uri = URI.create("ws://127.0.0.1:" + small.start().address().getPort() + "/small/echo");
            Recorder tooBig = new Recorder();
            WebSocket ws = connect(uri, tooBig);
            ws.sendText("0123456789", true).get(10, TimeUnit.SECONDS);
            assertEquals("0123456789", tooBig.next(), "exactly the configured limit");
            ws.sendText("0123456789+", true).get(10, TimeUnit.SECONDS);
            assertEquals(1009, tooBig.closed.get(10, TimeUnit.SECONDS).code(), "one byte more");

            Recorder r = new Recorder();
            ws = connect(uri, r);
            ws.sendText("hi", true).get(10, TimeUnit.SECONDS);
            assertEquals("hi", r.next());
            WebSocketEchoServlet servlet = (WebSocketEchoServlet) app.getAttribute(WebSocketEchoServlet.class.getName());
            servlets.stop();
            assertEquals(1001, r.closed.get(10, TimeUnit.SECONDS).code());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (servlet.openConnections() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(0, servlet.openConnections());
        } finally {
            small.close();
            servlets.stop();
        }
    }

    @Test
    void serverTimeoutsDoNotCutAnIdleUpgradedConnection() throws Exception {
        // The HTTP deadlines belong to the request that asked for the upgrade, not to the WebSocket after it.
        ServletHandler servlets = new ServletHandler();
        Duration t = Duration.ofMillis(200);
        Server strict = Server.builder().address(new InetSocketAddress("127.0.0.1", 0)).handler(Examples.routes(servlets))
                .readHeaderTimeout(t).readTimeout(t).writeTimeout(t).idleTimeout(t).build();
        try {
            URI uri = URI.create("ws://127.0.0.1:" + strict.start().address().getPort() + "/demo/ws/echo");
            Recorder r = new Recorder();
            WebSocket ws = connect(uri, r);
            ws.sendText("first", true).get(10, TimeUnit.SECONDS);
            assertEquals("first", r.next());
            Thread.sleep(1000);
            ws.sendText("after a quiet second", true).get(10, TimeUnit.SECONDS);
            assertEquals("after a quiet second", r.next());
            closeCleanly(ws, r, WebSocket.NORMAL_CLOSURE);
        } finally {
            strict.close();
            servlets.stop();
        }
    }

    @Test
    void closingTheServerEndsUpgradedConnectionsAndDestroysTheirHandlers() throws Exception {
        ServletHandler servlets = new ServletHandler();
        Server doomed = Server.builder().address(new InetSocketAddress("127.0.0.1", 0)).handler(Examples.routes(servlets)).build();
        try {
            int port = doomed.start().address().getPort();
            try (RawWebSocket ws = RawWebSocket.open(port)) {
                ws.send(RawWebSocket.text("x"));
                assertEquals("x", ws.readFrame().text());
                WebSocketEchoServlet servlet = null;
                for (WebApp app : servlets.apps()) {
                    servlet = (WebSocketEchoServlet) app.getAttribute(WebSocketEchoServlet.class.getName());
                }
                assertEquals(1, servlet.openConnections());
                doomed.close();
                ws.expectEof();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (servlet.openConnections() > 0 && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
                assertEquals(0, servlet.openConnections(), "destroy() after the server closed the socket");
            }
        } finally {
            doomed.close();
            servlets.stop();
        }
    }
}
