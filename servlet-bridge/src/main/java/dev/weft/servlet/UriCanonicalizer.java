package dev.weft.servlet;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * URI path canonicalization as in Servlet 6.1 §3.5.2: turns the raw, percent-encoded request path
 * into the decoded path that every mapping (context, servlet, filter, security constraint) uses,
 * and rejects with {@link Rejected} (a 400) every suspicious sequence of the spec's default list.
 *
 * <p>Weft takes the strict side wherever the spec lets a container choose: an encoded {@code /},
 * {@code \} or control character is refused anywhere in the path, path parameters included, and
 * empty segments are always removed.
 */
final class UriCanonicalizer {
    private UriCanonicalizer() {}

    /** The path parameter that carries a session id when URL rewriting is in use. */
    private static final String SESSION_PARAM = "jsessionid";

    /** A path the container must refuse with 400 Bad Request; the message says why. */
    static final class Rejected extends RuntimeException {
        Rejected(String reason) {
            // A client can trigger this at will, so it must stay cheap: no stack trace.
            super(reason, null, false, false);
        }
    }

    /**
     * The canonical path and the session id found in a {@code ;jsessionid=} path parameter.
     *
     * @param canonicalPath the decoded path used for mapping, always starting with {@code /}
     * @param sessionIdFromPath the parameter's value as sent (not percent-decoded), or null
     */
    record Result(String canonicalPath, String sessionIdFromPath) {}

    /** The canonical path of {@code rawPath}; see {@link #parse}. */
    static String canonicalize(String rawPath) {
        return parse(rawPath).canonicalPath();
    }

    /**
     * Canonicalizes {@code rawPath}, the path of the request-target exactly as received: still
     * percent-encoded, with the query already split off by the HTTP parser.
     *
     * @throws Rejected if the path is one the spec says to answer with 400
     * @throws IllegalArgumentException if the path still holds a {@code ?} (the caller's bug)
     */
    static Result parse(String rawPath) {
        if (rawPath.isEmpty() || rawPath.charAt(0) != '/') {
            throw new Rejected("path does not start with /");
        }
        checkCharacters(rawPath);

        String sessionId = null;
        List<String> segments = new ArrayList<>();
        int start = 1;
        while (true) {
            int end = rawPath.indexOf('/', start);
            boolean last = end < 0;
            if (last) {
                end = rawPath.length();
            }
            String raw = rawPath.substring(start, end);
            int semi = raw.indexOf(';');
            String name = semi < 0 ? raw : raw.substring(0, semi);
            if (semi >= 0) {
                // "/..;/" and "/;x/" are classic ways to slip past a proxy that matches on the raw
                // path while the container normalizes differently, hence the spec's rejection.
                if (name.isEmpty() && !last) {
                    throw new Rejected("empty segment with path parameters");
                }
                if (name.equals(".") || name.equals("..")) {
                    throw new Rejected("dot segment with path parameters");
                }
                String id = sessionIdIn(raw, semi);
                if (id != null) {
                    // Later ones win, as in Tomcat, whose path parameters are a map.
                    sessionId = id.isEmpty() ? null : id;
                }
            }
            String decoded = decode(name);
            if (name.indexOf('%') >= 0 && (decoded.equals(".") || decoded.equals(".."))) {
                throw new Rejected("encoded dot segment");
            }
            segments.add(decoded);
            if (last) {
                break;
            }
            start = end + 1;
        }

        // Empty segments other than the last go before dot-segments are resolved, so "//.."
        // cannot pop an empty segment and land somewhere the raw path did not point at.
        List<String> kept = new ArrayList<>(segments.size());
        for (int i = 0; i < segments.size(); i++) {
            String s = segments.get(i);
            if (s.isEmpty() && i != segments.size() - 1) {
                continue;
            }
            if (s.equals(".")) {
                continue;
            }
            if (s.equals("..")) {
                if (kept.isEmpty()) {
                    throw new Rejected("dot-dot segment above the root");
                }
                kept.remove(kept.size() - 1);
                continue;
            }
            kept.add(s);
        }

        if (kept.isEmpty()) {
            return new Result("/", sessionId);
        }
        StringBuilder path = new StringBuilder(rawPath.length());
        for (String s : kept) {
            path.append('/').append(s);
        }
        return new Result(path.toString(), sessionId);
    }

    /**
     * Checks every raw character and every escape in the whole path, parameters included: a
     * parameter is dropped from the mapped path but not from {@code getRequestURI()}, which
     * applications decode and match on themselves.
     */
    private static void checkCharacters(String rawPath) {
        for (int i = 0; i < rawPath.length(); i++) {
            char c = rawPath.charAt(i);
            switch (c) {
                case '#' -> throw new Rejected("fragment in path");
                case '?' -> throw new IllegalArgumentException("query not split off: " + rawPath);
                case '\\' -> throw new Rejected("backslash in path");
                case '%' -> {
                    int b = hexByte(rawPath, i);
                    if (b == '/') {
                        throw new Rejected("encoded / in path");
                    }
                    if (b == '\\') {
                        throw new Rejected("encoded backslash in path");
                    }
                    if (b < 0x20 || b == 0x7f) {
                        throw new Rejected("encoded control character in path");
                    }
                    i += 2;
                }
                default -> {
                    // The HTTP parser allows only visible ASCII in a request-target; anything else
                    // here did not come from the wire as RFC 9112 allows.
                    if (c <= 0x20 || c >= 0x7f) {
                        throw new Rejected("character that must be percent-encoded in path");
                    }
                }
            }
        }
    }

    /** The byte of the escape at {@code s[i]}, which is {@code %}. */
    private static int hexByte(String s, int i) {
        if (i + 2 >= s.length()) {
            throw new Rejected("truncated % escape in path");
        }
        int hi = hex(s.charAt(i + 1));
        int lo = hex(s.charAt(i + 2));
        if (hi < 0 || lo < 0) {
            throw new Rejected("invalid % escape in path");
        }
        return hi << 4 | lo;
    }

    /** An ASCII hex digit's value, or -1; Character.digit would also take non-ASCII digits. */
    private static int hex(char c) {
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

    /** The value of a {@code jsessionid} parameter in the segment's parameters, or null. */
    private static String sessionIdIn(String segment, int semi) {
        String found = null;
        int p = semi + 1;
        while (p <= segment.length()) {
            int next = segment.indexOf(';', p);
            if (next < 0) {
                next = segment.length();
            }
            int eq = segment.indexOf('=', p);
            if (eq >= 0 && eq < next && segment.startsWith(SESSION_PARAM, p) && eq - p == SESSION_PARAM.length()) {
                found = segment.substring(eq + 1, next);
            }
            p = next + 1;
        }
        return found;
    }

    /** Percent-decodes one segment (escapes already validated) and reads the bytes as UTF-8. */
    private static String decode(String segment) {
        if (segment.indexOf('%') < 0) {
            return segment;
        }
        byte[] bytes = new byte[segment.length()];
        int n = 0;
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c == '%') {
                bytes[n++] = (byte) hexByte(segment, i);
                i += 2;
            } else {
                bytes[n++] = (byte) c;
            }
        }
        String decoded;
        try {
            decoded = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, 0, n))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new Rejected("invalid UTF-8 in path");
        }
        // C0 controls and DEL were refused as escapes already; C1 controls can only arrive as
        // two-byte UTF-8 sequences, and the spec's "any control characters" covers them too.
        for (int i = 0; i < decoded.length(); i++) {
            if (Character.isISOControl(decoded.charAt(i))) {
                throw new Rejected("control character in path");
            }
        }
        return decoded;
    }
}
