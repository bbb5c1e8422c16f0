package dev.weft.servlet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.hc.client5.http.classic.methods.HttpDelete;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpHead;
import org.apache.hc.client5.http.classic.methods.HttpOptions;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.classic.methods.HttpPut;
import org.apache.hc.client5.http.classic.methods.HttpTrace;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The default servlet over a folder, TCK style: a real server, real requests, the bytes that come
 * back. Covers methods, welcome files, listings, protected folders, traversal over the wire,
 * validators and conditional requests (RFC 9110 §13), byte ranges (§14), dispatches and large
 * files.
 */
class StaticContentTest {
    static final Instant MTIME = Instant.parse("2024-01-02T03:04:05.123Z");
    static final String LAST_MODIFIED = "Tue, 02 Jan 2024 03:04:05 GMT";
    static final String HELLO = "Hello, world!\n";

    @TempDir
    Path tmp;
    Path site;

    @BeforeEach
    void files() throws IOException {
        site = tmp.resolve("site");
        write("hello.txt", HELLO);
        Files.write(site.resolve("data.bin"), pattern(1000));
        write("dir/index.html", "<p>dir index</p>");
        write("dir/other.txt", "other");
        write("plain/a.txt", "a");
        write("plain/b&<c>.txt", "bee");
        write("plain/sub/deep.txt", "deep");
        write("WEB-INF/web.xml", "<web-app/>");
        write("WEB-INF/page.html", "<p>from WEB-INF</p>");
        write("WEB-INF/errors/404.html", "<h1>hidden 404 page</h1>");
        write("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\n");
        write("errors/404.html", "<h1>custom 404</h1>");
        write("errors/500.html", "<h1>custom 500</h1>");
        write("empty.txt", "");
        write("file.unknownext", "?");
        write("static/s.txt", "under static");
        write("style.css", "body{}");
        Files.writeString(tmp.resolve("secret.txt"), "top secret");
        try (Stream<Path> all = Files.walk(site)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Files.setLastModifiedTime(p, FileTime.from(MTIME));
            }
        }
    }

    private void write(String name, String content) throws IOException {
        Path p = site.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
    }

    static byte[] pattern(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + 7);
        }
        return b;
    }

    private WebApp app() {
        return new WebApp("/ctx").setResources(Resources.folder(site));
    }

    private String etagOf(String name) throws IOException {
        Path p = site.resolve(name);
        return "W/\"" + Files.size(p) + "-" + Files.getLastModifiedTime(p).toMillis() + "\"";
    }

    // ---- Helpers shared with ClassPathStaticContentTest ----

    /** A response with its body as bytes. */
    record Bin(int status, byte[] body, ClassicHttpResponse raw) {
        String header(String name) {
            Header h = raw.getFirstHeader(name);
            return h == null ? null : h.getValue();
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    static Bin fetch(Deployed d, HttpUriRequestBase req) throws IOException {
        return d.client.execute(req, r -> new Bin(r.getCode(),
                r.getEntity() == null ? new byte[0] : EntityUtils.toByteArray(r.getEntity()), r));
    }

    static Bin get(Deployed d, String path, String... headers) throws IOException {
        HttpGet g = new HttpGet(d.url(path));
        for (int i = 0; i < headers.length; i += 2) {
            g.addHeader(headers[i], headers[i + 1]);
        }
        return fetch(d, g);
    }

    static Bin head(Deployed d, String path, String... headers) throws IOException {
        HttpHead h = new HttpHead(d.url(path));
        for (int i = 0; i < headers.length; i += 2) {
            h.addHeader(headers[i], headers[i + 1]);
        }
        return fetch(d, h);
    }

    /**
     * One request over a plain socket, sent exactly as written: HttpClient would normalise the
     * dot segments and escapes these tests are about. Returns the whole response.
     */
    static String raw(Deployed d, String method, String target, String... headerLines) throws IOException {
        try (Socket s = new Socket("127.0.0.1", d.port)) {
            s.setSoTimeout(10_000);
            StringBuilder req = new StringBuilder(method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n");
            for (String h : headerLines) {
                req.append(h).append("\r\n");
            }
            req.append("Connection: close\r\n\r\n");
            OutputStream out = s.getOutputStream();
            out.write(req.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    static int statusOf(String response) {
        return Integer.parseInt(response.substring(9, 12));
    }

    static String bodyOf(String response) {
        return response.substring(response.indexOf("\r\n\r\n") + 4);
    }

    /** The parts of a multipart/byteranges body: each part's Content-Range and bytes. */
    record Part(String contentType, String contentRange, byte[] data) {}

    static List<Part> parts(Bin r) {
        String ct = r.header("Content-Type");
        Matcher m = Pattern.compile("multipart/byteranges; ?boundary=(\\S+)").matcher(ct);
        assertTrue(m.matches(), ct);
        String delimiter = "--" + m.group(1);
        String body = new String(r.body(), StandardCharsets.ISO_8859_1);
        assertTrue(body.startsWith(delimiter + "\r\n"), body);
        assertTrue(body.endsWith("\r\n" + delimiter + "--\r\n"), body);
        List<Part> out = new ArrayList<>();
        String[] pieces = body.substring(0, body.length() - ("\r\n" + delimiter + "--\r\n").length())
                .split(Pattern.quote(delimiter + "\r\n"), -1);
        for (int i = 1; i < pieces.length; i++) {
            String p = pieces[i];
            if (i < pieces.length - 1) {
                assertTrue(p.endsWith("\r\n"));
                p = p.substring(0, p.length() - 2);
            }
            int blank = p.indexOf("\r\n\r\n");
            String type = null;
            String range = null;
            for (String line : p.substring(0, blank).split("\r\n")) {
                if (line.startsWith("Content-Type: ")) {
                    type = line.substring(14);
                } else if (line.startsWith("Content-Range: ")) {
                    range = line.substring(15);
                }
            }
            out.add(new Part(type, range, p.substring(blank + 4).getBytes(StandardCharsets.ISO_8859_1)));
        }
        return out;
    }

    static byte[] slice(byte[] b, int from, int toInclusive) {
        return java.util.Arrays.copyOfRange(b, from, toInclusive + 1);
    }

    // ---- Test servlets ----

    /** Forwards to the {@code to} parameter, for any method. */
    static final class Forwarder extends HttpServlet {
        @Override
        protected void service(HttpServletRequest req, HttpServletResponse resp) throws ServletException, IOException {
            req.getRequestDispatcher(req.getParameter("to")).forward(req, resp);
        }
    }

    /** Includes the {@code to} parameter between brackets, through the stream or, with mode=writer, the writer. */
    static final class Includer extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws ServletException, IOException {
            resp.setContentType("text/html");
            if ("writer".equals(req.getParameter("mode"))) {
                PrintWriter w = resp.getWriter();
                w.print("[");
                req.getRequestDispatcher(req.getParameter("to")).include(req, resp);
                w.print("]");
            } else {
                OutputStream out = resp.getOutputStream();
                out.write('[');
                req.getRequestDispatcher(req.getParameter("to")).include(req, resp);
                out.write(']');
            }
        }
    }

    /** Says how it was reached. */
    static final class Reporter extends HttpServlet {
        @Override
        protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            resp.setContentType("text/plain");
            resp.getWriter().print("reached " + req.getDispatcherType() + " " + req.getServletPath()
                    + " uri=" + req.getRequestURI() + " q=" + req.getQueryString());
        }
    }

    // ---- Basics ----

    @Test
    void getServesTheFileWithValidatorsAndNoCacheControl() throws Exception {
        try (Deployed d = Deployed.start(app())) {
            Bin r = get(d, "/ctx/hello.txt");
            assertEquals(200, r.status());
            assertEquals(HELLO, r.text());
            assertEquals("text/plain", r.header("Content-Type"), "no charset unless configured");
            assertEquals("14", r.header("Content-Length"));
            assertEquals(etagOf("hello.txt"), r.header("ETag"));
            assertTrue(r.header("ETag").matches("W/\"14-\\d+\""), r.header("ETag"));
            assertEquals(LAST_MODIFIED, r.header("Last-Modified"));
            assertEquals("bytes", r.header("Accept-Ranges"));
            assertNull(r.header("Cache-Control"));
            assertNull(r.header("Transfer-Encoding"));
        }
    }

    @Test
    void binaryBodyIsExact() throws Exception {
        try (Deployed d = Deployed.start(app())) {
            Bin r = get(d, "/ctx/data.bin");
            assertEquals(200, r.status());
            assertArrayEquals(pattern(1000), r.body());
            assertEquals("1000", r.header("Content-Length"));
            assertEquals("application/octet-stream", r.header("Content-Type"));
        }
    }

    @Test
    void headHasTheSameHeadersAndNoBody() throws Exception {
        try (Deployed d = Deployed.start(app())) {
            Bin g = get(d, "/ctx/hello.txt");
            Bin h = head(d, "/ctx/hello.txt");
            assertEquals(200, h.status());
            assertEquals(0, h.body().length);
            for (String name : List.of("Content-Type", "Content-Length", "ETag", "Last-Modified", "Accept-Ranges")) {
                assertEquals(g.header(name), h.header(name), name);
            }
            String wire = raw(d, "HEAD", "/ctx/hello.txt");
            assertTrue(wire.endsWith("\r\n\r\n"), "no body bytes on the wire: " + wire);
            assertTrue(wire.contains("Content-Length: 14\r\n"), wire);
        }
    }

    @Test
    void contentTypeComesFromTheApplicationsMimeTypes() throws Exception {
        WebApp app = app().addMimeMapping("txt", "text/plain;charset=utf-8").addMimeMapping("bin", "application/x-weft");
        try (Deployed d = Deployed.start(app)) {
            assertEquals("text/plain;charset=utf-8", get(d, "/ctx/hello.txt").header("Content-Type"));
            assertEquals("application/x-weft", get(d, "/ctx/data.bin").header("Content-Type"));
            assertEquals("text/css", get(d, "/ctx/style.css").header("Content-Type"));
            Bin unknown = get(d, "/ctx/file.unknownext");
            assertEquals(200, unknown.status());
            assertNull(unknown.header("Content-Type"), "the container must not guess");
        }
    }

    @Test
    void emptyFile() throws Exception {
        try (Deployed d = Deployed.start(app())) {
            Bin r = get(d, "/ctx/empty.txt");
            assertEquals(200, r.status());
            assertEquals("0", r.header("Content-Length"));
            assertEquals(0, r.body().length);
            Bin ranged = get(d, "/ctx/empty.txt", "Range", "bytes=0-10");
            assertEquals(200, ranged.status(), "nothing to range over");
            assertEquals(0, ranged.body().length);
        }
    }

    @Test
    void missingFileIs404() throws Exception {
        try (Deployed d = Deployed.start(app())) {
            assertEquals(404, get(d, "/ctx/nope.txt").status());
            assertEquals(404, get(d, "/ctx/dir/nope/").status());
            assertEquals(404, head(d, "/ctx/nope.txt").status());
        }
    }

    @Test
    void aFileWithATrailingSlashIsNotServed() throws Exception {
        try (Deployed d = Deployed.start(app())) {
            assertEquals(404, get(d, "/ctx/hello.txt/").status());
            assertEquals(404, statusOf(raw(d, "GET", "/ctx/hello.txt/")));
        }
    }

    // ---- Methods ----

    @Test
    void otherMethodsAre405WithAllow() throws Exception {
        try (Deployed d = Deployed.start(app())) {
            for (HttpUriRequestBase req : List.of(new HttpPost(d.url("/ctx/hello.txt")), new HttpPut(d.url("/ctx/hello.txt")),
                    new HttpDelete(d.url("/ctx/hello.txt")), new HttpTrace(d.url("/ctx/hello.txt")),
                    new HttpPost(d.url("/ctx/nope.txt")))) {
                Bin r = fetch(d, req);
                assertEquals(405, r.status(), req.getMethod());
                assertEquals("GET, HEAD, OPTIONS", r.header("Allow"), req.getMethod());
                assertFalse(r.text().contains("Hello"), req.getMethod());
            }
            assertEquals(405, statusOf(raw(d, "PATCH", "/ctx/hello.txt", "Content-Length: 0")));
            Bin post = fetch(d, new HttpPost(d.url("/ctx/hello.txt")) {
                {
                    addHeader("If-None-Match", "*");
                }
            });
            assertEquals(405, post.status(), "preconditions do not apply to a request that fails anyway");
        }
    }

    @Test
    void optionsListsTheMethods() throws Exception {
        try (Deployed d = Deployed.start(app())) {
            Bin r = fetch(d, new HttpOptions(d.url("/ctx/hello.txt")));
            assertEquals(200, r.status());
            assertEquals("GET, HEAD, OPTIONS", r.header("Allow"));
            assertEquals(0, r.body().length);
        }
    }

    // ---- Welcome files and directories ----

    @Test
    void directoryWithoutSlashIsRedirectedKeepingTheQuery() throws Exception {
        try (Deployed d = Deployed.start(app())) {
            Bin r = get(d, "/ctx/dir?a=1&b=two");
            assertEquals(302, r.status());
            assertTrue(r.header("Location").endsWith("/ctx/dir/?a=1&b=two"), r.header("Location"));
            Bin plain = get(d, "/ctx/plain");
            assertEquals(302, plain.status());
            assertTrue(plain.header("Location").endsWith("/ctx/plain/"), plain.header("Location"));
            assertEquals(302, head(d, "/ctx/dir").status());
        }
    }

    @Test
    void welcomeFileIsServedForADirectory() throws Exception {
        try (Deployed d = Deployed.start(app())) {
            Bin r = get(d, "/ctx/dir/");
            assertEquals(200, r.status());
            assertEquals("<p>dir index</p>", r.text());
            assertEquals("text/html", r.header("Content-Type"));
            assertEquals(etagOf("dir/index.html"), r.header("ETag"));
            Bin notModified = get(d, "/ctx/dir/", "If-None-Match", r.header("ETag"));
            assertEquals(304, notModified.status(), "conditionals apply to the welcome file");
        }
    }

    @Test
    void welcomeFilesAreTriedInOrder() throws Exception {
        write("dir/start.txt", "start");
        WebApp app = app().setWelcomeFiles("missing.html", "start.txt", "index.html");
        try (Deployed d = Deployed.start(app)) {
            assertEquals("start", get(d, "/ctx/dir/").text());
            assertEquals(404, get(d, "/ctx/").status(), "root has none of them");
        }
    }

    @Test
    void welcomeFileMappedExactlyToAServletIsForwardedTo() throws Exception {
        WebApp app = new WebApp("/ctx").setWelcomeFiles("index.html", "index.do");
        app.addServlet("home", new Reporter()).addMapping("/index.do");
        try (Deployed d = Deployed.start(app)) {
            Bin r = get(d, "/ctx/?x=1");
            assertEquals(200, r.status());
            assertEquals("reached FORWARD /index.do uri=/ctx/index.do q=x=1", r.text(),
                    "works with no resources at all, as for Tomcat's mapper");
        }
    }

    @Test
    void welcomeFileWithAnExtensionMappingRunsTheServletNotTheSource() throws Exception {
        write("jsp/index.jsp", "<% secret source %>");
        WebApp app = app();
        app.addServlet("jsp", new Reporter()).addMapping("*.jsp");
        try (Deployed d = Deployed.start(app)) {
            Bin r = get(d, "/ctx/jsp/");
            assertEquals(200, r.status());
            assertEquals("reached FORWARD /jsp/index.jsp uri=/ctx/jsp/index.jsp q=null", r.text());
            assertFalse(r.text().contains("secret"));
            // index.html wins over index.jsp where both could apply.
            assertEquals("<p>dir index</p>", get(d, "/ctx/dir/").text());
            // Second pass: an extension mapping with no file behind it.
            Bin none = get(d, "/ctx/plain/");
            assertEquals("reached FORWARD /plain/index.jsp uri=/ctx/plain/index.jsp q=null", none.text());
            Bin source = get(d, "/ctx/jsp/index.jsp/");
            assertEquals(404, source.status(), "the trailing slash must not expose the source");
        }
    }

    @Test
    void welcomePathsAreEncodedForTheDispatcher() throws Exception {
        write("a b%/index.jsp", "source");
        WebApp app = app();
        app.addServlet("jsp", new Reporter()).addMapping("*.jsp");
        try (Deployed d = Deployed.start(app)) {
            Bin r = get(d, "/ctx/a%20b%25/");
            assertEquals(200, r.status());
            assertEquals("reached FORWARD /a b%/index.jsp uri=/ctx/a%20b%25/index.jsp q=null", r.text());
        }
    }

    @Test
    void noWelcomeFileAndNoListingsIs404() throws Exception {
        try (Deployed d = Deployed.start(app())) {
            assertEquals(404, get(d, "/ctx/plain/").status());
            assertEquals(404, get(d, "/ctx/").status());
        }
    }

    @Test
    void directoryListingWhenEnabled() throws Exception {
        try (Deployed d = Deployed.start(app().setDirectoryListings(true))) {
            Bin r = get(d, "/ctx/plain/");
            assertEquals(200, r.status());
            assertEquals("text/html;charset=utf-8", r.header("Content-Type"));
            assertEquals(Integer.toString(r.body().length), r.header("Content-Length"));
            String html = r.text();
            assertTrue(html.contains("<title>Index of /ctx/plain/</title>"), html);
            assertTrue(html.contains("<a href=\"a.txt\">a.txt</a></td><td>1</td><td>" + LAST_MODIFIED), html);
            assertTrue(html.contains("<a href=\"b%26%3Cc%3E.txt\">b&amp;&lt;c&gt;.txt</a></td><td>3</td>"), html);
            assertFalse(html.contains("<c>"), "names are escaped");
            assertTrue(html.contains("<a href=\"sub/\">sub/</a>"), html);
            assertTrue(html.contains("<a href=\"../\">../</a>"), html);
            assertTrue(html.indexOf("sub/") < html.indexOf("a.txt"), "directories first");
            Bin h = head(d, "/ctx/plain/");
            assertEquals(200, h.status());
            assertEquals(r.header("Content-Length"), h.header("Content-Length"));
            assertEquals(0, h.body().length);
            // A welcome file still wins over the listing.
            assertEquals("<p>dir index</p>", get(d, "/ctx/dir/").text());
        }
    }

    @Test
    void listingNeverShowsOrOpensWebInfOrMetaInf() throws Exception {
        try (Deployed d = Deployed.start(app().setDirectoryListings(true))) {
            Bin root = get(d, "/ctx/");
            assertEquals(200, root.status());
            assertTrue(root.text().contains("hello.txt"), root.text());
            assertFalse(root.text().contains("WEB-INF"), root.text());
            assertFalse(root.text().contains("META-INF"), root.text());
            assertFalse(root.text().contains("href=\"../\""), "no parent above the root");
            assertEquals(404, get(d, "/ctx/WEB-INF/").status());
            assertEquals(404, get(d, "/ctx/META-INF/").status());
            assertEquals(404, get(d, "/ctx/WEB-INF/errors/").status());
        }
    }

    // ---- Protected folders and traversal ----

    @Test
    void webInfAndMetaInfAreNeverServedToClients() throws Exception {
        try (Deployed d = Deployed.start(app())) {
            for (String p : List.of("/ctx/WEB-INF/web.xml", "/ctx/web-inf/web.xml", "/ctx/Web-Inf/web.xml",
                    "/ctx/WEB-INF", "/ctx/WEB-INF/", "/ctx/META-INF/MANIFEST.MF", "/ctx/meta-inf/MANIFEST.MF",
                    "/ctx/META-INF")) {
                Bin r = get(d, p);
                assertEquals(404, r.status(), p);
                assertFalse(r.text().contains("web-app"), p);
            }
            // Ways of spelling the same path that HttpClient would tidy up, sent as they are.
            for (String p : List.of("/ctx/WEB-INF;x=1/web.xml", "/ctx/%57EB-INF/web.xml", "/ctx/./WEB-INF/web.xml",
                    "/ctx//WEB-INF/web.xml", "/ctx/dir/../WEB-INF/web.xml", "/ctx/WEB-INF/./web.xml",
                    "/ctx/%4d%45%54%41-INF/MANIFEST.MF")) {
                String resp = raw(d, "GET", p);
                assertEquals(404, statusOf(resp), p);
                assertFalse(resp.contains("web-app") || resp.contains("Manifest-Version"), p);
            }
        }
    }

    @Test
    void theApplicationMayForwardToAndIncludeFromWebInf() throws Exception {
        WebApp app = app();
        app.addServlet("fwd", new Forwarder()).addMapping("/fwd");
        app.addServlet("inc", new Includer()).addMapping("/inc");
        try (Deployed d = Deployed.start(app)) {
            assertEquals("<p>from WEB-INF</p>", get(d, "/ctx/fwd?to=/WEB-INF/page.html").text());
            assertEquals("[<p>from WEB-INF</p>]", get(d, "/ctx/inc?to=/WEB-INF/page.html").text());
        }
    }

    @Test
    void noPathEscapesTheResourceBase() throws Exception {
        WebApp app = new WebApp("").setResources(Resources.folder(site));
        app.addServlet("fwd", new Forwarder()).addMapping("/fwd");
        try (Deployed d = Deployed.start(app)) {
            // Dot segments that stay inside are resolved by the URI canonicalizer.
            assertEquals(HELLO, bodyOf(raw(d, "GET", "/dir/../hello.txt")));
            assertEquals("other", bodyOf(raw(d, "GET", "/dir/./other.txt")));
            // Climbing above the root, plainly or encoded, is refused before any servlet runs.
            for (String p : List.of("/../secret.txt", "/dir/../../secret.txt", "/%2e%2e/secret.txt",
                    "/%2E%2E/secret.txt", "/dir/%2e%2e/%2e%2e/secret.txt", "/.%2e/secret.txt", "/..%2fsecret.txt",
                    "/dir/..%2f..%2fsecret.txt", "/..%5csecret.txt", "/..\\secret.txt", "/..;/secret.txt",
                    "/dir/..;x/..;x/secret.txt", "/%2e%2e%2fsecret.txt")) {
                String resp = raw(d, "GET", p);
                assertEquals(400, statusOf(resp), p);
                assertFalse(resp.contains("top secret"), p);
            }
            // The servlet's own layer: a dispatcher path that climbs, which only the application can make.
            for (String to : List.of("/../secret.txt", "/dir/../../secret.txt")) {
                Bin r = get(d, "/fwd?to=" + java.net.URLEncoder.encode(to, StandardCharsets.UTF_8));
                assertEquals(404, r.status(), to);
                assertFalse(r.text().contains("top secret"), to);
            }
        }
    }

    @Test
    void symbolicLinksLeavingTheBaseAreNotFollowed() throws Exception {
        try {
            Files.createSymbolicLink(site.resolve("outside.txt"), tmp.resolve("secret.txt"));
            Files.createSymbolicLink(site.resolve("inside.txt"), site.resolve("hello.txt"));
        } catch (UnsupportedOperationException | IOException e) {
            Assumptions.abort("no symbolic links here: " + e);
        }
        try (Deployed d = Deployed.start(app())) {
            Bin out = get(d, "/ctx/outside.txt");
            assertEquals(404, out.status());
            assertFalse(out.text().contains("top secret"));
            assertEquals(HELLO, get(d, "/ctx/inside.txt").text());
        }
    }

    // ---- Conditional requests ----

    @Test
    void ifNoneMatchGives304WithValidatorsAndNoBody() throws Exception {
        try (Deployed d = Deployed.start(app())) {
            String etag = etagOf("hello.txt");
            for (String inm : List.of(etag, "*", "\"nope\", " + etag, etag.substring(2), "\"a\",, " + etag)) {
                Bin r = get(d, "/ctx/hello.txt", "If-None-Match", inm);
                assertEquals(304, r.status(), inm);
                assertEquals(etag, r.header("ETag"), inm);
                assertEquals(LAST_MODIFIED, r.header("Last-Modified"), inm);
                assertEquals(0, r.body().length, inm);
                assertNull(r.header("Content-Type"), inm);
            }
            assertEquals(304, head(d, "/ctx/hello.txt", "If-None-Match", etag).status());
            String wire = raw(d, "GET", "/ctx/hello.txt", "If-None-Match: " + etag);
            assertEquals(304, statusOf(wire));
            assertTrue(wire.endsWith("\r\n\r\n"), wire);
            assertFalse(wire.contains("Content-Length"), wire);
            for (String inm : List.of("\"nope\"", "W/\"14-1\"", "garbage")) {
                Bin r = get(d, "/ctx/hello.txt", "If-None-Match", inm);
                assertEquals(200, r.status(), inm);
                assertEquals(HELLO, r.text(), inm);
            }
        }
    }

    @Test
    void ifNoneMatchAcrossSeveralFieldLines() throws Exception {
        try (Deployed d = Deployed.start(app())) {
            String wire = raw(d, "GET", "/ctx/hello.txt", "If-None-Match: \"a\"", "If-None-Match: " + etagOf("hello.txt"));
            assertEquals(304, statusOf(wire));
        }
    }

    @Test
    void ifModifiedSince() throws Exception {
        try (Deployed d = Deployed.start(app())) {
            assertEquals(304, get(d, "/ctx/hello.txt", "If-Modified-Since", LAST_MODIFIED).status(),
                    "the file's milliseconds do not count");
            assertEquals(304, get(d, "/ctx/hello.txt", "If-Modified-Since", "Wed, 03 Jan 2024 00:00:00 GMT").status());
            assertEquals(304, get(d, "/ctx/hello.txt", "If-Modified-Since", "Tuesday, 02-Jan-24 03:04:05 GMT").status());
            assertEquals(200, get(d, "/ctx/hello.txt", "If-Modified-Since", "Tue, 02 Jan 2024 03:04:04 GMT").status());
            assertEquals(200, get(d, "/ctx/hello.txt", "If-Modified-Since", "yesterday").status());
            Bin r = get(d, "/ctx/hello.txt", "If-Modified-Since", LAST_MODIFIED, "If-None-Match", "\"other\"");
            assertEquals(200, r.status(), "If-Modified-Since is ignored when If-None-Match is present");
            assertEquals(HELLO, r.text());
            Bin h = head(d, "/ctx/hello.txt", "If-Modified-Since", LAST_MODIFIED);
            assertEquals(304, h.status());
            assertEquals(LAST_MODIFIED, h.header("Last-Modified"));
        }
    }

    @Test
    void ifMatchUsesStrongComparison() throws Exception {
        try (Deployed d = Deployed.start(app())) {
            assertEquals(200, get(d, "/ctx/hello.txt", "If-Match", "*").status());
            assertEquals(412, get(d, "/ctx/hello.txt", "If-Match", etagOf("hello.txt")).status(),
                    "a weak entity-tag never matches strongly");
            assertEquals(412, get(d, "/ctx/hello.txt", "If-Match", "\"other\"").status());
            assertEquals(412, head(d, "/ctx/hello.txt", "If-Match", "\"other\"").status());
            Bin r = get(d, "/ctx/hello.txt", "If-Match", "\"other\"", "If-None-Match", "*");
            assertEquals(412, r.status(), "If-Match is evaluated first");
            assertFalse(r.text().contains("Hello"));
        }
    }

    @Test
    void ifUnmodifiedSince() throws Exception {
        try (Deployed d = Deployed.start(app())) {
            assertEquals(200, get(d, "/ctx/hello.txt", "If-Unmodified-Since", LAST_MODIFIED).status());
            assertEquals(200, get(d, "/ctx/hello.txt", "If-Unmodified-Since", "Wed, 03 Jan 2024 00:00:00 GMT").status());
            assertEquals(412, get(d, "/ctx/hello.txt", "If-Unmodified-Since", "Mon, 01 Jan 2024 00:00:00 GMT").status());
            assertEquals(200, get(d, "/ctx/hello.txt", "If-Unmodified-Since", "not a date").status());
            assertEquals(200, get(d, "/ctx/hello.txt", "If-Match", "*",
                    "If-Unmodified-Since", "Mon, 01 Jan 2024 00:00:00 GMT").status(), "ignored when If-Match is present");
            Bin r = get(d, "/ctx/hello.txt", "If-Unmodified-Since", "Mon, 01 Jan 2024 00:00:00 GMT",
                    "If-None-Match", "*");
            assertEquals(412, r.status(), "step 2 comes before step 3");
        }
    }

    @Test
    void newerFileNoLongerMatches() throws Exception {
        try (Deployed d = Deployed.start(app())) {
            String before = get(d, "/ctx/hello.txt").header("ETag");
            Files.writeString(site.resolve("hello.txt"), "Changed!");
            Files.setLastModifiedTime(site.resolve("hello.txt"), FileTime.from(MTIME.plusSeconds(60)));
            Bin r = get(d, "/ctx/hello.txt", "If-None-Match", before, "If-Modified-Since", LAST_MODIFIED);
            assertEquals(200, r.status());
            assertEquals("Changed!", r.text());
            assertEquals(200, get(d, "/ctx/hello.txt", "If-Modified-Since", LAST_MODIFIED).status());
        }
    }

    // ---- Ranges ----

    @Test
    void singleRanges() throws Exception {
        byte[] data = pattern(1000);
        try (Deployed d = Deployed.start(app())) {
            record Case(String range, int from, int to) {}
            for (Case c : List.of(new Case("bytes=0-9", 0, 9), new Case("bytes=-100", 900, 999),
                    new Case("bytes=990-", 990, 999), new Case("bytes=995-2000", 995, 999),
                    new Case("bytes=-5000", 0, 999), new Case("bytes=999-999", 999, 999),
                    new Case("BYTES=5-6", 5, 6), new Case("bytes=0-99999999999999999999999", 0, 999),
                    new Case("bytes= 3-4 ", 3, 4))) {
                Bin r = get(d, "/ctx/data.bin", "Range", c.range());
                assertEquals(206, r.status(), c.range());
                assertEquals("bytes " + c.from() + "-" + c.to() + "/1000", r.header("Content-Range"), c.range());
                assertEquals(Integer.toString(c.to() - c.from() + 1), r.header("Content-Length"), c.range());
                assertEquals("application/octet-stream", r.header("Content-Type"), c.range());
                assertArrayEquals(slice(data, c.from(), c.to()), r.body(), c.range());
                assertEquals(etagOf("data.bin"), r.header("ETag"));
            }
        }
    }

    @Test
    void multipleRangesAreMultipartByteranges() throws Exception {
        byte[] data = pattern(1000);
        try (Deployed d = Deployed.start(app())) {
            Bin r = get(d, "/ctx/data.bin", "Range", "bytes=0-9, 20-29,-5");
            assertEquals(206, r.status());
            assertNull(r.header("Content-Range"));
            assertEquals(Integer.toString(r.body().length), r.header("Content-Length"));
            List<Part> parts = parts(r);
            assertEquals(3, parts.size());
            assertEquals("bytes 0-9/1000", parts.get(0).contentRange());
            assertEquals("bytes 20-29/1000", parts.get(1).contentRange());
            assertEquals("bytes 995-999/1000", parts.get(2).contentRange());
            for (Part p : parts) {
                assertEquals("application/octet-stream", p.contentType());
            }
            assertArrayEquals(slice(data, 0, 9), parts.get(0).data());
            assertArrayEquals(slice(data, 20, 29), parts.get(1).data());
            assertArrayEquals(slice(data, 995, 999), parts.get(2).data());

            Bin outOfOrder = get(d, "/ctx/data.bin", "Range", "bytes=500-509,0-4");
            List<Part> oo = parts(outOfOrder);
            assertEquals(List.of("bytes 500-509/1000", "bytes 0-4/1000"), oo.stream().map(Part::contentRange).toList(),
                    "disjoint ranges keep the order asked for");
            assertArrayEquals(slice(data, 500, 509), oo.get(0).data());

            Bin text = get(d, "/ctx/hello.txt", "Range", "bytes=0-4,7-11");
            List<Part> tp = parts(text);
            assertEquals("text/plain", tp.get(0).contentType());
            assertEquals("Hello", new String(tp.get(0).data(), StandardCharsets.UTF_8));
            assertEquals("world", new String(tp.get(1).data(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void unsatisfiableRangeIs416() throws Exception {
        try (Deployed d = Deployed.start(app())) {
            for (String range : List.of("bytes=1000-2000", "bytes=1000-", "bytes=-0", "bytes=5000-6000,1000-")) {
                Bin r = get(d, "/ctx/data.bin", "Range", range);
                assertEquals(416, r.status(), range);
                assertEquals("bytes */1000", r.header("Content-Range"), range);
            }
            Bin some = get(d, "/ctx/data.bin", "Range", "bytes=5000-6000,0-1");
            assertEquals(206, some.status(), "one satisfiable range is enough");
            assertEquals("bytes 0-1/1000", some.header("Content-Range"));
        }
    }

    @Test
    void malformedOrForeignRangesAreIgnored() throws Exception {
        byte[] data = pattern(1000);
        try (Deployed d = Deployed.start(app())) {
            for (String range : List.of("bytes=abc", "bytes=5-1", "items=0-1", "bytes 0-1", "bytes=0-1;x",
                    "bytes=", "bytes=,", "bytes=--1", "bytes=-", "bytes=1-2-3", "bytes=0x10-0x20", "bytes=-1-2",
                    "bytes=0-1,zz")) {
                Bin r = get(d, "/ctx/data.bin", "Range", range);
                assertEquals(200, r.status(), range);
                assertNull(r.header("Content-Range"), range);
                assertEquals("1000", r.header("Content-Length"), range);
                assertArrayEquals(data, r.body(), range);
            }
        }
    }

    @Test
    void overlappingRangesAreCoalesced() throws Exception {
        byte[] data = pattern(1000);
        try (Deployed d = Deployed.start(app())) {
            Bin r = get(d, "/ctx/data.bin", "Range", "bytes=0-99,50-149");
            assertEquals(206, r.status());
            assertEquals("bytes 0-149/1000", r.header("Content-Range"));
            assertArrayEquals(slice(data, 0, 149), r.body());

            Bin adjacent = get(d, "/ctx/data.bin", "Range", "bytes=10-19,0-9,40-49");
            List<Part> parts = parts(adjacent);
            assertEquals(List.of("bytes 0-19/1000", "bytes 40-49/1000"), parts.stream().map(Part::contentRange).toList());

            // The amplification attack: the whole file asked for again and again.
            String many = "bytes=" + String.join(",", java.util.Collections.nCopies(200, "0-"));
            Bin amp = get(d, "/ctx/data.bin", "Range", many);
            assertEquals(206, amp.status());
            assertEquals("bytes 0-999/1000", amp.header("Content-Range"));
            assertEquals(1000, amp.body().length, "one copy, not two hundred");
        }
    }

    @Test
    void tooManyRangesGetTheWholeFile() throws Exception {
        byte[] data = pattern(1000);
        try (Deployed d = Deployed.start(app())) {
            List<String> specs = new ArrayList<>();
            for (int i = 0; i < 17; i++) {
                specs.add((i * 10) + "-" + (i * 10 + 1));
            }
            Bin r = get(d, "/ctx/data.bin", "Range", "bytes=" + String.join(",", specs));
            assertEquals(200, r.status());
            assertArrayEquals(data, r.body());
            Bin sixteen = get(d, "/ctx/data.bin", "Range", "bytes=" + String.join(",", specs.subList(0, 16)));
            assertEquals(206, sixteen.status());
            assertEquals(16, parts(sixteen).size());
            Bin huge = get(d, "/ctx/data.bin", "Range", "bytes=" + "1-1,".repeat(2000) + "1-1");
            assertEquals(200, huge.status(), "a long list is not even parsed");
        }
    }

    @Test
    void rangeOnlyAppliesToGet() throws Exception {
        try (Deployed d = Deployed.start(app())) {
            Bin r = head(d, "/ctx/data.bin", "Range", "bytes=0-9");
            assertEquals(200, r.status());
            assertEquals("1000", r.header("Content-Length"));
            assertNull(r.header("Content-Range"));
        }
    }

    @Test
    void ifRange() throws Exception {
        byte[] data = pattern(1000);
        try (Deployed d = Deployed.start(app())) {
            Bin byDate = get(d, "/ctx/data.bin", "Range", "bytes=0-9", "If-Range", LAST_MODIFIED);
            assertEquals(206, byDate.status());
            assertArrayEquals(slice(data, 0, 9), byDate.body());
            for (String ifRange : List.of("Mon, 01 Jan 2024 00:00:00 GMT", "Wed, 03 Jan 2024 00:00:00 GMT",
                    etagOf("data.bin"), etagOf("data.bin").substring(2), "\"strong\"", "nonsense")) {
                Bin r = get(d, "/ctx/data.bin", "Range", "bytes=0-9", "If-Range", ifRange);
                assertEquals(200, r.status(), ifRange);
                assertArrayEquals(data, r.body(), ifRange);
            }
            assertEquals(200, get(d, "/ctx/data.bin", "If-Range", LAST_MODIFIED).status(), "no Range, nothing to do");
        }
    }

    @Test
    void conditionalsComeBeforeRanges() throws Exception {
        try (Deployed d = Deployed.start(app())) {
            assertEquals(304, get(d, "/ctx/data.bin", "Range", "bytes=0-9", "If-None-Match", "*").status());
            assertEquals(412, get(d, "/ctx/data.bin", "Range", "bytes=5000-", "If-Match", "\"x\"").status());
        }
    }

    // ---- Large files ----

    @Test
    void largeFileIsStreamedIntact() throws Exception {
        Path big = site.resolve("big.bin");
        long size = 40L * 1024 * 1024 + 123;
        MessageDigest expected = MessageDigest.getInstance("SHA-256");
        Random random = new Random(42);
        byte[] block = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(big)) {
            for (long left = size; left > 0; ) {
                int n = (int) Math.min(block.length, left);
                random.nextBytes(block);
                out.write(block, 0, n);
                expected.update(block, 0, n);
                left -= n;
            }
        }
        try (Deployed d = Deployed.start(app())) {
            MessageDigest got = MessageDigest.getInstance("SHA-256");
            long[] count = new long[1];
            String[] length = new String[1];
            int status = d.client.execute(new HttpGet(d.url("/ctx/big.bin")), r -> {
                length[0] = r.getFirstHeader("Content-Length").getValue();
                try (InputStream in = new DigestInputStream(r.getEntity().getContent(), got)) {
                    byte[] buf = new byte[64 * 1024];
                    for (int n; (n = in.read(buf)) >= 0; ) {
                        count[0] += n;
                    }
                }
                return r.getCode();
            });
            assertEquals(200, status);
            assertEquals(Long.toString(size), length[0]);
            assertEquals(size, count[0]);
            assertEquals(HexFormat.of().formatHex(expected.digest()), HexFormat.of().formatHex(got.digest()));

            long from = 20L * 1024 * 1024 - 7;
            Bin mid = get(d, "/ctx/big.bin", "Range", "bytes=" + from + "-" + (from + 99999));
            assertEquals(206, mid.status());
            assertArrayEquals(read(big, from, 100_000), mid.body());
            Bin tail = get(d, "/ctx/big.bin", "Range", "bytes=-16");
            assertArrayEquals(read(big, size - 16, 16), tail.body());
            assertEquals(Long.toString(size), head(d, "/ctx/big.bin").header("Content-Length"));
        }
    }

    static byte[] read(Path file, long at, int n) throws IOException {
        try (FileChannel ch = FileChannel.open(file)) {
            ByteBuffer b = ByteBuffer.allocate(n);
            while (b.hasRemaining() && ch.read(b, at + b.position()) >= 0) {
                // fill
            }
            return b.array();
        }
    }

    // ---- Dispatches ----

    @Test
    void includeWritesOnlyTheBytes() throws Exception {
        WebApp app = app();
        app.addServlet("inc", new Includer()).addMapping("/inc");
        try (Deployed d = Deployed.start(app)) {
            Bin r = get(d, "/ctx/inc?to=/hello.txt", "If-None-Match", "*", "Range", "bytes=0-1");
            assertEquals(200, r.status(), "no 304 or 206 for an include");
            assertEquals("[" + HELLO + "]", r.text());
            assertEquals("text/html", r.header("Content-Type"), "the includer's type");
            assertNull(r.header("ETag"));
            assertNull(r.header("Last-Modified"));
            assertNull(r.header("Accept-Ranges"));
            assertEquals(Integer.toString(HELLO.length() + 2), r.header("Content-Length"));
            assertEquals("[<p>dir index</p>]", get(d, "/ctx/inc?to=/dir/").text(), "welcome file in an include");
            assertEquals("[<p>dir index</p>]", get(d, "/ctx/inc?to=/dir").text(), "no redirect in an include");
        }
    }

    @Test
    void includeThroughTheWriter() throws Exception {
        write("utf8.txt", "héllo ✓");
        WebApp app = app();
        app.addServlet("inc", new Includer()).addMapping("/inc");
        try (Deployed d = Deployed.start(app)) {
            Bin r = get(d, "/ctx/inc?mode=writer&to=/hello.txt");
            assertEquals(200, r.status());
            assertEquals("[" + HELLO + "]", new String(r.body(), StandardCharsets.ISO_8859_1));
            assertEquals("text/html;charset=ISO-8859-1", r.header("Content-Type"));
            Bin utf8 = get(d, "/ctx/inc?mode=writer&to=/utf8.txt");
            assertEquals("[héllo ?]", new String(utf8.body(), StandardCharsets.ISO_8859_1),
                    "decoded as UTF-8, encoded in the response's charset");
        }
    }

    @Test
    void includeOfAMissingResourceThrows() throws Exception {
        WebApp app = app();
        app.addServlet("inc", new Includer()).addMapping("/inc");
        try (Deployed d = Deployed.start(app)) {
            Bin r = get(d, "/ctx/inc?to=/nope.txt");
            assertEquals(500, r.status(), "FileNotFoundException, not a silent empty include");
        }
    }

    @Test
    void includeUsesTheIncludedServletPathAndPathInfo() throws Exception {
        WebApp app = app();
        app.addServlet("inc", new Includer()).addMapping("/inc");
        app.addServlet("static", DefaultServlet.class).addMapping("/static/*");
        try (Deployed d = Deployed.start(app)) {
            assertEquals("[under static]", get(d, "/ctx/inc?to=/static/s.txt").text());
            assertEquals("under static", get(d, "/ctx/static/s.txt").text());
        }
    }

    @Test
    void forwardServesForAnyMethod() throws Exception {
        WebApp app = app();
        app.addServlet("fwd", new Forwarder()).addMapping("/fwd");
        try (Deployed d = Deployed.start(app)) {
            Deployed.Resp r = d.post("/ctx/fwd?to=/hello.txt", "text/plain", "x");
            assertEquals(200, r.status());
            assertEquals(HELLO, r.body());
            Bin g = get(d, "/ctx/fwd?to=/hello.txt", "If-None-Match", etagOf("hello.txt"));
            assertEquals(304, g.status(), "a forwarded GET is still conditional");
            Bin dir = get(d, "/ctx/fwd?to=/dir");
            assertEquals(302, dir.status());
            assertTrue(dir.header("Location").contains("/ctx/dir/"), dir.header("Location"));
            assertEquals(404, get(d, "/ctx/fwd?to=/nope.txt").status());
        }
    }

    @Test
    void errorPagesAreServedWithTheErrorStatus() throws Exception {
        WebApp app = app().addErrorPage(404, "/errors/404.html");
        try (Deployed d = Deployed.start(app)) {
            Bin r = get(d, "/ctx/nope.txt");
            assertEquals(404, r.status());
            assertEquals("<h1>custom 404</h1>", r.text());
            assertEquals("text/html", r.header("Content-Type"));
            assertNull(r.header("ETag"), "an error page has no validators");
            Bin conditional = get(d, "/ctx/nope.txt", "If-None-Match", "*", "Range", "bytes=0-1",
                    "If-Modified-Since", "Wed, 03 Jan 2040 00:00:00 GMT");
            assertEquals(404, conditional.status(), "never a 304 or 206 for an error");
            assertEquals("<h1>custom 404</h1>", conditional.text());
            Bin h = head(d, "/ctx/nope.txt");
            assertEquals(404, h.status());
            assertEquals(0, h.body().length);
        }
    }

    @Test
    void errorPagesRenderForAnyMethodAndFromWebInf() throws Exception {
        WebApp app = app().addErrorPage(500, "/errors/500.html").addErrorPage(405, "/WEB-INF/errors/404.html");
        app.addServlet("fail", new HttpServlet() {
            @Override
            protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                resp.sendError(500);
            }
        }).addMapping("/fail");
        try (Deployed d = Deployed.start(app)) {
            Deployed.Resp r = d.post("/ctx/fail", "text/plain", "x");
            assertEquals(500, r.status());
            assertEquals("<h1>custom 500</h1>", r.body());
            Deployed.Resp put = d.send(new HttpPut(d.url("/ctx/hello.txt")));
            assertEquals(405, put.status());
            assertEquals("<h1>hidden 404 page</h1>", put.body());
            assertEquals("GET, HEAD, OPTIONS", put.header("Allow"));
        }
    }

    @Test
    void aMissingErrorPageKeepsTheOriginalStatus() throws Exception {
        WebApp app = app().addErrorPage(500, "/errors/missing.html");
        app.addServlet("boom", new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) {
                throw new IllegalStateException("boom");
            }
        }).addMapping("/boom");
        try (Deployed d = Deployed.start(app)) {
            assertEquals(500, get(d, "/ctx/boom").status());
        }
    }

    @Test
    void anApplicationServletAtSlashReplacesTheDefaultButDefaultStaysByName() throws Exception {
        WebApp app = app();
        app.addServlet("front", new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws ServletException, IOException {
                if (req.getServletPath().endsWith(".txt")) {
                    getServletContext().getNamedDispatcher("default").forward(req, resp);
                } else {
                    resp.getWriter().print("front");
                }
            }
        }).addMapping("/");
        try (Deployed d = Deployed.start(app)) {
            assertEquals("front", get(d, "/ctx/data.bin").text());
            assertEquals(HELLO, get(d, "/ctx/hello.txt").text());
        }
    }

    @Test
    void servletsMappedUnderWebInfAreNotReachableFromClients() throws Exception {
        WebApp app = app();
        app.addServlet("internal", new Reporter()).addMapping("/WEB-INF/internal");
        try (Deployed d = Deployed.start(app)) {
            assertEquals(404, get(d, "/ctx/WEB-INF/internal").status());
            assertEquals(404, get(d, "/ctx/meta-inf/../WEB-INF/internal").status());
        }
    }
}
