package dev.weft.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * A request body read from the connection: the common part of the framing readers. It knows when
 * the body has been read to its end (so the connection may start watching for a disconnect, and
 * may read the next request), keeps the first framing error, and refuses reads after close.
 */
abstract class Body extends InputStream {
    /** Called once when the body reaches its end. */
    interface EofListener {
        void bodyEof();
    }

    private EofListener eofListener;
    private boolean eof;
    private boolean closed;
    private IOException error;

    void onEof(EofListener listener) {
        this.eofListener = listener;
    }

    /** Reads body bytes; returns -1 at the end of the body. */
    protected abstract int readBody(byte[] b, int off, int len) throws IOException;

    /** Body bytes known to be left, or -1 if unknown (chunked). */
    abstract long remaining();

    private byte[] one;

    @Override
    public int read() throws IOException {
        if (one == null) {
            one = new byte[1];
        }
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public final int read(byte[] b, int off, int len) throws IOException {
        if (closed) {
            throw new IOException("request body read after close");
        }
        return readChecked(b, off, len);
    }

    private int readChecked(byte[] b, int off, int len) throws IOException {
        if (error != null) {
            throw error;
        }
        if (eof) {
            return -1;
        }
        if (len == 0) {
            return 0;
        }
        int n;
        try {
            n = readBody(b, off, len);
        } catch (IOException e) {
            error = e;
            throw e;
        }
        if (n < 0) {
            markEof();
        }
        return n;
    }

    /**
     * Copies the rest of the body to {@code out} through a pooled buffer: InputStream's own
     * transferTo allocates 16 KiB on every call, which for an echo is most of what a request costs.
     */
    @Override
    public long transferTo(OutputStream out) throws IOException {
        if (eof && error == null && !closed) {
            return 0;
        }
        byte[] buf = BufferPool.INPUT.take();
        try {
            long total = 0;
            int n;
            while ((n = read(buf, 0, buf.length)) >= 0) {
                out.write(buf, 0, n);
                total += n;
            }
            return total;
        } finally {
            BufferPool.INPUT.give(buf);
        }
    }

    final void markEof() {
        if (!eof) {
            eof = true;
            if (eofListener != null) {
                eofListener.bodyEof();
            }
        }
    }

    boolean isEof() {
        return eof;
    }

    /** Body bytes that can be read without blocking. */
    @Override
    public int available() {
        return 0;
    }

    /** The first error reading the body (bad framing, timeout, disconnect), or null. */
    IOException error() {
        return error;
    }

    @Override
    public void close() {
        closed = true;
    }

    /**
     * Reads and discards up to {@code limit} bytes of what is left; returns whether the body ended
     * within that. Used after the handler, so that the connection can read the next request.
     */
    boolean drain(long limit) {
        if (eof) {
            return true;
        }
        if (error != null) {
            return false;
        }
        long left = remaining();
        if (left > limit) {
            return false;
        }
        byte[] scratch = BufferPool.INPUT.take();
        long total = 0;
        try {
            while (total <= limit) {
                int n = readChecked(scratch, 0, (int) Math.min(scratch.length, limit - total + 1));
                if (n < 0) {
                    return true;
                }
                total += n;
            }
            return false;
        } catch (IOException e) {
            return false;
        } finally {
            BufferPool.INPUT.give(scratch);
        }
    }

    /** The body of a request that has none. Stateless, so shared. */
    static final class Empty extends Body {
        static final Empty INSTANCE = new Empty();

        private Empty() {}

        @Override
        protected int readBody(byte[] b, int off, int len) {
            return -1;
        }

        @Override
        public int read() {
            return -1;
        }

        @Override
        long remaining() {
            return 0;
        }

        @Override
        boolean isEof() {
            return true;
        }

        @Override
        public void close() {}

        @Override
        void onEof(EofListener listener) {
            throw new UnsupportedOperationException();
        }
    }
}
