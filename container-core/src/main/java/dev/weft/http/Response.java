package dev.weft.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The response to one request: Go's {@code response} with its {@code chunkWriter}.
 *
 * <pre>
 * handler --write--> response buffer (4 KiB) --first flush--> chunk writer --> ConnOutput --> socket
 *                                                             head once, then framing
 * </pre>
 *
 * The chunk writer writes the status line and header fields exactly once, on the first flush out of
 * the response buffer, choosing Content-Length when the handler has finished within the buffer,
 * chunked on HTTP/1.1 otherwise, and close-delimited on HTTP/1.0.
 */
final class Response implements ResponseWriter {
    /** Unread request body the server reads after the handler to keep the connection (Go's maxPostHandlerReadBytes). */
    static final int MAX_POST_HANDLER_READ_BYTES = 256 << 10;
    private static final int DEFAULT_BUFFER_SIZE = BufferPool.HANDLER.bufferSize();
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] LAST_CHUNK = {'0', '\r', '\n'};
    private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[][] STATUS_LINES = new byte[600][];
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.ISO_8859_1);

    static {
        for (int code = 100; code < 600; code++) {
            if (!Status.text(code).isEmpty()) {
                STATUS_LINES[code] = statusLine(code);
            }
        }
    }

    final Conn conn;
    final Request req;
    private final ConnOutput out;
    private final boolean isHead;
    private final Headers headers = new Headers(4);
    private Headers trailers;
    private int status; // 0 until set
    private byte[] buf;
    private int count;
    private int bufferSize = DEFAULT_BUFFER_SIZE;
    private boolean committed;
    private boolean chunking;
    private long declaredLength = -1; // the Content-Length sent, once committed
    private long written; // body bytes the handler wrote
    private long sent; // body bytes through the chunk writer
    private boolean sniff = true;
    private boolean handlerDone;
    private boolean hijacked;
    boolean closeAfterReply;
    boolean bodyLeftUnread; // the client may still be sending a body we will not read

    // 100-continue: the body reader may send it from another thread than the one writing.
    // Created only for requests that ask for it.
    private ReentrantLock continueLock;
    private volatile boolean canWriteContinue;
    private boolean continueRequested;
    private boolean wroteContinue;

    Response(Conn conn, Request req, ConnOutput out) {
        this.conn = conn;
        this.req = req;
        this.out = out;
        this.isHead = req.method.equals("HEAD");
    }

    /** Installs the reader that sends {@code 100 Continue} when the handler first reads the body. */
    void expectContinue() {
        continueLock = new ReentrantLock();
        continueRequested = true;
        canWriteContinue = true;
        req.body = new ExpectContinueBody(req.rawBody, this);
    }

    @Override
    public Headers header() {
        return headers;
    }

    @Override
    public void writeHeader(int code) {
        if (code < 100 || code > 999) {
            throw new IllegalArgumentException("invalid status code " + code);
        }
        if (hijacked || committed) {
            conn.server.log.debug("superfluous writeHeader({}) after the response was committed", code);
            return;
        }
        if (code < 200 && code != 101) {
            writeInterim(code);
            return;
        }
        status = code;
    }

    @Override
    public int status() {
        return status == 0 ? 200 : status;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (hijacked) {
            throw new IllegalStateException("connection has been hijacked");
        }
        if (len == 0) {
            return;
        }
        int code = status();
        if (!Status.bodyAllowed(code)) {
            throw new IOException("response status " + code + " does not allow a body");
        }
        if (!committed) {
            long cl = handlerContentLength();
            if (cl >= 0 && written + len > cl) {
                throw new IOException("wrote more than the declared Content-Length");
            }
        }
        disableContinue();
        written += len;
        if (buf == null) {
            buf = bufferSize == DEFAULT_BUFFER_SIZE ? BufferPool.HANDLER.take() : new byte[bufferSize];
        }
        int room = buf.length - count;
        if (len <= room) {
            System.arraycopy(b, off, buf, count, len);
            count += len;
            return;
        }
        System.arraycopy(b, off, buf, count, room);
        count += room;
        off += room;
        len -= room;
        flushBuffer(false);
        if (len >= buf.length) {
            chunkWrite(b, off, len);
        } else {
            System.arraycopy(b, off, buf, 0, len);
            count = len;
        }
    }

    @Override
    public void flush() throws IOException {
        if (hijacked) {
            throw new IllegalStateException("connection has been hijacked");
        }
        flushBuffer(false);
        out.flush();
    }

    @Override
    public boolean isCommitted() {
        return committed;
    }

    @Override
    public long written() {
        return written;
    }

    @Override
    public int bufferSize() {
        return buf != null ? buf.length : bufferSize;
    }

    @Override
    public void setBufferSize(int size) {
        if (committed || written > 0) {
            throw new IllegalStateException("buffer size set after content was written");
        }
        int n = Math.max(size, 1);
        if (n != bufferSize() && buf != null) {
            BufferPool.HANDLER.give(buf);
            buf = null;
        }
        bufferSize = n;
    }

    @Override
    public void resetBuffer() {
        if (committed) {
            throw new IllegalStateException("response already committed");
        }
        written -= count;
        count = 0;
    }

    @Override
    public void reset() {
        resetBuffer();
        headers.clear();
        trailers = null;
        status = 0;
    }

    @Override
    public Headers trailer() {
        if (trailers == null) {
            trailers = new Headers(2);
        }
        return trailers;
    }

    @Override
    public void setWriteDeadline(Instant deadline) {
        if (!handlerDone && !hijacked) {
            conn.writeDeadline = deadline == null ? 0 : nanoTimeAt(deadline);
        }
    }

    @Override
    public void setReadDeadline(Instant deadline) {
        if (!handlerDone && !hijacked) {
            conn.setReadDeadline(deadline == null ? 0 : nanoTimeAt(deadline));
        }
    }

    /** The System.nanoTime() of {@code deadline}; 0 (none) when it is too far off to represent. */
    private static long nanoTimeAt(Instant deadline) {
        long nanos;
        try {
            nanos = java.time.Duration.between(Instant.now(), deadline).toNanos();
        } catch (ArithmeticException e) {
            return deadline.isAfter(Instant.now()) ? 0 : System.nanoTime();
        }
        long at = System.nanoTime() + Math.max(nanos, 1);
        return at == 0 ? 1 : at;
    }

    @Override
    public void setContentTypeSniffing(boolean on) {
        sniff = on;
    }

    @Override
    public Hijacked hijack() throws IOException {
        if (handlerDone) {
            throw new IllegalStateException("hijack after the handler returned");
        }
        if (hijacked) {
            throw new IllegalStateException("connection already hijacked");
        }
        if (status != 0 || count > 0) {
            flushBuffer(false);
        }
        out.flush();
        hijacked = true;
        releaseBuffer();
        return conn.hijack();
    }

    boolean isHijacked() {
        return hijacked;
    }

    /**
     * Completes the response after the handler returned: decides about an unread request body,
     * writes the head if still pending, the last chunk and trailers, and flushes to the socket.
     */
    void finishRequest() throws IOException {
        handlerDone = true;
        Body body = req.rawBody;
        if (!body.isEof()) {
            if (continueRequested && !wroteContinue) {
                // We never asked for the body; the client may or may not send it. Don't guess.
                closeAfterReply = true;
                bodyLeftUnread = true;
            } else if (body.error() != null) {
                closeAfterReply = true;
            } else if (!body.drain(MAX_POST_HANDLER_READ_BYTES)) {
                closeAfterReply = true;
                bodyLeftUnread = body.error() == null;
            }
        }
        disableContinue();
        flushBuffer(true);
        if (chunking) {
            out.write(LAST_CHUNK);
            if (trailers != null) {
                for (int i = 0; i < trailers.size(); i++) {
                    writeField(trailers.name(i), trailers.value(i));
                }
            }
            out.write(CRLF);
        }
        out.flush();
        releaseBuffer();
    }

    /** Go's shouldReuseConnection: whether the next request may be read from this connection. */
    boolean shouldReuseConnection() {
        if (closeAfterReply || hijacked) {
            return false;
        }
        if (!isHead && declaredLength >= 0 && sent != declaredLength) {
            // The handler wrote less than it declared; the client would wait for the rest.
            return false;
        }
        return out.error() == null && req.rawBody.isEof();
    }

    /** Discards what the handler buffered, for an error response in its place. */
    void discardUncommitted() {
        written = 0;
        count = 0;
        headers.clear();
        trailers = null;
        status = 0;
        releaseBuffer();
    }

    private void releaseBuffer() {
        if (buf != null) {
            BufferPool.HANDLER.give(buf);
            buf = null;
            count = 0;
        }
    }

    private void flushBuffer(boolean finishing) throws IOException {
        if (!committed) {
            writeHead(buf, 0, count, finishing);
        }
        if (count > 0) {
            int n = count;
            count = 0;
            chunkWrite(buf, 0, n);
        }
    }

    /** The chunk writer: frames body bytes after the head has been written. */
    private void chunkWrite(byte[] b, int off, int len) throws IOException {
        if (!committed) {
            writeHead(b, off, len, false);
        }
        if (isHead || len == 0) {
            return;
        }
        if (declaredLength >= 0 && sent + len > declaredLength) {
            throw new IOException("wrote more than the declared Content-Length");
        }
        if (chunking) {
            writeChunkSize(len);
            out.write(b, off, len);
            out.write(CRLF);
        } else {
            out.write(b, off, len);
        }
        sent += len;
    }

    private void writeChunkSize(int len) throws IOException {
        byte[] ob = out.reserve(10);
        int p = out.position();
        int digits = (32 - Integer.numberOfLeadingZeros(len) + 3) / 4;
        for (int i = digits - 1; i >= 0; i--) {
            ob[p++] = HEX[(len >>> (i * 4)) & 0xf];
        }
        ob[p++] = '\r';
        ob[p++] = '\n';
        out.advance(p - out.position());
    }

    /**
     * Go's chunkWriter.writeHeader: fixes the framing and writes the status line and header fields,
     * once. {@code p} holds the first body bytes (for sniffing and, when finishing, the length).
     */
    private void writeHead(byte[] p, int off, int len, boolean finishing) throws IOException {
        committed = true;
        disableContinue();
        int code = status();
        Headers h = headers;
        boolean bodyAllowed = Status.bodyAllowed(code);
        boolean http11 = req.protoAtLeast(1, 1);

        long cl = handlerContentLength();
        String te = h.get("Transfer-Encoding");
        boolean hasTrailers = h.has("Trailer") || (trailers != null && !trailers.isEmpty());
        if (finishing && !hasTrailers && te == null && bodyAllowed && cl < 0 && (!isHead || len > 0)) {
            cl = len;
            h.set("Content-Length", lengthText(cl));
        }
        if (sniff && bodyAllowed && te == null && len > 0 && !h.has("Content-Type")) {
            h.set("Content-Type", ContentSniffer.detect(p, off, Math.min(len, 512)));
        }

        if (code != 101) {
            if (!conn.server.keepAlivesEnabled() || h.hasToken("Connection", "close")
                    || req.headers.hasToken("Connection", "close")) {
                closeAfterReply = true;
            }
            if (!http11) {
                boolean lengthKnown = cl >= 0 || isHead || !bodyAllowed;
                if (!closeAfterReply && lengthKnown && req.headers.hasToken("Connection", "keep-alive")) {
                    h.set("Connection", "keep-alive");
                } else {
                    closeAfterReply = true;
                    h.remove("Connection");
                }
            }
        }

        if (!bodyAllowed) {
            h.remove("Transfer-Encoding");
            if (code < 200 || code == 204) {
                h.remove("Content-Length");
                cl = -1;
            }
        } else if (te != null) {
            h.remove("Transfer-Encoding");
            if (!te.equalsIgnoreCase("chunked")) {
                conn.server.log.warn("dropping unsupported response Transfer-Encoding \"{}\"", te);
            } else if (cl >= 0) {
                conn.server.log.warn("response has both Content-Length and Transfer-Encoding; sending Content-Length");
            } else if (http11 && !isHead) {
                chunking = true;
            }
        }
        if (bodyAllowed && !chunking && cl < 0 && !isHead) {
            if (http11) {
                chunking = true;
            } else {
                closeAfterReply = true; // HTTP/1.0: the body ends when the connection does
            }
        }
        if (chunking) {
            h.set("Transfer-Encoding", "chunked");
            if (trailers != null && !trailers.isEmpty() && !h.has("Trailer")) {
                h.set("Trailer", String.join(", ", trailers.names()));
            }
        }
        if (closeAfterReply && http11 && code != 101 && !h.hasToken("Connection", "close")) {
            h.set("Connection", "close");
        }
        declaredLength = chunking ? -1 : cl;
        if (code != 101 && declaredLength >= 0 && declaredLength < written && !isHead) {
            // Content-Length changed after the body was written; the body would not fit its framing.
            closeAfterReply = true;
            throw new IOException("wrote more than the declared Content-Length");
        }

        writeStatusLine(code);
        boolean hasDate = false;
        for (int i = 0; i < h.size(); i++) {
            String name = h.name(i);
            if (!hasDate && name.equalsIgnoreCase("Date")) {
                hasDate = true;
            }
            writeField(name, h.value(i));
        }
        if (!hasDate && code >= 200) {
            out.write(DATE_PREFIX);
            out.write(HttpDate.nowBytes());
            out.write(CRLF);
        }
        out.write(CRLF);
    }

    private static final byte[] DATE_PREFIX = "Date: ".getBytes(StandardCharsets.ISO_8859_1);

    /** The Content-Length the handler set, or -1; an invalid one is dropped. */
    private long handlerContentLength() {
        String v = headers.get("Content-Length");
        if (v == null) {
            return -1;
        }
        long n = 0;
        boolean ok = !v.isEmpty() && v.length() <= 18;
        for (int i = 0; ok && i < v.length(); i++) {
            char c = v.charAt(i);
            ok = c >= '0' && c <= '9';
            n = n * 10 + (c - '0');
        }
        if (!ok) {
            conn.server.log.warn("dropping invalid response Content-Length \"{}\"", v);
            headers.remove("Content-Length");
            return -1;
        }
        return n;
    }

    // The text of small lengths, made once each: most responses are small, and the header map
    // needs a String. Racy by design: two threads may both make one, and either is right.
    private static final String[] SMALL_LENGTHS = new String[4096];

    private static String lengthText(long n) {
        if (n < 0 || n >= SMALL_LENGTHS.length) {
            return Long.toString(n);
        }
        String s = SMALL_LENGTHS[(int) n];
        if (s == null) {
            s = Long.toString(n);
            SMALL_LENGTHS[(int) n] = s;
        }
        return s;
    }

    private void writeStatusLine(int code) throws IOException {
        byte[] line = code < STATUS_LINES.length ? STATUS_LINES[code] : null;
        out.write(line != null ? line : statusLine(code));
    }

    private static byte[] statusLine(int code) {
        String text = Status.text(code);
        if (text.isEmpty()) {
            text = "status code " + code;
        }
        return ("HTTP/1.1 " + code + " " + text + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * Writes {@code name: value}. Names that are not tokens are dropped; CR, LF and NUL in values
     * become spaces, so a handler can never split the response.
     */
    private void writeField(String name, String value) throws IOException {
        if (!validFieldName(name)) {
            conn.server.log.warn("dropping response header with invalid name \"{}\"", name);
            return;
        }
        int need = name.length() + value.length() + 4;
        byte[] b = out.reserve(Math.min(need, 256));
        if (need > b.length - out.position()) {
            out.writeLatin1(name);
            out.write(':');
            out.write(' ');
            writeValue(value);
            out.write(CRLF);
            return;
        }
        int p = out.position();
        for (int i = 0; i < name.length(); i++) {
            b[p++] = (byte) name.charAt(i);
        }
        b[p++] = ':';
        b[p++] = ' ';
        for (int i = 0; i < value.length(); i++) {
            b[p++] = safeValueByte(value.charAt(i));
        }
        b[p++] = '\r';
        b[p++] = '\n';
        out.advance(p - out.position());
    }

    private void writeValue(String value) throws IOException {
        for (int i = 0; i < value.length(); i++) {
            out.write(safeValueByte(value.charAt(i)));
        }
    }

    private static byte safeValueByte(char c) {
        if (c == '\r' || c == '\n' || c == 0) {
            return ' ';
        }
        return c > 0xff ? (byte) '?' : (byte) c;
    }

    static boolean validFieldName(String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c > 0xff || !RequestParser.isTchar(c)) {
                return false;
            }
        }
        return true;
    }

    private void writeInterim(int code) {
        ReentrantLock lock = continueLock;
        if (lock != null) {
            lock.lock();
        }
        try {
            writeStatusLine(code);
            for (int i = 0; i < headers.size(); i++) {
                writeField(headers.name(i), headers.value(i));
            }
            out.write(CRLF);
            out.flush();
            if (code == 100) {
                wroteContinue = true;
                canWriteContinue = false;
            }
        } catch (IOException e) {
            conn.server.log.debug("writing {} interim response failed: {}", code, e.toString());
        } finally {
            if (lock != null) {
                lock.unlock();
            }
        }
    }

    /** Sends {@code 100 Continue} unless the response has started; called on the first body read. */
    void sendContinue() throws IOException {
        if (!canWriteContinue) {
            return;
        }
        continueLock.lock();
        try {
            if (canWriteContinue) {
                canWriteContinue = false;
                out.write(CONTINUE);
                out.flush();
                wroteContinue = true;
            }
        } finally {
            continueLock.unlock();
        }
    }

    /** Once the response itself is being written, a 100 Continue may no longer go out. */
    private void disableContinue() {
        if (canWriteContinue) {
            continueLock.lock();
            try {
                canWriteContinue = false;
            } finally {
                continueLock.unlock();
            }
        }
    }

    /** Go's expectContinueReader: the first read sends the interim response. */
    private static final class ExpectContinueBody extends InputStream {
        private final Body body;
        private final Response response;

        ExpectContinueBody(Body body, Response response) {
            this.body = body;
            this.response = response;
        }

        @Override
        public int read() throws IOException {
            response.sendContinue();
            return body.read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            response.sendContinue();
            return body.read(b, off, len);
        }

        @Override
        public long transferTo(java.io.OutputStream out) throws IOException {
            response.sendContinue();
            return body.transferTo(out);
        }

        @Override
        public int available() {
            return body.available();
        }

        @Override
        public void close() {
            body.close();
        }
    }
}
