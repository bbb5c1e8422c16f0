package dev.weft.arquillian;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.arquillian.app.FailingInitializer;
import dev.weft.arquillian.app.HelloServlet;
import dev.weft.arquillian.app.WhoAmIServlet;
import dev.weft.deploy.DescriptorException;
import dev.weft.deploy.Deployment;
import dev.weft.http.TestCerts;
import jakarta.servlet.ServletContainerInitializer;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import org.jboss.arquillian.container.spi.client.container.DeploymentException;
import org.jboss.arquillian.container.spi.client.container.LifecycleException;
import org.jboss.arquillian.container.spi.client.protocol.metadata.HTTPContext;
import org.jboss.arquillian.container.spi.client.protocol.metadata.ProtocolMetaData;
import org.jboss.arquillian.container.spi.client.protocol.metadata.Servlet;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.jboss.shrinkwrap.api.spec.JavaArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The container through its SPI, as Arquillian calls it, without Arquillian in between. */
class WeftContainerTest {
    private final WeftContainer container = new WeftContainer();
    private final Http http = new Http();

    @AfterEach
    void stop() throws Exception {
        http.close();
        container.stop();
    }

    private void start(WeftConfiguration config) throws Exception {
        config.validate();
        container.setup(config);
        container.start();
    }

    private static WebArchive hello(String name) {
        return ShrinkWrap.create(WebArchive.class, name).addClass(HelloServlet.class);
    }

    private static URL url(HTTPContext context, String contextPath) throws Exception {
        return new URI(context.getScheme(), null, context.getHost().replace("[", "").replace("]", ""), context.getPort(),
                contextPath + "/", null, null).toURL();
    }

    private static List<Path> filesUnder(Path p) throws IOException {
        try (Stream<Path> s = Files.walk(p)) {
            return s.filter(Files::isRegularFile).toList();
        }
    }

    @Test
    void listsEveryServletOnTheRealHostAndPort() throws Exception {
        start(new WeftConfiguration());
        WebArchive war = hello("listing.war").setWebXML(Archives.webXml("""
                <servlet><servlet-name>declared</servlet-name><servlet-class>dev.weft.arquillian.app.HelloServlet</servlet-class></servlet>
                <servlet-mapping><servlet-name>declared</servlet-name><url-pattern>/declared</url-pattern></servlet-mapping>
                """));
        long t0 = System.nanoTime();
        ProtocolMetaData meta = container.deploy(war);
        HTTPContext http1 = meta.getContexts(HTTPContext.class).iterator().next();
        var r = http.get(url(http1, "/listing"), "hello");
        long firstRequestMillis = (System.nanoTime() - t0) / 1_000_000;
        assertEquals("hello from /listing/hello", r.body());
        System.out.println("listing.war: deploy() to first answer in " + firstRequestMillis + " ms");

        assertEquals(1, meta.getContexts(HTTPContext.class).size());
        assertEquals("127.0.0.1", http1.getHost());
        assertEquals(container.httpAddress().getPort(), http1.getPort());
        List<String> names = http1.getServlets().stream().map(Servlet::getName).sorted().toList();
        Deployment d = container.deployments("listing.war").getFirst();
        assertEquals(d.app().getServletRegistrations().keySet().stream().sorted().toList(), names);
        assertTrue(names.containsAll(List.of("declared", "default", "hello")), names.toString());
        for (Servlet s : http1.getServlets()) {
            assertEquals("/listing", s.getContextRoot());
        }
        assertEquals(URI.create("http://127.0.0.1:" + http1.getPort() + "/listing/"), http1.getServletByName("hello").getBaseURI());
    }

    @Test
    void undeployStopsTheApplicationClosesItsLoaderAndLeavesNothing(@TempDir Path work) throws Exception {
        WeftConfiguration config = new WeftConfiguration();
        config.setWorkFolder(work);
        start(config);
        WebArchive war = hello("gone.war");
        URL base = url(container.deploy(war).getContexts(HTTPContext.class).iterator().next(), "/gone");
        assertEquals(200, http.get(base, "hello").status());
        Deployment d = container.deployments("gone.war").getFirst();
        String classFile = HelloServlet.class.getName().replace('.', '/') + ".class";
        assertNotNull(d.classLoader().getResource(classFile));
        assertFalse(filesUnder(work).isEmpty());

        container.undeploy(war);

        assertEquals(404, http.get(base, "hello").status());
        assertNull(d.classLoader().getResource(classFile), "a closed class loader finds nothing");
        assertEquals(List.of(), filesUnder(work), "the work folder keeps nothing of the application");
        assertEquals(List.of(), container.deployments("gone.war"));
        container.undeploy(war); // a second time: nothing to do, no error
    }

    @Test
    void stopDeletesItsOwnWorkFolderAndClosesThePort() throws Exception {
        start(new WeftConfiguration());
        container.deploy(hello("left.war"));
        Path work = container.workFolder();
        InetSocketAddress address = container.httpAddress();
        assertTrue(Files.isDirectory(work));
        container.stop();
        assertFalse(Files.exists(work));
        assertThrows(ConnectException.class, () -> new Socket(address.getAddress(), address.getPort()).close());
    }

    @Test
    void deploymentFailureCarriesTheRealCause(@TempDir Path work) throws Exception {
        WeftConfiguration config = new WeftConfiguration();
        config.setWorkFolder(work);
        start(config);
        WebArchive badXml = hello("bad.war").setWebXML(new StringAsset("<web-app version=\"6.1\"><servlet>"));
        DeploymentException e = assertThrows(DeploymentException.class, () -> container.deploy(badXml));
        assertInstanceOf(DescriptorException.class, e.getCause());
        assertTrue(e.getMessage().startsWith("bad.war: "), e.getMessage());

        WebArchive initializer = hello("refused.war").addAsLibrary(ShrinkWrap.create(JavaArchive.class, "refuses.jar")
                .addClass(FailingInitializer.class)
                .addAsServiceProvider(ServletContainerInitializer.class, FailingInitializer.class));
        e = assertThrows(DeploymentException.class, () -> container.deploy(initializer));
        Throwable cause = e.getCause();
        while (cause != null && !(cause instanceof IllegalStateException)) {
            cause = cause.getCause();
        }
        assertNotNull(cause, "the initializer's exception is in the chain of " + e);
        assertEquals(FailingInitializer.MESSAGE, cause.getMessage());
        assertEquals(List.of(), filesUnder(work), "failed deployments leave nothing behind");
    }

    @Test
    void onlyWebArchivesAndEnterpriseArchivesDeploy() throws Exception {
        start(new WeftConfiguration());
        DeploymentException e = assertThrows(DeploymentException.class,
                () -> container.deploy(ShrinkWrap.create(JavaArchive.class, "library.jar").addClass(HelloServlet.class)));
        assertTrue(e.getMessage().contains("library.jar is not a web archive"), e.getMessage());
        URL base = url(container.deploy(hello("twice.war")).getContexts(HTTPContext.class).iterator().next(), "/twice");
        e = assertThrows(DeploymentException.class, () -> container.deploy(hello("twice.war")));
        assertTrue(e.getMessage().contains("already deployed"), e.getMessage());
        // Another archive for the same context path leaves the running application alone.
        EnterpriseArchive ear = ShrinkWrap.create(EnterpriseArchive.class, "other.ear").addAsModule(hello("twice.war"));
        e = assertThrows(DeploymentException.class, () -> container.deploy(ear));
        assertEquals("other.ear: /twice is already served by twice.war", e.getMessage());
        assertEquals("hello from /twice/hello", http.get(base, "hello").body());
    }

    @Test
    void enterpriseArchiveDeploysEachWebModuleWithTheLibraries() throws Exception {
        start(new WeftConfiguration());
        EnterpriseArchive ear = ShrinkWrap.create(EnterpriseArchive.class, "shop.ear")
                .addAsModule(hello("front.war"))
                .addAsModule(hello("back.war"))
                .addAsLibrary(Archives.fragmentJar());
        ProtocolMetaData meta = container.deploy(ear);
        HTTPContext context = meta.getContexts(HTTPContext.class).iterator().next();
        for (String module : List.of("/front", "/back")) {
            URL base = url(context, module);
            assertEquals("hello from " + module + "/hello", http.get(base, "hello").body());
            // The EAR's lib/ jar is in the module: its web fragment and its initializer are used.
            assertEquals("fragment from-jar filtered=yes", http.get(base, "fragment").body());
        }
        assertEquals(2, container.deployments("shop.ear").size());
        container.undeploy(ear);
        assertEquals(404, http.get(url(context, "/front"), "hello").status());
    }

    @Test
    void startFailuresAreLifecycleExceptionsSayingWhy(@TempDir Path dir) throws Exception {
        WeftConfiguration noKeyStore = new WeftConfiguration().apply("weft", java.util.Map.of(
                "httpsPort", "0", "keyStore", dir.resolve("missing.p12").toString()));
        container.setup(noKeyStore);
        LifecycleException e = assertThrows(LifecycleException.class, container::start);
        assertTrue(e.getMessage().startsWith("Weft did not start: ") && e.getMessage().contains("missing.p12"), e.getMessage());

        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            WeftConfiguration busy = new WeftConfiguration();
            busy.setHttpPort(taken.getLocalPort());
            container.setup(busy);
            e = assertThrows(LifecycleException.class, container::start);
            assertTrue(e.getMessage().startsWith("Weft did not start: "), e.getMessage());
        }
    }

    @Test
    void httpsWithAKeyStoreAndConfidentialRedirects(@TempDir Path dir) throws Exception {
        TestCerts.Issued ca = TestCerts.ca("Weft test CA");
        Path keyStore = dir.resolve("server.p12");
        TestCerts.writePkcs12(keyStore, "secret".toCharArray(), TestCerts.leaf(ca, "EC", "localhost", "localhost", "ip:127.0.0.1"), ca);
        WeftConfiguration config = new WeftConfiguration().apply("weft", java.util.Map.of(
                "httpsPort", "0", "keyStore", keyStore.toString(), "keyStorePassword", "secret",
                "users", "carol = x, admin"));
        start(config);
        WebArchive war = ShrinkWrap.create(WebArchive.class, "tls.war").addClass(WhoAmIServlet.class)
                .setWebXML(Archives.webXml("""
                        <servlet><servlet-name>whoami</servlet-name><servlet-class>dev.weft.arquillian.app.WhoAmIServlet</servlet-class></servlet>
                        <servlet-mapping><servlet-name>whoami</servlet-name><url-pattern>/*</url-pattern></servlet-mapping>
                        <security-constraint>
                          <web-resource-collection><web-resource-name>all</web-resource-name><url-pattern>/*</url-pattern></web-resource-collection>
                          <auth-constraint><role-name>admin</role-name></auth-constraint>
                          <user-data-constraint><transport-guarantee>CONFIDENTIAL</transport-guarantee></user-data-constraint>
                        </security-constraint>
                        <login-config><auth-method>BASIC</auth-method></login-config>
                        """));
        ProtocolMetaData meta = container.deploy(war);
        List<HTTPContext> contexts = List.copyOf(meta.getContexts(HTTPContext.class));
        assertEquals(2, contexts.size());
        HTTPContext plain = contexts.get(0);
        HTTPContext secure = contexts.get(1);
        assertEquals("http", plain.getScheme());
        assertEquals("https", secure.getScheme());
        assertEquals("https", secure.getName());
        assertEquals(container.httpsAddress().getPort(), secure.getPort());
        assertNotNull(secure.getServletByName("whoami"));

        var redirect = http.get(url(plain, "/tls"), "page");
        assertEquals(302, redirect.status());
        assertEquals("https://127.0.0.1:" + secure.getPort() + "/tls/page", redirect.header("Location"));

        SSLContext trusting = TestCerts.clientContext(ca, null);
        try (Http https = new Http(trusting)) {
            var r = https.get(url(secure, "/tls"), "page", "Authorization", Http.basic("carol", "x"));
            assertEquals(200, r.status());
            assertEquals("user=carol admin=true user=false auth=BASIC", r.body());
        }
    }
}
