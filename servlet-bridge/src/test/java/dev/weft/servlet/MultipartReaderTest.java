package dev.weft.servlet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.http.Headers;
import dev.weft.http.HttpException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The multipart wire format (RFC 2046 §5.1.1) on its own: framing, strictness, header values. */
class MultipartReaderTest {

    /** Hands out at most {@code step} bytes per read, so delimiters straddle every possible read boundary. */
    static final class Trickle extends InputStream {
        private final byte[] b;
        private final Random steps;
        private final int maxStep;
        private int pos;

        Trickle(byte[] b, long seed, int maxStep) {
            this.b = b;
            this.steps = new Random(seed);
            this.maxStep = maxStep;
        }

        @Override
        public int read() {
            return pos < b.length ? b[pos++] & 0xff : -1;
        }

        @Override
        public int read(byte[] out, int off, int len) {
            if (pos == b.length) {
                return -1;
            }
            int n = Math.min(Math.min(len, 1 + steps.nextInt(maxStep)), b.length - pos);
            System.arraycopy(b, pos, out, off, n);
            pos += n;
            return n;
        }
    }

    record Read(List<Headers> headers, List<byte[]> contents) {}

    static Read readAll(InputStream in, String boundary, int bufferSize, int readSize) throws IOException {
        MultipartReader r = new MultipartReader(in, boundary, bufferSize);
        List<Headers> hs = new ArrayList<>();
        List<byte[]> cs = new ArrayList<>();
        Headers h;
        byte[] chunk = new byte[readSize];
        while ((h = r.nextPart()) != null) {
            hs.add(h);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int n;
            while ((n = r.read(chunk, 0, chunk.length)) >= 0) {
                out.write(chunk, 0, n);
            }
            cs.add(out.toByteArray());
        }
        return new Read(hs, cs);
    }

    static Read readAll(String body, String boundary) throws IOException {
        return readAll(new ByteArrayInputStream(body.getBytes(StandardCharsets.ISO_8859_1)), boundary, 256, 7);
    }

    static String text(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    @Test
    void readsPartsIgnoringPreambleEpilogueAndPadding() throws IOException {
        String body = "This is the preamble.\r\n--xyz \t\r\n"
                + "Content-Disposition: form-data; name=\"a\"\r\n\r\n"
                + "one\r\n--xyz\r\n"
                + "content-disposition: form-data; name=b\r\nContent-Type:  text/plain ; charset=UTF-8 \r\n\r\n"
                + "\r\n--xy\r\n-- two lines \r\n--xyz--  \r\nThe epilogue.\r\n--xyz\r\nnot a part";
        Read r = readAll(body, "xyz");
        assertEquals(2, r.headers().size());
        assertEquals("form-data; name=\"a\"", r.headers().get(0).get("Content-Disposition"));
        assertEquals("one", text(r.contents().get(0)));
        assertEquals("text/plain ; charset=UTF-8", r.headers().get(1).get("content-type"));
        assertEquals("\r\n--xy\r\n-- two lines ", text(r.contents().get(1)));
    }

    @Test
    void bodyMayStartWithTheBoundaryAndEndWithoutCrlf() throws IOException {
        Read r = readAll("--b\r\nX: 1\r\n\r\n\r\n--b--", "b");
        assertEquals(1, r.contents().size());
        assertEquals("", text(r.contents().get(0)));
        assertEquals(0, readAll("--b--\r\n", "b").contents().size());
    }

    /** Random parts full of near-delimiters, read through every buffer size and read pattern. */
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 7, 64, 4096})
    void randomBodiesSurviveAnyReadPattern(int maxStep) throws IOException {
        Random rnd = new Random(maxStep);
        String boundary = "----WeftBoundary7MA4YWxk";
        byte[] delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        for (int round = 0; round < 40; round++) {
            List<byte[]> parts = new ArrayList<>();
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            int count = rnd.nextInt(5);
            for (int p = 0; p < count; p++) {
                ByteArrayOutputStream content = new ByteArrayOutputStream();
                int pieces = rnd.nextInt(12);
                for (int i = 0; i < pieces; i++) {
                    switch (rnd.nextInt(4)) {
                        // A proper prefix of the delimiter, possibly followed by a byte that is not its next.
                        case 0 -> content.write(delimiter, 0, rnd.nextInt(delimiter.length));
                        case 1 -> content.write('\r');
                        case 2 -> content.write('\n');
                        default -> {
                            byte[] b = new byte[rnd.nextInt(3000)];
                            rnd.nextBytes(b);
                            content.write(b, 0, b.length);
                        }
                    }
                }
                byte[] c = content.toByteArray();
                parts.add(c);
                body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"p" + p + "\"\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
                body.writeBytes(c);
                body.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
            }
            body.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.ISO_8859_1));
            byte[] bytes = body.toByteArray();
            if (containsDelimiterInsideContent(parts, delimiter)) {
                continue; // pieces joined into a whole delimiter: not a valid body, and very rare
            }
            int bufferSize = 128 + rnd.nextInt(1024);
            Read r = readAll(new Trickle(bytes, round, maxStep), boundary, bufferSize, 1 + rnd.nextInt(5000));
            assertEquals(parts.size(), r.contents().size(), "round " + round);
            for (int i = 0; i < parts.size(); i++) {
                assertArrayEquals(parts.get(i), r.contents().get(i), "round " + round + " part " + i);
            }
        }
    }

    /** Content ending in a delimiter prefix, with the CRLF-- that follows, may form a whole delimiter early. */
    private static boolean containsDelimiterInsideContent(List<byte[]> parts, byte[] delimiter) {
        for (byte[] c : parts) {
            byte[] withNext = new byte[c.length + delimiter.length];
            System.arraycopy(c, 0, withNext, 0, c.length);
            System.arraycopy(delimiter, 0, withNext, c.length, delimiter.length);
            for (int i = 0; i + delimiter.length <= withNext.length; i++) {
                boolean match = true;
                for (int j = 0; j < delimiter.length && match; j++) {
                    match = withNext[i + j] == delimiter[j];
                }
                if (match && i < c.length) {
                    return true;
                }
            }
        }
        return false;
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "--b\r\nX: 1\r\n\r\ncontent",                         // no closing boundary
        "--b\r\nX: 1\r\n\r\ncontent\r\n--b",                   // ends right after a boundary
        "--b\r\nX: 1\r\n",                                      // ends inside the header
        "no boundary at all",
        "--b\r\nX: 1\nY: 2\r\n\r\n\r\n--b--",                  // bare LF in the header
        "--b\r\nX: 1\rY: 2\r\n\r\n\r\n--b--",                  // bare CR in the header
        "--b\r\nX: 1\r\n folded\r\n\r\n\r\n--b--",             // obs-fold
        "--b\r\nX 1\r\n\r\n\r\n--b--",                          // no colon
        "--b\r\nX : 1\r\n\r\n\r\n--b--",                        // space before the colon
        "--b\r\n: 1\r\n\r\n\r\n--b--",                          // empty name
        "--b\r\nX: a\u0000b\r\n\r\n\r\n--b--",                  // NUL
        "--b\r\nX: 1\r\n\r\nab\r\n--bc\r\n\r\n--b--",          // a boundary followed by other text
        "--b\r\nX: 1\r\n\r\nab\r\n--b-\r\n",                    // a single dash after the boundary
        "--b\r\nX: 1\r\n\r\nab\r\n--b--junk",                   // junk after the closing boundary
        "--b\nX: 1\r\n\r\n\r\n--b--",                           // LF after the first boundary
    })
    void malformedBodiesAreRefusedWith400(String body) {
        HttpException e = assertThrows(HttpException.class, () -> readAll(body, "b"));
        assertEquals(400, e.status());
    }

    @Test
    void headerSectionAndPaddingAreBounded() {
        String longHeader = "--b\r\nX: " + "a".repeat(MultipartReader.MAX_HEADER_BYTES) + "\r\n\r\n\r\n--b--";
        assertEquals(400, assertThrows(HttpException.class, () -> readAll(longHeader, "b")).status());
        StringBuilder many = new StringBuilder("--b\r\n");
        for (int i = 0; i <= MultipartReader.MAX_HEADER_FIELDS; i++) {
            many.append("X").append(i).append(": v\r\n");
        }
        many.append("\r\n\r\n--b--");
        assertEquals(400, assertThrows(HttpException.class, () -> readAll(many.toString(), "b")).status());
        String padded = "--b" + " ".repeat(MultipartReader.MAX_PADDING + 1) + "\r\nX: 1\r\n\r\n\r\n--b--";
        assertEquals(400, assertThrows(HttpException.class, () -> readAll(padded, "b")).status());
        String justPadded = "--b" + " ".repeat(MultipartReader.MAX_PADDING) + "\r\nX: 1\r\n\r\nok\r\n--b--";
        assertTrue(assertDoesNotThrow(() -> readAll(justPadded, "b")).contents().size() == 1);
    }

    private static <T> T assertDoesNotThrow(org.junit.jupiter.api.function.ThrowingSupplier<T> s) {
        return org.junit.jupiter.api.Assertions.assertDoesNotThrow(s);
    }

    @Test
    void headerValuesAreUtf8ElseLatin1() throws IOException {
        byte[] utf8 = "--b\r\nX: caf\u00e9 \u20ac\r\n\r\n\r\n--b--".getBytes(StandardCharsets.UTF_8);
        Read r = readAll(new ByteArrayInputStream(utf8), "b", 256, 10);
        assertEquals("caf\u00e9 \u20ac", r.headers().get(0).get("x"));
        byte[] latin1 = "--b\r\nX: caf\u00e9\r\n\r\n\r\n--b--".getBytes(StandardCharsets.ISO_8859_1);
        r = readAll(new ByteArrayInputStream(latin1), "b", 256, 10);
        assertEquals("caf\u00e9", r.headers().get(0).get("x"));
    }

    @Test
    void boundaries() throws HttpException {
        assertEquals("abc", MultipartReader.boundary("multipart/form-data; boundary=abc"));
        assertEquals("a b:c", MultipartReader.boundary("multipart/form-data;boundary=\"a b:c\""));
        assertEquals("x".repeat(70), MultipartReader.boundary("multipart/form-data; boundary=" + "x".repeat(70)));
        for (String bad : new String[] {"multipart/form-data", "multipart/form-data; boundary=\"\"",
                "multipart/form-data; boundary=" + "x".repeat(71), "multipart/form-data; boundary=\"ab \"",
                "multipart/form-data; boundary=a; boundary=b", "multipart/form-data; boundary=a{b",
                "multipart/form-data; boundary=\"a\u00e9\""}) {
            assertEquals(400, assertThrows(HttpException.class, () -> MultipartReader.boundary(bad), bad).status());
        }
    }

    @Test
    void dispositionParameters() throws HttpException {
        Map<String, String> p = MultipartReader.parameters(
                "form-data; name=\"f\"; filename=\"C:\\dir\\a \\\"q\\\".txt\"; FileName*=UTF-8''%E2%82%AC.txt;", 9);
        assertEquals("f", p.get("name"));
        assertEquals("C:\\dir\\a \"q\".txt", p.get("filename"));
        assertEquals("UTF-8''%E2%82%AC.txt", p.get("filename*"));
        assertThrows(HttpException.class, () -> MultipartReader.parameters("form-data; name=\"a", 9));
        assertThrows(HttpException.class, () -> MultipartReader.parameters("form-data; name", 9));
        assertThrows(HttpException.class, () -> MultipartReader.parameters("form-data; name=a; NAME=b", 9));
        assertThrows(HttpException.class, () -> MultipartReader.parameters("form-data; name=a b", 9));
    }

    @Test
    void extValues() {
        assertEquals("\u20ac rates.txt", MultipartReader.extValue("UTF-8''%e2%82%ac%20rates.txt"));
        assertEquals("\u00a3.txt", MultipartReader.extValue("iso-8859-1'en'%A3.txt"));
        assertNull(MultipartReader.extValue("UTF-8''%e2%82"));      // truncated UTF-8
        assertNull(MultipartReader.extValue("UTF-8''%zz"));
        assertNull(MultipartReader.extValue("no-such-charset''a"));
        assertNull(MultipartReader.extValue("''a"));
        assertNull(MultipartReader.extValue("plain.txt"));
    }
}
