package dev.weft.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpHead;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.InputStreamEntity;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Ordinary traffic from a well-behaved client, Apache HttpClient 5. */
class HttpClientTest {
    static final AtomicInteger newConns = new AtomicInteger();
    static TestServers.Running server;
    static CloseableHttpClient client;

    @BeforeAll
    static void start() throws Exception {
        server = TestServers.start(HttpClientTest::route, b -> b.connStateHook((s, st) -> {
            if (st == ConnState.NEW) {
                newConns.incrementAndGet();
            }
        }));
        client = HttpClients.createDefault();
    }

    @AfterAll
    static void stop() throws Exception {
        client.close();
        server.close();
    }

    static void route(ResponseWriter w, Request r) throws Exception {
        switch (r.path()) {
            case "/hello" -> {
                w.header().set("Content-Type", "text/plain");
                w.write("Hello, World!");
            }
            case "/echo" -> {
                String ct = r.header("Content-Type");
                if (ct != null) {
                    w.header().set("Content-Type", ct);
                }
                r.body().transferTo(w.outputStream());
            }
            case "/big" -> {
                byte[] chunk = new byte[10_000];
                new Random(42).nextBytes(chunk);
                for (int i = 0; i < 100; i++) {
                    w.write(chunk);
                }
            }
            case "/sniff" -> w.write("<html><body>hi</body></html>");
            case "/query" -> w.write(r.rawQuery() + "|" + r.path() + "|" + r.rawPath());
            default -> {
                w.writeHeader(404);
                w.write("not found");
            }
        }
    }

    @Test
    void getReturnsBodyWithContentLength() throws Exception {
        client.execute(new HttpGet(server.url("/hello")), (ClassicHttpResponse res) -> {
            assertEquals(200, res.getCode());
            assertEquals("13", res.getFirstHeader("Content-Length").getValue());
            assertEquals("text/plain", res.getFirstHeader("Content-Type").getValue());
            assertNotNull(res.getFirstHeader("Date"));
            assertEquals("Hello, World!", EntityUtils.toString(res.getEntity()));
            return null;
        });
    }

    @Test
    void postEchoesBodyAndContentType() throws Exception {
        byte[] body = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
        HttpPost post = new HttpPost(server.url("/echo"));
        post.setEntity(new ByteArrayEntity(body, ContentType.APPLICATION_JSON));
        client.execute(post, (ClassicHttpResponse res) -> {
            assertEquals(200, res.getCode());
            assertEquals("application/json; charset=UTF-8", res.getFirstHeader("Content-Type").getValue());
            assertArrayEquals(body, EntityUtils.toByteArray(res.getEntity()));
            return null;
        });
    }

    @Test
    void largeChunkedUploadIsEchoedChunked() throws Exception {
        byte[] body = new byte[3 << 20];
        new Random(7).nextBytes(body);
        HttpPost post = new HttpPost(server.url("/echo"));
        // Unknown length: HttpClient sends it chunked.
        post.setEntity(new InputStreamEntity(new ByteArrayInputStream(body), -1, ContentType.APPLICATION_OCTET_STREAM));
        client.execute(post, (ClassicHttpResponse res) -> {
            assertEquals(200, res.getCode());
            assertEquals("chunked", res.getFirstHeader("Transfer-Encoding").getValue());
            assertArrayEquals(body, EntityUtils.toByteArray(res.getEntity()));
            return null;
        });
    }

    @Test
    void largeResponseIsChunkedAndIntact() throws Exception {
        byte[] chunk = new byte[10_000];
        new Random(42).nextBytes(chunk);
        client.execute(new HttpGet(server.url("/big")), (ClassicHttpResponse res) -> {
            assertNull(res.getFirstHeader("Content-Length"));
            assertEquals("chunked", res.getFirstHeader("Transfer-Encoding").getValue());
            try (InputStream in = res.getEntity().getContent()) {
                for (int i = 0; i < 100; i++) {
                    assertArrayEquals(chunk, in.readNBytes(chunk.length));
                }
                assertEquals(-1, in.read());
            }
            return null;
        });
    }

    @Test
    void keepAliveReusesOneConnection() throws Exception {
        try (CloseableHttpClient own = HttpClients.createDefault()) {
            int before = newConns.get();
            for (int i = 0; i < 20; i++) {
                own.execute(new HttpGet(server.url("/hello")), res -> EntityUtils.toString(res.getEntity()));
            }
            assertEquals(1, newConns.get() - before);
        }
    }

    @Test
    void headHasHeadersButNoBody() throws Exception {
        client.execute(new HttpHead(server.url("/hello")), (ClassicHttpResponse res) -> {
            assertEquals(200, res.getCode());
            assertEquals("13", res.getFirstHeader("Content-Length").getValue());
            return null;
        });
        // The connection stays usable after a HEAD response.
        client.execute(new HttpGet(server.url("/hello")), (ClassicHttpResponse res) -> {
            assertEquals("Hello, World!", EntityUtils.toString(res.getEntity()));
            return null;
        });
    }

    @Test
    void contentTypeIsSniffedWhenUnset() throws Exception {
        client.execute(new HttpGet(server.url("/sniff")), (ClassicHttpResponse res) -> {
            assertEquals("text/html; charset=utf-8", res.getFirstHeader("Content-Type").getValue());
            EntityUtils.consume(res.getEntity());
            return null;
        });
    }

    @Test
    void pathIsDecodedAndRawPartsKept() throws Exception {
        client.execute(new HttpGet(server.url("/query?a=1%202&b")), (ClassicHttpResponse res) -> {
            assertEquals("a=1%202&b|/query|/query", EntityUtils.toString(res.getEntity()));
            return null;
        });
    }

    @Test
    void notFoundStatusComesThrough() throws Exception {
        client.execute(new HttpGet(server.url("/nope")), (ClassicHttpResponse res) -> {
            assertEquals(404, res.getCode());
            assertTrue(EntityUtils.toString(res.getEntity()).contains("not found"));
            return null;
        });
    }
}
