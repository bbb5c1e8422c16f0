package dev.weft.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The MBeans an operator reads, after traffic whose counts are known, read as JConsole would. */
class MBeanTest {
    @TempDir
    Path dir;

    private static final MBeanServer MBS = ManagementFactory.getPlatformMBeanServer();

    private static Object attr(ObjectName name, String attribute) throws Exception {
        return MBS.getAttribute(name, attribute);
    }

    private static long count(ObjectName name, String attribute) throws Exception {
        return ((Number) attr(name, attribute)).longValue();
    }

    /** Waits (bounded) for a counter the server updates just after the response went out. */
    private static void assertCount(long expected, ObjectName name, String attribute) throws Exception {
        Running.eventually(() -> {
            try {
                return count(name, attribute) == expected;
            } catch (Exception e) {
                return false;
            }
        });
        assertEquals(expected, count(name, attribute), name + " " + attribute);
    }

    @Test
    void serverAndApplicationCountsAfterKnownTraffic() throws Exception {
        ObjectName server = Jmx.serverName();
        ObjectName demo = Jmx.webAppName("/demo");
        ObjectName examples = Jmx.webAppName("/examples");
        try (Running r = Running.start(dir, "--access-log", dir.resolve("access.log").toString())) {
            r.server.awaitJmx();
            assertTrue(MBS.isRegistered(server));
            assertTrue(MBS.isRegistered(demo));
            assertTrue(MBS.isRegistered(examples));
            assertEquals(0, count(server, "Requests"));

            // 3 core-handler requests, 4 to the demo application (2 creating sessions, 1 a 404),
            // 2 to the WAR (one failing with 500): 9 requests reaching a handler.
            assertEquals(200, r.get("/hello").statusCode());
            assertEquals(200, r.get("/hello").statusCode());
            assertEquals(200, r.post("/echo", "x".repeat(1000)).statusCode());
            assertEquals(200, r.get("/demo/counter").statusCode()); // no cookies kept: a new session each time
            assertEquals(200, r.get("/demo/counter").statusCode());
            assertEquals(200, r.get("/demo/greeting?name=Ada").statusCode());
            assertEquals(404, r.get("/demo/missing").statusCode());
            assertEquals(200, r.get("/examples/hello?name=Ada").statusCode());
            assertEquals(500, r.get("/examples/boom").statusCode());
            // And one request the server refuses itself.
            try (Socket s = new Socket("127.0.0.1", r.server.addresses().get(0).getPort())) {
                s.setSoTimeout(10_000);
                OutputStream out = s.getOutputStream();
                out.write("GET / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                InputStream in = s.getInputStream();
                assertEquals("HTTP/1.1 400", new String(in.readNBytes(12), StandardCharsets.US_ASCII));
            }

            assertCount(9, server, "Requests");
            assertCount(1, server, "RefusedRequests");
            assertTrue(count(server, "AcceptedConnections") >= 2, "the client's and the raw one");
            assertCount(0, server, "Errors"); // the WAR's 500 is an error page, not a handler that threw
            assertCount(0, server, "RejectedConnections");
            assertCount(0, server, "TlsHandshakeFailures");
            assertTrue(count(server, "BytesIn") > 1000, "the echoed body came in");
            assertTrue(count(server, "BytesOut") > 1000, "and went out");
            assertCount(10, server, "AccessLogLines");
            assertEquals(0, count(server, "AccessLogDroppedLines"));
            assertArrayEquals(new String[] {"/demo", "/examples"}, (String[]) attr(server, "Applications"));
            assertArrayEquals(new String[] {r.base + "/"}, (String[]) attr(server, "Listeners"));
            assertEquals(Version.get(), attr(server, "Version"));

            assertEquals(4, count(demo, "Requests"));
            assertEquals(0, count(demo, "Errors"));
            assertEquals(2, count(demo, "SessionsCreated"));
            assertEquals(2, count(demo, "SessionsActive"));
            assertEquals(0, count(demo, "SessionsExpired"));
            assertEquals("/demo", attr(demo, "ContextPath"));
            assertEquals("embedded DemoApp", attr(demo, "Source"));
            assertEquals(Boolean.TRUE, attr(demo, "Running"));

            assertEquals(2, count(examples, "Requests"));
            assertEquals(1, count(examples, "Errors"));
            assertEquals("examples.war", attr(examples, "Source"));
            assertTrue(count(examples, "DeployMillis") > 0);
        }
        assertFalse(MBS.isRegistered(server), "unregistered when the server stopped");
        assertFalse(MBS.isRegistered(demo));
        assertFalse(MBS.isRegistered(examples));
    }

    @Test
    void connectionsByState() throws Exception {
        ObjectName server = Jmx.serverName();
        try (Running r = Running.start(dir)) {
            r.server.awaitJmx();
            try (Socket idle = new Socket("127.0.0.1", r.server.addresses().get(0).getPort());
                    Socket active = new Socket("127.0.0.1", r.server.addresses().get(0).getPort())) {
                idle.setSoTimeout(10_000);
                idle.getOutputStream().write("GET /hello HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                idle.getInputStream().readNBytes(10); // answered, now kept alive and idle
                // A body promised and not sent: its handler is running, reading it.
                active.getOutputStream().write("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nabc"
                        .getBytes(StandardCharsets.US_ASCII));
                assertCount(1, server, "ConnectionsIdle");
                assertCount(1, server, "ConnectionsActive");
                assertCount(2, server, "Connections");
            }
            assertCount(0, server, "Connections");
        }
    }

    @Test
    void aHotDeployedApplicationComesAndGoesWithItsMBean() throws Exception {
        Path webapps = dir.resolve("webapps");
        java.nio.file.Files.createDirectories(webapps);
        ObjectName shop = Jmx.webAppName("/shop");
        try (Running r = Running.start(dir, "--webapps-poll-interval", "50ms", "--webapps-stable-polls", "1",
                webapps.toString())) {
            r.server.awaitJmx();
            assertFalse(MBS.isRegistered(shop));
            Path war = ExamplesSite.extractWar(dir.resolve("bundled"));
            java.nio.file.Files.copy(war, webapps.resolve("shop.war"));
            assertTrue(Running.eventually(() -> MBS.isRegistered(shop)), "registered on deploy");
            HttpResponse<String> hello = r.client.send(HttpRequest.newBuilder(URI.create(r.base + "/shop/hello?name=Ada")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, hello.statusCode());
            assertEquals(1, count(shop, "Requests"));
            java.nio.file.Files.delete(webapps.resolve("shop.war"));
            assertTrue(Running.eventually(() -> !MBS.isRegistered(shop)), "unregistered on undeploy");
        }
    }
}
