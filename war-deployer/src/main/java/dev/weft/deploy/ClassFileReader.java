package dev.weft.deploy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.objectweb.asm.AnnotationVisitor;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.FieldVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/** Turns class file bytes into a {@link ClassInfo} with ASM, never defining the class. */
final class ClassFileReader {

    /** Method bodies, debug tables and stack maps carry nothing the scan needs, and are most of a class file. */
    static final int FLAGS = ClassReader.SKIP_CODE | ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES;

    /** The newest class file version every ASM 9.8+ reads; newer files are retried as this one. */
    private static final int FALLBACK_MAJOR = Opcodes.V25 & 0xFFFF;

    private ClassFileReader() {}

    /** What {@link #read} found, and an optional caveat. */
    record Result(ClassInfo info, String caveat) {}

    /**
     * @throws RuntimeException (or {@code StackOverflowError} for absurdly nested annotations) when
     *     the bytes are not a readable class file
     */
    static Result read(byte[] bytes, ClassSource source, String entry) {
        Opened opened = open(bytes);
        Collector c = new Collector();
        opened.reader().accept(c, FLAGS);
        if (c.name == null) {
            throw new IllegalArgumentException("no class header");
        }
        ClassInfo info = new ClassInfo(c.name, c.superName, c.interfaces, c.access, c.annotations,
                c.memberAnnotations, source, entry);
        return new Result(info, opened.caveat());
    }

    record Opened(ClassReader reader, String caveat) {}

    /** A reader over the bytes; only the header and constant pool are parsed until {@code accept}. */
    static Opened open(byte[] bytes) {
        try {
            return new Opened(new ClassReader(bytes), null);
        } catch (IllegalArgumentException e) {
            // ASM refuses class files newer than it knows, although with code skipped the layout it reads
            // (header, constant pool, attributes) has not changed since Java 11. Retrying under an older
            // version number keeps a newer JDK's classes visible until ASM is upgraded; a file that really
            // changed shape still fails and is reported as unreadable.
            int major = bytes.length >= 8 ? ((bytes[6] & 0xFF) << 8) | (bytes[7] & 0xFF) : 0;
            if (!isClassFile(bytes) || major <= FALLBACK_MAJOR) {
                throw e;
            }
            byte[] patched = bytes.clone();
            patched[4] = 0;
            patched[5] = 0;
            patched[6] = (byte) (FALLBACK_MAJOR >>> 8);
            patched[7] = (byte) FALLBACK_MAJOR;
            return new Opened(new ClassReader(patched),
                    "class file version " + major + " is newer than this ASM reads; read as version " + FALLBACK_MAJOR);
        }
    }

    private static boolean isClassFile(byte[] b) {
        return b.length >= 8 && (b[0] & 0xFF) == 0xCA && (b[1] & 0xFF) == 0xFE
                && (b[2] & 0xFF) == 0xBA && (b[3] & 0xFF) == 0xBE;
    }

    static String binaryName(String internalName) {
        return internalName.replace('/', '.');
    }

    private static String typeName(String descriptor) {
        return Type.getType(descriptor).getClassName();
    }

    private static final class Collector extends ClassVisitor {
        String name;
        String superName;
        List<String> interfaces = List.of();
        int access;
        final List<AnnotationInfo> annotations = new ArrayList<>();
        final Set<String> memberAnnotations = new HashSet<>();

        Collector() {
            super(Opcodes.ASM9);
        }

        @Override
        public void visit(int version, int access, String name, String signature, String superName,
                String[] interfaces) {
            this.access = access;
            this.name = binaryName(name);
            this.superName = superName == null ? null : binaryName(superName);
            List<String> names = new ArrayList<>(interfaces == null ? 0 : interfaces.length);
            if (interfaces != null) {
                for (String i : interfaces) {
                    names.add(binaryName(i));
                }
            }
            this.interfaces = names;
        }

        @Override
        public AnnotationVisitor visitAnnotation(String descriptor, boolean visible) {
            // Invisible (CLASS retention) annotations are not there for reflection either, and Tomcat
            // ignores them too.
            return visible ? new AnnotationBuilder(typeName(descriptor), annotations::add) : null;
        }

        // One visitor each for all fields and methods: only the annotation names matter, not whose they are.
        private final FieldVisitor fieldAnnotations = new FieldVisitor(Opcodes.ASM9) {
            @Override
            public AnnotationVisitor visitAnnotation(String descriptor, boolean visible) {
                return memberAnnotation(descriptor, visible);
            }
        };

        private final MethodVisitor methodAnnotations = new MethodVisitor(Opcodes.ASM9) {
            @Override
            public AnnotationVisitor visitAnnotation(String descriptor, boolean visible) {
                return memberAnnotation(descriptor, visible);
            }
        };

        private AnnotationVisitor memberAnnotation(String descriptor, boolean visible) {
            if (visible) {
                memberAnnotations.add(typeName(descriptor));
            }
            return null;
        }

        @Override
        public FieldVisitor visitField(int access, String name, String descriptor, String signature, Object value) {
            return fieldAnnotations;
        }

        @Override
        public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                String[] exceptions) {
            return methodAnnotations;
        }
    }

    private static final class AnnotationBuilder extends AnnotationVisitor {
        private final String type;
        private final Map<String, Object> values = new LinkedHashMap<>();
        private final Consumer<AnnotationInfo> done;

        AnnotationBuilder(String type, Consumer<AnnotationInfo> done) {
            super(Opcodes.ASM9);
            this.type = type;
            this.done = done;
        }

        @Override
        public void visit(String name, Object value) {
            values.put(name, plain(value));
        }

        @Override
        public void visitEnum(String name, String descriptor, String value) {
            values.put(name, value);
        }

        @Override
        public AnnotationVisitor visitAnnotation(String name, String descriptor) {
            return new AnnotationBuilder(typeName(descriptor), a -> values.put(name, a));
        }

        @Override
        public AnnotationVisitor visitArray(String name) {
            return new ArrayBuilder(list -> values.put(name, list));
        }

        @Override
        public void visitEnd() {
            done.accept(new AnnotationInfo(type, values));
        }
    }

    private static final class ArrayBuilder extends AnnotationVisitor {
        private final List<Object> items = new ArrayList<>();
        private final Consumer<List<Object>> done;

        ArrayBuilder(Consumer<List<Object>> done) {
            super(Opcodes.ASM9);
            this.done = done;
        }

        @Override
        public void visit(String name, Object value) {
            items.add(plain(value));
        }

        @Override
        public void visitEnum(String name, String descriptor, String value) {
            items.add(value);
        }

        @Override
        public AnnotationVisitor visitAnnotation(String name, String descriptor) {
            return new AnnotationBuilder(typeName(descriptor), items::add);
        }

        @Override
        public AnnotationVisitor visitArray(String name) {
            // Not valid Java, but the class file format allows arrays of arrays.
            return new ArrayBuilder(items::add);
        }

        @Override
        public void visitEnd() {
            done.accept(List.copyOf(items));
        }
    }

    /** Class literals become names and primitive arrays (which ASM hands over whole) become lists. */
    private static Object plain(Object value) {
        if (value instanceof Type t) {
            return t.getClassName();
        }
        if (value.getClass().isArray()) {
            int n = java.lang.reflect.Array.getLength(value);
            List<Object> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                out.add(java.lang.reflect.Array.get(value, i));
            }
            return List.copyOf(out);
        }
        return value;
    }
}
