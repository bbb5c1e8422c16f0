package dev.weft.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Go's Hijack: the handler takes the socket, with whatever the server had already read. */
class HijackTest {
    @Test
    void hijackerGetsBytesSentAfterTheRequest() throws Exception {
        try (TestServers.Running s = TestServers.start((w, r) -> {
            w.header().set("Upgrade", "echo");
            w.header().set("Connection", "Upgrade");
            w.writeHeader(101);
            try (Hijacked h = w.hijack()) {
                // Echo lines until "bye"; the first line arrived together with the request.
                InputStream in = h.in();
                StringBuilder line = new StringBuilder();
                for (int c; (c = in.read()) >= 0; ) {
                    if (c == '\n') {
                        String l = line.toString();
                        h.out().write(("echo " + l + "\n").getBytes(StandardCharsets.UTF_8));
                        h.out().flush();
                        if (l.equals("bye")) {
                            break;
                        }
                        line.setLength(0);
                    } else {
                        line.append((char) c);
                    }
                }
            }
        }); RawClient c = s.raw()) {
            c.send("GET / HTTP/1.1\r\nHost: x\r\nUpgrade: echo\r\nConnection: Upgrade\r\n\r\npipelined\n");
            RawClient.Resp r = c.read();
            assertEquals(101, r.status);
            assertEquals("echo", r.header("Upgrade"));
            c.send("second\nbye\n");
            assertEquals("echo pipelined\necho second\necho bye\n", c.readAll());
        }
    }

    @Test
    void hijackAfterABackgroundReadTookTheNextByte() throws Exception {
        // The handler watches its context, so a background read is pending on the socket when it
        // hijacks; the byte that read takes must reach the hijacker, not vanish.
        CountDownLatch watching = new CountDownLatch(1);
        AtomicReference<String> got = new AtomicReference<>();
        try (TestServers.Running s = TestServers.start((w, r) -> {
            r.context().isDone();
            watching.countDown();
            Thread.sleep(200); // let the extra bytes arrive while the watch is reading
            Hijacked h = w.hijack();
            got.set(new String(h.in().readNBytes(5), StandardCharsets.UTF_8));
            h.out().write("done".getBytes(StandardCharsets.UTF_8));
            h.close();
        }); RawClient c = s.raw()) {
            c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            assertTrue(watching.await(5, TimeUnit.SECONDS));
            c.send("xyzzy");
            assertEquals("done", c.readAll());
            assertEquals("xyzzy", got.get());
        }
    }

    @Test
    void hijackTwiceFailsAndWritesAfterHijackFail() throws Exception {
        AtomicReference<Throwable> second = new AtomicReference<>();
        AtomicReference<Throwable> write = new AtomicReference<>();
        try (TestServers.Running s = TestServers.start((w, r) -> {
            Hijacked h = w.hijack();
            second.set(assertThrows(IllegalStateException.class, w::hijack));
            write.set(assertThrows(IllegalStateException.class, () -> w.write("x")));
            h.close();
        }); RawClient c = s.raw()) {
            c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals("", c.readAll());
            assertTrue(second.get() != null && write.get() != null);
        }
    }

    @Test
    void hijackedConnectionIsNotClosedByShutdownButIsByClose() throws Exception {
        CountDownLatch hijacked = new CountDownLatch(1);
        try (TestServers.Running s = TestServers.start((w, r) -> {
            w.writeHeader(101);
            w.hijack(); // kept open, never closed by the handler
            hijacked.countDown();
        }); RawClient c = s.raw()) {
            c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals(101, c.read().status);
            assertTrue(hijacked.await(5, TimeUnit.SECONDS));
            assertTrue(s.server().shutdown(Duration.ofSeconds(2)), "a hijacked connection is not the server's to wait for");
            assertTrue(!c.timeout(300).closedByServerWithin(), "shutdown leaves it open");
            s.server().close();
            assertTrue(c.closedByServer());
        }
    }

    @Test
    void hijackedSocketHasNoServerTimeouts() throws Exception {
        AtomicReference<Integer> soTimeout = new AtomicReference<>();
        try (TestServers.Running s = TestServers.start((w, r) -> {
            try (Hijacked h = w.hijack()) {
                soTimeout.set(h.socket().getSoTimeout());
                h.out().write('k');
            }
        }, b -> b.readTimeout(Duration.ofMillis(200)).writeTimeout(Duration.ofMillis(200))); RawClient c = s.raw()) {
            c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals("k", c.readAll());
            assertEquals(0, soTimeout.get());
        }
    }

    static void noop() throws IOException { }
}
