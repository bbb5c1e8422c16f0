package dev.weft.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.weft.http.Listener;
import dev.weft.http.Server;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
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

/** The HelloServer's two endpoints, which later checks rely on, over a real connection. */
class HelloServerTest {
    static Server server;
    static String base;
    static CloseableHttpClient client;

    @BeforeAll
    static void start() throws Exception {
        server = Server.builder().address(new InetSocketAddress("127.0.0.1", 0)).handler(HelloServer.routes()).build();
        Listener l = server.start();
        base = "http://127.0.0.1:" + l.address().getPort();
        client = HttpClients.createDefault();
    }

    @AfterAll
    static void stop() throws Exception {
        client.close();
        server.shutdown(Duration.ofSeconds(5));
    }

    @Test
    void helloSaysHello() throws Exception {
        client.execute(new HttpGet(base + "/hello"), (ClassicHttpResponse r) -> {
            assertEquals(200, r.getCode());
            assertEquals("text/plain", r.getFirstHeader("Content-Type").getValue());
            assertEquals("13", r.getFirstHeader("Content-Length").getValue());
            assertEquals("Hello, World!", EntityUtils.toString(r.getEntity()));
            return null;
        });
    }

    @Test
    void echoSendsTheBodyBackWithItsType() throws Exception {
        HttpPost post = new HttpPost(base + "/echo");
        post.setEntity(new StringEntity("ping \u00e9", ContentType.create("text/x-demo", StandardCharsets.UTF_8)));
        client.execute(post, (ClassicHttpResponse r) -> {
            assertEquals(200, r.getCode());
            assertEquals("text/x-demo; charset=UTF-8", r.getFirstHeader("Content-Type").getValue());
            assertEquals("ping \u00e9", EntityUtils.toString(r.getEntity(), StandardCharsets.UTF_8));
            return null;
        });
    }

    @Test
    void wrongMethodIs405() throws Exception {
        client.execute(new HttpPost(base + "/hello"), (ClassicHttpResponse r) -> {
            assertEquals(405, r.getCode());
            assertEquals("GET, HEAD", r.getFirstHeader("Allow").getValue());
            EntityUtils.consume(r.getEntity());
            return null;
        });
    }
}
