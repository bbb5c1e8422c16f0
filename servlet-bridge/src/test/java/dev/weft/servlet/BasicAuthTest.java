package dev.weft.servlet;

import static dev.weft.servlet.SecurityKit.basic;
import static dev.weft.servlet.SecurityKit.fastHash;
import static dev.weft.servlet.SecurityKit.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.servlet.annotation.ServletSecurity.TransportGuarantee;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** BASIC authentication (RFC 7617) on a deployed application, over the wire. */
class BasicAuthTest {
    static final String CHALLENGE = "Basic realm=\"Weft Test\", charset=\"UTF-8\"";

    static Deployed d;

    @BeforeAll
    static void deploy() throws Exception {
        WebApp app = new WebApp("/b");
        app.setRealm(new UserRealm()
                .addUserWithHash("alice", fastHash("alice-pw"), "admin")
                .addUserWithHash("bob", fastHash("bob-pw"), "user")
                .addUserWithHash("josé", fastHash("日本語-pässwörd"), "user")
                .addUserWithHash("日本", fastHash("パスワード"), "user")
                .addUserWithHash("rené", fastHash("crème"), "user")
                .addUserWithHash("colon", fastHash("pa:ss:word"), "user")
                .addUserWithHash("spaces", fastHash(" lead and trail "), "user"));
        app.setLoginConfig(LoginConfig.basic("Weft Test"));
        app.declareRoles("admin", "user");
        app.addServlet("who", new SecurityKit.Fn((req, res) -> {
            res.setContentType("text/plain;charset=UTF-8");
            res.getWriter().print("user=" + req.getRemoteUser() + " principal="
                    + (req.getUserPrincipal() == null ? null : req.getUserPrincipal().getName()) + " type="
                    + req.getAuthType() + " admin=" + req.isUserInRole("admin") + " user=" + req.isUserInRole("user"));
        })).addMapping("/");
        app.addSecurityConstraint(new SecurityConstraint(List.of(new SecurityConstraint.Collection(
                List.of("/secure/*"), Set.of(), Set.of())), Set.of("admin", "user"), TransportGuarantee.NONE));
        app.addSecurityConstraint(SecurityConstraint.roles(List.of("/admin/*"), "admin"));
        d = Deployed.start(app);
    }

    @AfterAll
    static void undeploy() throws IOException {
        d.close();
    }

    @Test
    void noCredentialsGetTheChallenge() throws IOException {
        Deployed.Resp r = d.get("/b/secure/x");
        assertEquals(401, r.status());
        assertEquals(List.of(CHALLENGE), r.headers("WWW-Authenticate"));
        assertFalse(r.body().contains("user="), "the servlet did not run: " + r.body());
    }

    @Test
    void goodCredentialsReachTheServletAsThatUser() throws IOException {
        Deployed.Resp r = send(d, "GET", "/b/secure/x", basic("alice", "alice-pw"));
        assertEquals(200, r.status());
        assertEquals("user=alice principal=alice type=BASIC admin=true user=false", r.body());
        assertEquals(List.of(), r.headers("WWW-Authenticate"));
        r = send(d, "GET", "/b/admin/x", basic("alice", "alice-pw"));
        assertEquals(200, r.status());
        assertEquals("user=alice principal=alice type=BASIC admin=true user=false", r.body());
    }

    @ParameterizedTest(name = "{0}:{1}")
    @CsvSource({"alice, wrong", "alice, ALICE-PW", "alice, 'alice-pw '", "alice, ''", "Alice, alice-pw", "nobody, alice-pw",
        "'', alice-pw", "bob, alice-pw"})
    void wrongCredentialsGetTheChallengeAgain(String user, String password) throws IOException {
        Deployed.Resp r = send(d, "GET", "/b/secure/x", basic(user, password));
        assertEquals(401, r.status(), r.body());
        assertEquals(List.of(CHALLENGE), r.headers("WWW-Authenticate"));
    }

    @Test
    void aUserWithoutTheRoleIsForbidden() throws IOException {
        Deployed.Resp r = send(d, "GET", "/b/admin/x", basic("bob", "bob-pw"));
        assertEquals(403, r.status());
        assertEquals(List.of(), r.headers("WWW-Authenticate"));
        assertFalse(r.body().contains("user="), r.body());
    }

    /** RFC 7617 §2.1: charset="UTF-8" means the user-id and password are sent in UTF-8. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "josé, 日本語-pässwörd, user=josé principal=josé type=BASIC admin=false user=true",
        "日本, パスワード, user=日本 principal=日本 type=BASIC admin=false user=true",
        "rené, crème, user=rené principal=rené type=BASIC admin=false user=true",
        "colon, pa:ss:word, user=colon principal=colon type=BASIC admin=false user=true",
        "spaces, ' lead and trail ', user=spaces principal=spaces type=BASIC admin=false user=true",
    })
    void utf8UsernamesAndPasswords(String user, String password, String body) throws IOException {
        Deployed.Resp r = send(d, "GET", "/b/secure/x", basic(user, password));
        assertEquals(200, r.status(), r.body());
        assertEquals(body, r.body());
        assertEquals("text/plain;charset=UTF-8", r.header("Content-Type"));
    }

    @Test
    void credentialsInIso88591DoNotMatchTheirUtf8Twins() throws IOException {
        Deployed.Resp r = send(d, "GET", "/b/secure/x", basic("rené", "crème", StandardCharsets.ISO_8859_1));
        assertEquals(401, r.status());
        assertEquals(List.of(CHALLENGE), r.headers("WWW-Authenticate"));
    }

    /** The auth-scheme is case-insensitive (RFC 9110 §11.1). */
    @ParameterizedTest
    @CsvSource({"basic", "BASIC", "bAsIc"})
    void theSchemeNameIsCaseInsensitive(String scheme) throws IOException {
        String token = Base64.getEncoder().encodeToString("bob:bob-pw".getBytes(StandardCharsets.UTF_8));
        Deployed.Resp r = send(d, "GET", "/b/secure/x", scheme + " " + token);
        assertEquals(200, r.status());
        assertEquals("user=bob principal=bob type=BASIC admin=false user=true", r.body());
    }

    static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("scheme only", "Basic"),
                Arguments.of("scheme and spaces", "Basic    "),
                Arguments.of("not base64", "Basic !!!not-base64!!!"),
                Arguments.of("base64 with a space inside", "Basic Ym9i OmJvYi1wdw=="),
                Arguments.of("only padding", "Basic ="),
                Arguments.of("bad padding", "Basic Ym9iOmJvYi1wdw==="),
                Arguments.of("no colon", "Basic " + b64("bobbob-pw")),
                Arguments.of("empty credentials", "Basic " + b64("")),
                Arguments.of("just a colon", "Basic " + b64(":")),
                Arguments.of("empty user", "Basic " + b64(":bob-pw")),
                Arguments.of("empty password", "Basic " + b64("bob:")),
                Arguments.of("NUL in the user", "Basic " + b64("bob\u0000:bob-pw")),
                Arguments.of("DEL in the password", "Basic " + b64("bob:bob-pw\u007f")),
                Arguments.of("CR LF in the password", "Basic " + b64("bob:bob-pw\r\nX-Injected: 1")),
                Arguments.of("tab in the user", "Basic " + b64("b\tob:bob-pw")),
                Arguments.of("invalid UTF-8", "Basic " + b64(new byte[] {(byte) 0xff, (byte) 0xfe, ':', (byte) 0xc3})),
                Arguments.of("overlong UTF-8 colon", "Basic " + b64(new byte[] {'b', 'o', 'b', (byte) 0xc0, (byte) 0xba, 'x'})),
                Arguments.of("no space after the scheme", "Basic" + b64("bob:bob-pw")),
                Arguments.of("two tokens", "Basic " + b64("bob:bob-pw") + " " + b64("alice:alice-pw")),
                Arguments.of("token68 with parameters", "Basic " + b64("bob:bob-pw") + ", realm=\"x\""),
                Arguments.of("Bearer", "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJib2IifQ."),
                Arguments.of("Digest", "Digest username=\"bob\", realm=\"Weft Test\", nonce=\"x\", uri=\"/b/secure/x\", response=\"0\""),
                Arguments.of("Negotiate", "Negotiate YIIBhgYGKwYBBQUCoIIBejCCAXagMDAuBgkqhkiC9xIBAgIGCSqGSIb3EgECAgYKKwYBBAGCNwICHgYKKwYBBAGCNwICCg=="),
                Arguments.of("scheme prefix", "BasicAuth " + b64("bob:bob-pw")),
                Arguments.of("long user and password", "Basic " + b64("u".repeat(100_000) + ":" + "p".repeat(100_000))),
                Arguments.of("long password for a real user", "Basic " + b64("bob:" + "p".repeat(150_000))),
                Arguments.of("long run of zero bytes", "Basic " + "A".repeat(200_000)),
                Arguments.of("long garbage", "Basic " + "!".repeat(200_000)),
                Arguments.of("long without colon", "Basic " + b64("x".repeat(150_000))));
    }

    /**
     * A credential that is not one gets 400 or a fresh challenge, never a 500, never a user. Sent
     * with a plain socket so that no client library tidies the field.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformedAuthorizationHeadersGet400Or401(String what, String authorization) throws IOException {
        TckWire.Resp r = TckWire.get(d.port, "/b/secure/x", "Authorization: " + authorization);
        assertTrue(r.status() == 400 || r.status() == 401, what + " -> " + r.status() + " " + r.body());
        if (r.status() == 401) {
            assertEquals(List.of(CHALLENGE), r.headers("WWW-Authenticate"), what);
        }
        assertFalse(r.body().contains("user="), what + ": the servlet ran: " + r.body());
        assertFalse(r.body().contains("Exception"), r.body());
    }

    /** Raw control bytes in the field itself are a malformed request, not a credential. */
    @ParameterizedTest
    @CsvSource({"Basic \u0001Ym9iOmJvYi1wdw==", "Basic Ym9i\u007fOmJvYi1wdw==", "Basic\u0000Ym9iOmJvYi1wdw=="})
    void controlCharactersInTheFieldAreRefused(String authorization) throws IOException {
        TckWire.Resp r = TckWire.get(d.port, "/b/secure/x", "Authorization: " + authorization);
        assertTrue(r.status() == 400 || r.status() == 401, r.status() + " " + r.body());
    }

    @Test
    void oneBadAttemptDoesNotAffectTheNextOnTheSameConnection() throws IOException {
        try (TckWire c = TckWire.open(d.port)) {
            String host = "Host: 127.0.0.1:" + d.port + "\r\n";
            TckWire.Resp r = c.send("GET /b/secure/x HTTP/1.1\r\n" + host + "Authorization: " + basic("bob", "nope") + "\r\n\r\n");
            assertEquals(401, r.status());
            r = c.send("GET /b/secure/x HTTP/1.1\r\n" + host + "\r\n");
            assertEquals(401, r.status(), "nothing is remembered on the connection");
            r = c.send("GET /b/secure/x HTTP/1.1\r\n" + host + "Authorization: " + basic("bob", "bob-pw") + "\r\n\r\n");
            assertEquals(200, r.status());
            assertEquals("user=bob principal=bob type=BASIC admin=false user=true", r.body());
            r = c.send("GET /b/secure/x HTTP/1.1\r\n" + host + "Connection: close\r\n\r\n");
            assertEquals(401, r.status(), "BASIC credentials are per request");
        }
    }

    @Test
    void anUnprotectedPathNeedsNoCredentials() throws IOException {
        Deployed.Resp r = d.get("/b/open");
        assertEquals(200, r.status());
        assertEquals("user=null principal=null type=null admin=false user=false", r.body());
    }
}
