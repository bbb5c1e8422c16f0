package dev.weft.servlet;

import static dev.weft.servlet.SecurityKit.fastHash;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.weft.http.TestCerts;
import dev.weft.http.TlsConfig;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.math.BigInteger;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CLIENT-CERT authentication over a real TLS listener that asks for (WANT) client certificates. */
class ClientCertTest {
    @TempDir
    static Path dir;

    static Deployed d;
    static SecurityKit.Pki pki;
    static int tlsPort;

    @BeforeAll
    static void deploy() throws Exception {
        pki = SecurityKit.Pki.create(dir);
        WebApp app = new WebApp("/cc");
        app.setRealm(new UserRealm()
                .addUserWithHash("alice", fastHash("alice-pw"), "user")
                .addUserWithHash("bob", fastHash("bob-pw"), "other"));
        app.setLoginConfig(LoginConfig.clientCert());
        app.declareRoles("user");
        app.addServlet("who", new SecurityKit.Fn((req, res) -> {
            res.setContentType("text/plain;charset=UTF-8");
            res.getWriter().print(SecurityKit.describe(req) + " cert=" + SecurityKit.certificates(req) + " user-role="
                    + req.isUserInRole("user"));
        })).addMapping("/");
        app.addServlet("login", new SecurityKit.Fn((req, res) -> {
            res.setContentType("text/plain;charset=UTF-8");
            try {
                req.login(req.getParameter("u"), req.getParameter("p"));
                res.getWriter().print("login=ok " + SecurityKit.describe(req));
            } catch (jakarta.servlet.ServletException e) {
                res.getWriter().print("login=ServletException " + SecurityKit.describe(req));
            }
        })).addMapping("/login");
        app.addSecurityConstraint(SecurityConstraint.roles(List.of("/secure/*"), "user"));
        d = Deployed.start(app);
        tlsPort = SecurityKit.addTlsListener(d, pki.tls().clientAuth(TlsConfig.ClientAuth.WANT, List.of(pki.ca().cert())));
    }

    @AfterAll
    static void undeploy() throws IOException {
        d.close();
    }

    static HttpResponse<String> get(SSLContext client, String path) throws Exception {
        return SecurityKit.https(client, "https://127.0.0.1:" + tlsPort + path, "GET", null);
    }

    @Test
    void aCertificateForAUserOfTheRealmAuthenticates() throws Exception {
        TestCerts.Issued alice = TestCerts.clientLeaf(pki.ca(), "alice");
        HttpResponse<String> r = get(pki.client(alice), "/cc/secure/x");
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("GET /cc/secure/x user=alice type=" + HttpServletRequest.CLIENT_CERT_AUTH
                + " secure=true cert=2:CN=alice user-role=true", r.body());
    }

    @Test
    void theCertificateIsARequestAttributeEvenWhereNothingIsConstrained() throws Exception {
        TestCerts.Issued alice = TestCerts.clientLeaf(pki.ca(), "alice");
        HttpResponse<String> r = get(pki.client(alice), "/cc/open");
        assertEquals(200, r.statusCode());
        assertEquals("GET /cc/open user=null type=null secure=true cert=2:CN=alice user-role=false", r.body());
        r = get(pki.client(null), "/cc/open");
        assertEquals("GET /cc/open user=null type=null secure=true cert=none user-role=false", r.body());
    }

    @Test
    void noCertificateIs401() throws Exception {
        HttpResponse<String> r = get(pki.client(null), "/cc/secure/x");
        assertEquals(401, r.statusCode());
        // Nor over plain HTTP, where there can be none.
        assertEquals(401, d.get("/cc/secure/x").status());
    }

    @Test
    void aCertificateForAnUnknownUserIs403() throws Exception {
        TestCerts.Issued mallory = TestCerts.clientLeaf(pki.ca(), "mallory");
        assertEquals(403, get(pki.client(mallory), "/cc/secure/x").statusCode());
    }

    @Test
    void aKnownUserWithoutTheRoleIs403() throws Exception {
        TestCerts.Issued bob = TestCerts.clientLeaf(pki.ca(), "bob");
        HttpResponse<String> r = get(pki.client(bob), "/cc/secure/x");
        assertEquals(403, r.statusCode());
    }

    @Test
    void aCertificateFromAnotherCaIsNotAccepted() throws Exception {
        TestCerts.Issued otherCa = TestCerts.ca("Some Other CA");
        TestCerts.Issued alice = TestCerts.clientLeaf(otherCa, "alice");
        SSLContext client = foreignClient(otherCa, alice); // trusts the server, presents a foreign cert
        try {
            HttpResponse<String> r = get(client, "/cc/secure/x");
            assertEquals(401, r.statusCode(), "if the handshake goes through, the certificate must not count: " + r.body());
        } catch (IOException expected) {
            // The handshake refused the certificate: also fine.
        }
    }

    /** A client context trusting the server's CA and presenting {@code cert} with its own CA's chain. */
    static SSLContext foreignClient(TestCerts.Issued certCa, TestCerts.Issued cert) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", pki.ca().cert());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("client", cert.keys().getPrivate(), "pw".toCharArray(),
                new X509Certificate[] {cert.cert(), certCa.cert()});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "pw".toCharArray());
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return ctx;
    }

    /** A certificate with this exact subject, issued by the test CA. */
    static TestCerts.Issued withSubject(TestCerts.Issued ca, X500Name subject) throws Exception {
        KeyPair kp = TestCerts.keys("EC");
        var b = new JcaX509v3CertificateBuilder(ca.cert(), BigInteger.valueOf(System.nanoTime()),
                Date.from(Instant.now().minus(Duration.ofHours(1))), Date.from(Instant.now().plus(Duration.ofDays(1))),
                subject, kp.getPublic());
        X509Certificate c = new JcaX509CertificateConverter()
                .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(ca.keys().getPrivate())));
        return new TestCerts.Issued(c, kp);
    }

    @Test
    void theUserIsTheSubjectsCommonName() throws Exception {
        TestCerts.Issued alice = withSubject(pki.ca(), new X500Name("CN=alice,OU=People,O=Example,C=FR"));
        HttpResponse<String> r = get(pki.client(alice), "/cc/secure/x");
        assertEquals(200, r.statusCode());
        assertEquals("GET /cc/secure/x user=alice type=CLIENT_CERT secure=true cert=2:C=FR,O=Example,OU=People,CN=alice"
                + " user-role=true", r.body());
    }

    /**
     * A subject with no CN whose OU value holds ",CN=alice": whatever way the subject is read, that
     * is not a common name, and must not authenticate as alice.
     */
    @Test
    void aCommonNameInsideAnotherAttributesValueDoesNotCount() throws Exception {
        TestCerts.Issued forged = withSubject(pki.ca(), new X500Name("OU=x\\,CN=alice"));
        assertEquals(403, get(pki.client(forged), "/cc/secure/x").statusCode());
    }

    /** The user is the CN attribute's value, not its RFC 2253 escaped form. */
    @Test
    void aCommonNameWithSpecialCharactersIsThatWholeName() throws Exception {
        UserRealm realm = new UserRealm();
        for (String name : List.of("alice,x", "a=b", "x+y", "Smith; John")) {
            realm.addUserWithHash(name, fastHash("pw"), "user");
        }
        for (String name : List.of("alice,x", "a=b", "x+y", "Smith; John")) {
            X500Name subject = new X500Name(new org.bouncycastle.asn1.x500.RDN[] {new org.bouncycastle.asn1.x500.RDN(
                    org.bouncycastle.asn1.x500.style.BCStyle.CN, new org.bouncycastle.asn1.DERUTF8String(name))});
            TestCerts.Issued c = withSubject(pki.ca(), subject);
            var p = realm.authenticate(new X509Certificate[] {c.cert()});
            assertEquals(name, p == null ? null : p.getName(), c.cert().getSubjectX500Principal().getName());
        }
    }

    /** getAuthType: one of the static members (CLIENT_CERT_AUTH is "CLIENT_CERT"), as Tomcat's login() gives. */
    @Test
    void loginInAClientCertApplicationReportsClientCertAuth() throws Exception {
        HttpResponse<String> r = get(pki.client(null), "/cc/login?u=alice&p=alice-pw");
        assertEquals("login=ok GET /cc/login user=alice type=CLIENT_CERT secure=true", r.body());
    }

    @Test
    void needModeRefusesClientsWithoutACertificate() throws Exception {
        WebApp app = new WebApp("/need");
        app.setRealm(new UserRealm().addUserWithHash("alice", fastHash("x"), "user"));
        app.setLoginConfig(LoginConfig.clientCert());
        app.addServlet("who", new SecurityKit.Fn((req, res) -> res.getWriter().print(req.getRemoteUser() + " "
                + req.getAuthType()))).addMapping("/");
        app.addSecurityConstraint(SecurityConstraint.roles(List.of("/*"), "**"));
        try (Deployed n = Deployed.start(app)) {
            int port = SecurityKit.addTlsListener(n, pki.tls().clientAuth(TlsConfig.ClientAuth.NEED,
                    List.of(pki.ca().cert())));
            String url = "https://127.0.0.1:" + port + "/need/x";
            assertThrows(IOException.class, () -> SecurityKit.https(pki.client(null), url, "GET", null));
            HttpResponse<String> r = SecurityKit.https(pki.client(TestCerts.clientLeaf(pki.ca(), "alice")), url, "GET", null);
            assertEquals(200, r.statusCode());
            assertEquals("alice CLIENT_CERT", r.body());
        }
    }
}
