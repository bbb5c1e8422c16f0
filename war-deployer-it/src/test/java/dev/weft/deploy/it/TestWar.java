package dev.weft.deploy.it;

import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;
import javax.tools.ToolProvider;

/**
 * Builds a WAR (or a jar) file in a test: Java sources compiled with the JDK's compiler, text files,
 * whole files, and raw entry names (zip slip) written as given. The sources are never on the test's
 * class path, so a WAR can ship classes whose names the container also has.
 */
final class TestWar {
    private final Map<String, String> sources = new LinkedHashMap<>(); // path -> source
    private final Map<String, byte[]> entries = new LinkedHashMap<>(); // entry name -> bytes
    private final Map<String, TestWar> jars = new LinkedHashMap<>(); // entry name -> jar
    private final List<Path> classPath = new ArrayList<>();
    private String classesPrefix = "WEB-INF/classes/";

    /** A WAR: sources compile into {@code WEB-INF/classes}. */
    static TestWar war() {
        return new TestWar();
    }

    /** A jar: sources compile into its root. */
    static TestWar jar() {
        TestWar t = new TestWar();
        t.classesPrefix = "";
        return t;
    }

    /** Compiles the class in {@code source}, named after its package and first type. */
    TestWar java(String source) {
        String pkg = source.lines().map(String::strip).filter(l -> l.startsWith("package "))
                .map(l -> l.substring(8, l.indexOf(';')).strip()).findFirst().orElse("");
        var m = java.util.regex.Pattern.compile("(?:class|interface|record|enum)\\s+(\\w+)").matcher(source);
        if (!m.find()) {
            throw new IllegalArgumentException("no type in " + source);
        }
        String path = (pkg.isEmpty() ? "" : pkg.replace('.', '/') + "/") + m.group(1) + ".java";
        sources.put(path, source);
        return this;
    }

    TestWar text(String entry, String content) {
        entries.put(entry, content.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    TestWar bytes(String entry, byte[] content) {
        entries.put(entry, content);
        return this;
    }

    TestWar copy(String entry, Path file) {
        try {
            entries.put(entry, Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** A jar inside this archive, built (and its sources compiled) first, so later sources see it. */
    TestWar jar(String entry, TestWar jar) {
        jars.put(entry, jar);
        return this;
    }

    /** More compile-time class path (the Servlet API is always there). */
    TestWar classPath(Path... jarsOrFolders) {
        classPath.addAll(List.of(jarsOrFolders));
        return this;
    }

    /** The jar or folder a class on the test's class path comes from. */
    static Path locationOf(Class<?> c) {
        try {
            return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    Path build(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Path scratch = Files.createTempDirectory(file.getParent(), "build-");
        List<Path> cp = new ArrayList<>(classPath);
        cp.add(locationOf(jakarta.servlet.Servlet.class));
        Map<String, byte[]> all = new LinkedHashMap<>();
        for (Map.Entry<String, TestWar> j : jars.entrySet()) {
            Path built = j.getValue().build(scratch.resolve("lib-" + all.size() + ".jar"));
            cp.add(built);
            all.put(j.getKey(), Files.readAllBytes(built));
        }
        if (!sources.isEmpty()) {
            Path out = Files.createDirectories(scratch.resolve("classes"));
            compile(out, cp);
            try (Stream<Path> files = Files.walk(out)) {
                for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                    all.put(classesPrefix + out.relativize(f).toString().replace('\\', '/'), Files.readAllBytes(f));
                }
            }
        }
        all.putAll(entries);
        try (OutputStream os = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(os)) {
            for (Map.Entry<String, byte[]> e : all.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
        return file;
    }

    private void compile(Path out, List<Path> cp) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new IllegalStateException("tests need a JDK, not a JRE: no system Java compiler");
        }
        List<JavaFileObject> units = new ArrayList<>();
        for (Map.Entry<String, String> s : sources.entrySet()) {
            units.add(new SimpleJavaFileObject(java.net.URI.create("string:///" + s.getKey()), JavaFileObject.Kind.SOURCE) {
                @Override
                public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                    return s.getValue();
                }
            });
        }
        StringWriter diagnostics = new StringWriter();
        try (StandardJavaFileManager fm = javac.getStandardFileManager(null, null, StandardCharsets.UTF_8)) {
            fm.setLocationFromPaths(StandardLocation.CLASS_OUTPUT, List.of(out));
            fm.setLocationFromPaths(StandardLocation.CLASS_PATH, cp);
            boolean ok = javac.getTask(diagnostics, fm, null, List.of("--release", "21", "-proc:none"), null, units).call();
            if (!ok) {
                throw new IllegalStateException("test sources do not compile:\n" + diagnostics);
            }
        }
    }
}
