package dev.weft.servlet;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * {@code application/x-www-form-urlencoded} parsing as the WHATWG URL standard defines it, for
 * query strings and form bodies: pairs split on {@code &}, name and value on the first {@code =},
 * {@code +} is a space, {@code %XX} a byte, and the bytes are then decoded with the request's
 * charset.
 *
 * <p>Two modes. Strict, for the request's own parameters: a {@code %} that does not start two hex
 * digits, or bytes that are not valid in the charset, are a problem, which Servlet 6.1 reports as
 * {@link IllegalStateException} from {@code getParameter}. Lenient, as the WHATWG standard says,
 * for the query strings applications write into dispatcher paths: such a {@code %} is kept as it
 * is and malformed bytes become U+FFFD.
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
        decode(s, cs, into, maxParams, false);
    }

    /** As {@link #decode(String, Charset, Map, int)}, strictly when {@code strict} is set. */
    static void decode(String s, Charset cs, Map<String, List<String>> into, int maxParams, boolean strict) {
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
        decode(bytes, n, cs, into, maxParams, strict);
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
        decode(in, cs, maxBytes, into, maxParams, false);
    }

    /** As {@link #decode(InputStream, Charset, long, Map, int)}, strictly when {@code strict} is set. */
    static void decode(InputStream in, Charset cs, long maxBytes, Map<String, List<String>> into, int maxParams,
            boolean strict) throws IOException {
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
        decode(buf, n, cs, into, maxParams, strict);
    }

    private static void decode(byte[] b, int len, Charset cs, Map<String, List<String>> into, int maxParams,
            boolean strict) {
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
                String name = component(b, start, eq, cs, strict);
                String value = eq < i ? component(b, eq + 1, i, cs, strict) : "";
                into.computeIfAbsent(name, k -> new ArrayList<>(1)).add(value);
                count++;
            }
            start = i + 1;
        }
    }

    /** Decodes {@code b[from, to)}: {@code +} and valid {@code %XX} first, then the charset. */
    private static String component(byte[] b, int from, int to, Charset cs, boolean strict) {
        byte[] out = new byte[to - from];
        int n = 0;
        for (int i = from; i < to; i++) {
            byte c = b[i];
            if (c == '+') {
                c = ' ';
            } else if (c == '%') {
                if (i + 2 < to && hex(b[i + 1]) >= 0 && hex(b[i + 2]) >= 0) {
                    c = (byte) (hex(b[i + 1]) << 4 | hex(b[i + 2]));
                    i += 2;
                } else if (strict) {
                    throw new IllegalStateException("malformed %-escape in request parameters");
                }
            }
            out[n++] = c;
        }
        if (!strict) {
            // new String replaces malformed input with U+FFFD, which is what the standard asks for.
            return new String(out, 0, n, cs);
        }
        try {
            return cs.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(out, 0, n)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalStateException("request parameters are not valid " + cs.name(), e);
        }
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
