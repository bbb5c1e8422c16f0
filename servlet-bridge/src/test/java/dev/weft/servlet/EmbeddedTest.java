package dev.weft.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.http.ServeMux;
import dev.weft.http.Server;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Embedded mode: servlets in a plain Java program, one or several apps, mixed with core handlers. */
class EmbeddedTest {
    static final class Hello extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            resp.setContentType("text/plain");
            resp.getWriter().print("hello from " + req.getContextPath() + req.getServletPath());
        }
    }

    @Test
    void servletFilterAndListenerInAnEmbeddedApp() throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        WebApp app = new WebApp("/shop");
        app.addServlet("hello", new Hello()).addMapping("/hello");
        app.addFilter("tag", new Filter() {
            @Override
            public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
                    throws IOException, ServletException {
                ((HttpServletResponse) res).setHeader("X-Filtered", "yes");
                chain.doFilter(req, res);
            }
        }).addMappingForUrlPatterns(null, false, "/*");
        app.addListener(new ServletContextListener() {
            @Override
            public void contextInitialized(ServletContextEvent sce) {
                events.add("initialized " + sce.getServletContext().getContextPath());
            }

            @Override
            public void contextDestroyed(ServletContextEvent sce) {
                events.add("destroyed");
            }
        });
        try (Deployed d = Deployed.start(app)) {
            Deployed.Resp r = d.get("/shop/hello");
            assertEquals(200, r.status());
            assertEquals("hello from /shop/hello", r.body());
            assertEquals("yes", r.header("X-Filtered"));
            assertEquals("text/plain;charset=ISO-8859-1", r.header("Content-Type"));
            assertEquals(List.of("initialized /shop"), events);
        }
        assertEquals(List.of("initialized /shop", "destroyed"), events);
    }

    @Test
    void severalAppsByContextPath() throws Exception {
        WebApp root = new WebApp("");
        root.addServlet("hello", new Hello()).addMapping("/hello");
        WebApp a = new WebApp("/a");
        a.addServlet("hello", new Hello()).addMapping("/hello");
        WebApp ab = new WebApp("/a/b");
        ab.addServlet("hello", new Hello()).addMapping("/hello");
        try (Deployed d = Deployed.start(root, a, ab)) {
            assertEquals("hello from /hello", d.get("/hello").body());
            assertEquals("hello from /a/hello", d.get("/a/hello").body());
            assertEquals("hello from /a/b/hello", d.get("/a/b/hello").body());
            assertEquals(404, d.get("/ab/hello").status());
            Deployed.Resp redirect = d.get("/a");
            assertEquals(302, redirect.status());
            assertEquals("/a/", redirect.header("Location"));
        }
    }

    @Test
    void serveMuxMixesCoreHandlersAndServlets() throws Exception {
        WebApp app = new WebApp("/app");
        app.addServlet("hello", new Hello()).addMapping("/hello");
        ServletHandler servlets = new ServletHandler();
        servlets.deploy(app);
        ServeMux mux = new ServeMux();
        mux.handle("GET /ping", (w, r) -> w.write("pong"));
        mux.handle("/app/", servlets);
        Server server = Server.builder().address(new InetSocketAddress("127.0.0.1", 0)).handler(mux).build();
        int port = server.start().address().getPort();
        try (var client = org.apache.hc.client5.http.impl.classic.HttpClients.createDefault()) {
            String ping = client.execute(new org.apache.hc.client5.http.classic.methods.HttpGet("http://127.0.0.1:" + port + "/ping"),
                    r -> org.apache.hc.core5.http.io.entity.EntityUtils.toString(r.getEntity()));
            String hello = client.execute(new org.apache.hc.client5.http.classic.methods.HttpGet("http://127.0.0.1:" + port + "/app/hello"),
                    r -> org.apache.hc.core5.http.io.entity.EntityUtils.toString(r.getEntity()));
            assertEquals("pong", ping);
            assertTrue(hello.startsWith("hello from /app/hello"), hello);
        } finally {
            servlets.stop();
            server.close();
        }
    }
}
