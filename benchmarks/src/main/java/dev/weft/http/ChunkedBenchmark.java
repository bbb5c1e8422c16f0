package dev.weft.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
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
 * Chunked transfer coding both ways, 64 KiB per operation: the request body reader
 * ({@link ChunkedBody}) and the response's chunk writer (a handler writing more than the 4 KiB
 * response buffer, which makes an HTTP/1.1 response chunked).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ChunkedBenchmark {
    static final int BODY = 64 << 10;

    /** Chunk size on the wire for the reader; write size of the handler for the writer. */
    @Param({"1024", "16384"})
    public int size;

    private ConnInput in;
    private final byte[] scratch = new byte[8192];
    private Conn conn;
    private Request get;
    private ConnOutput out;
    private byte[] data;

    @Setup
    public void setup() throws IOException {
        in = new ConnInput(new SocketReader(null, new ReplayInput(Requests.chunkedBody(BODY, size), Long.MAX_VALUE),
                Context.withCancel(Context.background())));
        Server server = Server.builder().handler((w, r) -> { }).build();
        conn = new Conn(server, new MemorySocket(InputStream.nullInputStream(), OutputStream.nullOutputStream()),
                Context.background(), null);
        ConnInput head = new ConnInput(new SocketReader(null, new ReplayInput(Requests.bytes(Requests.PLAINTEXT), 1),
                Context.withCancel(Context.background())));
        head.awaitByte();
        get = RequestParser.parse(conn, head, Limits.DEFAULT);
        out = new ConnOutput(OutputStream.nullOutputStream());
        data = new byte[size];
        java.util.Arrays.fill(data, (byte) 'z');
    }

    @Benchmark
    public long read() throws IOException {
        ChunkedBody body = new ChunkedBody(in, Limits.DEFAULT);
        long total = 0;
        for (int n; (n = body.read(scratch, 0, scratch.length)) >= 0; ) {
            total += n;
        }
        return total;
    }

    @Benchmark
    public long write() throws IOException {
        Response w = new Response(conn, get, out);
        w.header().set("Content-Type", "application/octet-stream");
        for (int left = BODY; left > 0; left -= size) {
            w.write(data, 0, Math.min(size, left));
        }
        w.finishRequest();
        out.release();
        return out.bytesWritten();
    }
}
