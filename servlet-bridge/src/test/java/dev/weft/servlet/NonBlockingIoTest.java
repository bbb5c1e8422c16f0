package dev.weft.servlet;

import static dev.weft.servlet.AsyncTest.outcome;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.servlet.AsyncTest.Fn;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;

/**
 * Servlet 6.1 §5.4, non-blocking I/O: ReadListener and WriteListener on real connections, with
 * clients that trickle, read slowly, go away, or do nothing at all.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class NonBlockingIoTest {

    // ---- Helpers ----

    /** The byte at {@code offset} of the test download: period 251, so a misplaced or repeated piece shows. */
    static byte patternAt(long offset) {
        return (byte) (offset % 251);
    }

    static byte[] piece(long offset, int len) {
        byte[] b = new byte[len];
        for (int i = 0; i < len; i++) {
            b[i] = patternAt(offset + i);
        }
        return b;
    }

    /** What the slow reader got: status, headers, how many body bytes, and the first offset that was wrong (-1 if none). */
    record Download(int status, Map<String, String> headers, long length, long firstBadOffset, boolean endedAfter) {}

    /**
     * A client that reads slowly: a small receive buffer, the body read in small slices with a
     * pause after each of the first {@code slowBytes}; every byte is checked against the pattern
     * as it arrives.
     */
    static Download downloadSlowly(int port, String target, long slowBytes) throws IOException, InterruptedException {
        try (Socket s = new Socket()) {
            s.setReceiveBufferSize(16 * 1024);
            s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(("GET " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = new BufferedInputStream(s.getInputStream(), 8 * 1024);
            String status = line(in);
            Map<String, String> headers = new LinkedHashMap<>();
            for (String l = line(in); !l.isEmpty(); l = line(in)) {
                int colon = l.indexOf(':');
                headers.put(l.substring(0, colon).toLowerCase(Locale.ROOT), l.substring(colon + 1).strip());
            }
            byte[] slice = new byte[8 * 1024];
            long[] state = {0, -1}; // bytes read, first bad offset
            String te = headers.get("transfer-encoding");
            if (te != null && te.contains("chunked")) {
                while (true) {
                    String size = line(in);
                    int semi = size.indexOf(';');
                    long n = Long.parseLong((semi < 0 ? size : size.substring(0, semi)).strip(), 16);
                    if (n == 0) {
                        while (!line(in).isEmpty()) {
                            // trailers
                        }
                        break;
                    }
                    readBody(in, n, slice, state, slowBytes);
                    if (!line(in).isEmpty()) {
                        throw new IOException("chunk not followed by CRLF");
                    }
                }
            } else {
                readBody(in, Long.parseLong(headers.get("content-length")), slice, state, slowBytes);
            }
            boolean ended = in.read() < 0;
            return new Download(Integer.parseInt(status.split(" ")[1]), headers, state[0], state[1], ended);
        }
    }

    private static void readBody(InputStream in, long n, byte[] slice, long[] state, long slowBytes)
            throws IOException, InterruptedException {
        long left = n;
        while (left > 0) {
            int r = in.read(slice, 0, (int) Math.min(slice.length, left));
            if (r < 0) {
                throw new EOFException("body ended after " + state[0] + " bytes");
            }
            for (int i = 0; i < r; i++) {
                if (state[1] < 0 && slice[i] != patternAt(state[0] + i)) {
                    state[1] = state[0] + i;
                }
            }
            state[0] += r;
            left -= r;
            if (state[0] < slowBytes) {
                Thread.sleep(1); // the client's pace, not synchronisation
            }
        }
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new EOFException("connection closed mid-line");
            }
            b.write(c);
        }
        String s = b.toString(StandardCharsets.ISO_8859_1);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    /** Records the AsyncListener events of a request and counts down at onComplete. */
    static class Completion implements AsyncListener {
        final List<String> log;
        final CountDownLatch done = new CountDownLatch(1);

        Completion(List<String> log) {
            this.log = log;
        }

        @Override
        public void onComplete(AsyncEvent event) {
            log.add("async:onComplete");
            done.countDown();
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            log.add("async:onTimeout");
        }

        @Override
        public void onError(AsyncEvent event) {
            log.add("async:onError");
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
        }
    }

    static final ReadListener NO_READS = new ReadListener() {
        @Override
        public void onDataAvailable() {
        }

        @Override
        public void onAllDataRead() {
        }

        @Override
        public void onError(Throwable t) {
        }
    };

    static final WriteListener NO_WRITES = new WriteListener() {
        @Override
        public void onWritePossible() {
        }

        @Override
        public void onError(Throwable t) {
        }
    };

    // ---- Setting listeners ----

    @Test
    void listenersNeedAsyncModeAndCanBeSetOnlyOnce() throws Exception {
        WebApp app = new WebApp("/ctx");
        app.addServlet("set", new Fn((req, res) -> {
            boolean async = Boolean.parseBoolean(req.getParameter("async"));
            AsyncContext ac = async ? req.startAsync() : null;
            if (req.getParameter("which").equals("read")) {
                ServletInputStream in = req.getInputStream();
                res.setHeader("X-First", outcome(() -> in.setReadListener(NO_READS)));
                res.setHeader("X-Second", outcome(() -> in.setReadListener(NO_READS)));
                res.setHeader("X-Null", outcome(() -> in.setReadListener(null)));
            } else {
                ServletOutputStream out = res.getOutputStream();
                res.setHeader("X-First", outcome(() -> out.setWriteListener(NO_WRITES)));
                res.setHeader("X-Second", outcome(() -> out.setWriteListener(NO_WRITES)));
                res.setHeader("X-Null", outcome(() -> out.setWriteListener(null)));
            }
            if (ac != null) {
                ac.complete();
            }
        })).setAsyncSupported(true);
        app.getServletRegistration("set").addMapping("/set");
        try (Deployed d = Deployed.start(app)) {
            List<Executable> checks = new ArrayList<>();
            for (String which : List.of("read", "write")) {
                for (boolean async : List.of(false, true)) {
                    String label = which + (async ? " in async mode" : " outside async mode");
                    Deployed.Resp r = d.get("/ctx/set?which=" + which + "&async=" + async);
                    checks.add(() -> assertEquals(200, r.status(), label));
                    checks.add(() -> assertEquals(async ? "returned" : "IllegalStateException", r.header("X-First"), label));
                    checks.add(() -> assertEquals("IllegalStateException", r.header("X-Second"), label));
                    checks.add(() -> assertEquals("NullPointerException", r.header("X-Null"), label));
                }
            }
            assertAll(checks);
        }
    }

    // ---- ReadListener ----

    /** Echoes the body it reads with a ReadListener; counts and checks what the listener sees. */
    static final class Echo {
        final AtomicInteger dataAvailable = new AtomicInteger();
        final AtomicInteger allDataRead = new AtomicInteger();
        final AtomicInteger notReadyOnEntry = new AtomicInteger();
        final Set<String> readWhileNotReady = new ConcurrentSkipListSet<>();
        final List<String> errors = new CopyOnWriteArrayList<>();

        Fn servlet() {
            return new Fn((req, res) -> {
                AsyncContext ac = req.startAsync();
                ServletInputStream in = req.getInputStream();
                ByteArrayOutputStream body = new ByteArrayOutputStream();
                in.setReadListener(new ReadListener() {
                    @Override
                    public void onDataAvailable() throws IOException {
                        dataAvailable.incrementAndGet();
                        if (!in.isReady()) {
                            notReadyOnEntry.incrementAndGet();
                        }
                        byte[] buf = new byte[300]; // smaller than what arrives at once: several reads per call
                        while (in.isReady()) {
                            int n = in.read(buf);
                            if (n < 0) {
                                break;
                            }
                            body.write(buf, 0, n);
                        }
                        if (!in.isFinished()) {
                            readWhileNotReady.add(outcome(() -> in.read(buf)));
                        }
                    }

                    @Override
                    public void onAllDataRead() throws IOException {
                        int calls = allDataRead.incrementAndGet();
                        res.setHeader("X-Finished", Boolean.toString(in.isFinished()));
                        res.setHeader("X-Ready-At-End", Boolean.toString(in.isReady()));
                        res.setHeader("X-Read-At-End", Integer.toString(in.read()));
                        res.setHeader("X-All-Data-Read-Calls", Integer.toString(calls));
                        res.setContentType("application/octet-stream");
                        res.getOutputStream().write(body.toByteArray());
                        ac.complete();
                    }

                    @Override
                    public void onError(Throwable t) {
                        errors.add(t.toString());
                        ac.complete();
                    }
                });
            });
        }
    }

    /**
     * A client that sends its body a group of bytes at a time with pauses between: the listener
     * hears onDataAvailable several times, reads only while isReady(), cannot read when it is not,
     * hears onAllDataRead once, and the body comes back intact.
     */
    @Test
    void aSlowClientsBodyThroughAReadListener() throws Exception {
        int groups = 8;
        List<byte[]> parts = new ArrayList<>();
        ByteArrayOutputStream whole = new ByteArrayOutputStream();
        for (int i = 0; i < groups; i++) {
            byte[] g = ("group " + i + ":" + "abcdefghij".repeat(40 + i) + "\n").getBytes(StandardCharsets.US_ASCII);
            parts.add(g);
            whole.write(g);
        }
        byte[] expected = whole.toByteArray();
        for (boolean chunked : List.of(false, true)) {
            String label = chunked ? "chunked" : "Content-Length";
            Echo echo = new Echo();
            WebApp app = new WebApp("/ctx");
            app.addServlet("echo", echo.servlet()).setAsyncSupported(true);
            app.getServletRegistration("echo").addMapping("/echo");
            try (Deployed d = Deployed.start(app); TckWire c = TckWire.open(d.port)) {
                c.write(("POST /ctx/echo HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                        + (chunked ? "Transfer-Encoding: chunked\r\n" : "Content-Length: " + expected.length + "\r\n")
                        + "\r\n").getBytes(StandardCharsets.US_ASCII));
                for (byte[] g : parts) {
                    Thread.sleep(30); // the client's pace, not synchronisation
                    if (chunked) {
                        ByteArrayOutputStream chunk = new ByteArrayOutputStream();
                        chunk.write((Integer.toHexString(g.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                        chunk.write(g);
                        chunk.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                        c.write(chunk.toByteArray());
                    } else {
                        c.write(g);
                    }
                }
                if (chunked) {
                    Thread.sleep(30);
                    c.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                }
                TckWire.Resp r = c.read(false);
                assertAll(label,
                        () -> assertEquals(200, r.status()),
                        () -> assertArrayEquals(expected, r.bodyBytes(), "the echoed body"),
                        () -> assertTrue(echo.dataAvailable.get() >= 3,
                                "onDataAvailable calls for " + groups + " groups: " + echo.dataAvailable.get()),
                        () -> assertEquals(0, echo.notReadyOnEntry.get(), "onDataAvailable with isReady() false"),
                        () -> assertEquals(Set.of("IllegalStateException"), echo.readWhileNotReady,
                                "read() while isReady() is false"),
                        () -> assertEquals("1", r.header("X-All-Data-Read-Calls")),
                        () -> assertEquals(1, echo.allDataRead.get()),
                        () -> assertEquals("true", r.header("X-Finished")),
                        () -> assertEquals("true", r.header("X-Ready-At-End")),
                        () -> assertEquals("-1", r.header("X-Read-At-End")),
                        () -> assertEquals(List.of(), echo.errors));
            }
        }
    }

    /** A client that sends part of the body and goes away: the ReadListener hears onError, never onAllDataRead. */
    @Test
    void aReadListenerHearsOnErrorWhenTheClientDisconnectsMidBody() throws Exception {
        for (boolean chunked : List.of(false, true)) {
            String label = chunked ? "chunked" : "Content-Length";
            List<String> log = new CopyOnWriteArrayList<>();
            CountDownLatch gotData = new CountDownLatch(1);
            AtomicReference<Throwable> error = new AtomicReference<>();
            ClassLoader appLoader = new URLClassLoader("weft-test-app", new URL[0], getClass().getClassLoader());
            Completion completion = new Completion(log);
            WebApp app = new WebApp("/ctx").setClassLoader(appLoader).setAsyncTimeout(Duration.ofSeconds(20));
            app.addServlet("partial", new Fn((req, res) -> {
                AsyncContext ac = req.startAsync();
                ac.addListener(completion);
                ServletInputStream in = req.getInputStream();
                in.setReadListener(new ReadListener() {
                    @Override
                    public void onDataAvailable() throws IOException {
                        byte[] buf = new byte[4096];
                        while (in.isReady() && in.read(buf) >= 0) {
                            // discard
                        }
                        gotData.countDown();
                    }

                    @Override
                    public void onAllDataRead() {
                        log.add("read:onAllDataRead");
                    }

                    @Override
                    public void onError(Throwable t) {
                        error.set(t);
                        log.add("read:onError:ccl=" + (Thread.currentThread().getContextClassLoader() == appLoader));
                        ac.complete();
                    }
                });
            })).setAsyncSupported(true);
            app.getServletRegistration("partial").addMapping("/partial");
            try (Deployed d = Deployed.start(app)) {
                try (TckWire c = TckWire.open(d.port)) {
                    c.write(("POST /ctx/partial HTTP/1.1\r\nHost: x\r\n"
                            + (chunked ? "Transfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(100_000) + "\r\n"
                                    : "Content-Length: 100000\r\n\r\n")
                            + "x".repeat(1000)).getBytes(StandardCharsets.US_ASCII));
                    assertTrue(gotData.await(5, TimeUnit.SECONDS), label + ": the first bytes reached the listener");
                }
                assertTrue(completion.done.await(5, TimeUnit.SECONDS), label + ": completed after onError: " + log);
                List<String> readEvents = log.stream().filter(e -> e.startsWith("read:")).toList();
                assertEquals(List.of("read:onError:ccl=true"), readEvents, label);
                assertEquals("async:onComplete", log.get(log.size() - 1), label);
                assertTrue(error.get() instanceof IOException, label + ": onError's throwable: " + error.get());
            }
        }
    }

    // ---- WriteListener ----

    /** Writes {@code size} bytes of the pattern with a WriteListener, while isReady(); counts what happens. */
    static final class Download32 {
        final AtomicInteger writePossible = new AtomicInteger();
        final AtomicInteger notReady = new AtomicInteger();
        final AtomicReference<Throwable> error = new AtomicReference<>();
        final CountDownLatch sawNotReady = new CountDownLatch(1);
        final CountDownLatch errored = new CountDownLatch(1);
        final CountDownLatch completed = new CountDownLatch(1);

        Fn servlet() {
            return new Fn((req, res) -> {
                long size = Long.parseLong(req.getParameter("size"));
                boolean completeRightAway = "after-last-write".equals(req.getParameter("complete"));
                AsyncContext ac = req.startAsync();
                Completion completion = new Completion(new CopyOnWriteArrayList<>()) {
                    @Override
                    public void onComplete(AsyncEvent event) {
                        completed.countDown();
                    }
                };
                ac.addListener(completion);
                if ("true".equals(req.getParameter("cl"))) {
                    res.setContentLengthLong(size);
                }
                res.setContentType("application/octet-stream");
                ServletOutputStream out = res.getOutputStream();
                out.setWriteListener(new WriteListener() {
                    private long sent;
                    private boolean done;

                    @Override
                    public void onWritePossible() throws IOException {
                        writePossible.incrementAndGet();
                        while (out.isReady()) {
                            if (sent == size) {
                                if (!done) {
                                    done = true;
                                    ac.complete();
                                }
                                return;
                            }
                            int len = (int) Math.min(64 * 1024, size - sent);
                            out.write(piece(sent, len));
                            sent += len;
                            if (sent == size && completeRightAway) {
                                // complete() while the last write is still in progress: it must still arrive whole.
                                done = true;
                                ac.complete();
                                return;
                            }
                        }
                        notReady.incrementAndGet();
                        sawNotReady.countDown();
                    }

                    @Override
                    public void onError(Throwable t) {
                        error.set(t);
                        errored.countDown();
                        ac.complete();
                    }
                });
            });
        }
    }

    /**
     * Tens of megabytes through a WriteListener to a client that reads slowly: the application
     * writes only while isReady(), onWritePossible comes again each time isReady() said false,
     * and the body arrives whole, in order, once.
     */
    @Test
    void aLargeDownloadThroughAWriteListenerToASlowReader() throws Exception {
        long size = 32L * 1024 * 1024;
        record Case(boolean contentLength, String complete) {}
        List<Case> cases = List.of(new Case(true, "when-ready"), new Case(false, "when-ready"),
                new Case(true, "after-last-write"), new Case(false, "after-last-write"));
        List<Executable> checks = new ArrayList<>();
        for (Case c : cases) {
            String label = (c.contentLength() ? "Content-Length" : "chunked") + ", complete " + c.complete();
            Download32 dl = new Download32();
            WebApp app = new WebApp("/ctx");
            app.addServlet("dl", dl.servlet()).setAsyncSupported(true);
            app.getServletRegistration("dl").addMapping("/dl");
            try (Deployed d = Deployed.start(app)) {
                Download got = downloadSlowly(d.port, "/ctx/dl?size=" + size + "&cl=" + c.contentLength() + "&complete="
                        + c.complete(), 2L * 1024 * 1024);
                int calls = dl.writePossible.get();
                int falses = dl.notReady.get();
                checks.add(() -> assertEquals(200, got.status(), label));
                checks.add(() -> assertEquals(c.contentLength() ? Long.toString(size) : null,
                        got.headers().get("content-length"), label));
                checks.add(() -> assertEquals(size, got.length(), label + ": body length"));
                checks.add(() -> assertEquals(-1, got.firstBadOffset(), label + ": first wrong byte"));
                checks.add(() -> assertTrue(got.endedAfter(), label + ": nothing after the body"));
                checks.add(() -> assertTrue(falses >= 1, label + ": isReady() was false at least once"));
                checks.add(() -> assertEquals(falses + 1, calls,
                        label + ": onWritePossible once at first and once after each isReady() false"));
                checks.add(() -> assertEquals(null, dl.error.get(), label));
            }
        }
        assertAll(checks);
    }

    /**
     * A client that goes away mid-download: the WriteListener hears onError (§5.4), every time,
     * and the request then completes promptly. Repeated, because the container's own disconnect
     * watch races the failing write.
     */
    @Test
    void aWriteListenerHearsOnErrorWhenTheClientDisconnectsMidDownload() throws Exception {
        for (int i = 0; i < 10; i++) {
            Download32 dl = new Download32();
            WebApp app = new WebApp("/ctx");
            app.addServlet("dl", dl.servlet()).setAsyncSupported(true);
            app.getServletRegistration("dl").addMapping("/dl");
            try (Deployed d = Deployed.start(app)) {
                try (Socket s = new Socket()) {
                    s.setReceiveBufferSize(16 * 1024);
                    s.connect(new InetSocketAddress("127.0.0.1", d.port), 5_000);
                    s.setSoTimeout(10_000);
                    s.getOutputStream().write("GET /ctx/dl?size=1073741824 HTTP/1.1\r\nHost: x\r\n\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
                    s.getOutputStream().flush();
                    assertEquals(65536, s.getInputStream().readNBytes(65536).length);
                    s.setSoLinger(true, 0); // a reset, as from a client that crashed
                }
                assertTrue(dl.errored.await(5, TimeUnit.SECONDS), "attempt " + i + ": WriteListener.onError after the client left");
                assertTrue(dl.error.get() instanceof IOException, "attempt " + i + ": onError's throwable: " + dl.error.get());
                assertTrue(dl.completed.await(2, TimeUnit.SECONDS), "attempt " + i + ": onComplete soon after onError");
            }
        }
    }

    // ---- Class loader ----

    @Test
    void listenersRunWithTheApplicationsClassLoader() throws Exception {
        ClassLoader appLoader = new URLClassLoader("weft-test-app", new URL[0], getClass().getClassLoader());
        Set<String> seen = new ConcurrentSkipListSet<>();
        WebApp app = new WebApp("/ctx").setClassLoader(appLoader);
        app.addServlet("ccl", new Fn((req, res) -> {
            AsyncContext ac = req.startAsync();
            ServletInputStream in = req.getInputStream();
            in.setReadListener(new ReadListener() {
                @Override
                public void onDataAvailable() throws IOException {
                    seen.add("onDataAvailable:" + (Thread.currentThread().getContextClassLoader() == appLoader));
                    byte[] buf = new byte[1024];
                    while (in.isReady() && in.read(buf) >= 0) {
                        // discard
                    }
                }

                @Override
                public void onAllDataRead() {
                    seen.add("onAllDataRead:" + (Thread.currentThread().getContextClassLoader() == appLoader));
                    try {
                        ServletOutputStream out = res.getOutputStream();
                        out.setWriteListener(new WriteListener() {
                            @Override
                            public void onWritePossible() throws IOException {
                                seen.add("onWritePossible:" + (Thread.currentThread().getContextClassLoader() == appLoader));
                                if (out.isReady()) {
                                    out.write("ok".getBytes(StandardCharsets.US_ASCII));
                                    ac.complete();
                                }
                            }

                            @Override
                            public void onError(Throwable t) {
                                seen.add("write:onError:" + t);
                            }
                        });
                    } catch (IOException e) {
                        seen.add("getOutputStream failed: " + e);
                    }
                }

                @Override
                public void onError(Throwable t) {
                    seen.add("read:onError:" + t);
                }
            });
        })).setAsyncSupported(true);
        app.getServletRegistration("ccl").addMapping("/ccl");
        try (Deployed d = Deployed.start(app)) {
            Deployed.Resp r = d.post("/ctx/ccl", "text/plain", "some body");
            assertEquals(200, r.status());
            assertEquals("ok", r.body());
            assertEquals(new TreeSet<>(Set.of("onDataAvailable:true", "onAllDataRead:true", "onWritePossible:true")),
                    new TreeSet<>(seen));
        }
    }

    // ---- No busy waiting ----

    /**
     * Waiting costs no CPU: a ReadListener waiting for a body that does not come, a WriteListener
     * whose client does not read, and an asynchronous request waiting with no timeout each leave
     * the process nearly idle for a second. A spinning thread would burn a whole second of CPU.
     */
    @Test
    void waitingDoesNotBusyWait() throws Exception {
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        Download32 dl = new Download32();
        CountDownLatch reading = new CountDownLatch(1);
        CountDownLatch waiting = new CountDownLatch(1);
        WebApp app = new WebApp("/ctx");
        app.addServlet("read", new Fn((req, res) -> {
            AsyncContext ac = req.startAsync();
            ac.setTimeout(0);
            req.getInputStream().setReadListener(NO_READS);
            reading.countDown();
        })).setAsyncSupported(true);
        app.getServletRegistration("read").addMapping("/read");
        app.addServlet("dl", dl.servlet()).setAsyncSupported(true);
        app.getServletRegistration("dl").addMapping("/dl");
        app.addServlet("wait", new Fn((req, res) -> {
            req.startAsync().setTimeout(0);
            waiting.countDown();
        })).setAsyncSupported(true);
        app.getServletRegistration("wait").addMapping("/wait");
        record Case(String label, String request, CountDownLatch ready) {}
        List<Case> cases = List.of(
                new Case("ReadListener waiting for a body", "POST /ctx/read HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n",
                        reading),
                new Case("WriteListener blocked on a client that does not read",
                        "GET /ctx/dl?size=1073741824 HTTP/1.1\r\nHost: x\r\n\r\n", dl.sawNotReady),
                new Case("async request waiting with no timeout", "GET /ctx/wait HTTP/1.1\r\nHost: x\r\n\r\n", waiting));
        List<Executable> checks = new ArrayList<>();
        try (Deployed d = Deployed.start(app)) {
            for (Case c : cases) {
                try (Socket s = new Socket()) {
                    s.setReceiveBufferSize(8 * 1024);
                    s.connect(new InetSocketAddress("127.0.0.1", d.port), 5_000);
                    s.getOutputStream().write(c.request().getBytes(StandardCharsets.US_ASCII));
                    s.getOutputStream().flush();
                    assertTrue(c.ready().await(5, TimeUnit.SECONDS), c.label() + ": set up");
                    long cpu0 = os.getProcessCpuTime();
                    long wall0 = System.nanoTime();
                    Thread.sleep(1_000); // the idle second is the subject of the test
                    long cpu = os.getProcessCpuTime() - cpu0;
                    long wall = System.nanoTime() - wall0;
                    checks.add(() -> assertTrue(cpu < wall / 2, c.label() + ": " + TimeUnit.NANOSECONDS.toMillis(cpu)
                            + " ms of CPU in " + TimeUnit.NANOSECONDS.toMillis(wall) + " ms"));
                }
            }
        }
        assertAll(checks);
    }
}
