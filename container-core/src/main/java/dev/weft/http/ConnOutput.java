package dev.weft.http;

import java.io.IOException;
import java.io.OutputStream;

/**
 * The connection's buffered output, Go's {@code bufio.Writer} over {@code checkConnErrorWriter}:
 * the last stage before the socket, so that a small response leaves in one {@code write} call.
 *
 * <p>The first write error sticks: every later write or flush fails with it at once, and the
 * connection is not reused. The buffer is taken from the pool on first use and given back when
 * the connection goes idle.
 */
final class ConnOutput extends OutputStream {
    private final OutputStream socketOut;
    private byte[] buf;
    private int count;
    private IOException error;
    private long bytesWritten;

    ConnOutput(OutputStream socketOut) {
        this.socketOut = socketOut;
    }

    /** The first write error, or null. */
    IOException error() {
        return error;
    }

    long bytesWritten() {
        return bytesWritten;
    }

    @Override
    public void write(int b) throws IOException {
        check();
        if (buf == null) {
            buf = BufferPool.OUTPUT.take();
        }
        if (count == buf.length) {
            flushBuffer();
        }
        buf[count++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        check();
        if (buf == null) {
            buf = BufferPool.OUTPUT.take();
        }
        if (len > buf.length - count) {
            flushBuffer();
            if (len >= buf.length) {
                writeSocket(b, off, len);
                return;
            }
        }
        System.arraycopy(b, off, buf, count, len);
        count += len;
    }

    /** Room for {@code n} more bytes in the buffer, flushing first if needed; returns the buffer. */
    byte[] reserve(int n) throws IOException {
        check();
        if (buf == null) {
            buf = BufferPool.OUTPUT.take();
        }
        if (n > buf.length - count) {
            flushBuffer();
        }
        return buf;
    }

    /** The write position in the buffer returned by {@link #reserve}. */
    int position() {
        return count;
    }

    void advance(int n) {
        count += n;
    }

    /** Writes an ASCII / ISO-8859-1 string without an intermediate byte array. */
    void writeLatin1(String s) throws IOException {
        int n = s.length();
        int i = 0;
        while (i < n) {
            byte[] b = reserve(Math.min(n - i, 64));
            int room = Math.min(b.length - count, n - i);
            for (int k = 0; k < room; k++) {
                b[count + k] = (byte) s.charAt(i + k);
            }
            count += room;
            i += room;
        }
    }

    @Override
    public void flush() throws IOException {
        check();
        flushBuffer();
    }

    private void flushBuffer() throws IOException {
        if (count > 0) {
            int n = count;
            count = 0;
            writeSocket(buf, 0, n);
        }
    }

    private void writeSocket(byte[] b, int off, int len) throws IOException {
        try {
            socketOut.write(b, off, len);
            bytesWritten += len;
        } catch (IOException e) {
            error = e;
            throw e;
        }
    }

    private void check() throws IOException {
        if (error != null) {
            throw error;
        }
    }

    /** Buffered bytes not yet written. */
    int buffered() {
        return count;
    }

    /** Drops unwritten bytes; used when aborting a connection. */
    void discard() {
        count = 0;
    }

    /** Gives the buffer back to the pool if it holds nothing unwritten. */
    void release() {
        if (buf != null && count == 0) {
            BufferPool.OUTPUT.give(buf);
            buf = null;
        }
    }

    @Override
    public void close() throws IOException {
        flush();
        socketOut.close();
    }
}
