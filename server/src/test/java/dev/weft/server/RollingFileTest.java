package dev.weft.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rotation by day and by size, with a clock the test moves. */
class RollingFileTest {
    @TempDir
    Path dir;

    /** A clock that stands still until moved. */
    static final class TestClock extends Clock {
        Instant now;

        TestClock(String instant) {
            now = Instant.parse(instant);
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private List<String> names() throws Exception {
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private List<String> lines(String name) throws Exception {
        return Files.readAllLines(dir.resolve(name));
    }

    @Test
    void rotatesAtMidnightKeepingTheCurrentName() throws Exception {
        TestClock clock = new TestClock("2025-01-31T23:59:58Z");
        RollingFile f = new RollingFile(dir.resolve("access.log"), true, -1, 0, clock);
        f.write("one");
        f.write("two");
        clock.advance(Duration.ofSeconds(3));
        f.write("three");
        f.close();
        assertEquals(List.of("access.2025-01-31.log", "access.log"), names());
        assertEquals(List.of("one", "two"), lines("access.2025-01-31.log"));
        assertEquals(List.of("three"), lines("access.log"));
    }

    @Test
    void rotatesBySizeWithinADay() throws Exception {
        TestClock clock = new TestClock("2025-03-01T10:00:00Z");
        RollingFile f = new RollingFile(dir.resolve("access.log"), true, 10, 0, clock);
        for (String s : List.of("aaaa", "bbbb", "cccc", "dddd", "eeee")) {
            f.write(s); // 5 bytes each with its newline: two per file
        }
        f.close();
        assertEquals(List.of("access.2025-03-01.1.log", "access.2025-03-01.log", "access.log"), names());
        assertEquals(List.of("aaaa", "bbbb"), lines("access.2025-03-01.log"));
        assertEquals(List.of("cccc", "dddd"), lines("access.2025-03-01.1.log"));
        assertEquals(List.of("eeee"), lines("access.log"));
    }

    @Test
    void aLineLongerThanTheLimitStillGetsWritten() throws Exception {
        RollingFile f = new RollingFile(dir.resolve("big.log"), false, 4, 0, new TestClock("2025-03-01T10:00:00Z"));
        f.write("0123456789");
        f.write("x");
        f.close();
        assertEquals(List.of("0123456789"), lines("big.2025-03-01.log"));
        assertEquals(List.of("x"), lines("big.log"));
    }

    @Test
    void keepsOnlyTheNewestRotatedFiles() throws Exception {
        TestClock clock = new TestClock("2025-01-01T12:00:00Z");
        RollingFile f = new RollingFile(dir.resolve("access.log"), true, -1, 2, clock);
        for (int day = 1; day <= 12; day++) {
            f.write("day " + day);
            clock.advance(Duration.ofDays(1));
        }
        f.write("today");
        f.close();
        assertEquals(List.of("access.2025-01-11.log", "access.2025-01-12.log", "access.log"), names());
        assertEquals(List.of("day 12"), lines("access.2025-01-12.log"));
    }

    @Test
    void aFileLeftFromAnEarlierDayIsRotatedUnderThatDay() throws Exception {
        Path log = dir.resolve("access.log");
        Files.writeString(log, "old\n");
        Files.setLastModifiedTime(log, FileTime.from(Instant.parse("2025-01-30T08:00:00Z")));
        RollingFile f = new RollingFile(log, true, -1, 0, new TestClock("2025-02-02T09:00:00Z"));
        f.write("new");
        f.close();
        assertEquals(List.of("old"), lines("access.2025-01-30.log"));
        assertEquals(List.of("new"), lines("access.log"));
    }

    @Test
    void withoutRotationOneFileGrows() throws Exception {
        TestClock clock = new TestClock("2025-01-01T12:00:00Z");
        RollingFile f = new RollingFile(dir.resolve("plain"), false, -1, 0, clock);
        f.write("a");
        clock.advance(Duration.ofDays(3));
        f.write("b");
        f.close();
        assertEquals(List.of("plain"), names());
        assertEquals(List.of("a", "b"), lines("plain"));
        assertFalse(Files.exists(dir.resolve("plain.2025-01-01")));
        assertTrue(Files.size(dir.resolve("plain")) == 4);
    }
}
