package dev.weft.http;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Reads from the socket under read deadlines and watches for the client going away: Go's
 * {@code connReader}.
 *
 * <p>Java sockets have no deadlines. A per-read {@code SO_TIMEOUT} would emulate them, but on a
 * virtual thread every timed read that blocks schedules a timer, which costs more than the request
 * itself. So reads block untimed, and the server's one deadline sweeper enforces the deadline: when
 * a read is still blocked past it, the sweeper shuts the socket's input down, the read ends, and it
 * is reported here as a timeout. The output stays open, so a 408 can still be sent.
 *
 * <p>Disconnect detection is a background read of one byte on its own virtual thread, started only
 * when a handler asks whether its request is cancelled and the request body has been read. A byte
 * it reads is a pipelined request and is kept; end of stream or an error cancels the connection's
 * context. A blocked read cannot be aborted in Java without closing the socket, so it is never
 * aborted: whoever reads next (the next request, a hijacker) waits for it and takes its result.
 */
final class SocketReader {
    private final Socket socket;
    private final InputStream in;
    private final Context.Cancellable connContext;

    private volatile long deadline; // System.nanoTime() deadline for reads; 0 for none
    private volatile boolean blocked; // in a socket read that the deadline governs
    private volatile boolean timedOut; // the sweeper ended a read at its deadline
    private boolean released; // hijacked: the new owner manages timeouts with SO_TIMEOUT
    private long bytesRead;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition readDone = lock.newCondition();
    // Set once a background read was started; until the result is handed over, reads consult the lock.
    private volatile boolean background;
    private boolean watchWanted; // someone asked whether the client is gone
    private boolean watchAllowed; // the request body is consumed and the handler still runs
    private boolean inBackgroundRead;
    private int pendingByte = -1; // a byte the background read took, not yet handed over
    private boolean pendingEof;
    private IOException pendingError;

    /**
     * {@code socket} is the plain socket whose input the deadline sweeper shuts down, even when
     * {@code in} reads TLS over it; it may be null to read from {@code in} alone (parser tests).
     */
    SocketReader(Socket socket, InputStream in, Context.Cancellable connContext) {
        this.socket = socket;
        this.in = in;
        this.connContext = connContext;
    }

    /** Sets the deadline for the reads that follow, as {@code System.nanoTime()}, or 0 for none. */
    void setDeadline(long nanoTime) {
        deadline = nanoTime;
    }

    long bytesRead() {
        return bytesRead;
    }

    /** Reads at least one byte unless at end of stream (-1); throws on timeout. */
    int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (background) {
            int r = takeBackgroundResult(b, off);
            if (r != 0) {
                return r;
            }
        }
        long d = deadline;
        if (d != 0 && System.nanoTime() - d >= 0 || timedOut) {
            throw timeout();
        }
        int n;
        blocked = true;
        try {
            n = in.read(b, off, len);
        } catch (IOException e) {
            // Over TLS, shutting the input down under a read surfaces as an error, not as the end.
            if (timedOut) {
                throw timeout();
            }
            throw e;
        } finally {
            blocked = false;
        }
        if (n < 0 && timedOut) {
            throw timeout();
        }
        if (n > 0) {
            bytesRead += n;
        }
        return n;
    }

    /**
     * Called by the server's sweeper: ends a read still blocked past its deadline. Shutting the
     * input down wakes the reader with end of stream and leaves the output usable; a socket that
     * cannot shut down one direction (TLS) is closed.
     */
    void enforceDeadline(long now) {
        long d = deadline;
        if (d == 0 || !blocked || timedOut || now - d < 0) {
            return;
        }
        timedOut = true;
        try {
            socket.shutdownInput();
        } catch (IOException | UnsupportedOperationException e) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // Nothing more can be done with it.
            }
        }
    }

    private static SocketTimeoutException timeout() {
        return new SocketTimeoutException("read deadline passed");
    }

    /** Hands the socket to a new owner, who sets its own timeouts with SO_TIMEOUT. */
    void release() {
        released = true;
        deadline = 0;
    }

    /**
     * Asks for disconnect detection for the current request. The background read starts now if
     * the connection allows it, else as soon as it does.
     */
    void watch() {
        lock.lock();
        try {
            watchWanted = true;
            if (!watchAllowed || background) {
                return;
            }
            background = true;
            inBackgroundRead = true;
        } finally {
            lock.unlock();
        }
        startBackgroundRead();
    }

    /**
     * Opens or closes the window in which a background read may start: open from the moment the
     * request body is consumed until the handler returns, so it never races the connection's own
     * reads for bytes.
     */
    void allowWatch(boolean allowed) {
        boolean start = false;
        lock.lock();
        try {
            watchAllowed = allowed;
            if (!allowed) {
                watchWanted = false;
            } else if (watchWanted && !background) {
                background = true;
                inBackgroundRead = true;
                start = true;
            }
        } finally {
            lock.unlock();
        }
        if (start) {
            startBackgroundRead();
        }
    }

    /**
     * The background read belongs to the connection, not to the handler whose request asked for
     * it, and may outlive that request by a whole idle period: so its thread inherits neither the
     * handler's inheritable thread locals nor its context class loader (it gets the system class
     * loader), which would keep an undeployed web application reachable until the connection's
     * next byte.
     */
    private void startBackgroundRead() {
        Thread.ofVirtual().name("weft-watch").inheritInheritableThreadLocals(false).start(this::backgroundRead);
    }

    private void backgroundRead() {
        int b = -1;
        IOException error = null;
        try {
            b = in.read();
        } catch (IOException e) {
            error = e;
        }
        lock.lock();
        try {
            if (b >= 0) {
                // A pipelined request's first byte: keep it, the client is still there.
                pendingByte = b;
                bytesRead++;
            } else if (error != null) {
                pendingError = error;
            } else {
                pendingEof = true;
            }
            inBackgroundRead = false;
            readDone.signalAll();
        } finally {
            lock.unlock();
        }
        if (b < 0) {
            connContext.cancel();
        }
    }

    /** Waits for the background read and hands over its byte (1), end of stream (-1), or error. */
    private int takeBackgroundResult(byte[] b, int off) throws IOException {
        lock.lock();
        try {
            long waitNanos = waitLimitNanos();
            while (inBackgroundRead) {
                if (waitNanos == Long.MAX_VALUE) {
                    readDone.awaitUninterruptibly();
                } else {
                    if (waitNanos <= 0) {
                        throw timeout();
                    }
                    waitNanos = readDone.awaitNanos(waitNanos);
                }
            }
            if (pendingByte >= 0) {
                b[off] = (byte) pendingByte;
                pendingByte = -1;
                background = false;
                return 1;
            }
            if (pendingError != null) {
                throw pendingError;
            }
            if (pendingEof) {
                return -1;
            }
            background = false;
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted waiting for a read");
        } finally {
            lock.unlock();
        }
    }

    /** How long to wait for a pending background read: the deadline, or the new owner's SO_TIMEOUT. */
    private long waitLimitNanos() throws IOException {
        long d = deadline;
        if (d != 0) {
            return d - System.nanoTime();
        }
        if (released && socket != null) {
            int t = socket.getSoTimeout();
            if (t > 0) {
                return TimeUnit.MILLISECONDS.toNanos(t);
            }
        }
        return Long.MAX_VALUE;
    }
}
