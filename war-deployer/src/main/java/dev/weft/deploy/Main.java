package dev.weft.deploy;

import dev.weft.http.Listener;
import dev.weft.http.Server;
import dev.weft.servlet.ServletHandler;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.Proxy;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Weft from the command line: serves WAR files, exploded WAR folders and watched webapps folders.
 * See {@link #USAGE}.
 */
public final class Main {
    /** How long a shutdown waits for requests in flight before closing their connections. */
    static final Duration DRAIN = Duration.ofSeconds(10);
    /** {@link #run} leaves the server running in the background. */
    static final int RUNNING = -1;

    static final String USAGE = """
            Usage: java dev.weft.deploy.Main [OPTIONS] (WEBAPPS_DIR | APP.war | EXPLODED_DIR)...

            Serves web applications with Weft.

              APP.war        a WAR file, served at the context path its name gives:
                             ROOT.war at /, shop.war at /shop, shop##v2.war at /shop
                             (## starts a version, left out of the path), a#b.war at /a/b
              EXPLODED_DIR   a folder with a WEB-INF folder in it: an unpacked WAR, named as above
              WEBAPPS_DIR    any other folder: every name.war and name/ folder in it is served,
                             as above (when both x.war and x/ are there, the WAR wins), and the
                             folder is watched: new applications are deployed, changed ones (a
                             WAR, or an exploded application's WEB-INF/web.xml) are redeployed,
                             removed ones undeployed, within seconds

            Options:
              --port N       the port to listen on, 0 to 65535 (default 8080; 0 picks a free one)
              --host ADDR    the address to listen on (default: every address of the machine)
              --work DIR     where WAR files are unpacked, a folder per context path; kept
                             between runs, so an unchanged WAR is not unpacked again (default:
                             weft-work-USER-PORT in the temporary folder, java.io.tmpdir)
              -h, --help     show this help and exit

            Each application is reported with its context path, its URL and how long it took to
            deploy. One that fails is reported on a line of its own naming the WAR and the cause;
            the others are served all the same. SIGTERM or Ctrl-C shuts down gracefully: requests
            in flight get up to 10 seconds to finish, then every application is undeployed.

            Exit status: 0 after a shutdown; 1 if the port cannot be listened on, or if no
            application could be deployed and no webapps folder is watched (one may bring
            applications later, so watching one keeps Weft running); 2 for a bad command line.
            """;

    /** A command line that cannot be run; its message is one line. */
    static final class UsageException extends Exception {
        UsageException(String message) {
            super(message);
        }
    }

    /**
     * A parsed command line.
     *
     * @param host null for every address
     * @param workDir null for the default, which depends on the port actually listened on
     * @param webappsFolders folders to watch
     * @param apps WAR files and exploded folders, served as they are
     */
    record Options(int port, String host, Path workDir, boolean help, List<Path> webappsFolders, List<Path> apps) {}

    static Options parse(String... args) throws UsageException {
        int port = 8080;
        String host = null;
        Path work = null;
        List<Path> folders = new ArrayList<>();
        List<Path> apps = new ArrayList<>();
        boolean optionsEnded = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!optionsEnded && arg.startsWith("-") && arg.length() > 1) {
                String name = arg;
                String value = null;
                int eq = arg.indexOf('=');
                if (arg.startsWith("--") && eq > 0) {
                    name = arg.substring(0, eq);
                    value = arg.substring(eq + 1);
                }
                switch (name) {
                    case "-h", "--help" -> {
                        if (value != null) {
                            throw new UsageException(name + " takes no value");
                        }
                        return new Options(port, host, work, true, List.of(), List.of());
                    }
                    case "--" -> optionsEnded = true;
                    case "--port", "--host", "--work" -> {
                        if (value == null) {
                            if (i + 1 >= args.length) {
                                throw new UsageException(name + " needs a value");
                            }
                            value = args[++i];
                        }
                        switch (name) {
                            case "--port" -> port = port(value);
                            case "--host" -> host = host(value);
                            default -> work = path(value, "--work");
                        }
                    }
                    default -> throw new UsageException("unknown option " + name);
                }
                continue;
            }
            Path p = path(arg, "argument");
            if (Files.isDirectory(p)) {
                (Files.isDirectory(p.resolve("WEB-INF")) ? apps : folders).add(p);
            } else if (Files.isRegularFile(p)) {
                if (!p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".war")) {
                    throw new UsageException(arg + " is not a WAR file (its name does not end in .war)");
                }
                apps.add(p);
            } else if (Files.exists(p)) {
                throw new UsageException(arg + " is neither a file nor a folder");
            } else {
                throw new UsageException(arg + ": no such file or folder");
            }
        }
        if (folders.isEmpty() && apps.isEmpty()) {
            throw new UsageException("nothing to serve: give a webapps folder, a WAR file or an exploded WAR folder");
        }
        if (work != null) {
            for (Path f : folders) {
                if (work.toAbsolutePath().normalize().startsWith(f.toAbsolutePath().normalize())) {
                    throw new UsageException("--work " + work + " is in the webapps folder " + f
                            + ", where what it unpacks would be served too; unpack somewhere else");
                }
            }
        }
        return new Options(port, host, work, false, List.copyOf(folders), List.copyOf(apps));
    }

    private static int port(String s) throws UsageException {
        try {
            int p = Integer.parseInt(s);
            if (p >= 0 && p <= 65535) {
                return p;
            }
        } catch (NumberFormatException ignored) {
            // said below
        }
        throw new UsageException("--port needs a number from 0 to 65535, not \"" + s + "\"");
    }

    private static String host(String s) throws UsageException {
        if (s.isBlank()) {
            throw new UsageException("--host needs an address, not an empty string");
        }
        try {
            InetAddress.getByName(s);
        } catch (UnknownHostException e) {
            throw new UsageException("--host " + s + ": no such address or host name");
        }
        return s;
    }

    private static Path path(String s, String what) throws UsageException {
        if (s.isEmpty()) {
            throw new UsageException(what + " is an empty path");
        }
        try {
            return Path.of(s);
        } catch (InvalidPathException e) {
            throw new UsageException(what + " " + s + " is not a valid path: " + e.getReason());
        }
    }

    // ---- Running ----

    public static void main(String[] args) {
        int status = run(args, System.out, System.err);
        if (status != RUNNING) {
            System.exit(status);
        }
        // The server's accept thread keeps the JVM running until a signal or System.exit.
    }

    /**
     * Parses the command line and starts serving, with a shutdown hook and signal handlers.
     * Returns {@link #RUNNING} while the server runs on, or the exit status.
     */
    static int run(String[] args, PrintStream out, PrintStream err) {
        Options o;
        try {
            o = parse(args);
        } catch (UsageException e) {
            err.println("weft: " + e.getMessage() + " (try --help)");
            return 2;
        }
        if (o.help()) {
            out.print(USAGE);
            return 0;
        }
        Main main = new Main(o, out, err);
        int status = main.start();
        if (status != 0) {
            return status;
        }
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("weft-shutdown").unstarted(main::stop));
        exitNormallyOn("TERM");
        exitNormallyOn("INT");
        return RUNNING;
    }

    /**
     * A stop asked for is a normal end: without a handler the JVM exits with 128 + the signal
     * number after the shutdown hooks. The hooks still run, from System.exit. sun.misc.Signal is
     * reached by reflection: it is the JDK's only signal API, and javac warns of every direct use.
     */
    private static void exitNormallyOn(String signal) {
        try {
            Class<?> signalClass = Class.forName("sun.misc.Signal");
            Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
            Object handler = Proxy.newProxyInstance(Main.class.getClassLoader(), new Class<?>[] {handlerClass},
                    (proxy, method, args) -> switch (method.getName()) {
                        // The JDK runs each signal's handler on a new thread, so exit may wait there for the hooks.
                        case "handle" -> {
                            System.exit(0);
                            yield null;
                        }
                        case "equals" -> proxy == args[0];
                        case "hashCode" -> System.identityHashCode(proxy);
                        default -> "weft exit on SIG" + signal;
                    });
            Object sig = signalClass.getConstructor(String.class).newInstance(signal);
            signalClass.getMethod("handle", signalClass, handlerClass).invoke(null, sig, handler);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            // Ignored by the parent (nohup, a background job), reserved (-Xrs) or not there: the
            // JVM's own handling, the shutdown hook included, still applies.
        }
    }

    private final Options options;
    private final PrintStream out;
    private final PrintStream err;
    private final ReentrantLock lock = new ReentrantLock();
    private final List<Deployment> listed = new ArrayList<>();
    private final List<WebAppsFolder> watched = new ArrayList<>();
    private final AtomicInteger failures = new AtomicInteger();
    private Server server;
    private Deployer deployer;
    private InetSocketAddress address;
    private String baseUrl;
    private boolean stopped;

    Main(Options options, PrintStream out, PrintStream err) {
        this.options = options;
        this.out = out;
        this.err = err;
    }

    /** The address listened on, once started. */
    InetSocketAddress address() {
        return address;
    }

    /** Listens, deploys, starts watching and serving. Returns 0 when serving, else the exit status. */
    int start() {
        long t0 = System.nanoTime();
        InetSocketAddress bind;
        try {
            bind = options.host() == null ? new InetSocketAddress(options.port())
                    : new InetSocketAddress(InetAddress.getByName(options.host()), options.port());
        } catch (UnknownHostException e) {
            err.println("weft: --host " + options.host() + ": no such address or host name"); // gone since parsing
            return 1;
        }
        // Listening before deploying: a port in use is told at once, and connections made while
        // applications deploy wait in the backlog instead of getting a 404.
        Listener listener;
        try {
            listener = Listener.tcp(bind);
        } catch (IOException e) {
            err.println("weft: " + e.getMessage());
            return 1;
        }
        address = listener.address();
        baseUrl = "http://" + urlHost(options.host(), address) + ":" + address.getPort();
        Path work = options.workDir() != null ? options.workDir()
                : Path.of(System.getProperty("java.io.tmpdir"), "weft-work-" + userName() + "-" + address.getPort());
        try {
            Files.createDirectories(work);
        } catch (IOException e) {
            err.println("weft: cannot create the work folder " + work + ": " + e);
            closeQuietly(listener);
            return 1;
        }
        ServletHandler handler = new ServletHandler();
        deployer = new Deployer(handler, work);
        server = Server.builder().handler(handler).build();
        out.println("Weft on " + baseUrl + "/ (work folder " + work.toAbsolutePath() + ")");

        for (Path app : options.apps()) {
            try {
                Deployment d = deployer.deploy(app);
                listed.add(d);
                reportDeployed(d);
            } catch (DeploymentException e) {
                reportFailed(app, Deployer.contextPathFor(app), e);
            }
        }
        for (Path folder : options.webappsFolders()) {
            WebAppsFolder w = new WebAppsFolder(deployer, folder).events(new WebAppsFolder.Events() {
                @Override
                public void deployed(Deployment d) {
                    reportDeployed(d);
                }

                @Override
                public void undeployed(Deployment d) {
                    out.println("  undeployed " + label(d.app().getContextPath()));
                }

                @Override
                public void failed(Path source, String contextPath, DeploymentException e) {
                    reportFailed(source, contextPath, e);
                }
            });
            watched.add(w);
            w.start();
            out.println("Watching " + w.folder() + " for applications");
        }
        if (watched.isEmpty() && listed.isEmpty()) {
            err.println("weft: no application could be deployed; stopping");
            undeployAll();
            closeQuietly(listener);
            return 1;
        }
        try {
            server.startServing(listener);
        } catch (IOException e) {
            err.println("weft: cannot serve: " + e.getMessage());
            undeployAll();
            return 1;
        }
        int running = listed.size() + watched.stream().mapToInt(w -> w.deployments().size()).sum();
        int failed = failures.get();
        out.println("Started in " + (System.nanoTime() - t0) / 1_000_000 + " ms: " + running
                + (running == 1 ? " application" : " applications")
                + (failed > 0 ? ", " + failed + " failed" : "") + ". Stop with Ctrl-C.");
        return 0;
    }

    /**
     * Graceful shutdown: stop watching, let requests in flight finish (up to {@link #DRAIN}),
     * undeploy everything, close what is left. Runs once; later calls return at once.
     */
    void stop() {
        lock.lock();
        try {
            if (stopped || server == null) {
                return;
            }
            stopped = true;
        } finally {
            lock.unlock();
        }
        out.println("Shutting down: finishing requests in flight (up to " + DRAIN.toSeconds() + " s)");
        for (WebAppsFolder w : watched) {
            w.stopWatching();
        }
        try {
            if (!server.shutdown(DRAIN)) {
                err.println("weft: requests still running after " + DRAIN.toSeconds() + " s; closing their connections");
                server.close();
            }
        } catch (InterruptedException e) {
            server.close();
            Thread.currentThread().interrupt();
        }
        undeployAll();
        server.close();
        out.println("Stopped.");
        out.flush();
    }

    private void undeployAll() {
        for (WebAppsFolder w : watched) {
            w.close();
        }
        for (Deployment d : listed.reversed()) {
            try {
                deployer.undeploy(d);
                out.println("  undeployed " + label(d.app().getContextPath()));
            } catch (RuntimeException e) {
                err.println("weft: undeploying " + label(d.app().getContextPath()) + " failed: " + e);
            }
        }
        listed.clear();
    }

    private void reportDeployed(Deployment d) {
        String path = label(d.app().getContextPath());
        String from = d.source().getFileName() + (Files.isDirectory(d.source()) ? "/" : "");
        out.printf("  %-16s %-40s from %s in %d ms%n", path, baseUrl + (path.equals("/") ? "/" : path + "/"), from,
                d.deployMillis());
    }

    private void reportFailed(Path source, String contextPath, DeploymentException e) {
        failures.incrementAndGet();
        // One line, whatever the message holds: it is read in a terminal or grepped from a log.
        String why = String.valueOf(e.getMessage()).replaceAll("\\s*[\\r\\n]+\\s*", " ");
        String name = source.getFileName() + ": ";
        if (why.startsWith(name)) {
            why = why.substring(name.length()); // the full path is given already
        }
        err.println("weft: FAILED " + label(contextPath) + " from " + source + ": " + why);
    }

    private static String label(String contextPath) {
        return contextPath.isEmpty() ? "/" : contextPath;
    }

    /** The host for URLs: the one asked for, else localhost, which reaches every address. */
    private static String urlHost(String asked, InetSocketAddress bound) {
        if (asked == null || bound.getAddress().isAnyLocalAddress()) {
            return "localhost";
        }
        InetAddress a = bound.getAddress();
        return a instanceof Inet6Address ? "[" + a.getHostAddress().replaceFirst("%.*$", "") + "]" : asked;
    }

    private static String userName() {
        String user = System.getProperty("user.name", "user").replaceAll("[^A-Za-z0-9._-]", "_");
        return user.isEmpty() ? "user" : user;
    }

    private static void closeQuietly(Listener l) {
        try {
            l.close();
        } catch (IOException ignored) {
            // closing what never served
        }
    }
}
