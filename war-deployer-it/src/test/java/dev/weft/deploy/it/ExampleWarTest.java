package dev.weft.deploy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.deploy.Deployment;
import dev.weft.deploy.WebAppClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example WAR ({@code examples-war}, built by maven-war-plugin in this build) deployed as a file
 * through the Deployer, every piece of it exercised over HTTP.
 */
class ExampleWarTest {
    @TempDir
    static Path work;
    static WarHarness h;
    static Deployment d;

    @BeforeAll
    static void deploy() throws Exception {
        Path war = WarHarness.wars().resolve("examples-war.war");
        assertTrue(Files.isRegularFile(war), "the build copies the example WAR to " + war);
        h = new WarHarness(work);
        d = h.deployTimed(war, "/examples", "/examples/hello");
    }

    @AfterAll
    static void stop() throws Exception {
        if (h != null) {
            h.close();
        }
    }

    static Map<String, String> info() throws Exception {
        WarHarness.Resp r = h.get("/examples/info");
        assertEquals(200, r.status(), r.body());
        return r.body().lines().filter(l -> l.contains("="))
                .collect(Collectors.toMap(l -> l.substring(0, l.indexOf('=')), l -> l.substring(l.indexOf('=') + 1)));
    }

    @Test
    void annotatedServletWithItsInitParam() throws Exception {
        WarHarness.Resp r = h.get("/examples/hello?name=Ada");
        assertEquals(200, r.status());
        assertEquals("Hello, Ada!", r.body());
        assertTrue(r.header("Content-Type").startsWith("text/plain"), r.header("Content-Type"));
    }

    @Test
    void webXmlServletWithInitParamAndContextParam() throws Exception {
        WarHarness.Resp r = h.get("/examples/motto/a/b");
        assertEquals(200, r.status());
        assertEquals("examples-war: declared in web.xml (path info /a/b)", r.body());
    }

    @Test
    void annotatedFilterWrapsTheApplication() throws Exception {
        assertEquals("examples-war", h.get("/examples/hello").header("X-Stamp"));
        assertEquals("examples-war", h.get("/examples/motto/x").header("X-Stamp"));
    }

    @Test
    void listenerRanAndCountsRequests() throws Exception {
        Map<String, String> before = info();
        assertEquals("StartupListener", before.get("startedBy"));
        Map<String, String> after = info();
        assertTrue(Long.parseLong(after.get("requests")) > Long.parseLong(before.get("requests")),
                "the ServletRequestListener counts: " + before + " then " + after);
    }

    @Test
    void descriptorVersionAndDisplayName() throws Exception {
        Map<String, String> info = info();
        assertEquals("6.1", info.get("version"));
        assertEquals("Weft example WAR", info.get("displayName"));
        assertTrue(info.get("classLoader").startsWith("WebAppClassLoader"), info.get("classLoader"));
    }

    @Test
    void staticFilesAndWelcomeFile() throws Exception {
        WarHarness.Resp css = h.get("/examples/css/site.css");
        assertEquals(200, css.status());
        assertTrue(css.header("Content-Type").startsWith("text/css"), css.header("Content-Type"));
        assertTrue(css.body().contains("#2d5d7b"));

        WarHarness.Resp root = h.get("/examples/");
        assertEquals(200, root.status());
        assertTrue(root.body().contains("<h1>Weft example WAR</h1>"), root.body());

        assertEquals(302, h.get("/examples").status(), "the context root without its slash is redirected");
    }

    @Test
    void webInfAndMetaInfAreNotServed() throws Exception {
        for (String p : new String[] {"/examples/WEB-INF/web.xml", "/examples/WEB-INF/lib/examples-war-fragment.jar",
                "/examples/META-INF/MANIFEST.MF", "/examples/WEB-INF/classes/dev/weft/examples/war/HelloServlet.class"}) {
            WarHarness.Resp r = h.get(p);
            assertEquals(404, r.status(), p);
            assertFalse(r.body().contains("<web-app"), p);
        }
    }

    @Test
    void errorPageFor404() throws Exception {
        WarHarness.Resp r = h.get("/examples/nowhere");
        assertEquals(404, r.status());
        assertTrue(r.body().contains("The example WAR has no such page."), r.body());
    }

    @Test
    void errorPageForAnException() throws Exception {
        WarHarness.Resp r = h.get("/examples/boom");
        assertEquals(500, r.status());
        assertTrue(r.body().startsWith("Something went wrong."), r.body());
        assertTrue(r.body().contains("type=dev.weft.examples.war.ExampleException"), r.body());
        assertTrue(r.body().contains("uri=/examples/boom"), r.body());
        assertTrue(r.body().contains("status=500"), r.body());
        // An unnamed @WebServlet is named after its class (§8.1.1).
        assertTrue(r.body().contains("servlet=dev.weft.examples.war.BoomServlet"), r.body());
        assertFalse(r.body().contains("on purpose"), "the message is not shown: " + r.body());
    }

    @Test
    void fragmentServletAndFilter() throws Exception {
        WarHarness.Resp r = h.get("/examples/fragment");
        assertEquals(200, r.status());
        assertEquals("fragment servlet, greeting=from web-fragment.xml, filtered=yes", r.body());
        assertEquals("yes", r.header("X-Fragment-Filter"));
        assertEquals("examples-war", r.header("X-Stamp"), "the application's filter runs too");
        assertNull(h.get("/examples/hello").header("X-Fragment-Filter"), "the fragment's filter is mapped to /fragment only");
    }

    @Test
    void initializerFromTheFragmentJarGotItsHandlesTypes() throws Exception {
        assertEquals("dev.weft.examples.war.AbstractGreeting,dev.weft.examples.war.EnglishGreeting,"
                + "dev.weft.examples.war.FrenchGreeting", info().get("handlesTypes"));
        WarHarness.Resp r = h.get("/examples/greetings?name=Ada");
        assertEquals(200, r.status());
        assertEquals("en: Hello, Ada!\nfr: Bonjour, Ada!\n", r.body().replace("\r\n", "\n"));
    }

    @Test
    void staticFilesFromTheFragmentJarsMetaInfResources() throws Exception {
        WarHarness.Resp r = h.get("/examples/fragment/readme.txt");
        assertEquals(200, r.status(), r.body());
        assertTrue(r.body().startsWith("Served from WEB-INF/lib/examples-war-fragment.jar!/META-INF/resources"), r.body());
    }

    @Test
    void jspPage() throws Exception {
        WarHarness.Resp r = h.get("/examples/hello.jsp");
        assertFalse(r.body().contains("<%"), "JSP source must never be served: " + r.body());
        if (ThirdPartyWarsTest.jasperPresent()) {
            assertEquals(200, r.status(), r.body());
            assertTrue(r.body().startsWith("JSP says: 2 + 3 = 5; served by Weft/"), r.body());
        }
    }

    @Test
    void deploymentDescribesItself() {
        assertEquals("/examples", d.app().getContextPath());
        assertTrue(d.classLoader() instanceof WebAppClassLoader);
        assertNotNull(d.root());
        assertTrue(Files.isRegularFile(d.root().resolve("WEB-INF/web.xml")));
        assertTrue(d.deployMillis() >= 0);
    }
}
