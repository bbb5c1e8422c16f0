package dev.weft.deploy.jspfixtures;

import java.util.Locale;

/** EL functions a TLD declares. */
public final class Functions {
    private Functions() {}

    public static String shout(String s) {
        return s.toUpperCase(Locale.ROOT) + "!";
    }
}
