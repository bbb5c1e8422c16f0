package dev.weft.server;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * An access-log line pattern, compiled once: literal text and %-codes in the style of Apache's
 * mod_log_config and Tomcat's AccessLogValve.
 *
 * <pre>
 * %a %h  client IP address (no DNS lookups)     %A  local IP address     %p  local port
 * %l     "-" (identd)                           %u  authenticated user, or "-"
 * %t     request start, [10/Oct/2000:13:55:36 -0700]
 * %r     request line: method, target, protocol %m  method   %U  path   %q  "?query" or ""   %H  protocol
 * %s     status                                 %b  body bytes, "-" for none   %B  body bytes, 0 for none
 * %D     duration in microseconds               %T  duration in whole seconds
 * %{ms}T %{us}T %{s}T  duration in that unit    %{Name}i  request header, or "-"
 * %I     the connection's thread                %%  a percent sign
 * </pre>
 *
 * Named patterns: {@code common} is {@code %h %l %u %t "%r" %s %b}; {@code combined} adds
 * {@code "%{Referer}i" "%{User-Agent}i"}. Values a client chose (the request line, headers, the
 * user) have quotes, backslashes, control characters and non-ASCII bytes escaped as {@code \"},
 * {@code \\} and {@code \xHH}, so no client can forge a line or break a quoted field.
 */
final class AccessLogFormat {
    static final String COMMON = "%h %l %u %t \"%r\" %s %b";
    static final String COMBINED = COMMON + " \"%{Referer}i\" \"%{User-Agent}i\"";

    /** What one line is made of; {@link AccessLog} fills it from a core request. */
    record Exchange(InetSocketAddress remote, InetSocketAddress local, String method, String target, String proto,
            String user, Function<String, String> header, int status, long bodyBytes, long startMillis,
            long durationNanos) {}

    @FunctionalInterface
    private interface Part {
        void append(StringBuilder b, Exchange e, AccessLogFormat f);
    }

    private final String pattern;
    private final List<Part> parts;
    private final ZoneId zone;
    private final DateTimeFormatter clf;
    private volatile CachedTime cachedTime = new CachedTime(Long.MIN_VALUE, "");

    /** The %t text of one second, shared by every line logged in that second. */
    private record CachedTime(long epochSecond, String text) {}

    private AccessLogFormat(String pattern, List<Part> parts, ZoneId zone) {
        this.pattern = pattern;
        this.parts = parts;
        this.zone = zone;
        this.clf = DateTimeFormatter.ofPattern("'['dd/MMM/yyyy:HH:mm:ss Z']'", Locale.ROOT).withZone(zone);
    }

    static AccessLogFormat compile(String pattern) {
        return compile(pattern, ZoneId.systemDefault());
    }

    /**
     * Compiles {@code pattern} ({@code common}, {@code combined} or %-codes); throws
     * IllegalArgumentException naming the bad code and its position.
     */
    static AccessLogFormat compile(String pattern, ZoneId zone) {
        String p = switch (pattern) {
            case "common" -> COMMON;
            case "combined" -> COMBINED;
            default -> pattern;
        };
        if (p.isEmpty()) {
            throw new IllegalArgumentException("a pattern, not an empty string");
        }
        List<Part> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        for (int i = 0; i < p.length(); i++) {
            char c = p.charAt(i);
            if (c != '%') {
                literal.append(c);
                continue;
            }
            int at = i;
            if (++i >= p.length()) {
                throw new IllegalArgumentException("a code after the % at the end of the pattern");
            }
            String arg = null;
            if (p.charAt(i) == '{') {
                int close = p.indexOf('}', i);
                if (close < 0) {
                    throw new IllegalArgumentException("a } to close the %{ at position " + (at + 1));
                }
                arg = p.substring(i + 1, close);
                i = close + 1;
                if (i >= p.length()) {
                    throw new IllegalArgumentException("a code after %{" + arg + "} at position " + (at + 1));
                }
            }
            char code = p.charAt(i);
            if (code == '%' && arg == null) {
                literal.append('%');
                continue;
            }
            if (!literal.isEmpty()) {
                String text = literal.toString();
                parts.add((b, e, f) -> b.append(text));
                literal.setLength(0);
            }
            parts.add(part(code, arg, at));
        }
        if (!literal.isEmpty()) {
            String text = literal.toString();
            parts.add((b, e, f) -> b.append(text));
        }
        return new AccessLogFormat(p, List.copyOf(parts), zone);
    }

    private static Part part(char code, String arg, int at) {
        if (arg != null) {
            return switch (code) {
                case 'i' -> {
                    if (arg.isEmpty()) {
                        throw new IllegalArgumentException("a header name in %{}i at position " + (at + 1));
                    }
                    yield (b, e, f) -> escapedOrDash(b, e.header().apply(arg));
                }
                case 'T' -> switch (arg) {
                    case "ms" -> (b, e, f) -> b.append(e.durationNanos() / 1_000_000);
                    case "us" -> (b, e, f) -> b.append(e.durationNanos() / 1_000);
                    case "s" -> (b, e, f) -> b.append(e.durationNanos() / 1_000_000_000);
                    default -> throw new IllegalArgumentException("ms, us or s in %{...}T at position " + (at + 1));
                };
                default -> throw new IllegalArgumentException("one of the codes %{Name}i or %{unit}T at position "
                        + (at + 1) + ", not %{" + arg + "}" + code);
            };
        }
        return switch (code) {
            case 'a', 'h' -> (b, e, f) -> address(b, e.remote());
            case 'A' -> (b, e, f) -> address(b, e.local());
            case 'p' -> (b, e, f) -> b.append(e.local() == null ? "-" : Integer.toString(e.local().getPort()));
            case 'l' -> (b, e, f) -> b.append('-');
            case 'u' -> (b, e, f) -> escapedOrDash(b, e.user());
            case 't' -> (b, e, f) -> b.append(f.time(e.startMillis()));
            case 'r' -> (b, e, f) -> {
                if (e.method() == null) {
                    b.append('-');
                    return;
                }
                escape(b, e.method());
                b.append(' ');
                escape(b, e.target());
                b.append(' ');
                escape(b, e.proto());
            };
            case 'm' -> (b, e, f) -> escapedOrDash(b, e.method());
            case 'U' -> (b, e, f) -> escapedOrDash(b, path(e.target()));
            case 'q' -> (b, e, f) -> {
                String q = query(e.target());
                if (q != null) {
                    b.append('?');
                    escape(b, q);
                }
            };
            case 'H' -> (b, e, f) -> escapedOrDash(b, e.proto());
            case 's' -> (b, e, f) -> b.append(e.status());
            case 'b' -> (b, e, f) -> {
                if (e.bodyBytes() <= 0) {
                    b.append('-');
                } else {
                    b.append(e.bodyBytes());
                }
            };
            case 'B' -> (b, e, f) -> b.append(Math.max(0, e.bodyBytes()));
            case 'D' -> (b, e, f) -> b.append(e.durationNanos() / 1_000);
            case 'T' -> (b, e, f) -> b.append(e.durationNanos() / 1_000_000_000);
            case 'I' -> (b, e, f) -> escape(b, Thread.currentThread().getName());
            default -> throw new IllegalArgumentException("a known code at position " + (at + 1) + ", not %" + code
                    + " (codes: %a %A %b %B %D %h %H %I %l %m %p %q %r %s %t %T %u %U %{Name}i %{ms}T %%)");
        };
    }

    /** The pattern with named patterns spelt out. */
    String pattern() {
        return pattern;
    }

    /** One line, without its line end. */
    String format(Exchange e) {
        StringBuilder b = new StringBuilder(160);
        for (Part p : parts) {
            p.append(b, e, this);
        }
        return b.toString();
    }

    private String time(long epochMillis) {
        long second = Math.floorDiv(epochMillis, 1000);
        CachedTime c = cachedTime;
        if (c.epochSecond() != second) {
            c = new CachedTime(second, clf.format(Instant.ofEpochSecond(second)));
            cachedTime = c;
        }
        return c.text();
    }

    private static void address(StringBuilder b, InetSocketAddress a) {
        InetAddress ip = a == null ? null : a.getAddress();
        if (ip == null) {
            b.append('-');
            return;
        }
        String s = ip.getHostAddress();
        int zone = s.indexOf('%');
        b.append(zone >= 0 ? s.substring(0, zone) : s);
    }

    private static String path(String target) {
        if (target == null) {
            return null;
        }
        int q = target.indexOf('?');
        return q < 0 ? target : target.substring(0, q);
    }

    private static String query(String target) {
        if (target == null) {
            return null;
        }
        int q = target.indexOf('?');
        return q < 0 ? null : target.substring(q + 1);
    }

    private static void escapedOrDash(StringBuilder b, String s) {
        if (s == null || s.isEmpty()) {
            b.append('-');
        } else {
            escape(b, s);
        }
    }

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    /**
     * Printable ASCII as it is, but for quote and backslash. The server reads header fields one
     * char per byte (ISO-8859-1), so any other char below 256 is logged as the byte it was, \xHH;
     * a wider char came from elsewhere and is logged as its UTF-8 bytes.
     */
    static void escape(StringBuilder b, String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c >= 0x20 && c < 0x7f) {
                b.append(c);
            } else if (c < 0x100) {
                hex(b, c);
            } else {
                int end = Character.isHighSurrogate(c) && i + 1 < s.length() ? i + 2 : i + 1;
                for (byte x : s.substring(i, end).getBytes(StandardCharsets.UTF_8)) {
                    hex(b, x & 0xff);
                }
                i = end - 1;
            }
        }
    }

    private static void hex(StringBuilder b, int v) {
        b.append("\\x").append(HEX[(v >> 4) & 0xf]).append(HEX[v & 0xf]);
    }
}
