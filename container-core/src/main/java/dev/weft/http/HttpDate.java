package dev.weft.http;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * Dates in the IMF-fixdate form of RFC 9110 §5.6.7, such as {@code Sun, 06 Nov 1994 08:49:37 GMT}.
 * The current date is formatted once per second and shared, since every response carries it.
 */
public final class HttpDate {
    private HttpDate() {}

    // Written out by hand: a DateTimeFormatter with a locale loads locale data on first use, which
    // costs the first response tens of milliseconds.
    private static final String[] DAYS = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    private static final String[] MONTHS =
            {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

    private record Cached(long second, byte[] bytes, String text) {}

    private static volatile Cached now = format(System.currentTimeMillis() / 1000);

    public static String format(Instant instant) {
        return format(instant.getEpochSecond()).text;
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
        LocalDateTime t = LocalDateTime.ofEpochSecond(second, 0, ZoneOffset.UTC);
        StringBuilder b = new StringBuilder(29)
                .append(DAYS[t.getDayOfWeek().ordinal()]).append(", ");
        two(b, t.getDayOfMonth()).append(' ').append(MONTHS[t.getMonthValue() - 1]).append(' ');
        int year = t.getYear();
        if (year < 1000) {
            b.append(year < 10 ? "000" : year < 100 ? "00" : "0");
        }
        b.append(year).append(' ');
        two(b, t.getHour()).append(':');
        two(b, t.getMinute()).append(':');
        two(b, t.getSecond()).append(" GMT");
        String s = b.toString();
        return new Cached(second, s.getBytes(StandardCharsets.ISO_8859_1), s);
    }

    private static StringBuilder two(StringBuilder b, int n) {
        return b.append((char) ('0' + n / 10)).append((char) ('0' + n % 10));
    }
}
