package dev.weft.servlet;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.io.IOException;
import java.util.Objects;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * A response body, or an upgraded connection's output, as a {@link ServletOutputStream}.
 *
 * <p>Blocking until a {@link WriteListener} is set. Then a write hands its bytes to a virtual
 * thread that does the blocking write and flush; {@link #isReady()} is false until it is done, and
 * if the application saw it false, {@code onWritePossible} is called again when it is true.
 */
final class ServletOutput extends ServletOutputStream {
    /** Where the bytes go. */
    interface Sink {
        void write(byte[] b, int off, int len) throws IOException;

        void flush() throws IOException;

        void close() throws IOException;
    }

    private final Sink sink;
    private final BooleanSupplier nonBlockingAllowed;
    private final WebApp app;
    private final Runnable afterError;
    private byte[] one;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private volatile WriteListener listener;
    private byte[] pending; // bytes handed to the writer thread, not yet written
    private boolean closePending;
    private boolean sawNotReady;
    private boolean stopped;
    private boolean failed; // the listener has heard onError

    /** {@code afterError}, if not null, runs once the listener has heard of an error (an upgraded connection closes). */
    ServletOutput(Sink sink, BooleanSupplier nonBlockingAllowed, WebApp app, Runnable afterError) {
        this.sink = sink;
        this.nonBlockingAllowed = nonBlockingAllowed;
        this.app = app;
        this.afterError = afterError;
    }

    @Override
    public void write(int b) throws IOException {
        if (one == null) {
            one = new byte[1];
        }
        one[0] = (byte) b;
        write(one, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (listener == null) {
            sink.write(b, off, len);
            return;
        }
        lock.lock();
        try {
            if (pending != null || closePending) {
                throw new IllegalStateException("write() while isReady() is false");
            }
            pending = java.util.Arrays.copyOfRange(b, off, off + len);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void flush() throws IOException {
        if (listener == null) {
            sink.flush();
        }
        // In non-blocking mode every handed-over write is flushed as soon as it is written.
    }

    @Override
    public void close() throws IOException {
        if (listener == null) {
            sink.close();
            return;
        }
        lock.lock();
        try {
            closePending = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean isReady() {
        if (listener == null) {
            return true;
        }
        lock.lock();
        try {
            if (pending != null || closePending) {
                sawNotReady = true;
                return false;
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void setWriteListener(WriteListener writeListener) {
        Objects.requireNonNull(writeListener, "writeListener");
        if (!nonBlockingAllowed.getAsBoolean()) {
            throw new IllegalStateException("non-blocking writes need asynchronous mode or an upgraded connection");
        }
        if (listener != null) {
            throw new IllegalStateException("a WriteListener has already been set");
        }
        listener = writeListener;
        Thread.ofVirtual().name("weft-write-listener").start(this::pump);
    }

    /** The listener's thread: writes what the application handed over, then says it may write again. */
    private void pump() {
        ClassLoader previous = app.enterClassLoader();
        WriteListener l = listener;
        try {
            l.onWritePossible();
            while (true) {
                byte[] data;
                boolean close;
                lock.lock();
                try {
                    while (pending == null && !closePending && !stopped) {
                        changed.awaitUninterruptibly();
                    }
                    if (stopped) {
                        return;
                    }
                    data = pending;
                    close = closePending && pending == null;
                } finally {
                    lock.unlock();
                }
                if (close) {
                    sink.close();
                    lock.lock();
                    try {
                        closePending = false;
                        changed.signalAll();
                    } finally {
                        lock.unlock();
                    }
                    return;
                }
                sink.write(data, 0, data.length);
                sink.flush();
                boolean call;
                lock.lock();
                try {
                    pending = null;
                    call = sawNotReady;
                    sawNotReady = false;
                    changed.signalAll();
                } finally {
                    lock.unlock();
                }
                if (call) {
                    l.onWritePossible();
                }
            }
        } catch (Throwable t) {
            lock.lock();
            try {
                pending = null; // nothing more will be written; whoever waits for it may go on
                closePending = false;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
            fail(t);
        } finally {
            app.leaveClassLoader(previous);
        }
    }

    /** Tells the listener, once, that writing failed (a write error, or the client going away). */
    void fail(Throwable t) {
        WriteListener l = listener;
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
            app.logger().error("WriteListener.onError failed", e);
        } finally {
            app.leaveClassLoader(previous);
        }
        if (afterError != null) {
            afterError.run();
        }
    }

    /** Ends the listener's thread if it waits: the request or connection is over. */
    void stop() {
        lock.lock();
        try {
            stopped = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Waits until everything handed to the listener's thread has been written, or {@code millis} pass. */
    void awaitWritten(long millis) {
        long deadline = System.nanoTime() + millis * 1_000_000;
        lock.lock();
        try {
            while ((pending != null || closePending) && !stopped && listener != null) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                changed.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }
}
