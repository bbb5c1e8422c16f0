package dev.weft.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.http.Listener;
import dev.weft.http.Server;
import dev.weft.servlet.ServletHandler;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every bundled example served together, as the README's start command runs them. */
class ExamplesTest {
    static Server server;
    static ServletHandler servlets;
    static String base;
    static CloseableHttpClient client;

    @BeforeAll
    static void start() throws Exception {
        servlets = new ServletHandler();
        server = Server.builder().address(new InetSocketAddress("127.0.0.1", 0)).handler(Examples.routes(servlets)).build();
        Listener l = server.start();
        base = "http://127.0.0.1:" + l.address().getPort();
        client = HttpClients.custom().disableRedirectHandling().build(); // keeps cookies: one session
    }

    @AfterAll
    static void stop() throws Exception {
        client.close();
        server.shutdown(Duration.ofSeconds(5));
        servlets.stop();
    }

    private String get(String path, int status) throws Exception {
        return client.execute(new HttpGet(base + path), (ClassicHttpResponse r) -> {
            assertEquals(status, r.getCode(), path);
            return EntityUtils.toString(r.getEntity());
        });
    }

    @Test
    void indexLinksEveryExample() throws Exception {
        String index = get("/", 200);
        assertTrue(index.contains("/hello") && index.contains("/demo/"), index);
    }

    @Test
    void coreRoutesAreThere() throws Exception {
        assertEquals("Hello, World!", get("/hello", 200));
    }

    @Test
    void demoAppServesStaticFilesServletsAndSessions() throws Exception {
        assertTrue(get("/demo/", 200).contains("Weft servlet demo"));
        client.execute(new HttpGet(base + "/demo/style.css"), (ClassicHttpResponse r) -> {
            assertEquals("text/css", r.getFirstHeader("Content-Type").getValue());
            assertNotNull(r.getFirstHeader("X-Started-At"));
            return EntityUtils.toString(r.getEntity());
        });
        assertTrue(get("/demo/greeting?name=%3Cb%3E", 200).contains("Hello, &lt;b&gt;!"));
        assertEquals("visits in this session: 1", get("/demo/counter", 200));
        assertEquals("visits in this session: 2", get("/demo/counter", 200));
        HttpPost post = new HttpPost(base + "/demo/form");
        post.setEntity(new StringEntity("message=h%C3%A9llo&n=1&n=2", ContentType.APPLICATION_FORM_URLENCODED));
        String echoed = client.execute(post, r -> EntityUtils.toString(r.getEntity()));
        assertEquals("message = h\u00e9llo\nn = 1, 2\n", echoed);
        assertTrue(get("/demo/nothing-here", 404).contains("Nothing here"));
    }
}
