package dev.weft.http;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;

/** A {@link ResponseWriter} as an {@link OutputStream}: writes go to the response body. */
final class ResponseOutput extends OutputStream {
    private final ResponseWriter w;
    private byte[] one;

    ResponseOutput(ResponseWriter w) {
        this.w = Objects.requireNonNull(w);
    }

    @Override
    public void write(int b) throws IOException {
        if (one == null) {
            one = new byte[1];
        }
        one[0] = (byte) b;
        w.write(one, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        w.write(b, off, len);
    }

    @Override
    public void flush() throws IOException {
        w.flush();
    }
}
