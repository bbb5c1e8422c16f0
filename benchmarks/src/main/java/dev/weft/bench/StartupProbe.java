package dev.weft.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Scenario E: milliseconds from starting a server process to its first 200 on
 * {@code GET /plaintext}. The probe starts the process itself, so the clock starts right before
 * the fork, and polls with a raw socket in a tight loop (a refused connect returns at once; the
 * probe runs on its own core). Each run's process is stopped (SIGTERM, then SIGKILL) before the next.
 */
final class StartupProbe {
    private static final byte[] REQUEST =
            "GET /plaintext HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private StartupProbe() {}

    public static void main(String[] args) throws Exception {
        int port = 8080;
        int runs = 5;
        int timeoutSeconds = 60;
        List<String> command = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--timeout-seconds" -> timeoutSeconds = Integer.parseInt(args[++i]);
                case "--" -> {
                    command = List.of(Arrays.copyOfRange(args, i + 1, args.length));
                    i = args.length;
                }
                default -> throw Main.fail("startup: unknown argument " + args[i]);
            }
        }
        if (command == null || command.isEmpty()) {
            throw Main.fail("startup: give the server's command after --");
        }
        InetSocketAddress target = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        List<Long> times = new ArrayList<>();
        for (int run = 1; run <= runs; run++) {
            long t0 = System.nanoTime();
            Process p = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            try {
                long deadline = t0 + TimeUnit.SECONDS.toNanos(timeoutSeconds);
                long ms = -1;
                while (System.nanoTime() < deadline && p.isAlive()) {
                    if (answers200(target)) {
                        ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                        break;
                    }
                    Thread.onSpinWait();
                }
                if (ms < 0) {
                    System.out.printf("startup run=%d failed (%s)%n", run, p.isAlive() ? "timed out" : "exited " + p.exitValue());
                } else {
                    times.add(ms);
                    System.out.printf("startup run=%d pid=%d ms=%d%n", run, p.pid(), ms);
                }
            } finally {
                stop(p);
            }
            System.out.flush();
            Thread.sleep(300); // let the port go before the next start
        }
        if (times.isEmpty()) {
            System.out.println("startup median=NA min=NA max=NA");
            System.exit(1);
        }
        List<Long> sorted = times.stream().sorted().toList();
        System.out.printf("startup median=%d min=%d max=%d runs=%d%n",
                sorted.get(sorted.size() / 2), sorted.get(0), sorted.get(sorted.size() - 1), sorted.size());
    }

    private static boolean answers200(InetSocketAddress target) {
        try (Socket s = new Socket()) {
            s.connect(target, 1000);
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write(REQUEST);
            out.flush();
            InputStream in = s.getInputStream();
            byte[] line = new byte[12];
            int n = in.readNBytes(line, 0, line.length);
            return n == line.length && new String(line, StandardCharsets.US_ASCII).equals("HTTP/1.1 200");
        } catch (IOException e) {
            return false;
        }
    }

    private static void stop(Process p) throws InterruptedException {
        p.destroy();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
