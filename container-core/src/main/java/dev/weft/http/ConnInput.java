package dev.weft.http;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * The connection's buffered input, Go's {@code bufio.Reader} over the {@link SocketReader}.
 *
 * <p>The parser works directly on {@link #buf} between {@link #pos} and {@link #lim}; body readers
 * and a hijacker read through the {@link InputStream} methods. The buffer comes from the pool when
 * bytes arrive and goes back when the connection goes idle with nothing buffered.
 */
final class ConnInput extends InputStream {
    /**
     * What an idle connection reads into while it waits for the next request. Reading one byte
     * would cost a second read system call for every request; reading into a pooled buffer would
     * pin a buffer to every idle connection. A request of up to this size (a curl, wrk or API
     * client request; a browser's with few cookies) arrives in one read.
     */
    static final int FIRST_READ = 512;

    private final SocketReader src;
    private byte[] first; // from BufferPool.FIRST for the connection's life, once it first waits
    byte[] buf;
    int pos;
    int lim;

    ConnInput(SocketReader src) {
        this.src = src;
    }

    SocketReader source() {
        return src;
    }

    /** Bytes buffered and not yet consumed. */
    int buffered() {
        return lim - pos;
    }

    /** At the end of the connection: every buffer back to its pool. */
    void releaseAll() {
        release();
        BufferPool.FIRST.give(first);
        first = null;
    }

    /** Gives the buffer back to the pool if it holds nothing unread. */
    void release() {
        if (buf != null && pos == lim) {
            BufferPool.INPUT.give(buf);
            buf = null;
            pos = 0;
            lim = 0;
        }
    }

    /**
     * Blocks until at least one byte is buffered; returns false at end of stream. Waiting reads
     * into the connection's small {@link #FIRST_READ} array, so an idle connection holds no large
     * buffer while it waits, and a small request needs no second read.
     */
    boolean awaitByte() throws IOException {
        if (pos < lim) {
            return true;
        }
        if (buf != null) {
            return fill() > 0;
        }
        if (first == null) {
            first = BufferPool.FIRST.take();
        }
        int n = src.read(first, 0, first.length);
        if (n <= 0) {
            return false;
        }
        buf = BufferPool.INPUT.take();
        System.arraycopy(first, 0, buf, 0, n);
        pos = 0;
        lim = n;
        return true;
    }

    /**
     * Reads more bytes after those buffered, compacting or growing the buffer (up to {@code max}
     * bytes of unread data) to make room. Returns the number read, or -1 at end of stream.
     */
    int fill(int max) throws IOException {
        if (buf == null) {
            buf = BufferPool.INPUT.take();
            pos = 0;
            lim = 0;
        } else if (pos == lim) {
            pos = 0;
            lim = 0;
        } else if (lim == buf.length) {
            int unread = lim - pos;
            if (pos > 0) {
                System.arraycopy(buf, pos, buf, 0, unread);
            } else if (unread < max) {
                buf = Arrays.copyOf(buf, (int) Math.min((long) max, buf.length * 2L));
            } else {
                return 0;
            }
            pos = 0;
            lim = unread;
        }
        int n = src.read(buf, lim, buf.length - lim);
        if (n > 0) {
            lim += n;
        }
        return n;
    }

    int fill() throws IOException {
        return fill(Integer.MAX_VALUE);
    }

    /**
     * Makes sure a whole line, up to and including its LF, is buffered from {@link #pos}, and
     * returns the index of that LF. A line longer than {@code maxLine} is refused with
     * {@code status} and {@code message}.
     */
    int lineEnd(int maxLine, int status, String message) throws IOException {
        int scanned = 0; // bytes after pos already searched; stays valid when fill() compacts
        while (true) {
            for (int i = pos + scanned; i < lim; i++) {
                if (buf[i] == '\n') {
                    if (i - pos > maxLine) {
                        throw new HttpException(status, message);
                    }
                    return i;
                }
            }
            scanned = lim - pos;
            if (scanned > maxLine) {
                throw new HttpException(status, message);
            }
            int n = fill(maxLine + 2);
            if (n < 0) {
                throw new EOFException("connection closed mid-line");
            }
            if (n == 0) {
                throw new HttpException(status, message);
            }
        }
    }

    @Override
    public int read() throws IOException {
        if (pos >= lim && fill() <= 0) {
            return -1;
        }
        return buf[pos++] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (pos < lim) {
            int n = Math.min(len, lim - pos);
            System.arraycopy(buf, pos, b, off, n);
            pos += n;
            return n;
        }
        if (buf == null || len >= buf.length) {
            // Large reads skip the buffer, as BufferedInputStream does.
            return src.read(b, off, len);
        }
        int n = fill();
        if (n <= 0) {
            return -1;
        }
        n = Math.min(len, lim - pos);
        System.arraycopy(buf, pos, b, off, n);
        pos += n;
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        if (n <= 0) {
            return 0;
        }
        if (pos >= lim && fill() <= 0) {
            return 0;
        }
        int k = (int) Math.min(n, lim - pos);
        pos += k;
        return k;
    }

    @Override
    public int available() {
        return lim - pos;
    }
}
