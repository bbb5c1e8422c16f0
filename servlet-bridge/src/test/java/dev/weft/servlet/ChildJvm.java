package dev.weft.servlet;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A test server's {@code main} run in a separate JVM on the test's own JDK and class path, as
 * container-core's {@code ChildProcess} does, for figures that belong to the server alone: its
 * heap cap and its resident memory.
 */
final class ChildJvm implements AutoCloseable {
    final Process process;
    final int port;
    private final Path log;

    private ChildJvm(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Starts {@code main} with the JVM options and program arguments given, and waits for its {@code PORT n} line. */
    static ChildJvm start(Class<?> main, List<String> jvmArgs, String... args) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.addAll(jvmArgs);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        cmd.addAll(List.of(args));
        Path log = Files.createTempFile("weft-child", ".log");
        Process p = new ProcessBuilder(cmd).redirectError(log.toFile()).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        if (line == null || !line.startsWith("PORT ")) {
            p.destroyForcibly();
            throw new IOException("child server did not start: " + line + "\n" + Files.readString(log));
        }
        return new ChildJvm(p, Integer.parseInt(line.substring(5).trim()), log);
    }

    /** The child's peak resident set size (VmHWM), in bytes, or -1 off Linux. */
    long peakRssBytes() {
        return statusKiB("VmHWM:");
    }

    /** The child's resident set size now (VmRSS), in bytes, or -1 off Linux. */
    long rssBytes() {
        return statusKiB("VmRSS:");
    }

    private long statusKiB(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not on Linux, or the child is gone: no figure.
        }
        return -1;
    }

    String logText() throws IOException {
        return Files.readString(log);
    }

    @Override
    public void close() throws IOException {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        Files.deleteIfExists(log);
    }
}
