package dev.weft.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import java.util.zip.ZipFile;

/**
 * Reads the classes of a web application without loading them (Servlet 6.1 §8.1, §8.2.4): the
 * {@code WEB-INF/classes} folder and the {@code WEB-INF/lib} jars, each class file parsed by ASM with
 * code, debug information and frames skipped.
 *
 * <p>Nothing aborts a scan: an unreadable root, jar entry or class file becomes a {@link ScanWarning}
 * and is skipped. Jars are read entry by entry, never whole. In a multi-release jar each class is read
 * from the highest {@code META-INF/versions/N/} at or below {@link #release()}, as the class loader
 * would.
 *
 * <p>Immutable; {@code with*} return a copy.
 */
public final class ClassScanner {

    /** Far above any real class (the format caps most parts at 64 KiB); guards against zip bombs. */
    static final int MAX_CLASS_BYTES = 16 * 1024 * 1024;

    /** Below this many entries a root is read on the calling thread: forking would cost more than it saves. */
    private static final int PARALLEL_THRESHOLD = 64;

    private final int release;
    private final ClassFileLocator outsideTypes;

    /**
     * Multi-release jars resolved for the running Java version; supertypes outside the scanned roots
     * read through the class loader that loaded the container (Servlet API, JDK).
     */
    public ClassScanner() {
        this(Runtime.version().feature(), ClassFileLocator.of(ClassScanner.class.getClassLoader()));
    }

    private ClassScanner(int release, ClassFileLocator outsideTypes) {
        this.release = release;
        this.outsideTypes = Objects.requireNonNull(outsideTypes, "outsideTypes");
    }

    /** The Java feature version multi-release jars are resolved for; 8 or less reads only base entries. */
    public ClassScanner withRelease(int release) {
        return new ClassScanner(release, outsideTypes);
    }

    public int release() {
        return release;
    }

    /** Where {@code @HandlesTypes} reads supertypes that are not in the scanned roots. */
    public ClassScanner withOutsideTypes(ClassFileLocator outsideTypes) {
        return new ClassScanner(release, outsideTypes);
    }

    /**
     * Scans an exploded web application: {@code WEB-INF/classes}, then the {@code WEB-INF/lib/*.jar}
     * files by name (the order is unspecified, so it is at least stable). Missing folders are fine.
     */
    public ScanResult scanWebApp(Path webAppRoot) {
        Path webInf = webAppRoot.resolve("WEB-INF");
        List<Path> roots = new ArrayList<>();
        Path classes = webInf.resolve("classes");
        if (Files.isDirectory(classes)) {
            roots.add(classes);
        }
        Path lib = webInf.resolve("lib");
        List<ScanWarning> warnings = new ArrayList<>();
        if (Files.isDirectory(lib)) {
            List<Path> jars = new ArrayList<>();
            // Any case of ".jar", as the class loader and the deployer take them: a glob would miss "X.JAR".
            try (DirectoryStream<Path> dir = Files.newDirectoryStream(lib,
                    p -> p.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".jar"))) {
                for (Path jar : dir) {
                    if (Files.isRegularFile(jar)) {
                        jars.add(jar);
                    }
                }
            } catch (IOException e) {
                warnings.add(new ScanWarning(new ClassSource(lib, ClassSource.Kind.DIRECTORY), null,
                        "cannot list jars: " + describe(e)));
            }
            jars.sort(null);
            roots.addAll(jars);
        }
        return scan(roots, warnings);
    }

    /**
     * Scans folders of class files and jar files. Earlier roots shadow later ones for a class name,
     * as in the class loader.
     */
    public ScanResult scan(List<Path> roots) {
        return scan(roots, List.of());
    }

    private ScanResult scan(List<Path> roots, List<ScanWarning> initial) {
        Run run = new Run(initial);
        for (Path root : roots) {
            if (Files.isDirectory(root)) {
                run.scanDirectory(new ClassSource(root, ClassSource.Kind.DIRECTORY));
            } else if (Files.isRegularFile(root)) {
                run.scanJar(new ClassSource(root, ClassSource.Kind.JAR));
            } else {
                ClassSource source = new ClassSource(root, ClassSource.Kind.JAR);
                run.sources.add(source);
                run.warnings.add(new ScanWarning(source, null, "not found"));
            }
        }
        return new ScanResult(run.sources, run.classes, run.warnings, outsideTypes);
    }

    /** What reading one entry gave: a class, a warning, or a class with a caveat. */
    private record Outcome(ClassInfo info, ScanWarning warning) {}

    @FunctionalInterface
    private interface EntryReader<T> {
        Outcome read(T item) throws IOException;
    }

    /**
     * Reads and parses the items in parallel (inflating and parsing are CPU-bound and independent),
     * keeping their order so every scan merges the same way.
     */
    private static <T> List<Outcome> readAll(ClassSource source, List<T> items, Function<T, String> entryName,
            EntryReader<T> reader) {
        Stream<T> stream = items.size() >= PARALLEL_THRESHOLD ? items.parallelStream() : items.stream();
        return stream.map(item -> {
            try {
                return reader.read(item);
            } catch (IOException | RuntimeException e) {
                return new Outcome(null, new ScanWarning(source, entryName.apply(item), "cannot read: " + describe(e)));
            }
        }).toList();
    }

    /** The state of one scan. */
    private final class Run {
        final List<ClassSource> sources = new ArrayList<>();
        final Map<String, ClassInfo> classes = new LinkedHashMap<>();
        final List<ScanWarning> warnings;

        Run(List<ScanWarning> initial) {
            warnings = new ArrayList<>(initial);
        }

        void scanDirectory(ClassSource source) {
            sources.add(source);
            Path root = source.path();
            List<Path> files = new ArrayList<>();
            try {
                // Symbolic links are not followed, so a link cycle cannot trap the walk.
                Files.walkFileTree(root, new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                        if (attrs.isRegularFile() && file.getFileName().toString().endsWith(".class")) {
                            files.add(file);
                        }
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFileFailed(Path file, IOException e) {
                        warnings.add(new ScanWarning(source, relative(root, file), "cannot read: " + describe(e)));
                        return FileVisitResult.CONTINUE;
                    }
                });
            } catch (IOException e) {
                warnings.add(new ScanWarning(source, null, "cannot walk: " + describe(e)));
            }
            // Directory listing order differs between file systems; sorted, every scan reads the same.
            List<String> entries = new ArrayList<>(files.size());
            for (Path f : files) {
                String entry = relative(root, f);
                if (!skipped(entry)) {
                    entries.add(entry);
                }
            }
            entries.sort(null);
            merge(readAll(source, entries, e -> e, entry -> {
                Path file = root.resolve(entry);
                long size = Files.size(file);
                if (size > MAX_CLASS_BYTES) {
                    return tooLarge(source, entry, size);
                }
                return parse(source, entry, entry, Files.readAllBytes(file));
            }));
        }

        void scanJar(ClassSource source) {
            sources.add(source);
            // No signature verification: nothing here is trusted or run, and verifying reads every entry.
            try (JarFile jar = new JarFile(source.path().toFile(), false, ZipFile.OPEN_READ,
                    Runtime.Version.parse(Integer.toString(Math.max(release, 8))))) {
                List<JarEntry> entries = new ArrayList<>();
                try {
                    // In a multi-release jar: logical names, each backed by the highest versioned entry at or
                    // below the release.
                    Iterator<JarEntry> all = jar.isMultiRelease()
                            ? jar.versionedStream().iterator()
                            : jar.entries().asIterator();
                    while (all.hasNext()) {
                        JarEntry e = all.next();
                        if (!e.isDirectory() && !skipped(e.getName())) {
                            entries.add(e);
                        }
                    }
                } catch (RuntimeException e) {
                    // An entry list that breaks off: read what came before.
                    warnings.add(new ScanWarning(source, null, "cannot list all entries: " + describe(e)));
                }
                merge(readAll(source, entries, JarEntry::getRealName, e -> {
                    if (e.getSize() > MAX_CLASS_BYTES) {
                        return tooLarge(source, e.getRealName(), e.getSize());
                    }
                    byte[] bytes;
                    try (InputStream in = jar.getInputStream(e)) {
                        // The declared size can lie; never read more than the cap.
                        bytes = in.readNBytes(MAX_CLASS_BYTES + 1);
                    }
                    if (bytes.length > MAX_CLASS_BYTES) {
                        return tooLarge(source, e.getRealName(), bytes.length);
                    }
                    return parse(source, e.getName(), e.getRealName(), bytes);
                }));
            } catch (IOException | RuntimeException e) {
                warnings.add(new ScanWarning(source, null, "cannot read jar: " + describe(e)));
            }
        }

        /** In order: earlier roots and entries win a name, as in the class loader. */
        private void merge(List<Outcome> outcomes) {
            for (Outcome o : outcomes) {
                if (o.warning() != null) {
                    warnings.add(o.warning());
                }
                ClassInfo info = o.info();
                if (info == null) {
                    continue;
                }
                ClassInfo earlier = classes.putIfAbsent(info.name(), info);
                if (earlier != null) {
                    warnings.add(new ScanWarning(info.source(), info.entry(), "skipped: " + info.name()
                            + " is shadowed by " + earlier.source() + "!/" + earlier.entry()));
                }
            }
        }
    }

    private static Outcome tooLarge(ClassSource source, String entry, long size) {
        return new Outcome(null, new ScanWarning(source, entry, "skipped: " + size + " bytes is too large for a class file"));
    }

    /**
     * @param logical the entry's path as a class name sees it
     * @param real the entry's path in the source (differs in multi-release jars)
     */
    private static Outcome parse(ClassSource source, String logical, String real, byte[] bytes) {
        ClassFileReader.Result r;
        try {
            r = ClassFileReader.read(bytes, source, real);
        } catch (RuntimeException | StackOverflowError e) {
            return new Outcome(null, new ScanWarning(source, real, "not a readable class file: " + describe(e)));
        }
        String expected = logical.substring(0, logical.length() - ".class".length()).replace('/', '.');
        if (!r.info().name().equals(expected)) {
            // The class loader would refuse it (NoClassDefFoundError, wrong name), so it is not an
            // application class.
            return new Outcome(null, new ScanWarning(source, real, "skipped: declares class " + r.info().name()));
        }
        return new Outcome(r.info(), r.caveat() == null ? null : new ScanWarning(source, real, r.caveat()));
    }

    /** Not classes: resources under META-INF (incl. unversioned copies of versioned entries) and descriptors. */
    private static boolean skipped(String entry) {
        return !entry.endsWith(".class")
                || entry.startsWith("META-INF/")
                || entry.equals("module-info.class")
                || entry.endsWith("/module-info.class")
                || entry.equals("package-info.class")
                || entry.endsWith("/package-info.class");
    }

    private static String relative(Path root, Path file) {
        return root.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + m;
    }
}
