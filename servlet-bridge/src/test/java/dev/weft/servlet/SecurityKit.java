package dev.weft.servlet;

import dev.weft.http.Listener;
import dev.weft.http.TestCerts;
import dev.weft.http.TlsConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.net.ssl.SSLContext;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;

/** What the security tests share: users, servlets that describe the request, BASIC credentials, TLS. */
final class SecurityKit {
    private SecurityKit() {}

    /** Cheap hashes for test users: the realm verifies them with their own iteration count. */
    static String fastHash(String password) {
        return Passwords.hash(password.toCharArray(), 1000);
    }

    /**
     * alice: admin; bob: user; carol: guest (a role the applications do not declare); each with
     * password "name-pw".
     */
    static UserRealm realm() {
        return new UserRealm()
                .addUserWithHash("alice", fastHash("alice-pw"), "admin")
                .addUserWithHash("bob", fastHash("bob-pw"), "user")
                .addUserWithHash("carol", fastHash("carol-pw"), "guest");
    }

    /** An Authorization value for BASIC, credentials encoded in UTF-8. */
    static String basic(String user, String password) {
        return basic(user, password, StandardCharsets.UTF_8);
    }

    static String basic(String user, String password, Charset cs) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(cs));
    }

    /**
     * Credentials from a table cell: "-" for none, "alice" for alice with her password,
     * "alice:other" for alice with another password.
     */
    static String credentials(String cell) {
        if (cell == null || cell.equals("-")) {
            return null;
        }
        int colon = cell.indexOf(':');
        return colon < 0 ? basic(cell, cell + "-pw") : basic(cell.substring(0, colon), cell.substring(colon + 1));
    }

    /** A servlet whose service() is a lambda. */
    static final class Fn extends HttpServlet {
        interface Body {
            void serve(HttpServletRequest req, HttpServletResponse resp) throws IOException, ServletException;
        }

        private final transient Body body;

        Fn(Body body) {
            this.body = body;
        }

        @Override
        protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException, ServletException {
            body.serve(req, resp);
        }
    }

    /** Answers every method with {@link #describe}. */
    static Fn echo() {
        return new Fn((req, res) -> {
            res.setContentType("text/plain;charset=UTF-8");
            res.getWriter().print(describe(req));
        });
    }

    /** "METHOD uri user=... type=... secure=..." */
    static String describe(HttpServletRequest req) {
        return req.getMethod() + " " + req.getRequestURI() + " user=" + req.getRemoteUser() + " type="
                + req.getAuthType() + " secure=" + req.isSecure();
    }

    /** The parameters, sorted by name: "a=[1] b=[2, 3]". */
    static String params(HttpServletRequest req) {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, String[]> e : new TreeMap<>(req.getParameterMap()).entrySet()) {
            if (!b.isEmpty()) {
                b.append(' ');
            }
            b.append(e.getKey()).append('=').append(List.of(e.getValue()));
        }
        return b.toString();
    }

    /** A request of any method, with an optional Authorization value. */
    static Deployed.Resp send(Deployed d, String method, String path, String authorization) throws IOException {
        HttpUriRequestBase r = new HttpUriRequestBase(method, URI.create(d.url(path)));
        if (authorization != null) {
            r.setHeader("Authorization", authorization);
        }
        return d.send(r);
    }

    /** The JSESSIONID values the response sets. */
    static List<String> sessionCookies(List<String> setCookies) {
        List<String> out = new ArrayList<>();
        for (String h : setCookies) {
            if (h.startsWith("JSESSIONID=")) {
                int semi = h.indexOf(';');
                out.add(h.substring("JSESSIONID=".length(), semi < 0 ? h.length() : semi));
            }
        }
        return out;
    }

    // ---- TLS ----

    /** A CA and a server certificate for localhost and 127.0.0.1, written as PEM files under {@code dir}. */
    record Pki(TestCerts.Issued ca, Path cert, Path key) {
        static Pki create(Path dir) throws Exception {
            TestCerts.Issued ca = TestCerts.ca("Weft Security Test CA");
            TestCerts.Issued server = TestCerts.leaf(ca, "EC", "localhost", "localhost", "ip:127.0.0.1");
            Path cert = Files.createTempFile(dir, "server", ".pem");
            Path key = Files.createTempFile(dir, "server-key", ".pem");
            TestCerts.writePem(cert, key, server, ca, true);
            return new Pki(ca, cert, key);
        }

        TlsConfig tls() throws IOException {
            return TlsConfig.pem(cert, key);
        }

        /** A client trusting the CA, presenting {@code clientCert} if not null. */
        SSLContext client(TestCerts.Issued clientCert) throws Exception {
            return TestCerts.clientContext(ca, clientCert);
        }
    }

    /** Adds a TLS listener on an ephemeral loopback port to the deployed server; returns its port. */
    static int addTlsListener(Deployed d, TlsConfig tls) throws IOException {
        Listener l = Listener.tls(Listener.tcp(new InetSocketAddress("127.0.0.1", 0)), tls);
        d.server.startServing(l);
        return l.address().getPort();
    }

    /** A request over HTTPS with a new client (no connection or session reuse), redirects not followed. */
    static HttpResponse<String> https(SSLContext ctx, String url, String method, String authorization)
            throws IOException, InterruptedException {
        HttpClient c = HttpClient.newBuilder().sslContext(ctx).version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(10)).build();
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return c.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /** The subject of the first certificate of the request's client chain, and the chain's length. */
    static String certificates(HttpServletRequest req) {
        Object a = req.getAttribute("jakarta.servlet.request.X509Certificate");
        if (a == null) {
            return "none";
        }
        X509Certificate[] chain = (X509Certificate[]) a;
        return chain.length + ":" + chain[0].getSubjectX500Principal().getName();
    }
}
