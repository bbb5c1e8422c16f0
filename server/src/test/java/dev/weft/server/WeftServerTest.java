package dev.weft.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.http.TestCerts;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Starting from settings: HTTPS, and the failures that stop a start with a clear reason. */
class WeftServerTest {
    @TempDir
    Path dir;

    @Test
    void servesHttpsFromPemFiles() throws Exception {
        TestCerts.Issued ca = TestCerts.ca("Weft test CA");
        TestCerts.Issued leaf = TestCerts.leaf(ca, "EC", "localhost", "localhost", "ip:127.0.0.1");
        TestCerts.writePem(dir.resolve("cert.pem"), dir.resolve("key.pem"), leaf, ca, true);
        try (Running r = Running.start(dir, "--tls-port", "0", "--tls-cert", "cert.pem", "--tls-key", "key.pem")) {
            r.server.awaitJmx();
            int tlsPort = r.server.addresses().get(1).getPort();
            HttpClient https = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .sslContext(TestCerts.clientContext(ca, null)).build();
            HttpResponse<String> hello = https.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + tlsPort + "/hello"))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, hello.statusCode());
            assertEquals("Hello, World!", hello.body());
            assertEquals("https://127.0.0.1:" + tlsPort, r.server.baseHttpsUrl());
            String[] listeners = (String[]) ManagementFactory.getPlatformMBeanServer().getAttribute(Jmx.serverName(), "Listeners");
            assertEquals(r.base + "/", listeners[0]);
            assertEquals("https://127.0.0.1:" + tlsPort + "/", listeners[1]);
        }
    }

    @Test
    void aCertificateThatDoesNotLoadNamesItsKeys() throws Exception {
        Files.writeString(dir.resolve("cert.pem"), "not a certificate");
        Files.writeString(dir.resolve("key.pem"), "not a key");
        ConfigException e = assertThrows(ConfigException.class,
                () -> Running.start(dir, "--tls-port", "0", "--tls-cert", "cert.pem", "--tls-key", "key.pem"));
        assertTrue(e.getMessage().startsWith("tls.cert " + dir.resolve("cert.pem") + " / tls.key " + dir.resolve("key.pem")
                + ": cannot load: "), e.getMessage());
    }

    @Test
    void aPortInUseStopsTheStart() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            StartupException e = assertThrows(StartupException.class,
                    () -> Running.start(dir, "--port", Integer.toString(taken.getLocalPort())));
            assertTrue(e.getMessage().startsWith("cannot listen on 127.0.0.1:" + taken.getLocalPort() + ": "), e.getMessage());
        }
        // Nothing was left registered by the start that failed.
        assertTrue(!ManagementFactory.getPlatformMBeanServer().isRegistered(Jmx.serverName()));
    }

    @Test
    void nothingDeployableStopsTheStart() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("app/WEB-INF"));
        Files.writeString(empty.resolve("web.xml"), "<web-app><servlet>");
        StartupException e = assertThrows(StartupException.class, () -> Running.start(dir, dir.resolve("app").toString()));
        assertEquals("no application could be deployed (1 failed); stopping", e.getMessage());
    }

    @Test
    void sessionSettingsReachTheApplications() throws Exception {
        try (Running r = Running.start(dir, "--session-cookie-name", "WEFTSESSION", "--session-cookie-secure",
                "--session-timeout", "5m", "--no-jmx")) {
            HttpResponse<String> counter = r.get("/demo/counter");
            String cookie = counter.headers().firstValue("Set-Cookie").orElseThrow();
            assertTrue(cookie.startsWith("WEFTSESSION="), cookie);
            assertTrue(cookie.contains("Secure"), cookie);
            var demo = r.server.servlets().apps().stream().filter(a -> a.getContextPath().equals("/demo")).findFirst().orElseThrow();
            assertEquals(5, demo.getSessionTimeout());
        }
    }
}
