package dev.weft.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.weft.deploy.Deployer;
import dev.weft.http.Listener;
import dev.weft.http.ServeMux;
import dev.weft.http.Server;
import dev.weft.servlet.ServletHandler;
import dev.weft.servlet.WebApp;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No virtual thread of Weft's is pinned to its carrier: a representative load runs in-process
 * under JDK Flight Recorder with {@code jdk.VirtualThreadPinned} at threshold 0, and any pinned
 * event in Weft's code fails the test.
 *
 * <p>The load: core handlers (a body read, the disconnect watch), a servlet with sessions, an
 * async servlet completed from another thread and one dispatched back, and a WAR deployed with
 * the {@link Deployer}, whose classes are first loaded on request threads, by several requests
 * at once. Clients run on platform threads, so every virtual thread recorded is the server's.
 *
 * <p>What is excused, counted and printed: a warm-up round, in which the first requests race to
 * load and initialize Weft's and the JDK's classes (the VM pins a virtual thread that waits for a
 * class being loaded or initialized by another); then, in the measured rounds, waits for a class
 * initializer, waits in {@code WebAppClassLoader} for a class another request is loading when
 * the VM itself asked for it (resolving a name in the application's bytecode: the VM's upcall
 * pins whatever blocks under it, and two racing requests must wait for one definition), and
 * pinning whose innermost non-JDK frame is the application's (the WAR loading its classes).
 * Anything else with a Weft frame fails. On JDK 24 and later {@code synchronized}
 * no longer pins (JEP 491), so there this guards blocking under native frames;
 * {@link SynchronizedKeywordTest} guards against Java 21 regressions.
 */
class NoPinningTest {
    static final int CLIENTS = 16;
    static final int WARM_UP_ROUNDS = 2;
    static final int ROUNDS = 25;

    @Test
    void noWeftFrameInAnyPinnedEvent(@TempDir Path tmp) throws Exception {
        Path war = buildWar(tmp.resolve("pinning.war"));
        ServletHandler servlets = new ServletHandler();
        servlets.deploy(app());
        Deployer deployer = new Deployer(servlets, tmp.resolve("work"));
        deployer.deploy(war, "/warm");

        ServeMux mux = new ServeMux();
        mux.handle("POST /core/echo", (w, r) -> {
            w.header().set("Content-Type", "text/plain");
            r.body().transferTo(w.outputStream());
        });
        mux.handle("GET /core/watch", (w, r) -> {
            // Asking whether the client is gone starts the background read on its own virtual thread.
            w.write(r.context().isDone() ? "gone" : "here");
        });
        mux.handle("/", servlets);
        Server server = Server.builder().address("127.0.0.1", 0).handler(mux).build();

        List<RecordedEvent> pinned;
        int answered;
        Instant measured;
        try (Recording recording = new Recording()) {
            recording.enable("jdk.VirtualThreadPinned").withThreshold(Duration.ZERO).withStackTrace();
            recording.start();
            Listener l = server.start();
            String base = "http://127.0.0.1:" + l.address().getPort();
            try {
                answered = load(base, "/warm", WARM_UP_ROUNDS);
                measured = Instant.now();
                // A fresh copy with its own class loader: its classes load on request threads, now.
                deployer.deploy(war, "/war");
                answered += load(base, "/war", ROUNDS);
            } finally {
                if (!server.shutdown(Duration.ofSeconds(5))) {
                    server.close();
                }
                servlets.stop();
            }
            recording.stop();
            Path dump = tmp.resolve("pinning.jfr");
            recording.dump(dump);
            pinned = RecordingFile.readAllEvents(dump);
        }

        List<String> ours = new ArrayList<>();
        int warmUp = 0;
        int classInit = 0;
        int classLoad = 0;
        int application = 0;
        for (RecordedEvent e : pinned) {
            System.out.println("pinned event: " + describe(e));
            if (e.getStartTime().isBefore(measured)) {
                warmUp++;
            } else if (waitedForClassInit(e)) {
                classInit++;
            } else if (waitedForClassLoadByVm(e)) {
                classLoad++;
            } else if (!isWeft(firstNonJdkFrame(e))) {
                application++;
            } else {
                ours.add(describe(e));
            }
        }
        System.out.printf("pinning: %d requests answered; %d jdk.VirtualThreadPinned events in all: %d during the"
                        + " warm-up (first use of classes), then %d waiting for a class initializer, %d waiting for"
                        + " a class the VM asked the application's loader for, %d in application code, %d in Weft's"
                        + " code (JDK %s)%n",
                answered, pinned.size(), warmUp, classInit, classLoad, application, ours.size(),
                Runtime.version());
        assertEquals(CLIENTS * (WARM_UP_ROUNDS + ROUNDS) * 6, answered, "every request answered");
        if (!ours.isEmpty()) {
            fail(ours.size() + " pinned virtual threads in Weft's code; the first:\n" + ours.get(0));
        }
    }

    /**
     * The JVM pins a virtual thread that waits for another thread to run a class's static
     * initializer (JDK 25 says so in pinnedReason): when the first requests race to use a class,
     * which no Java code can prevent.
     */
    private static boolean waitedForClassInit(RecordedEvent e) {
        return e.hasField("pinnedReason") && e.getValue("pinnedReason") instanceof String reason
                && reason.startsWith("Waited for initialization");
    }

    /**
     * A park in {@code WebAppClassLoader.loadClass} (the per-name lock another request holds while
     * it defines the same class) whose caller, past the JDK's frames, is the application: the VM
     * resolving a name in the application's bytecode, or its {@code Class.forName}. Any wait under
     * the VM's upcall pins, whatever the loader. The same wait under a Weft caller still fails.
     */
    private static boolean waitedForClassLoadByVm(RecordedEvent e) {
        if (e.getStackTrace() == null || !(e.hasField("blockingOperation")
                && String.valueOf((Object) e.getValue("blockingOperation")).contains("park"))) {
            return false;
        }
        List<RecordedFrame> frames = e.getStackTrace().getFrames();
        int i = 0;
        while (i < frames.size() && isJdk(frames.get(i))) {
            i++;
        }
        if (i >= frames.size() || !name(frames.get(i)).equals("dev.weft.deploy.WebAppClassLoader.loadClass")) {
            return false;
        }
        i++;
        while (i < frames.size() && isJdk(frames.get(i))) {
            i++;
        }
        return i < frames.size() && !isJdk(frames.get(i)) && !isWeft(frames.get(i));
    }

    private static boolean isJdk(RecordedFrame f) {
        String type = f.getMethod() == null ? "" : f.getMethod().getType().getName();
        return type.startsWith("java.") || type.startsWith("jdk.") || type.startsWith("sun.");
    }

    private static String name(RecordedFrame f) {
        return f.getMethod() == null ? "" : f.getMethod().getType().getName() + "." + f.getMethod().getName();
    }

    /** The innermost frame outside the JDK: whose code was running when the thread pinned. */
    private static RecordedFrame firstNonJdkFrame(RecordedEvent e) {
        if (e.getStackTrace() == null) {
            return null;
        }
        for (RecordedFrame f : e.getStackTrace().getFrames()) {
            if (!isJdk(f)) {
                return f;
            }
        }
        return null;
    }

    private static boolean isWeft(RecordedFrame f) {
        String type = f == null || f.getMethod() == null ? "" : f.getMethod().getType().getName();
        // This test's own frames are not Weft's; its clients run on platform threads anyway.
        return type.startsWith("dev.weft.") && !type.startsWith("dev.weft.bench.");
    }

    private static String describe(RecordedEvent e) {
        StringBuilder sb = new StringBuilder("pinned for " + e.getDuration().toNanos() / 1000 + " us");
        for (String field : List.of("pinnedReason", "blockingOperation")) {
            if (e.hasField(field) && e.getValue(field) != null) {
                sb.append(", ").append(field).append(": ").append((Object) e.getValue(field));
            }
        }
        sb.append(", at\n");
        for (RecordedFrame f : e.getStackTrace().getFrames()) {
            sb.append("    ").append(f.getMethod().getType().getName()).append('.').append(f.getMethod().getName())
                    .append(':').append(f.getLineNumber()).append(f.isJavaFrame() ? "" : " (native)").append('\n');
        }
        return sb.toString();
    }

    /** All clients start together, so the WAR's first requests race to load its classes. */
    private static int load(String base, String war, int rounds) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        AtomicInteger ok = new AtomicInteger();
        byte[] body = "x".repeat(1024).getBytes(StandardCharsets.US_ASCII);
        // Platform threads: every virtual thread in the recording is then the server's.
        try (ExecutorService pool = Executors.newFixedThreadPool(CLIENTS)) {
            List<Future<?>> clients = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                clients.add(pool.submit(() -> {
                    HttpClient http = HttpClient.newBuilder()
                            .version(HttpClient.Version.HTTP_1_1)
                            .cookieHandler(new CookieManager()) // one session per client
                            .connectTimeout(Duration.ofSeconds(5))
                            .build();
                    go.await();
                    for (int i = 0; i < rounds; i++) {
                        check(http, get(base + war + "/hello?who=c"), "hello c ", ok);
                        check(http, get(base + "/app/session"), "visits ", ok);
                        check(http, get(base + "/app/async"), "async done", ok);
                        check(http, get(base + "/app/async?dispatch=1"), "dispatched", ok);
                        check(http, HttpRequest.newBuilder(URI.create(base + "/core/echo"))
                                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), "xxxx", ok);
                        check(http, get(base + "/core/watch"), "here", ok);
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : clients) {
                f.get(60, TimeUnit.SECONDS);
            }
        }
        return ok.get();
    }

    private static HttpRequest get(String uri) {
        return HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(20)).build();
    }

    private static void check(HttpClient http, HttpRequest req, String expected, AtomicInteger ok) throws Exception {
        HttpResponse<String> res = http.send(req, HttpResponse.BodyHandlers.ofString());
        assertEquals(200, res.statusCode(), () -> req.uri() + ": " + res.body());
        assertTrue(res.body().startsWith(expected), () -> req.uri() + ": " + res.body());
        ok.incrementAndGet();
    }

    /** An application with sessions and async servlets. */
    private static WebApp app() {
        WebApp app = new WebApp("/app");
        app.addServlet("session", new SessionServlet()).addMapping("/session");
        var async = app.addServlet("async", new AsyncServlet());
        async.addMapping("/async");
        async.setAsyncSupported(true);
        app.addServlet("dispatched", new DispatchedServlet()).addMapping("/dispatched");
        return app;
    }

    static final class SessionServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
            HttpSession s = req.getSession(true);
            Integer visits = (Integer) s.getAttribute("visits");
            visits = visits == null ? 1 : visits + 1;
            s.setAttribute("visits", visits);
            res.setContentType("text/plain");
            res.getWriter().print("visits " + visits);
        }
    }

    /** Completes from another thread, or dispatches back to the container. */
    static final class AsyncServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse res) {
            AsyncContext ac = req.startAsync();
            boolean dispatch = req.getParameter("dispatch") != null;
            ac.start(() -> {
                try {
                    Thread.sleep(1);
                    if (dispatch) {
                        ac.dispatch("/dispatched");
                        return;
                    }
                    ac.getResponse().setContentType("text/plain");
                    ac.getResponse().getWriter().print("async done");
                    ac.complete();
                } catch (IOException | InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
        }
    }

    static final class DispatchedServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
            res.setContentType("text/plain");
            res.getWriter().print("dispatched");
        }
    }

    /** A WAR of the benchwar test classes, read as bytes from the test class path. */
    private static Path buildWar(Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file); JarOutputStream jar = new JarOutputStream(out)) {
            for (String name : List.of("WarServlet", "WarGreeting", "WarCounter")) {
                String entry = "benchwar/" + name + ".class";
                try (InputStream in = NoPinningTest.class.getResourceAsStream("/" + entry)) {
                    if (in == null) {
                        throw new IllegalStateException("no compiled " + entry);
                    }
                    jar.putNextEntry(new JarEntry("WEB-INF/classes/" + entry));
                    in.transferTo(jar);
                    jar.closeEntry();
                }
            }
        }
        return file;
    }
}
