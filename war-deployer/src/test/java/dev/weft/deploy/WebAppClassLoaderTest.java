package dev.weft.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.http.Server;
import dev.weft.servlet.ServletHandler;
import jakarta.servlet.http.HttpServlet;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;

/**
 * What an application sees of classes and resources (Servlet 6.1 §10.7.2): its own first, except
 * the APIs the container provides, which always come from the container even when the application
 * bundles a copy; the container's own classes, libraries and service files not at all; the JDK
 * always.
 */
class WebAppClassLoaderTest {
    @TempDir
    Path dir;

    ServletHandler handler;
    Deployer deployer;
    Server server;
    Http http;
    final List<Deployment> deployed = new java.util.ArrayList<>();

    @BeforeEach
    void startServer() throws Exception {
        handler = new ServletHandler();
        deployer = new Deployer(handler, dir.resolve("work"));
        server = Server.builder().address("127.0.0.1", 0).handler(handler).build();
        http = new Http(server.start().address().getPort());
    }

    @AfterEach
    void stopServer() {
        deployed.forEach(deployer::undeploy);
        http.close();
        server.close();
    }

    private Deployment deploy(Path war) throws DeploymentException {
        Deployment d = deployer.deploy(war);
        deployed.add(d);
        return d;
    }

    static Path jarOf(Class<?> c) {
        Path p = WarBuilder.locationOf(c);
        assertTrue(p.getFileName().toString().endsWith(".jar"), c + " comes from a jar: " + p);
        return p;
    }

    /** Bundles what applications commonly bundle although a container has it too. */
    private Path bundlingWar(String name) throws Exception {
        return WarBuilder.war().fixtures("isolation")
                .copy("WEB-INF/lib/jakarta.servlet-api.jar", jarOf(HttpServlet.class))
                .copy("WEB-INF/lib/jakarta.servlet.jsp-api.jar", jarOf(jakarta.servlet.jsp.JspFactory.class))
                .copy("WEB-INF/lib/jakarta.el-api.jar", jarOf(jakarta.el.ELContext.class))
                .copy("WEB-INF/lib/slf4j-api.jar", jarOf(org.slf4j.LoggerFactory.class))
                .copy("WEB-INF/lib/slf4j-simple.jar", jarOf(org.slf4j.simple.SimpleLogger.class))
                .copy("WEB-INF/lib/jakarta.annotation-api.jar", jarOf(jakarta.annotation.PostConstruct.class))
                .write(dir.resolve(name));
    }

    private String probe(String app, String... classes) {
        String query = List.of(classes).stream().map(c -> (c.contains("/") ? "resources=" : "class=") + c)
                .collect(Collectors.joining("&"));
        return http.fetch("/" + app + "/probe?" + query);
    }

    @Test
    void bundledCopiesOfTheProvidedApisAreNeverUsed() throws Exception {
        Deployment d = deploy(bundlingWar("bundled.war"));
        // The application's servlets extend the container's HttpServlet, or they could not be served.
        // JSP and EL are provided because Jasper is on the container's class path, as it is here; the
        // Common Annotations because the container runs @PostConstruct and @PreDestroy.
        assertEquals("""
                200 jakarta.servlet.http.HttpServlet=container
                jakarta.servlet.Filter=container
                jakarta.servlet.jsp.JspFactory=container
                jakarta.el.ELContext=container
                jakarta.annotation.PostConstruct=container
                """, probe("bundled", "jakarta.servlet.http.HttpServlet", "jakarta.servlet.Filter",
                "jakarta.servlet.jsp.JspFactory", "jakarta.el.ELContext", "jakarta.annotation.PostConstruct"));
        assertSame(HttpServlet.class, Class.forName("jakarta.servlet.http.HttpServlet", false, d.classLoader()));
        // The resources of the provided API are the container's first, then the application's copies.
        List<URL> copies = Collections.list(d.classLoader().getResources("jakarta/servlet/http/HttpServlet.class"));
        assertEquals(2, copies.size(), copies::toString);
        assertEquals(HttpServlet.class.getResource("HttpServlet.class"), copies.get(0));
        assertTrue(copies.get(1).toString().contains("/WEB-INF/lib/jakarta.servlet-api.jar!"), copies.get(1).toString());
        assertEquals(copies.get(0), d.classLoader().getResource("jakarta/servlet/http/HttpServlet.class"));
    }

    @Test
    void anApplicationsOwnSlf4jAndBackendAreItsOwn() throws Exception {
        deploy(bundlingWar("logging.war"));
        // The test's class path, the container's here, has slf4j-simple too: the application gets its own copy.
        assertEquals("200 api=app factory=org.slf4j.simple.SimpleLoggerFactory factoryFrom=app", http.fetch("/logging/slf4j"));
        assertEquals("200 META-INF/services/org.slf4j.spi.SLF4JServiceProvider=1\n",
                probe("logging", "META-INF/services/org.slf4j.spi.SLF4JServiceProvider"));
    }

    @Test
    void anApplicationWithoutABackendDoesNotFindTheContainers() throws Exception {
        WarBuilder.war().fixtures("isolation")
                .copy("WEB-INF/lib/slf4j-api.jar", jarOf(org.slf4j.LoggerFactory.class))
                .write(dir.resolve("nobackend.war"));
        deploy(dir.resolve("nobackend.war"));
        // slf4j falls back to its no-operation logger, as it does alone on a class path.
        assertEquals("200 api=app factory=org.slf4j.helpers.NOPLoggerFactory factoryFrom=app", http.fetch("/nobackend/slf4j"));
        assertEquals("200 META-INF/services/org.slf4j.spi.SLF4JServiceProvider=0\n",
                probe("nobackend", "META-INF/services/org.slf4j.spi.SLF4JServiceProvider"));
    }

    @Test
    void theContainersOwnClassesAreHidden() throws Exception {
        deploy(WarBuilder.war().fixtures("isolation").write(dir.resolve("plain.war")));
        assertEquals("""
                200 dev.weft.servlet.WebApp=missing
                dev.weft.deploy.Deployer=missing
                org.slf4j.LoggerFactory=missing
                org.objectweb.asm.ClassReader=missing
                org.junit.jupiter.api.Test=missing
                java.util.List=jdk
                java.sql.Connection=jdk
                javax.xml.parsers.DocumentBuilderFactory=jdk
                """, probe("plain", "dev.weft.servlet.WebApp", "dev.weft.deploy.Deployer", "org.slf4j.LoggerFactory",
                "org.objectweb.asm.ClassReader", "org.junit.jupiter.api.Test",
                "java.util.List", "java.sql.Connection", "javax.xml.parsers.DocumentBuilderFactory"));
        assertEquals("200 org/slf4j/LoggerFactory.class=0\nMETA-INF/services/org.slf4j.spi.SLF4JServiceProvider=0\n",
                probe("plain", "org/slf4j/LoggerFactory.class", "META-INF/services/org.slf4j.spi.SLF4JServiceProvider"));
    }

    @Test
    void theApplicationsCopyOfAClassTheContainerAlsoHasWins() throws Exception {
        Deployment d = deploy(bundlingWar("own.war"));
        assertNotNull(org.slf4j.LoggerFactory.class.getClassLoader(), "the container has it too");
        assertEquals("200 org.slf4j.LoggerFactory=app\n", probe("own", "org.slf4j.LoggerFactory"));
        assertEquals(d.classLoader(), Class.forName("org.slf4j.LoggerFactory", false, d.classLoader()).getClassLoader());
    }

    // ---- The loader alone ----

    /** An empty public class, as a bundled copy of a class whose name the JDK or the container has. */
    static byte[] emptyClass(String name) {
        ClassWriter cw = new ClassWriter(0);
        cw.visit(Opcodes.V21, Opcodes.ACC_PUBLIC | Opcodes.ACC_SUPER, name.replace('.', '/'), null, "java/lang/Object", null);
        cw.visitEnd();
        return cw.toByteArray();
    }

    @Test
    void getResourcesMergesTheApplicationsWithTheParents() throws Exception {
        Path root = dir.resolve("app");
        // xml-apis, as old applications bundle it: the JDK's classes win, both copies are resources.
        TestApps.jar(root.resolve("WEB-INF/lib/xml-apis.jar"), null,
                Map.of("javax/xml/parsers/DocumentBuilderFactory.class", emptyClass("javax.xml.parsers.DocumentBuilderFactory"),
                        "config/app.properties", "from=jar".getBytes(StandardCharsets.UTF_8)));
        TestApps.write(root.resolve("WEB-INF/classes/config/app.properties"), "from=classes".getBytes(StandardCharsets.UTF_8));
        try (WebAppClassLoader loader = WebAppClassLoader.forWebApp(root, getClass().getClassLoader(), "merge")) {
            Class<?> factory = loader.loadClass("javax.xml.parsers.DocumentBuilderFactory");
            assertSame(javax.xml.parsers.DocumentBuilderFactory.class, factory);
            List<String> copies = Collections.list(loader.getResources("javax/xml/parsers/DocumentBuilderFactory.class"))
                    .stream().map(URL::toString).toList();
            assertEquals(2, copies.size(), copies::toString);
            assertTrue(copies.get(0).contains("xml-apis.jar!"), copies.toString());
            assertTrue(copies.get(1).startsWith("jrt:/java.xml/"), copies.toString());

            // The application's own copies in the order of its class path: classes, then the jars.
            List<String> own = Collections.list(loader.getResources("config/app.properties")).stream().map(URL::toString).toList();
            assertEquals(2, own.size(), own::toString);
            assertTrue(own.get(0).contains("/WEB-INF/classes/"), own.toString());
            assertTrue(own.get(1).contains("xml-apis.jar!"), own.toString());
        }
    }

    @Test
    void theContainersServiceFilesAreInvisible() throws Exception {
        // A container whose libraries declare services, and an initializer.
        Path containerJar = TestApps.jar(dir.resolve("container/lib.jar"), null, Map.of(
                "META-INF/services/jakarta.servlet.ServletContainerInitializer", "com.example.container.Init\n".getBytes(StandardCharsets.UTF_8),
                "META-INF/services/java.sql.Driver", "com.example.container.Driver\n".getBytes(StandardCharsets.UTF_8),
                "META-INF/services/com.example.Plugin", "com.example.container.Plugin\n".getBytes(StandardCharsets.UTF_8)));
        Path root = dir.resolve("app");
        TestApps.write(root.resolve("WEB-INF/classes/META-INF/services/com.example.Plugin"),
                "com.example.app.Plugin\n".getBytes(StandardCharsets.UTF_8));
        try (URLClassLoader container = new URLClassLoader(new URL[] {containerJar.toUri().toURL()}, getClass().getClassLoader());
                WebAppClassLoader loader = WebAppClassLoader.forWebApp(root, container, "services")) {
            assertNotNull(container.getResource("META-INF/services/com.example.Plugin"));
            List<URL> plugins = Collections.list(loader.getResources("META-INF/services/com.example.Plugin"));
            assertEquals(1, plugins.size(), plugins::toString);
            assertTrue(plugins.getFirst().toString().contains("/WEB-INF/classes/"), plugins.toString());
            assertEquals(List.of(), Collections.list(loader.getResources("META-INF/services/jakarta.servlet.ServletContainerInitializer")));
            assertEquals(List.of(), Collections.list(loader.getResources("META-INF/services/java.sql.Driver")));
            assertNull(loader.getResource("META-INF/services/java.sql.Driver"));
            // What a library inside the application would find through the thread's context class loader.
            assertEquals(0, ServiceLoader.load(java.sql.Driver.class, loader).stream().count());
        }
    }

    @Test
    void theContainersProvidedClassesCannotBeDefinedByTheApplication() throws Exception {
        Path root = dir.resolve("app");
        TestApps.write(root.resolve("WEB-INF/classes/jakarta/servlet/Evil.class"), emptyClass("jakarta.servlet.Evil"));
        try (WebAppClassLoader loader = WebAppClassLoader.forWebApp(root, getClass().getClassLoader(), "provided")) {
            // A name in a provided package is the container's to answer, even one the container does not have.
            assertThrows(ClassNotFoundException.class, () -> loader.loadClass("jakarta.servlet.Evil"));
            assertTrue(Files.exists(root.resolve("WEB-INF/classes/jakarta/servlet/Evil.class")));
        }
    }
}
