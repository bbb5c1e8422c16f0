package dev.weft.test;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.weft.test.app.HelloServlet;
import dev.weft.test.app.SecretServlet;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** A context path, users of the default realm, and constructor injection under a per-class instance. */
@WeftTest(servlets = {HelloServlet.class, SecretServlet.class}, contextPath = "/shop",
        users = {"alice = wonderland, admin", "bob = builder"})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecurityAndContextPathTest {
    private final URI base;
    private final CloseableHttpClient client;

    SecurityAndContextPathTest(URI base, CloseableHttpClient client) {
        this.base = base;
        this.client = client;
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void baseUriEndsWithTheContextPath() throws Exception {
        assertEquals("/shop/", base.getPath());
        assertEquals("Hello from /shop/hello started=null", Http.get(client, base.resolve("hello")).body());
    }

    @Test
    void annotationConstraintAndTheConfiguredUsers() throws Exception {
        assertEquals(401, Http.get(client, base.resolve("secret")).status());
        assertEquals(403, Http.get(client, base.resolve("secret"), "Authorization", basic("bob", "builder")).status());
        assertEquals(401, Http.get(client, base.resolve("secret"), "Authorization", basic("alice", "nope")).status());
        var r = Http.get(client, base.resolve("secret"), "Authorization", basic("alice", "wonderland"));
        assertEquals(200, r.status());
        assertEquals("secret for alice", r.body());
    }
}
