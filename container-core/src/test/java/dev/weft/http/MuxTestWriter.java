package dev.weft.http;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** A {@link ResponseWriter} for tests that records the status, header fields and body. */
final class MuxTestWriter implements ResponseWriter {
    private final Headers header = new Headers();
    private final Headers trailer = new Headers();
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private int status = 200;
    private boolean statusWritten;
    private boolean committed;

    @Override
    public Headers header() {
        return header;
    }

    @Override
    public void writeHeader(int status) {
        if (!statusWritten && !committed) {
            this.status = status;
            statusWritten = true;
        }
    }

    @Override
    public int status() {
        return status;
    }

    @Override
    public void write(byte[] b, int off, int len) {
        body.write(b, off, len);
    }

    @Override
    public void flush() {
        committed = true;
    }

    @Override
    public boolean isCommitted() {
        return committed;
    }

    @Override
    public long written() {
        return body.size();
    }

    @Override
    public int bufferSize() {
        return 4096;
    }

    @Override
    public void setBufferSize(int size) {}

    @Override
    public void resetBuffer() {
        body.reset();
    }

    @Override
    public void reset() {
        body.reset();
        header.clear();
        status = 200;
        statusWritten = false;
    }

    @Override
    public Headers trailer() {
        return trailer;
    }

    @Override
    public void setContentTypeSniffing(boolean on) {}

    @Override
    public void setWriteDeadline(java.time.Instant deadline) {}

    @Override
    public void setReadDeadline(java.time.Instant deadline) {}

    @Override
    public Hijacked hijack() {
        throw new UnsupportedOperationException("not in tests");
    }

    /** The body written so far, as UTF-8. */
    String body() {
        return body.toString(StandardCharsets.UTF_8);
    }
}
