package dev.weft.http;

/**
 * Size limits on what a client may send, as data rather than flags scattered through the parser.
 * Each is enforced with the status named beside it, after which the connection is closed.
 *
 * @param maxRequestLineBytes longest request line, without its CRLF (414)
 * @param maxHeaderBytes most bytes of request line and header fields together, Go's
 *     {@code MaxHeaderBytes} (431)
 * @param maxHeaderCount most header fields (431)
 * @param maxBodyBytes largest request body, or -1 for no limit (413; checked before reading when
 *     Content-Length declares it)
 * @param maxChunkLineBytes longest chunk-size line of a chunked body, extensions included (400)
 * @param maxChunkExtensionBytes most chunk-extension bytes over a whole chunked body (400)
 * @param maxTrailerBytes most bytes in the trailer section of a chunked body (431)
 */
public record Limits(
        int maxRequestLineBytes,
        int maxHeaderBytes,
        int maxHeaderCount,
        long maxBodyBytes,
        int maxChunkLineBytes,
        int maxChunkExtensionBytes,
        int maxTrailerBytes) {

    /** 8 KiB request line, 1 MiB of headers in at most 100 fields, no body limit, 4 KiB chunk lines. */
    public static final Limits DEFAULT = new Limits(8 << 10, 1 << 20, 100, -1, 4 << 10, 16 << 10, 64 << 10);

    public Limits {
        if (maxRequestLineBytes < 16 || maxHeaderBytes < 64 || maxHeaderCount < 1
                || maxChunkLineBytes < 16 || maxChunkExtensionBytes < 0 || maxTrailerBytes < 0
                || maxBodyBytes < -1) {
            throw new IllegalArgumentException("limit out of range: " + this);
        }
    }

    public Limits withMaxHeaderBytes(int n) {
        return new Limits(maxRequestLineBytes, n, maxHeaderCount, maxBodyBytes, maxChunkLineBytes,
                maxChunkExtensionBytes, maxTrailerBytes);
    }

    public Limits withMaxBodyBytes(long n) {
        return new Limits(maxRequestLineBytes, maxHeaderBytes, maxHeaderCount, n, maxChunkLineBytes,
                maxChunkExtensionBytes, maxTrailerBytes);
    }
}
