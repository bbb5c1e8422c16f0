package dev.weft.servlet;

import static dev.weft.servlet.RequestTest.attempt;
import static dev.weft.servlet.RequestTest.list;
import static dev.weft.servlet.RequestTest.req;
import static dev.weft.servlet.RequestTest.utf8;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.servlet.MultipartConfigElement;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.Part;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.entity.mime.MultipartEntityBuilder;
import org.apache.hc.core5.http.ContentType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Servlet 6.1 §3.2, file upload, over the wire: parts and their headers, form fields as
 * parameters and their charsets, file names, the multipart config's limits (413), its threshold
 * (memory or a temporary file), {@code Part.write} and {@code delete}, temporary files gone after
 * the request, malformed bodies (400), and a servlet without a config.
 */
class MultipartTest {
    @TempDir
    Path tmp;

    /** Like {@link RequestTest.ProbeServlet}, but what the probe throws goes to the container. */
    static final class ThrowingServlet extends HttpServlet {
        private final RequestTest.Probe probe;

        ThrowingServlet(RequestTest.Probe probe) {
            this.probe = probe;
        }

        @Override
        protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException, ServletException {
            Map<String, Object> out = new LinkedHashMap<>();
            try {
                probe.run(req, out);
            } catch (IOException | ServletException | RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new ServletException(e);
            }
            resp.setContentType("text/plain;charset=UTF-8");
            resp.getWriter().print(out);
        }
    }

    MultipartConfigElement config(long maxFile, long maxRequest, int threshold) {
        return new MultipartConfigElement(tmp.toString(), maxFile, maxRequest, threshold);
    }

    /** The probe at /m/p, under {@code config} (none if null). */
    Deployed deploy(MultipartConfigElement config, RequestTest.Probe probe) throws Exception {
        return deploy(config, app -> {}, new RequestTest.ProbeServlet(probe));
    }

    /** The probe at /m/p, under {@code config}, letting exceptions through to the container. */
    Deployed deployThrowing(MultipartConfigElement config, RequestTest.Probe probe) throws Exception {
        return deploy(config, app -> {}, new ThrowingServlet(probe));
    }

    Deployed deploy(MultipartConfigElement config, Consumer<WebApp> setup, HttpServlet servlet) throws Exception {
        WebApp app = new WebApp("/m");
        var reg = app.addServlet("parts", servlet);
        reg.addMapping("/p");
        if (config != null) {
            reg.setMultipartConfig(config);
        }
        setup.accept(app);
        return Deployed.start(app);
    }

    /** A multipart body with boundary {@code b}: each part is its header lines, a blank line and its content. */
    static String body(String... parts) {
        StringBuilder b = new StringBuilder();
        for (String p : parts) {
            b.append("--b\r\n").append(p).append("\r\n");
        }
        return b.append("--b--\r\n").toString();
    }

    static String field(String name, String value) {
        return "Content-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value;
    }

    static String file(String name, String fileName, String content) {
        return "Content-Disposition: form-data; name=\"" + name + "\"; filename=\"" + fileName + "\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n" + content;
    }

    static String post(String target, String body, String... extraHeaders) {
        String[] headers = Stream.concat(Stream.of("Content-Type: multipart/form-data; boundary=b"),
                Arrays.stream(extraHeaders)).toArray(String[]::new);
        return req("POST " + target + " HTTP/1.1", body, headers);
    }

    static Map<String, String> probe(Deployed d, String request) throws IOException {
        return RequestTest.probe(d, request);
    }

    static int status(Deployed d, String request) throws IOException {
        return TckWire.exchange(d.port, request).status();
    }

    static String read(Part p) throws IOException {
        try (InputStream in = p.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    List<String> filesIn(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** The temporary files are deleted as the request ends, which may be just after the response arrives. */
    void assertNoTemporaryFiles(Path dir) throws Exception {
        for (int i = 0; i < 100 && filesIn(dir).stream().anyMatch(f -> f.startsWith("upload-")); i++) {
            Thread.sleep(20);
        }
        assertEquals(List.of(), filesIn(dir).stream().filter(f -> f.startsWith("upload-")).toList());
    }

    // ---- Parts and fields ----

    @Test
    void fieldsAndFilesFromHttpClient() throws Exception {
        byte[] data = new byte[100_000];
        new java.util.Random(1).nextBytes(data);
        try (Deployed d = deploy(config(-1, -1, 0), (req, out) -> {
            Collection<Part> parts = req.getParts();
            out.put("names", parts.stream().map(Part::getName).toList());
            Part f = req.getPart("file");
            out.put("file.name", f.getSubmittedFileName());
            out.put("file.type", f.getContentType());
            out.put("file.size", f.getSize());
            try (InputStream in = f.getInputStream()) {
                out.put("file.same", Arrays.equals(data, in.readAllBytes()));
            }
            out.put("a.file", req.getPart("a").getSubmittedFileName());
            out.put("a.content", read(req.getPart("a")));
            out.put("missing", req.getPart("nope"));
            out.put("a", List.of(req.getParameterValues("a")));
            out.put("b", req.getParameter("b"));
            out.put("fileParam", req.getParameter("file"));
            out.put("paramNames", list(req.getParameterNames()));
            out.put("copy", attempt(() -> {
                parts.clear();
                return req.getParts().size();
            }));
        })) {
            HttpPost post = new HttpPost(d.url("/m/p?a=query"));
            post.setEntity(MultipartEntityBuilder.create()
                    .addTextBody("a", "one")
                    .addTextBody("b", "two")
                    .addTextBody("a", "three")
                    .addBinaryBody("file", data, ContentType.APPLICATION_OCTET_STREAM, "data.bin")
                    .build());
            Deployed.Resp r = d.send(post);
            assertEquals(200, r.status(), r.body());
            Map<String, String> got = lines(r.body());
            assertAll(
                    () -> assertEquals("[a, b, a, file]", got.get("names")),
                    () -> assertEquals("data.bin", got.get("file.name")),
                    () -> assertEquals("application/octet-stream", got.get("file.type")),
                    () -> assertEquals("100000", got.get("file.size")),
                    () -> assertEquals("true", got.get("file.same")),
                    () -> assertEquals("null", got.get("a.file")),
                    () -> assertEquals("one", got.get("a.content")),
                    () -> assertEquals("null", got.get("missing")),
                    () -> assertEquals("[query, one, three]", got.get("a")), // the query's first (§3.1)
                    () -> assertEquals("two", got.get("b")),
                    () -> assertEquals("null", got.get("fileParam")),
                    () -> assertEquals("[a, b]", got.get("paramNames")),
                    () -> assertEquals("4", got.get("copy")));
        }
        assertNoTemporaryFiles(tmp);
    }

    static Map<String, String> lines(String body) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : body.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                m.put(line.substring(0, eq), RequestTest.unescape(line.substring(eq + 1)));
            }
        }
        assertFalse(m.containsKey("error"), () -> m.get("error"));
        return m;
    }

    @Test
    void partHeadersAreCaseInsensitive() throws Exception {
        try (Deployed d = deploy(config(-1, -1, 1024), (req, out) -> {
            Part p = req.getPart("f");
            out.put("cd", p.getHeader("content-DISPOSITION"));
            out.put("multi", p.getHeaders("x-multi"));
            out.put("first", p.getHeader("X-MULTI"));
            out.put("none", p.getHeaders("x-none"));
            out.put("names", p.getHeaderNames());
            out.put("type", p.getContentType());
            out.put("namesCopy", attempt(() -> {
                p.getHeaderNames().clear();
                return p.getHeaderNames().size();
            }));
        })) {
            Map<String, String> got = probe(d, post("/m/p", body(
                    "Content-Disposition: form-data; name=\"f\"\r\nX-Multi: 1\r\nx-multi: 2\r\n\r\nvalue")));
            assertAll(
                    () -> assertEquals("form-data; name=\"f\"", got.get("cd")),
                    () -> assertEquals("[1, 2]", got.get("multi")),
                    () -> assertEquals("1", got.get("first")),
                    () -> assertEquals("[]", got.get("none")),
                    () -> assertEquals("[Content-Disposition, X-Multi]", got.get("names")),
                    () -> assertEquals("null", got.get("type")), // none sent
                    () -> assertEquals("2", got.get("namesCopy")));
        }
    }

    // ---- Charsets of fields ----

    static final String TEXT = "\u00e9\u20ac"; // é€

    /** What the probe reports for field {@code f} (UTF-8 on the wire) of a request shaped by the arguments. */
    Map<String, String> charsetCase(Consumer<WebApp> setup, RequestTest.Probe before, String contentType,
            String... parts) throws Exception {
        try (Deployed d = deploy(config(-1, -1, 1024), setup, new RequestTest.ProbeServlet((req, out) -> {
            before.run(req, out);
            out.put("f", attempt(() -> req.getParameter("f")));
        }))) {
            return probe(d, req("POST /m/p HTTP/1.1", body(parts), "Content-Type: " + contentType));
        }
    }

    @Test
    void fieldsAreDecodedWithTheRequestCharsetOrCharsetField() throws Exception {
        String ct = "multipart/form-data; boundary=b";
        String raw = utf8(TEXT);
        String latin1 = new String(TEXT.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
        RequestTest.Probe nothing = (req, out) -> {};
        assertAll(
                // ISO-8859-1 when nothing says otherwise.
                () -> assertEquals(latin1, charsetCase(a -> {}, nothing, ct, field("f", raw)).get("f")),
                // setCharacterEncoding before the parameters are read.
                () -> assertEquals(TEXT, charsetCase(a -> {}, (req, out) -> req.setCharacterEncoding("UTF-8"), ct,
                        field("f", raw)).get("f")),
                // ... even after getParts(): fields are decoded when the parameters are.
                () -> assertEquals(TEXT, charsetCase(a -> {}, (req, out) -> {
                    req.getParts();
                    req.setCharacterEncoding("UTF-8");
                }, ct, field("f", raw)).get("f")),
                // RFC 7578 §4.6: the _charset_ field, wherever it is.
                () -> assertEquals(TEXT, charsetCase(a -> {}, nothing, ct, field("f", raw),
                        field("_charset_", "UTF-8")).get("f")),
                // The part's own charset.
                () -> assertEquals(TEXT, charsetCase(a -> {}, nothing, ct,
                        "Content-Disposition: form-data; name=\"f\"\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n"
                                + raw).get("f")),
                // A charset on the request's Content-Type.
                () -> assertEquals(TEXT, charsetCase(a -> {}, nothing, ct + "; charset=UTF-8", field("f", raw)).get("f")),
                // The application's request encoding, when the request says nothing.
                () -> assertEquals(TEXT, charsetCase(a -> a.setRequestCharacterEncoding("UTF-8"), nothing, ct,
                        field("f", raw)).get("f")),
                // An explicit charset beats _charset_.
                () -> assertEquals(latin1, charsetCase(a -> {}, (req, out) -> req.setCharacterEncoding("ISO-8859-1"), ct,
                        field("_charset_", "UTF-8"), field("f", raw)).get("f")),
                // Bytes that are not the charset: the parameters cannot be read.
                () -> assertEquals("!IllegalStateException", charsetCase(a -> {},
                        (req, out) -> req.setCharacterEncoding("UTF-8"), ct, field("f", "\u00ff\u00fe")).get("f")));
    }

    // ---- File names ----

    @Test
    void submittedFileNames() throws Exception {
        try (Deployed d = deploy(config(-1, -1, 1024), (req, out) -> {
            for (Part p : req.getParts()) {
                out.put(p.getName(), p.getSubmittedFileName());
            }
            out.put("emptyIsParameter", req.getParameter("empty"));
        })) {
            String cd = "Content-Disposition: form-data; name=";
            Map<String, String> got = probe(d, post("/m/p", body(
                    cd + "\"plain\"; filename=\"plain.txt\"\r\n\r\nx",
                    cd + "\"ext\"; filename=\"EUR rates.txt\"; filename*=UTF-8''%E2%82%AC%20rates.txt\r\n\r\nx",
                    cd + "\"badext\"; filename=\"fallback.txt\"; filename*=bogus''x\r\n\r\nx",
                    cd + "\"utf8\"; filename=\"" + utf8("r\u00e9sum\u00e9.pdf") + "\"\r\n\r\nx",
                    cd + "\"windows\"; filename=\"C:\\Users\\me\\a.txt\"\r\n\r\nx",
                    cd + "\"quoted\"; filename=\"say \\\"hi\\\".txt\"\r\n\r\nx",
                    cd + "\"token\"; filename=tok.txt\r\n\r\nx",
                    cd + "\"empty\"; filename=\"\"\r\n\r\n",
                    cd + "\"field\"\r\n\r\nx")));
            assertAll(
                    () -> assertEquals("plain.txt", got.get("plain")),
                    () -> assertEquals("\u20ac rates.txt", got.get("ext")),
                    () -> assertEquals("fallback.txt", got.get("badext")),
                    () -> assertEquals("r\u00e9sum\u00e9.pdf", got.get("utf8")),
                    () -> assertEquals("C:\\Users\\me\\a.txt", got.get("windows")),
                    () -> assertEquals("say \"hi\".txt", got.get("quoted")),
                    () -> assertEquals("tok.txt", got.get("token")),
                    () -> assertEquals("", got.get("empty")),
                    () -> assertEquals("null", got.get("emptyIsParameter")), // a file input left empty
                    () -> assertEquals("null", got.get("field")));
        }
    }

    // ---- Limits ----

    @Test
    void partOverMaxFileSizeIs413() throws Exception {
        try (Deployed d = deployThrowing(config(1000, -1, 0), (req, out) -> req.getParts())) {
            assertEquals(413, status(d, post("/m/p", body(file("f", "a.bin", "x".repeat(1001))))));
            assertEquals(200, status(d, post("/m/p", body(file("f", "a.bin", "x".repeat(1000))))));
            // maxFileSize holds for fields too.
            assertEquals(413, status(d, post("/m/p", body(field("f", "x".repeat(1001))))));
        }
        assertNoTemporaryFiles(tmp);
    }

    @Test
    void bodyOverMaxRequestSizeIs413WithOrWithoutContentLength() throws Exception {
        try (Deployed d = deployThrowing(config(-1, 1000, 0), (req, out) -> req.getParts())) {
            String big = body(file("f", "a.bin", "x".repeat(2000)));
            assertEquals(413, status(d, post("/m/p", big)));
            assertEquals(413, status(d, req("POST /m/p HTTP/1.1", chunked(big),
                    "Content-Type: multipart/form-data; boundary=b", "Transfer-Encoding: chunked")));
            String exact = body(file("f", "a.bin", "x"));
            exact = body(file("f", "a.bin", "x".repeat(1000 - exact.length() + 1)));
            assertEquals(1000, exact.length());
            assertEquals(200, status(d, post("/m/p", exact)));
            assertEquals(200, status(d, req("POST /m/p HTTP/1.1", chunked(exact),
                    "Content-Type: multipart/form-data; boundary=b", "Transfer-Encoding: chunked")));
        }
        assertNoTemporaryFiles(tmp);
    }

    static String chunked(String body) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < body.length(); i += 300) {
            String c = body.substring(i, Math.min(body.length(), i + 300));
            b.append(Integer.toHexString(c.length())).append("\r\n").append(c).append("\r\n");
        }
        return b.append("0\r\n\r\n").toString();
    }

    @Test
    void overLimitIsIllegalStateExceptionEveryTimeAndTheFilesSoFarAreGone() throws Exception {
        try (Deployed d = deploy(config(1000, -1, 0), (req, out) -> {
            out.put("getParts", attempt(req::getParts));
            out.put("getPart", attempt(() -> req.getPart("a")));
            out.put("getParameter", attempt(() -> req.getParameter("a")));
            out.put("files", filesIn(tmp));
        })) {
            Map<String, String> got = probe(d, post("/m/p", body(file("a", "a.bin", "x".repeat(500)),
                    file("b", "b.bin", "x".repeat(1500)))));
            assertAll(
                    () -> assertEquals("!IllegalStateException", got.get("getParts")),
                    () -> assertEquals("!IllegalStateException", got.get("getPart")),
                    () -> assertEquals("!IllegalStateException", got.get("getParameter")),
                    () -> assertEquals("[]", got.get("files")));
        }
    }

    @Test
    void getParameterOnAnOversizedUploadIs413() throws Exception {
        try (Deployed d = deployThrowing(config(-1, 1000, 0), (req, out) -> out.put("a", req.getParameter("a")))) {
            assertEquals(413, status(d, post("/m/p", body(field("a", "x".repeat(2000))))));
        }
    }

    @Test
    void tooManyPartsIs413() throws Exception {
        String[] parts = new String[MultipartForm.MAX_PARTS + 1];
        Arrays.fill(parts, field("f", "v"));
        try (Deployed d = deployThrowing(config(-1, -1, 1024), (req, out) -> out.put("n", req.getParts().size()))) {
            assertEquals(413, status(d, post("/m/p", body(parts))));
            assertEquals(200, status(d, post("/m/p", body(Arrays.copyOf(parts, MultipartForm.MAX_PARTS)))));
        }
    }

    // ---- Threshold and temporary files ----

    @Test
    void partsAtOrBelowTheThresholdStayInMemoryLargerOnesSpillToDisk() throws Exception {
        try (Deployed d = deploy(config(-1, -1, 1000), (req, out) -> {
            req.getParts();
            out.put("files", filesIn(tmp).size());
            out.put("small", req.getPart("small").getSize());
            out.put("big", read(req.getPart("big")).length());
        })) {
            Map<String, String> got = probe(d, post("/m/p", body(file("small", "s", "s".repeat(1000)),
                    file("big", "b", "b".repeat(1001)))));
            assertEquals("1", got.get("files"));
            assertEquals("1000", got.get("small"));
            assertEquals("1001", got.get("big"));
        }
        assertNoTemporaryFiles(tmp);
    }

    @Test
    void thresholdZeroSpillsEveryNonEmptyPart() throws Exception {
        try (Deployed d = deploy(config(-1, -1, 0), (req, out) -> {
            req.getParts();
            out.put("files", filesIn(tmp).size());
            out.put("fieldStillAParameter", req.getParameter("a"));
        })) {
            Map<String, String> got = probe(d, post("/m/p", body(field("a", "1"), field("b", ""), file("c", "c", "c"))));
            assertEquals("2", got.get("files"));
            assertEquals("1", got.get("fieldStillAParameter"));
        }
        assertNoTemporaryFiles(tmp);
    }

    /** Many parts each under a large threshold would hold their sum in memory; past a budget they go to disk. */
    @Test
    void memoryOverAllPartsIsBounded() throws Exception {
        int threshold = 3 << 20;
        try (Deployed d = deploy(config(-1, -1, threshold), (req, out) -> {
            req.getParts();
            out.put("files", filesIn(tmp).size());
        })) {
            String two = "x".repeat(2 << 20);
            Map<String, String> got = probe(d, post("/m/p", body(file("a", "a", two), file("b", "b", two))));
            assertEquals("1", got.get("files"));
            assertEquals(threshold, MultipartForm.memoryBudget(config(-1, -1, threshold)));
        }
    }

    @Test
    void temporaryFilesExistDuringTheRequestAndAreGoneAfter() throws Exception {
        List<List<String>> seen = new ArrayList<>();
        try (Deployed d = deploy(config(-1, -1, 10), (req, out) -> {
            req.getParts();
            seen.add(filesIn(tmp));
        })) {
            probe(d, post("/m/p", body(file("a", "a", "x".repeat(5000)), file("b", "b", "y".repeat(5000)))));
        }
        assertEquals(2, seen.get(0).size());
        assertTrue(seen.get(0).stream().allMatch(f -> f.startsWith("upload-")), seen.toString());
        assertNoTemporaryFiles(tmp);
    }

    @Test
    void relativeLocationIsBelowTheApplicationsTemporaryFolder() throws Exception {
        List<List<String>> seen = new ArrayList<>();
        Consumer<WebApp> tempDir = app -> app.setAttribute(ServletContext.TEMPDIR, tmp.toFile());
        RequestTest.Probe probe = (req, out) -> {
            req.getParts();
            seen.add(filesIn(tmp.resolve("uploads")));
            seen.add(filesIn(tmp));
        };
        try (Deployed d = deploy(new MultipartConfigElement("uploads", -1, -1, 0), tempDir,
                new RequestTest.ProbeServlet(probe))) {
            probe(d, post("/m/p", body(file("a", "a", "x"))));
        }
        assertEquals(1, seen.get(0).size());
        try (Deployed d = deploy(new MultipartConfigElement(""), tempDir, new RequestTest.ProbeServlet(probe))) {
            probe(d, post("/m/p", body(file("a", "a", "x"))));
        }
        assertEquals(List.of(), seen.get(2));
        assertEquals(1, seen.get(3).stream().filter(f -> f.startsWith("upload-")).count());
        assertNoTemporaryFiles(tmp.resolve("uploads"));
        assertNoTemporaryFiles(tmp);
    }

    @Test
    void withoutATempdirAttributeTheFolderIsPerContextUnderJavaIoTmpdir() {
        Path base = Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath();
        assertEquals(base.resolve("weft-ROOT"), MultipartForm.location(new WebApp(""), new MultipartConfigElement("")));
        assertEquals(base.resolve("weft-shop_admin").resolve("up"),
                MultipartForm.location(new WebApp("/shop/admin"), new MultipartConfigElement("up")));
        assertEquals(tmp.toAbsolutePath(), MultipartForm.location(new WebApp("/x"), new MultipartConfigElement(tmp.toString())));
    }

    @Test
    void writeMovesOrCopiesAndDeleteRemoves(@TempDir Path elsewhere) throws Exception {
        try (Deployed d = deploy(config(-1, -1, 100), (req, out) -> {
            Part mem = req.getPart("mem");
            Part disk = req.getPart("disk");
            Part gone = req.getPart("gone");
            mem.write("mem.out");
            disk.write("disk.out"); // a rename of the temporary file
            out.put("afterWrite", filesIn(tmp));
            out.put("readAfterWrite", read(disk).length());
            disk.write("disk2.out"); // again: a copy
            disk.write(elsewhere.resolve("abs.out").toString());
            gone.delete();
            out.put("afterDelete", filesIn(tmp));
            out.put("readAfterDelete", attempt(() -> read(gone)));
        })) {
            Map<String, String> got = probe(d, post("/m/p", body(file("mem", "m", "m".repeat(50)),
                    file("disk", "d", "d".repeat(5000)), file("gone", "g", "g".repeat(5000)))));
            assertTrue(got.get("afterWrite").startsWith("[disk.out, mem.out, upload-"), got.get("afterWrite"));
            assertEquals("5000", got.get("readAfterWrite"));
            assertEquals("[disk.out, disk2.out, mem.out]", got.get("afterDelete"));
            assertEquals("!IOException", got.get("readAfterDelete"));
        }
        assertNoTemporaryFiles(tmp);
        assertEquals(List.of("disk.out", "disk2.out", "mem.out"), filesIn(tmp));
        assertEquals("m".repeat(50), Files.readString(tmp.resolve("mem.out")));
        assertEquals("d".repeat(5000), Files.readString(tmp.resolve("disk.out")));
        assertEquals("d".repeat(5000), Files.readString(tmp.resolve("disk2.out")));
        assertEquals("d".repeat(5000), Files.readString(elsewhere.resolve("abs.out")));
    }

    // ---- Malformed bodies ----

    @ParameterizedTest
    @ValueSource(strings = {
        "missing final boundary",
        "header too long",
        "bare LF",
        "no name",
        "no Content-Disposition",
        "not form-data",
        "junk after a boundary",
    })
    void malformedBodiesAre400(String what) throws Exception {
        String b = switch (what) {
            case "missing final boundary" -> "--b\r\n" + field("a", "1") + "\r\n--b\r\n" + field("c", "2");
            case "header too long" -> body("Content-Disposition: form-data; name=\"a\"\r\nX-Long: "
                    + "x".repeat(MultipartReader.MAX_HEADER_BYTES) + "\r\n\r\nv");
            case "bare LF" -> body("Content-Disposition: form-data; name=\"a\"\n\nv");
            case "no name" -> body("Content-Disposition: form-data\r\n\r\nv");
            case "no Content-Disposition" -> body("Content-Type: text/plain\r\n\r\nv");
            case "not form-data" -> body("Content-Disposition: attachment; name=\"a\"\r\n\r\nv");
            case "junk after a boundary" -> "--b\r\n" + field("a", "1") + "\r\n--bX\r\n" + field("c", "2") + "\r\n--b--";
            default -> throw new AssertionError(what);
        };
        try (Deployed d = deployThrowing(config(-1, -1, 0), (req, out) -> req.getParts())) {
            assertEquals(400, status(d, post("/m/p", b)));
        }
        try (Deployed d = deployThrowing(config(-1, -1, 0), (req, out) -> req.getParameter("a"))) {
            assertEquals(400, status(d, post("/m/p", b)));
        }
        try (Deployed d = deploy(config(-1, -1, 0), (req, out) -> {
            out.put("first", attempt(req::getParts) + " " + attempt(req::getParts));
            out.put("getParameter", attempt(() -> req.getParameter("a")));
        })) {
            Map<String, String> got = probe(d, post("/m/p", b));
            assertTrue(got.get("first").matches("!(HttpException|IOException) !IOException"), got.get("first"));
            assertEquals("!IllegalStateException", got.get("getParameter"));
        }
        assertNoTemporaryFiles(tmp);
    }

    @Test
    void missingOrBadBoundaryIs400() throws Exception {
        try (Deployed d = deployThrowing(config(-1, -1, 0), (req, out) -> req.getParts())) {
            assertEquals(400, status(d, req("POST /m/p HTTP/1.1", body(field("a", "1")),
                    "Content-Type: multipart/form-data")));
            assertEquals(400, status(d, req("POST /m/p HTTP/1.1", body(field("a", "1")),
                    "Content-Type: multipart/form-data; boundary=\"" + "b".repeat(71) + "\"")));
        }
    }

    // ---- Who may ask ----

    @Test
    void withoutAMultipartConfigPartsAreIllegalAndFieldsAreNotParameters() throws Exception {
        try (Deployed d = deploy(null, (req, out) -> {
            out.put("getParts", attempt(req::getParts));
            out.put("getPart", attempt(() -> req.getPart("a")));
            out.put("a", req.getParameter("a"));
        })) {
            Map<String, String> got = probe(d, post("/m/p", body(field("a", "1"))));
            assertAll(
                    () -> assertEquals("!IllegalStateException", got.get("getParts")),
                    () -> assertEquals("!IllegalStateException", got.get("getPart")),
                    () -> assertEquals("null", got.get("a")));
        }
    }

    @Test
    void aRequestThatIsNotMultipartIsAServletException() throws Exception {
        try (Deployed d = deploy(config(-1, -1, 0), (req, out) -> {
            out.put("getParts", attempt(req::getParts));
            out.put("getPart", attempt(() -> req.getPart("a")));
            out.put("a", req.getParameter("a"));
        })) {
            Map<String, String> got = probe(d, req("POST /m/p HTTP/1.1", "a=1",
                    "Content-Type: application/x-www-form-urlencoded"));
            assertEquals("!ServletException", got.get("getParts"));
            assertEquals("!ServletException", got.get("getPart"));
            assertEquals("1", got.get("a"));
            got = probe(d, req("GET /m/p HTTP/1.1", null));
            assertEquals("!ServletException", got.get("getParts"));
        }
    }

    @Test
    void theBodyIsReadEitherAsPartsOrAsAStream() throws Exception {
        try (Deployed d = deploy(config(-1, -1, 0), (req, out) -> {
            if (req.getQueryString() != null) { // getParameter would parse the parts
                out.put("read", req.getInputStream().read());
                out.put("getParts", attempt(req::getParts));
            } else {
                out.put("parts", req.getParts().size());
                out.put("read", req.getInputStream().read());
            }
        })) {
            Map<String, String> got = probe(d, post("/m/p?stream=1", body(field("a", "1"))));
            assertEquals("45", got.get("read")); // '-'
            assertEquals("!IllegalStateException", got.get("getParts"));
            got = probe(d, post("/m/p", body(field("a", "1"))));
            assertEquals("1", got.get("parts"));
            assertEquals("-1", got.get("read"));
        }
    }

    @Test
    void getPartsOutsidePostWorksAndAddsFieldsToParameters() throws Exception {
        try (Deployed d = deploy(config(-1, -1, 0), (req, out) -> {
            out.put("before", req.getParameter("a")); // not a POST: the body is not parsed for parameters
            out.put("parts", req.getParts().size());
            out.put("after", req.getParameter("a"));
        })) {
            Map<String, String> got = probe(d, req("PUT /m/p HTTP/1.1", body(field("a", "1")),
                    "Content-Type: multipart/form-data; boundary=b"));
            assertEquals("null", got.get("before"));
            assertEquals("1", got.get("parts"));
            assertEquals("1", got.get("after"));
        }
    }

    /** The config is that of the servlet the request is mapped to when the parts are asked for. */
    @Test
    void aForwardToAServletWithAConfigCanReadTheParts() throws Exception {
        WebApp app = new WebApp("/m");
        app.addServlet("front", new HttpServlet() {
            @Override
            protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException, ServletException {
                req.getRequestDispatcher("/parts?q=1").forward(req, resp);
            }
        }).addMapping("/front");
        var parts = app.addServlet("parts", new RequestTest.ProbeServlet((req, out) -> {
            out.put("parts", req.getParts().size());
            out.put("a", req.getParameter("a"));
            out.put("q", req.getParameter("q"));
        }));
        parts.addMapping("/parts");
        parts.setMultipartConfig(config(-1, -1, 0));
        try (Deployed d = Deployed.start(app)) {
            Map<String, String> got = probe(d, post("/m/front", body(field("a", "1"))));
            assertEquals("1", got.get("parts"));
            assertEquals("1", got.get("a"));
            assertEquals("1", got.get("q"));
        }
        assertNoTemporaryFiles(tmp);
    }
}
