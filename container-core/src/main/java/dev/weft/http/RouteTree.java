package dev.weft.http;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The decision tree {@link ServeMux} matches requests with: the first level branches on the host,
 * the second on the method, the rest on consecutive path segments.
 *
 * <p>The tree is persistent: {@link #with} returns a new tree that shares every node off the path
 * to the new pattern, and a published tree is never changed. Readers therefore need no lock; they
 * just read the current tree from a volatile field.
 *
 * <p>At each path position a literal child is tried first, then the single wildcard child, then the
 * multi wildcard. Registration rejects conflicting patterns, so this order always finds the most
 * specific match, with backtracking when a literal branch fails deeper down (given {@code /a/b/z}
 * and <code>/a/{x}/c</code>, the path {@code /a/b/c} fails in the first and matches the second).
 */
final class RouteTree {

    /** A registered pattern and its handler. */
    record Leaf(RoutePattern pattern, Handler handler) {}

    /** One position in a path: what may follow. Never changed once part of a published tree. */
    static final class Node {
        static final Node EMPTY = new Node(null, null, null, Map.of(), null);

        /** The pattern that ends exactly here (the path has no more segments). */
        final Leaf end;
        /** The <code>{$}</code> pattern: the path ends here with a trailing slash. */
        final Leaf dollar;
        /** The pattern whose multi wildcard (or trailing slash) takes the rest of the path from here. */
        final Leaf multi;
        final Map<String, Node> literals;
        final Node wild;

        Node(Leaf end, Leaf dollar, Leaf multi, Map<String, Node> literals, Node wild) {
            this.end = end;
            this.dollar = dollar;
            this.multi = multi;
            this.literals = literals;
            this.wild = wild;
        }

        /** A copy of this node (or a new one for null) with the pattern's segments from {@code i} added. */
        static Node add(Node n, List<RoutePattern.Segment> segs, int i, Leaf leaf) {
            if (n == null) {
                n = EMPTY;
            }
            if (i == segs.size()) {
                requireFree(n.end, leaf);
                return new Node(leaf, n.dollar, n.multi, n.literals, n.wild);
            }
            RoutePattern.Segment s = segs.get(i);
            switch (s.kind()) {
                case MULTI -> {
                    requireFree(n.multi, leaf);
                    return new Node(n.end, n.dollar, leaf, n.literals, n.wild);
                }
                case DOLLAR -> {
                    requireFree(n.dollar, leaf);
                    return new Node(n.end, leaf, n.multi, n.literals, n.wild);
                }
                case WILD -> {
                    return new Node(n.end, n.dollar, n.multi, n.literals, add(n.wild, segs, i + 1, leaf));
                }
                default -> {
                    Map<String, Node> lits = new HashMap<>(n.literals);
                    lits.put(s.text(), add(n.literals.get(s.text()), segs, i + 1, leaf));
                    return new Node(n.end, n.dollar, n.multi, Map.copyOf(lits), n.wild);
                }
            }
        }

        private static void requireFree(Leaf existing, Leaf leaf) {
            if (existing != null) {
                // Registration checks conflicts first, so equivalent patterns never get here.
                throw new IllegalStateException(
                        "pattern " + leaf.pattern() + " collides with " + existing.pattern());
            }
        }
    }

    /** The patterns of one host (or of no host): by method, and those for any method. */
    record HostNode(Map<String, Node> methods, Node anyMethod) {
        static final HostNode EMPTY = new HostNode(Map.of(), null);
    }

    static final RouteTree EMPTY = new RouteTree(Map.of(), 0, Map.of());

    /** Keyed by {@link RoutePattern#hostKey}; the empty key holds the patterns without a host. */
    private final Map<String, HostNode> hosts;
    /** The most named wildcards any pattern has. */
    final int maxWildcards;
    private final boolean hasHostPatterns;
    /**
     * The patterns without a host or wildcards, by method ({@code ""} for any) and then by path,
     * each with its match made once: most requests go to such a pattern, and finding it this way
     * allocates nothing. Registration rejects patterns whose precedence would differ from the
     * tree's (a literal path for any method against a wildcard for one method is a conflict), so
     * this finds what {@link #match} would.
     */
    private final Map<String, Map<String, Match>> literals;

    private RouteTree(Map<String, HostNode> hosts, int maxWildcards, Map<String, Map<String, Match>> literals) {
        this.hosts = hosts;
        this.maxWildcards = maxWildcards;
        this.hasHostPatterns = hosts.size() > (hosts.containsKey("") ? 1 : 0);
        this.literals = literals;
    }

    /** Whether any pattern names a host; if not, matching need not look at the request's host. */
    boolean hasHostPatterns() {
        return hasHostPatterns;
    }

    /** A new tree that also holds {@code p}; this one is left as it is. */
    RouteTree with(RoutePattern p, Handler h) {
        Leaf leaf = new Leaf(p, h);
        HostNode hn = hosts.getOrDefault(p.hostKey, HostNode.EMPTY);
        HostNode updated;
        if (p.method.isEmpty()) {
            updated = new HostNode(hn.methods(), Node.add(hn.anyMethod(), p.segments, 0, leaf));
        } else {
            Map<String, Node> methods = new HashMap<>(hn.methods());
            methods.put(p.method, Node.add(methods.get(p.method), p.segments, 0, leaf));
            updated = new HostNode(Map.copyOf(methods), hn.anyMethod());
        }
        Map<String, HostNode> newHosts = new HashMap<>(hosts);
        newHosts.put(p.hostKey, updated);
        Map<String, Map<String, Match>> newLiterals = literals;
        String literalPath = p.hostKey.isEmpty() ? literalPath(p) : null;
        if (literalPath != null) {
            Match m = new Match(0);
            m.leaf = leaf;
            m.exact = true;
            Map<String, Match> byPath = new HashMap<>(literals.getOrDefault(p.method, Map.of()));
            byPath.put(literalPath, m);
            Map<String, Map<String, Match>> byMethod = new HashMap<>(literals);
            byMethod.put(p.method, Map.copyOf(byPath));
            newLiterals = Map.copyOf(byMethod);
        }
        return new RouteTree(Map.copyOf(newHosts), Math.max(maxWildcards, p.wildcardNames.length), newLiterals);
    }

    /**
     * The one request path a pattern of literal segments matches, as it arrives unescaped; null for
     * patterns with wildcards, a trailing slash, or segments that a request could only spell escaped.
     */
    private static String literalPath(RoutePattern p) {
        if (p.segments.isEmpty()) {
            return null;
        }
        StringBuilder b = new StringBuilder();
        for (RoutePattern.Segment s : p.segments) {
            if (s.kind() != RoutePattern.Kind.LITERAL || s.text().isEmpty() || s.text().indexOf('/') >= 0
                    || s.text().indexOf('%') >= 0 || s.text().equals(".") || s.text().equals("..")) {
                return null;
            }
            b.append('/').append(s.text());
        }
        return b.toString();
    }

    /**
     * The match for a literal pattern of no host, or null when there is none and the tree must be
     * asked. {@code path} must be clean and contain no {@code %}. The match is shared: read only.
     */
    Match literalMatch(String method, String path) {
        if (literals.isEmpty()) {
            return null;
        }
        Map<String, Match> byPath = literals.get(method);
        Match m = byPath == null ? null : byPath.get(path);
        if (m == null && method.equals("HEAD") && (byPath = literals.get("GET")) != null) {
            m = byPath.get(path);
        }
        if (m == null && (byPath = literals.get("")) != null) {
            m = byPath.get(path);
        }
        return m;
    }

    // ---------------------------------------------------------------------------------------
    // Matching

    /**
     * A request path split for matching: segments decoded one by one, so an escaped {@code %2F} stays
     * inside its segment. {@code /a/b/} has the segments {@code a} and {@code b} and a trailing slash;
     * {@code /} has no segment and a trailing slash.
     */
    static final class Path {
        final String raw;
        final String[] segments;
        /** Where each segment starts in {@link #raw}, just after its slash. */
        final int[] starts;
        final int count;
        final boolean trailingSlash;

        /** {@code raw} must start with {@code /}. */
        Path(String raw) {
            this.raw = raw;
            int n = raw.length();
            int slashes = 0;
            for (int i = 0; i < n; i++) {
                if (raw.charAt(i) == '/') {
                    slashes++;
                }
            }
            trailingSlash = raw.charAt(n - 1) == '/';
            count = trailingSlash ? slashes - 1 : slashes;
            segments = new String[count];
            starts = new int[count];
            int start = 1;
            for (int k = 0; k < count; k++) {
                int end = raw.indexOf('/', start);
                if (end < 0) {
                    end = n;
                }
                starts[k] = start;
                segments[k] = RoutePattern.unescape(raw.substring(start, end));
                start = end + 1;
            }
        }

        /** The decoded rest of the path from segment {@code k} on, trailing slash included. */
        String rest(int k) {
            return RoutePattern.unescape(raw.substring(starts[k]));
        }
    }

    /** The result of a match: the leaf, the wildcard values in pattern order, and whether it was exact. */
    static final class Match {
        Leaf leaf;
        final String[] values;
        int valueCount;
        /**
         * False when a multi wildcard (or trailing slash) took a non-empty rest of the path: then a
         * request for the path plus {@code /} may be redirected to.
         */
        boolean exact;

        Match(int maxWildcards) {
            values = new String[Math.max(maxWildcards, 1)];
        }
    }

    /**
     * The most specific pattern matching the request, or null. Patterns of the host {@code hostKey}
     * win over patterns without a host; {@code hostKey} may be empty.
     */
    Match match(String hostKey, String method, Path path) {
        Match m = new Match(maxWildcards);
        if (!hostKey.isEmpty()) {
            HostNode hn = hosts.get(hostKey);
            if (hn != null && matchMethod(hn, method, path, m)) {
                return m;
            }
        }
        HostNode any = hosts.get("");
        if (any != null && matchMethod(any, method, path, m)) {
            return m;
        }
        return null;
    }

    private static boolean matchMethod(HostNode hn, String method, Path path, Match m) {
        Node n = hn.methods().get(method);
        if (n != null && matchPath(n, path, 0, 0, m)) {
            return true;
        }
        if (method.equals("HEAD")) {
            n = hn.methods().get("GET");
            if (n != null && matchPath(n, path, 0, 0, m)) {
                return true;
            }
        }
        return hn.anyMethod() != null && matchPath(hn.anyMethod(), path, 0, 0, m);
    }

    /** Matches segment {@code i} on from node {@code n}, with {@code k} values captured so far. */
    private static boolean matchPath(Node n, Path path, int i, int k, Match m) {
        if (i == path.count) {
            if (!path.trailingSlash) {
                return n.end != null && found(m, n.end, k, true);
            }
            if (n.dollar != null) {
                return found(m, n.dollar, k, true);
            }
            return n.multi != null && found(m, n.multi, capture(m, n.multi, k, ""), true);
        }
        String seg = path.segments[i];
        Node lit = n.literals.get(seg);
        if (lit != null && matchPath(lit, path, i + 1, k, m)) {
            return true;
        }
        if (n.wild != null) {
            m.values[k] = seg;
            if (matchPath(n.wild, path, i + 1, k + 1, m)) {
                return true;
            }
        }
        if (n.multi != null) {
            return found(m, n.multi, capture(m, n.multi, k, path.rest(i)), false);
        }
        return false;
    }

    /** Records a multi wildcard's value unless it is the anonymous one of a trailing slash. */
    private static int capture(Match m, Leaf multi, int k, String value) {
        if (multi.pattern().lastSegment().text().isEmpty()) {
            return k;
        }
        m.values[k] = value;
        return k + 1;
    }

    private static boolean found(Match m, Leaf leaf, int k, boolean exact) {
        m.leaf = leaf;
        m.valueCount = k;
        m.exact = exact;
        return true;
    }

    /**
     * Adds to {@code out} every method that has a pattern matching the host and path, with HEAD
     * wherever GET is. Patterns for any method are not looked at: this serves the 405 response
     * after nothing matched the request's own method.
     */
    void allowedMethods(String hostKey, Path path, Set<String> out) {
        Match scratch = new Match(maxWildcards);
        if (!hostKey.isEmpty()) {
            addMethods(hosts.get(hostKey), path, out, scratch);
        }
        addMethods(hosts.get(""), path, out, scratch);
        if (out.contains("GET")) {
            out.add("HEAD");
        }
    }

    private static void addMethods(HostNode hn, Path path, Set<String> out, Match scratch) {
        if (hn == null) {
            return;
        }
        for (Map.Entry<String, Node> e : hn.methods().entrySet()) {
            if (!out.contains(e.getKey()) && matchPath(e.getValue(), path, 0, 0, scratch)) {
                out.add(e.getKey());
            }
        }
    }
}
