package dev.weft.servlet;

import dev.weft.http.Hijacked;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpUpgradeHandler;
import jakarta.servlet.http.WebConnection;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A connection taken over through {@code HttpServletRequest.upgrade}: the hijacked core
 * connection's streams (the input still holding what the client sent after the request), with
 * non-blocking listeners allowed. Closing it, or a listener's error, closes the socket and calls
 * the handler's {@code destroy()}, once.
 */
final class UpgradedConnection implements WebConnection {
    private final Hijacked connection;
    private final HttpUpgradeHandler handler;
    private final WebApp app;
    private final BodyInputStream in;
    private final ServletOutput out;
    private final AtomicBoolean closed = new AtomicBoolean();

    UpgradedConnection(Hijacked connection, HttpUpgradeHandler handler, WebApp app) {
        this.connection = connection;
        this.handler = handler;
        this.app = app;
        this.in = new BodyInputStream(connection.in(), () -> true, app, this::closeQuietly);
        this.out = new ServletOutput(new ServletOutput.Sink() {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                connection.out().write(b, off, len);
            }

            @Override
            public void flush() throws IOException {
                connection.out().flush();
            }

            @Override
            public void close() throws IOException {
                UpgradedConnection.this.close();
            }
        }, () -> true, app, this::closeQuietly);
    }

    @Override
    public ServletInputStream getInputStream() {
        return in;
    }

    @Override
    public ServletOutputStream getOutputStream() {
        return out;
    }

    @Override
    public void close() throws IOException {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        in.stop();
        out.stop();
        try {
            connection.close();
        } finally {
            ClassLoader previous = app.enterClassLoader();
            try {
                handler.destroy();
            } catch (RuntimeException e) {
                app.logger().error("{}.destroy failed", handler.getClass().getName(), e);
            } finally {
                app.preDestroy(handler);
                app.leaveClassLoader(previous);
            }
        }
    }

    private void closeQuietly() {
        try {
            close();
        } catch (IOException ignored) {
            // The peer is gone already.
        }
    }
}
