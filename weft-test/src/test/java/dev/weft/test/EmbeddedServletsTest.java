package dev.weft.test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.test.app.CatchAllFilter;
import dev.weft.test.app.HelloServlet;
import dev.weft.test.app.StampFilter;
import dev.weft.test.app.StartListener;
import jakarta.servlet.ServletContext;
import java.net.URI;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Servlets, filters and listeners named in the annotation, mapped by their own annotations. */
@WeftTest(servlets = HelloServlet.class, filters = {StampFilter.class, CatchAllFilter.class}, listeners = StartListener.class)
class EmbeddedServletsTest {
    private static URI fromBeforeAll;

    @BeforeAll
    static void remember(URI base) {
        fromBeforeAll = base;
    }

    @Test
    void baseUriIsTheRootOnALoopbackPort(URI base) {
        assertEquals("http", base.getScheme());
        assertEquals("127.0.0.1", base.getHost());
        assertTrue(base.getPort() > 0);
        assertEquals("/", base.getPath());
        assertEquals(fromBeforeAll, base, "one server for the class");
    }

    @Test
    void servletAnswersThroughItsFilters(URI base, CloseableHttpClient client) throws Exception {
        var r = Http.get(client, base.resolve("hello"));
        assertEquals(200, r.status());
        assertEquals("Hello from /hello started=listener", r.body());
        assertEquals("weft", r.header("X-Stamp"));
        assertEquals("/hello", r.header("X-Seen"));
    }

    @Test
    void filterWithoutAnnotationSeesEverything(URI base, CloseableHttpClient client) throws Exception {
        var r = Http.get(client, base.resolve("nothing-here"));
        assertEquals(404, r.status());
        assertEquals("/nothing-here", r.header("X-Seen"));
        assertEquals(null, r.header("X-Stamp"));
    }

    @Test
    void servletsShareStaticStateWithTheTest(URI base, CloseableHttpClient client) throws Exception {
        int before = HelloServlet.REQUESTS.get();
        Http.get(client, base.resolve("hello"));
        Http.get(client, base.resolve("hello"));
        assertEquals(before + 2, HelloServlet.REQUESTS.get());
    }

    @Test
    void servletContextOfTheApplication(ServletContext context) {
        assertEquals("", context.getContextPath());
        assertEquals("listener", context.getAttribute(StartListener.ATTRIBUTE));
        assertEquals("[/hello]", context.getServletRegistration(HelloServlet.class.getName()).getMappings().toString());
    }

    @Nested
    class NestedClass {
        @Test
        void sharesTheEnclosingServer(URI base, CloseableHttpClient client) throws Exception {
            assertEquals(fromBeforeAll, base);
            assertSame(client, client);
            assertEquals(200, Http.get(client, base.resolve("hello")).status());
        }
    }
}
