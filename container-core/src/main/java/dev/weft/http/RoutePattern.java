package dev.weft.http;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A parsed {@link ServeMux} pattern, {@code [METHOD ][HOST]/[PATH]}, and the relations between
 * patterns that decide precedence and conflicts (Go 1.22's enhanced routing patterns).
 *
 * <p>The path is held as a list of segments in a form that keeps the algorithms simple: a trailing
 * {@code /} becomes an anonymous multi-segment wildcard (so {@code /a/} is {@code a} followed by
 * {@code {...}}), and a trailing <code>{$}</code> becomes its own {@link Kind#DOLLAR} segment that
 * matches only the empty remainder after a trailing slash. Literal segments are percent-decoded,
 * as request path segments are before they are compared.
 *
 * <p>Immutable.
 */
final class RoutePattern {

    /** What a pattern segment matches. */
    enum Kind {
        /** Exactly one path segment equal to the (decoded) text. */
        LITERAL,
        /** Exactly one path segment, any value; text is the wildcard name. */
        WILD,
        /** The rest of the path, possibly empty; text is the name, empty for a bare trailing slash. */
        MULTI,
        /** The end of the path right after a trailing slash: <code>{$}</code>. */
        DOLLAR
    }

    record Segment(Kind kind, String text) {
        boolean isMulti() {
            return kind == Kind.MULTI;
        }

        boolean isWild() {
            return kind == Kind.WILD || kind == Kind.MULTI;
        }

        @Override
        public String toString() {
            return switch (kind) {
                case LITERAL -> "lit(" + text + ")";
                case WILD -> "wild(" + text + ")";
                case MULTI -> "multi(" + text + ")";
                case DOLLAR -> "dollar";
            };
        }
    }

    /** How the requests matched by one pattern relate to those matched by another. */
    enum Relation {
        /** Both match exactly the same requests. */
        EQUIVALENT,
        /** The first matches everything the second does, and more. */
        MORE_GENERAL,
        /** The second matches everything the first does, and more. */
        MORE_SPECIFIC,
        /** No request matches both. */
        DISJOINT,
        /** Some request matches both, but neither is more specific. */
        OVERLAPS;

        /** The relation seen from the other pattern's side. */
        Relation inverse() {
            return switch (this) {
                case MORE_GENERAL -> MORE_SPECIFIC;
                case MORE_SPECIFIC -> MORE_GENERAL;
                default -> this;
            };
        }

        /**
         * The relation of two patterns split in two parts, where {@code this} is how the first parts
         * relate and {@code other} how the second parts relate.
         */
        Relation combine(Relation other) {
            return switch (this) {
                case EQUIVALENT -> other;
                case DISJOINT -> DISJOINT;
                case OVERLAPS -> other == DISJOINT ? DISJOINT : OVERLAPS;
                case MORE_GENERAL, MORE_SPECIFIC -> {
                    if (other == EQUIVALENT) {
                        yield this;
                    }
                    yield other == inverse() ? OVERLAPS : other;
                }
            };
        }
    }

    /** The pattern exactly as registered. */
    final String text;
    /** The method, or empty for any method. */
    final String method;
    /** The host as written, or empty for any host. */
    final String host;
    /** The host as compared with request hosts: lower case, without IPv6 brackets. */
    final String hostKey;
    final List<Segment> segments;
    /** Names of the named wildcards, in path order; values are recorded in this order. */
    final String[] wildcardNames;

    private RoutePattern(String text, String method, String host, List<Segment> segments) {
        this.text = text;
        this.method = method;
        this.host = host;
        this.hostKey = hostKey(host);
        this.segments = List.copyOf(segments);
        List<String> names = new ArrayList<>();
        for (Segment s : segments) {
            if (s.isWild() && !s.text().isEmpty()) {
                names.add(s.text());
            }
        }
        this.wildcardNames = names.toArray(new String[0]);
    }

    Segment lastSegment() {
        return segments.get(segments.size() - 1);
    }

    @Override
    public String toString() {
        return text;
    }

    // ---------------------------------------------------------------------------------------
    // Parsing

    /**
     * Parses {@code s}. Between the method and the rest, one or more spaces or tabs are accepted,
     * as newer Go releases do.
     *
     * @throws IllegalArgumentException naming the pattern, the offset and what is wrong
     */
    static RoutePattern parse(String s) {
        if (s == null || s.isEmpty()) {
            throw new IllegalArgumentException("invalid pattern \"\": empty pattern");
        }
        String method = "";
        int restStart = 0;
        int restEnd = s.length();
        int ws = indexOfSpaceOrTab(s);
        if (ws >= 0) {
            method = s.substring(0, ws);
            // Leading blanks leave an empty method, which Go accepts as "any method".
            if (!method.isEmpty() && !isToken(method)) {
                throw error(s, 0, "invalid method \"" + method + "\"");
            }
            restStart = ws + 1;
            while (restStart < restEnd && Character.isWhitespace(s.charAt(restStart))) {
                restStart++;
            }
            while (restEnd > restStart && Character.isWhitespace(s.charAt(restEnd - 1))) {
                restEnd--;
            }
        }
        int slash = s.indexOf('/', restStart);
        if (slash < 0 || slash >= restEnd) {
            throw error(s, restStart, "host/path missing /");
        }
        String host = s.substring(restStart, slash);
        int brace = host.indexOf('{');
        if (brace >= 0) {
            throw error(s, restStart + brace, "host contains '{' (missing initial '/'?)");
        }
        String path = s.substring(slash, restEnd);
        // Requests are cleaned (except CONNECT) before matching, so such a pattern never matches.
        if (!method.isEmpty() && !method.equals("CONNECT") && !path.equals(PathClean.clean(path))) {
            throw error(s, slash, "non-CONNECT pattern with unclean path can never match");
        }

        List<Segment> segs = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        int i = slash; // invariant: s.charAt(i) == '/'
        while (i < restEnd) {
            int start = i + 1;
            if (start == restEnd) {
                segs.add(new Segment(Kind.MULTI, "")); // trailing slash
                break;
            }
            int end = s.indexOf('/', start);
            if (end < 0 || end > restEnd) {
                end = restEnd;
            }
            String seg = s.substring(start, end);
            boolean last = end == restEnd;
            int open = seg.indexOf('{');
            if (open < 0) {
                segs.add(new Segment(Kind.LITERAL, unescape(seg)));
            } else {
                if (open != 0) {
                    throw error(s, start, "bad wildcard segment (must start with '{')");
                }
                if (seg.charAt(seg.length() - 1) != '}' || seg.length() < 2) {
                    throw error(s, start, "bad wildcard segment (must end with '}')");
                }
                String name = seg.substring(1, seg.length() - 1);
                if (name.equals("$")) {
                    if (!last) {
                        throw error(s, start, "{$} not at end");
                    }
                    segs.add(new Segment(Kind.DOLLAR, ""));
                    break;
                }
                boolean multi = name.endsWith("...");
                if (multi) {
                    name = name.substring(0, name.length() - 3);
                    if (!last) {
                        throw error(s, start, "{...} wildcard not at end");
                    }
                }
                if (name.isEmpty()) {
                    throw error(s, start, "empty wildcard");
                }
                if (!isValidWildcardName(name)) {
                    throw error(s, start, "bad wildcard name \"" + name + "\"");
                }
                if (!seen.add(name)) {
                    throw error(s, start, "duplicate wildcard name \"" + name + "\"");
                }
                segs.add(new Segment(multi ? Kind.MULTI : Kind.WILD, name));
            }
            i = end;
        }
        return new RoutePattern(s, method, host, segs);
    }

    private static IllegalArgumentException error(String pattern, int offset, String message) {
        return new IllegalArgumentException(
                "invalid pattern \"" + pattern + "\": at offset " + offset + ": " + message);
    }

    private static int indexOfSpaceOrTab(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (isSpaceOrTab(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    private static boolean isSpaceOrTab(char c) {
        return c == ' ' || c == '\t';
    }

    /** An HTTP token (RFC 9110 §5.6.2), as a method must be. */
    static boolean isToken(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** A Go identifier: a letter or {@code _}, then letters, digits and {@code _} (Unicode). */
    static boolean isValidWildcardName(String s) {
        if (s.isEmpty()) {
            return false;
        }
        boolean first = true;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            boolean ok = Character.isLetter(cp) || cp == '_' || (!first && Character.isDigit(cp));
            if (!ok) {
                return false;
            }
            first = false;
            i += Character.charCount(cp);
        }
        return true;
    }

    /**
     * Decodes %XX escapes as UTF-8; a string with a malformed escape is returned unchanged, as Go's
     * ServeMux does. {@code +} stays as it is.
     */
    static String unescape(String s) {
        int pct = s.indexOf('%');
        if (pct < 0) {
            return s;
        }
        for (int i = pct; i >= 0; i = s.indexOf('%', i + 1)) {
            if (i + 2 >= s.length() || Character.digit(s.charAt(i + 1), 16) < 0
                    || Character.digit(s.charAt(i + 2), 16) < 0) {
                return s;
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                out.write((Character.digit(s.charAt(i + 1), 16) << 4) | Character.digit(s.charAt(i + 2), 16));
                i += 2;
            } else if (c < 0x80) {
                out.write(c);
            } else {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                out.write(b, 0, b.length);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** The key a pattern host is compared by: lower case, IPv6 literal brackets removed. */
    static String hostKey(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.length() >= 2 && h.charAt(0) == '[' && h.charAt(h.length() - 1) == ']') {
            h = h.substring(1, h.length() - 1);
        }
        return h;
    }

    // ---------------------------------------------------------------------------------------
    // Relations

    /**
     * Whether some request matches both patterns while neither takes precedence. Precedence: a
     * pattern with a host beats one without; otherwise the pattern whose method and path match a
     * strict subset of the other's requests wins.
     */
    boolean conflictsWith(RoutePattern other) {
        if (!hostKey.equals(other.hostKey)) {
            // Either only one has a host, and it wins, or the hosts differ and nothing matches both.
            return false;
        }
        Relation r = compareMethodsAndPaths(other);
        return r == Relation.EQUIVALENT || r == Relation.OVERLAPS;
    }

    Relation compareMethodsAndPaths(RoutePattern other) {
        Relation m = compareMethods(other);
        if (m == Relation.DISJOINT) {
            return m;
        }
        return m.combine(comparePaths(other));
    }

    /** No method matches all; GET matches GET and HEAD; any other method only itself. */
    Relation compareMethods(RoutePattern other) {
        if (method.equals(other.method)) {
            return Relation.EQUIVALENT;
        }
        if (method.isEmpty()) {
            return Relation.MORE_GENERAL;
        }
        if (other.method.isEmpty()) {
            return Relation.MORE_SPECIFIC;
        }
        if (method.equals("GET") && other.method.equals("HEAD")) {
            return Relation.MORE_GENERAL;
        }
        if (method.equals("HEAD") && other.method.equals("GET")) {
            return Relation.MORE_SPECIFIC;
        }
        return Relation.DISJOINT;
    }

    /** How the sets of paths the two patterns match relate. */
    Relation comparePaths(RoutePattern other) {
        List<Segment> a = segments;
        List<Segment> b = other.segments;
        boolean aMulti = lastSegment().isMulti();
        boolean bMulti = other.lastSegment().isMulti();
        // Without a trailing multi, a pattern matches only paths of its own length.
        if (a.size() != b.size() && !aMulti && !bMulti) {
            return Relation.DISJOINT;
        }
        Relation rel = Relation.EQUIVALENT;
        int n = Math.min(a.size(), b.size());
        for (int i = 0; i < n; i++) {
            rel = rel.combine(compareSegments(a.get(i), b.get(i)));
            if (rel == Relation.DISJOINT) {
                return rel;
            }
        }
        if (a.size() == b.size()) {
            return rel;
        }
        // The shorter one can only match the longer one's extra segments with its final multi,
        // which is more general than whatever they are.
        if (a.size() < b.size() && aMulti) {
            return rel.combine(Relation.MORE_GENERAL);
        }
        if (b.size() < a.size() && bMulti) {
            return rel.combine(Relation.MORE_SPECIFIC);
        }
        return Relation.DISJOINT;
    }

    static Relation compareSegments(Segment a, Segment b) {
        if (a.isMulti() || b.isMulti()) {
            if (a.isMulti() && b.isMulti()) {
                return Relation.EQUIVALENT;
            }
            return a.isMulti() ? Relation.MORE_GENERAL : Relation.MORE_SPECIFIC;
        }
        boolean aWild = a.kind() == Kind.WILD;
        boolean bWild = b.kind() == Kind.WILD;
        if (aWild && bWild) {
            return Relation.EQUIVALENT;
        }
        if (aWild) {
            // A single wildcard never matches the end after a trailing slash.
            return b.kind() == Kind.DOLLAR ? Relation.DISJOINT : Relation.MORE_GENERAL;
        }
        if (bWild) {
            return a.kind() == Kind.DOLLAR ? Relation.DISJOINT : Relation.MORE_SPECIFIC;
        }
        return a.kind() == b.kind() && a.text().equals(b.text()) ? Relation.EQUIVALENT : Relation.DISJOINT;
    }

    // ---------------------------------------------------------------------------------------
    // Explaining conflicts

    /** Why two conflicting patterns conflict, for the registration error. */
    static String describeConflict(RoutePattern p1, RoutePattern p2) {
        Relation m = p1.compareMethods(p2);
        Relation p = p1.comparePaths(p2);
        Relation r = m.combine(p);
        if (r == Relation.EQUIVALENT) {
            return p1 + " matches the same requests as " + p2;
        }
        if (r != Relation.OVERLAPS) {
            throw new IllegalStateException("patterns " + p1 + " and " + p2 + " do not conflict");
        }
        if (p == Relation.OVERLAPS) {
            return p1 + " and " + p2 + " both match some paths, like \"" + commonPath(p1, p2) + "\".\n"
                    + "But neither is more specific than the other.\n"
                    + p1 + " matches \"" + differencePath(p1, p2) + "\", but " + p2 + " doesn't.\n"
                    + p2 + " matches \"" + differencePath(p2, p1) + "\", but " + p1 + " doesn't.";
        }
        if (m == Relation.MORE_GENERAL && p == Relation.MORE_SPECIFIC) {
            return p1 + " matches more methods than " + p2 + ", but has a more specific path pattern";
        }
        if (m == Relation.MORE_SPECIFIC && p == Relation.MORE_GENERAL) {
            return p1 + " matches fewer methods than " + p2 + ", but has a more general path pattern";
        }
        return "unexpected conflict between " + p1 + " and " + p2 + ": methods " + m + ", paths " + p;
    }

    /** A path both patterns match; they must overlap. */
    static String commonPath(RoutePattern p1, RoutePattern p2) {
        StringBuilder b = new StringBuilder();
        List<Segment> a = p1.segments;
        List<Segment> c = p2.segments;
        int n = Math.min(a.size(), c.size());
        for (int i = 0; i < n; i++) {
            appendSegment(b, a.get(i).isWild() ? c.get(i) : a.get(i));
        }
        appendRest(b, a.size() > n ? a : c, n);
        return b.toString();
    }

    /** A path that p1 matches and p2 does not; p1 must overlap or be more general than p2. */
    static String differencePath(RoutePattern p1, RoutePattern p2) {
        StringBuilder b = new StringBuilder();
        List<Segment> a = p1.segments;
        List<Segment> c = p2.segments;
        int n = Math.min(a.size(), c.size());
        for (int i = 0; i < n; i++) {
            Segment s1 = a.get(i);
            Segment s2 = c.get(i);
            if (s1.isMulti()) {
                b.append('/');
                if (!s2.isMulti() && s2.kind() == Kind.DOLLAR) {
                    // Anything non-empty is missed by {$}; prefer the wildcard's name.
                    b.append(s1.text().isEmpty() ? "x" : s1.text());
                }
                // Otherwise a bare trailing slash already tells them apart (or nothing further will).
                return b.toString();
            }
            if (s1.kind() == Kind.WILD && s2.kind() == Kind.LITERAL && s1.text().equals(s2.text())) {
                // Any value but the literal works; tweak the literal.
                b.append('/').append(s2.text()).append('x');
            } else {
                appendSegment(b, s1);
            }
        }
        appendRest(b, a.size() > n ? a : c, n);
        return b.toString();
    }

    private static void appendRest(StringBuilder b, List<Segment> segs, int from) {
        for (int i = from; i < segs.size(); i++) {
            appendSegment(b, segs.get(i));
        }
    }

    /** Writes a path piece the segment matches: a wildcard's name stands for its value. */
    private static void appendSegment(StringBuilder b, Segment s) {
        b.append('/');
        if (!s.isMulti() && s.kind() != Kind.DOLLAR) {
            b.append(s.text());
        }
    }
}
