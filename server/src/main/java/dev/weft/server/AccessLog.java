package dev.weft.server;

import dev.weft.http.Request;
import dev.weft.http.RequestLog;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The access log: a line per request, formatted on the connection's thread (the request is only
 * valid there, and formatting is cheap), handed to a bounded queue, and written by one thread of
 * its own, so no request ever waits for the disk. When the queue is full the line is dropped and
 * counted: a slow disk costs log lines, never latency.
 */
final class AccessLog implements RequestLog, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger("weft.access-log");
    private static final long DROP_WARNING_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

    /** Where lines go; used by the writer thread only. */
    interface Sink {
        void write(String line) throws IOException;

        void flush() throws IOException;

        void close() throws IOException;
    }

    private final AccessLogFormat format;
    private final Sink sink;
    private final BlockingQueue<String> queue;
    private final LongAdder dropped = new LongAdder();
    private final LongAdder written = new LongAdder();
    private final Thread writer;
    private volatile boolean closing;
    private long lastDropWarning = System.nanoTime() - DROP_WARNING_INTERVAL_NANOS;
    private long droppedWarned;

    AccessLog(AccessLogFormat format, Sink sink, int capacity) {
        this.format = format;
        this.sink = sink;
        this.queue = new ArrayBlockingQueue<>(capacity);
        // A platform thread: it blocks in file I/O, which would pin a virtual thread's carrier anyway.
        this.writer = Thread.ofPlatform().name("weft-access-log").daemon().unstarted(this::writeLoop);
        writer.start();
    }

    /**
     * Standard output as a sink, for containers whose platform collects it. Whole lines go out in
     * one write each time the writer catches up, so they do not tear in between the server log's.
     */
    static Sink stdout() {
        return of(new java.io.BufferedOutputStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), 64 * 1024));
    }

    /** A sink over a stream that stays open when the sink closes. */
    static Sink of(OutputStream stream) {
        return new Sink() {
            @Override
            public void write(String line) throws IOException {
                stream.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            }

            @Override
            public void flush() throws IOException {
                stream.flush();
            }

            @Override
            public void close() throws IOException {
                stream.flush();
            }
        };
    }

    @Override
    public void log(Request r, int status, long bodyBytes, long startNanos, long durationNanos) {
        long startMillis = System.currentTimeMillis() - (System.nanoTime() - startNanos) / 1_000_000;
        offer(format.format(new AccessLogFormat.Exchange(r.remoteAddress(), r.localAddress(), r.method(), r.target(),
                r.proto(), r.user(), r::header, status, bodyBytes, startMillis, durationNanos)));
    }

    @Override
    public void refused(InetSocketAddress remote, Request r, int status, String reason) {
        long now = System.currentTimeMillis();
        AccessLogFormat.Exchange e = r == null
                ? new AccessLogFormat.Exchange(remote, null, null, null, null, null, name -> null, status, -1, now, 0)
                : new AccessLogFormat.Exchange(remote, r.localAddress(), r.method(), r.target(), r.proto(), null,
                        r::header, status, -1, now, 0);
        offer(format.format(e));
    }

    /** Queues a line; never waits. Returns false when the queue was full and the line was dropped. */
    boolean offer(String line) {
        if (closing || !queue.offer(line)) {
            dropped.increment();
            return false;
        }
        return true;
    }

    /** Lines dropped because the writer could not keep up (or the log was closing). */
    long dropped() {
        return dropped.sum();
    }

    /** Lines written to the sink. */
    long written() {
        return written.sum();
    }

    String pattern() {
        return format.pattern();
    }

    private void writeLoop() {
        List<String> batch = new ArrayList<>(512);
        while (true) {
            String first;
            try {
                first = queue.poll(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                first = null;
                closing = true;
            }
            if (first == null) {
                if (closing && queue.isEmpty()) {
                    return;
                }
                warnAboutDrops();
                continue;
            }
            batch.add(first);
            queue.drainTo(batch, 511);
            try {
                for (String line : batch) {
                    sink.write(line);
                }
                written.add(batch.size());
                if (queue.isEmpty()) {
                    sink.flush(); // idle for now: make what was written visible
                }
            } catch (IOException | RuntimeException e) {
                dropped.add(batch.size());
                log.error("cannot write the access log: {}", e.toString());
            }
            batch.clear();
        }
    }

    private void warnAboutDrops() {
        long d = dropped.sum();
        long now = System.nanoTime();
        if (d > droppedWarned && now - lastDropWarning >= DROP_WARNING_INTERVAL_NANOS) {
            log.warn("{} access log lines dropped so far: the disk is slower than the traffic (access-log.queue)", d);
            droppedWarned = d;
            lastDropWarning = now;
        }
    }

    /** Writes what is queued, flushes and closes the sink; waits up to 10 s for the writer. */
    @Override
    public void close() {
        closing = true;
        try {
            writer.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (writer.isAlive()) {
            // Stuck in a write (a hung disk): the sink is still the writer's; leave it to the exit.
            log.warn("the access log writer is still busy after 10 s; {} lines not written", queue.size());
            return;
        }
        try {
            sink.flush();
            sink.close();
        } catch (IOException e) {
            log.error("cannot close the access log: {}", e.toString());
        }
    }
}
