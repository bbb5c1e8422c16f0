package dev.weft.server;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code weft}: the command line. Reads the settings, starts a {@link WeftServer}, and stops it
 * gracefully on SIGTERM or SIGINT; a second signal stops at once.
 *
 * <p>Exit status: 0 after a stop, 1 when the server cannot start, 2 for a bad command line or
 * configuration, 128 + the signal's number (130 for SIGINT, 143 for SIGTERM) when a second signal
 * cut a graceful stop short.
 */
public final class Main {
    static final int OK = 0;
    static final int START_FAILED = 1;
    static final int USAGE = 2;
    /** {@link #run} leaves the server running. */
    static final int RUNNING = -1;

    private Main() {}

    public static void main(String[] args) {
        int status = run(args, System.out, System.err);
        if (status != RUNNING) {
            System.exit(status);
        }
        // The accept threads keep the JVM alive until a signal ends it.
    }

    /**
     * Runs the command line: prints help, the version or the settings, or starts the server with
     * its signal handlers. Returns an exit status, or {@link #RUNNING} while the server serves.
     */
    static int run(String[] args, PrintStream out, PrintStream err) {
        Config config;
        CommandLine cl;
        try {
            cl = CommandLine.parse(args);
            if (cl.help()) {
                out.print(Help.text());
                out.flush();
                return OK;
            }
            if (cl.version()) {
                out.println("Weft " + Version.get() + " (Java " + Runtime.version() + ")");
                return OK;
            }
            config = Config.load(cl, Path.of("").toAbsolutePath());
        } catch (ConfigException e) {
            err.println("weft: " + e.getMessage() + "; try --help");
            return USAGE;
        }
        if (cl.printConfig()) {
            out.print(config.print());
            out.flush();
            return OK;
        }
        // Before the first logger exists: slf4j-simple reads its level once.
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", config.get(Settings.LOG_LEVEL));
        // Jasper and the JDK log through java.util.logging: into the same log, in the same format.
        org.slf4j.bridge.SLF4JBridgeHandler.removeHandlersForRootLogger();
        org.slf4j.bridge.SLF4JBridgeHandler.install();
        java.util.logging.Logger.getLogger("").setLevel(switch (config.get(Settings.LOG_LEVEL)) {
            case "error" -> java.util.logging.Level.SEVERE;
            case "warn" -> java.util.logging.Level.WARNING;
            case "debug" -> java.util.logging.Level.FINE;
            case "trace" -> java.util.logging.Level.FINEST;
            default -> java.util.logging.Level.INFO;
        });

        WeftServer server = new WeftServer(config);
        Duration drain = config.get(Settings.DRAIN_TIME);
        Stopper stopper = new Stopper(server, drain);
        // Installed before starting, so a signal during a long deploy is handled the same way.
        boolean term = Signals.handle("TERM", stopper::signal);
        boolean interrupt = Signals.handle("INT", stopper::signal);
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("weft-shutdown").unstarted(() -> server.stop(drain)));
        try {
            server.start();
        } catch (ConfigException e) {
            err.println("weft: " + e.getMessage());
            return USAGE;
        } catch (StartupException e) {
            err.println("weft: " + e.getMessage());
            return START_FAILED;
        }
        if (!term || !interrupt) {
            org.slf4j.LoggerFactory.getLogger("weft").info("SIGTERM and SIGINT are left to the JVM here: a stop still "
                    + "drains requests in flight, but a second signal cannot cut it short");
        }
        return RUNNING;
    }

    /**
     * The first signal starts a graceful stop on a thread of its own and exits 0 when it is done;
     * a second one, while that runs, halts at once with 128 + its number.
     */
    static final class Stopper {
        private final WeftServer server;
        private final Duration drain;
        private final AtomicInteger signals = new AtomicInteger();

        Stopper(WeftServer server, Duration drain) {
            this.server = server;
            this.drain = drain;
        }

        void signal(int number) {
            if (signals.incrementAndGet() > 1) {
                System.err.println("weft: second signal: stopping now");
                Runtime.getRuntime().halt(128 + number);
            }
            // Not a daemon like the signal's own thread: once the listeners close, this thread is
            // what keeps the JVM alive until the requests in flight are done.
            Thread.ofPlatform().name("weft-stop").daemon(false).start(() -> {
                server.stop(drain);
                System.exit(OK);
            });
        }
    }
}
