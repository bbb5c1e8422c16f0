package dev.weft.http;

import java.nio.charset.StandardCharsets;

/**
 * Field names as strings, reusing one constant for the names almost every request carries so
 * that parsing them allocates nothing.
 */
final class HeaderNames {
    private HeaderNames() {}

    private static final String[] COMMON = {
        "Host", "Connection", "Content-Length", "Content-Type", "Transfer-Encoding", "Accept",
        "Accept-Encoding", "Accept-Language", "User-Agent", "Cookie", "Expect", "Referer",
        "Cache-Control", "Authorization", "Origin", "Upgrade", "If-None-Match", "If-Modified-Since",
        "Range", "Pragma", "Trailer", "TE", "Keep-Alive", "Date", "X-Forwarded-For",
    };
    private static final byte[][] COMMON_BYTES = new byte[COMMON.length][];

    static {
        for (int i = 0; i < COMMON.length; i++) {
            COMMON_BYTES[i] = COMMON[i].getBytes(StandardCharsets.ISO_8859_1);
        }
    }

    /** The name in {@code b[start, end)}: a shared constant when it is a common one, spelt exactly so. */
    static String name(byte[] b, int start, int end) {
        int n = end - start;
        for (int i = 0; i < COMMON_BYTES.length; i++) {
            byte[] c = COMMON_BYTES[i];
            if (c.length == n && c[0] == b[start] && java.util.Arrays.equals(c, 0, n, b, start, end)) {
                return COMMON[i];
            }
        }
        return new String(b, start, n, StandardCharsets.ISO_8859_1);
    }

    /**
     * Fields that must not come in a trailer because they frame, route or authenticate the message
     * (RFC 9110 §6.5.1); accepting them there lets two readers disagree about the request.
     */
    static boolean forbiddenInTrailer(String name) {
        return switch (name.toLowerCase(java.util.Locale.ROOT)) {
            case "transfer-encoding", "content-length", "host", "trailer", "te", "connection",
                    "keep-alive", "upgrade", "expect", "content-type", "content-encoding", "content-range",
                    "authorization", "proxy-authorization", "cookie", "set-cookie", "cache-control",
                    "max-forwards", "range", "if-match", "if-none-match", "if-modified-since",
                    "if-unmodified-since", "if-range" -> true;
            default -> false;
        };
    }
}
