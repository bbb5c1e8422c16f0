package dev.weft.servlet;

import java.util.Locale;
import java.util.Objects;

/**
 * How an application authenticates users (the deployment descriptor's {@code login-config}):
 * BASIC (RFC 7617), FORM (a login page posting to {@code j_security_check}), or CLIENT-CERT.
 */
public record LoginConfig(String authMethod, String realmName, String formLoginPage, String formErrorPage) {
    public static final String BASIC = "BASIC";
    public static final String FORM = "FORM";
    public static final String CLIENT_CERT = "CLIENT-CERT";

    public LoginConfig {
        authMethod = authMethod == null ? null : authMethod.toUpperCase(Locale.ROOT).replace("CLIENT_CERT", CLIENT_CERT);
        if (FORM.equals(authMethod)) {
            if (formLoginPage == null || !formLoginPage.startsWith("/") || formErrorPage == null || !formErrorPage.startsWith("/")) {
                throw new IllegalArgumentException("FORM login needs login and error pages starting with /");
            }
        }
    }

    public static LoginConfig basic(String realmName) {
        return new LoginConfig(BASIC, Objects.requireNonNullElse(realmName, "weft"), null, null);
    }

    public static LoginConfig form(String loginPage, String errorPage) {
        return new LoginConfig(FORM, null, loginPage, errorPage);
    }

    public static LoginConfig clientCert() {
        return new LoginConfig(CLIENT_CERT, null, null, null);
    }
}
