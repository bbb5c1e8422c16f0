package dev.weft.deploy.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.deploy.Deployment;
import dev.weft.deploy.DeploymentException;
import dev.weft.http.Handler;
import dev.weft.http.Listener;
import dev.weft.http.Server;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.function.UnaryOperator;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * WARs nobody on this project wrote, fetched from Maven Central by the build (see this module's
 * pom): Jetty 12's EE10 demo applications, deployed as they are published and driven over HTTP.
 * Nothing here reaches beyond the loopback interface: where a demo talks to a public site, the test
 * points it at a server of its own or stops short of the call.
 */
class ThirdPartyWarsTest {
    @TempDir
    static Path work;
    static WarHarness h;
    static Server backend;
    static int backendPort;

    /** Whether Apache Jasper is on the container's class path, so JSP pages can run. */
    static boolean jasperPresent() {
        try {
            Class.forName("org.apache.jasper.servlet.JspServlet", false, ThirdPartyWarsTest.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    @BeforeAll
    static void start() throws Exception {
        h = new WarHarness(work.resolve("work"));
        backend = Server.builder().address(new InetSocketAddress("127.0.0.1", 0)).handler(echo()).build();
        Listener l = backend.start();
        backendPort = l.address().getPort();
    }

    @AfterAll
    static void stop() throws Exception {
        if (h != null) {
            h.close();
        }
        if (backend != null) {
            backend.close();
        }
    }

    /** What the proxy talks to: tells what it received, or sends 1 MiB of a known pattern. */
    static Handler echo() {
        return (w, r) -> {
            byte[] body = r.body().readAllBytes();
            if (r.path().endsWith("/big")) {
                w.header().set("Content-Type", "application/octet-stream");
                w.write(big());
                return;
            }
            w.header().set("Content-Type", "text/plain; charset=utf-8");
            w.header().set("X-Backend", "weft-echo");
            w.write("method=" + r.method() + "\npath=" + r.path() + "\nquery=" + r.rawQuery() + "\nhost=" + r.host()
                    + "\nvia=" + r.header("Via") + "\nxff=" + r.header("X-Forwarded-For")
                    + "\nbody=" + new String(body, StandardCharsets.UTF_8) + "\n");
        };
    }

    static byte[] big() {
        byte[] b = new byte[1 << 20];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (i * 31 + (i >>> 9));
        }
        return b;
    }

    /** A copy of {@code war} with one text entry edited, every other entry as it was. */
    static Path edited(Path war, Path out, String entry, UnaryOperator<String> edit) throws IOException {
        try (ZipFile in = new ZipFile(war.toFile());
                ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(out))) {
            for (Enumeration<? extends ZipEntry> en = in.entries(); en.hasMoreElements(); ) {
                ZipEntry e = en.nextElement();
                zip.putNextEntry(new ZipEntry(e.getName()));
                try (InputStream is = in.getInputStream(e)) {
                    byte[] bytes = is.readAllBytes();
                    if (e.getName().equals(entry)) {
                        bytes = edit.apply(new String(bytes, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
                    }
                    zip.write(bytes);
                }
                zip.closeEntry();
            }
        }
        return out;
    }

    /**
     * jetty-ee10-demo-proxy-webapp: Jetty's transparent ProxyServlet with the Jetty HTTP client,
     * both from its WEB-INF/lib, asynchronous (startAsync, the response written from the client's
     * threads). Its web.xml points it at a public site; the copy deployed here points it at the
     * echo server, and gives it the thread count that Jetty would otherwise take from its own
     * server ({@code maxThreads}, an init-param ProxyServlet documents); nothing else is changed.
     */
    @Test
    void jettyProxyWebapp() throws Exception {
        Path war = edited(WarHarness.wars().resolve("jetty-proxy.war"), work.resolve("jetty-proxy.war"), "WEB-INF/web.xml",
                xml -> {
                    assertTrue(xml.contains("<param-value>https://javadoc.jetty.org/</param-value>"), xml);
                    return xml.replace("https://javadoc.jetty.org/", "http://127.0.0.1:" + backendPort + "/")
                            .replace("<load-on-startup>", "<init-param><param-name>maxThreads</param-name>"
                                    + "<param-value>16</param-value></init-param><load-on-startup>");
                });
        try (LogCapture log = new LogCapture()) {
            h.deployTimed(war, "/proxy", "/proxy/jetty-12/warm-up");
            assertFalse(log.lines("ignoring WEB-INF/jetty-web.xml").isEmpty(), log.text());
        }

        WarHarness.Resp r = h.get("/proxy/jetty-12/hello?x=1&y=two");
        assertEquals(200, r.status(), r.body());
        assertEquals("weft-echo", r.header("X-Backend"), "the backend's header is passed back");
        assertTrue(r.body().contains("method=GET\n"), r.body());
        assertTrue(r.body().contains("path=/jetty-12/hello\n"), r.body());
        assertTrue(r.body().contains("query=x=1&y=two\n"), r.body());
        // hostHeader in the WAR's web.xml: only Jetty's proxy code puts it there.
        assertTrue(r.body().contains("host=javadoc.jetty.org\n"), r.body());
        assertTrue(r.body().contains("xff=127.0.0.1\n"), r.body());
        assertTrue(r.body().contains("via=1.1 "), r.body());

        HttpPost post = new HttpPost(h.url("/proxy/jetty-12/post"));
        post.setEntity(new StringEntity("ping ".repeat(2000), ContentType.TEXT_PLAIN));
        WarHarness.Resp p = h.send(post);
        assertEquals(200, p.status(), p.body());
        assertTrue(p.body().contains("method=POST\n"), p.body());
        assertTrue(p.body().contains("body=" + "ping ".repeat(2000) + "\n"), "the request body is streamed through");

        byte[] big = h.client.execute(new org.apache.hc.client5.http.classic.methods.HttpGet(h.url("/proxy/jetty-12/big")),
                resp -> {
                    assertEquals(200, resp.getCode());
                    return EntityUtils.toByteArray(resp.getEntity());
                });
        assertEquals(1 << 20, big.length);
        assertArrayEquals(big(), big, "1 MiB comes through the asynchronous proxy intact");

        assertEquals(404, h.get("/proxy/elsewhere").status());
    }

    /**
     * jetty-ee10-demo-async-rest-webapp: servlets declared in the web-fragment.xml of a jar in
     * WEB-INF/lib, static files in that jar's META-INF/resources, its own slf4j-api and
     * jetty-slf4j-impl and the Jetty HTTP client in WEB-INF/lib. Its servlets query a public web
     * service for every request with items; asked without, the asynchronous one still
     * initialises (it starts its own Jetty HTTP client) and then fails in its own code.
     */
    @Test
    void jettyAsyncRestWebapp() throws Exception {
        Path war = WarHarness.wars().resolve("jetty-async-rest.war");
        Deployment d = h.deployTimed(war, "/async-rest", "/async-rest/");

        assertTrue(d.app().getServletRegistration("AsyncRestServlet").getMappings().contains("/testAsync"));
        assertTrue(d.app().getServletRegistration("SerialRestServlet").getMappings().contains("/testSerial"));
        assertTrue(d.app().getServletRegistration("AsyncRestServlet").getClassName()
                .equals("org.eclipse.jetty.ee10.demos.AsyncRestServlet"));

        WarHarness.Resp index = h.get("/async-rest/");
        assertTrue(index.body().contains("<h1>Blocking vs Asynchronous REST</h1>"), index.body());
        assertEquals(200, h.get("/async-rest/demo.css").status());

        WarHarness.Resp fromJar = h.get("/async-rest/asyncrest.html");
        assertEquals(200, fromJar.status(), "META-INF/resources of WEB-INF/lib/jetty-ee10-demo-async-rest-jar: " + fromJar.body());
        byte[] png = h.client.execute(new org.apache.hc.client5.http.classic.methods.HttpGet(h.url("/async-rest/asyncrest/green.png")),
                resp -> {
                    assertEquals(200, resp.getCode());
                    assertEquals("image/png", resp.getFirstHeader("Content-Type").getValue());
                    return EntityUtils.toByteArray(resp.getEntity());
                });
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, Arrays.copyOf(png, 4));

        try (LogCapture log = new LogCapture()) {
            WarHarness.Resp r = h.get("/async-rest/testAsync");
            assertEquals(500, r.status(), r.body());
            // The servlet was created, initialised (its bundled Jetty client started) and ran: the
            // failure is a NullPointerException in its own doGet, with no items to look up.
            assertTrue(log.text().contains("org.eclipse.jetty.ee10.demos.AsyncRestServlet.doGet(AsyncRestServlet.java"), log.text());
            assertFalse(log.text().contains("LinkageError"), log.text());
        }
    }

    /**
     * jetty-ee10-demo-jsp-webapp: JSP pages, a tag library, and a {@code <jsp-file>} servlet. With
     * Jasper on the class path the pages run; without it, the WAR is refused with a clear reason
     * rather than deployed with its pages served as text.
     */
    @Test
    void jettyJspWebapp() throws Exception {
        Path war = WarHarness.wars().resolve("jetty-jsp.war");
        if (!jasperPresent()) {
            DeploymentException e = assertThrows(DeploymentException.class, () -> h.deploy(war, "/jsp"));
            assertTrue(e.getMessage().contains("JSP support is not installed"), e.getMessage());
            return;
        }
        h.deployTimed(war, "/jsp", "/jsp/expr.jsp?A=21");
        WarHarness.Resp expr = h.get("/jsp/expr.jsp?A=21");
        assertTrue(expr.body().contains("<td>42&nbsp;</td>"), expr.body());
        assertTrue(expr.body().contains("<td>2</td>"), expr.body());
        WarHarness.Resp index = h.get("/jsp/");
        assertEquals(200, index.status(), index.body());
        assertTrue(index.body().contains("<h1>Eclipse Jetty JSP Demo Webapp</h1>"), index.body());
        WarHarness.Resp tag = h.get("/jsp/tag.jsp");
        assertEquals(200, tag.status(), tag.body());
        assertTrue(tag.body().contains("GMT"), tag.body());
    }
}
