package dev.weft.deploy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Static files in the {@code META-INF/resources} of {@code WEB-INF/lib} jars (Servlet 6.1 §4.6,
 * §10.5): served and seen by the ServletContext as if at the root, after the application's own
 * files, and not from jars that absolute ordering leaves out.
 */
class ResourceJarsTest {
    @TempDir
    static Path work;
    static WarHarness h;

    @BeforeAll
    static void deploy() throws Exception {
        h = new WarHarness(work.resolve("work"));
        Path war = TestWar.war()
                .java("""
                        package com.acme.res;

                        import jakarta.servlet.annotation.WebServlet;
                        import jakarta.servlet.http.HttpServlet;
                        import jakarta.servlet.http.HttpServletRequest;
                        import jakarta.servlet.http.HttpServletResponse;
                        import java.io.IOException;
                        import java.io.InputStream;
                        import java.io.PrintWriter;
                        import java.nio.charset.StandardCharsets;
                        import java.util.TreeSet;

                        @WebServlet("/context")
                        public class ContextServlet extends HttpServlet {
                            @Override
                            protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                                resp.setContentType("text/plain");
                                PrintWriter out = resp.getWriter();
                                out.println("paths=" + new TreeSet<>(getServletContext().getResourcePaths("/webjars/lib/")));
                                try (InputStream in = getServletContext().getResourceAsStream("/webjars/lib/lib.js")) {
                                    out.println("stream=" + new String(in.readAllBytes(), StandardCharsets.UTF_8).strip());
                                }
                                out.println("realPath=" + getServletContext().getRealPath("/webjars/lib/lib.js"));
                                out.println("url=" + getServletContext().getResource("/webjars/lib/lib.js").getProtocol());
                            }
                        }
                        """)
                .text("WEB-INF/web.xml", """
                        <?xml version="1.0" encoding="UTF-8"?>
                        <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.1">
                          <absolute-ordering>
                            <name>kept</name>
                          </absolute-ordering>
                        </web-app>
                        """)
                .text("shadowed.txt", "the application's own")
                .jar("WEB-INF/lib/kept.jar", TestWar.jar()
                        .text("META-INF/web-fragment.xml", """
                                <web-fragment xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.1"><name>kept</name></web-fragment>
                                """)
                        .text("META-INF/resources/webjars/lib/lib.js", "console.log('kept');")
                        .text("META-INF/resources/webjars/lib/lib.css", "p { color: red }")
                        .text("META-INF/resources/webjars/lib/nested/deep.txt", "deep")
                        .text("META-INF/resources/shadowed.txt", "the jar's")
                        .text("META-INF/resources/webjars/lib/page.jsp", "<%@ page contentType=\"text/plain\" %>jsp in a jar: ${1 + 2}"))
                .jar("WEB-INF/lib/left-out.jar", TestWar.jar()
                        .text("META-INF/web-fragment.xml", """
                                <web-fragment xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.1"><name>left-out</name></web-fragment>
                                """)
                        .text("META-INF/resources/left-out.txt", "must not be served"))
                .build(work.resolve("resource-jars.war"));
        h.deploy(war, "/res");
    }

    @AfterAll
    static void stop() throws Exception {
        if (h != null) {
            h.close();
        }
    }

    @Test
    void servedWithTypeAndLength() throws Exception {
        WarHarness.Resp js = h.get("/res/webjars/lib/lib.js");
        assertEquals(200, js.status());
        assertEquals("console.log('kept');", js.body());
        assertTrue(js.header("Content-Type").contains("javascript"), js.header("Content-Type"));
        assertEquals("20", js.header("Content-Length"));
        assertEquals("deep", h.get("/res/webjars/lib/nested/deep.txt").body());
    }

    @Test
    void directoriesInJarsRedirectLikeFolders() throws Exception {
        WarHarness.Resp r = h.get("/res/webjars/lib");
        assertEquals(302, r.status());
        assertTrue(r.header("Location").endsWith("/res/webjars/lib/"), r.header("Location"));
    }

    @Test
    void theApplicationsOwnFileComesFirst() throws Exception {
        assertEquals("the application's own", h.get("/res/shadowed.txt").body());
    }

    @Test
    void jarsLeftOutByAbsoluteOrderingServeNothing() throws Exception {
        assertEquals(404, h.get("/res/left-out.txt").status());
    }

    @Test
    void noWayOutOfMetaInfResources() throws Exception {
        for (String p : new String[] {"/res/META-INF/web-fragment.xml", "/res/webjars/../../web-fragment.xml",
                "/res/webjars/lib/%2e%2e/%2e%2e/%2e%2e/META-INF/web-fragment.xml", "/res/webjars/lib/..%2f..%2f..%2fweb-fragment.xml"}) {
            WarHarness.Resp r = h.get(p);
            assertTrue(r.status() == 400 || r.status() == 404, p + " answered " + r.status());
            assertFalse(r.body().contains("web-fragment"), p);
        }
    }

    @Test
    void jspPagesInJarsRun() throws Exception {
        WarHarness.Resp r = h.get("/res/webjars/lib/page.jsp");
        assertFalse(r.body().contains("<%"), "never the source: " + r.body());
        if (ThirdPartyWarsTest.jasperPresent()) {
            assertEquals(200, r.status(), r.body());
            assertEquals("jsp in a jar: 3", r.body().strip());
        }
    }

    @Test
    void theServletContextSeesThem() throws Exception {
        String body = h.get("/res/context").body();
        assertTrue(body.contains("paths=[/webjars/lib/lib.css, /webjars/lib/lib.js, /webjars/lib/nested/, /webjars/lib/page.jsp]"), body);
        assertTrue(body.contains("stream=console.log('kept');"), body);
        assertTrue(body.contains("realPath=null"), "a file inside a jar has no real path: " + body);
        assertTrue(body.contains("url=jar"), body);
    }
}
