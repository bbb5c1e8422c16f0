package dev.weft.http;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TLS for a listener, Go's {@code tls.Config} for a server: certificates from PEM files (as
 * {@code ListenAndServeTLS(certFile, keyFile)}) or PKCS#12 key stores, several of them chosen by
 * SNI, modern protocols and cipher suites only, ALPN, optional client certificates, and reloading
 * the certificates without a restart.
 *
 * <pre>
 * TlsConfig tls = TlsConfig.pem(Path.of("cert.pem"), Path.of("key.pem"))
 *         .addPem(Path.of("other.pem"), Path.of("other-key.pem"))   // picked by SNI
 *         .applicationProtocols("http/1.1");
 * server.startServing(Listener.tls(Listener.tcp(addr), tls));
 * </pre>
 */
public final class TlsConfig {
    private static final Logger LOG = LoggerFactory.getLogger(TlsConfig.class);
    /** Whether clients present certificates. */
    public enum ClientAuth { NONE, WANT, NEED }

    /** TLS 1.2 and 1.3 only: everything older is broken or deprecated (RFC 8996). */
    public static final List<String> DEFAULT_PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    private final List<Source> sources = new ArrayList<>();
    private List<String> protocols = DEFAULT_PROTOCOLS;
    private List<String> cipherSuites; // null: the modern subset of what the JDK supports
    private List<String> applicationProtocols = List.of("http/1.1");
    private ClientAuth clientAuth = ClientAuth.NONE;
    private List<X509Certificate> trustedClientCas = List.of();
    private volatile Snapshot snapshot;
    private volatile long lastCheckMillis;
    private volatile String reloadFailure;

    /** One certificate chain and key, and where they came from, for reloading. */
    private record Source(Path certOrStore, Path keyFile, char[] password) {}

    /** A loaded set of certificates. */
    private record Entry(String alias, List<X509Certificate> chain, PrivateKey key, List<String> names) {}

    private record Snapshot(List<Entry> entries, SSLContext context, List<FileTime> times) {}

    private TlsConfig() {}

    /** A certificate chain and its private key, from PEM files. */
    public static TlsConfig pem(Path certChainFile, Path keyFile) throws IOException {
        return new TlsConfig().addPem(certChainFile, keyFile);
    }

    /** Every key entry of a PKCS#12 key store. */
    public static TlsConfig pkcs12(Path keyStore, char[] password) throws IOException {
        return new TlsConfig().addPkcs12(keyStore, password);
    }

    /** Adds another certificate, served to clients that ask for one of its names by SNI. */
    public TlsConfig addPem(Path certChainFile, Path keyFile) throws IOException {
        sources.add(new Source(certChainFile, keyFile, null));
        load();
        return this;
    }

    public TlsConfig addPkcs12(Path keyStore, char[] password) throws IOException {
        sources.add(new Source(keyStore, null, password == null ? new char[0] : password.clone()));
        load();
        return this;
    }

    public TlsConfig protocols(String... protocols) {
        this.protocols = List.of(protocols);
        return this;
    }

    public TlsConfig cipherSuites(String... suites) {
        this.cipherSuites = List.of(suites);
        return this;
    }

    /** The ALPN protocols offered, in order of preference; {@code http/1.1} by default. */
    public TlsConfig applicationProtocols(String... protocols) {
        this.applicationProtocols = List.of(protocols);
        return this;
    }

    /** Asks (WANT) or requires (NEED) client certificates issued by {@code trustedCas}. */
    public TlsConfig clientAuth(ClientAuth mode, List<X509Certificate> trustedCas) {
        this.clientAuth = Objects.requireNonNull(mode);
        this.trustedClientCas = List.copyOf(trustedCas);
        try {
            load();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return this;
    }

    /** Trusted client CAs from a PEM file of certificates. */
    public TlsConfig clientAuth(ClientAuth mode, Path caPemFile) throws IOException {
        try {
            return clientAuth(mode, Pem.certificates(caPemFile));
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot read client CAs from " + caPemFile + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads the certificate and key files again. Connections already open keep what they
     * negotiated; new handshakes use the new certificates. Called by itself, at most once a
     * second, when a file's modification time changes.
     */
    public void reload() throws IOException {
        load();
    }

    private void load() throws IOException {
        List<Entry> entries = new ArrayList<>();
        List<FileTime> times = new ArrayList<>();
        int n = 0;
        for (Source s : sources) {
            try {
                times.add(Files.getLastModifiedTime(s.certOrStore()));
                if (s.keyFile() != null) {
                    times.add(Files.getLastModifiedTime(s.keyFile()));
                    List<X509Certificate> chain = Pem.certificates(s.certOrStore());
                    entries.add(new Entry("k" + n++, chain, Pem.privateKey(s.keyFile()), names(chain.get(0))));
                } else {
                    KeyStore ks = KeyStore.getInstance("PKCS12");
                    try (InputStream in = Files.newInputStream(s.certOrStore())) {
                        ks.load(in, s.password());
                    }
                    for (Enumeration<String> aliases = ks.aliases(); aliases.hasMoreElements(); ) {
                        String alias = aliases.nextElement();
                        if (!ks.isKeyEntry(alias)) {
                            continue;
                        }
                        List<X509Certificate> chain = new ArrayList<>();
                        for (var c : ks.getCertificateChain(alias)) {
                            chain.add((X509Certificate) c);
                        }
                        entries.add(new Entry("k" + n++, chain, (PrivateKey) ks.getKey(alias, s.password()),
                                names(chain.get(0))));
                    }
                }
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                throw new IOException("cannot load TLS certificate from " + s.certOrStore() + ": " + e.getMessage(), e);
            }
        }
        if (entries.isEmpty()) {
            throw new IOException("no certificate with a private key found");
        }
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            TrustManager[] tms = null;
            if (clientAuth != ClientAuth.NONE) {
                KeyStore trust = KeyStore.getInstance("PKCS12");
                trust.load(null, null);
                int i = 0;
                for (X509Certificate ca : trustedClientCas) {
                    trust.setCertificateEntry("ca" + i++, ca);
                }
                TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(trust);
                tms = tmf.getTrustManagers();
            }
            ctx.init(new KeyManager[] {new SniKeyManager(entries)}, tms, null);
            snapshot = new Snapshot(List.copyOf(entries), ctx, times);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    /** The DNS names (and IP addresses) a certificate is for: its SANs, else its CN. */
    private static List<String> names(X509Certificate cert) {
        List<String> out = new ArrayList<>();
        try {
            var sans = cert.getSubjectAlternativeNames();
            if (sans != null) {
                for (List<?> san : sans) {
                    Object type = san.get(0);
                    if (type instanceof Integer t && (t == 2 || t == 7)) {
                        out.add(String.valueOf(san.get(1)).toLowerCase(Locale.ROOT));
                    }
                }
            }
        } catch (GeneralSecurityException ignored) {
            // fall back to the CN
        }
        if (out.isEmpty()) {
            String dn = cert.getSubjectX500Principal().getName();
            for (String part : dn.split(",")) {
                if (part.strip().startsWith("CN=")) {
                    out.add(part.strip().substring(3).toLowerCase(Locale.ROOT));
                }
            }
        }
        return out;
    }

    /** Reloads if the files changed, checking at most once a second. */
    private Snapshot current() {
        long now = System.currentTimeMillis();
        Snapshot s = snapshot;
        if (now - lastCheckMillis > 1000) {
            lastCheckMillis = now;
            try {
                List<FileTime> times = new ArrayList<>();
                for (Source src : sources) {
                    times.add(Files.getLastModifiedTime(src.certOrStore()));
                    if (src.keyFile() != null) {
                        times.add(Files.getLastModifiedTime(src.keyFile()));
                    }
                }
                if (!times.equals(s.times())) {
                    load();
                    s = snapshot;
                }
                reloadFailure = null;
            } catch (IOException e) {
                // Keep serving the certificates we have; a half-written file is retried next time.
                // Said once per distinct failure, not once a second.
                String why = e.toString();
                if (!why.equals(reloadFailure)) {
                    reloadFailure = why;
                    LOG.warn("TLS certificates changed on disk but could not be loaded; still serving the previous ones: {}", why);
                }
            }
        }
        return s;
    }

    /** Wraps an accepted socket for the server side of TLS, with {@code consumed} bytes already read from it. */
    SSLSocket wrap(Socket plain, InputStream consumed) throws IOException {
        SSLSocketFactory f = current().context().getSocketFactory();
        SSLSocket s = (SSLSocket) f.createSocket(plain, consumed, true);
        s.setUseClientMode(false);
        SSLParameters p = s.getSSLParameters();
        p.setProtocols(protocols.toArray(new String[0]));
        p.setCipherSuites(suites(s.getSupportedCipherSuites()));
        p.setApplicationProtocols(applicationProtocols.toArray(new String[0]));
        p.setUseCipherSuitesOrder(true);
        switch (clientAuth) {
            case WANT -> p.setWantClientAuth(true);
            case NEED -> p.setNeedClientAuth(true);
            default -> { }
        }
        s.setSSLParameters(p);
        return s;
    }

    /**
     * The cipher suites enabled: forward-secret AEAD suites only (TLS 1.3's, and ECDHE with GCM or
     * ChaCha20 for TLS 1.2), in a preference order favouring ECDSA and AES-GCM.
     */
    String[] suites(String[] supported) {
        if (cipherSuites != null) {
            return cipherSuites.toArray(new String[0]);
        }
        List<String> out = new ArrayList<>();
        for (String s : supported) {
            if (s.startsWith("TLS_AES_") || s.startsWith("TLS_CHACHA20_")
                    || (s.startsWith("TLS_ECDHE_") && (s.contains("_GCM_") || s.contains("CHACHA20_POLY1305")))) {
                out.add(s);
            }
        }
        return out.toArray(new String[0]);
    }

    /** The protocols enabled by default (for the documentation and the note). */
    List<String> protocols() {
        return Collections.unmodifiableList(protocols);
    }

    /** Picks the certificate for the name the client asked for (SNI), else the first one. */
    private static final class SniKeyManager extends X509ExtendedKeyManager {
        private final List<Entry> entries;

        SniKeyManager(List<Entry> entries) {
            this.entries = entries;
        }

        private Entry entry(String alias) {
            for (Entry e : entries) {
                if (e.alias().equals(alias)) {
                    return e;
                }
            }
            return null;
        }

        @Override
        public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
            return choose(keyType, engine == null ? null : engine.getHandshakeSession());
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return choose(keyType, socket instanceof SSLSocket s ? s.getHandshakeSession() : null);
        }

        private String choose(String keyType, javax.net.ssl.SSLSession handshake) {
            String host = null;
            if (handshake instanceof ExtendedSSLSession ext) {
                for (SNIServerName n : ext.getRequestedServerNames()) {
                    if (n instanceof SNIHostName h) {
                        host = h.getAsciiName().toLowerCase(Locale.ROOT);
                    }
                }
            }
            // JSSE asks once per key type it can use, in its order of preference. A certificate
            // named for the host wins; if the host has one only of another key type, say so (null)
            // so that JSSE asks for that type next instead of settling for a wrong certificate.
            if (host != null) {
                boolean named = false;
                for (Entry e : entries) {
                    if (matchesHost(e.names(), host)) {
                        named = true;
                        if (keyMatches(keyType, e.key())) {
                            return e.alias();
                        }
                    }
                }
                if (named) {
                    return null;
                }
            }
            // No SNI, or a name we have no certificate for: the first certificate, as in Go.
            if (keyMatches(keyType, entries.get(0).key())) {
                return entries.get(0).alias();
            }
            for (Entry e : entries) {
                if (keyMatches(keyType, e.key())) {
                    return e.alias();
                }
            }
            return null;
        }

        private static boolean keyMatches(String keyType, PrivateKey key) {
            String alg = key.getAlgorithm();
            if (keyType == null) {
                return true;
            }
            return keyType.equalsIgnoreCase(alg) || (keyType.startsWith("EC") && alg.equals("EC"))
                    || (keyType.equals("RSASSA-PSS") && alg.equals("RSA"));
        }

        private static boolean matchesHost(List<String> names, String host) {
            for (String n : names) {
                if (n.equals(host)) {
                    return true;
                }
                if (n.startsWith("*.") && host.endsWith(n.substring(1)) && host.indexOf('.') == host.length() - n.length() + 1) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            Entry e = entry(alias);
            return e == null ? null : e.chain().toArray(new X509Certificate[0]);
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            Entry e = entry(alias);
            return e == null ? null : e.key();
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            List<String> out = new ArrayList<>();
            for (Entry e : entries) {
                if (keyMatches(keyType, e.key())) {
                    out.add(e.alias());
                }
            }
            return out.toArray(new String[0]);
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return null;
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return null;
        }
    }
}
