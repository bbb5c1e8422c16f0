package dev.weft.servlet;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Password hashes with a slow key derivation function: PBKDF2 with HMAC-SHA-256, 210,000
 * iterations (OWASP's 2023 advice for it), a random 16-byte salt. Stored as
 * {@code pbkdf2-sha256$<iterations>$<salt>$<hash>} with base64 salt and hash. Comparison takes
 * constant time.
 */
public final class Passwords {
    private Passwords() {}

    public static final int DEFAULT_ITERATIONS = 210_000;
    private static final String PREFIX = "pbkdf2-sha256$";
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Hashes {@code password} for storing. */
    public static String hash(char[] password) {
        return hash(password, DEFAULT_ITERATIONS);
    }

    /**
     * Hashes {@code password} with {@code iterations} rounds: fewer than the default only for
     * passwords that are no secret anyway, such as test users written in a test's configuration.
     */
    public static String hash(char[] password, int iterations) {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        byte[] h = derive(password, salt, iterations);
        Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        return PREFIX + iterations + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(h);
    }

    /** Whether {@code password} matches {@code stored}; false for a malformed hash. */
    public static boolean verify(char[] password, String stored) {
        if (stored == null || !stored.startsWith(PREFIX)) {
            return false;
        }
        String[] parts = stored.substring(PREFIX.length()).split("\\$");
        if (parts.length != 3) {
            return false;
        }
        try {
            int iterations = Integer.parseInt(parts[0]);
            byte[] salt = Base64.getDecoder().decode(parts[1]);
            byte[] expected = Base64.getDecoder().decode(parts[2]);
            if (iterations < 1 || iterations > 10_000_000 || expected.length == 0) {
                return false;
            }
            return MessageDigest.isEqual(derive(password, salt, iterations), expected);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static byte[] derive(char[] password, byte[] salt, int iterations) {
        PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, 256);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is missing from this JDK", e);
        } finally {
            spec.clearPassword();
        }
    }

    /** A hash to compare against when the user does not exist, so that timing tells nothing. */
    static String dummy() {
        return Dummy.HASH;
    }

    /** Made on first need, not when the class loads: hashing takes a second, and most realms never need it. */
    private static final class Dummy {
        static final String HASH = hash("not a password".toCharArray(), DEFAULT_ITERATIONS);
    }

    /** Prints a hash for a password given on standard input: {@code java dev.weft.servlet.Passwords}. */
    public static void main(String[] args) throws Exception {
        char[] pw;
        if (System.console() != null) {
            pw = System.console().readPassword("Password: ");
        } else {
            pw = new String(System.in.readAllBytes(), StandardCharsets.UTF_8).strip().toCharArray();
        }
        System.out.println(hash(pw));
    }
}
