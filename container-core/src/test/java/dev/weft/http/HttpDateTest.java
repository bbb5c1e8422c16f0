package dev.weft.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class HttpDateTest {
    private static final DateTimeFormatter REFERENCE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    @Test
    void theRfcExample() {
        assertEquals("Sun, 06 Nov 1994 08:49:37 GMT", HttpDate.format(Instant.parse("1994-11-06T08:49:37Z")));
    }

    @Test
    void agreesWithTheJdkFormatterOverFourCenturies() {
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < 100_000; i++) {
            Instant t = Instant.ofEpochSecond(r.nextLong(-2_000_000_000L, 10_000_000_000L));
            assertEquals(REFERENCE.format(t), HttpDate.format(t), t.toString());
        }
        assertEquals(REFERENCE.format(Instant.EPOCH), HttpDate.format(Instant.EPOCH));
    }

    @Test
    void nowIsTheCurrentSecond() {
        long before = System.currentTimeMillis() / 1000;
        String now = HttpDate.now();
        long after = System.currentTimeMillis() / 1000;
        boolean match = now.equals(REFERENCE.format(Instant.ofEpochSecond(before)))
                || now.equals(REFERENCE.format(Instant.ofEpochSecond(after)));
        assertEquals(true, match, now);
    }
}
