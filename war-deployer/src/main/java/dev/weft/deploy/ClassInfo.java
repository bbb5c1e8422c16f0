package dev.weft.deploy;

import java.lang.reflect.Modifier;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One application class as its class file describes it, read without loading it.
 *
 * @param name binary name, {@code com.example.Outer$Inner}
 * @param superName the superclass's binary name; null only for {@code java.lang.Object} and module
 *     descriptors (interfaces name {@code java.lang.Object})
 * @param interfaces directly implemented (or, for an interface, extended) interfaces
 * @param access the class file's access flags ({@code ACC_INTERFACE}, {@code ACC_ABSTRACT},
 *     {@code ACC_ANNOTATION}, ...)
 * @param annotations runtime-visible annotations on the class, with their values
 * @param memberAnnotations binary names of runtime-visible annotation types on the class's fields,
 *     methods and constructors; only names, since {@code @HandlesTypes} only asks whether they are there
 * @param source the folder or jar it came from
 * @param entry its path inside the source; for a multi-release jar the versioned path it was read from
 */
public record ClassInfo(
        String name,
        String superName,
        List<String> interfaces,
        int access,
        List<AnnotationInfo> annotations,
        Set<String> memberAnnotations,
        ClassSource source,
        String entry) {

    // JVM flags not in java.lang.reflect.Modifier's public API.
    private static final int ACC_INTERFACE = 0x0200;
    private static final int ACC_ANNOTATION = 0x2000;
    private static final int ACC_ENUM = 0x4000;

    public ClassInfo {
        Objects.requireNonNull(name, "name");
        interfaces = List.copyOf(interfaces);
        annotations = List.copyOf(annotations);
        memberAnnotations = Set.copyOf(memberAnnotations);
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(entry, "entry");
    }

    public boolean isInterface() {
        return (access & ACC_INTERFACE) != 0;
    }

    /** True for annotation types, which are also interfaces. */
    public boolean isAnnotation() {
        return (access & ACC_ANNOTATION) != 0;
    }

    public boolean isEnum() {
        return (access & ACC_ENUM) != 0;
    }

    /** True for abstract classes and for interfaces. */
    public boolean isAbstract() {
        return Modifier.isAbstract(access);
    }

    public boolean isPublic() {
        return Modifier.isPublic(access);
    }

    /** The class-level annotation of that type, if the class carries it. */
    public Optional<AnnotationInfo> annotation(String type) {
        for (AnnotationInfo a : annotations) {
            if (a.type().equals(type)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    public boolean hasAnnotation(String type) {
        return annotation(type).isPresent();
    }

    /** Whether the annotation is on the class, a field, a method or a constructor. */
    public boolean hasAnnotationAnywhere(String type) {
        return hasAnnotation(type) || memberAnnotations.contains(type);
    }
}
