package dev.weft.http;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaMiscPEMGenerator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Certificates made at test time: a CA and leaf certificates it signs, written as PEM (in the key
 * formats Go reads) or PKCS#12. No private key is ever committed.
 */
public final class TestCerts {
    private TestCerts() {}

    private static final SecureRandom RANDOM = new SecureRandom();

    public record Issued(X509Certificate cert, KeyPair keys) {}

    public static KeyPair keys(String alg) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance(alg);
        if (alg.equals("EC")) {
            g.initialize(new ECGenParameterSpec("secp256r1"));
        } else {
            g.initialize(2048);
        }
        return g.generateKeyPair();
    }

    public static Issued ca(String cn) throws Exception {
        KeyPair kp = keys("EC");
        X500Name name = new X500Name("CN=" + cn);
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(RANDOM.nextLong() & Long.MAX_VALUE),
                Date.from(Instant.now().minus(Duration.ofHours(1))), Date.from(Instant.now().plus(Duration.ofDays(2))),
                name, kp.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        return new Issued(sign(b, kp, "SHA256withECDSA"), kp);
    }

    /** A leaf certificate for {@code names} (DNS names; IP addresses as "ip:1.2.3.4"). */
    public static Issued leaf(Issued ca, String alg, String cn, String... names) throws Exception {
        KeyPair kp = keys(alg);
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(ca.cert(),
                BigInteger.valueOf(RANDOM.nextLong() & Long.MAX_VALUE),
                Date.from(Instant.now().minus(Duration.ofHours(1))), Date.from(Instant.now().plus(Duration.ofDays(2))),
                new X500Name("CN=" + cn), kp.getPublic());
        GeneralName[] sans = new GeneralName[names.length];
        for (int i = 0; i < names.length; i++) {
            sans[i] = names[i].startsWith("ip:") ? new GeneralName(GeneralName.iPAddress, names[i].substring(3))
                    : new GeneralName(GeneralName.dNSName, names[i]);
        }
        b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans));
        return new Issued(sign(b, ca.keys(), "SHA256withECDSA"), kp);
    }

    public static Issued clientLeaf(Issued ca, String cn) throws Exception {
        KeyPair kp = keys("EC");
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(ca.cert(),
                BigInteger.valueOf(RANDOM.nextLong() & Long.MAX_VALUE),
                Date.from(Instant.now().minus(Duration.ofHours(1))), Date.from(Instant.now().plus(Duration.ofDays(2))),
                new X500Name("CN=" + cn), kp.getPublic());
        return new Issued(sign(b, ca.keys(), "SHA256withECDSA"), kp);
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, KeyPair signer, String alg) throws Exception {
        ContentSigner s = new JcaContentSignerBuilder(alg).build(signer.getPrivate());
        return new JcaX509CertificateConverter().getCertificate(b.build(s));
    }

    /** Writes the chain (leaf first) to {@code cert} and the key to {@code key}; {@code pkcs8} picks the key form. */
    public static void writePem(Path cert, Path key, Issued leaf, Issued ca, boolean pkcs8) throws IOException {
        Files.writeString(cert, pem(leaf.cert()) + pem(ca.cert()));
        if (pkcs8) {
            Files.writeString(key, "-----BEGIN PRIVATE KEY-----\n"
                    + java.util.Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(leaf.keys().getPrivate().getEncoded())
                    + "\n-----END PRIVATE KEY-----\n");
        } else {
            // The traditional forms: "RSA PRIVATE KEY" (PKCS#1) or "EC PRIVATE KEY" (SEC1), as openssl writes them.
            Files.writeString(key, pem(leaf.keys().getPrivate()));
        }
    }

    public static String pem(Object o) throws IOException {
        StringWriter w = new StringWriter();
        try (JcaPEMWriter p = new JcaPEMWriter(w)) {
            p.writeObject(new JcaMiscPEMGenerator(o));
        }
        return w.toString();
    }

    public static void writePkcs12(Path file, char[] password, Issued leaf, Issued ca) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("server", leaf.keys().getPrivate(), password, new X509Certificate[] {leaf.cert(), ca.cert()});
        try (var out = Files.newOutputStream(file)) {
            ks.store(out, password);
        }
    }

    /** A client context trusting {@code ca}, optionally presenting a client certificate. */
    public static SSLContext clientContext(Issued ca, Issued clientCert) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", ca.cert());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        javax.net.ssl.KeyManager[] kms = null;
        if (clientCert != null) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("client", clientCert.keys().getPrivate(), "pw".toCharArray(),
                    new X509Certificate[] {clientCert.cert(), ca.cert()});
            var kmf = javax.net.ssl.KeyManagerFactory.getInstance(javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, "pw".toCharArray());
            kms = kmf.getKeyManagers();
        }
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kms, tmf.getTrustManagers(), null);
        return ctx;
    }
}
