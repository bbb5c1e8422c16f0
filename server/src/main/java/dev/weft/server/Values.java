package dev.weft.server;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The kinds of value a setting takes, each a parser that throws {@link IllegalArgumentException}
 * saying what it expected, so a bad value is reported at startup with its key and text.
 */
final class Values {
    private Values() {}

    /** Turns the text of a value into its type; {@code base} is the folder relative paths start from. */
    @FunctionalInterface
    interface Parser<T> {
        T parse(String text, Path base);
    }

    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(b|k|kb|kib|m|mb|mib|g|gb|gib)?");

    /** {@code 250ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 1d}; {@code 0} for none. */
    static Duration duration(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("0")) {
            return Duration.ZERO;
        }
        Matcher m = DURATION.matcher(t);
        if (!m.matches()) {
            throw new IllegalArgumentException("a duration such as 250ms, 30s, 5m or 2h (0 for none)");
        }
        long n;
        try {
            n = Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("a duration such as 250ms, 30s, 5m or 2h (0 for none)");
        }
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }

    /** Bytes, with an optional binary unit: {@code 512}, {@code 8KiB}, {@code 16k}, {@code 1MiB}, {@code 2G}. */
    static long size(String text) {
        Matcher m = SIZE.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("a size in bytes such as 8192, 8KiB, 1MiB or 1GiB");
        }
        long n;
        try {
            n = Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("a size in bytes such as 8192, 8KiB, 1MiB or 1GiB");
        }
        String unit = m.group(2) == null ? "b" : m.group(2);
        int shift = switch (unit.charAt(0)) {
            case 'k' -> 10;
            case 'm' -> 20;
            case 'g' -> 30;
            default -> 0;
        };
        if (n > (Long.MAX_VALUE >> shift)) {
            throw new IllegalArgumentException("a size that fits in 63 bits");
        }
        return n << shift;
    }

    static Parser<Duration> durations() {
        return (t, base) -> duration(t);
    }

    /** A duration that must be at least {@code min} (and may not be 0 unless min is 0). */
    static Parser<Duration> durationsAtLeast(Duration min) {
        return (t, base) -> {
            Duration d = duration(t);
            if (d.compareTo(min) < 0) {
                throw new IllegalArgumentException("a duration of at least " + text(min));
            }
            return d;
        };
    }

    /** A size from {@code min} to {@code max} bytes. */
    static Parser<Long> sizes(long min, long max) {
        return (t, base) -> {
            long n = size(t);
            if (n < min || n > max) {
                throw new IllegalArgumentException("a size from " + sizeText(min) + " to " + sizeText(max));
            }
            return n;
        };
    }

    /** A size, or {@code none} (taken as -1) for no limit. */
    static Parser<Long> sizesOrNone(long min) {
        return (t, base) -> {
            if (isNone(t)) {
                return -1L;
            }
            long n = size(t);
            if (n < min) {
                throw new IllegalArgumentException("a size of at least " + sizeText(min) + ", or none");
            }
            return n;
        };
    }

    static Parser<Integer> ints(int min, int max) {
        return (t, base) -> {
            try {
                int n = Integer.parseInt(t.trim());
                if (n >= min && n <= max) {
                    return n;
                }
            } catch (NumberFormatException ignored) {
                // said below
            }
            throw new IllegalArgumentException("a whole number from " + min + " to " + max);
        };
    }

    static Parser<Integer> ports() {
        return (t, base) -> {
            try {
                int n = Integer.parseInt(t.trim());
                if (n >= 0 && n <= 65535) {
                    return n;
                }
            } catch (NumberFormatException ignored) {
                // said below
            }
            throw new IllegalArgumentException("a port from 0 to 65535 (0 picks a free one)");
        };
    }

    /** A port, or {@code off} (null). */
    static Parser<Integer> portsOrOff() {
        Parser<Integer> port = ports();
        return (t, base) -> {
            if (t.trim().equalsIgnoreCase("off")) {
                return null;
            }
            try {
                return port.parse(t, base);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("a port from 0 to 65535, or off");
            }
        };
    }

    static Parser<Boolean> booleans() {
        return (t, base) -> switch (t.trim().toLowerCase(Locale.ROOT)) {
            case "true", "on", "yes" -> true;
            case "false", "off", "no" -> false;
            default -> throw new IllegalArgumentException("true or false");
        };
    }

    /** Any text; empty for none (null). */
    static Parser<String> strings() {
        return (t, base) -> t.trim().isEmpty() ? null : t.trim();
    }

    /** One of {@code choices}, case-insensitive, returned in lower case. */
    static Parser<String> oneOf(String... choices) {
        return (t, base) -> {
            String v = t.trim().toLowerCase(Locale.ROOT);
            for (String c : choices) {
                if (c.equals(v)) {
                    return c;
                }
            }
            throw new IllegalArgumentException("one of " + String.join(", ", choices));
        };
    }

    /** A path, relative to {@code base}; empty for none (null). */
    static Parser<Path> paths() {
        return (t, base) -> t.trim().isEmpty() ? null : path(t.trim(), base);
    }

    /** Comma-separated paths, each relative to {@code base}. */
    static Parser<List<Path>> pathLists() {
        return (t, base) -> {
            List<Path> out = new ArrayList<>();
            for (String part : t.split(",")) {
                if (!part.isBlank()) {
                    out.add(path(part.trim(), base));
                }
            }
            return List.copyOf(out);
        };
    }

    /** Comma-separated words. */
    static Parser<List<String>> lists() {
        return (t, base) -> {
            List<String> out = new ArrayList<>();
            for (String part : t.split(",")) {
                if (!part.isBlank()) {
                    out.add(part.trim());
                }
            }
            return List.copyOf(out);
        };
    }

    static Path path(String text, Path base) {
        try {
            Path p = Path.of(text);
            return base == null || p.isAbsolute() ? p : base.resolve(p);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("a valid path (" + e.getReason() + ")");
        }
    }

    static boolean isNone(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        return t.equals("none") || t.equals("-1") || t.equals("unlimited");
    }

    /** A duration the way the settings write them: {@code 30s}, {@code 5m}, {@code 250ms}. */
    static String text(Duration d) {
        long ms = d.toMillis();
        if (ms == 0) {
            return "0";
        }
        if (ms % 86_400_000 == 0) {
            return ms / 86_400_000 + "d";
        }
        if (ms % 3_600_000 == 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms % 60_000 == 0) {
            return ms / 60_000 + "m";
        }
        if (ms % 1000 == 0) {
            return ms / 1000 + "s";
        }
        return ms + "ms";
    }

    /** A size the way the settings write them: {@code 8KiB}, {@code 1MiB}, {@code 100}. */
    static String sizeText(long n) {
        if (n < 0) {
            return "none";
        }
        if (n != 0 && n % (1L << 30) == 0) {
            return (n >> 30) + "GiB";
        }
        if (n != 0 && n % (1L << 20) == 0) {
            return (n >> 20) + "MiB";
        }
        if (n != 0 && n % (1L << 10) == 0) {
            return (n >> 10) + "KiB";
        }
        return Long.toString(n);
    }
}
