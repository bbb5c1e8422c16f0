package dev.weft.servlet;

import dev.weft.http.Request;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import java.io.IOException;
import java.io.InputStream;

/** The request body as a {@link ServletInputStream}, reading the core request's body as it arrives. */
class BodyInputStream extends ServletInputStream {
    private final Request core;
    private boolean finished;

    BodyInputStream(Request core) {
        this.core = core;
    }

    private InputStream in() {
        return core.body();
    }

    @Override
    public int read() throws IOException {
        if (finished) {
            return -1;
        }
        int b = in().read();
        if (b < 0) {
            finished = true;
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (finished) {
            return -1;
        }
        int n = in().read(b, off, len);
        if (n < 0) {
            finished = true;
        }
        return n;
    }

    @Override
    public int available() throws IOException {
        return finished ? 0 : in().available();
    }

    @Override
    public boolean isFinished() {
        if (!finished && core.contentLength() == 0) {
            finished = true;
        }
        return finished;
    }

    @Override
    public boolean isReady() {
        return true;
    }

    @Override
    public void setReadListener(ReadListener readListener) {
        throw new IllegalStateException("non-blocking reads need asynchronous mode or an upgraded connection");
    }

    @Override
    public void close() {
        // Closing the servlet's view leaves the connection's body to the container.
    }
}
