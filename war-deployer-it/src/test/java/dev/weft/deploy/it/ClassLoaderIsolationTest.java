package dev.weft.deploy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.deploy.Deployment;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a WAR's classes see (Servlet 6.1 §10.7.2): its own classes before anything of the
 * container's by the same name, the container's Servlet API whatever it bundles, nothing of the
 * container's own, and its own logging without clashing with the container's.
 */
class ClassLoaderIsolationTest {
    @TempDir
    static Path work;
    static WarHarness h;

    /** Reports what a class name resolves to from the application, one {@code key=value} a line. */
    static final String PROBE = """
            package com.acme.app;

            import jakarta.servlet.annotation.WebServlet;
            import jakarta.servlet.http.HttpServlet;
            import jakarta.servlet.http.HttpServletRequest;
            import jakarta.servlet.http.HttpServletResponse;
            import java.io.IOException;
            import java.io.InputStream;
            import java.io.PrintWriter;
            import java.nio.charset.StandardCharsets;

            @WebServlet("/probe")
            public class ProbeServlet extends HttpServlet {
                @Override
                protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                    ClassLoader own = getClass().getClassLoader();
                    resp.setContentType("text/plain");
                    PrintWriter out = resp.getWriter();
                    for (String name : req.getParameter("classes").split(",")) {
                        out.println(name + "=" + describe(name, own));
                    }
                    out.println("httpServletLoaderIsOwn=" + (HttpServlet.class.getClassLoader() == own));
                    out.println("httpServletJar=" + HttpServlet.class.getProtectionDomain().getCodeSource().getLocation());
                    out.println("httpServletHasFakeField=" + hasField(HttpServlet.class, "FAKE"));
                    out.println("httpServletResource=" + own.getResource("jakarta/servlet/http/HttpServlet.class"));
                    try (InputStream in = own.getResourceAsStream("com/acme/shared/origin.txt")) {
                        out.println("originResource=" + new String(in.readAllBytes(), StandardCharsets.UTF_8));
                    }
                    out.println("origin=" + com.acme.shared.Origin.where());
                }

                static String describe(String name, ClassLoader own) {
                    try {
                        Class<?> c = Class.forName(name, false, own);
                        return c.getClassLoader() == own ? "application" : "container:" + c.getClassLoader();
                    } catch (ClassNotFoundException e) {
                        return "not-found";
                    }
                }

                static boolean hasField(Class<?> c, String name) {
                    try {
                        c.getField(name);
                        return true;
                    } catch (NoSuchFieldException e) {
                        return false;
                    }
                }
            }
            """;

    static final String OWN_ORIGIN = """
            package com.acme.shared;

            public final class Origin {
                private Origin() {}

                public static String where() {
                    return "application";
                }
            }
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

    static Map<String, String> probe(String ctx, String classes) throws Exception {
        WarHarness.Resp r = h.get(ctx + "/probe?classes=" + classes);
        assertEquals(200, r.status(), r.body());
        return r.body().lines().filter(l -> l.contains("="))
                .collect(Collectors.toMap(l -> l.substring(0, l.indexOf('=')), l -> l.substring(l.indexOf('=') + 1)));
    }

    @Test
    void ownClassesShadowTheContainersAndTheServletApiIsTheContainers() throws Exception {
        Path war = TestWar.war()
                .java(PROBE)
                .java(OWN_ORIGIN)
                .text("WEB-INF/classes/com/acme/shared/origin.txt", "application")
                // A copy of the Servlet API of its own, with a class the real one does not have.
                .jar("WEB-INF/lib/bundled-servlet-api.jar", TestWar.jar()
                        .java("""
                                package jakarta.servlet.http;

                                public abstract class HttpServlet {
                                    public static final String FAKE = "a copy bundled by the application";
                                }
                                """)
                        .java("""
                                package jakarta.servlet;

                                public final class FakeMarker {
                                }
                                """))
                .build(work.resolve("isolation.war"));
        Deployment d = h.deploy(war, "/isolation");

        Map<String, String> p = probe("/isolation", "com.acme.shared.Origin,jakarta.servlet.FakeMarker,"
                + "jakarta.servlet.http.HttpServlet,dev.weft.servlet.WebApp,dev.weft.deploy.Deployer,"
                + "org.apache.hc.client5.http.classic.HttpClient,org.junit.jupiter.api.Test,java.util.List");
        assertEquals("application", p.get("origin"), "WEB-INF/classes shadows the container's class path");
        assertEquals("application", p.get("com.acme.shared.Origin"));
        assertEquals("application", p.get("originResource"), "and resources too");
        assertEquals("container", com.acme.shared.Origin.where(), "the container's own copy is untouched");

        assertTrue(p.get("jakarta.servlet.http.HttpServlet").startsWith("container:"), p.toString());
        assertEquals("false", p.get("httpServletLoaderIsOwn"));
        assertEquals("false", p.get("httpServletHasFakeField"), "the bundled copy is never loaded");
        assertEquals(TestWar.locationOf(jakarta.servlet.http.HttpServlet.class).toUri().toURL().toString(),
                p.get("httpServletJar"));
        assertFalse(p.get("httpServletResource").contains("bundled-servlet-api.jar"), p.get("httpServletResource"));
        assertEquals("not-found", p.get("jakarta.servlet.FakeMarker"),
                "jakarta.servlet is the container's alone, even for names it does not have");

        assertEquals("not-found", p.get("dev.weft.servlet.WebApp"), "the container's classes are hidden");
        assertEquals("not-found", p.get("dev.weft.deploy.Deployer"));
        assertEquals("not-found", p.get("org.apache.hc.client5.http.classic.HttpClient"),
                "and so are the libraries on its class path");
        assertEquals("not-found", p.get("org.junit.jupiter.api.Test"));
        assertEquals("container:null", p.get("java.util.List"), "the JDK is everyone's");
        assertTrue(d.classLoader().toString().contains("isolation"));
    }

    @Test
    void applicationWithItsOwnSlf4jAndBackend() throws Exception {
        String logging = """
                package com.acme.logging;

                import jakarta.servlet.annotation.WebServlet;
                import jakarta.servlet.http.HttpServlet;
                import jakarta.servlet.http.HttpServletRequest;
                import jakarta.servlet.http.HttpServletResponse;
                import java.io.IOException;
                import java.io.PrintWriter;
                import org.slf4j.Logger;
                import org.slf4j.LoggerFactory;

                @WebServlet("/probe")
                public class LoggingServlet extends HttpServlet {
                    private static final Logger log = LoggerFactory.getLogger(LoggingServlet.class);

                    @Override
                    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                        log.info("the application logs through its own slf4j");
                        ClassLoader own = getClass().getClassLoader();
                        resp.setContentType("text/plain");
                        PrintWriter out = resp.getWriter();
                        out.println("apiIsOwn=" + (Logger.class.getClassLoader() == own));
                        out.println("factory=" + LoggerFactory.getILoggerFactory().getClass().getName());
                        out.println("factoryIsOwn=" + (LoggerFactory.getILoggerFactory().getClass().getClassLoader() == own));
                        out.println("loggerIsOwn=" + (log.getClass().getClassLoader() == own));
                    }
                }
                """;
        String listener = """
                package com.acme.logging;

                import jakarta.servlet.ServletContextEvent;
                import jakarta.servlet.ServletContextListener;
                import jakarta.servlet.annotation.WebListener;
                import org.slf4j.LoggerFactory;

                @WebListener
                public class LoggingListener implements ServletContextListener {
                    @Override
                    public void contextInitialized(ServletContextEvent sce) {
                        LoggerFactory.getLogger(LoggingListener.class).info("started, logging on its own");
                    }
                }
                """;
        Path api = TestWar.locationOf(org.slf4j.Logger.class);
        Path backend = TestWar.locationOf(org.slf4j.simple.SimpleLogger.class);
        Path war = TestWar.war()
                .classPath(api)
                .java(logging)
                .java(listener)
                .copy("WEB-INF/lib/" + api.getFileName(), api)
                .copy("WEB-INF/lib/" + backend.getFileName(), backend)
                .build(work.resolve("own-logging.war"));
        try (LogCapture log = new LogCapture()) {
            h.deploy(war, "/own-logging");
            Map<String, String> p = probe("/own-logging", "org.slf4j.Logger");
            assertEquals("true", p.get("apiIsOwn"));
            assertEquals("org.slf4j.simple.SimpleLoggerFactory", p.get("factory"));
            assertEquals("true", p.get("factoryIsOwn"), "the application's backend, found by its own slf4j");
            assertEquals("true", p.get("loggerIsOwn"));
            assertTrue(log.text().contains("started, logging on its own"), log.text());
            assertTrue(log.text().contains("the application logs through its own slf4j"), log.text());
            assertFalse(log.text().contains("LinkageError"), log.text());
            assertFalse(log.text().contains("SLF4J(W)"), "no slf4j complaint (no provider, several providers): " + log.text());
        }
    }
}
