package dev.weft.http;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;

/**
 * A connection taken over by a handler through {@link ResponseWriter#hijack()}: the socket, its
 * buffered input (holding bytes the server read ahead, such as a pipelined request) and a buffered
 * output. Closing it closes the socket.
 */
public final class Hijacked implements Closeable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final Runnable onClose;

    Hijacked(Socket socket, InputStream in, OutputStream out, Runnable onClose) {
        this.socket = socket;
        this.in = in;
        this.out = out;
        this.onClose = onClose;
    }

    public Socket socket() {
        return socket;
    }

    /** The connection's input; read from it, not from the socket, or read-ahead bytes are lost. */
    public InputStream in() {
        return in;
    }

    /** A buffered output to the socket; flush it. */
    public OutputStream out() {
        return out;
    }

    @Override
    public void close() throws IOException {
        try {
            out.flush();
        } catch (IOException ignored) {
            // The peer may be gone; closing is what matters.
        } finally {
            onClose.run();
            socket.close();
        }
    }
}
