package dev.weft.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An HTTP request multiplexer, Go's {@code http.ServeMux} with the enhanced patterns of Go 1.22+.
 * It matches each request against the registered patterns and calls the handler of the most
 * specific one.
 *
 * <h2>Patterns</h2>
 *
 * A pattern is {@code [METHOD ][HOST]/[PATH]}:
 * <ul>
 *   <li>{@code "/index.html"} matches the path {@code /index.html} for any host and method;
 *   <li>{@code "GET /static/"} matches a GET (or HEAD) request whose path starts with {@code /static/};
 *   <li>{@code "example.com/"} matches any request to the host {@code example.com};
 *   <li><code>"example.com/{$}"</code> matches requests to {@code example.com} for the path {@code /};
 *   <li><code>"/b/{bucket}/o/{objectname...}"</code> matches paths whose first segment is {@code b}
 *       and whose third is {@code o}; {@link Request#pathValue} gives the second segment as
 *       {@code bucket} and the rest of the path as {@code objectname}.
 * </ul>
 *
 * <p>A method, if present, is an HTTP token followed by a space (like newer Go releases, any run of
 * spaces and tabs is accepted). A pattern without a method matches every method; {@code GET} also
 * matches {@code HEAD}; any other method matches only itself, case-sensitively. The host is
 * everything before the first {@code /}; a pattern with a host matches only requests for that
 * host, compared ignoring case and without the request's port (so a pattern host with a port
 * matches only CONNECT requests, see below). The brackets of an IPv6 literal do not matter:
 * {@code [::1]/} and {@code ::1/} both match a request for {@code [::1]:8080}.
 *
 * <p>Path segments are literals, matched case-sensitively, or wildcards that fill a whole segment:
 * <code>{name}</code> matches one segment, <code>{name...}</code> (last only) the rest of the path,
 * slashes included. Names are Go identifiers and distinct within a pattern. A trailing slash acts
 * as an anonymous <code>{...}</code> and so matches a whole subtree, unless it is followed by
 * <code>{$}</code>, which matches only the end of the path. Patterns and request paths are both
 * percent-decoded segment by segment: {@code /a%2Fb/100%25} has the two segments {@code a/b} and
 * {@code 100%}, and the pattern {@code /a%2fb/} matches it while {@code /a/b/} does not.
 *
 * <h2>Precedence and conflicts</h2>
 *
 * If several patterns match a request, the most specific one wins: P1 is more specific than P2 if
 * P2 matches every request P1 matches, and more. Literal segments beat wildcards, {@code {x}} beats
 * {@code {x...}}, {@code /a/{$}} beats {@code /a/}, a method beats no method, HEAD beats GET for a
 * HEAD request. As an exception, a pattern with a host beats one without. Registering a pattern
 * that conflicts with one already registered (some request matches both and neither is more
 * specific, or both match exactly the same requests) fails with an {@link IllegalArgumentException}
 * naming both.
 *
 * <h2>Redirects and errors</h2>
 *
 * <ul>
 *   <li>A path that is not clean (repeated slashes, {@code .} or {@code ..} segments, no leading
 *       slash) is answered with a 301 to the cleaned path, query kept.
 *   <li>If a registered subtree such as {@code /images/} (or <code>/images/{rest...}</code>) would
 *       match {@code /images/} exactly and nothing matches {@code /images} exactly, a request for
 *       {@code /images} is answered with a 301 to {@code /images/}, query kept.
 *   <li>If no pattern matches but some match the path with other methods, the answer is 405 with an
 *       {@code Allow} header listing those methods; otherwise 404 {@code "404 page not found"}.
 *   <li>A request whose target is {@code *} gets 400, as in Go.
 * </ul>
 *
 * <h2>CONNECT</h2>
 *
 * CONNECT requests are neither cleaned nor redirected. They carry no path (the target is the
 * authority {@code host:port}), so they are matched as if for the path {@code /}: register
 * {@code "CONNECT /"} to take every CONNECT request. Their host is compared as it is, port
 * included, so {@code "CONNECT example.com:443/"} takes only tunnels to {@code example.com:443}.
 *
 * <h2>Concurrency</h2>
 *
 * Registration may happen while requests are being served. Registrations are serialized by a lock;
 * each publishes a new immutable routing tree that shares most of the old one, and matching reads
 * the current tree without locking.
 */
public final class ServeMux implements Handler {

    /**
     * What {@link #route} found: the handler that would serve the request and the pattern it was
     * registered with. For an internal redirect the pattern is the one that will match after the
     * redirect (empty if none will); for 404, 405 and 400 it is empty.
     */
    public record Route(Handler handler, String pattern) {}

    private final ReentrantLock registerLock = new ReentrantLock();
    /** Registered patterns by host key, for conflict checks; guarded by {@link #registerLock}. */
    private final Map<String, List<RoutePattern>> patternsByHost = new HashMap<>();
    private volatile RouteTree tree = RouteTree.EMPTY;

    public ServeMux() {}

    /**
     * Registers {@code handler} for {@code pattern}.
     *
     * @return this mux, for chaining
     * @throws IllegalArgumentException if the pattern is invalid or conflicts with a registered one
     * @throws NullPointerException if {@code handler} is null
     */
    public ServeMux handle(String pattern, Handler handler) {
        Objects.requireNonNull(handler, "handler");
        RoutePattern p = RoutePattern.parse(pattern);
        registerLock.lock();
        try {
            List<RoutePattern> sameHost = patternsByHost.computeIfAbsent(p.hostKey, k -> new ArrayList<>());
            for (RoutePattern q : sameHost) {
                if (p.conflictsWith(q)) {
                    throw new IllegalArgumentException("pattern \"" + p + "\" conflicts with pattern \"" + q
                            + "\":\n" + RoutePattern.describeConflict(p, q));
                }
            }
            tree = tree.with(p, handler);
            sameHost.add(p);
        } finally {
            registerLock.unlock();
        }
        return this;
    }

    /**
     * The handler that would serve {@code r} and its pattern, as Go's {@code ServeMux.Handler}.
     * Never null; the handler may be one of the mux's own (redirect, 404, 405, 400). Does not
     * change {@code r}: path values and the pattern are set only by {@link #serve}.
     */
    public Route route(Request r) {
        Found f = find(r);
        return new Route(f.handler, f.pattern);
    }

    /**
     * Dispatches {@code r} to the handler of the most specific matching pattern, after setting the
     * request's {@link Request#pattern() pattern} and {@link Request#pathValue path values}; or
     * answers with a redirect, 404, 405 or 400 itself.
     */
    @Override
    public void serve(ResponseWriter w, Request r) throws Exception {
        RouteTree t = tree;
        if (!t.hasHostPatterns()) {
            String raw = r.rawPath();
            // Only a clean, unescaped path can be looked up as it is; the tree handles the rest.
            if (raw.indexOf('%') < 0 && PathClean.isClean(raw) && !r.method().equals("CONNECT")) {
                RouteTree.Match lit = t.literalMatch(r.method(), raw);
                if (lit != null) {
                    r.setPattern(lit.leaf.pattern().text);
                    lit.leaf.handler().serve(w, r);
                    return;
                }
            }
        }
        Found f = find(r);
        RouteTree.Match m = f.match;
        if (m != null) {
            String[] names = m.leaf.pattern().wildcardNames;
            for (int i = 0; i < m.valueCount; i++) {
                r.setPathValue(names[i], m.values[i]);
            }
            r.setPattern(f.pattern);
        }
        f.handler.serve(w, r);
    }

    // ---------------------------------------------------------------------------------------
    // Finding the handler

    /** A handler to run, its pattern, and the match when it is a registered handler. */
    private record Found(Handler handler, String pattern, RouteTree.Match match) {}

    private Found find(Request r) {
        if ("*".equals(r.target())) {
            return new Found(BAD_REQUEST_STAR, "", null);
        }
        RouteTree t = tree;
        String method = r.method();
        if (method.equals("CONNECT")) {
            String hostKey = t.hasHostPatterns() ? r.host().toLowerCase(Locale.ROOT) : "";
            String raw = r.rawPath();
            if (raw.isEmpty()) {
                raw = "/";
            } else if (raw.charAt(0) != '/') {
                raw = "/" + raw;
            }
            RouteTree.Path path = new RouteTree.Path(raw);
            RouteTree.Match m = t.match(hostKey, method, path);
            if (m != null) {
                return new Found(m.leaf.handler(), m.leaf.pattern().text, m);
            }
            return notFoundOrNotAllowed(t, hostKey, path, null);
        }

        String hostKey = t.hasHostPatterns() ? requestHostKey(r.host()) : "";
        String escaped = r.rawPath();
        String cleaned = PathClean.clean(escaped);
        RouteTree.Path path = new RouteTree.Path(cleaned);
        RouteTree.Match m = t.match(hostKey, method, path);

        // Trailing-slash redirect: /tree has no exact match but /tree/ has.
        RouteTree.Path slashed = null;
        if ((m == null || !m.exact) && !path.trailingSlash) {
            slashed = new RouteTree.Path(cleaned + "/");
            RouteTree.Match m2 = t.match(hostKey, method, slashed);
            if (m2 != null && m2.exact) {
                return new Found(new RedirectHandler(withQuery(cleaned + "/", r.rawQuery())),
                        m2.leaf.pattern().text, null);
            }
        }
        if (!cleaned.equals(escaped)) {
            String pattern = m == null ? "" : m.leaf.pattern().text;
            return new Found(new RedirectHandler(withQuery(cleaned, r.rawQuery())), pattern, null);
        }
        if (m != null) {
            return new Found(m.leaf.handler(), m.leaf.pattern().text, m);
        }
        return notFoundOrNotAllowed(t, hostKey, path, slashed);
    }

    /** 405 with the methods that would match the path (or the path plus a slash), else 404. */
    private static Found notFoundOrNotAllowed(RouteTree t, String hostKey, RouteTree.Path path,
            RouteTree.Path slashed) {
        TreeSet<String> methods = new TreeSet<>();
        t.allowedMethods(hostKey, path, methods);
        if (slashed != null) {
            t.allowedMethods(hostKey, slashed, methods);
        }
        if (methods.isEmpty()) {
            return new Found(NOT_FOUND, "", null);
        }
        return new Found(new MethodNotAllowedHandler(String.join(", ", methods)), "", null);
    }

    /**
     * The request host as matched against pattern hosts: lower case, without a port, and without
     * the brackets of an IPv6 literal ({@code [::1]:8080} gives {@code ::1}).
     */
    static String requestHostKey(String host) {
        if (host.isEmpty()) {
            return host;
        }
        String h = host;
        if (h.charAt(0) == '[') {
            int close = h.indexOf(']');
            if (close > 0 && (close == h.length() - 1 || h.charAt(close + 1) == ':')) {
                h = h.substring(1, close);
            }
        } else {
            int colon = h.indexOf(':');
            if (colon >= 0 && h.indexOf(':', colon + 1) < 0) {
                h = h.substring(0, colon);
            }
        }
        return h.toLowerCase(Locale.ROOT);
    }

    private static String withQuery(String path, String rawQuery) {
        return rawQuery == null || rawQuery.isEmpty() ? path : path + "?" + rawQuery;
    }

    // ---------------------------------------------------------------------------------------
    // The mux's own handlers, and Go's http.Error and http.Redirect

    private static final Handler NOT_FOUND = (w, r) -> error(w, "404 page not found", 404);

    /** Go's ServeMux answer to {@code *}: 400, closing the connection on HTTP/1.1. */
    private static final Handler BAD_REQUEST_STAR = (w, r) -> {
        if (r.protoAtLeast(1, 1)) {
            w.header().set("Connection", "close");
        }
        w.writeHeader(400);
    };

    private record MethodNotAllowedHandler(String allow) implements Handler {
        @Override
        public void serve(ResponseWriter w, Request r) throws IOException {
            w.header().set("Allow", allow);
            error(w, Status.text(405), 405);
        }
    }

    private record RedirectHandler(String location) implements Handler {
        @Override
        public void serve(ResponseWriter w, Request r) throws IOException {
            redirect(w, r, location, 301);
        }
    }

    /**
     * Replies with {@code code} and {@code message} plus a newline as plain text, as Go's
     * {@code http.Error}.
     */
    static void error(ResponseWriter w, String message, int code) throws IOException {
        Headers h = w.header();
        h.remove("Content-Length");
        h.set("Content-Type", "text/plain; charset=utf-8");
        h.set("X-Content-Type-Options", "nosniff");
        w.writeHeader(code);
        w.write(message + "\n");
    }

    /**
     * Redirects to {@code location}, an absolute path (with any query) or URL, as Go's
     * {@code http.Redirect}: unless the handler set a Content-Type, a GET or HEAD gets an HTML
     * Content-Type and a GET a short HTML body with the link.
     */
    static void redirect(ResponseWriter w, Request r, String location, int code) throws IOException {
        Headers h = w.header();
        boolean hadContentType = h.has("Content-Type");
        h.set("Location", hexEscapeNonAscii(location));
        String method = r.method();
        if (!hadContentType && (method.equals("GET") || method.equals("HEAD"))) {
            h.set("Content-Type", "text/html; charset=utf-8");
        }
        w.writeHeader(code);
        if (!hadContentType && method.equals("GET")) {
            w.write("<a href=\"" + htmlEscape(location) + "\">" + Status.text(code) + "</a>.\n\n");
        }
    }

    static String htmlEscape(String s) {
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String rep = switch (c) {
                case '&' -> "&amp;";
                case '<' -> "&lt;";
                case '>' -> "&gt;";
                case '"' -> "&#34;";
                case '\'' -> "&#39;";
                default -> null;
            };
            if (rep != null && b == null) {
                b = new StringBuilder(s.length() + 16).append(s, 0, i);
            }
            if (b != null) {
                if (rep != null) {
                    b.append(rep);
                } else {
                    b.append(c);
                }
            }
        }
        return b == null ? s : b.toString();
    }

    /** Percent-encodes the UTF-8 bytes of characters outside printable ASCII, as Go does for Location. */
    static String hexEscapeNonAscii(String s) {
        int i = 0;
        while (i < s.length() && s.charAt(i) > 0x20 && s.charAt(i) < 0x7f) {
            i++;
        }
        if (i == s.length()) {
            return s;
        }
        StringBuilder b = new StringBuilder(s.length() + 16).append(s, 0, i);
        for (byte x : s.substring(i).getBytes(StandardCharsets.UTF_8)) {
            int v = x & 0xff;
            if (v > 0x20 && v < 0x7f) {
                b.append((char) v);
            } else {
                b.append('%').append(Character.toUpperCase(Character.forDigit(v >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(v & 0xf, 16)));
            }
        }
        return b.toString();
    }
}
