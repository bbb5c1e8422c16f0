package dev.weft.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@code Expect: 100-continue}: the interim response goes out only when the handler reads the body. */
class ExpectContinueTest {
    @Test
    void continueIsSentWhenTheHandlerReadsTheBody() throws IOException {
        try (TestServers.Running s = TestServers.start((w, r) ->
                w.write("got " + new String(r.body().readAllBytes(), StandardCharsets.UTF_8)));
                RawClient c = s.raw()) {
            c.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
            RawClient.Resp interim = c.read();
            assertEquals(100, interim.status);
            assertEquals("HTTP/1.1 100 Continue", interim.statusLine);
            c.send("hello");
            RawClient.Resp r = c.read();
            assertEquals(200, r.status);
            assertEquals("got hello", r.text());
            // Keep-alive survives a completed 100-continue exchange.
            c.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nhi");
            assertEquals("got hi", c.read().text());
        }
    }

    @Test
    void noContinueWhenTheHandlerAnswersWithoutReading() throws IOException {
        try (TestServers.Running s = TestServers.start((w, r) -> {
            w.writeHeader(413);
            w.write("too big for me");
        }); RawClient c = s.raw()) {
            c.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100000000\r\nExpect: 100-continue\r\n\r\n");
            RawClient.Resp r = c.read();
            assertEquals(413, r.status, "the final response comes without any 100 Continue first");
            assertEquals("close", r.header("Connection"));
            assertEquals("too big for me", r.text());
            assertTrue(c.closedByServer());
        }
    }

    @Test
    void noContinueAfterTheResponseWasWritten() throws IOException {
        try (TestServers.Running s = TestServers.start((w, r) -> {
            w.write("early ");
            w.flush();
            // Reading now must not put a 100 Continue in the middle of the response.
            byte[] b = r.body().readNBytes(3);
            w.write(new String(b, StandardCharsets.UTF_8));
        }); RawClient c = s.raw()) {
            c.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n");
            // The client gives up waiting for 100 and sends the body, as real clients do.
            c.send("abc");
            RawClient.Resp r = c.read();
            assertEquals(200, r.status);
            assertEquals("early abc", r.text());
        }
    }

    @Test
    void http10IgnoresExpectContinue() throws IOException {
        try (TestServers.Running s = TestServers.start((w, r) ->
                w.write(new String(r.body().readAllBytes(), StandardCharsets.UTF_8)));
                RawClient c = s.raw()) {
            c.send("POST / HTTP/1.0\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\nok");
            RawClient.Resp r = c.read();
            assertEquals(200, r.status);
            assertEquals("ok", r.text());
        }
    }

    @Test
    void otherExpectationsGet417() throws IOException {
        try (TestServers.Running s = TestServers.start((w, r) -> w.write("handler ran"));
                RawClient c = s.raw()) {
            c.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nExpect: 200-ok\r\n\r\nok");
            RawClient.Resp r = c.read();
            assertEquals(417, r.status);
            assertTrue(c.closedByServer());
        }
    }
}
