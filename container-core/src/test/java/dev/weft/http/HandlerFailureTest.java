package dev.weft.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.Test;

/** A handler that throws is isolated to its connection, as Go's panic recovery. */
class HandlerFailureTest {
    @Test
    void exceptionBeforeCommitGives500AndCloses() throws IOException {
        try (TestServers.Running s = TestServers.start((w, r) -> {
            w.header().set("X-Partial", "yes");
            w.write("partial body that must not leak");
            throw new IllegalStateException("boom");
        }); RawClient c = s.raw()) {
            c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            RawClient.Resp r = c.read();
            assertEquals(500, r.status);
            assertEquals("close", r.header("Connection"));
            assertEquals(null, r.header("X-Partial"));
            assertEquals("500 Internal Server Error\n", r.text());
            assertTrue(c.closedByServer());
        }
    }

    @Test
    void exceptionAfterCommitAbortsTheConnection() throws IOException {
        try (TestServers.Running s = TestServers.start((w, r) -> {
            w.write("committed ");
            w.flush();
            throw new IOException("backend died");
        }); RawClient c = s.raw()) {
            c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            RawClient.Resp r = c.read();
            assertEquals(200, r.status);
            assertTrue(r.truncated, "the chunked body has no last chunk");
            assertEquals("committed ", r.text());
        }
    }

    @Test
    void abortHandlerExceptionAbortsSilently() throws IOException {
        try (TestServers.Running s = TestServers.start((w, r) -> {
            throw new AbortHandlerException();
        }); RawClient c = s.raw()) {
            c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals("", c.readAll());
        }
    }

    @Test
    void errorsAreIsolatedToTheirConnection() throws IOException {
        try (TestServers.Running s = TestServers.start((w, r) -> {
            if (r.path().equals("/overflow")) {
                recurse(0);
            }
            w.write("fine");
        }); RawClient bad = s.raw(); RawClient good = s.raw()) {
            bad.send("GET /overflow HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals(500, bad.read().status);
            good.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals("fine", good.read().text());
        }
    }

    private static int recurse(int n) {
        return recurse(n + 1) + 1;
    }
}
