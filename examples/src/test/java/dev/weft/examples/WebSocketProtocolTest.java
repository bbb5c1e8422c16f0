package dev.weft.examples;

import static dev.weft.examples.RawWebSocket.BINARY;
import static dev.weft.examples.RawWebSocket.CLOSE;
import static dev.weft.examples.RawWebSocket.CONTINUATION;
import static dev.weft.examples.RawWebSocket.PING;
import static dev.weft.examples.RawWebSocket.PONG;
import static dev.weft.examples.RawWebSocket.TEXT;
import static dev.weft.examples.RawWebSocket.bytes;
import static dev.weft.examples.RawWebSocket.closeFrame;
import static dev.weft.examples.RawWebSocket.frame;
import static dev.weft.examples.RawWebSocket.text;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.examples.RawWebSocket.Frame;
import dev.weft.examples.RawWebSocket.HttpHead;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The echo endpoint at the byte level (RFC 6455), with hand-built frames: the handshake, the
 * frame format, and every protocol error a well-behaved client such as the JDK's never sends.
 */
class WebSocketProtocolTest {
    static EchoServer server;

    @BeforeAll
    static void start() throws Exception {
        server = EchoServer.start();
    }

    @AfterAll
    static void stop() throws Exception {
        server.awaitNoOpenConnections();
        server.stop();
    }

    private RawWebSocket open() throws IOException {
        return RawWebSocket.open(server.port);
    }

    // ---- Opening handshake ----

    @Test
    void handshakeAnswersWithTheAcceptKey() throws Exception {
        try (RawWebSocket ws = new RawWebSocket(server.port)) {
            ws.write(RawWebSocket.upgradeRequest().getBytes(StandardCharsets.US_ASCII));
            HttpHead head = ws.readHead();
            assertEquals(101, head.status());
            assertEquals("websocket", head.field("Upgrade"));
            assertEquals("Upgrade", head.field("Connection"));
            assertEquals(RawWebSocket.SAMPLE_ACCEPT, head.field("Sec-WebSocket-Accept"));
            assertNull(head.field("Sec-WebSocket-Protocol"), "no subprotocol was offered");
            assertNull(head.field("Sec-WebSocket-Extensions"), "no extension is supported");
            assertNull(head.field("Content-Length"));
            assertNull(head.field("Transfer-Encoding"));
            ws.send(closeFrame(1000, ""));
            ws.expectClose(1000);
            ws.expectEof();
        }
    }

    @Test
    void handshakeToleratesListsAndCase() throws Exception {
        // Firefox sends "Connection: keep-alive, Upgrade"; header values compare without case.
        String request = RawWebSocket.request("GET /demo/ws/echo HTTP/1.1", "upgrade: WebSocket",
                "connection: keep-alive, Upgrade", "sec-websocket-key: " + RawWebSocket.SAMPLE_KEY,
                "sec-websocket-version: 13", "Sec-WebSocket-Protocol: chat, echo");
        try (RawWebSocket ws = new RawWebSocket(server.port)) {
            ws.write(request.getBytes(StandardCharsets.US_ASCII));
            HttpHead head = ws.readHead();
            assertEquals(101, head.status());
            assertEquals(RawWebSocket.SAMPLE_ACCEPT, head.field("Sec-WebSocket-Accept"));
            assertEquals("echo", head.field("Sec-WebSocket-Protocol"));
            ws.send(text("ok"));
            assertEquals("ok", ws.readFrame().text());
            ws.send(closeFrame(1000, ""));
            ws.expectClose(1000);
        }
    }

    static Stream<Arguments> badHandshakes() {
        String key = "Sec-WebSocket-Key: " + RawWebSocket.SAMPLE_KEY;
        String get = "GET /demo/ws/echo HTTP/1.1";
        return Stream.of(
                Arguments.of("plain GET", RawWebSocket.request(get), 400),
                Arguments.of("Upgrade to something else",
                        RawWebSocket.request(get, "Upgrade: h2c", "Connection: Upgrade", key, "Sec-WebSocket-Version: 13"), 400),
                Arguments.of("no Connection: Upgrade",
                        RawWebSocket.request(get, "Upgrade: websocket", "Connection: keep-alive", key, "Sec-WebSocket-Version: 13"), 400),
                Arguments.of("no key",
                        RawWebSocket.request(get, "Upgrade: websocket", "Connection: Upgrade", "Sec-WebSocket-Version: 13"), 400),
                Arguments.of("key not base64",
                        RawWebSocket.request(get, "Upgrade: websocket", "Connection: Upgrade",
                                "Sec-WebSocket-Key: not*base64*at*all!!!!!!", "Sec-WebSocket-Version: 13"), 400),
                Arguments.of("key of 15 bytes",
                        RawWebSocket.request(get, "Upgrade: websocket", "Connection: Upgrade",
                                "Sec-WebSocket-Key: AAAAAAAAAAAAAAAAAAAA", "Sec-WebSocket-Version: 13"), 400),
                Arguments.of("two keys",
                        RawWebSocket.request(get, "Upgrade: websocket", "Connection: Upgrade", key,
                                "Sec-WebSocket-Key: AAAAAAAAAAAAAAAAAAAAAA==", "Sec-WebSocket-Version: 13"), 400),
                Arguments.of("HTTP/1.0",
                        RawWebSocket.request("GET /demo/ws/echo HTTP/1.0", "Upgrade: websocket", "Connection: Upgrade", key,
                                "Sec-WebSocket-Version: 13"), 400),
                Arguments.of("version 8",
                        RawWebSocket.request(get, "Upgrade: websocket", "Connection: Upgrade", key, "Sec-WebSocket-Version: 8"), 426),
                Arguments.of("no version",
                        RawWebSocket.request(get, "Upgrade: websocket", "Connection: Upgrade", key), 426),
                Arguments.of("POST",
                        RawWebSocket.request("POST /demo/ws/echo HTTP/1.1", "Upgrade: websocket", "Connection: Upgrade", key,
                                "Sec-WebSocket-Version: 13", "Content-Length: 0"), 405));
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @MethodSource("badHandshakes")
    void badHandshakeIsRefused(String what, String request, int status) throws Exception {
        try (RawWebSocket ws = new RawWebSocket(server.port)) {
            ws.write(request.getBytes(StandardCharsets.US_ASCII));
            HttpHead head = ws.readHead();
            assertEquals(status, head.status(), what);
            assertNull(head.field("Sec-WebSocket-Accept"), what);
            if (status == 426) {
                assertEquals("13", head.field("Sec-WebSocket-Version"), "§4.4: the version the server speaks");
            }
            if (status == 405) {
                assertEquals("GET", head.field("Allow"));
            }
            assertFalse(ws.readBody(head).isEmpty(), "the refusal says why");
        }
    }

    @Test
    void bytesSentWithTheHandshakeAreNotLost() throws Exception {
        // Handshake and frames in one write: the server reads them ahead with the request, and
        // the upgraded connection must start with those buffered bytes.
        try (RawWebSocket ws = new RawWebSocket(server.port)) {
            ws.send(RawWebSocket.upgradeRequest().getBytes(StandardCharsets.US_ASCII),
                    text("early"), frame(true, PING, bytes(1, 2, 3)), frame(true, BINARY, bytes(9, 8, 7)));
            assertEquals(101, ws.readHead().status());
            Frame f = ws.readFrame();
            assertEquals(TEXT, f.opcode());
            assertEquals("early", f.text());
            f = ws.readFrame();
            assertEquals(PONG, f.opcode());
            assertArrayEquals(bytes(1, 2, 3), f.payload());
            f = ws.readFrame();
            assertEquals(BINARY, f.opcode());
            assertArrayEquals(bytes(9, 8, 7), f.payload());
            ws.send(closeFrame(1000, ""));
            ws.expectClose(1000);
            ws.expectEof();
        }
    }

    @Test
    void requestBodyOfTheHandshakeIsNotPartOfTheUpgradedStream() throws Exception {
        // RFC 9110 §7.8 / RFC 7230 §6.7: the new protocol starts after the whole request message,
        // body included. An upgrade request with a body is unusual, but its body is still HTTP.
        try (RawWebSocket ws = new RawWebSocket(server.port)) {
            ws.send(RawWebSocket.upgradeRequest("Content-Length: 5").replace("\r\n\r\n", "\r\n\r\nhello")
                    .getBytes(StandardCharsets.US_ASCII), text("after the body"));
            assertEquals(101, ws.readHead().status());
            Frame f = ws.readFrame();
            assertEquals(TEXT, f.opcode(), "the body was taken for a frame (a close " + (f.opcode() == CLOSE ? f.closeCode() : -1) + ")");
            assertEquals("after the body", f.text());
            ws.send(closeFrame(1000, ""));
            ws.expectClose(1000);
        }
    }

    // ---- Framing ----

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {0, 1, 125, 126, 200, 65535, 65536, 70000})
    void binaryEchoWithEachLengthForm(int size) throws Exception {
        byte[] payload = new byte[size];
        new Random(size).nextBytes(payload);
        try (RawWebSocket ws = open()) {
            ws.send(frame(true, BINARY, payload));
            Frame f = ws.readFrame();
            assertTrue(f.fin());
            assertEquals(0, f.rsv());
            assertEquals(BINARY, f.opcode());
            assertEquals(size < 126 ? size : size <= 0xFFFF ? 126 : 127, f.lengthCode(), "shortest length form");
            assertArrayEquals(payload, f.payload());
            ws.send(closeFrame(1000, ""));
            ws.expectClose(1000);
        }
    }

    @Test
    void fragmentsAreReassembledWithControlFramesBetween() throws Exception {
        try (RawWebSocket ws = open()) {
            ws.send(frame(false, TEXT, "Hel".getBytes(StandardCharsets.UTF_8)),
                    frame(true, PING, "p".getBytes(StandardCharsets.UTF_8)),
                    frame(false, CONTINUATION, "lo, ".getBytes(StandardCharsets.UTF_8)),
                    frame(true, PONG, "unsolicited".getBytes(StandardCharsets.UTF_8)),
                    frame(true, CONTINUATION, "world".getBytes(StandardCharsets.UTF_8)));
            Frame pong = ws.readFrame();
            assertEquals(PONG, pong.opcode(), "the ping is answered before the message completes");
            assertEquals("p", pong.text());
            Frame f = ws.readFrame();
            assertEquals(TEXT, f.opcode(), "the unsolicited pong was not answered");
            assertTrue(f.fin());
            assertEquals("Hello, world", f.text());
            ws.send(closeFrame(1000, ""));
            ws.expectClose(1000);
        }
    }

    @Test
    void characterSplitAcrossFragmentsIsValidText() throws Exception {
        byte[] euro = "\u20ac".getBytes(StandardCharsets.UTF_8); // E2 82 AC
        try (RawWebSocket ws = open()) {
            ws.send(frame(false, TEXT, Arrays.copyOfRange(euro, 0, 1)),
                    frame(false, CONTINUATION, Arrays.copyOfRange(euro, 1, 2)),
                    frame(true, CONTINUATION, Arrays.copyOfRange(euro, 2, 3)));
            assertEquals("\u20ac", ws.readFrame().text());
            ws.send(frame(false, TEXT, new byte[0]), frame(true, CONTINUATION, new byte[0]));
            assertEquals("", ws.readFrame().text(), "empty fragments make an empty message");
            ws.send(closeFrame(1000, ""));
            ws.expectClose(1000);
        }
    }

    @Test
    void pingIsAnsweredWithTheSamePayload() throws Exception {
        byte[] payload = new byte[125];
        new Random(1).nextBytes(payload);
        try (RawWebSocket ws = open()) {
            ws.send(frame(true, PING, payload), frame(true, PING, new byte[0]));
            Frame f = ws.readFrame();
            assertEquals(PONG, f.opcode());
            assertArrayEquals(payload, f.payload());
            f = ws.readFrame();
            assertEquals(PONG, f.opcode());
            assertEquals(0, f.payload().length);
            ws.send(closeFrame(1000, ""));
            ws.expectClose(1000);
        }
    }

    // ---- Protocol errors ----

    @Test
    void unmaskedFrameIs1002() throws Exception {
        try (RawWebSocket ws = open()) {
            ws.send(frame(0x80 | TEXT, "hi".getBytes(StandardCharsets.UTF_8), false));
            ws.completeServerClose(1002);
        }
    }

    static Stream<Arguments> invalidUtf8() {
        return Stream.of(
                Arguments.of("bad continuation", bytes('a', 0xC3, 0x28)),
                Arguments.of("stray continuation byte", bytes(0x80)),
                Arguments.of("overlong '/'", bytes(0xC0, 0xAF)),
                Arguments.of("overlong 3-byte NUL", bytes(0xE0, 0x80, 0x80)),
                Arguments.of("surrogate U+D800", bytes(0xED, 0xA0, 0x80)),
                Arguments.of("beyond U+10FFFF", bytes(0xF4, 0x90, 0x80, 0x80)),
                Arguments.of("F5 lead byte", bytes(0xF5, 0x80, 0x80, 0x80)),
                Arguments.of("truncated at the end", bytes('o', 'k', 0xE2, 0x82)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidUtf8")
    void invalidUtf8TextIs1007(String what, byte[] payload) throws Exception {
        try (RawWebSocket ws = open()) {
            ws.send(frame(true, TEXT, payload));
            ws.completeServerClose(1007);
        }
    }

    @Test
    void invalidUtf8FailsAtTheFirstBadFragment() throws Exception {
        try (RawWebSocket ws = open()) {
            // The message never ends: the server must not wait for its end to judge it.
            ws.send(frame(false, TEXT, "fine so far ".getBytes(StandardCharsets.UTF_8)),
                    frame(false, CONTINUATION, bytes(0xED, 0xBF, 0xBF)));
            ws.completeServerClose(1007);
        }
    }

    @Test
    void binaryMessagesAreNotCheckedAsText() throws Exception {
        try (RawWebSocket ws = open()) {
            ws.send(frame(true, BINARY, bytes(0xC0, 0xAF, 0xFF)));
            assertArrayEquals(bytes(0xC0, 0xAF, 0xFF), ws.readFrame().payload());
            ws.send(closeFrame(1000, ""));
            ws.expectClose(1000);
        }
    }

    @Test
    void oversizeFrameIs1009() throws Exception {
        // Refused on its header; the server then reads past the payload to find our Close.
        byte[] payload = new byte[(1 << 20) + 1];
        try (RawWebSocket ws = open()) {
            ws.send(frame(true, BINARY, payload));
            ws.completeServerClose(1009);
        }
    }

    @Test
    void oversizeFragmentedMessageIs1009() throws Exception {
        byte[] part = new byte[300 << 10];
        try (RawWebSocket ws = open()) {
            ws.send(frame(false, TEXT, part), frame(false, CONTINUATION, part), frame(false, CONTINUATION, part),
                    frame(true, CONTINUATION, part));
            ws.completeServerClose(1009);
        }
    }

    @Test
    void messageOfExactlyTheLimitIsEchoed() throws Exception {
        byte[] payload = new byte[1 << 20];
        new Random(3).nextBytes(payload);
        try (RawWebSocket ws = open()) {
            ws.send(frame(false, BINARY, Arrays.copyOfRange(payload, 0, 1000)),
                    frame(true, CONTINUATION, Arrays.copyOfRange(payload, 1000, payload.length)));
            Frame f = ws.readFrame();
            assertEquals(BINARY, f.opcode());
            assertArrayEquals(payload, f.payload());
            ws.send(closeFrame(1000, ""));
            ws.expectClose(1000);
        }
    }

    @Test
    void fragmentedControlFrameIs1002() throws Exception {
        try (RawWebSocket ws = open()) {
            ws.send(frame(false, PING, bytes(1)));
            ws.completeServerClose(1002);
        }
    }

    @Test
    void controlFrameLongerThan125Is1002() throws Exception {
        try (RawWebSocket ws = open()) {
            ws.send(frame(true, PING, new byte[126]));
            ws.completeServerClose(1002);
        }
    }

    @ParameterizedTest(name = "RSV bits {0}")
    @ValueSource(ints = {4, 2, 1})
    void reservedBitsAre1002(int rsv) throws Exception {
        try (RawWebSocket ws = open()) {
            ws.send(frame(0x80 | rsv << 4 | TEXT, "hi".getBytes(StandardCharsets.UTF_8), true));
            ws.completeServerClose(1002);
        }
    }

    @ParameterizedTest(name = "opcode {0}")
    @ValueSource(ints = {3, 7, 0xB, 0xF})
    void reservedOpcodesAre1002(int opcode) throws Exception {
        try (RawWebSocket ws = open()) {
            ws.send(frame(true, opcode, new byte[0]));
            ws.completeServerClose(1002);
        }
    }

    @Test
    void continuationWithNothingToContinueIs1002() throws Exception {
        try (RawWebSocket ws = open()) {
            ws.send(frame(true, CONTINUATION, "x".getBytes(StandardCharsets.UTF_8)));
            ws.completeServerClose(1002);
        }
    }

    @Test
    void newMessageInsideAFragmentedOneIs1002() throws Exception {
        try (RawWebSocket ws = open()) {
            ws.send(frame(false, TEXT, "a".getBytes(StandardCharsets.UTF_8)), text("b"));
            ws.completeServerClose(1002);
        }
    }

    @Test
    void lengthWithTheTopBitSetIs1002() throws Exception {
        try (RawWebSocket ws = open()) {
            ws.send(bytes(0x80 | BINARY, 0x80 | 127, 0x80, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4));
            // No frame boundary is left to find: the server waits for the end of the stream.
            ws.expectClose(1002);
            ws.socket.shutdownOutput();
            ws.expectEof();
        }
    }

    // ---- Close handshake ----

    @ParameterizedTest(name = "code {0}")
    @ValueSource(ints = {1000, 1001, 1003, 1011, 1012, 3000, 4999})
    void peerCloseCodeIsEchoedAndTheServerClosesTcp(int code) throws Exception {
        try (RawWebSocket ws = open()) {
            ws.send(closeFrame(code, "bye \u2713"));
            ws.expectClose(code);
            ws.expectEof();
        }
    }

    @Test
    void closeWithoutStatusIsAnsweredWithoutStatus() throws Exception {
        try (RawWebSocket ws = open()) {
            ws.send(frame(true, CLOSE, new byte[0]));
            Frame f = ws.readFrame();
            assertEquals(CLOSE, f.opcode());
            assertEquals(0, f.payload().length, "1005 is never sent");
            ws.expectEof();
        }
    }

    @ParameterizedTest(name = "code {0}")
    @ValueSource(ints = {0, 999, 1004, 1005, 1006, 1015, 1016, 2000, 2999, 5000, 65535})
    void invalidCloseCodeIs1002(int code) throws Exception {
        try (RawWebSocket ws = open()) {
            ws.send(closeFrame(code, ""));
            ws.expectClose(1002);
            ws.expectEof(); // the peer's close already came: nothing to wait for
        }
    }

    @Test
    void oneByteClosePayloadIs1002() throws Exception {
        try (RawWebSocket ws = open()) {
            ws.send(frame(true, CLOSE, bytes(3)));
            ws.expectClose(1002);
            ws.expectEof();
        }
    }

    @Test
    void closeReasonNotUtf8Is1007() throws Exception {
        try (RawWebSocket ws = open()) {
            ws.send(frame(true, CLOSE, bytes(0x03, 0xE8, 'o', 0xC0, 0xAF)));
            ws.expectClose(1007);
            ws.expectEof();
        }
    }

    @Test
    void afterItsCloseTheServerSendsNothingAndDropsDataUntilOurClose() throws Exception {
        try (RawWebSocket ws = open()) {
            ws.send(frame(0x80 | TEXT, "unmasked".getBytes(StandardCharsets.UTF_8), false));
            ws.expectClose(1002);
            // Neither echoed nor answered; then our Close ends it, and nothing came in between.
            ws.send(text("ignored"), frame(true, PING, bytes(1)), closeFrame(1000, ""));
            ws.expectEof();
        }
    }

    @Test
    void withoutThePeersCloseTheServerClosesTcpAfterItsTimeout() throws Exception {
        try (RawWebSocket ws = open()) {
            ws.send(frame(true, PING, new byte[200]));
            ws.expectClose(1002);
            ws.expectEof(); // the close timeout (2 s in the demo) is well inside the socket's 10 s
        }
    }

    @Test
    void peerVanishingWithoutCloseDestroysTheHandler() throws Exception {
        RawWebSocket ws = open();
        ws.send(text("x"));
        assertEquals("x", ws.readFrame().text());
        assertTrue(server.echoServlet().openConnections() >= 1);
        ws.close();
        server.awaitNoOpenConnections();
    }

    @Test
    void manyPipelinedMessagesComeBackInOrder() throws Exception {
        int n = 2000;
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (int i = 0; i < n; i++) {
            all.writeBytes(text("message " + i));
        }
        try (RawWebSocket ws = open()) {
            Thread.ofVirtual().start(() -> {
                try {
                    ws.write(all.toByteArray());
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            for (int i = 0; i < n; i++) {
                assertEquals("message " + i, ws.readFrame().text());
            }
            ws.send(closeFrame(1000, ""));
            ws.expectClose(1000);
            ws.expectEof();
        }
    }
}
