package dev.weft.http;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Header lookups on a parsed 12-field browser request: the first field, the last one asked in
 * another case, a name that is absent (every lookup of an optional field), and a token search.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class HeadersBenchmark {
    private Headers headers;
    // Not constants, so the JIT cannot fold the comparisons away.
    public String host = "Host";
    public String lastOtherCase = "cookie";
    public String absent = "X-Requested-With";
    public String connection = "Connection";

    @Setup
    public void setup() throws IOException {
        ConnInput in = new ConnInput(new SocketReader(null,
                new ReplayInput(Requests.bytes(Requests.BROWSER), 1), Context.withCancel(Context.background())));
        in.awaitByte();
        headers = RequestParser.parse(null, in, Limits.DEFAULT).headers;
    }

    @Benchmark
    public String getFirst() {
        return headers.get(host);
    }

    @Benchmark
    public String getLastOtherCase() {
        return headers.get(lastOtherCase);
    }

    @Benchmark
    public String getAbsent() {
        return headers.get(absent);
    }

    @Benchmark
    public boolean hasTokenKeepAlive() {
        return headers.hasToken(connection, "close");
    }
}
