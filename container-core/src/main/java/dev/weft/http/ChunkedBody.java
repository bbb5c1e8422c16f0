package dev.weft.http;

import java.io.EOFException;
import java.io.IOException;

/**
 * A body with chunked transfer coding (RFC 9112 §7.1), read strictly: hex sizes without overflow,
 * well-formed chunk extensions within a bound, CRLF exactly where the grammar puts it, and a
 * bounded trailer section. Any violation is a 400 and ends the connection.
 */
final class ChunkedBody extends Body {
    private final ConnInput in;
    private final Limits limits;
    private Headers trailers;
    private long chunkLeft; // data bytes left in the current chunk
    private boolean needChunkEnd; // the CRLF after the current chunk's data is still to come
    private long total;
    private int extensionBytes;

    ChunkedBody(ConnInput in, Limits limits) {
        this.in = in;
        this.limits = limits;
    }

    /** Where the trailer fields go once the last chunk is read. */
    void trailersInto(Headers trailers) {
        this.trailers = trailers;
    }

    @Override
    protected int readBody(byte[] b, int off, int len) throws IOException {
        if (chunkLeft == 0) {
            if (needChunkEnd) {
                expectCrlf();
                needChunkEnd = false;
            }
            long size = readChunkSize();
            if (size == 0) {
                readTrailers();
                return -1;
            }
            total += size;
            if (limits.maxBodyBytes() >= 0 && total > limits.maxBodyBytes()) {
                throw new HttpException(413, "request body larger than " + limits.maxBodyBytes() + " bytes");
            }
            chunkLeft = size;
            needChunkEnd = true;
        }
        int n = in.read(b, off, (int) Math.min(len, chunkLeft));
        if (n < 0) {
            throw new EOFException("client closed the connection inside a chunk");
        }
        chunkLeft -= n;
        return n;
    }

    @Override
    long remaining() {
        return -1;
    }

    @Override
    public int available() {
        return (int) Math.min(in.buffered(), chunkLeft);
    }

    private void expectCrlf() throws IOException {
        int cr = in.read();
        int lf = cr == '\r' ? in.read() : -2;
        if (cr < 0 || lf == -1) {
            throw new EOFException("client closed the connection inside a chunked body");
        }
        if (cr != '\r' || lf != '\n') {
            throw HttpException.badRequest("chunk data not followed by CRLF");
        }
    }

    /** chunk-size [ chunk-ext ] CRLF, where chunk-ext = *( BWS ";" BWS name [ BWS "=" BWS value ] ). */
    private long readChunkSize() throws IOException {
        int lf = in.lineEnd(limits.maxChunkLineBytes(), 400, "chunk size line too long");
        byte[] b = in.buf;
        int p = in.pos;
        int end = RequestParser.lineContentEnd(b, p, lf);
        in.pos = lf + 1;

        long size = 0;
        int digits = 0;
        while (p < end && Character.digit(b[p], 16) >= 0) {
            if (++digits > 15) {
                throw HttpException.badRequest("chunk size too large");
            }
            size = size << 4 | Character.digit(b[p], 16);
            p++;
        }
        if (digits == 0) {
            throw HttpException.badRequest("malformed chunk size");
        }
        if (p < end) {
            extensionBytes += end - p;
            if (extensionBytes > limits.maxChunkExtensionBytes()) {
                throw HttpException.badRequest("too many chunk extension bytes");
            }
            checkExtensions(b, p, end);
        }
        return size;
    }

    private static void checkExtensions(byte[] b, int p, int end) throws HttpException {
        while (p < end) {
            p = skipBws(b, p, end);
            if (p >= end || b[p] != ';') {
                throw HttpException.badRequest("malformed chunk extension");
            }
            p = skipBws(b, p + 1, end);
            int nameStart = p;
            while (p < end && RequestParser.isTchar(b[p])) {
                p++;
            }
            if (p == nameStart) {
                throw HttpException.badRequest("malformed chunk extension name");
            }
            int q = skipBws(b, p, end);
            if (q < end && b[q] == '=') {
                p = skipBws(b, q + 1, end);
                if (p < end && b[p] == '"') {
                    p++;
                    while (true) {
                        if (p >= end) {
                            throw HttpException.badRequest("unterminated quoted chunk extension");
                        }
                        byte c = b[p];
                        if (c == '"') {
                            p++;
                            break;
                        }
                        if (c == '\\') {
                            p++;
                            if (p >= end || !qdtextOrQuotedPair(b[p], true)) {
                                throw HttpException.badRequest("malformed quoted chunk extension");
                            }
                        } else if (!qdtextOrQuotedPair(c, false)) {
                            throw HttpException.badRequest("malformed quoted chunk extension");
                        }
                        p++;
                    }
                } else {
                    int valueStart = p;
                    while (p < end && RequestParser.isTchar(b[p])) {
                        p++;
                    }
                    if (p == valueStart) {
                        throw HttpException.badRequest("malformed chunk extension value");
                    }
                }
            }
        }
    }

    private static boolean qdtextOrQuotedPair(byte c, boolean pair) {
        int u = c & 0xff;
        if (u == '\t' || u == ' ' || u >= 0x80) {
            return true;
        }
        if (u < 0x21 || u == 0x7f) {
            return false;
        }
        return pair || (u != '"' && u != '\\');
    }

    private static int skipBws(byte[] b, int p, int end) {
        while (p < end && (b[p] == ' ' || b[p] == '\t')) {
            p++;
        }
        return p;
    }

    private void readTrailers() throws IOException {
        Headers sink = trailers != null ? trailers : new Headers(2);
        RequestParser.readFields(in, sink, limits.maxTrailerBytes() + 2, limits.maxHeaderCount(), 431, true);
    }
}
