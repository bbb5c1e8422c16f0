package dev.weft.examples.websocket;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Reads frames (RFC 6455 §5.2) from a blocking stream: a header, then its payload unmasked into
 * the caller's buffer. It checks nothing about what a frame means; {@link MessageReader} does.
 *
 * <p>Every read that may block runs {@code beforeBlocking} first. The handler flushes its
 * buffered replies there, so replies to pipelined messages go out in one write, yet nothing the
 * peer may be waiting for stays buffered while this side waits for the peer.
 */
final class FrameReader {
    /** Something to do before a read blocks; may fail as I/O does. */
    interface BeforeBlocking {
        void run() throws IOException;
    }

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private final InputStream in;
    private final BeforeBlocking beforeBlocking;
    private final byte[] head = new byte[8];
    private byte[] scratch; // for skipping payloads nobody will look at

    FrameReader(InputStream in, BeforeBlocking beforeBlocking) {
        this.in = in;
        this.beforeBlocking = beforeBlocking;
    }

    /** The next frame's header; null if the stream ended cleanly where a frame would start. */
    FrameHeader readHeader() throws IOException, WebSocketProtocolException {
        if (!readFully(head, 0, 2, true)) {
            return null;
        }
        int b0 = head[0] & 0xff;
        int b1 = head[1] & 0xff;
        long length = b1 & 0x7F;
        if (length == 126) {
            readFully(head, 0, 2, false);
            length = ((head[0] & 0xff) << 8) | (head[1] & 0xff);
        } else if (length == 127) {
            readFully(head, 0, 8, false);
            length = (long) LONGS.get(head, 0);
            if (length < 0) {
                // §5.2: the most significant bit must be 0. With no length there is no next frame to find.
                throw new WebSocketProtocolException(CloseCodes.PROTOCOL_ERROR, "64-bit payload length with the top bit set", -1);
            }
        }
        boolean masked = (b1 & 0x80) != 0;
        int mask = 0;
        if (masked) {
            readFully(head, 0, 4, false);
            mask = ((head[0] & 0xff) << 24) | ((head[1] & 0xff) << 16) | ((head[2] & 0xff) << 8) | (head[3] & 0xff);
        }
        return new FrameHeader((b0 & 0x80) != 0, (b0 >> 4) & 0x7, b0 & 0xF, masked, length, mask);
    }

    /** Reads the payload of {@code h} (at most {@code Integer.MAX_VALUE} bytes) into {@code dst} and unmasks it. */
    void readPayload(FrameHeader h, byte[] dst, int off) throws IOException {
        int n = Math.toIntExact(h.length());
        readFully(dst, off, n, false);
        if (h.masked()) {
            unmask(dst, off, n, h.mask());
        }
    }

    /** Reads and drops {@code n} bytes: the rest of a frame refused or not wanted. */
    void skip(long n) throws IOException {
        if (scratch == null) {
            scratch = new byte[8192];
        }
        while (n > 0) {
            int r = read(scratch, 0, (int) Math.min(n, scratch.length));
            if (r < 0) {
                throw new EOFException("stream ended inside a frame");
            }
            n -= r;
        }
    }

    /** Reads and drops everything until the stream ends. */
    void drain() throws IOException {
        if (scratch == null) {
            scratch = new byte[8192];
        }
        while (read(scratch, 0, scratch.length) >= 0) {
            // nothing to keep
        }
    }

    /** §5.3: payload byte i is XORed with mask byte i % 4; eight at a time where the payload allows. */
    static void unmask(byte[] b, int off, int len, int mask) {
        long m = ((long) mask << 32) | (mask & 0xFFFFFFFFL);
        int i = 0;
        for (; i + 8 <= len; i += 8) {
            LONGS.set(b, off + i, (long) LONGS.get(b, off + i) ^ m);
        }
        for (; i < len; i++) {
            b[off + i] ^= (byte) (mask >>> (24 - 8 * (i & 3)));
        }
    }

    private boolean readFully(byte[] b, int off, int len, boolean endOk) throws IOException {
        int done = 0;
        while (done < len) {
            int r = read(b, off + done, len - done);
            if (r < 0) {
                if (endOk && done == 0) {
                    return false;
                }
                throw new EOFException("stream ended inside a frame");
            }
            done += r;
        }
        return true;
    }

    private int read(byte[] b, int off, int len) throws IOException {
        if (in.available() == 0) {
            beforeBlocking.run();
        }
        return in.read(b, off, len);
    }
}
