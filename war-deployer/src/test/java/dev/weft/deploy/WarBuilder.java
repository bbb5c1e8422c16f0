package dev.weft.deploy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * Builds a WAR in a test from entries: whole fixture packages compiled with the tests (read as
 * bytes, never loaded), texts, jars of the test's own class path, and jars built from entries.
 */
final class WarBuilder {
    private final Map<String, byte[]> entries = new LinkedHashMap<>();

    static WarBuilder war() {
        return new WarBuilder();
    }

    /**
     * Every class file of a fixture package ({@code "lifecycle"} is {@code dev.weft.deploy.fixtures.lifecycle}),
     * nested classes included, into {@code WEB-INF/classes}.
     */
    WarBuilder fixtures(String pkg) {
        return classes("WEB-INF/classes/", fixtureClasses(pkg));
    }

    WarBuilder classes(String prefix, Map<String, byte[]> classFiles) {
        classFiles.forEach((name, bytes) -> entries.put(prefix + name, bytes));
        return this;
    }

    WarBuilder text(String entry, String content) {
        entries.put(entry, content.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    WarBuilder bytes(String entry, byte[] content) {
        entries.put(entry, content);
        return this;
    }

    /** A file as it is: a jar of the test's class path, say. */
    WarBuilder copy(String entry, Path file) {
        try {
            entries.put(entry, Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** A jar made of these entries. */
    WarBuilder jar(String entry, Map<String, byte[]> jarEntries) {
        entries.put(entry, jar(jarEntries));
        return this;
    }

    byte[] bytes() {
        return Wars.zip(entries);
    }

    Path write(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        return Files.write(file, bytes());
    }

    /** The same entries as an exploded WAR folder. */
    Path explode(Path dir) throws IOException {
        for (Map.Entry<String, byte[]> e : entries.entrySet()) {
            Path f = dir.resolve(e.getKey());
            Files.createDirectories(f.getParent());
            Files.write(f, e.getValue());
        }
        return dir;
    }

    static byte[] jar(Map<String, byte[]> jarEntries) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(out)) {
            for (Map.Entry<String, byte[]> e : jarEntries.entrySet()) {
                jar.putNextEntry(new JarEntry(e.getKey()));
                jar.write(e.getValue());
                jar.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The class files of a fixture package, by entry name. */
    static Map<String, byte[]> fixtureClasses(String pkg) {
        String folder = (TestApps.PKG + pkg).replace('.', '/');
        Path dir = locationOf(WarBuilder.class).resolve(folder);
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".class")).sorted().toList()) {
                out.put(folder + "/" + f.getFileName(), Files.readAllBytes(f));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (out.isEmpty()) {
            throw new IllegalStateException("no compiled fixtures in " + dir);
        }
        return out;
    }

    /** The jar or folder a class of the test's class path comes from. */
    static Path locationOf(Class<?> c) {
        try {
            return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static String webXml(String body) {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.1">
                %s</web-app>
                """.formatted(body);
    }
}
