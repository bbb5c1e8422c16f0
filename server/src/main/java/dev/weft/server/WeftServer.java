package dev.weft.server;

import dev.weft.deploy.Deployer;
import dev.weft.deploy.Deployment;
import dev.weft.deploy.DeploymentException;
import dev.weft.deploy.WebAppsFolder;
import dev.weft.examples.DemoApp;
import dev.weft.http.Handler;
import dev.weft.http.Limits;
import dev.weft.http.Listener;
import dev.weft.http.Server;
import dev.weft.http.ServerClosedException;
import dev.weft.http.TlsConfig;
import dev.weft.servlet.ServletHandler;
import dev.weft.servlet.WebApp;
import jakarta.servlet.ServletException;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Weft server as configured: its listeners, its applications (the examples, WAR files,
 * watched webapps folders), its access log and MBeans, started and stopped as a whole.
 *
 * <p>Start order: listen (so a port in use fails at once, and connections made while applications
 * deploy wait in the backlog rather than meet a 404), deploy, then accept. Stop order: stop
 * watching folders, stop accepting and let requests in flight finish within the drain time, close
 * what is left (upgraded connections too), undeploy, close the access log.
 */
final class WeftServer {
    private static final Logger log = LoggerFactory.getLogger("weft");

    private final Config config;
    private final ServletHandler servlets = new ServletHandler();
    private final Jmx jmx;
    private final ReentrantLock lock = new ReentrantLock();
    private final List<Listener> listeners = new ArrayList<>();
    private final List<String> urls = new CopyOnWriteArrayList<>();
    private final List<WebAppsFolder> folders = new ArrayList<>();
    private final List<Deployment> deployments = new ArrayList<>();
    private final List<WebApp> embedded = new ArrayList<>();
    private Server server;
    private Deployer deployer;
    private AccessLog accessLog;
    private Path workDir;
    private String baseUrl;
    private String baseHttpsUrl;
    private boolean started;
    private boolean stopped;
    /** Held through a whole start and a whole stop, so that they never overlap. */
    private final ReentrantLock lifecycle = new ReentrantLock();

    WeftServer(Config config) {
        this.config = config;
        this.jmx = new Jmx(config.get(Settings.JMX));
    }

    /**
     * Listens, deploys and starts serving. Throws ConfigException for a setting that turns out
     * wrong only now (a TLS file that does not load), StartupException for anything else.
     */
    void start() throws ConfigException, StartupException {
        long t0 = System.nanoTime();
        lifecycle.lock();
        try {
            if (started || stopped) {
                throw new IllegalStateException(stopped ? "stopped before it started" : "started already");
            }
            started = true;
            startLogged(t0);
        } finally {
            lifecycle.unlock();
        }
    }

    private void startLogged(long t0) throws ConfigException, StartupException {
        Runtime.Version java = Runtime.version();
        log.info("Weft {} on Java {} ({}, {}), pid {}, {} CPUs", Version.get(), java, System.getProperty("java.vendor"),
                System.getProperty("java.home"), ProcessHandle.current().pid(), Runtime.getRuntime().availableProcessors());
        log.info("Settings: {}", describeSources());
        try {
            startLocked(t0);
        } catch (ConfigException | StartupException | RuntimeException e) {
            abortStart();
            throw e;
        }
    }

    private void startLocked(long t0) throws ConfigException, StartupException {
        Limits limits = limits();
        TlsConfig tls = tls();
        Integer tlsPort = config.get(Settings.TLS_PORT);
        InetSocketAddress httpAddress = address(Settings.HOST, config.get(Settings.HOST), config.get(Settings.PORT));
        Listener http = listen(httpAddress);
        baseUrl = url("http", config.get(Settings.HOST), http.address());
        Listener https = null;
        if (tlsPort != null) {
            String tlsHost = config.get(Settings.TLS_HOST) != null ? config.get(Settings.TLS_HOST) : config.get(Settings.HOST);
            https = Listener.tls(listen(address(Settings.TLS_HOST, tlsHost, tlsPort)), tls);
            baseHttpsUrl = url("https", tlsHost, https.address());
        }
        log.info("Listening on {}/ ({})", baseUrl, where(http.address()));
        if (https != null) {
            log.info("Listening on {}/ ({}, {})", baseHttpsUrl, where(https.address()),
                    String.join(",", config.get(Settings.TLS_PROTOCOLS)));
        }

        workDir = config.get(Settings.WORK) != null ? config.get(Settings.WORK)
                : Path.of(System.getProperty("java.io.tmpdir"), "weft-work-" + userName() + "-" + http.address().getPort());
        try {
            Files.createDirectories(workDir);
        } catch (IOException e) {
            throw new StartupException("cannot create the work folder " + workDir + ": " + e);
        }
        log.info("Work folder: {}", workDir.toAbsolutePath());

        accessLog = openAccessLog();
        deployer = new Deployer(servlets, workDir).defaults(this::applyDefaults);
        if (https != null) {
            deployer.confidentialPort(https.address().getPort());
        }
        Handler handler;
        try {
            handler = config.servesExamples() ? ExamplesSite.handler(servlets) : servlets;
        } catch (IOException e) {
            throw new StartupException("cannot set up the examples: " + e.getMessage(), e);
        }
        Server.Builder b = Server.builder()
                .handler(handler)
                .readHeaderTimeout(config.get(Settings.READ_HEADER_TIMEOUT))
                .readTimeout(config.get(Settings.READ_TIMEOUT))
                .writeTimeout(config.get(Settings.WRITE_TIMEOUT))
                .idleTimeout(config.get(Settings.IDLE_TIMEOUT))
                .limits(limits)
                .maxConnections(config.get(Settings.MAX_CONNECTIONS))
                .keepAlives(config.get(Settings.KEEP_ALIVE))
                .requestLog(accessLog);
        if (config.get(Settings.TLS_HANDSHAKE_TIMEOUT) != null) {
            b.tlsHandshakeTimeout(config.get(Settings.TLS_HANDSHAKE_TIMEOUT));
        }
        server = b.build();
        jmx.register(Jmx.serverName(), new ServerMetrics(server, servlets, () -> accessLog, () -> urls,
                System.currentTimeMillis()));

        int failed = deployAll();
        lock.lock();
        boolean nothing;
        try {
            nothing = deployments.isEmpty() && embedded.isEmpty() && folders.isEmpty();
        } finally {
            lock.unlock();
        }
        if (nothing) {
            throw new StartupException("no application could be deployed (" + failed + " failed); stopping");
        }

        if (accessLog != null) {
            log.info("Access log: {} ({})", describeAccessLog(), accessLog.pattern());
        }
        serve(http);
        urls.add(baseUrl + "/");
        if (https != null) {
            serve(https);
            urls.add(baseHttpsUrl + "/");
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        long sinceJvm = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
        log.info("Started in {} ms ({} ms since the JVM started): {}/{}", ms, sinceJvm, baseUrl,
                failed > 0 ? "; " + failed + " application(s) failed to deploy, see above" : "");
    }

    /** Serves {@code l} on a platform thread of its own, as {@link Server#startServing} would, quietly. */
    private void serve(Listener l) {
        Thread.ofPlatform().name("weft-accept " + where(l.address())).start(() -> {
            try {
                server.serve(l);
            } catch (ServerClosedException expected) {
                // stopped: the normal end
            } catch (IOException | RuntimeException e) {
                log.error("accepting on {} failed; that listener is closed", where(l.address()), e);
            }
        });
    }

    /** Deploys what the settings name; returns how many failed. */
    private int deployAll() throws StartupException {
        int failed = 0;
        if (config.servesExamples()) {
            WebApp demo = DemoApp.create(ExamplesSite.DEMO_PATH);
            applyDefaults(demo);
            long t = System.nanoTime();
            try {
                servlets.deploy(demo);
            } catch (ServletException | RuntimeException e) {
                throw new StartupException("cannot start the demo application: " + e, e);
            }
            long ms = (System.nanoTime() - t) / 1_000_000;
            lock.lock();
            try {
                embedded.add(demo);
            } finally {
                lock.unlock();
            }
            reportDeployed(demo, "embedded " + DemoApp.class.getSimpleName(), ms);
            Path war;
            try {
                war = ExamplesSite.extractWar(workDir);
            } catch (IOException e) {
                throw new StartupException("cannot copy the example WAR into " + workDir + ": " + e, e);
            }
            if (war == null) {
                log.warn("This build has no example WAR bundled: {} is not served", ExamplesSite.WAR_PATH);
            } else if (!deploy(war, ExamplesSite.WAR_PATH)) {
                failed++;
            }
            return failed;
        }
        for (Path p : config.get(Settings.WEBAPPS)) {
            if (Files.isDirectory(p) && !Files.isDirectory(p.resolve("WEB-INF"))) {
                watch(p);
            } else if (!deploy(p, Deployer.contextPathFor(p))) {
                failed++;
            }
        }
        return failed;
    }

    private boolean deploy(Path source, String contextPath) {
        try {
            Deployment d = deployer.deploy(source, contextPath);
            lock.lock();
            try {
                deployments.add(d);
            } finally {
                lock.unlock();
            }
            registered(d);
            return true;
        } catch (DeploymentException e) {
            // One line: the message names the WAR and, for a descriptor, the file and line.
            log.error("Cannot deploy {} at {}: {}", source, label(contextPath), oneLine(e.getMessage()));
            return false;
        } catch (IllegalStateException e) {
            log.error("Cannot deploy {} at {}: {}", source, label(contextPath), oneLine(e.getMessage()));
            return false;
        }
    }

    private void watch(Path folder) {
        WebAppsFolder w = new WebAppsFolder(deployer, folder)
                .pollInterval(config.get(Settings.POLL_INTERVAL))
                .stablePolls(config.get(Settings.STABLE_POLLS))
                .events(new WebAppsFolder.Events() {
                    @Override
                    public void deployed(Deployment d) {
                        registered(d);
                    }

                    @Override
                    public void undeployed(Deployment d) {
                        jmx.unregister(Jmx.webAppName(d.app().getContextPath()));
                    }
                    // failed: the folder logs it, naming the WAR and the cause
                });
        lock.lock();
        try {
            folders.add(w);
        } finally {
            lock.unlock();
        }
        w.start(); // which logs that it watches the folder
    }

    private void registered(Deployment d) {
        reportDeployed(d.app(), d.source().getFileName().toString(), d.deployMillis());
    }

    private void reportDeployed(WebApp app, String source, long millis) {
        String path = label(app.getContextPath());
        log.info("Context {} at {}{} from {} deployed in {} ms", path, baseUrl, path.equals("/") ? "/" : path + "/",
                source, millis);
        jmx.register(Jmx.webAppName(app.getContextPath()), new WebAppMetrics(app, source, millis));
    }

    /** Server-wide defaults for an application, before its own descriptor has its say. */
    private void applyDefaults(WebApp app) {
        app.setSessionTimeout((int) config.get(Settings.SESSION_TIMEOUT).toMinutes());
        app.getSessionCookieConfig().setName(config.get(Settings.SESSION_COOKIE));
        if (config.get(Settings.SESSION_COOKIE_SECURE)) {
            app.getSessionCookieConfig().setSecure(true);
        }
        app.sessions().setSweepInterval(config.get(Settings.SESSION_SWEEP));
    }

    /**
     * Stops gracefully: no new connections, requests in flight get up to {@code drain} to finish,
     * then whatever is left is closed and everything undeployed. Returns whether every request
     * finished in time. Runs once; later calls return at once.
     */
    boolean stop(Duration drain) {
        // Waits for a start in progress, or for another thread's stop (a signal's, then the JVM's
        // shutdown hook) to finish: the JVM must not exit halfway through either.
        lifecycle.lock();
        try {
            if (stopped || !started) {
                stopped = true;
                return true;
            }
            stopped = true;
            return stopNow(drain);
        } finally {
            lifecycle.unlock();
        }
    }

    private boolean stopNow(Duration drain) {
        long t0 = System.nanoTime();
        int busy = server.connectionsByState().get(dev.weft.http.ConnState.ACTIVE);
        log.info("Stopping: no new connections; {} in flight, up to {} to finish", busy == 1 ? "1 request" : busy + " requests",
                Values.text(drain));
        for (WebAppsFolder w : folders) {
            w.stopWatching();
        }
        boolean clean;
        try {
            clean = server.shutdown(drain);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            clean = false;
        }
        if (!clean) {
            log.warn("{} connection(s) still busy after {}: closing them", server.connectionCount(), Values.text(drain));
        }
        server.close(); // upgraded connections (WebSockets) too, which a graceful shutdown leaves alone
        undeployAll();
        jmx.close();
        if (accessLog != null) {
            accessLog.close();
        }
        log.info("Stopped in {} ms", (System.nanoTime() - t0) / 1_000_000);
        return clean;
    }

    private void undeployAll() {
        for (WebAppsFolder w : folders) {
            w.close();
        }
        for (Deployment d : deployments.reversed()) {
            try {
                deployer.undeploy(d);
            } catch (RuntimeException e) {
                log.error("Undeploying {} failed", label(d.app().getContextPath()), e);
            }
        }
        deployments.clear();
        servlets.stop(); // the embedded ones, and anything else still there
        embedded.clear();
    }

    /** A start that failed halfway: close what was opened. */
    private void abortStart() {
        for (Listener l : listeners) {
            try {
                l.close();
            } catch (IOException ignored) {
                // closing what never served
            }
        }
        if (server != null) {
            server.close();
        }
        if (deployer != null) {
            undeployAll();
        }
        jmx.close();
        if (accessLog != null) {
            accessLog.close();
        }
        stopped = true;
    }

    /** The addresses listened on, HTTP first. */
    List<InetSocketAddress> addresses() {
        return listeners.stream().map(Listener::address).toList();
    }

    /** {@code http://localhost:8080}, without a trailing slash. */
    String baseUrl() {
        return baseUrl;
    }

    String baseHttpsUrl() {
        return baseHttpsUrl;
    }

    Server core() {
        return server;
    }

    ServletHandler servlets() {
        return servlets;
    }

    Path workDir() {
        return workDir;
    }

    AccessLog accessLog() {
        return accessLog;
    }

    /** Waits until the MBeans asked for so far are registered (they are registered off the startup path). */
    void awaitJmx() throws InterruptedException {
        jmx.awaitRegistrations();
    }

    // ---- Pieces of the start ----

    private Listener listen(InetSocketAddress address) throws StartupException {
        try {
            Listener l = Listener.tcp(address);
            listeners.add(l);
            return l;
        } catch (IOException e) {
            String why = e.getCause() != null && e.getCause().getMessage() != null ? e.getCause().getMessage() : e.getMessage();
            throw new StartupException("cannot listen on " + where(address) + ": " + why, e);
        }
    }

    private static InetSocketAddress address(Setting<String> key, String host, int port) throws ConfigException {
        if (host == null) {
            return new InetSocketAddress(port);
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (UnknownHostException e) {
            throw new ConfigException(key.key + " " + host + ": unknown host");
        }
    }

    private Limits limits() throws ConfigException {
        try {
            return new Limits(
                    Math.toIntExact(config.get(Settings.MAX_REQUEST_LINE)),
                    Math.toIntExact(config.get(Settings.MAX_HEADER_BYTES)),
                    config.get(Settings.MAX_HEADER_COUNT),
                    config.get(Settings.MAX_BODY),
                    Math.toIntExact(config.get(Settings.MAX_CHUNK_LINE)),
                    Math.toIntExact(config.get(Settings.MAX_CHUNK_EXTENSIONS)),
                    Math.toIntExact(config.get(Settings.MAX_TRAILER)));
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new ConfigException("the max-* limits do not fit together: " + e.getMessage());
        }
    }

    private TlsConfig tls() throws ConfigException {
        if (config.get(Settings.TLS_PORT) == null) {
            return null;
        }
        TlsConfig tls;
        Path keystore = config.get(Settings.TLS_KEYSTORE);
        try {
            if (keystore != null) {
                String pw = config.get(Settings.TLS_KEYSTORE_PASSWORD);
                tls = TlsConfig.pkcs12(keystore, pw == null ? new char[0] : pw.toCharArray());
            } else {
                tls = TlsConfig.pem(config.get(Settings.TLS_CERT), config.get(Settings.TLS_KEY));
            }
        } catch (IOException | RuntimeException e) {
            throw new ConfigException((keystore != null ? "tls.keystore " + keystore
                    : "tls.cert " + config.get(Settings.TLS_CERT) + " / tls.key " + config.get(Settings.TLS_KEY))
                    + ": cannot load: " + oneLine(e.getMessage()));
        }
        tls.protocols(config.get(Settings.TLS_PROTOCOLS).toArray(String[]::new));
        String auth = config.get(Settings.TLS_CLIENT_AUTH);
        if (!auth.equals("none")) {
            try {
                tls.clientAuth(auth.equals("need") ? TlsConfig.ClientAuth.NEED : TlsConfig.ClientAuth.WANT,
                        config.get(Settings.TLS_CLIENT_CA));
            } catch (IOException | RuntimeException e) {
                throw new ConfigException("tls.client-ca " + config.get(Settings.TLS_CLIENT_CA) + ": cannot load: "
                        + oneLine(e.getMessage()));
            }
        }
        return tls;
    }

    private AccessLog openAccessLog() throws ConfigException {
        String where = config.get(Settings.ACCESS_LOG);
        if (where == null) {
            return null;
        }
        AccessLogFormat format;
        try {
            format = AccessLogFormat.compile(config.get(Settings.ACCESS_LOG_PATTERN));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("access-log.pattern: expected " + e.getMessage());
        }
        AccessLog.Sink sink;
        if (where.equals("stdout")) {
            sink = AccessLog.stdout();
        } else {
            Path file = Path.of(where);
            try {
                Files.createDirectories(file.toAbsolutePath().getParent());
            } catch (IOException e) {
                throw new ConfigException("access-log " + where + ": cannot create its folder: " + e.getMessage());
            }
            if (Files.exists(file) && !Files.isWritable(file)) {
                throw new ConfigException("access-log " + where + ": not writable");
            }
            sink = new RollingFile(file, config.get(Settings.ACCESS_LOG_DAILY), config.get(Settings.ACCESS_LOG_MAX_SIZE),
                    config.get(Settings.ACCESS_LOG_MAX_FILES), Clock.systemDefaultZone());
        }
        return new AccessLog(format, sink, config.get(Settings.ACCESS_LOG_QUEUE));
    }

    private String describeAccessLog() {
        String where = config.get(Settings.ACCESS_LOG);
        if (where.equals("stdout")) {
            return "standard output";
        }
        List<String> rotation = new ArrayList<>();
        if (config.get(Settings.ACCESS_LOG_DAILY)) {
            rotation.add("daily");
        }
        if (config.get(Settings.ACCESS_LOG_MAX_SIZE) > 0) {
            rotation.add("at " + Values.sizeText(config.get(Settings.ACCESS_LOG_MAX_SIZE)));
        }
        return Path.of(where).toAbsolutePath() + ", rotated " + (rotation.isEmpty() ? "never" : String.join(" and ", rotation));
    }

    private String describeSources() {
        List<String> from = new ArrayList<>();
        from.add("defaults");
        if (config.file() != null) {
            from.add(config.file().toAbsolutePath().toString());
        }
        boolean flags = Settings.ALL.stream().anyMatch(s -> "command line".equals(config.origin(s)));
        if (flags) {
            from.add("the command line");
        }
        return String.join(", ", from);
    }

    // ---- Small helpers ----

    /** The URL for a bound address: the host asked for, else localhost, which reaches every address. */
    private static String url(String scheme, String asked, InetSocketAddress bound) {
        InetAddress a = bound.getAddress();
        String host;
        if (asked == null || a.isAnyLocalAddress()) {
            host = "localhost";
        } else if (a instanceof Inet6Address) {
            host = "[" + a.getHostAddress().replaceFirst("%.*$", "") + "]";
        } else {
            host = asked;
        }
        int port = bound.getPort();
        boolean defaultPort = (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
        return scheme + "://" + host + (defaultPort ? "" : ":" + port);
    }

    private static String where(InetSocketAddress a) {
        InetAddress ip = a.getAddress();
        if (ip == null || ip.isAnyLocalAddress()) {
            return "all addresses, port " + a.getPort();
        }
        String host = ip instanceof Inet6Address ? "[" + ip.getHostAddress() + "]" : ip.getHostAddress();
        return host + ":" + a.getPort();
    }

    private static String label(String contextPath) {
        return contextPath.isEmpty() ? "/" : contextPath;
    }

    static String oneLine(String message) {
        return String.valueOf(message).replaceAll("\\s*[\\r\\n]+\\s*", " ");
    }

    private static String userName() {
        String user = System.getProperty("user.name", "user").replaceAll("[^A-Za-z0-9._-]", "_");
        return user.isEmpty() ? "user" : user;
    }
}
