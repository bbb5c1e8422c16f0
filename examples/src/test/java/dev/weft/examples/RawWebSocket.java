package dev.weft.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * A WebSocket client built by hand on a plain socket, for what a real client never sends:
 * unmasked frames, reserved bits, bad UTF-8, bad close codes, malformed handshakes.
 */
final class RawWebSocket implements Closeable {
    /** The key and answer from RFC 6455 §1.3. */
    static final String SAMPLE_KEY = "dGhlIHNhbXBsZSBub25jZQ==";
    static final String SAMPLE_ACCEPT = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";

    static final int CONTINUATION = 0x0;
    static final int TEXT = 0x1;
    static final int BINARY = 0x2;
    static final int CLOSE = 0x8;
    static final int PING = 0x9;
    static final int PONG = 0xA;

    private static final Random random = new Random(6455);

    final Socket socket;
    final DataInputStream in;
    final OutputStream out;

    RawWebSocket(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(10_000); // a missing answer fails the test instead of hanging it
        socket.setTcpNoDelay(true);
        in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
        out = socket.getOutputStream();
    }

    /** Connected and upgraded with a valid handshake. */
    static RawWebSocket open(int port) throws IOException {
        RawWebSocket ws = new RawWebSocket(port);
        ws.write(upgradeRequest().getBytes(StandardCharsets.US_ASCII));
        HttpHead head = ws.readHead();
        assertEquals(101, head.status(), "handshake refused");
        return ws;
    }

    /** A GET of the echo endpoint with {@code fields} as its header fields (after Host). */
    static String request(String requestLine, String... fields) {
        StringBuilder b = new StringBuilder(requestLine).append("\r\nHost: 127.0.0.1\r\n");
        for (String f : fields) {
            b.append(f).append("\r\n");
        }
        return b.append("\r\n").toString();
    }

    /** A valid opening handshake, plus {@code extra} fields. */
    static String upgradeRequest(String... extra) {
        List<String> fields = new ArrayList<>(List.of("Upgrade: websocket", "Connection: Upgrade",
                "Sec-WebSocket-Key: " + SAMPLE_KEY, "Sec-WebSocket-Version: 13"));
        fields.addAll(List.of(extra));
        return request("GET /demo/ws/echo HTTP/1.1", fields.toArray(String[]::new));
    }

    record HttpHead(int status, Map<String, List<String>> fields) {
        String field(String name) {
            List<String> v = fields.get(name.toLowerCase(Locale.ROOT));
            return v == null ? null : String.join(", ", v);
        }
    }

    HttpHead readHead() throws IOException {
        String statusLine = readLine();
        String[] parts = statusLine.split(" ", 3);
        assertTrue(parts.length >= 2 && parts[0].startsWith("HTTP/1."), statusLine);
        Map<String, List<String>> fields = new LinkedHashMap<>();
        String line;
        while (!(line = readLine()).isEmpty()) {
            int colon = line.indexOf(':');
            fields.computeIfAbsent(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                    .add(line.substring(colon + 1).strip());
        }
        return new HttpHead(Integer.parseInt(parts[1]), fields);
    }

    String readBody(HttpHead head) throws IOException {
        String cl = head.field("Content-Length");
        if (cl == null) {
            return "";
        }
        byte[] b = new byte[Integer.parseInt(cl)];
        in.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) {
                throw new EOFException("connection closed in the response head");
            }
            line.write(c);
        }
        String s = line.toString(StandardCharsets.ISO_8859_1);
        assertTrue(s.endsWith("\r"), "bare LF in the response head");
        return s.substring(0, s.length() - 1);
    }

    /** A masked client frame; {@code b0} is FIN, RSV and opcode as they go on the wire. */
    static byte[] frame(int b0, byte[] payload, boolean masked) {
        ByteArrayOutputStream f = new ByteArrayOutputStream(payload.length + 14);
        f.write(b0);
        int maskBit = masked ? 0x80 : 0;
        int n = payload.length;
        if (n < 126) {
            f.write(maskBit | n);
        } else if (n <= 0xFFFF) {
            f.write(maskBit | 126);
            f.write(n >>> 8);
            f.write(n);
        } else {
            f.write(maskBit | 127);
            for (int i = 7; i >= 0; i--) {
                f.write((int) ((long) n >>> (8 * i)));
            }
        }
        if (!masked) {
            f.writeBytes(payload);
            return f.toByteArray();
        }
        byte[] key = new byte[4];
        random.nextBytes(key);
        f.writeBytes(key);
        for (int i = 0; i < n; i++) {
            f.write(payload[i] ^ key[i & 3]);
        }
        return f.toByteArray();
    }

    static byte[] frame(boolean fin, int opcode, byte[] payload) {
        return frame((fin ? 0x80 : 0) | opcode, payload, true);
    }

    static byte[] text(String s) {
        return frame(true, TEXT, s.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] closeFrame(int code, String reason) {
        byte[] r = reason.getBytes(StandardCharsets.UTF_8);
        byte[] p = new byte[2 + r.length];
        p[0] = (byte) (code >>> 8);
        p[1] = (byte) code;
        System.arraycopy(r, 0, p, 2, r.length);
        return frame(true, CLOSE, p);
    }

    static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    /** Writes all of {@code parts} in one write, so they tend to arrive in one segment. */
    void send(byte[]... parts) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            b.writeBytes(p);
        }
        write(b.toByteArray());
    }

    void write(byte[] b) throws IOException {
        out.write(b);
        out.flush();
    }

    /** A server frame. {@code lengthCode} is the 7-bit length field as sent: 126 and 127 mean 16 and 64 bits. */
    record Frame(boolean fin, int rsv, int opcode, int lengthCode, byte[] payload) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        int closeCode() {
            assertEquals(CLOSE, opcode, "not a close frame");
            return payload.length < 2 ? -1 : ((payload[0] & 0xff) << 8) | (payload[1] & 0xff);
        }
    }

    Frame readFrame() throws IOException {
        int b0 = in.read();
        if (b0 < 0) {
            fail("connection closed where a frame was expected");
        }
        int b1 = in.readUnsignedByte();
        assertEquals(0, b1 & 0x80, "a server frame must not be masked (RFC 6455 §5.1)");
        int code = b1 & 0x7F;
        long n = code;
        if (code == 126) {
            n = in.readUnsignedShort();
            assertTrue(n >= 126, "16-bit length for a short payload");
        } else if (code == 127) {
            n = in.readLong();
            assertTrue(n > 0xFFFF, "64-bit length for a short payload");
        }
        byte[] payload = new byte[Math.toIntExact(n)];
        in.readFully(payload);
        return new Frame((b0 & 0x80) != 0, (b0 >> 4) & 7, b0 & 0xF, code, payload);
    }

    /** The next frame is a Close with {@code code}. */
    void expectClose(int code) throws IOException {
        Frame f = readFrame();
        assertEquals(CLOSE, f.opcode(), "expected a close frame, got opcode " + f.opcode());
        assertEquals(code, f.closeCode(), "close code");
        assertTrue(f.fin());
    }

    /** The server closed the TCP connection, with nothing more sent. */
    void expectEof() throws IOException {
        int b = in.read();
        assertEquals(-1, b, "expected the server to close the connection");
    }

    /** Expects the server's Close with {@code code}, answers it, and expects the TCP connection to end. */
    void completeServerClose(int code) throws IOException {
        expectClose(code);
        send(closeFrame(code, ""));
        expectEof();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
