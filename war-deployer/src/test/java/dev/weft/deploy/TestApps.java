package dev.weft.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.objectweb.asm.AnnotationVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;

/**
 * Builds web applications on disk from the fixture class files, read as bytes from the test class
 * path (never loaded), and from class files generated with ASM.
 */
final class TestApps {

    static final String PKG = "dev.weft.deploy.fixtures.";

    /** Shipped in {@code WEB-INF/lib/api.jar}, apart from the classes that use them. */
    static final List<String> API_JAR = List.of(
            "Handled", "HandledChild", "Marker", "InvisibleMarker", "AllValues", "SecuredBase");

    /** In {@code WEB-INF/classes}. {@code OrphanBase} is in neither, {@code MrServlet} has its own tests. */
    static final List<String> CLASSES = List.of(
            "LoadProbe", "Tripwire", "PlainAnnotatedServlet", "FullServlet", "BareServlet", "ConflictingServlet",
            "InheritingServlet", "PlainHttpServlet", "PlainFilter", "FullFilter", "EmptyDispatchFilter",
            "PlainListener", "DescribedListener", "AbstractImpl", "MidImpl", "LeafImpl", "Unrelated", "OrphanSub",
            "MarkedType", "MarkedMethod", "MarkedField", "MarkedConstructor", "MarkedParameter", "InvisiblyMarked",
            "MarkedSubtype", "AllValuesHolder");

    private TestApps() {}

    static String name(String simpleName) {
        return PKG + simpleName;
    }

    static String entry(String simpleName) {
        return name(simpleName).replace('.', '/') + ".class";
    }

    /** A fixture's class file, read as a resource, which never loads the class. */
    static byte[] bytes(String simpleName) {
        try (InputStream in = TestApps.class.getResourceAsStream("/" + entry(simpleName))) {
            if (in == null) {
                throw new IllegalStateException("no compiled fixture " + simpleName);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The application the annotation and @HandlesTypes tests share. */
    static Path standardApp(Path root) throws IOException {
        Path classes = root.resolve("WEB-INF/classes");
        for (String c : CLASSES) {
            write(classes.resolve(entry(c)), bytes(c));
        }
        Path lib = root.resolve("WEB-INF/lib");
        Files.createDirectories(lib);
        jar(lib.resolve("api.jar"), null, API_JAR.stream()
                .collect(java.util.stream.Collectors.toMap(TestApps::entry, TestApps::bytes)));
        return root;
    }

    static void write(Path file, byte[] bytes) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, bytes);
    }

    /** A jar with these entries; a manifest only when given. */
    static Path jar(Path file, Manifest manifest, Map<String, byte[]> entries) throws IOException {
        Files.createDirectories(file.getParent());
        try (OutputStream out = Files.newOutputStream(file);
                JarOutputStream jar = manifest == null ? new JarOutputStream(out) : new JarOutputStream(out, manifest)) {
            for (Map.Entry<String, byte[]> e : new java.util.TreeMap<>(entries).entrySet()) {
                jar.putNextEntry(new JarEntry(e.getKey()));
                jar.write(e.getValue());
                jar.closeEntry();
            }
        }
        return file;
    }

    static Manifest multiReleaseManifest() {
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        m.getMainAttributes().put(Attributes.Name.MULTI_RELEASE, "true");
        return m;
    }

    /** A class extending HttpServlet with {@code @WebServlet(urlPatterns = pattern)}. */
    static byte[] servlet(String binaryName, String pattern) {
        return generate(binaryName, Opcodes.V21, "jakarta/servlet/http/HttpServlet", av -> {
            AnnotationVisitor patterns = av.visitArray("urlPatterns");
            patterns.visit(null, pattern);
            patterns.visitEnd();
        });
    }

    /** A public class with one class-level {@code @WebServlet} whose elements {@code values} writes. */
    static byte[] generate(String binaryName, int version, String superInternalName,
            java.util.function.Consumer<AnnotationVisitor> values) {
        ClassWriter cw = new ClassWriter(0);
        cw.visit(version, Opcodes.ACC_PUBLIC | Opcodes.ACC_SUPER, binaryName.replace('.', '/'), null,
                superInternalName, null);
        AnnotationVisitor av = cw.visitAnnotation("Ljakarta/servlet/annotation/WebServlet;", true);
        values.accept(av);
        av.visitEnd();
        cw.visitEnd();
        return cw.toByteArray();
    }
}
