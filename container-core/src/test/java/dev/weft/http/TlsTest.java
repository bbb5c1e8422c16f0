package dev.weft.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** HTTPS in the core, Go's ServeTLS: certificates made at test time, real TLS connections. */
class TlsTest {
    static TestCerts.Issued ca;
    static TestCerts.Issued localhost;
    static SSLContext client;
    @TempDir
    static Path dir;

    @BeforeAll
    static void certs() throws Exception {
        ca = TestCerts.ca("Weft Test CA");
        localhost = TestCerts.leaf(ca, "EC", "localhost", "localhost", "ip:127.0.0.1");
        client = TestCerts.clientContext(ca, null);
    }

    static Handler describe = (w, r) -> w.write(r.isSecure() + " " + r.tlsSession().getProtocol() + " "
            + r.tlsSession().getCipherSuite() + " " + r.tlsApplicationProtocol());

    record Running(Server server, int port) implements AutoCloseable {
        @Override
        public void close() {
            server.close();
        }
    }

    static Running start(Handler h, TlsConfig tls, java.util.function.Consumer<Server.Builder> config) throws IOException {
        Server.Builder b = Server.builder().handler(h).readHeaderTimeout(Duration.ofSeconds(5));
        config.accept(b);
        Server s = b.build();
        Listener l = Listener.tls(Listener.tcp(new InetSocketAddress("127.0.0.1", 0)), tls);
        s.startServing(l);
        return new Running(s, l.address().getPort());
    }

    static String get(SSLContext ctx, int port, String path) throws Exception {
        HttpClient c = HttpClient.newBuilder().sslContext(ctx).version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<String> r = c.send(HttpRequest.newBuilder(URI.create("https://localhost:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        return r.statusCode() + " " + r.body();
    }

    @Test
    void servesHttpsFromPemFilesWithModernDefaults() throws Exception {
        Path cert = dir.resolve("ec.pem");
        Path key = dir.resolve("ec-key.pem");
        TestCerts.writePem(cert, key, localhost, ca, true);
        try (Running s = start(describe, TlsConfig.pem(cert, key), b -> { })) {
            String body = get(client, s.port(), "/");
            assertTrue(body.startsWith("200 true TLSv1.3 TLS_AES_"), body);
            assertTrue(body.endsWith(" null"), body + ": this client offers no ALPN");
        }
    }

    @ParameterizedTest(name = "{0} key in {1} form")
    @CsvSource({"RSA, PKCS#8", "RSA, PKCS#1", "EC, PKCS#8", "EC, SEC1"})
    void readsTheKeyFormsGoReads(String alg, String form) throws Exception {
        TestCerts.Issued leaf = TestCerts.leaf(ca, alg, "localhost", "localhost");
        Path cert = dir.resolve(alg + form.replace('#', '_') + ".pem");
        Path key = dir.resolve(alg + form.replace('#', '_') + "-key.pem");
        TestCerts.writePem(cert, key, leaf, ca, form.equals("PKCS#8"));
        try (Running s = start(describe, TlsConfig.pem(cert, key), b -> { })) {
            assertTrue(get(client, s.port(), "/").startsWith("200 true"));
        }
    }

    @Test
    void servesFromAPkcs12KeyStore() throws Exception {
        Path p12 = dir.resolve("server.p12");
        TestCerts.writePkcs12(p12, "secret".toCharArray(), localhost, ca);
        try (Running s = start(describe, TlsConfig.pkcs12(p12, "secret".toCharArray()), b -> { })) {
            assertTrue(get(client, s.port(), "/").startsWith("200 true"));
        }
    }

    /** Opens a TLS connection asking for {@code sni} and ALPN {@code alpn}; returns the socket after the handshake. */
    static SSLSocket connect(int port, String sni, String... alpn) throws Exception {
        // A fresh client context each time: the JDK client would otherwise resume the previous
        // session for this host and port, whatever name it asks for.
        SSLSocket s = (SSLSocket) TestCerts.clientContext(ca, null).getSocketFactory().createSocket("127.0.0.1", port);
        SSLParameters p = s.getSSLParameters();
        if (sni != null) {
            p.setServerNames(List.of(new SNIHostName(sni)));
        }
        if (alpn.length > 0) {
            p.setApplicationProtocols(alpn);
        }
        s.setSSLParameters(p);
        s.setSoTimeout(5000);
        s.startHandshake();
        return s;
    }

    static String peerCn(SSLSocket s) throws Exception {
        X509Certificate c = (X509Certificate) s.getSession().getPeerCertificates()[0];
        return c.getSubjectX500Principal().getName();
    }

    @Test
    void sniPicksTheCertificateForTheNameAsked() throws Exception {
        TestCerts.Issued a = TestCerts.leaf(ca, "EC", "a.test", "a.test");
        TestCerts.Issued b = TestCerts.leaf(ca, "RSA", "b.test", "b.test", "*.wild.test");
        TestCerts.writePem(dir.resolve("a.pem"), dir.resolve("a-key.pem"), a, ca, true);
        TestCerts.writePem(dir.resolve("b.pem"), dir.resolve("b-key.pem"), b, ca, false);
        TlsConfig tls = TlsConfig.pem(dir.resolve("a.pem"), dir.resolve("a-key.pem"))
                .addPem(dir.resolve("b.pem"), dir.resolve("b-key.pem"));
        try (Running s = start(describe, tls, c -> { })) {
            try (SSLSocket x = connect(s.port(), "b.test")) {
                assertEquals("CN=b.test", peerCn(x));
            }
            try (SSLSocket x = connect(s.port(), "a.test")) {
                assertEquals("CN=a.test", peerCn(x));
            }
            try (SSLSocket x = connect(s.port(), "x.wild.test")) {
                assertEquals("CN=b.test", peerCn(x));
            }
            try (SSLSocket x = connect(s.port(), "unknown.test")) {
                assertEquals("CN=a.test", peerCn(x), "an unknown name gets the first certificate");
            }
        }
    }

    @Test
    void alpnIsNegotiatedAndReported() throws Exception {
        Path cert = dir.resolve("alpn.pem");
        Path key = dir.resolve("alpn-key.pem");
        TestCerts.writePem(cert, key, localhost, ca, true);
        try (Running s = start((w, r) -> w.write("alpn=" + r.tlsApplicationProtocol()), TlsConfig.pem(cert, key), b -> { });
                SSLSocket x = connect(s.port(), "localhost", "h2", "http/1.1")) {
            assertEquals("http/1.1", x.getApplicationProtocol());
            x.getOutputStream().write("GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".getBytes());
            String resp = new String(x.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertTrue(resp.endsWith("alpn=http/1.1"), resp);
        }
    }

    @Test
    void anotherProtocolTakesOverWhenAlpnSelectsIt() throws Exception {
        Path cert = dir.resolve("next.pem");
        Path key = dir.resolve("next-key.pem");
        TestCerts.writePem(cert, key, localhost, ca, true);
        TlsConfig tls = TlsConfig.pem(cert, key).applicationProtocols("x-shout", "http/1.1");
        try (Running s = start((w, r) -> w.write("http"), tls, b -> b.nextProtocol("x-shout", (server, conn, h) -> {
            // A toy protocol: one line in, the same line in capitals out.
            InputStream in = conn.getInputStream();
            StringBuilder line = new StringBuilder();
            for (int c; (c = in.read()) >= 0 && c != '\n'; ) {
                line.append((char) c);
            }
            conn.getOutputStream().write((line.toString().toUpperCase() + "\n").getBytes());
            conn.close();
        })); SSLSocket x = connect(s.port(), "localhost", "x-shout")) {
            assertEquals("x-shout", x.getApplicationProtocol());
            x.getOutputStream().write("hello\n".getBytes());
            assertEquals("HELLO\n", new String(x.getInputStream().readAllBytes()));
            assertEquals(0, s.server().connectionCount(), "the connection is no longer the server's");
        }
    }

    @Test
    void plainHttpOnTheTlsPortGetsGos400() throws Exception {
        Path cert = dir.resolve("plain.pem");
        Path key = dir.resolve("plain-key.pem");
        TestCerts.writePem(cert, key, localhost, ca, true);
        try (Running s = start(describe, TlsConfig.pem(cert, key), b -> { }); RawClient c = new RawClient(s.port())) {
            c.send("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
            assertEquals("HTTP/1.0 400 Bad Request\r\n\r\nClient sent an HTTP request to an HTTPS server.\n", c.readAll());
        }
    }

    @Test
    void handshakeTimeoutClosesASilentClient() throws Exception {
        Path cert = dir.resolve("slow.pem");
        Path key = dir.resolve("slow-key.pem");
        TestCerts.writePem(cert, key, localhost, ca, true);
        try (Running s = start(describe, TlsConfig.pem(cert, key), b -> b.tlsHandshakeTimeout(Duration.ofMillis(300)));
                RawClient c = new RawClient(s.port())) {
            long t0 = System.nanoTime();
            assertTrue(c.closedByServer());
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertTrue(ms >= 250 && ms < 3000, "closed after " + ms + " ms");
        }
    }

    @Test
    void handshakeTimeoutDefaultsToTheReadHeaderTimeout() {
        Server s = Server.builder().handler((w, r) -> { }).readHeaderTimeout(Duration.ofSeconds(7)).build();
        assertEquals(Duration.ofSeconds(7).toNanos(), s.tlsHandshakeTimeoutNanos);
        Server t = Server.builder().handler((w, r) -> { }).readHeaderTimeout(Duration.ZERO).readTimeout(Duration.ofSeconds(9)).build();
        assertEquals(Duration.ofSeconds(9).toNanos(), t.tlsHandshakeTimeoutNanos);
    }

    @Test
    void oldProtocolsAndWeakSuitesAreRefused() throws Exception {
        Path cert = dir.resolve("weak.pem");
        Path key = dir.resolve("weak-key.pem");
        TestCerts.writePem(cert, key, TestCerts.leaf(ca, "RSA", "localhost", "localhost"), ca, true);
        try (Running s = start(describe, TlsConfig.pem(cert, key), b -> { })) {
            for (String[] attempt : new String[][] {
                {"TLSv1.1", null},
                {"TLSv1.2", "TLS_RSA_WITH_AES_128_CBC_SHA"},
                {"TLSv1.2", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256"}}) {
                SSLSocket x = (SSLSocket) client.getSocketFactory().createSocket("127.0.0.1", s.port());
                x.setSoTimeout(5000);
                x.setEnabledProtocols(new String[] {attempt[0]});
                if (attempt[1] != null) {
                    x.setEnabledCipherSuites(new String[] {attempt[1]});
                }
                assertThrows(IOException.class, x::startHandshake, String.join(" ", attempt[0], String.valueOf(attempt[1])));
                x.close();
            }
            try (SSLSocket ok = (SSLSocket) client.getSocketFactory().createSocket("127.0.0.1", s.port())) {
                ok.setEnabledProtocols(new String[] {"TLSv1.2"});
                ok.startHandshake();
                String suite = ok.getSession().getCipherSuite();
                assertTrue(suite.startsWith("TLS_ECDHE_") && (suite.contains("GCM") || suite.contains("CHACHA20")), suite);
            }
        }
    }

    @Test
    void certificatesReloadWithoutARestart() throws Exception {
        Path cert = dir.resolve("reload.pem");
        Path key = dir.resolve("reload-key.pem");
        TestCerts.writePem(cert, key, TestCerts.leaf(ca, "EC", "first", "localhost"), ca, true);
        TlsConfig tls = TlsConfig.pem(cert, key);
        try (Running s = start(describe, tls, b -> { })) {
            try (SSLSocket x = connect(s.port(), "localhost")) {
                assertEquals("CN=first", peerCn(x));
            }
            TestCerts.writePem(cert, key, TestCerts.leaf(ca, "EC", "second", "localhost"), ca, true);
            tls.reload();
            try (SSLSocket x = connect(s.port(), "localhost")) {
                assertEquals("CN=second", peerCn(x));
            }
        }
    }

    @Test
    void changedFilesAreReloadedByThemselvesAndBrokenOnesKeepTheOldCertificate() throws Exception {
        Path cert = dir.resolve("auto.pem");
        Path key = dir.resolve("auto-key.pem");
        TestCerts.writePem(cert, key, TestCerts.leaf(ca, "EC", "first", "localhost"), ca, true);
        TlsConfig tls = TlsConfig.pem(cert, key);
        try (Running s = start(describe, tls, b -> { })) {
            try (SSLSocket x = connect(s.port(), "localhost")) {
                assertEquals("CN=first", peerCn(x));
            }
            TestCerts.writePem(cert, key, TestCerts.leaf(ca, "EC", "second", "localhost"), ca, true);
            touchLater(cert, key);
            Thread.sleep(1100); // files are looked at no more than once a second
            try (SSLSocket x = connect(s.port(), "localhost")) {
                assertEquals("CN=second", peerCn(x), "no reload() call: the handshake noticed the new files");
            }
            Files.writeString(key, "-----BEGIN PRIVATE KEY-----\nbroken\n-----END PRIVATE KEY-----\n");
            touchLater(cert, key);
            Thread.sleep(1100);
            try (SSLSocket x = connect(s.port(), "localhost")) {
                assertEquals("CN=second", peerCn(x), "a key that does not load leaves the last good one in use");
            }
        }
    }

    /** Modification times a few seconds on, so a change is seen even on coarse-grained file systems. */
    private static void touchLater(Path... files) throws Exception {
        FileTime t = FileTime.fromMillis(System.currentTimeMillis() + 5000);
        for (Path f : files) {
            Files.setLastModifiedTime(f, t);
        }
    }

    @Test
    void httpAndHttpsSideBySideOnOneServer() throws Exception {
        Path cert = dir.resolve("both.pem");
        Path key = dir.resolve("both-key.pem");
        TestCerts.writePem(cert, key, localhost, ca, true);
        Server server = Server.builder().handler((w, r) -> w.write("secure=" + r.isSecure())).build();
        Listener plain = Listener.tcp(new InetSocketAddress("127.0.0.1", 0));
        Listener tls = Listener.tls(Listener.tcp(new InetSocketAddress("127.0.0.1", 0)), TlsConfig.pem(cert, key));
        server.startServing(plain);
        server.startServing(tls);
        try {
            assertEquals("200 secure=true", get(client, tls.address().getPort(), "/"));
            try (RawClient c = new RawClient(plain.address().getPort())) {
                c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
                assertEquals("secure=false", c.read().text());
            }
        } finally {
            server.close();
        }
    }

    @Test
    void clientCertificatesReachTheHandler() throws Exception {
        Path cert = dir.resolve("mtls.pem");
        Path key = dir.resolve("mtls-key.pem");
        TestCerts.writePem(cert, key, localhost, ca, true);
        TestCerts.Issued user = TestCerts.clientLeaf(ca, "alice");
        TlsConfig tls = TlsConfig.pem(cert, key).clientAuth(TlsConfig.ClientAuth.NEED, List.of(ca.cert()));
        try (Running s = start((w, r) -> w.write(((X509Certificate) r.tlsSession().getPeerCertificates()[0])
                .getSubjectX500Principal().getName()), tls, b -> { })) {
            assertEquals("200 CN=alice", get(TestCerts.clientContext(ca, user), s.port(), "/"));
            assertThrows(IOException.class, () -> get(client, s.port(), "/"));
        }
    }

    @Test
    void handshakesPerSecondOnLoopback() throws Exception {
        // A figure for the record, not an assertion: full handshakes, no session resumption.
        Path cert = dir.resolve("rate.pem");
        Path key = dir.resolve("rate-key.pem");
        TestCerts.writePem(cert, key, localhost, ca, true);
        try (Running s = start((w, r) -> w.write("ok"), TlsConfig.pem(cert, key), b -> { })) {
            int n = 300;
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                SSLContext fresh = TestCerts.clientContext(ca, null); // no resumption across iterations
                try (SSLSocket x = (SSLSocket) fresh.getSocketFactory().createSocket("127.0.0.1", s.port())) {
                    x.startHandshake();
                }
            }
            double perSecond = n / ((System.nanoTime() - t0) / 1e9);
            System.out.printf("tls: %d full TLS 1.3 handshakes (ECDSA P-256) at %.0f per second, client and server in one JVM%n",
                    n, perSecond);
            assertTrue(perSecond > 1);
        }
    }

}
