package dev.weft.servlet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Principal;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.security.auth.x500.X500Principal;

/**
 * Users with hashed passwords and roles, in memory: added in code, or read from a file with one
 * user per line,
 * <pre>
 * # user = password hash, role, role...
 * alice = pbkdf2-sha256$210000$...$..., admin, user
 * </pre>
 * ({@link Passwords#main} prints a hash). A client certificate authenticates the user named by
 * its subject's CN. Successful password checks are remembered for a few minutes, so that BASIC
 * authentication does not run the slow hash on every request.
 */
public final class UserRealm implements Realm {
    private record User(String name, String hash, Set<String> roles) {}

    /** The principal this realm returns. */
    public record UserPrincipal(String name, Set<String> roles) implements Principal {
        @Override
        public String getName() {
            return name;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private static final long REMEMBER_MILLIS = 5 * 60_000;
    private final Map<String, User> users = new ConcurrentHashMap<>();
    private final Map<String, Long> verified = new ConcurrentHashMap<>(); // digest of user+password -> expiry

    /** Adds a user with a plain password, hashed here. */
    public UserRealm addUser(String name, String password, String... roles) {
        return addUserWithHash(name, Passwords.hash(password.toCharArray()), roles);
    }

    /** Adds a user with a password hash made by {@link Passwords#hash}. */
    public UserRealm addUserWithHash(String name, String hash, String... roles) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("user name must not be empty");
        }
        users.put(name, new User(name, hash, Set.copyOf(new LinkedHashSet<>(List.of(roles)))));
        verified.clear();
        return this;
    }

    /** Reads users from a file in the format above. */
    public static UserRealm fromFile(Path file) throws IOException {
        UserRealm r = new UserRealm();
        int lineNo = 0;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            lineNo++;
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            int eq = l.indexOf('=');
            if (eq <= 0) {
                throw new IOException(file + ":" + lineNo + ": expected 'user = hash, roles...'");
            }
            String name = l.substring(0, eq).strip();
            String[] rest = l.substring(eq + 1).split(",");
            String hash = rest[0].strip();
            if (!hash.startsWith("pbkdf2-sha256$")) {
                throw new IOException(file + ":" + lineNo + ": the password of " + name
                        + " must be a pbkdf2-sha256 hash (see Passwords)");
            }
            String[] roles = Arrays.stream(rest, 1, rest.length).map(String::strip).filter(s -> !s.isEmpty())
                    .toArray(String[]::new);
            r.addUserWithHash(name, hash, roles);
        }
        return r;
    }

    @Override
    public Principal authenticate(String username, String password) {
        if (username == null || password == null) {
            return null;
        }
        User u = users.get(username);
        String key = digest(username, password);
        Long until = verified.get(key);
        long now = System.currentTimeMillis();
        if (u != null && until != null && until > now) {
            return new UserPrincipal(u.name(), u.roles());
        }
        // Hash even for an unknown user, so the time taken does not say which part was wrong.
        boolean ok = Passwords.verify(password.toCharArray(), u != null ? u.hash() : Passwords.dummy()) && u != null;
        if (!ok) {
            return null;
        }
        if (verified.size() > 10_000) {
            verified.clear();
        }
        verified.put(key, now + REMEMBER_MILLIS);
        return new UserPrincipal(u.name(), u.roles());
    }

    @Override
    public Principal authenticate(X509Certificate[] chain) {
        if (chain == null || chain.length == 0) {
            return null;
        }
        String cn = commonName(chain[0].getSubjectX500Principal());
        User u = cn == null ? null : users.get(cn);
        return u == null ? null : new UserPrincipal(u.name(), u.roles());
    }

    @Override
    public boolean hasRole(Principal user, String role) {
        if (user instanceof UserPrincipal p) {
            return p.roles().contains(role);
        }
        User u = user == null ? null : users.get(user.getName());
        return u != null && u.roles().contains(role);
    }

    /** The subject's CN, unescaped, parsed as RFC 4514 says (a plain split on commas gets escapes wrong). */
    private static String commonName(X500Principal subject) {
        try {
            javax.naming.ldap.LdapName dn = new javax.naming.ldap.LdapName(subject.getName(X500Principal.RFC2253));
            for (javax.naming.ldap.Rdn rdn : dn.getRdns().reversed()) {
                javax.naming.directory.Attribute cn = rdn.toAttributes().get("cn");
                if (cn != null && cn.get() != null) {
                    return cn.get().toString();
                }
            }
        } catch (javax.naming.NamingException e) {
            return null;
        }
        return null;
    }

    private static String digest(String user, String password) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(user.getBytes(StandardCharsets.UTF_8));
            md.update((byte) 0);
            md.update(password.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
