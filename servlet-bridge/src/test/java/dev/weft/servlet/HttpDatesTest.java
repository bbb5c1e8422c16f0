package dev.weft.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class HttpDatesTest {

    private static final String NOW = "2026-05-01T00:00:00Z";
    private static final String INVALID = null;

    private static Arguments row(String input, String now, String expected) {
        return Arguments.of(input, now, expected);
    }

    static Stream<Arguments> parse() {
        return Stream.of(
                // The three forms of RFC 9110 §5.6.7, all naming the same instant.
                row("Sun, 06 Nov 1994 08:49:37 GMT", NOW, "1994-11-06T08:49:37Z"),
                row("Sunday, 06-Nov-94 08:49:37 GMT", NOW, "1994-11-06T08:49:37Z"),
                row("Sun Nov  6 08:49:37 1994", NOW, "1994-11-06T08:49:37Z"),
                row("Sun Nov 06 08:49:37 1994", NOW, "1994-11-06T08:49:37Z"),
                row("Thu, 01 Jan 1970 00:00:00 GMT", NOW, "1970-01-01T00:00:00Z"),
                row("Wed, 31 Dec 1969 23:59:59 GMT", NOW, "1969-12-31T23:59:59Z"),
                row("Fri, 31 Dec 9999 23:59:59 GMT", NOW, "9999-12-31T23:59:59Z"),
                row("Thu, 29 Feb 2024 12:00:00 GMT", NOW, "2024-02-29T12:00:00Z"),
                row("Thu Feb 29 12:00:00 2024", NOW, "2024-02-29T12:00:00Z"),
                // Leap second: POSIX-style, the next minute's first second.
                row("Sat, 31 Dec 2016 23:59:60 GMT", NOW, "2017-01-01T00:00:00Z"),
                // Surrounding whitespace is not part of the value; case is not significant here.
                row("  Sun, 06 Nov 1994 08:49:37 GMT\t", NOW, "1994-11-06T08:49:37Z"),
                row("sun, 06 NOV 1994 08:49:37 gmt", NOW, "1994-11-06T08:49:37Z"),
                // The day name is not checked against the date (06 Nov 1994 was a Sunday).
                row("Mon, 06 Nov 1994 08:49:37 GMT", NOW, "1994-11-06T08:49:37Z"),
                // RFC 850 two-digit years: at most 50 years ahead of now, else the century before.
                row("Thursday, 01-Jan-76 00:00:00 GMT", NOW, "2076-01-01T00:00:00Z"),
                row("Friday, 01-Jan-77 00:00:00 GMT", NOW, "1977-01-01T00:00:00Z"),
                row("Saturday, 01-Jan-00 00:00:00 GMT", NOW, "2000-01-01T00:00:00Z"),
                row("Tuesday, 01-Jan-99 00:00:00 GMT", NOW, "1999-01-01T00:00:00Z"),
                row("Friday, 01-Jan-10 00:00:00 GMT", "2099-06-01T00:00:00Z", "2110-01-01T00:00:00Z"),
                row("Friday, 01-Jan-49 00:00:00 GMT", "2099-06-01T00:00:00Z", "2149-01-01T00:00:00Z"),
                row("Friday, 01-Jan-50 00:00:00 GMT", "2099-06-01T00:00:00Z", "2050-01-01T00:00:00Z"),
                row("Wednesday, 01-Jan-70 00:00:00 GMT", "1999-06-01T00:00:00Z", "1970-01-01T00:00:00Z"),
                // Not HTTP-dates.
                row(null, NOW, INVALID),
                row("", NOW, INVALID),
                row("0", NOW, INVALID),
                row("784111777", NOW, INVALID),
                row("Sun, 06 Nov 1994 08:49:37 UTC", NOW, INVALID),
                row("Sun, 06 Nov 1994 08:49:37 +0000", NOW, INVALID),
                row("Sun, 06 Nov 1994 08:49:37", NOW, INVALID),
                row("Sun, 6 Nov 1994 08:49:37 GMT", NOW, INVALID),
                row("Sun, 06 Nov 94 08:49:37 GMT", NOW, INVALID),
                row("Sun, 06-Nov-1994 08:49:37 GMT", NOW, INVALID),
                row("Sun, 06 Nov 1994 08:49:37 GMTX", NOW, INVALID),
                row("Sun,  06 Nov 1994 08:49:37 GMT", NOW, INVALID),
                row("Xyz, 06 Nov 1994 08:49:37 GMT", NOW, INVALID),
                row("Sun, 06 Foo 1994 08:49:37 GMT", NOW, INVALID),
                row("Sun, 31 Apr 1994 08:49:37 GMT", NOW, INVALID),
                row("Tue, 29 Feb 2023 08:49:37 GMT", NOW, INVALID),
                row("Sun, 00 Nov 1994 08:49:37 GMT", NOW, INVALID),
                row("Sun, 06 Nov 1994 24:00:00 GMT", NOW, INVALID),
                row("Sun, 06 Nov 1994 08:60:00 GMT", NOW, INVALID),
                row("Sun, 06 Nov 1994 08:49:61 GMT", NOW, INVALID),
                row("Sun, 06 Nov 1994 08-49-37 GMT", NOW, INVALID),
                row("Sun, 06 Nov 1994 8:49:37 GMT", NOW, INVALID),
                row("Sun, 06 Nov 199a 08:49:37 GMT", NOW, INVALID),
                row("Sun, 06 Nov -994 08:49:37 GMT", NOW, INVALID),
                row("Sun, 06 Nov 1994 08:49:37 GMT, Mon, 07 Nov 1994 08:49:37 GMT", NOW, INVALID),
                row("Sun, 06 Nov 1994 08:49:37.5 GMT", NOW, INVALID),
                row("Sunday, 06-Nov-94 08:49:37", NOW, INVALID),
                row("Sunday, 06-Nov-1994 08:49:37 GMT", NOW, INVALID),
                row("Sundays, 06-Nov-94 08:49:37 GMT", NOW, INVALID),
                row("Sun, 06-Nov-94 08:49:37 GMT", NOW, INVALID),
                row("Sunday 06-Nov-94 08:49:37 GMT", NOW, INVALID),
                row("Sun Nov 6 08:49:37 1994", NOW, INVALID),
                row("Sun Nov  6 08:49:37 94", NOW, INVALID),
                row("Sun Nov  6 08:49:37 1994 GMT", NOW, INVALID),
                row("Sun Nov 31 08:49:37 1994", NOW, INVALID),
                row("1994-11-06T08:49:37Z", NOW, INVALID));
    }

    @ParameterizedTest
    @MethodSource
    void parse(String input, String now, String expected) {
        long nowMillis = Instant.parse(now).toEpochMilli();
        long want = expected == null ? -1 : Instant.parse(expected).toEpochMilli();
        assertEquals(want, HttpDates.parse(input, nowMillis), input);
    }

    static Stream<Arguments> format() {
        return Stream.of(
                Arguments.of("1994-11-06T08:49:37Z", "Sun, 06 Nov 1994 08:49:37 GMT"),
                Arguments.of("1994-11-06T08:49:37.999Z", "Sun, 06 Nov 1994 08:49:37 GMT"),
                Arguments.of("1970-01-01T00:00:00Z", "Thu, 01 Jan 1970 00:00:00 GMT"),
                Arguments.of("1969-12-31T23:59:59.500Z", "Wed, 31 Dec 1969 23:59:59 GMT"),
                Arguments.of("2000-02-29T00:00:01Z", "Tue, 29 Feb 2000 00:00:01 GMT"),
                Arguments.of("2026-05-04T13:05:09Z", "Mon, 04 May 2026 13:05:09 GMT"),
                Arguments.of("0001-01-01T00:00:00Z", "Mon, 01 Jan 0001 00:00:00 GMT"),
                Arguments.of("9999-12-31T23:59:59Z", "Fri, 31 Dec 9999 23:59:59 GMT"),
                Arguments.of("0000-01-01T00:00:00Z", "Sat, 01 Jan 0000 00:00:00 GMT"));
    }

    @ParameterizedTest
    @MethodSource
    void format(String instant, String expected) {
        long millis = Instant.parse(instant).toEpochMilli();
        assertEquals(expected, HttpDates.format(millis));
        // Every formatted date parses back to its second.
        assertEquals(Math.floorDiv(millis, 1000) * 1000, HttpDates.parse(expected, millis));
    }

    /** Instants four year digits cannot say are clamped to the first or last one they can. */
    static Stream<Arguments> formatClamps() {
        return Stream.of(
                Arguments.of(Long.MAX_VALUE, "Fri, 31 Dec 9999 23:59:59 GMT"),
                Arguments.of(Instant.parse("+10000-01-01T00:00:00Z").toEpochMilli(), "Fri, 31 Dec 9999 23:59:59 GMT"),
                Arguments.of(Instant.parse("-0001-12-31T23:59:59Z").toEpochMilli(), "Sat, 01 Jan 0000 00:00:00 GMT"),
                Arguments.of(Long.MIN_VALUE, "Sat, 01 Jan 0000 00:00:00 GMT"));
    }

    @ParameterizedTest
    @MethodSource
    void formatClamps(long millis, String expected) {
        assertEquals(expected, HttpDates.format(millis));
    }
}
