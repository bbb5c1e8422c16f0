package dev.weft.http;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * PEM files as Go's {@code tls.LoadX509KeyPair} reads them: a certificate chain, and a private key
 * in PKCS#8 ({@code PRIVATE KEY}), PKCS#1 ({@code RSA PRIVATE KEY}) or SEC1 ({@code EC PRIVATE KEY})
 * form. The JDK reads only PKCS#8, so the other two are wrapped into it.
 */
final class Pem {
    private Pem() {}

    private static final byte[] RSA_OID = {0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01};
    private static final byte[] EC_OID = {0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01};

    record Block(String type, byte[] der) {}

    static List<Block> blocks(String text) {
        List<Block> out = new ArrayList<>();
        int i = 0;
        while (true) {
            int begin = text.indexOf("-----BEGIN ", i);
            if (begin < 0) {
                return out;
            }
            int typeEnd = text.indexOf("-----", begin + 11);
            if (typeEnd < 0) {
                return out;
            }
            String type = text.substring(begin + 11, typeEnd);
            String endMarker = "-----END " + type + "-----";
            int end = text.indexOf(endMarker, typeEnd);
            if (end < 0) {
                throw new IllegalArgumentException("PEM block " + type + " has no end line");
            }
            String body = text.substring(typeEnd + 5, end);
            if (body.contains(":")) {
                throw new IllegalArgumentException("encrypted PEM keys are not supported; decrypt the key first");
            }
            out.add(new Block(type, Base64.getMimeDecoder().decode(body.strip())));
            i = end + endMarker.length();
        }
    }

    static List<X509Certificate> certificates(Path file) throws IOException, GeneralSecurityException {
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        List<X509Certificate> chain = new ArrayList<>();
        for (Block b : blocks(Files.readString(file, StandardCharsets.US_ASCII))) {
            if (b.type().equals("CERTIFICATE")) {
                chain.add((X509Certificate) cf.generateCertificate(new ByteArrayInputStream(b.der())));
            }
        }
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("no CERTIFICATE block in " + file);
        }
        return chain;
    }

    static PrivateKey privateKey(Path file) throws IOException, GeneralSecurityException {
        byte[] ecParameters = null; // an "EC PARAMETERS" block, as openssl ecparam writes before the key
        for (Block b : blocks(Files.readString(file, StandardCharsets.US_ASCII))) {
            switch (b.type()) {
                case "PRIVATE KEY" -> {
                    return pkcs8(b.der());
                }
                case "RSA PRIVATE KEY" -> {
                    return KeyFactory.getInstance("RSA").generatePrivate(
                            new PKCS8EncodedKeySpec(wrapPkcs8(sequence(oid(RSA_OID), new byte[] {0x05, 0x00}), b.der())));
                }
                case "EC PARAMETERS" -> ecParameters = b.der();
                case "EC PRIVATE KEY" -> {
                    byte[] curve = sec1Curve(b.der(), ecParameters);
                    return KeyFactory.getInstance("EC").generatePrivate(
                            new PKCS8EncodedKeySpec(wrapPkcs8(sequence(oid(EC_OID), curve), b.der())));
                }
                default -> { }
            }
        }
        throw new IllegalArgumentException("no private key block in " + file);
    }

    private static PrivateKey pkcs8(byte[] der) throws GeneralSecurityException {
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        for (String alg : new String[] {"RSA", "EC", "Ed25519", "RSASSA-PSS"}) {
            try {
                return KeyFactory.getInstance(alg).generatePrivate(spec);
            } catch (GeneralSecurityException ignored) {
                // try the next algorithm
            }
        }
        throw new GeneralSecurityException("unsupported private key algorithm");
    }

    /** PrivateKeyInfo ::= SEQUENCE { version 0, algorithm, OCTET STRING key } */
    private static byte[] wrapPkcs8(byte[] algorithm, byte[] key) {
        return sequence(new byte[] {0x02, 0x01, 0x00}, algorithm, tlv(0x04, key));
    }

    /**
     * The named-curve OID (with its tag) from SEC1's ECPrivateKey [0] parameters, else from a
     * separate EC PARAMETERS block, else from the key's length: 32, 48 and 66 bytes are P-256,
     * P-384 and P-521, the curves TLS uses.
     */
    private static byte[] sec1Curve(byte[] der, byte[] ecParameters) {
        Der d = new Der(der);
        d.enter(0x30);
        d.skip(); // version
        int keyLength = d.peekLength();
        d.skip(); // privateKey
        while (d.more()) {
            int tag = d.peekTag();
            if (tag == 0xa0) {
                d.enter(0xa0);
                return d.raw();
            }
            d.skip();
        }
        if (ecParameters != null && ecParameters.length > 0 && (ecParameters[0] & 0xff) == 0x06) {
            return ecParameters;
        }
        return switch (keyLength) {
            case 32 -> oid(new byte[] {0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x03, 0x01, 0x07});
            case 48 -> oid(new byte[] {0x2b, (byte) 0x81, 0x04, 0x00, 0x22});
            case 66 -> oid(new byte[] {0x2b, (byte) 0x81, 0x04, 0x00, 0x23});
            default -> throw new IllegalArgumentException("EC PRIVATE KEY without its curve; convert it to PKCS#8");
        };
    }

    private static byte[] oid(byte[] value) {
        return tlv(0x06, value);
    }

    private static byte[] sequence(byte[]... parts) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            b.writeBytes(p);
        }
        return tlv(0x30, b.toByteArray());
    }

    private static byte[] tlv(int tag, byte[] value) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(tag);
        int n = value.length;
        if (n < 0x80) {
            b.write(n);
        } else if (n < 0x100) {
            b.write(0x81);
            b.write(n);
        } else if (n < 0x10000) {
            b.write(0x82);
            b.write(n >> 8);
            b.write(n);
        } else {
            b.write(0x83);
            b.write(n >> 16);
            b.write(n >> 8);
            b.write(n);
        }
        b.writeBytes(value);
        return b.toByteArray();
    }

    /** Just enough DER reading to find a curve. */
    private static final class Der {
        private final byte[] b;
        private int p;
        private int end;

        Der(byte[] b) {
            this.b = b;
            this.end = b.length;
        }

        boolean more() {
            return p < end;
        }

        int peekTag() {
            return b[p] & 0xff;
        }

        /** The length of the next element's value, without moving. */
        int peekLength() {
            int save = p;
            p++;
            int len = length();
            p = save;
            return len;
        }

        private int length() {
            int first = b[p++] & 0xff;
            if (first < 0x80) {
                return first;
            }
            int n = 0;
            for (int k = 0; k < (first & 0x7f); k++) {
                n = n << 8 | (b[p++] & 0xff);
            }
            return n;
        }

        void enter(int tag) {
            if ((b[p++] & 0xff) != tag) {
                throw new IllegalArgumentException("malformed key: unexpected DER tag");
            }
            int len = length();
            end = p + len;
        }

        void skip() {
            p++;
            int len = length();
            p += len;
        }

        /** The next element with its tag and length, as is. */
        byte[] raw() {
            int start = p;
            skip();
            byte[] out = new byte[p - start];
            System.arraycopy(b, start, out, 0, out.length);
            return out;
        }
    }
}
