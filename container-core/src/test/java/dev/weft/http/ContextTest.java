package dev.weft.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Request contexts: cancelled when the handler returns and when the client goes away. */
class ContextTest {
    @Test
    void clientDisconnectCancelsTheRequestContext() throws Exception {
        CountDownLatch waiting = new CountDownLatch(1);
        AtomicBoolean cancelled = new AtomicBoolean();
        CountDownLatch done = new CountDownLatch(1);
        try (TestServers.Running s = TestServers.start((w, r) -> {
            waiting.countDown();
            cancelled.set(r.context().await(Duration.ofSeconds(10)));
            done.countDown();
        })) {
            RawClient c = s.raw();
            c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            assertTrue(waiting.await(5, TimeUnit.SECONDS));
            c.close();
            assertTrue(done.await(5, TimeUnit.SECONDS), "the handler's wait ended");
            assertTrue(cancelled.get(), "the context was cancelled, not timed out");
        }
    }

    @Test
    void disconnectIsSeenOnlyAfterTheBodyWasRead() throws Exception {
        CountDownLatch waiting = new CountDownLatch(1);
        AtomicBoolean cancelled = new AtomicBoolean();
        CountDownLatch done = new CountDownLatch(1);
        try (TestServers.Running s = TestServers.start((w, r) -> {
            r.context().onDone(() -> { }); // asks for the watch before the body is read
            assertEquals("abc", new String(r.body().readAllBytes()));
            waiting.countDown();
            cancelled.set(r.context().await(Duration.ofSeconds(10)));
            done.countDown();
        })) {
            RawClient c = s.raw();
            c.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc");
            assertTrue(waiting.await(5, TimeUnit.SECONDS));
            c.close();
            assertTrue(done.await(5, TimeUnit.SECONDS));
            assertTrue(cancelled.get());
        }
    }

    @Test
    void contextIsDoneAfterTheHandlerReturns() throws Exception {
        AtomicReference<Context> ctx = new AtomicReference<>();
        try (TestServers.Running s = TestServers.start((w, r) -> {
            ctx.set(r.context());
            w.write("ok");
        }); RawClient c = s.raw()) {
            c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            c.read();
            assertTrue(ctx.get().await(Duration.ofSeconds(5)));
        }
    }

    @Test
    void pipelinedRequestIsNotMistakenForADisconnect() throws Exception {
        AtomicBoolean firstCancelledEarly = new AtomicBoolean();
        try (TestServers.Running s = TestServers.start((w, r) -> {
            if (r.path().equals("/1")) {
                // The watch reads the next request's first byte; that is not a disconnect.
                firstCancelledEarly.set(r.context().await(Duration.ofMillis(300)));
            }
            w.write(r.path());
        }); RawClient c = s.raw()) {
            c.send("GET /1 HTTP/1.1\r\nHost: x\r\n\r\n");
            Thread.sleep(50);
            c.send("GET /2 HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals("/1", c.read().text());
            assertEquals("/2", c.read().text());
            assertFalse(firstCancelledEarly.get());
        }
    }

    @Test
    void baseAndConnContextValuesReachTheRequest() throws Exception {
        Context.Key<String> base = new Context.Key<>("base");
        Context.Key<Integer> port = new Context.Key<>("client-port");
        AtomicReference<String> seen = new AtomicReference<>();
        try (TestServers.Running s = TestServers.start((w, r) -> {
            Context c = r.context();
            seen.set(c.get(base) + " " + c.get(port) + " " + (c.get(Server.SERVER_KEY) != null));
            w.write("ok");
        }, b -> b.baseContext(l -> Context.background().with(base, "from-base"))
                .connContext((ctx, sock) -> ctx.with(port, sock.getPort()))); RawClient c = s.raw()) {
            c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            c.read();
            assertEquals("from-base " + c.socket.getLocalPort() + " true", seen.get());
        }
    }

    @Test
    void cancellationPropagatesToChildren() throws Exception {
        Context.Cancellable parent = Context.withCancel(Context.background());
        Context.Cancellable child = Context.withCancel(parent.with(new Context.Key<>("k"), "v"));
        CountDownLatch ran = new CountDownLatch(1);
        child.onDone(ran::countDown);
        assertFalse(child.isDone());
        parent.cancel();
        assertTrue(child.isDone());
        assertTrue(ran.await(1, TimeUnit.SECONDS));
        AtomicBoolean late = new AtomicBoolean();
        child.onDone(() -> late.set(true));
        assertTrue(late.get(), "actions added after cancel run at once");
        assertSame(null, Context.background().get(new Context.Key<String>("none")));
    }

    static Socket unused() {
        return null;
    }
}
