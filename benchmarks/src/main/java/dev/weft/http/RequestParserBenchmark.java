package dev.weft.http;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The request-head parser as the connection runs it between two keep-alive requests: wait for the
 * first byte (taking a buffer from the pool), parse the request line and fields, decide the
 * framing, and give the buffer back.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RequestParserBenchmark {
    /** plaintext: wrk's two-line GET; browser: a 12-field navigation request. */
    @Param({"plaintext", "browser"})
    public String request;

    private ConnInput in;

    @Setup
    public void setup() {
        byte[] bytes = Requests.bytes(request.equals("browser") ? Requests.BROWSER : Requests.PLAINTEXT);
        in = new ConnInput(new SocketReader(null, new ReplayInput(bytes, Long.MAX_VALUE),
                Context.withCancel(Context.background())));
    }

    @Benchmark
    public Request parse() throws IOException {
        in.awaitByte();
        Request r = RequestParser.parse(null, in, Limits.DEFAULT);
        in.release();
        return r;
    }
}
