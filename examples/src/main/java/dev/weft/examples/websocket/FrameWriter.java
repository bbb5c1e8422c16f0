package dev.weft.examples.websocket;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes server frames: always final and never masked (§5.1: a server must not mask), with the
 * shortest of the 7, 16 and 64-bit length forms (§5.2).
 */
final class FrameWriter {
    /** A close reason must fit the 125-byte control payload after the 2-byte code. */
    static final int MAX_REASON_BYTES = 123;

    private final OutputStream out;
    private final byte[] head = new byte[10];

    FrameWriter(OutputStream out) {
        this.out = out;
    }

    void write(int opcode, byte[] b, int off, int len) throws IOException {
        head[0] = (byte) (0x80 | opcode);
        int n;
        if (len < 126) {
            head[1] = (byte) len;
            n = 2;
        } else if (len <= 0xFFFF) {
            head[1] = 126;
            head[2] = (byte) (len >>> 8);
            head[3] = (byte) len;
            n = 4;
        } else {
            head[1] = 127;
            long l = len;
            for (int i = 0; i < 8; i++) {
                head[2 + i] = (byte) (l >>> (56 - 8 * i));
            }
            n = 10;
        }
        out.write(head, 0, n);
        if (len > 0) {
            out.write(b, off, len);
        }
    }

    /** A Close frame with {@code code} and {@code reason}, or with no payload at all if {@code code} is negative. */
    void writeClose(int code, String reason) throws IOException {
        if (code < 0) {
            write(Opcode.CLOSE, head, 0, 0);
            return;
        }
        byte[] r = reason == null ? new byte[0] : reason.getBytes(StandardCharsets.UTF_8);
        if (r.length > MAX_REASON_BYTES) {
            throw new IllegalArgumentException("close reason longer than " + MAX_REASON_BYTES + " bytes");
        }
        byte[] payload = new byte[2 + r.length];
        payload[0] = (byte) (code >>> 8);
        payload[1] = (byte) code;
        System.arraycopy(r, 0, payload, 2, r.length);
        write(Opcode.CLOSE, payload, 0, payload.length);
    }
}
