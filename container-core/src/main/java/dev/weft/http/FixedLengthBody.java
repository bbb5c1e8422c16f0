package dev.weft.http;

import java.io.EOFException;
import java.io.IOException;

/** A body framed by Content-Length (RFC 9112 §6.2). */
final class FixedLengthBody extends Body {
    private final ConnInput in;
    private long remaining;

    FixedLengthBody(ConnInput in, long length) {
        this.in = in;
        this.remaining = length;
    }

    @Override
    protected int readBody(byte[] b, int off, int len) throws IOException {
        if (remaining == 0) {
            return -1;
        }
        int n = in.read(b, off, (int) Math.min(len, remaining));
        if (n < 0) {
            throw new EOFException("client closed the connection with " + remaining + " body bytes unsent");
        }
        remaining -= n;
        if (remaining == 0) {
            markEof();
        }
        return n;
    }

    @Override
    long remaining() {
        return remaining;
    }

    @Override
    public int available() {
        return (int) Math.min(in.buffered(), remaining);
    }
}
