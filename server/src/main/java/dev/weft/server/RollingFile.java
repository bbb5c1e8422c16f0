package dev.weft.server;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A log file that rotates: the current file always has the configured name ({@code access.log}),
 * so {@code tail -F} and log shippers follow it; a rotated file gets its day, and a number when
 * the size limit rotated it within the day: {@code access.2025-01-31.log},
 * {@code access.2025-01-31.1.log}. Used by one thread only, the access log's writer.
 */
final class RollingFile implements AccessLog.Sink {
    private static final Pattern ROTATED_SUFFIX = Pattern.compile("\\.(\\d{4}-\\d{2}-\\d{2})(?:\\.(\\d+))?");

    private final Path file;
    private final boolean daily;
    private final long maxBytes;
    private final int maxFiles;
    private final Clock clock;
    private final String stem;
    private final String extension;
    private OutputStream out;
    private LocalDate day;
    private long size;

    /**
     * @param daily rotate at midnight (in the clock's zone)
     * @param maxBytes rotate before a line would take the file past this; -1 for no limit
     * @param maxFiles rotated files to keep, the newest; 0 keeps all
     */
    RollingFile(Path file, boolean daily, long maxBytes, int maxFiles, Clock clock) {
        this.file = file.toAbsolutePath();
        this.daily = daily;
        this.maxBytes = maxBytes;
        this.maxFiles = maxFiles;
        this.clock = clock;
        String name = this.file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        this.stem = dot > 0 ? name.substring(0, dot) : name;
        this.extension = dot > 0 ? name.substring(dot) : "";
    }

    Path file() {
        return file;
    }

    @Override
    public void write(String line) throws IOException {
        LocalDate today = LocalDate.now(clock);
        if (out == null) {
            open(today);
        } else if (daily && !today.equals(day)) {
            rotate(day);
            open(today);
        }
        byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
        if (maxBytes > 0 && size > 0 && size + bytes.length > maxBytes) {
            rotate(today);
            open(today);
        }
        out.write(bytes);
        size += bytes.length;
    }

    @Override
    public void flush() throws IOException {
        if (out != null) {
            out.flush();
        }
    }

    @Override
    public void close() throws IOException {
        if (out != null) {
            out.close();
            out = null;
        }
    }

    /**
     * Opens the file for appending. A file left from an earlier day (Weft was stopped over
     * midnight) is rotated under that day first, so one file never holds two days.
     */
    private void open(LocalDate today) throws IOException {
        Files.createDirectories(file.getParent());
        if (daily && Files.exists(file)) {
            LocalDate modified = LocalDate.ofInstant(Files.getLastModifiedTime(file).toInstant(), zone());
            if (modified.isBefore(today) && Files.size(file) > 0) {
                rotateFile(modified);
            }
        }
        out = new java.io.BufferedOutputStream(Files.newOutputStream(file, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND, StandardOpenOption.WRITE), 64 * 1024);
        size = Files.size(file);
        day = today;
    }

    private void rotate(LocalDate of) throws IOException {
        close();
        rotateFile(of);
    }

    private void rotateFile(LocalDate of) throws IOException {
        Path target = file.resolveSibling(stem + "." + of + extension);
        for (int n = 1; Files.exists(target); n++) {
            target = file.resolveSibling(stem + "." + of + "." + n + extension);
        }
        Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
        prune();
    }

    /** Deletes the oldest rotated files beyond {@link #maxFiles}. */
    private void prune() throws IOException {
        if (maxFiles <= 0) {
            return;
        }
        List<Rotated> rotated = new ArrayList<>();
        try (var files = Files.list(file.getParent())) {
            for (Path p : (Iterable<Path>) files::iterator) {
                String name = p.getFileName().toString();
                if (!name.startsWith(stem) || !name.endsWith(extension)) {
                    continue;
                }
                String middle = name.substring(stem.length(), name.length() - extension.length());
                Matcher m = ROTATED_SUFFIX.matcher(middle);
                if (m.matches()) {
                    rotated.add(new Rotated(p, m.group(1), m.group(2) == null ? 0 : Integer.parseInt(m.group(2))));
                }
            }
        }
        rotated.sort(Comparator.comparing(Rotated::day).thenComparingInt(Rotated::number));
        for (int i = 0; i < rotated.size() - maxFiles; i++) {
            Files.deleteIfExists(rotated.get(i).path());
        }
    }

    private record Rotated(Path path, String day, int number) {}

    private ZoneId zone() {
        return clock.getZone();
    }
}
