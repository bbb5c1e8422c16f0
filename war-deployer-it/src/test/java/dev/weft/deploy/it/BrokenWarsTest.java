package dev.weft.deploy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.deploy.Deployment;
import dev.weft.deploy.DeploymentException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * WARs that are hostile, broken, or made for something else: what deploys, what is refused, and
 * what the deployer says about it.
 */
class BrokenWarsTest {
    @TempDir
    static Path work;
    static WarHarness h;

    static final String HELLO = """
            package com.acme.app;

            import jakarta.servlet.annotation.WebServlet;
            import jakarta.servlet.http.HttpServlet;
            import jakarta.servlet.http.HttpServletRequest;
            import jakarta.servlet.http.HttpServletResponse;
            import java.io.IOException;

            @WebServlet("/hello")
            public class HelloServlet extends HttpServlet {
                @Override
                protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                    resp.setContentType("text/plain");
                    resp.getWriter().print("hello from " + req.getContextPath());
                }
            }
            """;

    static final String WEB_XML_HEAD = """
            <?xml version="1.0" encoding="UTF-8"?>
            <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.1">
            """;

    @BeforeAll
    static void start() throws Exception {
        h = new WarHarness(work.resolve("work"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (h != null) {
            h.close();
        }
    }

    static List<Throwable> causes(Throwable t) {
        List<Throwable> out = new ArrayList<>();
        for (Throwable x = t; x != null && !out.contains(x); x = x.getCause()) {
            out.add(x);
        }
        return out;
    }

    @Test
    void zipSlipEntriesAreRefusedAndReportedTheRestDeploys() throws Exception {
        Path war = TestWar.war()
                .java(HELLO)
                .text("index.html", "<p>still here</p>")
                .text("../../escaped.txt", "zip slip")
                .text("WEB-INF/../../../escaped-too.txt", "zip slip")
                .text("/absolute.txt", "zip slip")
                .build(work.resolve("wars/slip.war"));
        try (LogCapture log = new LogCapture()) {
            Deployment d = h.deploy(war, "/slip");
            for (String entry : List.of("../../escaped.txt", "WEB-INF/../../../escaped-too.txt", "/absolute.txt")) {
                assertEquals(1, log.lines("refused entry \"" + entry + "\"").size(), "reported: " + entry + "\n" + log.text());
            }
            assertEquals("hello from /slip", h.get("/slip/hello").body());
            assertEquals("<p>still here</p>", h.get("/slip/index.html").body());
            Path unpacked = d.root();
            try (var files = Files.walk(work)) {
                assertEquals(List.of(), files.filter(f -> f.getFileName().toString().startsWith("escaped")
                        || f.getFileName().toString().equals("absolute.txt")).toList(), "nothing landed anywhere");
            }
            assertFalse(Files.exists(unpacked.getParent().resolve("escaped.txt")));
            assertFalse(Files.exists(Path.of("/absolute.txt")));
        }
    }

    @Test
    void malformedWebXmlFailsNamingFileAndLine() throws Exception {
        Path war = TestWar.war()
                .java(HELLO)
                .text("WEB-INF/web.xml", WEB_XML_HEAD + """
                          <servlet>
                            <servlet-name>broken</servlet-name>
                          </servlet-nam>
                        </web-app>
                        """)
                .build(work.resolve("wars/malformed.war"));
        DeploymentException e = assertThrows(DeploymentException.class, () -> h.deploy(war, "/malformed"));
        assertTrue(e.getMessage().contains("malformed.war!/WEB-INF/web.xml:5:"), e.getMessage());
        assertEquals(404, h.get("/malformed/hello").status(), "nothing was deployed");
    }

    @Test
    void invalidValueInWebXmlFailsNamingFileAndLine() throws Exception {
        Path war = TestWar.war()
                .java(HELLO)
                .text("WEB-INF/web.xml", WEB_XML_HEAD + """
                          <servlet>
                            <servlet-name>hello2</servlet-name>
                            <servlet-class>com.acme.app.HelloServlet</servlet-class>
                          </servlet>
                          <servlet-mapping>
                            <servlet-name>hello2</servlet-name>
                            <url-pattern>no-leading-slash</url-pattern>
                          </servlet-mapping>
                        </web-app>
                        """)
                .build(work.resolve("wars/invalid.war"));
        DeploymentException e = assertThrows(DeploymentException.class, () -> h.deploy(war, "/invalid"));
        assertTrue(e.getMessage().contains("invalid.war!/WEB-INF/web.xml:9:"), e.getMessage());
        assertTrue(e.getMessage().contains("no-leading-slash"), e.getMessage());
    }

    @Test
    void missingOrCorruptWarSaysWhatIsWrong() throws Exception {
        DeploymentException missing = assertThrows(DeploymentException.class,
                () -> h.deploy(work.resolve("wars/missing.war"), "/missing"));
        assertTrue(missing.getMessage().startsWith("missing.war: NoSuchFileException: "), missing.getMessage());
        Path corrupt = Files.write(work.resolve("corrupt.war"), "not a zip at all".getBytes());
        DeploymentException bad = assertThrows(DeploymentException.class, () -> h.deploy(corrupt, "/corrupt"));
        assertTrue(bad.getMessage().startsWith("corrupt.war: not a readable WAR (zip) file: "), bad.getMessage());
    }

    @Test
    void missingServletClassFailsAtStartWithTheClassName() throws Exception {
        Path war = TestWar.war()
                .text("WEB-INF/web.xml", WEB_XML_HEAD + """
                          <servlet>
                            <servlet-name>eager</servlet-name>
                            <servlet-class>com.acme.app.NotThere</servlet-class>
                            <load-on-startup>1</load-on-startup>
                          </servlet>
                        </web-app>
                        """)
                .build(work.resolve("wars/missing-class.war"));
        DeploymentException e = assertThrows(DeploymentException.class, () -> h.deploy(war, "/missing-class"));
        assertTrue(e.getMessage().contains("com.acme.app.NotThere"), e.getMessage());
        assertTrue(causes(e).stream().anyMatch(c -> c instanceof ClassNotFoundException), e.getMessage());
    }

    @Test
    void failingInitializerFailsTheDeploymentWithItsCause() throws Exception {
        Path war = TestWar.war()
                .java(HELLO)
                .jar("WEB-INF/lib/bootstrap.jar", TestWar.jar()
                        .java("""
                                package com.acme.boot;

                                import jakarta.servlet.ServletContainerInitializer;
                                import jakarta.servlet.ServletContext;
                                import jakarta.servlet.ServletException;
                                import java.util.Set;

                                public class FailingInitializer implements ServletContainerInitializer {
                                    @Override
                                    public void onStartup(Set<Class<?>> classes, ServletContext ctx) throws ServletException {
                                        throw new ServletException("no database at jdbc:acme://nowhere",
                                                new java.net.ConnectException("connection refused"));
                                    }
                                }
                                """)
                        .text("META-INF/services/jakarta.servlet.ServletContainerInitializer", "com.acme.boot.FailingInitializer\n"))
                .build(work.resolve("wars/failing-sci.war"));
        DeploymentException e = assertThrows(DeploymentException.class, () -> h.deploy(war, "/failing-sci"));
        assertTrue(e.getMessage().startsWith("failing-sci.war: "), e.getMessage());
        assertTrue(e.getMessage().contains("no database at jdbc:acme://nowhere"), e.getMessage());
        assertTrue(e.getMessage().contains("java.net.ConnectException: connection refused"), e.getMessage());
        assertTrue(causes(e).stream().anyMatch(c -> c instanceof java.net.ConnectException), "the real cause is kept");
        assertEquals(404, h.get("/failing-sci/hello").status());
        assertFalse(h.handler.apps().stream().anyMatch(a -> a.getContextPath().equals("/failing-sci")));

        // The path is free again: nothing of the failed application is left behind.
        Path fixed = TestWar.war().java(HELLO).build(work.resolve("wars/fixed-sci.war"));
        h.deploy(fixed, "/failing-sci");
        assertEquals("hello from /failing-sci", h.get("/failing-sci/hello").body());
    }

    @Test
    void failingListenerFailsTheDeploymentWithItsCause() throws Exception {
        Path war = TestWar.war()
                .java(HELLO)
                .java("""
                        package com.acme.app;

                        import jakarta.servlet.ServletContextEvent;
                        import jakarta.servlet.ServletContextListener;
                        import jakarta.servlet.annotation.WebListener;

                        @WebListener
                        public class FailingListener implements ServletContextListener {
                            @Override
                            public void contextInitialized(ServletContextEvent sce) {
                                throw new IllegalStateException("configuration file acme.yaml is missing");
                            }
                        }
                        """)
                .build(work.resolve("wars/failing-listener.war"));
        DeploymentException e = assertThrows(DeploymentException.class, () -> h.deploy(war, "/failing-listener"));
        assertTrue(e.getMessage().contains("configuration file acme.yaml is missing"), e.getMessage());
        Throwable root = causes(e).getLast();
        assertSame(IllegalStateException.class, root.getClass());
        assertEquals("configuration file acme.yaml is missing", root.getMessage());
        assertEquals(404, h.get("/failing-listener/hello").status());
    }

    @Test
    void foreignDescriptorsOnlyCauseAnInfoLine() throws Exception {
        Path war = TestWar.war()
                .java(HELLO)
                .text("WEB-INF/jetty-web.xml", """
                        <?xml version="1.0"?>
                        <!DOCTYPE Configure PUBLIC "-//Jetty//Configure//EN" "https://jetty.org/configure_10_0.dtd">
                        <Configure class="org.eclipse.jetty.ee10.webapp.WebAppContext">
                          <Set name="contextPath">/elsewhere</Set>
                        </Configure>
                        """)
                .text("META-INF/context.xml", "<Context path=\"/elsewhere\" reloadable=\"true\"><Valve className=\"x\"/></Context>\n")
                .build(work.resolve("wars/foreign.war"));
        try (LogCapture log = new LogCapture()) {
            h.deploy(war, "/foreign");
            assertEquals("hello from /foreign", h.get("/foreign/hello").body());
            List<String> jetty = log.lines("WEB-INF/jetty-web.xml");
            List<String> tomcat = log.lines("META-INF/context.xml");
            assertEquals(1, jetty.size(), log.text());
            assertEquals(1, tomcat.size(), log.text());
            assertTrue(jetty.getFirst().contains(" INFO "), jetty.getFirst());
            assertTrue(tomcat.getFirst().contains(" INFO "), tomcat.getFirst());
            assertEquals(List.of(), log.lines(" WARN "), "nothing else to say about them");
            assertEquals(List.of(), log.lines(" ERROR "));
        }
        assertEquals(404, h.get("/elsewhere/hello").status(), "their settings are not applied");
    }

    /**
     * A WAR as Spring Boot's repackager makes it: its launcher at the root, the embedded server's
     * jars in WEB-INF/lib-provided. In a container it is a plain WAR: neither is on its class path
     * (an initializer in lib-provided would fail the deployment if it were run).
     */
    @Test
    void springBootExecutableWarDeploysWithoutLauncherOrProvidedJars() throws Exception {
        Path launcherJar = TestWar.jar()
                .java("""
                        package org.springframework.boot.loader.launch;

                        public class WarLauncher {
                            public static void main(String[] args) {
                                throw new IllegalStateException("the launcher runs from java -jar, never in a container");
                            }
                        }
                        """)
                .build(work.resolve("parts/launcher.jar"));
        TestWar boot = TestWar.war()
                .text("META-INF/MANIFEST.MF", """
                        Manifest-Version: 1.0
                        Main-Class: org.springframework.boot.loader.launch.WarLauncher
                        Start-Class: com.acme.boot.BootApplication
                        Spring-Boot-Classes: WEB-INF/classes/
                        Spring-Boot-Lib: WEB-INF/lib/
                        Spring-Boot-Lib-Provided: WEB-INF/lib-provided/

                        """)
                .java("""
                        package com.acme.boot;

                        import jakarta.servlet.annotation.WebServlet;
                        import jakarta.servlet.http.HttpServlet;
                        import jakarta.servlet.http.HttpServletRequest;
                        import jakarta.servlet.http.HttpServletResponse;
                        import java.io.IOException;
                        import java.io.PrintWriter;

                        @WebServlet("/boot")
                        public class BootServlet extends HttpServlet {
                            @Override
                            protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                                resp.setContentType("text/plain");
                                PrintWriter out = resp.getWriter();
                                out.println("lib=" + com.acme.lib.Helper.help());
                                out.println("launcher=" + visible("org.springframework.boot.loader.launch.WarLauncher"));
                                out.println("provided=" + visible("com.acme.provided.EmbeddedServer"));
                            }

                            private boolean visible(String name) {
                                try {
                                    Class.forName(name, false, getClass().getClassLoader());
                                    return true;
                                } catch (ClassNotFoundException e) {
                                    return false;
                                }
                            }
                        }
                        """)
                .jar("WEB-INF/lib/acme-lib.jar", TestWar.jar().java("""
                        package com.acme.lib;

                        public final class Helper {
                            public static String help() {
                                return "from WEB-INF/lib";
                            }
                        }
                        """))
                .jar("WEB-INF/lib-provided/embedded-server.jar", TestWar.jar()
                        .java("""
                                package com.acme.provided;

                                public class EmbeddedServer {
                                }
                                """)
                        .java("""
                                package com.acme.provided;

                                import jakarta.servlet.ServletContainerInitializer;
                                import jakarta.servlet.ServletContext;
                                import java.util.Set;

                                public class EmbeddedOnlyInitializer implements ServletContainerInitializer {
                                    @Override
                                    public void onStartup(Set<Class<?>> classes, ServletContext ctx) {
                                        throw new IllegalStateException("lib-provided must not be on the class path");
                                    }
                                }
                                """)
                        .text("META-INF/services/jakarta.servlet.ServletContainerInitializer",
                                "com.acme.provided.EmbeddedOnlyInitializer\n"));
        try (ZipFile launcher = new ZipFile(launcherJar.toFile())) {
            for (Enumeration<? extends ZipEntry> en = launcher.entries(); en.hasMoreElements(); ) {
                ZipEntry e = en.nextElement();
                try (InputStream in = launcher.getInputStream(e)) {
                    boot.bytes(e.getName(), in.readAllBytes()); // at the root of the WAR, as Boot puts it
                }
            }
        }
        Path war = boot.build(work.resolve("wars/boot.war"));
        assertTrue(hasEntry(war, "org/springframework/boot/loader/launch/WarLauncher.class"));

        h.deploy(war, "/boot");
        WarHarness.Resp r = h.get("/boot/boot");
        assertEquals(200, r.status(), r.body());
        assertEquals("lib=from WEB-INF/lib\nlauncher=false\nprovided=false\n", r.body().replace("\r\n", "\n"));
    }

    /** A jar whose name ends in upper case (as Windows tools may write it) is a jar like any other. */
    @Test
    void upperCaseJarIsScannedLikeTheClassLoaderSeesIt() throws Exception {
        Path war = TestWar.war()
                .jar("WEB-INF/lib/LEGACY.JAR", TestWar.jar().java(HELLO))
                .build(work.resolve("wars/upper.war"));
        h.deploy(war, "/upper");
        WarHarness.Resp r = h.get("/upper/hello");
        assertEquals(200, r.status(), "the @WebServlet in LEGACY.JAR is found: " + r.body());
        assertEquals("hello from /upper", r.body());
    }

    static boolean hasEntry(Path zip, String name) throws IOException {
        try (ZipFile z = new ZipFile(zip.toFile())) {
            return z.getEntry(name) != null;
        }
    }
}
