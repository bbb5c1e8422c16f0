package dev.weft.http;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs {@link ChildServer} in a separate JVM on the test's own JDK and class path. */
final class ChildProcess implements AutoCloseable {
    final Process process;
    final int port;
    final Path log;

    private ChildProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Starts the child, optionally under {@code ulimit -n fdLimit}, and waits for its port. */
    static ChildProcess start(int fdLimit, String... jvmArgs) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.addAll(List.of(jvmArgs));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), ChildServer.class.getName()));
        if (fdLimit > 0) {
            StringBuilder sh = new StringBuilder("ulimit -n " + fdLimit + " && exec");
            for (String c : cmd) {
                sh.append(" '").append(c.replace("'", "'\\''")).append("'");
            }
            cmd = List.of("bash", "-c", sh.toString());
        }
        Path log = Files.createTempFile("weft-child", ".log");
        Process p = new ProcessBuilder(cmd).redirectError(log.toFile()).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        if (line == null || !line.startsWith("PORT ")) {
            p.destroyForcibly();
            throw new IOException("child server did not start: " + line + "\n" + Files.readString(log));
        }
        return new ChildProcess(p, Integer.parseInt(line.substring(5).trim()), log);
    }

    /** User plus system CPU time of the child so far, from /proc, in milliseconds. */
    long cpuMillis() throws IOException {
        String stat = Files.readString(Path.of("/proc/" + process.pid() + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime
        return ticks * 10; // USER_HZ is 100 on Linux
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
