package dev.weft.test;

import dev.weft.deploy.Deployer;
import dev.weft.deploy.Deployment;
import dev.weft.http.Listener;
import dev.weft.http.Server;
import dev.weft.servlet.LoginConfig;
import dev.weft.servlet.Passwords;
import dev.weft.servlet.Resources;
import dev.weft.servlet.ServletHandler;
import dev.weft.servlet.UserRealm;
import dev.weft.servlet.WebApp;
import jakarta.servlet.ServletContext;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.core5.util.Timeout;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A server started for one test class, with its application; closing it stops everything and deletes its files. */
final class RunningServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RunningServer.class);
    /** Requests still running when the class ends get this long. */
    private static final Duration SHUTDOWN = Duration.ofSeconds(2);
    /** PBKDF2 rounds for users written in a test's source, whose passwords are no secret. */
    private static final int TEST_USER_ITERATIONS = 1_000;
    private static final Pattern USER = Pattern.compile("\\s*([^=\\s]+)\\s*=\\s*([^,]*?)\\s*((?:,[^,]*)*)");

    private final Server server;
    private final ServletHandler handler;
    private final WebApp app;
    private final Deployer deployer;
    private final Deployment deployment;
    private final Path workFolder;
    private final URI baseUri;
    private final ReentrantLock clientLock = new ReentrantLock();
    private CloseableHttpClient client;

    private RunningServer(Server server, ServletHandler handler, WebApp app, Deployer deployer, Deployment deployment,
            Path workFolder, URI baseUri) {
        this.server = server;
        this.handler = handler;
        this.app = app;
        this.deployer = deployer;
        this.deployment = deployment;
        this.workFolder = workFolder;
        this.baseUri = baseUri;
    }

    static RunningServer start(WeftTest config, Class<?> testClass) throws Exception {
        long t0 = System.nanoTime();
        int sources = (config.war().isEmpty() ? 0 : 1) + (config.exploded().isEmpty() ? 0 : 1)
                + (config.servlets().length + config.filters().length + config.listeners().length > 0 ? 1 : 0);
        if (sources > 1) {
            throw new ExtensionConfigurationException("@WeftTest on " + testClass.getName()
                    + ": give servlets, filters and listeners, or exploded, or war; not several of them");
        }
        String contextPath = config.contextPath().equals("/") ? "" : config.contextPath();
        UserRealm realm = realm(config, testClass);
        ServletHandler handler = new ServletHandler();
        InetAddress bind = config.loopbackOnly() ? InetAddress.getLoopbackAddress() : null;
        Listener listener = Listener.tcp(new InetSocketAddress(bind, 0));
        Path work = null;
        try {
            WebApp app;
            Deployer deployer = null;
            Deployment deployment = null;
            if (!config.war().isEmpty() || !config.exploded().isEmpty()) {
                Path source = Path.of(config.war().isEmpty() ? config.exploded() : config.war());
                boolean war = !config.war().isEmpty();
                if (war ? !Files.isRegularFile(source) : !Files.isDirectory(source.resolve("WEB-INF"))) {
                    throw new ExtensionConfigurationException("@WeftTest on " + testClass.getName() + ": " + source.toAbsolutePath()
                            + (war ? " is not a WAR file" : " is not an exploded WAR folder (it has no WEB-INF)"));
                }
                work = Files.createTempDirectory("weft-test-");
                deployer = new Deployer(handler, work).realm(realm);
                deployment = deployer.deploy(source, contextPath);
                app = deployment.app();
            } else {
                app = EmbeddedApp.build(config, contextPath, testClass);
                if (!config.resources().isEmpty()) {
                    app.setResources(Resources.folder(Path.of(config.resources())));
                }
                app.setRealm(realm);
                if (config.users().length > 0) {
                    app.setLoginConfig(LoginConfig.basic(null)); // what web.xml would say for the annotations' constraints
                }
                handler.deploy(app);
            }
            Server server = Server.builder().handler(handler).build();
            server.startServing(listener);
            InetSocketAddress a = listener.address();
            String host = a.getAddress().isAnyLocalAddress() ? "127.0.0.1" : a.getAddress().getHostAddress();
            if (host.indexOf(':') >= 0) {
                host = "[" + host + "]";
            }
            URI base = URI.create("http://" + host + ":" + a.getPort() + contextPath + "/");
            log.info("Weft for {} on {} in {} ms", testClass.getSimpleName(), base, (System.nanoTime() - t0) / 1_000_000);
            return new RunningServer(server, handler, app, deployer, deployment, work, base);
        } catch (Exception | Error e) {
            listener.close();
            handler.stop();
            if (work != null) {
                deleteTree(work);
            }
            throw e;
        }
    }

    /** Users as {@code name = password, role, role}; a malformed entry is an error naming the class. */
    private static UserRealm realm(WeftTest config, Class<?> testClass) {
        UserRealm realm = new UserRealm();
        for (String entry : config.users()) {
            Matcher m = USER.matcher(entry);
            if (!m.matches()) {
                throw new ExtensionConfigurationException("@WeftTest on " + testClass.getName() + ": user \"" + entry
                        + "\" is not written name = password, role, role");
            }
            String[] roles = Arrays.stream(m.group(3).split(",")).map(String::strip).filter(r -> !r.isEmpty())
                    .toArray(String[]::new);
            realm.addUserWithHash(m.group(1), Passwords.hash(m.group(2).toCharArray(), TEST_USER_ITERATIONS), roles);
        }
        return realm;
    }

    URI baseUri() {
        return baseUri;
    }

    ServletContext servletContext() {
        return app;
    }

    /** A client for the tests of the class, made on first use: no redirects followed, no retries, every wait bounded. */
    CloseableHttpClient client() {
        clientLock.lock();
        try {
            if (client == null) {
                client = HttpClients.custom()
                        .disableRedirectHandling()
                        .disableAutomaticRetries()
                        .setDefaultRequestConfig(RequestConfig.custom()
                                .setConnectionRequestTimeout(Timeout.ofSeconds(10))
                                .setResponseTimeout(Timeout.ofSeconds(30))
                                .build())
                        .build();
            }
            return client;
        } finally {
            clientLock.unlock();
        }
    }

    @Override
    public void close() throws IOException {
        clientLock.lock();
        try {
            if (client != null) {
                client.close();
            }
        } finally {
            clientLock.unlock();
        }
        try {
            if (!server.shutdown(SHUTDOWN)) {
                log.warn("requests still running after {}; closing their connections", SHUTDOWN);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            server.close();
            if (deployment != null) {
                deployer.undeploy(deployment);
            } else {
                handler.undeploy(app);
            }
            if (workFolder != null) {
                deleteTree(workFolder);
            }
        }
    }

    private static void deleteTree(Path p) throws IOException {
        try (Stream<Path> files = Files.walk(p)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        }
    }
}
