package dev.weft.http;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Dates in the IMF-fixdate form of RFC 9110 §5.6.7, such as {@code Sun, 06 Nov 1994 08:49:37 GMT}.
 * The current date is formatted once per second and shared, since every response carries it.
 */
public final class HttpDate {
    private HttpDate() {}

    private static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    private record Cached(long second, byte[] bytes, String text) {}

    private static volatile Cached now = format(System.currentTimeMillis() / 1000);

    public static String format(Instant instant) {
        return IMF_FIXDATE.format(instant);
    }

    /** The current date as IMF-fixdate bytes; do not modify the array. */
    static byte[] nowBytes() {
        return current().bytes;
    }

    /** The current date as IMF-fixdate. */
    public static String now() {
        return current().text;
    }

    private static Cached current() {
        long second = System.currentTimeMillis() / 1000;
        Cached c = now;
        if (c.second != second) {
            c = format(second);
            now = c;
        }
        return c;
    }

    private static Cached format(long second) {
        String s = IMF_FIXDATE.format(Instant.ofEpochSecond(second));
        return new Cached(second, s.getBytes(StandardCharsets.ISO_8859_1), s);
    }
}
