package dev.weft.servlet;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.MappingMatch;
import java.io.Closeable;
import java.io.EOFException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The servlet registered as {@code default} and mapped to {@code /}: serves the application's
 * static resources, with welcome files for directories, validators and conditional requests
 * (RFC 9110 §13), byte ranges (RFC 9110 §14) and, when the application turns them on, directory
 * listings. {@code WEB-INF} and {@code META-INF} are never served to a client, and no path leaves
 * the resource base. Bodies are streamed from the resource in chunks, never held in memory.
 */
public class DefaultServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    static final String ALLOW = "GET, HEAD, OPTIONS";
    /**
     * The most ranges one response carries after overlapping ones are merged; more are answered
     * with the whole representation, so that a short header cannot ask for a huge multipart body.
     */
    static final int MAX_RANGES = 16;
    /** Range headers with more elements than this are not even looked at. */
    private static final int MAX_RANGE_SPECS = 256;
    private static final int CHUNK = 32 * 1024;

    private record Range(long start, long end) {
        long length() {
            return end - start + 1;
        }
    }

    /** An entity-tag (RFC 9110 §8.8.3): its opaque part with the quotes, and whether it is weak. */
    private record ETag(boolean weak, String opaque) {}

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws ServletException, IOException {
        DispatcherType type = req.getDispatcherType();
        // Forwards, includes and error pages come from the application, whatever method the
        // client used; an error page must render for a POST that failed, too.
        boolean byApplication = type == DispatcherType.FORWARD || type == DispatcherType.INCLUDE
                || type == DispatcherType.ERROR;
        String method = req.getMethod();
        if (!byApplication) {
            switch (method) {
                case "GET", "HEAD" -> { }
                case "OPTIONS" -> {
                    resp.setHeader("Allow", ALLOW);
                    resp.setContentLength(0);
                    return;
                }
                default -> {
                    // TRACE included: echoing requests back is a cross-site tracing risk, and
                    // preconditions are ignored for a response that would not be 2xx anyway.
                    resp.setHeader("Allow", ALLOW);
                    resp.sendError(HttpServletResponse.SC_METHOD_NOT_ALLOWED);
                    return;
                }
            }
        }
        serve(req, resp);
    }

    private void serve(HttpServletRequest req, HttpServletResponse resp) throws ServletException, IOException {
        WebApp app = (WebApp) getServletContext();
        DispatcherType type = req.getDispatcherType();
        String raw = relativePath(req);
        String path = Resources.normalize(raw.isEmpty() ? "/" : raw);
        if (path == null) {
            notFound(req, resp, raw);
            return;
        }
        // Only the client is kept out: the application may forward to, include or show an error
        // page from WEB-INF, as the specification lets it (§10.5).
        boolean fromClient = type == DispatcherType.REQUEST || type == DispatcherType.ASYNC;
        if (fromClient && isProtected(path)) {
            notFound(req, resp, path);
            return;
        }
        Resources.Resource r = app.resources().get(path);
        boolean include = type == DispatcherType.INCLUDE;
        if (r != null && r.directory() && !path.endsWith("/")) {
            if (!include) {
                String q = req.getQueryString();
                resp.sendRedirect(resp.encodeRedirectURL(req.getRequestURI() + "/" + (q == null ? "" : "?" + q)));
                return;
            }
            path = path + "/"; // an include cannot redirect; it gets what the directory would show
        }
        if (!path.endsWith("/")) {
            if (r == null) {
                notFound(req, resp, path);
            } else {
                serveFile(req, resp, app, r);
            }
            return;
        }
        if (r != null && !r.directory()) {
            // "/page.jsp/" must not reach the file's source past the *.jsp mapping.
            notFound(req, resp, path);
            return;
        }
        // Even with no directory behind the path: a welcome file may be a mapped servlet only.
        if (welcome(req, resp, app, path)) {
            return;
        }
        if (r != null && app.directoryListings() && !isProtected(path)) {
            listing(req, resp, app, path);
            return;
        }
        notFound(req, resp, path);
    }

    /**
     * The context-relative path of the resource: the servlet path and path info of the include
     * when included by path (§9.3.1), else the request's own.
     */
    private static String relativePath(HttpServletRequest req) {
        String servletPath;
        String pathInfo;
        if (req.getDispatcherType() == DispatcherType.INCLUDE
                && req.getAttribute(RequestDispatcher.INCLUDE_REQUEST_URI) != null) {
            servletPath = (String) req.getAttribute(RequestDispatcher.INCLUDE_SERVLET_PATH);
            pathInfo = (String) req.getAttribute(RequestDispatcher.INCLUDE_PATH_INFO);
        } else {
            servletPath = req.getServletPath();
            pathInfo = req.getPathInfo();
        }
        String p = servletPath == null ? "" : servletPath;
        return pathInfo == null ? p : p + pathInfo;
    }

    private static void notFound(HttpServletRequest req, HttpServletResponse resp, String path) throws IOException {
        switch (req.getDispatcherType()) {
            // §9.3: an include cannot send an error; the includer decides what a missing part means.
            case INCLUDE -> throw new FileNotFoundException("no resource at " + path);
            case ERROR -> {
                // A missing error page must not turn a 500 into a 404.
                Object status = req.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
                resp.sendError(status instanceof Integer s ? s : HttpServletResponse.SC_NOT_FOUND);
            }
            default -> resp.sendError(HttpServletResponse.SC_NOT_FOUND);
        }
    }

    static boolean isProtected(String path) {
        String p = path.toUpperCase(Locale.ROOT);
        return p.startsWith("/WEB-INF/") || p.equals("/WEB-INF") || p.startsWith("/META-INF/") || p.equals("/META-INF");
    }

    // ---- Welcome files ----

    /**
     * Welcome files in Tomcat's order (§10.10 leaves it open): for each welcome file, a servlet
     * mapped to it exactly or by prefix, else the file itself (through its extension mapping if
     * one matches, so that index.jsp runs rather than showing its source); then, for each, an
     * extension mapping with no file behind it (index.do and the like).
     */
    private boolean welcome(HttpServletRequest req, HttpServletResponse resp, WebApp app, String dir)
            throws ServletException, IOException {
        List<String> files = app.welcomeFiles();
        for (String w : files) {
            String candidate = dir + strip(w);
            Mapping m = app.map(candidate);
            boolean mapped = isOtherServlet(m);
            if (mapped && (m.mappingMatch() == MappingMatch.EXACT || m.mappingMatch() == MappingMatch.PATH)) {
                dispatch(req, resp, app, candidate);
                return true;
            }
            Resources.Resource r = app.resources().get(candidate);
            if (r != null && !r.directory()) {
                if (mapped) {
                    dispatch(req, resp, app, candidate);
                } else {
                    serveFile(req, resp, app, r);
                }
                return true;
            }
        }
        for (String w : files) {
            String candidate = dir + strip(w);
            Mapping m = app.map(candidate);
            if (isOtherServlet(m) && m.mappingMatch() == MappingMatch.EXTENSION) {
                dispatch(req, resp, app, candidate);
                return true;
            }
        }
        return false;
    }

    private static String strip(String welcome) {
        String w = welcome.strip();
        while (w.startsWith("/")) {
            w = w.substring(1);
        }
        return w;
    }

    private boolean isOtherServlet(Mapping m) {
        return m != null && m.mappingMatch() != MappingMatch.DEFAULT && !m.getServletName().equals(getServletName());
    }

    private static void dispatch(HttpServletRequest req, HttpServletResponse resp, WebApp app, String path)
            throws ServletException, IOException {
        // Dispatcher paths are URIs: a welcome path holding '%' or a space must be encoded.
        RequestDispatcher d = app.getRequestDispatcher(encodePath(path));
        if (req.getDispatcherType() == DispatcherType.INCLUDE) {
            d.include(req, resp);
        } else {
            d.forward(req, resp);
        }
    }

    // ---- Files ----

    private static void serveFile(HttpServletRequest req, HttpServletResponse resp, WebApp app, Resources.Resource r)
            throws IOException {
        DispatcherType type = req.getDispatcherType();
        String method = req.getMethod();
        boolean getOrHead = method.equals("GET") || method.equals("HEAD");
        boolean content = !method.equals("HEAD");
        String contentType = app.getMimeType(r.path());
        long length = r.length();
        long lastModified = r.lastModified();

        if (type == DispatcherType.INCLUDE) {
            // The includer owns status and headers; only the bytes are ours.
            try (Source source = open(req, resp, r)) {
                if (source == null) {
                    return;
                }
                Output out = output(resp, contentType);
                source.copy(out, 0, length, new byte[chunkFor(length)]);
            }
            return;
        }

        // An error page keeps the error's status: no validators, no 304, no 206 for it.
        boolean error = type == DispatcherType.ERROR;
        String etag = error ? null : etag(length, lastModified);
        if (!error && getOrHead && !preconditions(req, resp, etag, lastModified)) {
            return;
        }
        List<Range> ranges = null;
        if (!error && method.equals("GET") && length > 0) {
            String header = req.getHeader("Range");
            if (header != null && ifRange(req.getHeader("If-Range"), etag, lastModified)) {
                ranges = ranges(header, length);
                if (ranges != null && ranges.isEmpty()) {
                    resp.setHeader("Content-Range", "bytes */" + length);
                    resp.sendError(HttpServletResponse.SC_REQUESTED_RANGE_NOT_SATISFIABLE);
                    return;
                }
            }
        }

        try (Source source = open(req, resp, r)) {
            if (source == null) {
                return;
            }
            Output out = content ? output(resp, contentType) : null;
            if (out != null && out.writer != null) {
                ranges = null; // characters have no byte ranges; the whole text goes out
            }
            if (!error) {
                if (etag != null) {
                    resp.setHeader("ETag", etag);
                }
                if (lastModified > 0) {
                    resp.setHeader("Last-Modified", HttpDates.format(lastModified));
                }
                if (length >= 0) {
                    resp.setHeader("Accept-Ranges", "bytes");
                }
            }
            byte[] buf = content ? new byte[chunkFor(length)] : null;
            if (ranges == null) {
                if (contentType != null) {
                    resp.setContentType(contentType);
                }
                if (length >= 0 && (out == null || out.writer == null)) {
                    resp.setContentLengthLong(length);
                }
                if (out != null) {
                    source.copy(out, 0, length, buf);
                }
                return;
            }
            resp.setStatus(HttpServletResponse.SC_PARTIAL_CONTENT);
            if (ranges.size() == 1) {
                Range range = ranges.get(0);
                if (contentType != null) {
                    resp.setContentType(contentType);
                }
                resp.setHeader("Content-Range", contentRange(range, length));
                resp.setContentLengthLong(range.length());
                source.copy(out, range.start(), range.length(), buf);
                return;
            }
            multipart(resp, out, source, ranges, contentType, length, buf);
        }
    }

    /** Tomcat's weak validator: it changes whenever the length or the modification time does. */
    private static String etag(long length, long lastModified) {
        if (length < 0 || lastModified <= 0) {
            return null;
        }
        return "W/\"" + length + "-" + lastModified + "\"";
    }

    private static int chunkFor(long length) {
        return length >= 0 && length < CHUNK ? (int) Math.max(length, 1) : CHUNK;
    }

    private static String contentRange(Range r, long length) {
        return "bytes " + r.start() + "-" + r.end() + "/" + length;
    }

    /**
     * multipart/byteranges (RFC 9110 §14.6) with an exact Content-Length, computed from the part
     * heads before any byte is sent.
     */
    private static void multipart(HttpServletResponse resp, Output out, Source source, List<Range> ranges,
            String contentType, long length, byte[] buf) throws IOException {
        String boundary = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong())
                + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
        List<byte[]> heads = new ArrayList<>(ranges.size());
        long total = 0;
        for (int i = 0; i < ranges.size(); i++) {
            Range range = ranges.get(i);
            String head = (i == 0 ? "" : "\r\n") + "--" + boundary + "\r\n"
                    + (contentType == null ? "" : "Content-Type: " + contentType + "\r\n")
                    + "Content-Range: " + contentRange(range, length) + "\r\n\r\n";
            byte[] b = head.getBytes(StandardCharsets.ISO_8859_1);
            heads.add(b);
            total += b.length + range.length();
        }
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.ISO_8859_1);
        total += tail.length;
        resp.setContentType("multipart/byteranges; boundary=" + boundary);
        resp.setContentLengthLong(total);
        if (out == null) {
            return;
        }
        for (int i = 0; i < ranges.size(); i++) {
            out.stream.write(heads.get(i));
            source.copy(out, ranges.get(i).start(), ranges.get(i).length(), buf);
        }
        out.stream.write(tail);
    }

    // ---- Conditional requests (RFC 9110 §13.2.2) ----

    /**
     * Steps 1 to 4 of RFC 9110 §13.2.2, for GET and HEAD: true to go on, false when a 412 or a
     * 304 has been sent.
     */
    private static boolean preconditions(HttpServletRequest req, HttpServletResponse resp, String etag,
            long lastModified) throws IOException {
        String ifMatch = joined(req, "If-Match");
        if (ifMatch != null) {
            if (!matches(ifMatch, etag, true)) {
                resp.sendError(HttpServletResponse.SC_PRECONDITION_FAILED);
                return false;
            }
        } else {
            long since = date(req, "If-Unmodified-Since");
            if (since >= 0 && lastModified > 0 && seconds(lastModified) > since) {
                resp.sendError(HttpServletResponse.SC_PRECONDITION_FAILED);
                return false;
            }
        }
        String ifNoneMatch = joined(req, "If-None-Match");
        if (ifNoneMatch != null) {
            if (matches(ifNoneMatch, etag, false)) {
                notModified(resp, etag, lastModified);
                return false;
            }
        } else {
            long since = date(req, "If-Modified-Since");
            if (since >= 0 && lastModified > 0 && seconds(lastModified) <= since) {
                notModified(resp, etag, lastModified);
                return false;
            }
        }
        return true;
    }

    /** 304 carries the validators a 200 would have (RFC 9110 §15.4.5), and no content headers. */
    private static void notModified(HttpServletResponse resp, String etag, long lastModified) {
        resp.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
        if (etag != null) {
            resp.setHeader("ETag", etag);
        }
        if (lastModified > 0) {
            resp.setHeader("Last-Modified", HttpDates.format(lastModified));
        }
    }

    /** HTTP-dates have whole seconds; the file system's milliseconds must not defeat a match. */
    private static long seconds(long millis) {
        return millis - Math.floorMod(millis, 1000L);
    }

    /** All field lines of a list-valued header joined by commas, as RFC 9110 §5.3 allows; null if absent. */
    private static String joined(HttpServletRequest req, String name) {
        Enumeration<String> values = req.getHeaders(name);
        if (values == null || !values.hasMoreElements()) {
            return null;
        }
        StringBuilder sb = new StringBuilder(values.nextElement());
        while (values.hasMoreElements()) {
            sb.append(", ").append(values.nextElement());
        }
        return sb.toString();
    }

    /**
     * The date of a date-valued precondition, or -1 when absent or to be ignored: an invalid date,
     * or more than one (RFC 9110 §13.1.3, §13.1.4).
     */
    private static long date(HttpServletRequest req, String name) {
        Enumeration<String> values = req.getHeaders(name);
        if (values == null || !values.hasMoreElements()) {
            return -1;
        }
        String v = values.nextElement();
        if (values.hasMoreElements()) {
            return -1;
        }
        return HttpDates.parse(v);
    }

    /**
     * Whether a field value ({@code *} or a list of entity-tags) matches the current entity-tag:
     * strongly for If-Match, weakly for If-None-Match. A malformed list matches nothing.
     */
    private static boolean matches(String field, String current, boolean strong) {
        String v = field.strip();
        if (v.equals("*")) {
            return true; // the resource exists, so it has a current representation
        }
        if (current == null) {
            return false;
        }
        ETag cur = parseTag(current);
        List<ETag> tags = parseTags(v);
        if (cur == null || tags == null) {
            return false;
        }
        for (ETag t : tags) {
            if (t.opaque().equals(cur.opaque()) && (!strong || (!t.weak() && !cur.weak()))) {
                return true;
            }
        }
        return false;
    }

    private static ETag parseTag(String s) {
        List<ETag> l = parseTags(s);
        return l == null || l.size() != 1 ? null : l.get(0);
    }

    /** A comma-separated list of entity-tags (empty elements allowed, §5.6.1.2), or null if malformed. */
    private static List<ETag> parseTags(String s) {
        List<ETag> out = new ArrayList<>();
        int i = 0;
        int n = s.length();
        while (true) {
            while (i < n && (s.charAt(i) == ' ' || s.charAt(i) == '\t' || s.charAt(i) == ',')) {
                i++;
            }
            if (i >= n) {
                return out.isEmpty() ? null : out;
            }
            boolean weak = false;
            if (s.startsWith("W/", i)) {
                weak = true;
                i += 2;
            }
            if (i >= n || s.charAt(i) != '"') {
                return null;
            }
            int close = i + 1;
            while (close < n && s.charAt(close) != '"') {
                char c = s.charAt(close);
                if (c < 0x21 && c != '\t' || c == 0x7f) {
                    return null;
                }
                close++;
            }
            if (close >= n) {
                return null;
            }
            out.add(new ETag(weak, s.substring(i, close + 1)));
            i = close + 1;
            while (i < n && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
                i++;
            }
            if (i < n && s.charAt(i) != ',') {
                return null;
            }
        }
    }

    /**
     * If-Range (RFC 9110 §13.1.5): true when the Range header is to be honoured. An entity-tag
     * must match strongly, so the weak tags this servlet sends never do; a date must be exactly
     * the Last-Modified time.
     */
    private static boolean ifRange(String field, String etag, long lastModified) {
        if (field == null) {
            return true;
        }
        String v = field.strip();
        if (v.startsWith("\"") || v.startsWith("W/")) {
            ETag t = parseTag(v);
            ETag cur = etag == null ? null : parseTag(etag);
            return t != null && cur != null && !t.weak() && !cur.weak() && t.opaque().equals(cur.opaque());
        }
        long d = HttpDates.parse(v);
        return d >= 0 && lastModified > 0 && seconds(lastModified) == d;
    }

    // ---- Ranges (RFC 9110 §14) ----

    /**
     * The ranges to send: null to send the whole representation (no usable Range header: a
     * unit other than bytes, bad syntax, or too many ranges), an empty list when none is
     * satisfiable (416), else the ranges, merged and sorted if any overlap or touch.
     */
    private static List<Range> ranges(String header, long length) {
        int eq = header.indexOf('=');
        if (eq < 0 || !header.substring(0, eq).strip().equalsIgnoreCase("bytes")) {
            return null;
        }
        String[] specs = header.substring(eq + 1).split(",", MAX_RANGE_SPECS + 2);
        if (specs.length > MAX_RANGE_SPECS) {
            return null;
        }
        List<Range> out = new ArrayList<>();
        boolean any = false;
        for (String raw : specs) {
            String s = raw.strip();
            if (s.isEmpty()) {
                continue;
            }
            any = true;
            int dash = s.indexOf('-');
            if (dash < 0) {
                return null;
            }
            String first = s.substring(0, dash).strip();
            String last = s.substring(dash + 1).strip();
            if (first.isEmpty()) {
                long suffix = number(last);
                if (suffix < 0) {
                    return null;
                }
                if (suffix > 0) { // a zero-length suffix is valid but unsatisfiable
                    out.add(new Range(Math.max(0, length - suffix), length - 1));
                }
                continue;
            }
            long start = number(first);
            long end = last.isEmpty() ? Long.MAX_VALUE : number(last);
            if (start < 0 || end < 0 || end < start) {
                return null;
            }
            if (start < length) {
                out.add(new Range(start, Math.min(end, length - 1)));
            }
        }
        if (!any) {
            return null;
        }
        if (out.size() > 1) {
            out = coalesce(out);
            if (out.size() > MAX_RANGES) {
                return null;
            }
        }
        return out;
    }

    /**
     * Ranges as asked when they are disjoint; otherwise sorted and merged (§14.6 allows it), so
     * that "0-,0-,0-..." costs one copy of the file and not one per element.
     */
    private static List<Range> coalesce(List<Range> ranges) {
        List<Range> sorted = new ArrayList<>(ranges);
        sorted.sort(Comparator.comparingLong(Range::start));
        boolean touching = false;
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i).start() <= sorted.get(i - 1).end() + 1) {
                touching = true;
                break;
            }
        }
        if (!touching) {
            return ranges;
        }
        List<Range> merged = new ArrayList<>();
        Range cur = sorted.get(0);
        for (int i = 1; i < sorted.size(); i++) {
            Range r = sorted.get(i);
            if (r.start() <= cur.end() + 1) {
                cur = new Range(cur.start(), Math.max(cur.end(), r.end()));
            } else {
                merged.add(cur);
                cur = r;
            }
        }
        merged.add(cur);
        return merged;
    }

    /** A non-negative decimal, saturating at Long.MAX_VALUE; -1 if not all digits. */
    private static long number(String s) {
        if (s.isEmpty()) {
            return -1;
        }
        long v = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            int d = c - '0';
            v = v > (Long.MAX_VALUE - d) / 10 ? Long.MAX_VALUE : v * 10 + d;
        }
        return v;
    }

    // ---- Directory listings ----

    private static void listing(HttpServletRequest req, HttpServletResponse resp, WebApp app, String dir)
            throws IOException {
        List<Resources.Resource> dirs = new ArrayList<>();
        List<Resources.Resource> files = new ArrayList<>();
        for (String entry : app.resources().list(dir)) {
            if (isProtected(entry)) {
                continue;
            }
            Resources.Resource r = app.resources().get(entry);
            if (r != null) {
                (r.directory() ? dirs : files).add(r);
            }
        }
        String title = "Index of " + app.getContextPath() + dir;
        StringBuilder sb = new StringBuilder(1024);
        sb.append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
                .append(Html.escape(title)).append("</title></head><body><h1>").append(Html.escape(title))
                .append("</h1>\n<table>\n<tr><th>Name</th><th>Size</th><th>Last modified</th></tr>\n");
        if (!dir.equals("/")) {
            sb.append("<tr><td><a href=\"../\">../</a></td><td></td><td></td></tr>\n");
        }
        for (List<Resources.Resource> group : List.of(dirs, files)) {
            for (Resources.Resource r : group) {
                String name = name(r.path());
                sb.append("<tr><td><a href=\"").append(Html.escape(encodePath(name))).append("\">")
                        .append(Html.escape(name)).append("</a></td><td>")
                        .append(r.directory() || r.length() < 0 ? "" : Long.toString(r.length())).append("</td><td>")
                        .append(r.lastModified() > 0 ? HttpDates.format(r.lastModified()) : "")
                        .append("</td></tr>\n");
            }
        }
        sb.append("</table>\n</body></html>\n");
        if (req.getDispatcherType() == DispatcherType.INCLUDE) {
            Output out = output(resp, "text/html");
            out.write(sb.toString());
            return;
        }
        byte[] body = sb.toString().getBytes(StandardCharsets.UTF_8);
        resp.setContentType("text/html;charset=utf-8");
        if (req.getMethod().equals("HEAD")) {
            resp.setContentLength(body.length);
            return;
        }
        Output out = output(resp, "text/html");
        if (out.writer == null) {
            resp.setContentLength(body.length);
        }
        out.write(sb.toString());
    }

    /** The last segment of a listed path, with the trailing slash of a directory. */
    private static String name(String path) {
        int end = path.endsWith("/") ? path.length() - 1 : path.length();
        return path.substring(path.lastIndexOf('/', end - 1) + 1);
    }

    /** Percent-encodes everything in a path but unreserved characters and slashes (RFC 3986). */
    static String encodePath(String path) {
        byte[] b = path.getBytes(StandardCharsets.UTF_8);
        StringBuilder sb = new StringBuilder(b.length + 16);
        for (byte x : b) {
            int c = x & 0xff;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || c == '-' || c == '.' || c == '_' || c == '~' || c == '/') {
                sb.append((char) c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
        return sb.toString();
    }

    // ---- Output ----

    /**
     * Where the body goes: the output stream, or, when something before this servlet (a JSP
     * including a file, a filter) has taken the writer, the writer, for text only, as Tomcat does.
     */
    private record Output(OutputStream stream, PrintWriter writer, Charset charset) {
        void write(String s) throws IOException {
            if (writer != null) {
                writer.write(s);
            } else {
                stream.write(s.getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    private static Output output(HttpServletResponse resp, String contentType) throws IOException {
        try {
            return new Output(resp.getOutputStream(), null, null);
        } catch (IllegalStateException e) {
            if (!isText(contentType)) {
                throw e;
            }
            return new Output(null, resp.getWriter(), charsetOf(contentType));
        }
    }

    private static boolean isText(String contentType) {
        if (contentType == null) {
            return true;
        }
        String t = contentType.toLowerCase(Locale.ROOT);
        int semi = t.indexOf(';');
        String base = (semi < 0 ? t : t.substring(0, semi)).strip();
        return base.startsWith("text/") || base.endsWith("+xml") || base.endsWith("/xml")
                || base.endsWith("/json") || base.endsWith("+json") || base.contains("javascript");
    }

    /** The charset a text file is read in when it must go through the writer: its type's, else UTF-8. */
    private static Charset charsetOf(String contentType) {
        if (contentType != null) {
            for (String p : contentType.split(";")) {
                String s = p.strip();
                if (s.regionMatches(true, 0, "charset=", 0, 8)) {
                    try {
                        return Charset.forName(s.substring(8).strip().replace("\"", ""));
                    } catch (RuntimeException e) {
                        break;
                    }
                }
            }
        }
        return StandardCharsets.UTF_8;
    }

    // ---- Sources ----

    /**
     * Opens the resource before anything is committed, so that a file that vanished or cannot be
     * read still gets a proper status; null when that status has been sent.
     */
    private static Source open(HttpServletRequest req, HttpServletResponse resp, Resources.Resource r)
            throws IOException {
        try {
            if (r.file() != null) {
                return new FileSource(FileChannel.open(r.file(), StandardOpenOption.READ));
            }
            return new StreamSource(r);
        } catch (AccessDeniedException e) {
            if (req.getDispatcherType() == DispatcherType.INCLUDE) {
                throw e;
            }
            resp.sendError(HttpServletResponse.SC_FORBIDDEN);
            return null;
        } catch (IOException e) {
            notFound(req, resp, r.path());
            return null;
        }
    }

    /** A resource's bytes, copied range by range in fixed-size chunks. */
    private abstract static class Source implements Closeable {
        /**
         * Copies {@code count} bytes from {@code start} ({@code count < 0}: to the end); fails if
         * the resource ends sooner, since the declared Content-Length can no longer be met.
         */
        final void copy(Output out, long start, long count, byte[] buf) throws IOException {
            if (out.writer != null) {
                try (Reader reader = new InputStreamReader(stream(), out.charset())) {
                    reader.transferTo(out.writer);
                }
                return;
            }
            copyBytes(out.stream, start, count, buf);
        }

        abstract void copyBytes(OutputStream out, long start, long count, byte[] buf) throws IOException;

        abstract InputStream stream() throws IOException;
    }

    /** A file: positional reads, so ranges in any order need no seeking state. */
    private static final class FileSource extends Source {
        private final FileChannel channel;

        FileSource(FileChannel channel) {
            this.channel = channel;
        }

        @Override
        void copyBytes(OutputStream out, long start, long count, byte[] buf) throws IOException {
            ByteBuffer bb = ByteBuffer.wrap(buf);
            long pos = start;
            long remaining = count < 0 ? Long.MAX_VALUE : count;
            while (remaining > 0) {
                bb.clear().limit((int) Math.min(buf.length, remaining));
                int n = channel.read(bb, pos);
                if (n < 0) {
                    if (count < 0) {
                        return;
                    }
                    throw new EOFException("resource ended " + remaining + " bytes early");
                }
                out.write(buf, 0, n);
                pos += n;
                remaining -= n;
            }
        }

        @Override
        InputStream stream() {
            return Channels.newInputStream(channel);
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    /**
     * A URL's stream (a jar entry, say): read forward, skipping to each range, and reopened only
     * when a range starts before the current position.
     */
    private static final class StreamSource extends Source {
        private final Resources.Resource resource;
        private InputStream in;
        private long position;

        StreamSource(Resources.Resource resource) throws IOException {
            this.resource = resource;
            this.in = resource.open();
        }

        @Override
        void copyBytes(OutputStream out, long start, long count, byte[] buf) throws IOException {
            if (start < position) {
                in.close();
                in = resource.open();
                position = 0;
            }
            in.skipNBytes(start - position);
            position = start;
            long remaining = count < 0 ? Long.MAX_VALUE : count;
            while (remaining > 0) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, remaining));
                if (n < 0) {
                    if (count < 0) {
                        return;
                    }
                    throw new EOFException("resource ended " + remaining + " bytes early");
                }
                out.write(buf, 0, n);
                position += n;
                remaining -= n;
            }
        }

        @Override
        InputStream stream() {
            return in;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
