package dev.weft.servlet;

import jakarta.servlet.http.Cookie;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Cookies on the wire, RFC 6265: {@link #parse} reads {@code Cookie} request fields the way
 * Tomcat's RFC 6265 cookie processor does, and {@link #toSetCookie} writes a {@code Set-Cookie}
 * value, refusing anything that could end the attribute or the field early.
 */
final class Cookies {
    private Cookies() {}

    private static final Cookie[] NONE = new Cookie[0];

    /** Attributes {@link #toSetCookie} writes itself, or drops (Comment: Servlet 6 ignores it). */
    private static final Set<String> HANDLED = Set.of(
            "comment", "domain", "max-age", "path", "secure", "httponly", "samesite", "partitioned");

    /**
     * The cookies of every {@code Cookie} field value, in order. A pair that is not
     * {@code token=cookie-value} is skipped, not the whole field: one bad cookie, often set by
     * some other application on the same domain, must not hide the others.
     *
     * <p>As Tomcat does: quoted values keep their quotes (RFC 6265 makes them part of the value);
     * bytes 0x80-0xFF are allowed in values and read as UTF-8, which browsers send; a name with no
     * {@code =} is dropped; {@code $Version} and friends are plain cookies, RFC 2109 being dead.
     */
    static Cookie[] parse(List<String> cookieHeaderValues) {
        if (cookieHeaderValues == null || cookieHeaderValues.isEmpty()) {
            return NONE;
        }
        List<Cookie> out = new ArrayList<>();
        for (String field : cookieHeaderValues) {
            if (field == null) {
                continue;
            }
            int start = 0;
            while (start <= field.length()) {
                int end = field.indexOf(';', start);
                if (end < 0) {
                    end = field.length();
                }
                Cookie c = pair(field, start, end);
                if (c != null) {
                    out.add(c);
                }
                start = end + 1;
            }
        }
        return out.toArray(NONE);
    }

    /** The cookie in {@code field[start, end)}, or null if that pair is empty or malformed. */
    private static Cookie pair(String field, int start, int end) {
        int eq = field.indexOf('=', start);
        if (eq < 0 || eq >= end) {
            return null;
        }
        String name = trimOws(field, start, eq);
        String value = trimOws(field, eq + 1, end);
        if (!isToken(name) || !isCookieValue(value, true)) {
            return null;
        }
        value = utf8(value);
        if (value == null) {
            return null;
        }
        try {
            return new Cookie(name, value);
        } catch (IllegalArgumentException e) {
            return null; // a name the Cookie class refuses to represent
        }
    }

    /**
     * Field values arrive as ISO-8859-1, one char per byte; a value with bytes past ASCII is
     * re-read as UTF-8, and is dropped when it is not UTF-8 at all.
     */
    private static String utf8(String value) {
        boolean ascii = true;
        for (int i = 0; i < value.length() && ascii; i++) {
            ascii = value.charAt(i) < 0x80;
        }
        if (ascii) {
            return value;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(value.getBytes(StandardCharsets.ISO_8859_1)))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** The {@code Set-Cookie} field value for {@code c}, with Expires counted from now. */
    static String toSetCookie(Cookie c) {
        return toSetCookie(c, System.currentTimeMillis());
    }

    /**
     * The {@code Set-Cookie} field value for {@code c}: name=value, then Max-Age with the
     * Expires it implies, Domain, Path, Secure, HttpOnly, SameSite, Partitioned, and then every
     * other attribute in the cookie's own (name) order, so equal cookies give equal fields.
     *
     * @throws IllegalArgumentException if the name, the value or an attribute holds a character
     *     RFC 6265 does not allow there (in particular any CTL or {@code ;})
     */
    static String toSetCookie(Cookie c, long nowMillis) {
        String name = c.getName();
        if (!isToken(name)) {
            throw new IllegalArgumentException("invalid cookie name: " + name);
        }
        String value = c.getValue() == null ? "" : c.getValue();
        if (!isCookieValue(value, false)) {
            throw new IllegalArgumentException("invalid character in value of cookie " + name);
        }
        StringBuilder b = new StringBuilder(64).append(name).append('=').append(value);
        Map<String, String> attrs = c.getAttributes();

        boolean expiresWritten = false;
        // The Cookie class keeps Max-Age an int: setAttribute refuses anything else.
        int maxAge = c.getMaxAge();
        // A negative Max-Age means a session cookie, which is the absence of both attributes.
        if (maxAge >= 0) {
            // Expires as well, for the clients that still ignore Max-Age; expiring now is said
            // with the epoch, since a clock-skewed "now" might still lie in the client's future.
            long expires = maxAge == 0 ? 0 : nowMillis + maxAge * 1000L;
            b.append("; Max-Age=").append(maxAge);
            b.append("; Expires=").append(HttpDates.format(expires));
            expiresWritten = true;
        }

        String domain = attrs.get("Domain");
        if (domain != null && !domain.isEmpty()) {
            if (!isDomain(domain)) {
                throw new IllegalArgumentException("invalid Domain of cookie " + name + ": " + domain);
            }
            b.append("; Domain=").append(domain);
        }
        String path = attrs.get("Path");
        if (path != null && !path.isEmpty()) {
            checkAttributeValue(name, "Path", path);
            b.append("; Path=").append(path);
        }
        if (c.getSecure()) {
            b.append("; Secure");
        }
        if (c.isHttpOnly()) {
            b.append("; HttpOnly");
        }
        String sameSite = attrs.get("SameSite");
        if (sameSite != null) {
            appendAttribute(b, name, "SameSite", sameSite);
        }
        String partitioned = attrs.get("Partitioned");
        // A flag, like Secure and HttpOnly, which the Cookie class also reads as booleans.
        if (partitioned != null && !partitioned.equalsIgnoreCase("false")) {
            b.append("; Partitioned");
        }

        for (Map.Entry<String, String> e : attrs.entrySet()) {
            String key = e.getKey();
            String lower = key.toLowerCase(Locale.ROOT);
            if (HANDLED.contains(lower) || (expiresWritten && lower.equals("expires")) || e.getValue() == null) {
                continue;
            }
            if (!isToken(key)) {
                throw new IllegalArgumentException("invalid attribute name on cookie " + name + ": " + key);
            }
            appendAttribute(b, name, key, e.getValue());
        }
        return b.toString();
    }

    /** {@code ; key=value}, or {@code ; key} for an empty value. */
    private static void appendAttribute(StringBuilder b, String cookie, String key, String value) {
        checkAttributeValue(cookie, key, value);
        b.append("; ").append(key);
        if (!value.isEmpty()) {
            b.append('=').append(value);
        }
    }

    /** av-octet: any CHAR except CTLs or {@code ;} (RFC 6265 §4.1.1). */
    private static void checkAttributeValue(String cookie, String key, String value) {
        for (int i = 0; i < value.length(); i++) {
            char ch = value.charAt(i);
            if (ch < 0x20 || ch > 0x7e || ch == ';') {
                throw new IllegalArgumentException("invalid character in " + key + " of cookie " + cookie);
            }
        }
    }

    /**
     * cookie-value = *cookie-octet / ( DQUOTE *cookie-octet DQUOTE ). Received values may also
     * carry bytes 0x80-0xFF (UTF-8); values Weft sends may not, since a field is octets and RFC
     * 6265 gives no charset for them.
     */
    private static boolean isCookieValue(String v, boolean allow8bit) {
        int from = 0;
        int to = v.length();
        if (to >= 2 && v.charAt(0) == '"' && v.charAt(to - 1) == '"') {
            from = 1;
            to--;
        }
        for (int i = from; i < to; i++) {
            char ch = v.charAt(i);
            boolean octet = ch == 0x21 || (ch >= 0x23 && ch <= 0x2b) || (ch >= 0x2d && ch <= 0x3a)
                    || (ch >= 0x3c && ch <= 0x5b) || (ch >= 0x5d && ch <= 0x7e);
            if (!octet && !(allow8bit && ch >= 0x80 && ch <= 0xff)) {
                return false;
            }
        }
        return true;
    }

    /**
     * A host name of letters, digits and hyphens in dot-separated labels that neither start nor
     * end with a hyphen. One leading dot is allowed: RFC 6265 §5.2.3 has clients ignore it, and
     * the Servlet API's own Javadoc still shows {@code .example.com}.
     */
    private static boolean isDomain(String d) {
        int start = d.charAt(0) == '.' ? 1 : 0;
        if (start == d.length()) {
            return false;
        }
        int labelStart = start;
        for (int i = start; i <= d.length(); i++) {
            char ch = i == d.length() ? '.' : d.charAt(i);
            if (ch == '.') {
                if (i == labelStart || d.charAt(labelStart) == '-' || d.charAt(i - 1) == '-') {
                    return false;
                }
                labelStart = i + 1;
            } else if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9')
                    || ch == '-')) {
                return false;
            }
        }
        return true;
    }

    /** token = 1*tchar (RFC 9110 §5.6.2). */
    static boolean isToken(String s) {
        if (s == null || s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            boolean tchar = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9')
                    || "!#$%&'*+-.^_`|~".indexOf(ch) >= 0;
            if (!tchar) {
                return false;
            }
        }
        return true;
    }

    /** {@code s[from, to)} without leading and trailing SP and HTAB. */
    private static String trimOws(String s, int from, int to) {
        while (from < to && (s.charAt(from) == ' ' || s.charAt(from) == '\t')) {
            from++;
        }
        while (to > from && (s.charAt(to - 1) == ' ' || s.charAt(to - 1) == '\t')) {
            to--;
        }
        return s.substring(from, to);
    }
}
