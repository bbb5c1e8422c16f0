package dev.weft.http;

import java.io.InputStream;

/**
 * The same message (a request, or a chunked body) over and over, as a client on a keep-alive
 * connection sends it: each read returns at most the rest of the current message, as if each
 * arrived in its own packet, so the server's buffering behaves as on a real connection.
 */
final class ReplayInput extends InputStream {
    private final byte[] message;
    private long messagesLeft;
    private int pos;

    /** {@code times} messages, then end of stream; {@link Long#MAX_VALUE} for no end. */
    ReplayInput(byte[] message, long times) {
        this.message = message;
        this.messagesLeft = times;
    }

    void reset(long times) {
        messagesLeft = times;
        pos = 0;
    }

    @Override
    public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        if (messagesLeft <= 0) {
            return -1;
        }
        if (len == 0) {
            return 0;
        }
        int n = Math.min(len, message.length - pos);
        System.arraycopy(message, pos, b, off, n);
        pos += n;
        if (pos == message.length) {
            pos = 0;
            messagesLeft--;
        }
        return n;
    }
}
