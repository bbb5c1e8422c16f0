package dev.weft.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A process started by a test: its output (standard error merged in) collected line by line, so
 * the test can wait for a line; killed by {@link #close()} whatever happened.
 */
final class Child implements AutoCloseable {
    final Process process;
    final List<String> lines = new CopyOnWriteArrayList<>();
    private final Thread reader;

    private Child(Process process) {
        this.process = process;
        this.reader = Thread.ofPlatform().daemon().name("child-output").start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (IOException ignored) {
                // the process is gone
            }
        });
    }

    static Child start(Path dir, Map<String, String> env, List<String> command) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        return new Child(pb.start());
    }

    /** Collects the output of a process started elsewhere (with its standard error merged in). */
    static Child of(Process process) {
        return new Child(process);
    }

    /** The JVM running this test: a JDK 21+, since the tests compile for 21. */
    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Runs {@code command} to its end (bounded); returns its exit status. */
    int await(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("still running after " + timeout + ":\n" + output());
        }
        reader.join(5000);
        return process.exitValue();
    }

    /** Waits (bounded) for a line matching {@code regex}; returns its match. */
    Matcher awaitLine(String regex, Duration timeout) throws InterruptedException {
        Pattern p = Pattern.compile(regex);
        long deadline = System.nanoTime() + timeout.toNanos();
        int seen = 0;
        while (System.nanoTime() < deadline) {
            List<String> now = new ArrayList<>(lines);
            for (; seen < now.size(); seen++) {
                Matcher m = p.matcher(now.get(seen));
                if (m.find()) {
                    return m;
                }
            }
            if (!process.isAlive() && !reader.isAlive() && seen == lines.size()) {
                break;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no line matching " + regex + " within " + timeout + (process.isAlive() ? "" : " (it exited)")
                + ":\n" + output());
    }

    /**
     * Sends SIGTERM. Not {@link Process#destroy()}: that also closes this end of the process's
     * output, and what a server prints while it stops is what the tests read.
     */
    void terminate() {
        process.toHandle().destroy();
    }

    /** The HTTP port the server's log names in its first "Listening on" line. */
    int awaitPort() throws InterruptedException {
        return Integer.parseInt(awaitLine("Listening on http://[^:]+:(\\d+)/", Duration.ofSeconds(60)).group(1));
    }

    String output() {
        return String.join("\n", lines);
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
