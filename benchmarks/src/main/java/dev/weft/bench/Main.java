package dev.weft.bench;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;

/**
 * The benchmark kit's one entry point, so that a single shaded jar serves every role run.sh needs:
 *
 * <pre>
 * java -jar weft-bench.jar --port N [--mode core|servlet] [--server weft|jetty|tomcat|bare]   a server under test
 * java -jar weft-bench.jar idle-clients --port N [--connections 10000] [--hold-seconds 15]
 * java -jar weft-bench.jar startup --port N [--runs 5] -- COMMAND...                    scenario E
 * java -jar weft-bench.jar websocket [--uri ws://127.0.0.1:8080/demo/ws/echo] [--connections 16] [--size 64]
 * java -jar weft-bench.jar jmh [JMH arguments]                                           micro-benchmarks
 * </pre>
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) throws Exception {
        if (args.length > 0) {
            String[] rest = Arrays.copyOfRange(args, 1, args.length);
            switch (args[0]) {
                case "jmh" -> {
                    org.openjdk.jmh.Main.main(rest);
                    return;
                }
                case "idle-clients" -> {
                    IdleClients.main(rest);
                    return;
                }
                case "startup" -> {
                    StartupProbe.main(rest);
                    return;
                }
                case "websocket" -> {
                    WebSocketLoad.main(rest);
                    return;
                }
                default -> { }
            }
        }
        serve(args);
    }

    private static void serve(String[] args) throws Exception {
        int port = 8080;
        String mode = "servlet";
        String server = "weft";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "-h", "--help" -> {
                    usage(System.out);
                    return;
                }
                case "--port" -> port = Integer.parseInt(value(args, ++i));
                case "--mode" -> mode = value(args, ++i);
                case "--server" -> server = value(args, ++i);
                default -> fail("unknown argument: " + args[i]);
            }
        }
        if (!mode.equals("core") && !mode.equals("servlet")) {
            fail("--mode is core or servlet, not " + mode);
        }
        if (server.equals("bare")) {
            mode = "bare";
        } else if (mode.equals("core") && !server.equals("weft")) {
            fail("--mode core is Weft's own Handler API; jetty and tomcat serve servlets only");
        }
        quietLogging(server.equals("tomcat"));
        BenchServer s = switch (server) {
            case "weft" -> new WeftBench(mode.equals("core"));
            case "jetty" -> new JettyBench();
            case "tomcat" -> new TomcatBench();
            case "bare" -> new BareBench();
            default -> throw fail("--server is weft, jetty, tomcat or bare, not " + server);
        };
        int bound = s.start("127.0.0.1", port);
        Runtime.getRuntime().addShutdownHook(new Thread(s::stop, "bench-shutdown"));
        // run.sh waits for this exact line; the start instant is the JVM's, so it includes JVM boot.
        long ms = ProcessHandle.current().info().startInstant()
                .map(t -> Duration.between(t, Instant.now()).toMillis()).orElse(-1L);
        System.out.printf("weft-bench ready: server=%s mode=%s port=%d pid=%d since-jvm-start=%dms java=%s%n",
                server, s.mode(), bound, ProcessHandle.current().pid(), ms, Runtime.version());
        System.out.flush();
        Thread.currentThread().join();
    }

    /**
     * No logging on the hot path, and nothing at startup but warnings: each server logs through
     * its own framework (slf4j for Weft and Jetty, java.util.logging for Tomcat).
     */
    static void quietLogging(boolean julToo) {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        if (!julToo) {
            return; // loading java.util.logging costs a server that never uses it startup time
        }
        java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
        root.setLevel(java.util.logging.Level.WARNING);
        for (var h : root.getHandlers()) {
            h.setLevel(java.util.logging.Level.WARNING);
        }
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            fail(args[i - 1] + " needs a value");
        }
        return args[i];
    }

    static IllegalArgumentException fail(String message) {
        System.err.println("weft-bench: " + message + " (try --help)");
        System.exit(2);
        return new IllegalArgumentException(message);
    }

    private static void usage(PrintStream out) {
        out.println("""
                Usage:
                  java -jar weft-bench.jar --port N [--mode core|servlet] [--server weft|jetty|tomcat|bare]
                      Serves GET /plaintext (Hello, World!) and POST /echo (the body back) on 127.0.0.1.
                      --mode core is Weft's Handler API; servlet (the default) is an HttpServlet.
                      --server bare is no container: a virtual thread per connection answering
                      the two requests by hand, the floor under Weft on the same JDK.
                  java -jar weft-bench.jar idle-clients --port N [--connections 10000] [--hold-seconds 15]
                      Opens connections, sends one request on each, and holds them idle.
                  java -jar weft-bench.jar startup --port N [--runs 5] -- COMMAND...
                      Milliseconds from starting COMMAND to its first 200 on /plaintext.
                  java -jar weft-bench.jar websocket [--uri ws://127.0.0.1:8080/demo/ws/echo] [--connections 16]
                          [--size 64] [--seconds 10]
                      WebSocket echo round trips per second (./weft serves that endpoint).
                  java -jar weft-bench.jar jmh [JMH arguments]
                      The JMH micro-benchmarks (try: jmh -l, or jmh -prof gc).""");
    }
}
