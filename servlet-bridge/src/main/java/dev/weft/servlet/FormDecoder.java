package dev.weft.servlet;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * {@code application/x-www-form-urlencoded} parsing as the WHATWG URL standard defines it, for
 * query strings and form bodies: pairs split on {@code &}, name and value on the first {@code =},
 * {@code +} is a space, {@code %XX} a byte, and the bytes are then decoded with the request's
 * charset, malformed sequences becoming U+FFFD.
 *
 * <p>A {@code %} that does not start two hex digits is kept as it is, as the standard says. (The
 * HTTP parser already answers 400 to such a request query string, so this matters for bodies and
 * for the query strings of dispatcher paths.)
 * Parameters and their values keep the order they came in, which callers preserve by passing an
 * insertion-ordered map.
 */
final class FormDecoder {
    private FormDecoder() {}

    /** The largest array a JVM reliably allocates. */
    private static final int MAX_ARRAY = Integer.MAX_VALUE - 8;

    /**
     * Adds the parameters of {@code s} (a query string, without the {@code ?}) to {@code into}.
     * Characters outside ASCII, as in a query string an application wrote into a dispatcher path,
     * are first encoded with {@code cs}, so they decode to themselves.
     *
     * @param maxParams the most values {@code into} may hold afterwards, those already in it
     *     included, so one limit covers query string and body; negative for no limit
     * @throws IllegalStateException if there are more parameters than that
     */
    static void decode(String s, Charset cs, Map<String, List<String>> into, int maxParams) {
        if (s == null || s.isEmpty()) {
            return;
        }
        byte[] bytes = new byte[s.length()];
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                bytes[n++] = (byte) c;
                continue;
            }
            int runEnd = i + 1;
            while (runEnd < s.length() && s.charAt(runEnd) >= 0x80) {
                runEnd++;
            }
            byte[] encoded = s.substring(i, runEnd).getBytes(cs);
            // Room for this run and, at one byte each, for every character after it.
            int needed = n + encoded.length + (s.length() - runEnd);
            if (needed > bytes.length) {
                bytes = Arrays.copyOf(bytes, needed);
            }
            System.arraycopy(encoded, 0, bytes, n, encoded.length);
            n += encoded.length;
            i = runEnd - 1;
        }
        decode(bytes, n, cs, into, maxParams);
    }

    /**
     * Reads {@code in} to its end and adds its parameters to {@code into}. The stream is not
     * closed.
     *
     * @param maxBytes the most bytes the body may have; negative for no limit
     * @param maxParams as for {@link #decode(String, Charset, Map, int)}
     * @throws IllegalStateException if the body is longer than {@code maxBytes} (at most one
     *     byte past the limit is read) or has too many parameters
     */
    static void decode(InputStream in, Charset cs, long maxBytes, Map<String, List<String>> into, int maxParams)
            throws IOException {
        long limit = maxBytes < 0 ? Long.MAX_VALUE : maxBytes;
        // Room for one byte past the limit, enough to tell a body at the limit from one over it.
        int most = (int) Math.min(limit == Long.MAX_VALUE ? limit : limit + 1, MAX_ARRAY);
        byte[] buf = new byte[Math.min(8192, most)];
        int n = 0;
        while (true) {
            if (n == buf.length) {
                if (n == most) {
                    throw new IllegalStateException("form body larger than " + (n - 1) + " bytes");
                }
                buf = Arrays.copyOf(buf, (int) Math.min(2L * n, most));
            }
            int r = in.read(buf, n, buf.length - n);
            if (r < 0) {
                break;
            }
            n += r;
            if (n > limit) {
                throw new IllegalStateException("form body larger than " + maxBytes + " bytes");
            }
        }
        decode(buf, n, cs, into, maxParams);
    }

    private static void decode(byte[] b, int len, Charset cs, Map<String, List<String>> into, int maxParams) {
        int count = 0;
        if (maxParams >= 0) {
            for (List<String> values : into.values()) {
                count += values.size();
            }
        }
        int start = 0;
        for (int i = 0; i <= len; i++) {
            if (i < len && b[i] != '&') {
                continue;
            }
            if (i > start) {
                int eq = start;
                while (eq < i && b[eq] != '=') {
                    eq++;
                }
                if (maxParams >= 0 && count >= maxParams) {
                    throw new IllegalStateException("more than " + maxParams + " request parameters");
                }
                String name = component(b, start, eq, cs);
                String value = eq < i ? component(b, eq + 1, i, cs) : "";
                into.computeIfAbsent(name, k -> new ArrayList<>(1)).add(value);
                count++;
            }
            start = i + 1;
        }
    }

    /** Decodes {@code b[from, to)}: {@code +} and valid {@code %XX} first, then the charset. */
    private static String component(byte[] b, int from, int to, Charset cs) {
        byte[] out = new byte[to - from];
        int n = 0;
        for (int i = from; i < to; i++) {
            byte c = b[i];
            if (c == '+') {
                c = ' ';
            } else if (c == '%' && i + 2 < to && hex(b[i + 1]) >= 0 && hex(b[i + 2]) >= 0) {
                c = (byte) (hex(b[i + 1]) << 4 | hex(b[i + 2]));
                i += 2;
            }
            out[n++] = c;
        }
        // new String replaces malformed input with U+FFFD, which is what the standard asks for.
        return new String(out, 0, n, cs);
    }

    private static int hex(byte c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }
}
