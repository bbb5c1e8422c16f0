package dev.weft.servlet;

import java.time.DateTimeException;
import java.time.LocalDate;

/**
 * HTTP-date (RFC 9110 §5.6.7): {@link #parse} accepts the three forms recipients must accept,
 * IMF-fixdate, the obsolete RFC 850 form and asctime; {@link #format} writes IMF-fixdate, the only
 * form a sender may generate. Stateless, so safe from any thread.
 */
final class HttpDates {
    private HttpDates() {}

    /** 0000-01-01T00:00:00Z and 9999-12-31T23:59:59Z in epoch seconds. */
    private static final long FIRST_SECOND = -62_167_219_200L;
    private static final long LAST_SECOND = 253_402_300_799L;

    private static final String[] DAYS = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    private static final String[] LONG_DAYS =
            {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};
    private static final String[] MONTHS =
            {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

    /** Epoch milliseconds of {@code value}, or -1 when it is not an HTTP-date. */
    static long parse(String value) {
        return parse(value, System.currentTimeMillis());
    }

    /**
     * As {@link #parse(String)}, with the clock that places an RFC 850 two-digit year: the year
     * is taken to be the one with those last two digits that is at most 50 years after
     * {@code nowMillis}'s, as RFC 9110 §5.6.7 requires.
     */
    static long parse(String value, long nowMillis) {
        if (value == null) {
            return -1;
        }
        String s = value.strip();
        if (s.length() < 4) {
            return -1;
        }
        if (s.charAt(3) == ',') {
            return imfFixdate(s);
        }
        if (s.charAt(3) == ' ') {
            return asctime(s);
        }
        return rfc850(s, nowMillis);
    }

    /** {@code Sun, 06 Nov 1994 08:49:37 GMT} */
    private static long imfFixdate(String s) {
        if (s.length() != 29 || indexOf(DAYS, s, 0) < 0 || s.charAt(4) != ' ' || s.charAt(7) != ' '
                || s.charAt(11) != ' ' || s.charAt(16) != ' ' || s.charAt(25) != ' ' || !isGmt(s, 26)) {
            return -1;
        }
        return epochMillis(digits(s, 12, 4), indexOf(MONTHS, s, 8) + 1, digits(s, 5, 2), s, 17);
    }

    /** {@code Sunday, 06-Nov-94 08:49:37 GMT} */
    private static long rfc850(String s, long nowMillis) {
        int dayName = indexOf(LONG_DAYS, s, 0);
        int comma = s.indexOf(',');
        if (dayName < 0 || LONG_DAYS[dayName].length() != comma) {
            return -1;
        }
        int p = comma + 1;
        if (s.length() != p + 23 || s.charAt(p) != ' ' || s.charAt(p + 3) != '-' || s.charAt(p + 7) != '-'
                || s.charAt(p + 10) != ' ' || s.charAt(p + 19) != ' ' || !isGmt(s, p + 20)) {
            return -1;
        }
        int yy = digits(s, p + 8, 2);
        if (yy < 0) {
            return -1;
        }
        int thisYear = LocalDate.ofEpochDay(Math.floorDiv(nowMillis, 86_400_000L)).getYear();
        int year = thisYear - Math.floorMod(thisYear, 100) + yy;
        if (year > thisYear + 50) {
            year -= 100;
        } else if (year <= thisYear - 50) {
            year += 100;
        }
        return epochMillis(year, indexOf(MONTHS, s, p + 4) + 1, digits(s, p + 1, 2), s, p + 11);
    }

    /** {@code Sun Nov  6 08:49:37 1994}: the day is space-padded, and no zone is given. */
    private static long asctime(String s) {
        if (s.length() != 24 || indexOf(DAYS, s, 0) < 0 || s.charAt(7) != ' ' || s.charAt(10) != ' '
                || s.charAt(19) != ' ') {
            return -1;
        }
        int day = s.charAt(8) == ' ' ? digits(s, 9, 1) : digits(s, 8, 2);
        return epochMillis(digits(s, 20, 4), indexOf(MONTHS, s, 4) + 1, day, s, 11);
    }

    /** Combines the date with the {@code HH:MM:SS} at {@code s[t]}; -1 if any part is invalid. */
    private static long epochMillis(int year, int month, int day, String s, int t) {
        int hour = digits(s, t, 2);
        int minute = digits(s, t + 3, 2);
        int second = digits(s, t + 6, 2);
        if (year < 0 || month < 1 || day < 1 || s.charAt(t + 2) != ':' || s.charAt(t + 5) != ':'
                || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60) {
            return -1;
        }
        long epochDay;
        try {
            epochDay = LocalDate.of(year, month, day).toEpochDay();
        } catch (DateTimeException e) {
            return -1; // e.g. 31 Apr
        }
        // A leap second (:60) counts as the first second of the next minute, as POSIX time does.
        return ((epochDay * 24 + hour) * 60 + minute) * 60_000L + second * 1000L;
    }

    /**
     * The IMF-fixdate of {@code epochMillis}, truncated to the second. Instants outside the years
     * 0000-9999 that four digits can say are clamped to the nearest one, so that, say,
     * {@code setDateHeader("Expires", Long.MAX_VALUE)} still means "far in the future".
     */
    static String format(long epochMillis) {
        long seconds = Math.clamp(Math.floorDiv(epochMillis, 1000L), FIRST_SECOND, LAST_SECOND);
        LocalDate date = LocalDate.ofEpochDay(Math.floorDiv(seconds, 86_400L));
        int secondOfDay = (int) Math.floorMod(seconds, 86_400L);
        StringBuilder b = new StringBuilder(29);
        b.append(DAYS[date.getDayOfWeek().getValue() - 1]).append(", ");
        pad(b, date.getDayOfMonth(), 2).append(' ');
        b.append(MONTHS[date.getMonthValue() - 1]).append(' ');
        pad(b, date.getYear(), 4).append(' ');
        pad(b, secondOfDay / 3600, 2).append(':');
        pad(b, secondOfDay / 60 % 60, 2).append(':');
        pad(b, secondOfDay % 60, 2).append(" GMT");
        return b.toString();
    }

    private static StringBuilder pad(StringBuilder b, int n, int width) {
        String digits = Integer.toString(n);
        b.repeat('0', width - digits.length());
        return b.append(digits);
    }

    /** The index of the name in {@code names} that {@code s} holds at {@code at}, or -1. */
    private static int indexOf(String[] names, String s, int at) {
        for (int i = 0; i < names.length; i++) {
            // Case-insensitive: a date with odd case is still unambiguous, and refusing it would
            // only cost the client a conditional request.
            if (s.regionMatches(true, at, names[i], 0, names[i].length())) {
                return i;
            }
        }
        return -1;
    }

    private static boolean isGmt(String s, int at) {
        return s.regionMatches(true, at, "GMT", 0, 3) && at + 3 == s.length();
    }

    /** The decimal number of {@code n} digits at {@code s[at]}, or -1. */
    private static int digits(String s, int at, int n) {
        if (at < 0 || at + n > s.length()) {
            return -1;
        }
        int v = 0;
        for (int i = at; i < at + n; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
