package dev.weft.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The protocol over raw sockets: what a request's bytes turn into, and whether the connection
 * survives. Every table row is sent whole, byte by byte, and in random splits, since a parser that
 * works on whole buffers only is not yet a parser.
 */
class ProtocolTest {
    static TestServers.Running server;

    @BeforeAll
    static void start() throws IOException {
        server = TestServers.start(ProtocolTest::inspect, b -> b.maxHeaderBytes(4096));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** Describes the request as the handler saw it. */
    static void inspect(ResponseWriter w, Request r) throws IOException {
        if (r.path().equals("/status/204")) {
            w.writeHeader(204);
            return;
        }
        if (r.path().equals("/status/304")) {
            w.header().set("ETag", "\"x\"");
            w.writeHeader(304);
            return;
        }
        String body = new String(r.body().readAllBytes(), StandardCharsets.ISO_8859_1);
        w.header().set("Content-Type", "text/plain");
        w.write(r.method() + "|" + r.host() + "|" + r.path() + "|" + r.rawQuery() + "|" + r.proto()
                + "|" + body + "|" + r.trailers().toString().replace("\n", ";"));
    }

    record Row(String name, String request, int status, boolean closed, String bodyContains) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Row> rows() {
        return Stream.of(
                new Row("simple GET", "GET /a?b=c HTTP/1.1\r\nHost: x\r\n\r\n", 200, false, "GET|x|/a|b=c|HTTP/1.1||"),
                new Row("percent-decoded path", "GET /a%20b/%E2%82%AC HTTP/1.1\r\nHost: x\r\n\r\n", 200, false, "|/a b/\u20ac|"),
                new Row("leading empty line tolerated", "\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n", 200, false, "GET|x|/|"),
                new Row("HTTP/1.0 without Host closes", "GET / HTTP/1.0\r\n\r\n", 200, true, "GET||/|null|HTTP/1.0"),
                new Row("HTTP/1.0 keep-alive stays open", "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", 200, false, "HTTP/1.0"),
                new Row("Connection: close closes", "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 200, true, "GET"),
                new Row("HTTP/1.2 answered as 1.1", "GET / HTTP/1.2\r\nHost: x\r\n\r\n", 200, false, "HTTP/1.1"),
                new Row("missing Host", "GET / HTTP/1.1\r\n\r\n", 400, true, "missing required Host"),
                new Row("HTTP/2.0 on HTTP/1 syntax", "GET / HTTP/2.0\r\nHost: x\r\n\r\n", 505, true, null),
                new Row("HTTP/0.9 style version", "GET / HTTP/0.9\r\nHost: x\r\n\r\n", 505, true, null),
                new Row("headers over MaxHeaderBytes", "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(5000) + "\r\n\r\n", 431, true, null),
                new Row("absolute-form target wins over Host", "GET http://example.com:8080/p?q=1 HTTP/1.1\r\nHost: other\r\n\r\n", 200, false, "GET|example.com:8080|/p|q=1|"),
                new Row("authority-form CONNECT", "CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n", 200, false, "CONNECT|example.com:443||null|"),
                new Row("asterisk-form OPTIONS", "OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n", 200, false, null),
                new Row("asterisk-form only for OPTIONS", "GET * HTTP/1.1\r\nHost: x\r\n\r\n", 400, true, null),
                new Row("Content-Length body", "POST /e HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello", 200, false, "POST|x|/e|null|HTTP/1.1|hello|"),
                new Row("chunked body with extensions and trailers",
                        "POST /e HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                                + "5;name=value\r\nhello\r\n6;a;b=\"q s\"\r\n world\r\n0\r\nX-Checksum: 42\r\nX-Other: b\r\n\r\n",
                        200, false, "|hello world|X-Checksum: 42;X-Other: b;"),
                new Row("unknown expectation", "GET / HTTP/1.1\r\nHost: x\r\nExpect: teapot\r\n\r\n", 417, true, null),
                new Row("HEAD of a body", "HEAD /h HTTP/1.1\r\nHost: x\r\n\r\n", 200, false, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void wholeRequest(Row row) throws IOException {
        check(row, Mode.WHOLE);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void byteByByte(Row row) throws IOException {
        check(row, Mode.BYTE_BY_BYTE);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void randomSplits(Row row) throws IOException {
        check(row, Mode.RANDOM_SPLITS);
    }

    enum Mode { WHOLE, BYTE_BY_BYTE, RANDOM_SPLITS }

    private void check(Row row, Mode mode) throws IOException {
        try (RawClient c = server.raw()) {
            switch (mode) {
                case WHOLE -> c.send(row.request);
                case BYTE_BY_BYTE -> c.sendByteByByte(row.request);
                case RANDOM_SPLITS -> sendInRandomSplits(c, row.request, new Random(row.name.hashCode()));
            }
            String method = row.request.startsWith("HEAD") ? "HEAD" : "GET";
            RawClient.Resp r = c.read(method);
            assertEquals(row.status, r.status, () -> "response was " + r);
            if (row.bodyContains != null) {
                assertTrue(r.text().contains(row.bodyContains), () -> "body was " + r.text());
            }
            if (row.closed) {
                assertTrue(c.closedByServer(), "connection should be closed");
            } else {
                // The connection is still usable: a second request gets an answer.
                c.send("GET /again HTTP/1.1\r\nHost: x\r\n\r\n");
                assertEquals(200, c.read().status);
            }
        }
    }

    private static void sendInRandomSplits(RawClient c, String request, Random rnd) throws IOException {
        byte[] b = request.getBytes(StandardCharsets.ISO_8859_1);
        OutputStream out = c.socket.getOutputStream();
        int i = 0;
        while (i < b.length) {
            int n = Math.min(b.length - i, 1 + rnd.nextInt(7));
            out.write(b, i, n);
            out.flush();
            i += n;
        }
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws IOException {
        try (RawClient c = server.raw()) {
            c.send("GET /1 HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "POST /2 HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc"
                    + "GET /3 HTTP/1.1\r\nHost: x\r\n\r\n");
            assertTrue(c.read().text().startsWith("GET|x|/1|"));
            assertTrue(c.read().text().startsWith("POST|x|/2|null|HTTP/1.1|abc|"));
            assertTrue(c.read().text().startsWith("GET|x|/3|"));
        }
    }

    @Test
    void smallResponseGetsContentLengthAndLargeOneIsChunked() throws IOException {
        try (TestServers.Running s = TestServers.start((w, r) -> {
            int n = Integer.parseInt(r.path().substring(1));
            w.write(new byte[n]);
        }); RawClient c = s.raw()) {
            c.send("GET /4096 HTTP/1.1\r\nHost: x\r\n\r\n");
            RawClient.Resp small = c.read();
            assertEquals("4096", small.header("Content-Length"));
            assertNull(small.header("Transfer-Encoding"));
            assertEquals("application/octet-stream", small.header("Content-Type"));
            c.send("GET /4097 HTTP/1.1\r\nHost: x\r\n\r\n");
            RawClient.Resp big = c.read();
            assertNull(big.header("Content-Length"));
            assertEquals("chunked", big.header("Transfer-Encoding"));
            assertEquals(4097, big.body.length);
        }
    }

    @Test
    void http10LongResponseIsCloseDelimited() throws IOException {
        try (TestServers.Running s = TestServers.start((w, r) -> w.write(new byte[10_000]));
                RawClient c = s.raw()) {
            c.send("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
            RawClient.Resp r = c.read();
            assertTrue(r.closeDelimited);
            assertNull(r.header("Transfer-Encoding"));
            assertNull(r.header("Content-Length"));
            assertEquals(10_000, r.body.length);
            assertTrue(r.statusLine.startsWith("HTTP/1.1 200 OK"));
        }
    }

    @Test
    void handlerSetContentLengthIsKept() throws IOException {
        try (TestServers.Running s = TestServers.start((w, r) -> {
            w.header().set("Content-Length", "10000");
            w.write(new byte[6000]);
            w.flush();
            w.write(new byte[4000]);
        }); RawClient c = s.raw()) {
            c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            RawClient.Resp r = c.read();
            assertEquals("10000", r.header("Content-Length"));
            assertNull(r.header("Transfer-Encoding"));
            assertEquals(10_000, r.body.length);
            c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals(200, c.read().status);
        }
    }

    @Test
    void writingMoreThanDeclaredFailsAndShortBodyClosesConnection() throws IOException {
        try (TestServers.Running s = TestServers.start((w, r) -> {
            w.header().set("Content-Length", "5");
            w.write("abc");
            try {
                w.write("def");
                w.write("!!! should not get here");
            } catch (IOException expected) {
                // "wrote more than the declared Content-Length"
            }
        }); RawClient c = s.raw()) {
            c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            RawClient.Resp r = c.read();
            assertEquals("5", r.header("Content-Length"));
            assertTrue(r.truncated);
            assertEquals("abc", r.text());
        }
    }

    @Test
    void noBodyStatusesCarryNoFraming() throws IOException {
        try (RawClient c = server.raw()) {
            c.send("GET /status/204 HTTP/1.1\r\nHost: x\r\n\r\n");
            RawClient.Resp r204 = c.read();
            assertEquals(204, r204.status);
            assertNull(r204.header("Content-Length"));
            assertNull(r204.header("Transfer-Encoding"));
            c.send("GET /status/304 HTTP/1.1\r\nHost: x\r\n\r\n");
            RawClient.Resp r304 = c.read();
            assertEquals(304, r304.status);
            assertNull(r304.header("Transfer-Encoding"));
            assertEquals("\"x\"", r304.header("ETag"));
            c.send("GET /x HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals(200, c.read().status);
        }
    }

    @Test
    void writingABodyOn204Fails() throws IOException {
        try (TestServers.Running s = TestServers.start((w, r) -> {
            w.writeHeader(204);
            try {
                w.write("x");
                w.header().set("X-Wrote", "yes");
            } catch (IOException expected) {
                w.header().set("X-Wrote", "no");
            }
        }); RawClient c = s.raw()) {
            c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            RawClient.Resp r = c.read();
            assertEquals(204, r.status);
            assertEquals("no", r.header("X-Wrote"));
        }
    }

    @Test
    void smallUnreadBodyIsDrainedAndTheConnectionKept() throws IOException {
        try (TestServers.Running s = TestServers.start((w, r) -> w.write("ignored the body"));
                RawClient c = s.raw()) {
            int n = 100_000;
            c.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: " + n + "\r\n\r\n");
            c.send(new byte[n]);
            RawClient.Resp r = c.read();
            assertEquals(200, r.status);
            assertNull(r.header("Connection"));
            c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals("ignored the body", c.read().text());
        }
    }

    @Test
    void largeUnreadBodyClosesTheConnection() throws IOException {
        try (TestServers.Running s = TestServers.start((w, r) -> w.write("ignored the body"));
                RawClient c = s.raw()) {
            c.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10000000\r\n\r\n");
            c.send(new byte[300_000]);
            RawClient.Resp r = c.read();
            assertEquals(200, r.status);
            assertEquals("close", r.header("Connection"));
            assertEquals("ignored the body", r.text());
        }
    }

    @Test
    void unreadChunkedBodyIsDrainedToo() throws IOException {
        try (TestServers.Running s = TestServers.start((w, r) -> w.write("ok"));
                RawClient c = s.raw()) {
            c.send("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "5\r\nhello\r\n0\r\n\r\nGET /2 HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals("ok", c.read().text());
            assertEquals("ok", c.read().text());
        }
    }

    @Test
    void dateHeaderIsImfFixdate() throws IOException {
        try (RawClient c = server.raw()) {
            c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            String date = c.read().header("Date");
            assertNotNull(date);
            assertTrue(date.matches("[A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT"), date);
        }
    }

    @Test
    void responseHeaderValuesCannotSplitTheResponse() throws IOException {
        try (TestServers.Running s = TestServers.start((w, r) -> {
            w.header().set("X-Evil", "a\r\nSet-Cookie: stolen=1");
            w.header().set("Bad Name", "x");
            w.write("ok");
        }); RawClient c = s.raw()) {
            c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            RawClient.Resp r = c.read();
            assertEquals("a  Set-Cookie: stolen=1", r.header("X-Evil"));
            assertNull(r.header("Set-Cookie"));
            assertFalse(r.headers.has("Bad Name"));
            assertEquals("ok", r.text());
        }
    }

    @Test
    void trailersAreSentAfterAChunkedBody() throws IOException {
        try (TestServers.Running s = TestServers.start((w, r) -> {
            w.trailer().set("X-Sum", "pending");
            w.write("part one,");
            w.flush();
            w.write("part two");
            w.trailer().set("X-Sum", "17");
        }); RawClient c = s.raw()) {
            c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            RawClient.Resp r = c.read();
            assertEquals("chunked", r.header("Transfer-Encoding"));
            assertEquals("X-Sum", r.header("Trailer"));
            assertEquals("part one,part two", r.text());
            assertEquals("17", r.trailers.get("X-Sum"));
        }
    }

    @Test
    void interimResponsesGoOutBeforeTheFinalOne() throws IOException {
        try (TestServers.Running s = TestServers.start((w, r) -> {
            w.header().set("Link", "</style.css>; rel=preload");
            w.writeHeader(103);
            w.header().remove("Link");
            w.write("final");
        }); RawClient c = s.raw()) {
            c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            RawClient.Resp r = c.readFinal("GET");
            assertEquals(1, r.interimResponses.size());
            assertEquals(103, r.interimResponses.get(0).status);
            assertEquals("</style.css>; rel=preload", r.interimResponses.get(0).header("Link"));
            assertNull(r.header("Link"));
            assertEquals("final", r.text());
        }
    }

    @Test
    void statusAndHeadersMayChangeUntilCommitted() throws IOException {
        try (TestServers.Running s = TestServers.start((w, r) -> {
            w.writeHeader(201);
            w.write("draft");
            w.resetBuffer();
            w.writeHeader(202);
            w.header().set("X-Late", "yes");
            w.write("final");
            w.flush();
            w.writeHeader(500); // ignored: already committed
            w.header().set("X-Too-Late", "yes");
        }); RawClient c = s.raw()) {
            c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            RawClient.Resp r = c.read();
            assertEquals(202, r.status);
            assertEquals("yes", r.header("X-Late"));
            assertNull(r.header("X-Too-Late"));
            assertEquals("final", r.text());
        }
    }
}
