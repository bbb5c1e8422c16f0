package dev.weft.servlet;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.servlet.ServletConnection;
import jakarta.servlet.ServletRequestAttributeEvent;
import jakarta.servlet.ServletRequestAttributeListener;
import jakarta.servlet.ServletRequestEvent;
import jakarta.servlet.ServletRequestListener;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Servlet 6.1 chapter 3, "The Request", over the wire: parameters and form data, character
 * encodings, the body as a stream or a reader, headers, cookies, locales, addresses, attributes
 * and their listener, identifiers, the request line, chunked bodies with trailers, and the
 * request listener around each request.
 */
class RequestTest {

    /** What a test's servlet looks at; it puts what it sees into {@code out}. */
    @FunctionalInterface
    interface Probe {
        void run(HttpServletRequest req, Map<String, Object> out) throws Exception;
    }

    /** Runs a {@link Probe} and answers with what it saw, one {@code key=value} line each. */
    static final class ProbeServlet extends HttpServlet {
        private final Probe probe;

        ProbeServlet(Probe probe) {
            this.probe = probe;
        }

        @Override
        protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            Map<String, Object> out = new LinkedHashMap<>();
            try {
                probe.run(req, out);
            } catch (Escape e) {
                throw e;
            } catch (Exception e) {
                out.put("error", e.toString());
            }
            StringBuilder b = new StringBuilder();
            for (Map.Entry<String, Object> e : out.entrySet()) {
                b.append(e.getKey()).append('=').append(escape(String.valueOf(e.getValue()))).append('\n');
            }
            resp.setContentType("text/plain;charset=UTF-8");
            resp.getOutputStream().write(b.toString().getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Thrown by a probe to fail the request itself, rather than report the failure. */
    static final class Escape extends RuntimeException {
        Escape(String message) {
            super(message);
        }
    }

    static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r");
    }

    static String unescape(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char n = s.charAt(++i);
                b.append(n == 'n' ? '\n' : n == 'r' ? '\r' : n);
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    static Map<String, String> parse(TckWire.Resp r) {
        assertEquals(200, r.status(), () -> r.statusLine() + "\n" + r.body());
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : r.body().split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                m.put(line.substring(0, eq), unescape(line.substring(eq + 1)));
            }
        }
        assertFalse(m.containsKey("error"), () -> m.get("error"));
        return m;
    }

    /** The value of {@code c}, or "!" and the simple name of what it threw. */
    static Object attempt(Callable<?> c) {
        try {
            return c.call();
        } catch (Exception e) {
            return "!" + e.getClass().getSimpleName();
        }
    }

    static List<String> list(Enumeration<?> e) {
        List<String> l = new ArrayList<>();
        while (e.hasMoreElements()) {
            l.add(String.valueOf(e.nextElement()));
        }
        return l;
    }

    /** Deploys {@code probe} at /r/p, with the application configured by {@code config} first. */
    static Deployed deploy(Consumer<WebApp> config, Probe probe) throws Exception {
        WebApp app = new WebApp("/r");
        app.addServlet("probe", new ProbeServlet(probe)).addMapping("/p");
        config.accept(app);
        return Deployed.start(app);
    }

    static Deployed deploy(Probe probe) throws Exception {
        return deploy(a -> {}, probe);
    }

    /**
     * A request: the request line, header lines, and a body (sent as ISO-8859-1, one byte per
     * char; null for none). Adds Host on HTTP/1.1 unless given, Content-Length for a body unless
     * Transfer-Encoding is given, and Connection: close.
     */
    static String req(String requestLine, String body, String... headerLines) {
        StringBuilder b = new StringBuilder(requestLine).append("\r\n");
        boolean host = false;
        boolean te = false;
        for (String h : headerLines) {
            host |= h.regionMatches(true, 0, "Host:", 0, 5);
            te |= h.regionMatches(true, 0, "Transfer-Encoding:", 0, 18);
            b.append(h).append("\r\n");
        }
        if (!host && requestLine.endsWith("HTTP/1.1")) {
            b.append("Host: 127.0.0.1\r\n");
        }
        if (body != null && !te) {
            b.append("Content-Length: ").append(body.length()).append("\r\n");
        }
        b.append("Connection: close\r\n\r\n");
        if (body != null) {
            b.append(body);
        }
        return b.toString();
    }

    /** The UTF-8 bytes of {@code s}, one char per byte, for {@link #req}. */
    static String utf8(String s) {
        return new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    static Map<String, String> probe(Deployed d, String request) throws IOException {
        return parse(TckWire.exchange(d.port, request));
    }

    // ---- Parameters (§3.1) ----

    @Test
    void queryParametersComeBeforeFormParametersInEveryView() throws Exception {
        try (Deployed d = deploy((req, out) -> {
            out.put("a", quoted(req.getParameterValues("a")));
            out.put("b", quoted(req.getParameterValues("b")));
            out.put("c", quoted(req.getParameterValues("c")));
            out.put("getParameter(a)", req.getParameter("a"));
            out.put("getParameter(b)", req.getParameter("b"));
            out.put("names", list(req.getParameterNames()));
            Map<String, String[]> map = req.getParameterMap();
            List<String> entries = new ArrayList<>();
            map.forEach((k, v) -> entries.add(k + ":" + quoted(v)));
            out.put("map", entries);
            out.put("missing", req.getParameter("zz"));
            out.put("missingValues", quoted(req.getParameterValues("zz")));
            out.put("mapIsImmutable", attempt(() -> map.put("x", new String[] {"y"})));
            out.put("mapValuesAreCopies", attempt(() -> {
                map.get("a")[0] = "changed";
                return req.getParameter("a");
            }));
        })) {
            Map<String, String> got = probe(d, req("POST /r/p?a=1&b=2&a=3 HTTP/1.1", "a=4&c=5&b=&a=6",
                    "Content-Type: application/x-www-form-urlencoded"));
            assertAll(
                    () -> assertEquals("[\"1\", \"3\", \"4\", \"6\"]", got.get("a")),
                    () -> assertEquals("[\"2\", \"\"]", got.get("b")),
                    () -> assertEquals("[\"5\"]", got.get("c")),
                    () -> assertEquals("1", got.get("getParameter(a)")),
                    () -> assertEquals("2", got.get("getParameter(b)")),
                    () -> assertEquals("[a, b, c]", got.get("names")),
                    () -> assertEquals("[a:[\"1\", \"3\", \"4\", \"6\"], b:[\"2\", \"\"], c:[\"5\"]]", got.get("map")),
                    () -> assertEquals("null", got.get("missing")),
                    () -> assertEquals("null", got.get("missingValues")),
                    () -> assertEquals("!UnsupportedOperationException", got.get("mapIsImmutable")),
                    () -> assertEquals("1", got.get("mapValuesAreCopies")));
        }
    }

    /** The values as ["v1", "v2"], telling one empty value from none; "null" for null. */
    static String quoted(String[] values) {
        if (values == null) {
            return "null";
        }
        List<String> q = new ArrayList<>();
        for (String v : values) {
            q.add('"' + v + '"');
        }
        return q.toString();
    }

    @ParameterizedTest(name = "?{0} -> {1}={2}")
    @CsvSource(delimiter = '|', value = {
        "a=x+y          | a   | [\"x y\"]",
        "a=%41%42       | a   | [\"AB\"]",
        "a=%2B          | a   | [\"+\"]",
        "a=1=2          | a   | [\"1=2\"]",
        "a              | a   | [\"\"]",
        "a=             | a   | [\"\"]",
        "a=&a           | a   | [\"\", \"\"]",
        "&&a=1&&a=2&    | a   | [\"1\", \"2\"]",
        "a=1&A=2        | A   | [\"2\"]",
        "x%20y=1        | x y | [\"1\"]",
        "b=1            | a   | null",
    })
    void queryStringDecoding(String query, String name, String values) throws Exception {
        try (Deployed d = deploy((req, out) -> out.put("v", quoted(req.getParameterValues(name))))) {
            assertEquals(values, probe(d, req("GET /r/p?" + query + " HTTP/1.1", null)).get("v"));
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
        "POST  | application/x-www-form-urlencoded                | 1    | ''",
        "POST  | application/x-www-form-urlencoded; charset=UTF-8 | 1    | ''",
        "POST  | Application/X-WWW-Form-Urlencoded                | 1    | ''",
        "PUT   | application/x-www-form-urlencoded                | NULL | f=1",
        "PATCH | application/x-www-form-urlencoded                | NULL | f=1",
        "GET   | application/x-www-form-urlencoded                | NULL | f=1",
        "POST  | text/plain                                       | NULL | f=1",
        "POST  | multipart/form-data; boundary=x                  | NULL | f=1",
        "POST  | NULL                                             | NULL | f=1",
    })
    void formParametersOnlyForPostedUrlencodedBodies(String method, String contentType, String f, String rest)
            throws Exception {
        try (Deployed d = deploy((req, out) -> {
            out.put("f", req.getParameter("f"));
            out.put("q", req.getParameter("q"));
            // §3.1.1: once the form was read into the parameters, the stream has nothing left.
            out.put("rest", new String(req.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1));
        })) {
            Map<String, String> got = contentType == null
                    ? probe(d, req(method + " /r/p?q=0 HTTP/1.1", "f=1"))
                    : probe(d, req(method + " /r/p?q=0 HTTP/1.1", "f=1", "Content-Type: " + contentType));
            assertEquals(String.valueOf(f), got.get("f"));
            assertEquals("0", got.get("q"));
            assertEquals(rest, got.get("rest"));
        }
    }

    @Test
    void aChunkedFormBodyIsParsedToo() throws Exception {
        try (Deployed d = deploy((req, out) -> out.put("f", quoted(req.getParameterValues("f"))))) {
            Map<String, String> got = probe(d, req("POST /r/p?f=0 HTTP/1.1", "4\r\nf=1&\r\n3\r\nf=2\r\n0\r\n\r\n",
                    "Content-Type: application/x-www-form-urlencoded", "Transfer-Encoding: chunked"));
            assertEquals("[\"0\", \"1\", \"2\"]", got.get("f"));
        }
    }

    static Stream<Arguments> parameterParsingProblemsThrowIllegalState() {
        return Stream.of(
                Arguments.of("more parameters than the container allows", "a=1&".repeat(WeftRequest.MAX_PARAMETERS + 1),
                        "application/x-www-form-urlencoded"),
                Arguments.of("a form larger than the container allows", "a=" + "x".repeat(WeftRequest.MAX_FORM_BYTES),
                        "application/x-www-form-urlencoded"),
                Arguments.of("invalid %nn", "a=%zz&b=1", "application/x-www-form-urlencoded"),
                Arguments.of("invalid UTF-8", "a=%C3%28&b=1", "application/x-www-form-urlencoded; charset=UTF-8"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void parameterParsingProblemsThrowIllegalState(String name, String body, String contentType) throws Exception {
        try (Deployed d = deploy((req, out) -> {
            out.put("getParameter", attempt(() -> req.getParameter("a")));
            out.put("getParameterMap", attempt(() -> req.getParameterMap().size()));
        })) {
            Map<String, String> got = probe(d, req("POST /r/p HTTP/1.1", body, "Content-Type: " + contentType));
            assertEquals("!IllegalStateException", got.get("getParameter"));
            assertEquals("!IllegalStateException", got.get("getParameterMap"));
        }
    }

    @ParameterizedTest(name = "body read with {0} first")
    @CsvSource({"stream", "reader"})
    void formIsNotParsedOnceTheBodyWasReadByTheApplication(String how) throws Exception {
        try (Deployed d = deploy((req, out) -> {
            if (how.equals("stream")) {
                out.put("body", new String(req.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1));
            } else {
                out.put("body", req.getReader().readLine());
            }
            out.put("f", req.getParameter("f"));
            out.put("q", req.getParameter("q"));
            out.put("names", list(req.getParameterNames()));
        })) {
            Map<String, String> got = probe(d, req("POST /r/p?q=0 HTTP/1.1", "f=1",
                    "Content-Type: application/x-www-form-urlencoded"));
            assertEquals("f=1", got.get("body"));
            assertEquals("null", got.get("f"));
            assertEquals("0", got.get("q"));
            assertEquals("[q]", got.get("names"));
        }
    }

    // ---- Character encoding (§3.12) ----

    static final String NO = "-";

    @ParameterizedTest(name = "[{index}] Content-Type \"{0}\", app \"{1}\", set \"{2}\"")
    @CsvSource(delimiter = '|', value = {
        // Content-Type                                      | app default | setCharacterEncoding | body     | getCharacterEncoding | value
        "application/x-www-form-urlencoded                   | -           | -                    | n=%C3%A9 | null                 | \u00c3\u00a9",
        "application/x-www-form-urlencoded; charset=UTF-8    | -           | -                    | n=%C3%A9 | UTF-8                | \u00e9",
        "application/x-www-form-urlencoded;charset=\"UTF-8\" | -           | -                    | n=%C3%A9 | UTF-8                | \u00e9",
        "application/x-www-form-urlencoded                   | -           | UTF-8                | n=%C3%A9 | UTF-8                | \u00e9",
        "application/x-www-form-urlencoded                   | UTF-8       | -                    | n=%C3%A9 | UTF-8                | \u00e9",
        "application/x-www-form-urlencoded; charset=ISO-8859-1 | UTF-8     | -                    | n=%C3%A9 | ISO-8859-1           | \u00c3\u00a9",
        "application/x-www-form-urlencoded; charset=ISO-8859-1 | -         | UTF-8                | n=%C3%A9 | UTF-8                | \u00e9",
        "application/x-www-form-urlencoded                   | UTF-8       | windows-1252         | n=%80    | windows-1252         | \u20ac",
        "application/x-www-form-urlencoded                   | -           | -                    | n=%E9    | null                 | \u00e9",
    })
    void formParameterCharset(String contentType, String appDefault, String set, String body, String encoding,
            String value) throws Exception {
        try (Deployed d = deploy(app -> {
            if (!appDefault.equals(NO)) {
                app.setRequestCharacterEncoding(appDefault);
            }
        }, (req, out) -> {
            if (!set.equals(NO)) {
                req.setCharacterEncoding(set);
            }
            out.put("enc", req.getCharacterEncoding());
            out.put("n", req.getParameter("n"));
        })) {
            Map<String, String> got = probe(d, req("POST /r/p HTTP/1.1", body, "Content-Type: " + contentType));
            assertEquals(encoding, got.get("enc"));
            assertEquals(value, got.get("n"));
        }
    }

    @ParameterizedTest(name = "[{index}] Content-Type \"{0}\", app \"{1}\", set \"{2}\"")
    @CsvSource(delimiter = '|', value = {
        // Content-Type             | app default | setCharacterEncoding        | getCharacterEncoding | text
        "text/plain                 | -           | -                           | null                 | \u00c3\u00a9t\u00c3\u00a9",
        "text/plain; charset=UTF-8  | -           | -                           | UTF-8                | \u00e9t\u00e9",
        "text/plain                 | -           | UTF-8                       | UTF-8                | \u00e9t\u00e9",
        "text/plain                 | UTF-8       | -                           | UTF-8                | \u00e9t\u00e9",
        "text/plain; charset=UTF-8  | -           | ISO-8859-1                  | ISO-8859-1           | \u00c3\u00a9t\u00c3\u00a9",
        // After getReader, setCharacterEncoding has no effect (and does not throw).
        "text/plain                 | -           | after:UTF-8                 | null                 | \u00c3\u00a9t\u00c3\u00a9",
        "text/plain; charset=UTF-8  | -           | after:no-such-charset       | UTF-8                | \u00e9t\u00e9",
    })
    void readerCharset(String contentType, String appDefault, String set, String encoding, String text)
            throws Exception {
        try (Deployed d = deploy(app -> {
            if (!appDefault.equals(NO)) {
                app.setRequestCharacterEncoding(appDefault);
            }
        }, (req, out) -> {
            if (!set.equals(NO) && !set.startsWith("after:")) {
                req.setCharacterEncoding(set);
            }
            BufferedReader r = req.getReader();
            if (set.startsWith("after:")) {
                out.put("late", attempt(() -> {
                    req.setCharacterEncoding(set.substring(6));
                    return "no exception";
                }));
            }
            out.put("text", r.readLine());
            out.put("enc", req.getCharacterEncoding());
        })) {
            Map<String, String> got = probe(d, req("POST /r/p HTTP/1.1", utf8("\u00e9t\u00e9"), "Content-Type: " + contentType));
            assertEquals(text, got.get("text"));
            assertEquals(encoding, got.get("enc"));
            if (set.startsWith("after:")) {
                assertEquals("no exception", got.get("late"));
            }
        }
    }

    @Test
    void setCharacterEncodingAfterParametersWereReadDoesNotChangeThem() throws Exception {
        try (Deployed d = deploy((req, out) -> {
            out.put("before", req.getParameter("n"));
            req.setCharacterEncoding("UTF-8");
            out.put("after", req.getParameter("n"));
        })) {
            Map<String, String> got = probe(d, req("POST /r/p HTTP/1.1", "n=%C3%A9",
                    "Content-Type: application/x-www-form-urlencoded"));
            assertEquals("\u00c3\u00a9", got.get("before"));
            assertEquals("\u00c3\u00a9", got.get("after"));
        }
    }

    @Test
    void unknownCharsetThrowsUnsupportedEncoding() throws Exception {
        try (Deployed d = deploy((req, out) -> {
            out.put("set", attempt(() -> {
                req.setCharacterEncoding("no-such-charset");
                return "no exception";
            }));
            out.put("enc", req.getCharacterEncoding());
        })) {
            Map<String, String> got = probe(d, req("POST /r/p HTTP/1.1", "x", "Content-Type: text/plain"));
            assertEquals("!UnsupportedEncodingException", got.get("set"));
            assertEquals("null", got.get("enc"));
        }
        try (Deployed d = deploy((req, out) -> out.put("reader", attempt(req::getReader)))) {
            Map<String, String> got = probe(d, req("POST /r/p HTTP/1.1", "x", "Content-Type: text/plain; charset=no-such-charset"));
            assertEquals("!UnsupportedEncodingException", got.get("reader"));
        }
    }

    // ---- Stream or reader ----

    @ParameterizedTest(name = "{0} then {1}")
    @CsvSource({
        "stream, reader, !IllegalStateException",
        "reader, stream, !IllegalStateException",
        "stream, stream, same",
        "reader, reader, same",
    })
    void getInputStreamAndGetReaderExcludeEachOther(String first, String second, String outcome) throws Exception {
        try (Deployed d = deploy((req, out) -> {
            Object a = first.equals("stream") ? req.getInputStream() : req.getReader();
            Object b = attempt(() -> second.equals("stream") ? req.getInputStream() : req.getReader());
            out.put("second", b instanceof String s ? s : b == a ? "same" : "different");
            InputStream in = first.equals("stream") ? (InputStream) a : null;
            out.put("body", in != null ? new String(in.readAllBytes(), StandardCharsets.ISO_8859_1)
                    : ((BufferedReader) a).readLine());
        })) {
            Map<String, String> got = probe(d, req("POST /r/p HTTP/1.1", "hello", "Content-Type: text/plain"));
            assertEquals(outcome, got.get("second"));
            assertEquals("hello", got.get("body"));
        }
    }

    // ---- Headers (§3.2) ----

    @Test
    void headers() throws Exception {
        try (Deployed d = deploy((req, out) -> {
            out.put("x-case", req.getHeader("x-case"));
            out.put("X-CASE", req.getHeader("X-CASE"));
            out.put("getHeader(x-multi)", req.getHeader("x-multi"));
            out.put("getHeaders(X-MULTI)", String.join(" | ", list(req.getHeaders("X-MULTI"))));
            out.put("getHeaders(nope)", list(req.getHeaders("nope")));
            out.put("getHeader(nope)", req.getHeader("nope"));
            out.put("empty", req.getHeader("x-empty"));
            out.put("int", req.getIntHeader("x-int"));
            out.put("intMissing", req.getIntHeader("nope"));
            out.put("intBad", attempt(() -> req.getIntHeader("x-bad-int")));
            out.put("dateImf", req.getDateHeader("x-date"));
            out.put("dateRfc850", req.getDateHeader("X-Date-850"));
            out.put("dateAsctime", req.getDateHeader("X-Date-Asc"));
            out.put("dateMissing", req.getDateHeader("nope"));
            out.put("dateBad", attempt(() -> req.getDateHeader("x-bad-date")));
            out.put("ifModifiedSince", req.getDateHeader("if-modified-since"));
            Set<String> names = new HashSet<>();
            for (String n : list(req.getHeaderNames())) {
                names.add(n.toLowerCase(Locale.ROOT));
            }
            out.put("names", new TreeSet<>(names));
        })) {
            Map<String, String> got = probe(d, req("GET /r/p HTTP/1.1", null,
                    "X-Case: v1",
                    "x-multi: a",
                    "X-Multi: b, c",
                    "X-Empty:",
                    "X-Int: 42",
                    "X-Bad-Int: forty-two",
                    "X-Date: Sun, 06 Nov 1994 08:49:37 GMT",
                    "X-Date-850: Sunday, 06-Nov-94 08:49:37 GMT",
                    "X-Date-Asc: Sun Nov  6 08:49:37 1994",
                    "X-Bad-Date: yesterday",
                    "If-Modified-Since: Thu, 01 Jan 1970 00:00:01 GMT"));
            assertAll(
                    () -> assertEquals("v1", got.get("x-case")),
                    () -> assertEquals("v1", got.get("X-CASE")),
                    () -> assertEquals("a", got.get("getHeader(x-multi)")),
                    () -> assertEquals("a | b, c", got.get("getHeaders(X-MULTI)")),
                    () -> assertEquals("[]", got.get("getHeaders(nope)")),
                    () -> assertEquals("null", got.get("getHeader(nope)")),
                    () -> assertEquals("", got.get("empty")),
                    () -> assertEquals("42", got.get("int")),
                    () -> assertEquals("-1", got.get("intMissing")),
                    () -> assertEquals("!NumberFormatException", got.get("intBad")),
                    () -> assertEquals("784111777000", got.get("dateImf")),
                    () -> assertEquals("784111777000", got.get("dateRfc850")),
                    () -> assertEquals("784111777000", got.get("dateAsctime")),
                    () -> assertEquals("-1", got.get("dateMissing")),
                    () -> assertEquals("!IllegalArgumentException", got.get("dateBad")),
                    () -> assertEquals("1000", got.get("ifModifiedSince")),
                    () -> assertEquals("[connection, host, if-modified-since, x-bad-date, x-bad-int, x-case, x-date, "
                            + "x-date-850, x-date-asc, x-empty, x-int, x-multi]", got.get("names")));
        }
    }

    // ---- Cookies (§3.14, RFC 6265) ----

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
        "Cookie: a=1                      | a=1",
        "Cookie: a=1; b=2                 | a=1, b=2",
        "Cookie: a=1;b=2                  | a=1, b=2",
        "Cookie: a=1 // Cookie: b=2       | a=1, b=2",
        "Cookie: b=2; a=1 // Cookie: c=3  | b=2, a=1, c=3",
        "Cookie: q=\"quoted\"             | q=\"quoted\"",
        "Cookie: e=                       | e=",
        "Cookie: t=a=b                    | t=a=b",
        "Cookie: MixedCase=V              | MixedCase=V",
        "Cookie: a=1; a=2                 | a=1, a=2",
        "X-None: x                        | NULL",
    })
    void cookies(String headerLines, String expected) throws Exception {
        try (Deployed d = deploy((req, out) -> {
            Cookie[] cs = req.getCookies();
            if (cs == null) {
                out.put("cookies", null);
                return;
            }
            List<String> l = new ArrayList<>();
            for (Cookie c : cs) {
                l.add(c.getName() + "=" + c.getValue());
            }
            out.put("cookies", String.join(", ", l));
        })) {
            // " // " separates header lines in a row.
            Map<String, String> got = probe(d, req("GET /r/p HTTP/1.1", null, headerLines.split(" // ")));
            assertEquals(String.valueOf(expected), got.get("cookies"));
        }
    }

    // ---- Locales (§3.11) ----

    static Stream<Arguments> locales() {
        String def = Locale.getDefault().toLanguageTag();
        return Stream.of(
                Arguments.of("da, en-gb;q=0.8, en;q=0.7", List.of("da", "en-GB", "en")),
                Arguments.of("en;q=0.5, fr", List.of("fr", "en")),
                Arguments.of("en-US", List.of("en-US")),
                Arguments.of("fr;q=0.8, de;q=0.8, it", List.of("it", "fr", "de")),
                Arguments.of("en, *;q=0.5", List.of("en")),
                Arguments.of("en;q=0, fr", List.of("fr")),
                Arguments.of("de-CH;q=0.9, de;q=1.0", List.of("de", "de-CH")),
                Arguments.of("zh-Hant-TW", List.of("zh-Hant-TW")),
                Arguments.of(null, List.of(def)));
    }

    @ParameterizedTest(name = "Accept-Language: {0}")
    @MethodSource
    void locales(String acceptLanguage, List<String> expected) throws Exception {
        try (Deployed d = deploy((req, out) -> {
            out.put("locale", req.getLocale().toLanguageTag());
            List<String> tags = new ArrayList<>();
            for (Locale l : Collections.list(req.getLocales())) {
                tags.add(l.toLanguageTag());
            }
            out.put("locales", tags);
        })) {
            Map<String, String> got = acceptLanguage == null
                    ? probe(d, req("GET /r/p HTTP/1.1", null))
                    : probe(d, req("GET /r/p HTTP/1.1", null, "Accept-Language: " + acceptLanguage));
            assertEquals(expected.get(0), got.get("locale"));
            assertEquals(expected.toString(), got.get("locales"));
        }
    }

    // ---- Addresses, server name and port (§3.2, §3.6) ----

    static final Probe ADDRESSES = (req, out) -> {
        out.put("remoteAddr", req.getRemoteAddr());
        out.put("remoteHost", req.getRemoteHost());
        out.put("remotePort", req.getRemotePort());
        out.put("localAddr", req.getLocalAddr());
        out.put("localPort", req.getLocalPort());
        out.put("serverName", req.getServerName());
        out.put("serverPort", req.getServerPort());
        out.put("scheme", req.getScheme());
        out.put("secure", req.isSecure());
        out.put("requestURI", req.getRequestURI());
        out.put("requestURL", req.getRequestURL());
        out.put("queryString", req.getQueryString());
    };

    @ParameterizedTest(name = "{0} / {1}")
    @CsvSource(delimiter = '|', value = {
        // request line                                  | Host field           | server name   | server port | request URL
        "GET /r/p?x=1 HTTP/1.1                           | 127.0.0.1:{port}     | 127.0.0.1     | {port}      | http://127.0.0.1:{port}/r/p",
        "GET /r/p?x=1 HTTP/1.1                           | example.com:8080     | example.com   | 8080        | http://example.com:8080/r/p",
        "GET /r/p?x=1 HTTP/1.1                           | example.com          | example.com   | 80          | http://example.com/r/p",
        "GET /r/p?x=1 HTTP/1.1                           | [::1]:9000           | [::1]         | 9000        | http://[::1]:9000/r/p",
        "GET http://other.example:81/r/p?x=1 HTTP/1.1    | 127.0.0.1:{port}     | other.example | 81          | http://other.example:81/r/p",
        "GET http://other.example/r/p?x=1 HTTP/1.1       | 127.0.0.1:{port}     | other.example | 80          | http://other.example/r/p",
        "GET /r/p?x=1 HTTP/1.0                           | -                    | 127.0.0.1     | {port}      | http://127.0.0.1:{port}/r/p",
        "GET /r/p?x=1 HTTP/1.0                           | legacy.example:8081  | legacy.example | 8081       | http://legacy.example:8081/r/p",
    })
    void addressesServerNameAndPort(String requestLine, String host, String serverName, String serverPort,
            String requestUrl) throws Exception {
        try (Deployed d = deploy(ADDRESSES); TckWire c = TckWire.open(d.port)) {
            String port = Integer.toString(d.port);
            String request = host.equals(NO)
                    ? req(requestLine, null)
                    : req(requestLine, null, "Host: " + host.replace("{port}", port));
            Map<String, String> got = parse(c.send(request));
            assertAll(
                    () -> assertEquals("127.0.0.1", got.get("remoteAddr")),
                    () -> assertEquals("127.0.0.1", got.get("remoteHost")),
                    () -> assertEquals(Integer.toString(c.localPort()), got.get("remotePort")),
                    () -> assertEquals("127.0.0.1", got.get("localAddr")),
                    () -> assertEquals(port, got.get("localPort")),
                    () -> assertEquals(serverName, got.get("serverName")),
                    () -> assertEquals(serverPort.replace("{port}", port), got.get("serverPort")),
                    () -> assertEquals("http", got.get("scheme")),
                    () -> assertEquals("false", got.get("secure")),
                    () -> assertEquals("/r/p", got.get("requestURI")),
                    () -> assertEquals(requestUrl.replace("{port}", port), got.get("requestURL")),
                    () -> assertEquals("x=1", got.get("queryString")));
        }
    }

    // ---- Attributes (§3.10) and their listener ----

    static final class AttributeEvents implements ServletRequestAttributeListener {
        final List<String> events = new CopyOnWriteArrayList<>();

        private void add(String kind, ServletRequestAttributeEvent e) {
            String uri = ((HttpServletRequest) e.getServletRequest()).getRequestURI();
            events.add(kind + " " + e.getName() + "=" + e.getValue() + " on " + uri
                    + (e.getServletContext() == null ? " without a context" : ""));
        }

        @Override
        public void attributeAdded(ServletRequestAttributeEvent e) {
            add("added", e);
        }

        @Override
        public void attributeRemoved(ServletRequestAttributeEvent e) {
            add("removed", e);
        }

        @Override
        public void attributeReplaced(ServletRequestAttributeEvent e) {
            add("replaced", e);
        }
    }

    @Test
    void attributesAndTheirListenerEvents() throws Exception {
        AttributeEvents listener = new AttributeEvents();
        try (Deployed d = deploy(app -> app.addListener(listener), (req, out) -> {
            req.setAttribute("marker", "m");
            req.setAttribute("a", "1");
            req.setAttribute("a", "2");
            req.setAttribute("b", null); // like removeAttribute of an absent attribute: no event
            req.removeAttribute("nope");
            req.setAttribute("c", "x");
            List<String> names = list(req.getAttributeNames());
            Collections.sort(names);
            out.put("names", names);
            out.put("a", req.getAttribute("a"));
            req.removeAttribute("a");
            req.setAttribute("c", null);
            out.put("afterRemove", req.getAttribute("a") + "," + req.getAttribute("c"));
            req.removeAttribute("marker");
            out.put("namesAtEnd", list(req.getAttributeNames()));
            out.put("sameValue", attempt(() -> {
                Object o = new Object();
                req.setAttribute("o", o);
                return req.getAttribute("o") == o;
            }));
            req.removeAttribute("o");
        })) {
            Map<String, String> got = probe(d, req("GET /r/p HTTP/1.1", null));
            assertEquals("[a, c, marker]", got.get("names"));
            assertEquals("2", got.get("a"));
            assertEquals("null,null", got.get("afterRemove"));
            assertEquals("[]", got.get("namesAtEnd"));
            assertEquals("true", got.get("sameValue"));
            List<String> events = new ArrayList<>(listener.events);
            events.removeIf(e -> e.contains(" o=")); // the identity check's own events
            assertEquals(List.of(
                    "added marker=m on /r/p",
                    "added a=1 on /r/p",
                    "replaced a=1 on /r/p", // a replaced event carries the old value
                    "added c=x on /r/p",
                    "removed a=2 on /r/p",
                    "removed c=x on /r/p",
                    "removed marker=m on /r/p"), events);
        }
    }

    @Test
    void attributesDoNotOutliveTheRequest() throws Exception {
        try (Deployed d = deploy((req, out) -> {
            out.put("before", req.getAttribute("k"));
            req.setAttribute("k", "v");
        }); TckWire c = TckWire.open(d.port)) {
            String keepAlive = "GET /r/p HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
            assertEquals("null", parse(c.send(keepAlive)).get("before"));
            assertEquals("null", parse(c.send(keepAlive)).get("before"));
        }
    }

    // ---- Identifiers (Servlet 6) ----

    static final Probe IDS = (req, out) -> {
        ServletConnection c = req.getServletConnection();
        out.put("requestId", req.getRequestId());
        out.put("protocolRequestId", req.getProtocolRequestId());
        out.put("connectionId", c.getConnectionId());
        out.put("connectionProtocol", c.getProtocol());
        out.put("protocolConnectionId", c.getProtocolConnectionId());
        out.put("connectionSecure", c.isSecure());
    };

    @Test
    void requestIdsAreUniqueAndConnectionIdsFollowTheConnection() throws Exception {
        try (Deployed d = deploy(IDS); TckWire c1 = TckWire.open(d.port); TckWire c2 = TckWire.open(d.port)) {
            String keepAlive = "GET /r/p HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
            Map<String, String> a = parse(c1.send(keepAlive));
            Map<String, String> b = parse(c1.send(keepAlive));
            Map<String, String> other = parse(c2.send(keepAlive));
            Set<String> ids = Set.of(a.get("requestId"), b.get("requestId"), other.get("requestId"));
            assertEquals(3, ids.size(), ids::toString);
            assertFalse(ids.contains("") || ids.contains("null"), ids::toString);
            for (Map<String, String> m : List.of(a, b, other)) {
                assertEquals("", m.get("protocolRequestId"));
                assertEquals("http/1.1", m.get("connectionProtocol"));
                assertEquals("", m.get("protocolConnectionId"));
                assertEquals("false", m.get("connectionSecure"));
                assertFalse(m.get("connectionId").isEmpty());
            }
            assertEquals(a.get("connectionId"), b.get("connectionId"));
            assertNotEquals(a.get("connectionId"), other.get("connectionId"));
        }
    }

    @Test
    void servletConnectionNamesHttp10ForAnHttp10Request() throws Exception {
        try (Deployed d = deploy(IDS)) {
            Map<String, String> got = probe(d, req("GET /r/p HTTP/1.0", null));
            assertEquals("http/1.0", got.get("connectionProtocol"));
        }
    }

    // ---- Request line, length and type ----

    static final Probe REQUEST_LINE = (req, out) -> {
        out.put("method", req.getMethod());
        out.put("protocol", req.getProtocol());
        out.put("contentLength", req.getContentLength());
        out.put("contentLengthLong", req.getContentLengthLong());
        out.put("contentType", req.getContentType());
        out.put("body", new String(req.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1));
    };

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
        // request line          | Content-Type               | body / chunked        | method | protocol | length | type
        "POST /r/p HTTP/1.1      | text/plain; charset=UTF-8  | hello world           | POST   | HTTP/1.1 | 11     | text/plain; charset=UTF-8",
        "PUT /r/p HTTP/1.0       | application/octet-stream   | abc                   | PUT    | HTTP/1.0 | 3      | application/octet-stream",
        "POST /r/p HTTP/1.1      | application/json           | chunked:hello world   | POST   | HTTP/1.1 | -1     | application/json",
        "DELETE /r/p HTTP/1.1    | NULL                       | NULL                  | DELETE | HTTP/1.1 | NULL   | NULL",
        "PATCH /r/p HTTP/1.1     | text/x-diff                | +x                    | PATCH  | HTTP/1.1 | 2      | text/x-diff",
        "FOO /r/p HTTP/1.1       | NULL                       | NULL                  | FOO    | HTTP/1.1 | NULL   | NULL",
        "OPTIONS /r/p HTTP/1.1   | NULL                       | NULL                  | OPTIONS| HTTP/1.1 | NULL   | NULL",
        "GET /r/p HTTP/1.0       | NULL                       | NULL                  | GET    | HTTP/1.0 | NULL   | NULL",
    })
    void requestLineLengthAndType(String requestLine, String contentType, String body, String method,
            String protocol, String length, String type) throws Exception {
        try (Deployed d = deploy(REQUEST_LINE)) {
            List<String> headers = new ArrayList<>();
            if (contentType != null) {
                headers.add("Content-Type: " + contentType);
            }
            String text = body;
            String request;
            if (body != null && body.startsWith("chunked:")) {
                text = body.substring(8);
                headers.add("Transfer-Encoding: chunked");
                request = req(requestLine, "5\r\n" + text.substring(0, 5) + "\r\n" + Integer.toHexString(text.length() - 5)
                        + "\r\n" + text.substring(5) + "\r\n0\r\n\r\n", headers.toArray(new String[0]));
            } else {
                request = req(requestLine, body, headers.toArray(new String[0]));
            }
            Map<String, String> got = probe(d, request);
            assertEquals(method, got.get("method"));
            assertEquals(protocol, got.get("protocol"));
            if (length != null) {
                // Without a body the length is 0 or -1 (unknown); with one it is exact.
                assertEquals(length, got.get("contentLength"));
                assertEquals(length, got.get("contentLengthLong"));
            }
            assertEquals(String.valueOf(type), got.get("contentType"));
            assertEquals(text == null ? "" : text, got.get("body"));
        }
    }

    // ---- Chunked bodies and trailer fields ----

    @ParameterizedTest(name = "read with {0}")
    @CsvSource({"stream", "reader"})
    void chunkedBodyWithTrailerFields(String how) throws Exception {
        try (Deployed d = deploy((req, out) -> {
            out.put("readyBefore", req.isTrailerFieldsReady());
            out.put("trailersBefore", attempt(req::getTrailerFields));
            if (how.equals("stream")) {
                out.put("body", new String(req.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            } else {
                StringBuilder b = new StringBuilder();
                BufferedReader r = req.getReader();
                for (int c; (c = r.read()) >= 0; ) {
                    b.append((char) c);
                }
                out.put("body", b);
            }
            out.put("readyAfter", req.isTrailerFieldsReady());
            out.put("trailers", req.getTrailerFields());
            out.put("notBacked", attempt(() -> {
                req.getTrailerFields().put("x", "y");
                return req.getTrailerFields().containsKey("x");
            }));
            out.put("contentLength", req.getContentLengthLong());
        })) {
            String chunked = "5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\nX-Checksum: abc\r\nx-other: 1\r\n\r\n";
            Map<String, String> got = probe(d, req("POST /r/p HTTP/1.1", chunked,
                    "Content-Type: text/plain; charset=UTF-8", "Transfer-Encoding: chunked", "Trailer: X-Checksum, X-Other"));
            assertEquals("false", got.get("readyBefore"));
            assertEquals("!IllegalStateException", got.get("trailersBefore"));
            assertEquals("hello world", got.get("body"));
            assertEquals("true", got.get("readyAfter"));
            // Keys in lower case, whatever case they came in.
            assertEquals("{x-checksum=abc, x-other=1}", got.get("trailers"));
            assertTrue(got.get("notBacked").equals("false") || got.get("notBacked").equals("!UnsupportedOperationException"),
                    got.get("notBacked"));
            assertEquals("-1", got.get("contentLength"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "content-length body | POST /r/p HTTP/1.1 | hello",
        "no body             | GET /r/p HTTP/1.1  | -",
        "HTTP/1.0            | POST /r/p HTTP/1.0 | hello",
    })
    void trailerFieldsAreReadyAtOnceWithoutChunkedCoding(String name, String requestLine, String body) throws Exception {
        try (Deployed d = deploy((req, out) -> {
            out.put("ready", req.isTrailerFieldsReady());
            out.put("trailers", attempt(req::getTrailerFields));
        })) {
            Map<String, String> got = probe(d, req(requestLine, body.equals(NO) ? null : body));
            assertEquals("true", got.get("ready"));
            assertEquals("{}", got.get("trailers"));
        }
    }

    @Test
    void chunkedBodyWithoutTrailersHasAnEmptyTrailerMap() throws Exception {
        try (Deployed d = deploy((req, out) -> {
            out.put("body", new String(req.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            out.put("ready", req.isTrailerFieldsReady());
            out.put("trailers", req.getTrailerFields());
        })) {
            Map<String, String> got = probe(d, req("POST /r/p HTTP/1.1", "3\r\nabc\r\n0\r\n\r\n", "Transfer-Encoding: chunked"));
            assertEquals("abc", got.get("body"));
            assertEquals("true", got.get("ready"));
            assertEquals("{}", got.get("trailers"));
        }
    }

    // ---- ServletRequestListener (§11.2) ----

    static final class RequestEvents implements ServletRequestListener {
        final List<String> events = new CopyOnWriteArrayList<>();
        volatile Object context;

        @Override
        public void requestInitialized(ServletRequestEvent sre) {
            HttpServletRequest r = (HttpServletRequest) sre.getServletRequest();
            context = sre.getServletContext();
            events.add("initialized " + r.getRequestURI() + " " + r.getRequestId());
        }

        @Override
        public void requestDestroyed(ServletRequestEvent sre) {
            HttpServletRequest r = (HttpServletRequest) sre.getServletRequest();
            events.add("destroyed " + r.getRequestURI() + " " + r.getRequestId());
        }
    }

    static List<String> awaitEvents(List<String> events, int n) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (events.size() < n && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        return new ArrayList<>(events);
    }

    @Test
    void requestListenerIsCalledAroundEachRequest() throws Exception {
        RequestEvents listener = new RequestEvents();
        WebApp[] app = new WebApp[1];
        try (Deployed d = deploy(a -> {
            app[0] = a;
            a.addListener(listener);
        }, (req, out) -> {
            listener.events.add("service " + req.getRequestURI() + " " + req.getRequestId());
            if (req.getParameter("fail") != null) {
                throw new Escape("the servlet fails");
            }
        })) {
            assertEquals(200, TckWire.get(d.port, "/r/p").status());
            assertEquals(500, TckWire.get(d.port, "/r/p?fail=1").status());
            List<String> events = awaitEvents(listener.events, 6);
            assertEquals(6, events.size(), events::toString);
            for (int i = 0; i < 6; i += 3) {
                String id = events.get(i).substring(events.get(i).lastIndexOf(' ') + 1);
                assertEquals(List.of("initialized /r/p " + id, "service /r/p " + id, "destroyed /r/p " + id),
                        events.subList(i, i + 3));
            }
            assertTrue(listener.context == app[0]);
        }
    }

    @Test
    void requestListenerSeesAMappedRequest() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        try (Deployed d = deploy(a -> a.addListener(new ServletRequestListener() {
            @Override
            public void requestInitialized(ServletRequestEvent sre) {
                HttpServletRequest r = (HttpServletRequest) sre.getServletRequest();
                seen.add(r.getServletPath() + " " + r.getPathInfo() + " "
                        + (r.getHttpServletMapping() == null ? "no mapping" : r.getHttpServletMapping().getPattern()));
            }
        }), (req, out) -> { })) {
            assertEquals(200, TckWire.get(d.port, "/r/p").status());
            assertEquals(List.of("/p null /p"), awaitEvents(seen, 1));
        }
    }
}
