package dev.weft.arquillian;

import dev.weft.deploy.Deployer;
import dev.weft.deploy.Deployment;
import dev.weft.http.Listener;
import dev.weft.http.Server;
import dev.weft.http.TlsConfig;
import dev.weft.servlet.Passwords;
import dev.weft.servlet.ServletHandler;
import dev.weft.servlet.UserRealm;
import java.io.IOException;
import java.io.InputStream;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import org.jboss.arquillian.container.spi.client.container.ConfigurationMapper;
import org.jboss.arquillian.container.spi.client.container.DeployableContainer;
import org.jboss.arquillian.container.spi.client.container.DeploymentException;
import org.jboss.arquillian.container.spi.client.container.LifecycleException;
import org.jboss.arquillian.container.spi.client.protocol.ProtocolDescription;
import org.jboss.arquillian.container.spi.client.protocol.metadata.HTTPContext;
import org.jboss.arquillian.container.spi.client.protocol.metadata.ProtocolMetaData;
import org.jboss.arquillian.container.spi.client.protocol.metadata.Servlet;
import org.jboss.shrinkwrap.api.Archive;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An embedded Arquillian container: a Weft server in the test's own JVM, started once for the
 * suite, on which each archive is deployed through the {@link Deployer} exactly as a WAR file
 * dropped in a webapps folder would be. See the README of this module for its configuration.
 */
public final class WeftContainer implements DeployableContainer<WeftConfiguration> {
    private static final Logger log = LoggerFactory.getLogger(WeftContainer.class);
    /** The Servlet protocol of arquillian-protocol-servlet-jakarta, for in-container tests. */
    static final String PROTOCOL = "Servlet 6.0";
    /** PBKDF2 rounds for the users of arquillian.xml, whose passwords are no secret. */
    static final int TEST_USER_ITERATIONS = 1_000;

    private final ReentrantLock lock = new ReentrantLock();
    /** What each archive, by name, became: one application for a WAR, one per web module for an EAR. */
    private final Map<String, List<Deployment>> deployed = new LinkedHashMap<>();
    private WeftConfiguration config;
    private Server server;
    private Deployer deployer;
    private Path workFolder;
    private boolean ownWorkFolder;
    private InetSocketAddress httpAddress;
    private InetSocketAddress httpsAddress;

    @Override
    public Class<WeftConfiguration> getConfigurationClass() {
        return WeftConfiguration.class;
    }

    @Override
    public ConfigurationMapper<WeftConfiguration> getConfigurationMapper() {
        return (config, def) -> config.apply(def.getContainerName(), def.getContainerProperties());
    }

    @Override
    public ProtocolDescription getDefaultProtocol() {
        return new ProtocolDescription(PROTOCOL);
    }

    @Override
    public void setup(WeftConfiguration configuration) {
        this.config = configuration;
    }

    @Override
    public void start() throws LifecycleException {
        if (config == null) {
            config = new WeftConfiguration();
        }
        long t0 = System.nanoTime();
        List<Listener> listeners = new ArrayList<>();
        try {
            workFolder = config.getWorkFolder();
            ownWorkFolder = workFolder == null;
            workFolder = ownWorkFolder ? Files.createTempDirectory("weft-arquillian-") : Files.createDirectories(workFolder);
            InetAddress bind = InetAddress.getByName(config.getBindAddress());
            Listener http = Listener.tcp(new InetSocketAddress(bind, config.getHttpPort()));
            listeners.add(http);
            httpAddress = http.address();
            httpsAddress = null;
            if (config.getHttpsPort() >= 0) {
                TlsConfig tls = tls(); // before listening, so that a bad key store leaves no socket open
                Listener https = Listener.tls(Listener.tcp(new InetSocketAddress(bind, config.getHttpsPort())), tls);
                listeners.add(https);
                httpsAddress = https.address();
            }
            ServletHandler handler = new ServletHandler();
            deployer = new Deployer(handler, workFolder.resolve("apps"))
                    .realm(realm())
                    .crossContext(config.isCrossContext())
                    .confidentialPort(httpsAddress != null ? httpsAddress.getPort() : -1);
            server = Server.builder()
                    .handler(handler)
                    .readHeaderTimeout(config.getReadHeaderTimeout())
                    .readTimeout(config.getReadTimeout())
                    .writeTimeout(config.getWriteTimeout())
                    .idleTimeout(config.getIdleTimeout())
                    .limits(config.limits())
                    .maxConnections(config.getMaxConnections())
                    .build();
            for (Listener l : listeners) {
                server.startServing(l);
            }
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            for (Listener l : listeners) {
                closeQuietly(l);
            }
            if (server != null) {
                server.close();
            }
            server = null;
            if (ownWorkFolder && workFolder != null) {
                try {
                    deleteTree(workFolder);
                } catch (IOException ignored) {
                    // a temporary folder: the system cleans it up eventually
                }
            }
            throw new LifecycleException("Weft did not start: " + e.getMessage(), e);
        }
        log.info("Weft started for Arquillian on {}{} in {} ms (work folder {})", url("http", httpAddress),
                httpsAddress != null ? " and " + url("https", httpsAddress) : "", (System.nanoTime() - t0) / 1_000_000, workFolder);
    }

    @Override
    public void stop() throws LifecycleException {
        if (server == null) {
            return;
        }
        List<Deployment> left = new ArrayList<>();
        lock.lock();
        try {
            deployed.values().forEach(left::addAll);
            deployed.clear();
        } finally {
            lock.unlock();
        }
        try {
            if (!server.shutdown(config.getShutdownTimeout())) {
                log.warn("requests still running after {}; closing their connections", config.getShutdownTimeout());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            server.close();
            server = null;
        }
        for (Deployment d : left.reversed()) {
            remove(d);
        }
        if (ownWorkFolder) {
            try {
                deleteTree(workFolder);
            } catch (IOException e) {
                throw new LifecycleException("could not delete the work folder " + workFolder, e);
            }
        }
    }

    @Override
    public ProtocolMetaData deploy(Archive<?> archive) throws DeploymentException {
        if (server == null) {
            throw new DeploymentException("Weft is not started");
        }
        long t0 = System.nanoTime();
        List<WebModules.Module> modules = WebModules.of(archive);
        List<Deployment> done = new ArrayList<>();
        lock.lock();
        try {
            if (deployed.containsKey(archive.getName())) {
                throw new DeploymentException("an archive named " + archive.getName() + " is already deployed");
            }
            // Checked here, not left to the deployer: it would unpack over the running application's files first.
            for (WebModules.Module m : modules) {
                for (List<Deployment> ds : deployed.values()) {
                    for (Deployment d : ds) {
                        if (d.app().getContextPath().equals(m.contextPath())) {
                            throw new DeploymentException(archive.getName() + ": " + label(d) + " is already served by "
                                    + d.source().getFileName());
                        }
                    }
                }
            }
            for (WebModules.Module m : modules) {
                done.add(deployModule(m));
            }
            deployed.put(archive.getName(), List.copyOf(done));
        } catch (DeploymentException e) {
            for (Deployment d : done.reversed()) {
                remove(d);
            }
            throw e;
        } finally {
            lock.unlock();
        }
        log.info("{} exported and deployed in {} ms", archive.getName(), (System.nanoTime() - t0) / 1_000_000);
        return metaData(done);
    }

    private Deployment deployModule(WebModules.Module m) throws DeploymentException {
        Path wars = workFolder.resolve("wars");
        Path war = wars.resolve(m.fileName());
        try {
            Files.createDirectories(wars);
            WebModules.export(m.war(), war);
        } catch (IOException | RuntimeException e) {
            throw new DeploymentException("could not write " + m.fileName() + " to " + wars + ": " + e, e);
        }
        try {
            return deployer.deploy(war, m.contextPath());
        } catch (dev.weft.deploy.DeploymentException e) {
            deleteQuietly(deployer.unpackFolder(m.contextPath()));
            // The message names the WAR and the cause; the cause itself is what a test expects.
            throw new DeploymentException(e.getMessage(), e.getCause() != null ? e.getCause() : e);
        } finally {
            try {
                Files.deleteIfExists(war); // unpacked by now: the application runs from its folder
            } catch (IOException e) {
                log.debug("could not delete {}", war, e);
            }
        }
    }

    @Override
    public void undeploy(Archive<?> archive) throws DeploymentException {
        List<Deployment> ds;
        lock.lock();
        try {
            ds = deployed.remove(archive.getName());
        } finally {
            lock.unlock();
        }
        // Arquillian undeploys an archive whose deployment failed too: nothing is left of it.
        if (ds != null) {
            for (Deployment d : ds.reversed()) {
                remove(d);
            }
        }
    }

    /** Undeploys (stopping the application and closing its class loader) and deletes its files. */
    private void remove(Deployment d) {
        try {
            deployer.undeploy(d);
        } catch (RuntimeException e) {
            log.warn("undeploying {} failed", label(d), e);
        }
        deleteQuietly(d.root());
    }

    /** Deletes a folder of the work folder (never anything outside it). */
    private void deleteQuietly(Path folder) {
        Path p = folder.toAbsolutePath().normalize();
        if (p.startsWith(workFolder.toAbsolutePath().normalize()) && !p.equals(workFolder.toAbsolutePath().normalize())) {
            try {
                deleteTree(p);
            } catch (IOException e) {
                log.warn("could not delete {}", p, e);
            }
        }
    }

    /** Every servlet of the deployed applications, by name and context path, on the real host and port. */
    private ProtocolMetaData metaData(List<Deployment> ds) {
        ProtocolMetaData meta = new ProtocolMetaData();
        meta.addContext(httpContext("http", httpAddress, false, ds));
        if (httpsAddress != null) {
            // Second, so that a plain @ArquillianResource URL is the HTTP one.
            meta.addContext(httpContext("https", httpsAddress, true, ds));
        }
        return meta;
    }

    private static HTTPContext httpContext(String name, InetSocketAddress address, boolean secure, List<Deployment> ds) {
        HTTPContext context = new HTTPContext(name, host(address), address.getPort(), secure);
        for (Deployment d : ds) {
            String contextPath = d.app().getContextPath();
            for (String servlet : d.app().getServletRegistrations().keySet()) {
                context.add(new Servlet(servlet, contextPath));
            }
        }
        return context;
    }

    /** The address as a URL host: loopback for a wildcard address, which it reaches too. */
    static String host(InetSocketAddress address) {
        InetAddress a = address.getAddress();
        if (a.isAnyLocalAddress()) {
            return a instanceof Inet6Address ? "[::1]" : "127.0.0.1";
        }
        String h = a.getHostAddress();
        return a instanceof Inet6Address ? "[" + h.replaceFirst("%.*$", "") + "]" : h;
    }

    private static String url(String scheme, InetSocketAddress address) {
        return scheme + "://" + host(address) + ":" + address.getPort() + "/";
    }

    private static String label(Deployment d) {
        String cp = d.app().getContextPath();
        return cp.isEmpty() ? "/" : cp;
    }

    /**
     * The default realm: the users of the users file, and those of the configuration. The latter's
     * passwords are written in arquillian.xml for all to read, so a slow hash would protect
     * nothing and only cost each test run seconds: they get a fast one.
     */
    private UserRealm realm() throws IOException {
        UserRealm realm = config.getUsersFile() != null ? UserRealm.fromFile(config.getUsersFile()) : new UserRealm();
        for (WeftConfiguration.User u : config.getUsers()) {
            realm.addUserWithHash(u.name(), Passwords.hash(u.password().toCharArray(), TEST_USER_ITERATIONS),
                    u.roles().toArray(new String[0]));
        }
        return realm;
    }

    private TlsConfig tls() throws IOException, GeneralSecurityException {
        TlsConfig tls = TlsConfig.pkcs12(config.getKeyStore(), config.getKeyStorePassword().toCharArray());
        if (config.getTrustStore() != null && config.getClientAuth() != WeftConfiguration.ClientAuth.NONE) {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(config.getTrustStore())) {
                trust.load(in, config.getTrustStorePassword().toCharArray());
            }
            List<X509Certificate> cas = new ArrayList<>();
            for (String alias : Collections.list(trust.aliases())) {
                Certificate c = trust.getCertificate(alias);
                if (c instanceof X509Certificate x) {
                    cas.add(x);
                }
            }
            if (cas.isEmpty()) {
                throw new GeneralSecurityException("the trust store " + config.getTrustStore() + " holds no certificate");
            }
            tls.clientAuth(config.getClientAuth() == WeftConfiguration.ClientAuth.NEED
                    ? TlsConfig.ClientAuth.NEED : TlsConfig.ClientAuth.WANT, cas);
        }
        return tls;
    }

    /** The HTTP address listened on, once started. */
    InetSocketAddress httpAddress() {
        return httpAddress;
    }

    /** The HTTPS address listened on, or null. */
    InetSocketAddress httpsAddress() {
        return httpsAddress;
    }

    Path workFolder() {
        return workFolder;
    }

    /** What an archive became, for tests. */
    List<Deployment> deployments(String archiveName) {
        lock.lock();
        try {
            return deployed.getOrDefault(archiveName, List.of());
        } finally {
            lock.unlock();
        }
    }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> files = Files.walk(p)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        }
    }

    private static void closeQuietly(Listener l) {
        try {
            l.close();
        } catch (IOException ignored) {
            // never served
        }
    }
}
