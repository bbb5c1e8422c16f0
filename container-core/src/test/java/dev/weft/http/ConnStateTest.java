package dev.weft.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;

/** The ConnState hook sees Go's transitions, in order, once each. */
class ConnStateTest {
    /** Records each connection's states, keyed by its socket, and signals CLOSED/HIJACKED. */
    static final class Recorder implements BiConsumer<Socket, ConnState> {
        final Map<Socket, List<ConnState>> states = new ConcurrentHashMap<>();
        final CountDownLatch ended = new CountDownLatch(1);

        @Override
        public void accept(Socket s, ConnState st) {
            states.computeIfAbsent(s, k -> java.util.Collections.synchronizedList(new ArrayList<>())).add(st);
            if (st == ConnState.CLOSED || st == ConnState.HIJACKED) {
                ended.countDown();
            }
        }

        List<ConnState> only() throws InterruptedException {
            assertTrue(ended.await(5, TimeUnit.SECONDS), "connection did not end: " + states);
            assertEquals(1, states.size(), states.toString());
            return List.copyOf(states.values().iterator().next());
        }
    }

    @Test
    void keepAliveConnectionGoesNewActiveIdleActiveIdleClosed() throws Exception {
        Recorder rec = new Recorder();
        try (TestServers.Running s = TestServers.start((w, r) -> w.write("ok"), b -> b.connStateHook(rec))) {
            try (RawClient c = s.raw()) {
                c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
                c.read();
                c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
                c.read();
            }
            assertEquals(List.of(ConnState.NEW, ConnState.ACTIVE, ConnState.IDLE, ConnState.ACTIVE,
                    ConnState.IDLE, ConnState.CLOSED), rec.only());
        }
    }

    @Test
    void connectionClosedWithoutARequestGoesNewClosed() throws Exception {
        Recorder rec = new Recorder();
        try (TestServers.Running s = TestServers.start((w, r) -> w.write("ok"), b -> b.connStateHook(rec))) {
            s.raw().close();
            assertEquals(List.of(ConnState.NEW, ConnState.CLOSED), rec.only());
        }
    }

    @Test
    void badRequestGoesNewActiveClosed() throws Exception {
        Recorder rec = new Recorder();
        try (TestServers.Running s = TestServers.start((w, r) -> w.write("ok"), b -> b.connStateHook(rec));
                RawClient c = s.raw()) {
            c.send("GARBAGE\r\n\r\n");
            assertEquals(400, c.read().status);
            assertEquals(List.of(ConnState.NEW, ConnState.ACTIVE, ConnState.CLOSED), rec.only());
        }
    }

    @Test
    void hijackedConnectionGoesNewActiveHijackedAndNeverClosed() throws Exception {
        Recorder rec = new Recorder();
        CountDownLatch hijacked = new CountDownLatch(1);
        try (TestServers.Running s = TestServers.start((w, r) -> {
            Hijacked h = w.hijack();
            h.out().write("raw".getBytes());
            h.close();
            hijacked.countDown();
        }, b -> b.connStateHook(rec)); RawClient c = s.raw()) {
            c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals("raw", c.readAll());
            assertTrue(hijacked.await(5, TimeUnit.SECONDS));
            assertEquals(List.of(ConnState.NEW, ConnState.ACTIVE, ConnState.HIJACKED), rec.only());
            assertEquals(0, s.server().connectionCount());
        }
    }

    @Test
    void hookFailureDoesNotBreakServing() throws IOException {
        try (TestServers.Running s = TestServers.start((w, r) -> w.write("ok"),
                b -> b.connStateHook((sock, st) -> {
                    throw new IllegalStateException("hook bug");
                })); RawClient c = s.raw()) {
            c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals("ok", c.read().text());
        }
    }
}
