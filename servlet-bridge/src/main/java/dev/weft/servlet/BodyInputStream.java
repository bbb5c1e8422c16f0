package dev.weft.servlet;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * A request body, or an upgraded connection's input, as a {@link ServletInputStream}.
 *
 * <p>Blocking until a {@link ReadListener} is set. Then a virtual thread does the blocking: it
 * reads a chunk into a buffer and calls {@code onDataAvailable}; the application reads while
 * {@link #isReady()} says so; once it has taken everything, the thread reads the next chunk. At the
 * end it calls {@code onAllDataRead}, on failure {@code onError}. Nothing spins: the thread either
 * blocks on the socket or waits for the application to drain the buffer.
 */
class BodyInputStream extends ServletInputStream {
    private static final int CHUNK = 8192;

    private final InputStream source;
    private final BooleanSupplier nonBlockingAllowed;
    private final WebApp app;
    private final Runnable afterError;
    private boolean finished;

    // Non-blocking mode; guarded by lock.
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition drained = lock.newCondition();
    private volatile ReadListener listener;
    private byte[] buf;
    private int pos;
    private int lim;
    private boolean eof;
    private boolean stopped;
    private boolean failed; // the listener has heard onError, or onAllDataRead

    /** {@code afterError}, if not null, runs once the listener has heard of an error (an upgraded connection closes). */
    BodyInputStream(InputStream source, BooleanSupplier nonBlockingAllowed, WebApp app, Runnable afterError) {
        this.source = source;
        this.nonBlockingAllowed = nonBlockingAllowed;
        this.app = app;
        this.afterError = afterError;
    }

    @Override
    public int read() throws IOException {
        if (listener != null) {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }
        if (finished) {
            return -1;
        }
        int b = source.read();
        if (b < 0) {
            finished = true;
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (listener != null) {
            return readBuffered(b, off, len);
        }
        if (finished) {
            return -1;
        }
        int n = source.read(b, off, len);
        if (n < 0) {
            finished = true;
        }
        return n;
    }

    /** Hands a blocking copy to the source, which copies without a buffer of its own per call. */
    @Override
    public long transferTo(java.io.OutputStream out) throws IOException {
        if (listener != null) {
            return super.transferTo(out);
        }
        if (finished) {
            return 0;
        }
        long n = source.transferTo(out);
        finished = true;
        return n;
    }

    private int readBuffered(byte[] b, int off, int len) {
        lock.lock();
        try {
            if (pos < lim) {
                int n = Math.min(len, lim - pos);
                System.arraycopy(buf, pos, b, off, n);
                pos += n;
                if (pos == lim) {
                    drained.signalAll();
                }
                return n;
            }
            if (eof) {
                finished = true;
                return -1;
            }
            throw new IllegalStateException("read() while isReady() is false");
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int available() throws IOException {
        if (listener != null) {
            lock.lock();
            try {
                return lim - pos;
            } finally {
                lock.unlock();
            }
        }
        return finished ? 0 : source.available();
    }

    @Override
    public boolean isFinished() {
        if (listener != null) {
            lock.lock();
            try {
                return eof && pos == lim;
            } finally {
                lock.unlock();
            }
        }
        return finished;
    }

    /** Marks a body known to be empty as finished, without reading. */
    void markFinishedIfEmpty(long contentLength) {
        if (contentLength == 0) {
            finished = true;
        }
    }

    @Override
    public boolean isReady() {
        if (listener == null) {
            return true;
        }
        lock.lock();
        try {
            return pos < lim || eof;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void setReadListener(ReadListener readListener) {
        Objects.requireNonNull(readListener, "readListener");
        if (!nonBlockingAllowed.getAsBoolean()) {
            throw new IllegalStateException("non-blocking reads need asynchronous mode or an upgraded connection");
        }
        if (listener != null) {
            throw new IllegalStateException("a ReadListener has already been set");
        }
        buf = new byte[CHUNK];
        listener = readListener;
        Thread.ofVirtual().name("weft-read-listener").start(this::pump);
    }

    /** The listener's thread: block for data, hand it over, wait until it is taken, repeat. */
    private void pump() {
        ClassLoader previous = app.enterClassLoader();
        ReadListener l = listener;
        try {
            while (true) {
                int n;
                if (finished) {
                    n = -1;
                } else {
                    n = source.read(buf, 0, buf.length);
                }
                lock.lock();
                try {
                    if (n < 0) {
                        eof = true;
                        pos = 0;
                        lim = 0;
                    } else {
                        pos = 0;
                        lim = n;
                    }
                } finally {
                    lock.unlock();
                }
                if (n < 0) {
                    lock.lock();
                    try {
                        failed = true; // done: no onError after onAllDataRead
                    } finally {
                        lock.unlock();
                    }
                    l.onAllDataRead();
                    return;
                }
                if (n == 0) {
                    continue;
                }
                l.onDataAvailable();
                lock.lock();
                try {
                    while (pos < lim && !stopped) {
                        drained.awaitUninterruptibly();
                    }
                    if (stopped) {
                        return;
                    }
                } finally {
                    lock.unlock();
                }
            }
        } catch (Throwable t) {
            fail(t);
        } finally {
            app.leaveClassLoader(previous);
        }
    }

    /** Tells the listener, once, that reading failed (a read error, or the client going away). */
    void fail(Throwable t) {
        ReadListener l = listener;
        if (l == null) {
            return;
        }
        lock.lock();
        try {
            if (failed) {
                return;
            }
            failed = true;
        } finally {
            lock.unlock();
        }
        ClassLoader previous = app.enterClassLoader();
        try {
            l.onError(t);
        } catch (RuntimeException e) {
            app.logger().error("ReadListener.onError failed", e);
        } finally {
            app.leaveClassLoader(previous);
        }
        if (afterError != null) {
            afterError.run();
        }
    }

    /** Ends the listener's thread if it waits for the application: the request or connection is over. */
    void stop() {
        lock.lock();
        try {
            stopped = true;
            drained.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        // Closing the servlet's view leaves the connection's body to the container.
    }
}
