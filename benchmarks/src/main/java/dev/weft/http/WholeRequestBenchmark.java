package dev.weft.http;

import dev.weft.bench.WeftBench;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Whole requests through {@link Conn#serve} over an in-memory connection, through the core
 * Handler (the bench server's ServeMux) or through the servlet layer (the bench server's
 * HttpServlet in a WebApp): parse, handle, write the response, go idle, for
 * {@value #REQUESTS} keep-alive requests per connection. The kernel and the virtual-thread
 * scheduler are left out; the score is per request.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class WholeRequestBenchmark {
    static final int REQUESTS = 16;

    @Param({"core", "servlet"})
    public String stack;

    /** plaintext: scenario A's GET; echo1k: scenario B's 1 KiB POST. */
    @Param({"plaintext", "echo1k"})
    public String request;

    private Server server;
    private ReplayInput input;
    private Context base;
    private dev.weft.servlet.ServletHandler servlets;

    @Setup
    public void setup() throws Exception {
        Handler h;
        if (stack.equals("core")) {
            h = WeftBench.coreHandler();
        } else {
            servlets = WeftBench.servletHandler();
            h = servlets;
        }
        server = Server.builder().handler(h).build();
        base = Context.background().with(Server.SERVER_KEY, server).with(Server.LOCAL_ADDRESS_KEY, MemorySocket.LOCAL);
        byte[] bytes = request.equals("echo1k") ? Requests.echo1k() : Requests.bytes(Requests.PLAINTEXT);
        input = new ReplayInput(bytes, REQUESTS);
        check();
    }

    /** One connection's worth, read back, so the benchmark cannot measure a server that answers wrongly. */
    private void check() throws IOException {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        input.reset(REQUESTS);
        new Conn(server, new MemorySocket(input, captured), base, null).serve();
        String all = captured.toString(StandardCharsets.ISO_8859_1);
        int ok = all.split("HTTP/1.1 200 OK\r\n", -1).length - 1;
        String body = request.equals("echo1k") ? "x".repeat(1024) : "Hello, World!";
        if (ok != REQUESTS || !all.contains("\r\n\r\n" + body)) {
            throw new IllegalStateException(stack + " " + request + ": expected " + REQUESTS + " answers, got:\n" + all);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (servlets != null) {
            servlets.stop();
        }
    }

    @Benchmark
    @OperationsPerInvocation(REQUESTS)
    public void connection() throws IOException {
        input.reset(REQUESTS);
        Conn c = new Conn(server, new MemorySocket(input, OutputStream.nullOutputStream()), base, null);
        c.serve();
    }
}
