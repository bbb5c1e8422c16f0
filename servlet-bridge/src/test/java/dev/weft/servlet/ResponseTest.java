package dev.weft.servlet;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.SessionTrackingMode;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Servlet 6.1 chapter 5, "The Response", over the wire: content type and character encoding in
 * every order the Javadoc speaks of, writer or stream, buffering and commitment, reset, content
 * length, headers, status, redirects in all four forms, error pages, cookies, URL rewriting and
 * trailer fields.
 */
class ResponseTest {

    /** What the servlet of a test does; {@code seen} carries what it saw back to the test. */
    @FunctionalInterface
    interface Body {
        void handle(HttpServletRequest req, HttpServletResponse resp, Seen seen) throws Exception;
    }

    /**
     * What a servlet saw, for the test thread: the response body is often the subject of the
     * test, and a response may reach the client before its servlet has returned.
     */
    static final class Seen {
        private final Map<String, String> values = new ConcurrentHashMap<>();
        private final Semaphore requestsDone = new Semaphore(0);

        void put(String key, Object value) {
            values.put(key, String.valueOf(value));
        }

        /** The values once the next request's servlet has returned. */
        Map<String, String> await() throws InterruptedException {
            assertTrue(requestsDone.tryAcquire(10, TimeUnit.SECONDS), "the servlet did not finish");
            return values;
        }
    }

    static final class Fn extends HttpServlet {
        private final Body body;
        private final Seen seen;

        Fn(Body body, Seen seen) {
            this.body = body;
            this.seen = seen;
        }

        @Override
        protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            try {
                body.handle(req, resp, seen);
            } catch (IOException | RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IOException(e);
            } finally {
                seen.requestsDone.release();
            }
        }
    }

    /** A deployed application with one {@link Fn} servlet, and what it saw. */
    record App(Deployed d, Seen seen) implements AutoCloseable {
        int port() {
            return d.port;
        }

        TckWire.Resp get(String target, String... headerLines) throws IOException {
            return TckWire.get(d.port, target, headerLines);
        }

        @Override
        public void close() throws IOException {
            try {
                d.close();
            } catch (IOException | RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IOException(e);
            }
        }
    }

    /** Deploys {@code body} at {@code /ctx} + {@code pattern}, the application configured by {@code config} first. */
    static App deploy(String pattern, Consumer<WebApp> config, Body body) throws Exception {
        Seen seen = new Seen();
        WebApp app = new WebApp("/ctx");
        app.addServlet("fn", new Fn(body, seen)).addMapping(pattern);
        config.accept(app);
        return new App(Deployed.start(app), seen);
    }

    static App deploy(Body body) throws Exception {
        return deploy("/fn", a -> {}, body);
    }

    /** The value of {@code c}, or "!" and the simple name of what it threw. */
    static String attempt(Callable<?> c) {
        try {
            return String.valueOf(c.call());
        } catch (Exception e) {
            return "!" + e.getClass().getSimpleName();
        }
    }

    interface Action {
        void run() throws Exception;
    }

    /** "ok", or "!" and the simple name of what {@code a} threw. */
    static String attemptRun(Action a) {
        try {
            a.run();
            return "ok";
        } catch (Exception e) {
            return "!" + e.getClass().getSimpleName();
        }
    }

    static final String DEFAULT_LOCALE = Locale.getDefault().toLanguageTag();

    // ---- Content type, character encoding and locale (§5.5, ServletResponse Javadoc) ----

    /**
     * Applies the operations of the {@code X-Ops} request header in order, then reports
     * getContentType, getCharacterEncoding and getLocale in the body (through the writer if one
     * was obtained, else the stream, so reporting changes nothing).
     *
     * <p>Operations, comma-separated: {@code ct=<type>}, {@code ce=<charset>}, {@code loc=<tag>}
     * (each with {@code null} for null), {@code writer}, {@code stream}, {@code flush}, {@code reset}.
     */
    static final class OpsServlet extends HttpServlet {
        @Override
        protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            String ops = req.getHeader("X-Ops");
            PrintWriter writer = null;
            for (String raw : ops == null || ops.isBlank() ? new String[0] : ops.split(",")) {
                String op = raw.strip();
                int eq = op.indexOf('=');
                String name = eq < 0 ? op : op.substring(0, eq);
                String value = eq < 0 ? null : op.substring(eq + 1);
                if ("null".equals(value)) {
                    value = null;
                }
                switch (name) {
                    case "ct" -> resp.setContentType(value);
                    case "ce" -> resp.setCharacterEncoding(value);
                    case "loc" -> resp.setLocale(value == null ? null : Locale.forLanguageTag(value));
                    case "writer" -> writer = resp.getWriter();
                    case "stream" -> resp.getOutputStream();
                    case "flush" -> resp.flushBuffer();
                    case "reset" -> {
                        resp.reset();
                        writer = null;
                    }
                    default -> throw new IllegalArgumentException("unknown op " + op);
                }
            }
            String report = "ct=" + resp.getContentType() + "\nce=" + resp.getCharacterEncoding() + "\nloc="
                    + resp.getLocale().toLanguageTag() + "\n";
            if (writer != null) {
                writer.print(report);
            } else {
                resp.getOutputStream().write(report.getBytes(StandardCharsets.ISO_8859_1));
            }
        }
    }

    static Deployed ops;

    @BeforeAll
    static void deployOps() throws Exception {
        WebApp plain = new WebApp("/plain");
        plain.addServlet("ops", new OpsServlet()).addMapping("/ops");
        plain.addLocaleEncodingMapping("ja", "Shift_JIS");
        plain.addLocaleEncodingMapping("zh_TW", "Big5");
        WebApp utf = new WebApp("/utf");
        utf.addServlet("ops", new OpsServlet()).addMapping("/ops");
        utf.addLocaleEncodingMapping("ja", "Shift_JIS");
        utf.setResponseCharacterEncoding("UTF-8");
        ops = Deployed.start(plain, utf);
    }

    @AfterAll
    static void stopOps() throws Exception {
        if (ops != null) {
            ops.close();
        }
    }

    static Map<String, String> report(TckWire.Resp r) {
        Map<String, String> m = new HashMap<>();
        for (String line : r.body().split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                m.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return m;
    }

    static void checkOps(String app, String opList, String contentType, String encoding, String wireType,
            String language, String locale) throws IOException {
        TckWire.Resp r = TckWire.get(ops.port, "/" + app + "/ops", "X-Ops: " + opList);
        assertEquals(200, r.status(), r::body);
        Map<String, String> got = report(r);
        String where = "/" + app + " [" + opList + "] " + got + " Content-Type: " + r.header("Content-Type");
        assertAll(where,
                () -> assertEquals(contentType.equals("-") ? "null" : contentType, got.get("ct"), "getContentType"),
                () -> assertEquals(encoding, got.get("ce"), "getCharacterEncoding"),
                () -> assertEquals(wireType.equals("-") ? null : wireType, r.header("Content-Type"), "Content-Type on the wire"),
                () -> assertEquals(language.equals("-") ? null : language, r.header("Content-Language"), "Content-Language"),
                () -> assertEquals(locale.equals("default") ? DEFAULT_LOCALE : locale, got.get("loc"), "getLocale"));
    }

    @ParameterizedTest(name = "[{index}] /{0}: {1}")
    @CsvSource(delimiter = '|', value = {
        // app   | operations                                         | getContentType                 | getCharacterEncoding | Content-Type on the wire       | Content-Language | getLocale
        "plain   | ''                                                 | -                              | ISO-8859-1 | -                              | -     | default",
        "plain   | ct=text/html                                       | text/html                      | ISO-8859-1 | text/html                      | -     | default",
        // getWriter fixes the charset, before or after the content type is set.
        "plain   | ct=text/html, writer                               | text/html;charset=ISO-8859-1   | ISO-8859-1 | text/html;charset=ISO-8859-1   | -     | default",
        "plain   | writer, ct=text/html                               | text/html;charset=ISO-8859-1   | ISO-8859-1 | text/html;charset=ISO-8859-1   | -     | default",
        "plain   | ct=text/html;charset=UTF-8                         | text/html;charset=UTF-8        | UTF-8      | text/html;charset=UTF-8        | -     | default",
        "plain   | ce=UTF-8, ct=text/html                             | text/html;charset=UTF-8        | UTF-8      | text/html;charset=UTF-8        | -     | default",
        "plain   | ct=text/html, ce=UTF-8                             | text/html;charset=UTF-8        | UTF-8      | text/html;charset=UTF-8        | -     | default",
        "plain   | ct=text/html;charset=UTF-8, ce=ISO-8859-2          | text/html;charset=ISO-8859-2   | ISO-8859-2 | text/html;charset=ISO-8859-2   | -     | default",
        "plain   | ce=UTF-8                                           | -                              | UTF-8      | -                              | -     | default",
        "plain   | ce=UTF-8, writer                                   | -                              | UTF-8      | -                              | -     | default",
        // After getWriter, neither setCharacterEncoding nor a charset in setContentType has an effect.
        "plain   | writer, ce=UTF-8, ct=text/html                     | text/html;charset=ISO-8859-1   | ISO-8859-1 | text/html;charset=ISO-8859-1   | -     | default",
        "plain   | writer, ct=text/html;charset=UTF-8                 | text/html;charset=ISO-8859-1   | ISO-8859-1 | text/html;charset=ISO-8859-1   | -     | default",
        "plain   | ce=UTF-8, writer, ct=text/plain;charset=ISO-8859-2 | text/plain;charset=UTF-8       | UTF-8      | text/plain;charset=UTF-8       | -     | default",
        // setContentType without a charset keeps the one set before.
        "plain   | ct=text/html;charset=UTF-8, ct=text/plain          | text/plain;charset=UTF-8       | UTF-8      | text/plain;charset=UTF-8       | -     | default",
        // setLocale: Content-Language, and the mapped charset unless one was set explicitly.
        "plain   | ct=text/html, loc=ja                               | text/html;charset=Shift_JIS    | Shift_JIS  | text/html;charset=Shift_JIS    | ja    | ja",
        "plain   | loc=ja, ct=text/html, writer                       | text/html;charset=Shift_JIS    | Shift_JIS  | text/html;charset=Shift_JIS    | ja    | ja",
        "plain   | loc=zh-TW, ct=text/html                            | text/html;charset=Big5         | Big5       | text/html;charset=Big5         | zh-TW | zh-TW",
        "plain   | ct=text/html;charset=UTF-8, loc=ja                 | text/html;charset=UTF-8        | UTF-8      | text/html;charset=UTF-8        | ja    | ja",
        "plain   | ce=UTF-8, loc=ja, ct=text/html                     | text/html;charset=UTF-8        | UTF-8      | text/html;charset=UTF-8        | ja    | ja",
        "plain   | loc=ja, ce=UTF-8, ct=text/html                     | text/html;charset=UTF-8        | UTF-8      | text/html;charset=UTF-8        | ja    | ja",
        "plain   | loc=ja, ct=text/html;charset=UTF-8                 | text/html;charset=UTF-8        | UTF-8      | text/html;charset=UTF-8        | ja    | ja",
        "plain   | ct=text/html, writer, loc=ja                       | text/html;charset=ISO-8859-1   | ISO-8859-1 | text/html;charset=ISO-8859-1   | ja    | ja",
        // Without a locale-encoding mapping the charset stays ISO-8859-1.
        "plain   | loc=fr, ct=text/html, writer                       | text/html;charset=ISO-8859-1   | ISO-8859-1 | text/html;charset=ISO-8859-1   | fr    | fr",
        // null clears what was set.
        "plain   | ce=UTF-8, ce=null, ct=text/html                    | text/html                      | ISO-8859-1 | text/html                      | -     | default",
        "plain   | loc=ja, ce=null, ct=text/html                      | text/html                      | ISO-8859-1 | text/html                      | ja    | ja",
        "plain   | ct=text/html;charset=UTF-8, ct=null                | -                              | ISO-8859-1 | -                              | -     | default",
        "plain   | ct=text/html;charset=UTF-8, ct=null, ct=text/plain | text/plain                     | ISO-8859-1 | text/plain                     | -     | default",
        "plain   | ce=UTF-8, ct=null, ct=text/plain                   | text/plain                     | ISO-8859-1 | text/plain                     | -     | default",
        // A stream does not fix the charset.
        "plain   | stream, ct=text/html                               | text/html                      | ISO-8859-1 | text/html                      | -     | default",
        "plain   | stream, ct=text/html;charset=UTF-8                 | text/html;charset=UTF-8        | UTF-8      | text/html;charset=UTF-8        | -     | default",
        // Once committed, nothing changes any more.
        "plain   | ct=text/html, flush, ce=UTF-8, ct=text/plain, loc=ja | text/html                    | ISO-8859-1 | text/html                      | -     | default",
        // reset forgets type, charset, locale and the writer.
        "plain   | ct=text/html;charset=UTF-8, loc=ja, reset          | -                              | ISO-8859-1 | -                              | -     | default",
        "plain   | writer, reset, ce=UTF-8, ct=text/html, writer      | text/html;charset=UTF-8        | UTF-8      | text/html;charset=UTF-8        | -     | default",
        // The application's response encoding is the default; per-request settings win over it.
        "utf     | ''                                                 | -                              | UTF-8      | -                              | -     | default",
        "utf     | ct=text/html, writer                               | text/html;charset=UTF-8        | UTF-8      | text/html;charset=UTF-8        | -     | default",
        "utf     | writer, ct=text/html                               | text/html;charset=UTF-8        | UTF-8      | text/html;charset=UTF-8        | -     | default",
        "utf     | ce=ISO-8859-2, ct=text/html                        | text/html;charset=ISO-8859-2   | ISO-8859-2 | text/html;charset=ISO-8859-2   | -     | default",
        "utf     | ce=ISO-8859-2, ce=null, ct=text/html, writer       | text/html;charset=UTF-8        | UTF-8      | text/html;charset=UTF-8        | -     | default",
        "utf     | ct=text/html;charset=ISO-8859-2, ct=null, ct=text/plain, writer | text/plain;charset=UTF-8 | UTF-8 | text/plain;charset=UTF-8 | -     | default",
        "utf     | loc=ja, ct=text/html, writer                       | text/html;charset=Shift_JIS    | Shift_JIS  | text/html;charset=Shift_JIS    | ja    | ja",
    })
    void contentTypeCharacterEncodingAndLocale(String app, String opList, String contentType, String encoding,
            String wireType, String language, String locale) throws IOException {
        checkOps(app, opList, contentType, encoding, wireType, language, locale);
    }

    @ParameterizedTest(name = "[{index}] /{0}: {1}")
    @CsvSource(delimiter = '|', value = {
        "plain | loc=ja, ct=null, ct=text/html          | text/html | ISO-8859-1 | text/html | ja | ja",
        "utf   | loc=ja, ct=null, ct=text/html, writer  | text/html;charset=UTF-8 | UTF-8 | text/html;charset=UTF-8 | ja | ja",
    })
    void setContentTypeNullClearsTheCharsetSetLocaleImplied(String app, String opList, String contentType,
            String encoding, String wireType, String language, String locale) throws IOException {
        checkOps(app, opList, contentType, encoding, wireType, language, locale);
    }

    @ParameterizedTest(name = "[{index}] /{0}: {1}")
    @CsvSource(delimiter = '|', value = {
        "plain | ct=text/html, loc=ja, loc=null          | text/html | ISO-8859-1 | text/html | - | default",
        "plain | loc=fr, loc=null, ct=text/html, writer  | text/html;charset=ISO-8859-1 | ISO-8859-1 | text/html;charset=ISO-8859-1 | - | default",
    })
    void setLocaleNullClearsTheLocaleAndItsCharset(String app, String opList, String contentType,
            String encoding, String wireType, String language, String locale) throws IOException {
        checkOps(app, opList, contentType, encoding, wireType, language, locale);
    }

    /** Writes {@code X-Text} (UTF-8, hex) through the writer after the operations of {@code X-Ops}. */
    static final class EncodeServlet extends HttpServlet {
        @Override
        protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            for (String op : req.getHeader("X-Ops").split(",")) {
                String o = op.strip();
                if (o.startsWith("ce=")) {
                    resp.setCharacterEncoding(o.substring(3));
                } else if (o.startsWith("loc=")) {
                    resp.setLocale(Locale.forLanguageTag(o.substring(4)));
                } else if (o.startsWith("ct=")) {
                    resp.setContentType(o.substring(3));
                }
            }
            String text = new String(HexFormat.of().parseHex(req.getHeader("X-Text")), StandardCharsets.UTF_8);
            PrintWriter w = resp.getWriter();
            // In pieces, a surrogate pair split between two writes.
            for (int i = 0; i < text.length(); i++) {
                w.write(text.charAt(i));
            }
        }
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
        "ct=text/plain                        | \u00e9               | e9",
        "ce=UTF-8                             | \u00e9\u20ac         | c3a9e282ac",
        "ct=text/plain;charset=windows-1252   | \u20ac\u00e9         | 80e9",
        "ct=text/plain, loc=ja                | \u65e5\u672c         | 93fa967b",
        "ce=UTF-8                             | \ud83d\ude00         | f09f9880",
        "ce=UTF-16BE                          | A\u00e9              | 004100e9",
    })
    void theWriterEncodesWithTheResponseCharset(String opList, String text, String hex) throws Exception {
        WebApp app = new WebApp("/enc");
        app.addServlet("enc", new EncodeServlet()).addMapping("/");
        app.addLocaleEncodingMapping("ja", "Shift_JIS");
        try (Deployed d = Deployed.start(app)) {
            TckWire.Resp r = TckWire.get(d.port, "/enc/x", "X-Ops: " + opList,
                    "X-Text: " + HexFormat.of().formatHex(text.getBytes(StandardCharsets.UTF_8)));
            assertEquals(200, r.status());
            assertEquals(hex, HexFormat.of().formatHex(r.bodyBytes()));
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ce", "ct"})
    void anUnknownCharsetFailsGetWriterButNotTheStream(String how) throws Exception {
        try (App a = deploy((req, resp, seen) -> {
            if (how.equals("ce")) {
                resp.setContentType("text/plain");
                resp.setCharacterEncoding("no-such-charset");
            } else {
                resp.setContentType("text/plain;charset=no-such-charset");
            }
            seen.put("writer", attempt(resp::getWriter));
            resp.getOutputStream().write("raw".getBytes(StandardCharsets.ISO_8859_1));
        })) {
            TckWire.Resp r = a.get("/ctx/fn");
            assertEquals("!UnsupportedEncodingException", a.seen().await().get("writer"));
            assertEquals("raw", r.body());
        }
    }

    // ---- Writer or stream (§5.1) ----

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "writer, stream        | !IllegalStateException | junk",
        "stream, writer        | !IllegalStateException | junk",
        "writer, writer        | same                   | junkok",
        "stream, stream        | same                   | junkok",
        "writer, reset, stream | ok                     | ok",
        "stream, reset, writer | ok                     | ok",
        "writer, reset, writer | ok                     | ok",
    })
    void getWriterAndGetOutputStreamExcludeEachOtherUntilReset(String sequence, String outcome, String body)
            throws Exception {
        try (App a = deploy((req, resp, seen) -> {
            String[] steps = sequence.split(", ");
            Object first = steps[0].equals("writer") ? resp.getWriter() : resp.getOutputStream();
            write(first, "junk");
            if (steps[1].equals("reset")) {
                resp.reset();
            }
            String last = steps[steps.length - 1];
            String second = attempt(() -> last.equals("writer") ? resp.getWriter() : resp.getOutputStream());
            if (second.startsWith("!")) {
                seen.put("second", second);
                return;
            }
            Object out = last.equals("writer") ? resp.getWriter() : resp.getOutputStream();
            seen.put("second", steps[1].equals("reset") ? "ok" : out == first ? "same" : "different");
            write(out, "ok");
        })) {
            TckWire.Resp r = a.get("/ctx/fn");
            assertEquals(outcome, a.seen().await().get("second"));
            assertEquals(body, r.body());
        }
    }

    static void write(Object out, String s) throws IOException {
        if (out instanceof PrintWriter w) {
            w.print(s);
        } else {
            ((ServletOutputStream) out).write(s.getBytes(StandardCharsets.ISO_8859_1));
        }
    }

    // ---- Buffering (§5.2) ----

    @Test
    void setBufferSizeGivesABufferAtLeastThatLarge() throws Exception {
        try (App a = deploy((req, resp, seen) -> {
            seen.put("default", resp.getBufferSize());
            resp.setBufferSize(32 * 1024);
            seen.put("large", resp.getBufferSize());
            resp.setBufferSize(100);
            seen.put("small", resp.getBufferSize());
        })) {
            assertEquals(200, a.get("/ctx/fn").status());
            Map<String, String> seen = a.seen().await();
            assertTrue(Integer.parseInt(seen.get("default")) > 0, seen::toString);
            assertTrue(Integer.parseInt(seen.get("large")) >= 32 * 1024, seen::toString);
            assertTrue(Integer.parseInt(seen.get("small")) >= 100, seen::toString);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"stream", "writer", "flushBuffer"})
    void setBufferSizeAfterContentThrowsIllegalState(String how) throws Exception {
        try (App a = deploy((req, resp, seen) -> {
            switch (how) {
                case "stream" -> resp.getOutputStream().write('x');
                case "writer" -> resp.getWriter().print('x');
                default -> resp.flushBuffer();
            }
            seen.put("committed", resp.isCommitted());
            seen.put("setBufferSize", attemptRun(() -> resp.setBufferSize(64 * 1024)));
        })) {
            TckWire.Resp r = a.get("/ctx/fn");
            Map<String, String> seen = a.seen().await();
            assertEquals(String.valueOf(how.equals("flushBuffer")), seen.get("committed"));
            assertEquals("!IllegalStateException", seen.get("setBufferSize"));
            assertEquals(how.equals("flushBuffer") ? "" : "x", r.body());
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"flushBuffer", "stream.flush"})
    void flushingCommitsTheResponse(String how) throws Exception {
        try (App a = deploy((req, resp, seen) -> {
            resp.setStatus(202);
            boolean writer = how.startsWith("writer");
            if (writer) {
                resp.getWriter().print("abc");
            } else {
                resp.getOutputStream().write("abc".getBytes(StandardCharsets.ISO_8859_1));
            }
            seen.put("beforeFlush", resp.isCommitted());
            switch (how) {
                case "flushBuffer" -> resp.flushBuffer();
                case "stream.flush" -> resp.getOutputStream().flush();
                default -> resp.getWriter().flush();
            }
            seen.put("afterFlush", resp.isCommitted());
            // Committed: these change nothing.
            resp.setStatus(500);
            resp.setHeader("X-Late", "1");
            seen.put("status", resp.getStatus());
            if (writer) {
                resp.getWriter().print("def");
            } else {
                resp.getOutputStream().write("def".getBytes(StandardCharsets.ISO_8859_1));
            }
        })) {
            TckWire.Resp r = a.get("/ctx/fn");
            Map<String, String> seen = a.seen().await();
            assertEquals("false", seen.get("beforeFlush"));
            assertEquals("true", seen.get("afterFlush"));
            assertEquals("202", seen.get("status"));
            assertEquals(202, r.status());
            assertNull(r.header("X-Late"));
            assertEquals("abcdef", r.body());
        }
    }

    @Test
    void writerFlushCommits() throws Exception {
        flushingCommitsTheResponse("writer.flush");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"stream", "writer"})
    void fillingTheBufferCommitsTheResponse(String how) throws Exception {
        try (App a = deploy((req, resp, seen) -> {
            resp.setBufferSize(8192);
            int n = resp.getBufferSize();
            seen.put("n", n);
            String fill = "x".repeat(n);
            if (how.equals("stream")) {
                resp.getOutputStream().write(fill.getBytes(StandardCharsets.ISO_8859_1));
            } else {
                resp.getWriter().print(fill);
            }
            seen.put("full", resp.isCommitted());
            if (how.equals("stream")) {
                resp.getOutputStream().write('y');
            } else {
                resp.getWriter().print('y');
            }
            seen.put("overflowed", resp.isCommitted());
            seen.put("reset", attemptRun(resp::reset));
            seen.put("resetBuffer", attemptRun(resp::resetBuffer));
        })) {
            TckWire.Resp r = a.get("/ctx/fn");
            Map<String, String> seen = a.seen().await();
            int n = Integer.parseInt(seen.get("n"));
            assertEquals("true", seen.get("overflowed"));
            assertEquals("!IllegalStateException", seen.get("reset"));
            assertEquals("!IllegalStateException", seen.get("resetBuffer"));
            assertEquals("x".repeat(n) + "y", r.body());
            assertEquals(200, r.status());
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"stream", "writer"})
    void resetBufferKeepsStatusAndHeaders(String how) throws Exception {
        try (App a = deploy((req, resp, seen) -> {
            resp.setStatus(201);
            resp.setHeader("X-Kept", "1");
            resp.setContentType("text/plain");
            Object out = how.equals("stream") ? resp.getOutputStream() : resp.getWriter();
            write(out, "junk");
            resp.resetBuffer();
            seen.put("committed", resp.isCommitted());
            write(out, "ok");
        })) {
            TckWire.Resp r = a.get("/ctx/fn");
            assertEquals("false", a.seen().await().get("committed"));
            assertEquals(201, r.status());
            assertEquals("1", r.header("X-Kept"));
            assertTrue(r.header("Content-Type").startsWith("text/plain"), r.header("Content-Type"));
            assertEquals("ok", r.body());
        }
    }

    @Test
    void resetClearsBufferStatusHeadersCookiesAndLocale() throws Exception {
        try (App a = deploy((req, resp, seen) -> {
            resp.setStatus(201);
            resp.setHeader("X-Gone", "1");
            resp.addCookie(new Cookie("gone", "1"));
            resp.setContentType("text/html;charset=UTF-8");
            resp.setLocale(Locale.FRENCH);
            resp.getWriter().print("junk");
            resp.reset();
            seen.put("status", resp.getStatus());
            seen.put("containsHeader", resp.containsHeader("X-Gone"));
            seen.put("contentType", resp.getContentType());
            seen.put("encoding", resp.getCharacterEncoding());
            resp.getOutputStream().write("ok".getBytes(StandardCharsets.ISO_8859_1));
        })) {
            TckWire.Resp r = a.get("/ctx/fn");
            Map<String, String> seen = a.seen().await();
            assertAll(
                    () -> assertEquals("200", seen.get("status")),
                    () -> assertEquals("false", seen.get("containsHeader")),
                    () -> assertEquals("null", seen.get("contentType")),
                    () -> assertEquals("ISO-8859-1", seen.get("encoding")),
                    () -> assertEquals(200, r.status()),
                    () -> assertNull(r.header("X-Gone")),
                    () -> assertNull(r.header("Set-Cookie")),
                    () -> assertNull(r.header("Content-Type")),
                    () -> assertNull(r.header("Content-Language")),
                    () -> assertEquals("ok", r.body()));
        }
    }

    @Test
    void afterCommitResetThrowsAndSettersAreIgnored() throws Exception {
        try (App a = deploy((req, resp, seen) -> {
            resp.setContentType("text/plain");
            resp.getOutputStream().write("a".getBytes(StandardCharsets.ISO_8859_1));
            resp.flushBuffer();
            seen.put("reset", attemptRun(resp::reset));
            seen.put("resetBuffer", attemptRun(resp::resetBuffer));
            seen.put("setBufferSize", attemptRun(() -> resp.setBufferSize(100_000)));
            resp.setStatus(404);
            resp.setHeader("X-Late", "1");
            resp.addHeader("X-Late-Add", "1");
            resp.setIntHeader("X-Late-Int", 1);
            resp.setDateHeader("X-Late-Date", 0);
            resp.addCookie(new Cookie("late", "1"));
            resp.setContentType("text/html;charset=UTF-8");
            resp.setCharacterEncoding("UTF-8");
            resp.setLocale(Locale.JAPANESE);
            resp.setContentLength(1);
            seen.put("status", resp.getStatus());
            seen.put("containsHeader", resp.containsHeader("X-Late") || resp.containsHeader("X-Late-Add")
                    || resp.containsHeader("X-Late-Int") || resp.containsHeader("X-Late-Date"));
            seen.put("contentType", resp.getContentType());
            seen.put("encoding", resp.getCharacterEncoding());
            resp.getOutputStream().write("b".getBytes(StandardCharsets.ISO_8859_1));
        })) {
            TckWire.Resp r = a.get("/ctx/fn");
            Map<String, String> seen = a.seen().await();
            assertAll(
                    () -> assertEquals("!IllegalStateException", seen.get("reset")),
                    () -> assertEquals("!IllegalStateException", seen.get("resetBuffer")),
                    () -> assertEquals("!IllegalStateException", seen.get("setBufferSize")),
                    () -> assertEquals("200", seen.get("status")),
                    () -> assertEquals("false", seen.get("containsHeader")),
                    () -> assertEquals("text/plain", seen.get("contentType")),
                    () -> assertEquals("ISO-8859-1", seen.get("encoding")),
                    () -> assertEquals(200, r.status()),
                    () -> assertNull(r.header("X-Late")),
                    () -> assertNull(r.header("Set-Cookie")),
                    () -> assertNull(r.header("Content-Language")),
                    () -> assertEquals("text/plain", r.header("Content-Type")),
                    () -> assertEquals("ab", r.body()));
        }
    }

    // ---- Content length (§5.7) ----

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"setContentLength", "setContentLengthLong", "setHeader", "setIntHeader", "writer"})
    void theResponseIsCompleteOnceTheDeclaredLengthWasWritten(String how) throws Exception {
        try (App a = deploy((req, resp, seen) -> {
            switch (how) {
                case "setContentLengthLong" -> resp.setContentLengthLong(5L);
                case "setHeader" -> resp.setHeader("Content-Length", "5");
                case "setIntHeader" -> resp.setIntHeader("Content-Length", 5);
                default -> resp.setContentLength(5);
            }
            if (how.equals("writer")) {
                PrintWriter w = resp.getWriter();
                w.print("hel");
                seen.put("partial", resp.isCommitted());
                w.print("lo world");
                seen.put("complete", resp.isCommitted());
                w.print("more");
            } else {
                var out = resp.getOutputStream();
                out.write("hel".getBytes(StandardCharsets.ISO_8859_1));
                seen.put("partial", resp.isCommitted());
                out.write("lo world".getBytes(StandardCharsets.ISO_8859_1));
                seen.put("complete", resp.isCommitted());
                out.write("more".getBytes(StandardCharsets.ISO_8859_1));
            }
            resp.setHeader("X-Late", "1");
        }); TckWire c = TckWire.open(a.port())) {
            String keepAlive = "GET /ctx/fn HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
            TckWire.Resp r = c.send(keepAlive);
            Map<String, String> seen = a.seen().await();
            assertEquals("false", seen.get("partial"));
            assertEquals("true", seen.get("complete"));
            assertEquals("5", r.header("Content-Length"));
            assertEquals("hello", r.body());
            assertNull(r.header("X-Late"));
            // Nothing more followed on the connection: the next response reads cleanly.
            TckWire.Resp next = c.send(keepAlive);
            assertEquals(200, next.status());
            assertEquals("hello", next.body());
        }
    }

    @Test
    void contentLengthMayBeChangedUntilCommitted() throws Exception {
        try (App a = deploy((req, resp, seen) -> {
            resp.setContentLength(100);
            resp.setContentLengthLong(3);
            resp.getOutputStream().write("abc".getBytes(StandardCharsets.ISO_8859_1));
            seen.put("committed", resp.isCommitted());
        })) {
            TckWire.Resp r = a.get("/ctx/fn");
            assertEquals("true", a.seen().await().get("committed"));
            assertEquals("3", r.header("Content-Length"));
            assertEquals("abc", r.body());
        }
    }

    // ---- Headers (§5.3) ----

    @Test
    void headers() throws Exception {
        try (App a = deploy((req, resp, seen) -> {
            resp.setHeader("X-One", "a");
            resp.setHeader("x-one", "b");
            resp.addHeader("X-Multi", "1");
            resp.addHeader("x-multi", "2");
            resp.setHeader("X-Gone", "v");
            resp.setHeader("X-Gone", null);
            resp.addHeader("X-Null", null);
            resp.setHeader(null, "v");
            resp.addHeader(null, "v");
            resp.setHeader("X-Empty", "");
            resp.setIntHeader("X-Int", 7);
            resp.addIntHeader("X-Int", 8);
            resp.setIntHeader("X-Int-Set", 1);
            resp.setIntHeader("X-Int-Set", 2);
            resp.setDateHeader("X-Date", 0L);
            resp.addDateHeader("X-Date", 784111777000L);
            resp.setDateHeader("X-Date-Set", 0L);
            resp.setDateHeader("X-Date-Set", 784111777000L);
            resp.setDateHeader(null, 0L);
            resp.setIntHeader(null, 0);
            seen.put("getHeader(X-ONE)", resp.getHeader("X-ONE"));
            seen.put("getHeaders(X-One)", String.join(" | ", resp.getHeaders("X-One")));
            seen.put("getHeader(x-multi)", resp.getHeader("x-multi"));
            seen.put("getHeaders(X-MULTI)", String.join(" | ", resp.getHeaders("X-MULTI")));
            seen.put("containsHeader(x-one)", resp.containsHeader("x-one"));
            seen.put("containsHeader(X-Gone)", resp.containsHeader("X-Gone"));
            seen.put("containsHeader(X-Null)", resp.containsHeader("X-Null"));
            seen.put("containsHeader(X-Empty)", resp.containsHeader("X-Empty"));
            seen.put("getHeader(X-Empty)", resp.getHeader("X-Empty"));
            seen.put("getHeader(nope)", resp.getHeader("nope"));
            seen.put("getHeaders(nope)", resp.getHeaders("nope"));
            seen.put("getHeaders(X-Int)", String.join(" | ", resp.getHeaders("X-Int")));
            seen.put("getHeaders(X-Date)", String.join(" | ", resp.getHeaders("X-Date")));
            Set<String> names = new TreeSet<>();
            for (String n : resp.getHeaderNames()) {
                names.add(n.toLowerCase(Locale.ROOT));
            }
            seen.put("names", names);
            Collection<String> copy = resp.getHeaders("X-Multi");
            seen.put("getHeadersIsACopy", attempt(() -> {
                copy.clear();
                return resp.getHeaders("X-Multi").size();
            }));
            Collection<String> namesCopy = resp.getHeaderNames();
            seen.put("getHeaderNamesIsACopy", attempt(() -> {
                namesCopy.clear();
                return resp.containsHeader("X-One");
            }));
        })) {
            TckWire.Resp r = a.get("/ctx/fn");
            Map<String, String> seen = a.seen().await();
            assertAll(
                    () -> assertEquals("b", seen.get("getHeader(X-ONE)")),
                    () -> assertEquals("b", seen.get("getHeaders(X-One)")),
                    () -> assertEquals("1", seen.get("getHeader(x-multi)")),
                    () -> assertEquals("1 | 2", seen.get("getHeaders(X-MULTI)")),
                    () -> assertEquals("true", seen.get("containsHeader(x-one)")),
                    () -> assertEquals("false", seen.get("containsHeader(X-Gone)")),
                    () -> assertEquals("false", seen.get("containsHeader(X-Null)")),
                    () -> assertEquals("true", seen.get("containsHeader(X-Empty)")),
                    () -> assertEquals("", seen.get("getHeader(X-Empty)")),
                    () -> assertEquals("null", seen.get("getHeader(nope)")),
                    () -> assertEquals("[]", seen.get("getHeaders(nope)")),
                    () -> assertEquals("7 | 8", seen.get("getHeaders(X-Int)")),
                    () -> assertEquals("Thu, 01 Jan 1970 00:00:00 GMT | Sun, 06 Nov 1994 08:49:37 GMT", seen.get("getHeaders(X-Date)")),
                    () -> assertEquals("[x-date, x-date-set, x-empty, x-int, x-int-set, x-multi, x-one]", seen.get("names")),
                    () -> assertEquals("2", seen.get("getHeadersIsACopy")),
                    () -> assertEquals("true", seen.get("getHeaderNamesIsACopy")),
                    () -> assertEquals(List.of("b"), r.headers("X-One")),
                    () -> assertEquals(List.of("1", "2"), r.headers("X-Multi")),
                    () -> assertEquals(List.of(""), r.headers("X-Empty")),
                    () -> assertEquals(List.of(), r.headers("X-Gone")),
                    () -> assertEquals(List.of(), r.headers("X-Null")),
                    () -> assertEquals(List.of("7", "8"), r.headers("X-Int")),
                    () -> assertEquals(List.of("2"), r.headers("X-Int-Set")),
                    () -> assertEquals(List.of("Thu, 01 Jan 1970 00:00:00 GMT", "Sun, 06 Nov 1994 08:49:37 GMT"), r.headers("X-Date")),
                    () -> assertEquals(List.of("Sun, 06 Nov 1994 08:49:37 GMT"), r.headers("X-Date-Set")));
        }
    }

    // ---- Status ----

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "''                      | 200 | 200",
        "201                     | 201 | 201",
        "202, 203                | 203 | 203",
        "404                     | 404 | 404",
        "500                     | 500 | 500",
        "201, flush, 500         | 201 | 201",
    })
    void setStatusAndGetStatus(String steps, int wire, int status) throws Exception {
        try (App a = deploy((req, resp, seen) -> {
            seen.put("initial", resp.getStatus());
            for (String s : steps.isEmpty() ? new String[0] : steps.split(", ")) {
                if (s.equals("flush")) {
                    resp.flushBuffer();
                } else {
                    resp.setStatus(Integer.parseInt(s));
                }
            }
            seen.put("status", resp.getStatus());
            resp.getOutputStream().write("app body".getBytes(StandardCharsets.ISO_8859_1));
        })) {
            TckWire.Resp r = a.get("/ctx/fn");
            Map<String, String> seen = a.seen().await();
            assertEquals("200", seen.get("initial"));
            assertEquals(String.valueOf(status), seen.get("status"));
            assertEquals(wire, r.status());
            // setStatus never triggers the error page mechanism.
            assertEquals("app body", r.body());
        }
    }

    // ---- sendRedirect (§5.4, HttpServletResponse Javadoc) ----

    /** The four forms of sendRedirect. */
    static void redirect(HttpServletResponse resp, String form, String location, int sc) throws IOException {
        switch (form) {
            case "location" -> resp.sendRedirect(location);
            case "location,clear" -> resp.sendRedirect(location, true);
            case "location,keep" -> resp.sendRedirect(location, false);
            case "location,sc" -> resp.sendRedirect(location, sc);
            case "location,sc,clear" -> resp.sendRedirect(location, sc, true);
            case "location,sc,keep" -> resp.sendRedirect(location, sc, false);
            default -> throw new IllegalArgumentException(form);
        }
    }

    static App redirector(Consumer<WebApp> config) throws Exception {
        return deploy("/dir/*", config, (req, resp, seen) -> {
            String form = req.getHeader("X-Form");
            String location = req.getHeader("X-Location");
            int sc = req.getIntHeader("X-Status");
            resp.setContentType("text/plain");
            resp.getWriter().print("junk");
            seen.put("thrown", attemptRun(() -> redirect(resp, form, location, sc)));
            seen.put("committed", resp.isCommitted());
            seen.put("status", resp.getStatus());
            resp.getWriter().print("after");
            resp.setHeader("X-After", "1");
        });
    }

    @ParameterizedTest(name = "{0}({1}) -> {2} {3}")
    @CsvSource(delimiter = '|', value = {
        // form               | location                   | status | Location ({base} = http://127.0.0.1:port)
        "location             | other                      | 302 | {base}/ctx/dir/other",
        "location             | /abs/path                  | 302 | {base}/abs/path",
        "location             | //example.com/x            | 302 | http://example.com/x",
        "location             | https://example.org/y?z=1  | 302 | https://example.org/y?z=1",
        "location             | ../up                      | 302 | {base}/ctx/up",
        "location             | ./same                     | 302 | {base}/ctx/dir/same",
        "location             | sub/other?x=1#frag         | 302 | {base}/ctx/dir/sub/other?x=1#frag",
        "location             | ?y=2                       | 302 | {base}/ctx/dir/page?y=2",
        "location             | sub/                       | 302 | {base}/ctx/dir/sub/",
        "location             | ./                         | 302 | {base}/ctx/dir/",
        "location             | ../                        | 302 | {base}/ctx/",
        "location             | //example.com:8443/x?y     | 302 | http://example.com:8443/x?y",
        "location             | #top                       | 302 | {base}/ctx/dir/page#top",
        "location,clear       | other                      | 302 | {base}/ctx/dir/other",
        "location,keep        | other                      | 302 | {base}/ctx/dir/other",
        "location,sc          | /moved                     | 301 | {base}/moved",
        "location,sc          | other                      | 308 | {base}/ctx/dir/other",
        "location,sc,clear    | other                      | 303 | {base}/ctx/dir/other",
        "location,sc,keep     | other                      | 307 | {base}/ctx/dir/other",
    })
    void sendRedirect(String form, String location, int status, String expectedLocation) throws Exception {
        try (App a = redirector(app -> {})) {
            TckWire.Resp r = a.get("/ctx/dir/page?q=1", "X-Form: " + form, "X-Location: " + location, "X-Status: " + status);
            Map<String, String> seen = a.seen().await();
            assertEquals("ok", seen.get("thrown"));
            assertEquals("true", seen.get("committed"));
            assertEquals(String.valueOf(status), seen.get("status"));
            assertEquals(status, r.status());
            assertEquals(expectedLocation.replace("{base}", "http://127.0.0.1:" + a.port()), r.header("Location"));
            assertNull(r.header("X-After"));
            assertFalse(r.body().contains("after"), r.body());
            if (form.endsWith("keep")) {
                // The buffer is retained as it was.
                assertEquals("junk", r.body());
            } else {
                // Cleared and replaced by a short hypertext note (RFC 9110) naming the new location.
                assertFalse(r.body().contains("junk"), r.body());
                String type = r.header("Content-Type");
                assertNotNull(type);
                assertTrue(type.startsWith("text/html") && type.contains("charset="), type);
                assertTrue(r.body().contains(Html.escape(r.header("Location"))), r.body());
            }
        }
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        ".         | /ctx/dir/",
        "..        | /ctx/",
        "sub/.     | /ctx/dir/sub/",
        "sub/..    | /ctx/dir/",
        "../dir/.. | /ctx/",
    })
    void dotSegmentRedirectsResolveAsRfc3986Says(String location, String path) throws Exception {
        try (App a = redirector(app -> {})) {
            TckWire.Resp r = a.get("/ctx/dir/page", "X-Form: location", "X-Location: " + location, "X-Status: 302");
            assertEquals(302, r.status());
            assertEquals("http://127.0.0.1:" + a.port() + path, r.header("Location"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"location", "location,clear", "location,sc,clear"})
    void aClearingRedirectReplacesABodyOfDeclaredLength(String form) throws Exception {
        try (App a = deploy((req, resp, seen) -> {
            resp.setContentLength(4);
            seen.put("thrown", attemptRun(() -> redirect(resp, form, "/elsewhere", 303)));
        })) {
            TckWire.Resp r = a.get("/ctx/fn");
            assertEquals("ok", a.seen().await().get("thrown"));
            assertEquals(form.contains("sc") ? 303 : 302, r.status());
            assertEquals("http://127.0.0.1:" + a.port() + "/elsewhere", r.header("Location"));
            assertTrue(r.body().contains("/elsewhere"), r.body());
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"stream", "writer"})
    void closingTheOutputCommitsAndCompletesTheResponse(String how) throws Exception {
        try (App a = deploy((req, resp, seen) -> {
            if (how.equals("stream")) {
                var out = resp.getOutputStream();
                out.write("done".getBytes(StandardCharsets.ISO_8859_1));
                out.close();
            } else {
                PrintWriter w = resp.getWriter();
                w.print("done");
                w.close();
            }
            seen.put("committed", resp.isCommitted());
            resp.setHeader("X-Late", "1");
        })) {
            TckWire.Resp r = a.get("/ctx/fn");
            assertEquals("true", a.seen().await().get("committed"));
            assertEquals("done", r.body());
            assertNull(r.header("X-Late"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "other                 | other",
        "../up                 | ../up",
        "/abs/path             | /abs/path",
        "//example.com/x       | //example.com/x",
        "http://example.org/y  | http://example.org/y",
    })
    void relativeRedirectsAreSentAsGiven(String location, String expected) throws Exception {
        try (App a = redirector(app -> app.setRelativeRedirects(true))) {
            TckWire.Resp r = a.get("/ctx/dir/page", "X-Form: location", "X-Location: " + location, "X-Status: 302");
            assertEquals(302, r.status());
            assertEquals(expected, r.header("Location"));
        }
    }

    @Test
    void redirectLocationsAreMadeAbsoluteWithTheHostTheClientAskedFor() throws Exception {
        try (App a = redirector(app -> {})) {
            TckWire.Resp r = TckWire.exchange(a.port(), "GET /ctx/dir/page HTTP/1.1\r\nHost: shop.example:8080\r\n"
                    + "X-Form: location\r\nX-Location: other\r\nX-Status: 302\r\nConnection: close\r\n\r\n");
            assertEquals("http://shop.example:8080/ctx/dir/other", r.header("Location"));
        }
    }

    @Test
    void aRelativeRedirectThatCannotBeMadeAbsoluteThrowsIllegalArgument() throws Exception {
        try (App a = redirector(app -> {})) {
            a.get("/ctx/dir/page", "X-Form: location", "X-Location: ../../../../x", "X-Status: 302");
            assertEquals("!IllegalArgumentException", a.seen().await().get("thrown"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"location", "location,clear", "location,keep", "location,sc", "location,sc,clear", "location,sc,keep"})
    void sendRedirectAfterCommitThrowsIllegalState(String form) throws Exception {
        try (App a = deploy((req, resp, seen) -> {
            resp.getWriter().print("body");
            resp.flushBuffer();
            seen.put("thrown", attemptRun(() -> redirect(resp, form, "/elsewhere", 301)));
        })) {
            TckWire.Resp r = a.get("/ctx/fn");
            assertEquals("!IllegalStateException", a.seen().await().get("thrown"));
            assertEquals(200, r.status());
            assertNull(r.header("Location"));
            assertEquals("body", r.body());
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"location", "location,keep", "location,sc,clear", "sendError"})
    void redirectsAndErrorsAreIgnoredDuringAnInclude(String form) throws Exception {
        Seen seen = new Seen();
        WebApp app = new WebApp("/ctx");
        app.addServlet("outer", new Fn((req, resp, s) -> {
            resp.setContentType("text/plain");
            resp.getWriter().print("A");
            req.getRequestDispatcher("/inner").include(req, resp);
            resp.getWriter().print("D");
        }, new Seen())).addMapping("/outer");
        app.addServlet("inner", new Fn((req, resp, s) -> {
            resp.getWriter().print("B");
            s.put("thrown", attemptRun(() -> {
                if (form.equals("sendError")) {
                    resp.sendError(404, "not here");
                } else {
                    redirect(resp, form, "/elsewhere", 301);
                }
            }));
            s.put("committed", resp.isCommitted());
            resp.getWriter().print("C");
        }, seen)).addMapping("/inner");
        try (Deployed d = Deployed.start(app)) {
            TckWire.Resp r = TckWire.get(d.port, "/ctx/outer");
            Map<String, String> s = seen.await();
            assertEquals("ok", s.get("thrown"));
            assertEquals(200, r.status());
            assertNull(r.header("Location"));
            assertEquals("ABCD", r.body());
        }
    }

    // ---- sendError (§5.4, §10.9) ----

    @ParameterizedTest(name = "sendError({0}, {1})")
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
        "404 | NULL",
        "403 | access denied",
        "500 | <b>boom</b> & \"co\"",
        "503 | NULL",
        "418 | NULL",
    })
    void sendErrorAnswersWithTheContainersErrorPage(int sc, String message) throws Exception {
        try (App a = deploy((req, resp, seen) -> {
            resp.setContentType("text/plain");
            resp.addCookie(new Cookie("kept", "1"));
            resp.getWriter().print("junk");
            if (message == null) {
                resp.sendError(sc);
            } else {
                resp.sendError(sc, message);
            }
            seen.put("committed", resp.isCommitted());
            seen.put("status", resp.getStatus());
            resp.getWriter().print("after");
            seen.put("again", attemptRun(() -> resp.sendError(500)));
        })) {
            TckWire.Resp r = a.get("/ctx/fn");
            Map<String, String> seen = a.seen().await();
            String body = r.body();
            assertAll(
                    () -> assertEquals("true", seen.get("committed")),
                    () -> assertEquals(String.valueOf(sc), seen.get("status")),
                    () -> assertEquals("!IllegalStateException", seen.get("again")),
                    () -> assertEquals(sc, r.status()),
                    () -> assertTrue(r.header("Content-Type").startsWith("text/html"), r.header("Content-Type")),
                    () -> assertTrue(r.header("Content-Type").toLowerCase(Locale.ROOT).contains("charset="), r.header("Content-Type")),
                    () -> assertTrue(body.contains(Integer.toString(sc)), body),
                    () -> assertFalse(body.contains("junk"), body),
                    () -> assertFalse(body.contains("after"), body),
                    () -> assertFalse(body.contains("Exception") || body.contains("at dev.weft"), body),
                    () -> assertEquals(List.of("kept=1"), r.headers("Set-Cookie")));
            if (message != null) {
                assertTrue(body.contains(Html.escape(message)), body);
                if (!message.equals(Html.escape(message))) {
                    assertFalse(body.contains(message), "the message must be escaped: " + body);
                }
            }
        }
    }

    @Test
    void sendErrorAfterCommitThrowsIllegalState() throws Exception {
        try (App a = deploy((req, resp, seen) -> {
            resp.getWriter().print("body");
            resp.flushBuffer();
            seen.put("sc", attemptRun(() -> resp.sendError(404)));
            seen.put("sc,msg", attemptRun(() -> resp.sendError(404, "gone")));
        })) {
            TckWire.Resp r = a.get("/ctx/fn");
            Map<String, String> seen = a.seen().await();
            assertEquals("!IllegalStateException", seen.get("sc"));
            assertEquals("!IllegalStateException", seen.get("sc,msg"));
            assertEquals(200, r.status());
            assertEquals("body", r.body());
        }
    }

    @Test
    void anExceptionGivesA500PageWithoutTheStackTrace() throws Exception {
        try (App a = deploy((req, resp, seen) -> {
            resp.getWriter().print("junk");
            throw new IllegalStateException("secret detail");
        })) {
            TckWire.Resp r = a.get("/ctx/fn");
            assertEquals(500, r.status());
            assertTrue(r.header("Content-Type").startsWith("text/html"), r.header("Content-Type"));
            assertTrue(r.header("Content-Type").toLowerCase(Locale.ROOT).contains("charset="));
            assertFalse(r.body().contains("junk"), r.body());
            assertFalse(r.body().contains("IllegalStateException") || r.body().contains("at dev.weft"), r.body());
        }
    }

    // ---- Cookies (§5.3, RFC 6265) ----

    record CookieCase(String name, Supplier<Cookie> cookie, String setCookie) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Cookie cookie(String name, String value, Consumer<Cookie> setup) {
        Cookie c = new Cookie(name, value);
        setup.accept(c);
        return c;
    }

    static final String EPOCH = "Thu, 01 Jan 1970 00:00:00 GMT";

    static Stream<CookieCase> setCookieHeaders() {
        return Stream.of(
                new CookieCase("plain", () -> new Cookie("a", "1"), "a=1"),
                new CookieCase("empty value", () -> new Cookie("e", ""), "e="),
                new CookieCase("quoted value", () -> new Cookie("q", "\"v\""), "q=\"v\""),
                new CookieCase("path", () -> cookie("a", "1", c -> c.setPath("/p")), "a=1; Path=/p"),
                new CookieCase("domain", () -> cookie("a", "1", c -> c.setDomain("Example.COM")), "a=1; Domain=example.com"),
                new CookieCase("secure", () -> cookie("a", "1", c -> c.setSecure(true)), "a=1; Secure"),
                new CookieCase("httpOnly", () -> cookie("a", "1", c -> c.setHttpOnly(true)), "a=1; HttpOnly"),
                new CookieCase("max-age 0", () -> cookie("a", "1", c -> c.setMaxAge(0)), "a=1; Max-Age=0; Expires=" + EPOCH),
                new CookieCase("max-age -1", () -> cookie("a", "1", c -> c.setMaxAge(-1)), "a=1"),
                new CookieCase("SameSite", () -> cookie("a", "1", c -> c.setAttribute("SameSite", "Strict")), "a=1; SameSite=Strict"),
                new CookieCase("Partitioned", () -> cookie("a", "1", c -> {
                    c.setSecure(true);
                    c.setAttribute("Partitioned", "");
                }), "a=1; Secure; Partitioned"),
                new CookieCase("other attribute", () -> cookie("a", "1", c -> c.setAttribute("Priority", "High")), "a=1; Priority=High"),
                new CookieCase("other flag", () -> cookie("a", "1", c -> c.setAttribute("Flag", "")), "a=1; Flag"),
                new CookieCase("removed attribute", () -> cookie("a", "1", c -> {
                    c.setAttribute("SameSite", "Lax");
                    c.setAttribute("SameSite", null);
                }), "a=1"),
                new CookieCase("everything", () -> cookie("id", "xyz", c -> {
                    c.setPath("/p");
                    c.setDomain("example.com");
                    c.setSecure(true);
                    c.setHttpOnly(true);
                    c.setMaxAge(0);
                    c.setAttribute("SameSite", "None");
                    c.setAttribute("Partitioned", "");
                }), "id=xyz; Max-Age=0; Expires=" + EPOCH + "; Domain=example.com; Path=/p; Secure; HttpOnly; SameSite=None; Partitioned"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void setCookieHeaders(CookieCase c) throws Exception {
        try (App a = deploy((req, resp, seen) -> resp.addCookie(c.cookie().get()))) {
            TckWire.Resp r = a.get("/ctx/fn");
            assertEquals(List.of(c.setCookie()), r.headers("Set-Cookie"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"setMaxAge", "setAttribute"})
    void positiveMaxAgeAlsoSendsExpires(String how) throws Exception {
        try (App a = deploy((req, resp, seen) -> {
            Cookie c = new Cookie("a", "1");
            if (how.equals("setMaxAge")) {
                c.setMaxAge(3600);
            } else {
                c.setAttribute("Max-Age", "3600");
            }
            resp.addCookie(c);
        })) {
            long before = System.currentTimeMillis();
            TckWire.Resp r = a.get("/ctx/fn");
            long after = System.currentTimeMillis();
            String header = r.header("Set-Cookie");
            Matcher m = Pattern.compile("a=1; Max-Age=3600; Expires=(.+ GMT)").matcher(header);
            assertTrue(m.matches(), header);
            long expires = ZonedDateTime.parse(m.group(1), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli();
            assertTrue(expires >= before + 3_600_000L - 1000 && expires <= after + 3_600_000L + 1000, header);
        }
    }

    @Test
    void severalCookiesAreSeveralSetCookieFields() throws Exception {
        try (App a = deploy((req, resp, seen) -> {
            resp.addCookie(new Cookie("a", "1"));
            resp.addCookie(new Cookie("b", "2"));
            resp.addCookie(new Cookie("a", "3"));
        })) {
            assertEquals(List.of("a=1", "b=2", "a=3"), a.get("/ctx/fn").headers("Set-Cookie"));
        }
    }

    // ---- URL rewriting (§7.1.3) ----

    static final Body ENCODER = (req, resp, seen) -> {
        if (req.getParameter("create") != null) {
            req.getSession(true);
        }
        seen.put("session", req.getSession(false) == null ? "none" : req.getSession(false).getId());
        seen.put("requestedSessionId", req.getRequestedSessionId());
        seen.put("fromUrl", req.isRequestedSessionIdFromURL());
        String port = Integer.toString(req.getLocalPort());
        for (String url : List.of("/ctx/x", "page?a=1#f", "http://127.0.0.1:" + port + "/ctx/x",
                "https://127.0.0.1:" + port + "/ctx/x", "http://other.example/ctx/x", "//other.example/ctx/x",
                "mailto:someone@example.com")) {
            seen.put("encodeURL(" + url.replace(port, "{port}") + ")", resp.encodeURL(url));
        }
        seen.put("encodeRedirectURL(/ctx/y)", resp.encodeRedirectURL("/ctx/y"));
    };

    @Test
    void encodeUrlAddsTheSessionIdOnlyWhenTheClientDidNotSendTheCookie() throws Exception {
        try (App a = deploy("/s/*", app -> {}, ENCODER)) {
            // No session: nothing to add.
            a.get("/ctx/s/x");
            Map<String, String> none = Map.copyOf(a.seen().await());
            assertEquals("none", none.get("session"));
            assertEquals("/ctx/x", none.get("encodeURL(/ctx/x)"));
            assertEquals("/ctx/y", none.get("encodeRedirectURL(/ctx/y)"));

            // A new session, and the client has not sent its cookie (yet).
            TckWire.Resp created = a.get("/ctx/s/x?create=1");
            Map<String, String> fresh = Map.copyOf(a.seen().await());
            String id = fresh.get("session");
            assertTrue(created.header("Set-Cookie").startsWith("JSESSIONID=" + id), created.header("Set-Cookie"));
            String port = Integer.toString(a.port());
            assertAll(
                    () -> assertEquals("/ctx/x;jsessionid=" + id, fresh.get("encodeURL(/ctx/x)")),
                    () -> assertEquals("page;jsessionid=" + id + "?a=1#f", fresh.get("encodeURL(page?a=1#f)")),
                    () -> assertEquals("http://127.0.0.1:" + port + "/ctx/x;jsessionid=" + id,
                            fresh.get("encodeURL(http://127.0.0.1:{port}/ctx/x)")),
                    () -> assertEquals("https://127.0.0.1:" + port + "/ctx/x", fresh.get("encodeURL(https://127.0.0.1:{port}/ctx/x)")),
                    () -> assertEquals("http://other.example/ctx/x", fresh.get("encodeURL(http://other.example/ctx/x)")),
                    () -> assertEquals("//other.example/ctx/x", fresh.get("encodeURL(//other.example/ctx/x)")),
                    () -> assertEquals("mailto:someone@example.com", fresh.get("encodeURL(mailto:someone@example.com)")),
                    () -> assertEquals("/ctx/y;jsessionid=" + id, fresh.get("encodeRedirectURL(/ctx/y)")));

            // The client sends the cookie: no rewriting.
            a.get("/ctx/s/x", "Cookie: JSESSIONID=" + id);
            Map<String, String> cookie = Map.copyOf(a.seen().await());
            assertEquals(id, cookie.get("session"));
            assertEquals("false", cookie.get("fromUrl"));
            assertEquals("/ctx/x", cookie.get("encodeURL(/ctx/x)"));
            assertEquals("/ctx/y", cookie.get("encodeRedirectURL(/ctx/y)"));

            // The client only carries the id in the URL: keep rewriting.
            a.get("/ctx/s/x;jsessionid=" + id);
            Map<String, String> url = Map.copyOf(a.seen().await());
            assertEquals(id, url.get("session"));
            assertEquals(id, url.get("requestedSessionId"));
            assertEquals("true", url.get("fromUrl"));
            assertEquals("/ctx/x;jsessionid=" + id, url.get("encodeURL(/ctx/x)"));
        }
    }

    @Test
    void encodeUrlDoesNothingWithoutUrlTracking() throws Exception {
        try (App a = deploy("/s/*", app -> app.setSessionTrackingModes(Set.of(SessionTrackingMode.COOKIE)), ENCODER)) {
            a.get("/ctx/s/x?create=1");
            Map<String, String> seen = a.seen().await();
            assertTrue(!seen.get("session").equals("none"));
            assertEquals("/ctx/x", seen.get("encodeURL(/ctx/x)"));
            assertEquals("/ctx/y", seen.get("encodeRedirectURL(/ctx/y)"));
        }
    }

    @Test
    void encodeUrlDoesNotRewriteForAnotherPortOfTheSameHost() throws Exception {
        Seen seen = new Seen();
        WebApp app = new WebApp("");
        app.addServlet("fn", new Fn((req, resp, s) -> {
            req.getSession(true);
            s.put("same", resp.encodeURL("http://example.com/x"));
            s.put("otherPort", resp.encodeURL("http://example.com:8080/x"));
        }, seen)).addMapping("/s");
        try (Deployed d = Deployed.start(app)) {
            TckWire.exchange(d.port, "GET /s HTTP/1.1\r\nHost: example.com\r\nConnection: close\r\n\r\n");
            Map<String, String> s = seen.await();
            assertTrue(s.get("same").startsWith("http://example.com/x;jsessionid="), s.get("same"));
            assertEquals("http://example.com:8080/x", s.get("otherPort"));
        }
    }

    // ---- Trailer fields ----

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {5, 200_000})
    void trailerFieldsFollowAChunkedBody(int size) throws Exception {
        try (App a = deploy((req, resp, seen) -> {
            Supplier<Map<String, String>> trailers = () -> Map.of("X-Checksum", "abc");
            resp.setHeader("Trailer", "X-Checksum");
            resp.setTrailerFields(trailers);
            seen.put("sameSupplier", resp.getTrailerFields() == trailers);
            resp.setContentType("text/plain");
            resp.getOutputStream().write("x".repeat(size).getBytes(StandardCharsets.ISO_8859_1));
        })) {
            TckWire.Resp r = a.get("/ctx/fn");
            assertEquals("true", a.seen().await().get("sameSupplier"));
            assertEquals(200, r.status());
            assertEquals("chunked", r.header("Transfer-Encoding"));
            assertNull(r.header("Content-Length"));
            assertEquals(size, r.bodyBytes().length);
            assertEquals("abc", r.trailer("X-Checksum"));
        }
    }

    @Test
    void setTrailerFieldsOnHttp10ThrowsIllegalState() throws Exception {
        try (App a = deploy((req, resp, seen) -> {
            seen.put("thrown", attemptRun(() -> resp.setTrailerFields(() -> Map.of("X-T", "1"))));
            resp.getOutputStream().write("body".getBytes(StandardCharsets.ISO_8859_1));
        })) {
            TckWire.Resp r = TckWire.exchange(a.port(), "GET /ctx/fn HTTP/1.0\r\n\r\n");
            assertEquals("!IllegalStateException", a.seen().await().get("thrown"));
            assertEquals("body", r.body());
            assertEquals(List.of(), r.trailers());
        }
    }

    @Test
    void setTrailerFieldsAfterCommitThrowsIllegalState() throws Exception {
        try (App a = deploy((req, resp, seen) -> {
            resp.getOutputStream().write("body".getBytes(StandardCharsets.ISO_8859_1));
            resp.flushBuffer();
            seen.put("thrown", attemptRun(() -> resp.setTrailerFields(() -> Map.of("X-T", "1"))));
        })) {
            TckWire.Resp r = a.get("/ctx/fn");
            assertEquals("!IllegalStateException", a.seen().await().get("thrown"));
            assertEquals("body", r.body());
            assertNull(r.trailer("X-T"));
        }
    }
}
