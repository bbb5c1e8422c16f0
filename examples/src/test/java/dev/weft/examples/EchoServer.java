package dev.weft.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.weft.examples.websocket.WebSocketEchoServlet;
import dev.weft.http.Server;
import dev.weft.servlet.ServletHandler;
import dev.weft.servlet.WebApp;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;

/** Every bundled example on a real server on a free loopback port, as ExamplesTest starts them. */
final class EchoServer {
    final Server server;
    final ServletHandler servlets;
    final int port;

    private EchoServer(Server server, ServletHandler servlets, int port) {
        this.server = server;
        this.servlets = servlets;
        this.port = port;
    }

    static EchoServer start() throws Exception {
        ServletHandler servlets = new ServletHandler();
        Server server = Server.builder().address(new InetSocketAddress("127.0.0.1", 0)).handler(Examples.routes(servlets)).build();
        int port = server.start().address().getPort();
        return new EchoServer(server, servlets, port);
    }

    URI echoUri() {
        return URI.create("ws://127.0.0.1:" + port + "/demo/ws/echo");
    }

    /** The demo's echo servlet; it exists once the first handshake reached it. */
    WebSocketEchoServlet echoServlet() {
        for (WebApp app : servlets.apps()) {
            if (app.getContextPath().equals("/demo")) {
                Object s = app.getAttribute(WebSocketEchoServlet.class.getName());
                assertNotNull(s, "the echo servlet has not been initialised");
                return (WebSocketEchoServlet) s;
            }
        }
        throw new AssertionError("no /demo application");
    }

    /**
     * Waits until every upgraded connection was destroyed, which the container does only after
     * the connection was closed: a leak or a missing destroy() shows here.
     */
    void awaitNoOpenConnections() throws InterruptedException {
        WebSocketEchoServlet s = echoServlet();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (s.openConnections() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(0, s.openConnections(), "connections still open (destroy() not called?)");
    }

    void stop() throws Exception {
        server.shutdown(Duration.ofSeconds(2));
        server.close(); // upgraded connections are hijacked: shutdown leaves them to close()
        servlets.stop();
    }
}
