package dev.weft.server;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** Weft's version, as the build wrote it into {@code version.properties}. */
final class Version {
    private static final String VERSION = load();

    private Version() {}

    static String get() {
        return VERSION;
    }

    private static String load() {
        try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                String v = p.getProperty("version");
                if (v != null && !v.startsWith("${")) {
                    return v;
                }
            }
        } catch (IOException ignored) {
            // said below
        }
        return "unknown version";
    }
}
