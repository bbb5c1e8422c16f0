package dev.weft.servlet;

import java.security.Principal;
import java.security.cert.X509Certificate;

/**
 * Who the users are and what roles they have, for container authentication (BASIC, FORM,
 * CLIENT-CERT and {@code HttpServletRequest.login}). {@link UserRealm} keeps users in memory or
 * reads them from a file; implement this to use another source.
 */
public interface Realm {
    /** The user with these credentials, or null if they are wrong. Must not tell which part was wrong. */
    Principal authenticate(String username, String password);

    /** The user a verified client certificate chain (leaf first) belongs to, or null. */
    default Principal authenticate(X509Certificate[] chain) {
        return null;
    }

    /** Whether {@code user}, as this realm returned it, has {@code role}. */
    boolean hasRole(Principal user, String role);
}
