package dev.weft.http;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Builds the response to one request, Go's {@code http.ResponseWriter} with its {@code Flusher}
 * and {@code Hijacker}.
 *
 * <p>Writes go to a response buffer (4 KiB by default). The response is <em>committed</em> when
 * the buffer is first flushed, by {@link #flush()}, by overflowing, or when the handler returns:
 * only then are the status line and header fields written, exactly once. A response that ends
 * within the buffer gets a Content-Length; a longer one is sent chunked on HTTP/1.1 and
 * delimited by closing the connection on HTTP/1.0.
 *
 * <p>Unlike Go, the status and the header fields may still be changed until the response is
 * committed, as the Servlet API needs. A Content-Type is sniffed from the first bytes when the
 * handler sets none (see {@link #setContentTypeSniffing}); a Date field is added unless set.
 */
public interface ResponseWriter {
    /** The response header fields; changes take effect until the response is committed. */
    Headers header();

    /**
     * Sets the status code. A 1xx code other than 101 is sent at once as an interim response, with
     * the header fields set so far. Calls after the response is committed are ignored.
     */
    void writeHeader(int status);

    /** The status the response has or will have: 200 unless set. */
    int status();

    /** Writes body bytes. Fails if the status allows no body or more than a declared Content-Length is written. */
    void write(byte[] b, int off, int len) throws IOException;

    default void write(byte[] b) throws IOException {
        write(b, 0, b.length);
    }

    /** Writes {@code s} encoded as UTF-8. */
    default void write(String s) throws IOException {
        write(s.getBytes(StandardCharsets.UTF_8));
    }

    /** The body as an output stream; flushing it flushes the response. */
    default OutputStream outputStream() {
        return new ResponseOutput(this);
    }

    /** Sends everything written so far to the client, committing the response. */
    void flush() throws IOException;

    /** Whether the status line and header fields have been written. */
    boolean isCommitted();

    /** Body bytes written by the handler so far, buffered ones included. */
    long written();

    /** The size of the response buffer. */
    int bufferSize();

    /** Sets the size of the response buffer; only before any body byte is written. */
    void setBufferSize(int size);

    /** Discards buffered body bytes; fails once committed. */
    void resetBuffer();

    /** Discards buffered body bytes, header fields and status; fails once committed. */
    void reset();

    /**
     * Trailer fields, sent after a chunked body. Having any before the response is committed makes
     * it chunked on HTTP/1.1; they are dropped where the body is not chunked.
     */
    Headers trailer();

    /**
     * Moves this response's write deadline (WriteTimeout) to {@code deadline}, or removes it for
     * null, as Go's {@code ResponseController.SetWriteDeadline}: for a handler that streams for
     * longer than the server's WriteTimeout allows.
     */
    void setWriteDeadline(Instant deadline);

    /**
     * Moves the read deadline for the rest of this request's body (ReadTimeout) to {@code
     * deadline}, or removes it for null, as Go's {@code ResponseController.SetReadDeadline}.
     */
    void setReadDeadline(Instant deadline);

    /** Turns Content-Type sniffing on or off for this response; on by default. */
    void setContentTypeSniffing(boolean on);

    /**
     * Takes over the connection, as Go's {@code Hijack}: what the handler has written (the status
     * line and fields once {@link #writeHeader} was called, and buffered body bytes) is sent first.
     * The server then forgets the connection, except that {@link Server#close()} still closes it;
     * the caller must close it. The returned input still holds any bytes the server had read
     * ahead, such as a pipelined request.
     *
     * @throws IllegalStateException if already hijacked or after the handler returned
     */
    Hijacked hijack() throws IOException;
}
