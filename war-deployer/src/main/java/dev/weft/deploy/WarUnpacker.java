package dev.weft.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Unpacks a WAR into a work folder. An entry whose name would land outside the folder ("zip
 * slip": {@code ../}, absolute paths, drive letters) is refused and reported; sizes and entry
 * counts are bounded against archive bombs. A WAR already unpacked, unchanged since, is reused.
 */
final class WarUnpacker {
    private WarUnpacker() {}

    static final long MAX_TOTAL_BYTES = 8L << 30;
    static final int MAX_ENTRIES = 200_000;
    static final String STAMP = ".weft-unpacked";

    /** What unpacking refused. */
    record Result(Path folder, List<String> refused) {}

    static Result unpack(Path war, Path target) throws IOException {
        // The file's identity too: a replacement copied with its size and time kept (cp -p, rsync -t)
        // must not be mistaken for the WAR already unpacked here.
        var attrs = Files.readAttributes(war, java.nio.file.attribute.BasicFileAttributes.class);
        String stamp = war.getFileName() + ":" + attrs.size() + ":" + attrs.lastModifiedTime().toMillis()
                + ":" + attrs.fileKey();
        Path stampFile = target.resolve(STAMP);
        if (Files.isRegularFile(stampFile) && Files.readString(stampFile).equals(stamp)) {
            return new Result(target, List.of());
        }
        deleteTree(target);
        Files.createDirectories(target);
        Path root = target.toAbsolutePath().normalize();
        List<String> refused = new ArrayList<>();
        long total = 0;
        int count = 0;
        try (ZipFile zip = new ZipFile(war.toFile(), StandardCharsets.UTF_8)) {
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry e = entries.nextElement();
                if (++count > MAX_ENTRIES) {
                    throw new IOException(war + " has more than " + MAX_ENTRIES + " entries");
                }
                String name = e.getName();
                Path dest = safeResolve(root, name);
                if (dest == null) {
                    refused.add(name);
                    continue;
                }
                if (e.isDirectory()) {
                    Files.createDirectories(dest);
                    continue;
                }
                Files.createDirectories(dest.getParent());
                try (InputStream in = zip.getInputStream(e);
                        OutputStream out = Files.newOutputStream(dest, StandardOpenOption.CREATE_NEW)) {
                    byte[] buf = new byte[64 << 10];
                    for (int n; (n = in.read(buf)) > 0; ) {
                        total += n;
                        if (total > MAX_TOTAL_BYTES) {
                            throw new IOException(war + " unpacks to more than " + (MAX_TOTAL_BYTES >> 30) + " GiB");
                        }
                        out.write(buf, 0, n);
                    }
                } catch (java.nio.file.FileAlreadyExistsException dup) {
                    refused.add(name + " (duplicate entry)");
                    continue;
                }
                if (e.getTime() > 0) {
                    Files.setLastModifiedTime(dest, FileTime.fromMillis(e.getTime()));
                }
            }
        }
        Files.writeString(stampFile, stamp);
        return new Result(target, refused);
    }

    /** The destination of an entry, or null if it would leave {@code root}. */
    static Path safeResolve(Path root, String name) {
        if (name.isEmpty() || name.startsWith("/") || name.startsWith("\\") || name.indexOf('\0') >= 0
                || name.indexOf('\\') >= 0 || (name.length() > 1 && name.charAt(1) == ':')) {
            return null;
        }
        Path dest = root.resolve(name).normalize();
        if (!dest.startsWith(root) || dest.equals(root)) {
            return null;
        }
        return dest;
    }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> files = Files.walk(p)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        }
    }
}
