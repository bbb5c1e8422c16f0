package dev.weft.deploy;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.objectweb.asm.ClassReader;

/**
 * What {@link ClassScanner} found: every readable class, the Servlet annotations (§8.1) as records with
 * the API's defaults filled in, {@code @HandlesTypes} matching (§8.2.4), and the warnings.
 *
 * <p>Annotation records are listed for every source; the deployer drops those from sources whose
 * annotations do not count (a metadata-complete web.xml or fragment, a jar left out by absolute
 * ordering) using each record's {@code source}. {@code @HandlesTypes} ignores metadata-complete
 * (§8.2.4), so it is not filtered here either.
 *
 * <p>Immutable apart from a cache of supertypes read through the {@link ClassFileLocator}; safe to share
 * between threads.
 */
public final class ScanResult {

    private static final String OBJECT = "java.lang.Object";

    private final List<ClassSource> sources;
    private final Map<String, ClassInfo> classes;
    private final List<ScanWarning> warnings;
    private final ClassFileLocator outsideTypes;

    private final List<WebServletInfo> webServlets = new ArrayList<>();
    private final List<WebFilterInfo> webFilters = new ArrayList<>();
    private final List<WebListenerInfo> webListeners = new ArrayList<>();
    private final Map<String, MultipartConfigInfo> multipartConfigs = new LinkedHashMap<>();
    private final Map<String, ServletSecurityInfo> servletSecurities = new LinkedHashMap<>();
    private final Map<String, DeclareRolesInfo> declareRoles = new LinkedHashMap<>();
    private final Map<String, RunAsInfo> runAs = new LinkedHashMap<>();

    /** Types outside the scanned roots, read once through {@link #outsideTypes}; guarded by outsideLock. */
    private final Map<String, OutsideType> outside = new HashMap<>();
    // A lock, not synchronized: the reads it guards are I/O, which would pin a virtual thread.
    private final java.util.concurrent.locks.ReentrantLock outsideLock = new java.util.concurrent.locks.ReentrantLock();

    private record OutsideType(int access, List<String> supertypes) {
        static final OutsideType UNKNOWN = new OutsideType(-1, List.of());
    }

    ScanResult(List<ClassSource> sources, Map<String, ClassInfo> classes, List<ScanWarning> warnings,
            ClassFileLocator outsideTypes) {
        this.sources = List.copyOf(sources);
        this.classes = Collections.unmodifiableMap(new LinkedHashMap<>(classes));
        this.outsideTypes = outsideTypes;
        List<ScanWarning> all = new ArrayList<>(warnings);
        for (ClassInfo c : this.classes.values()) {
            for (AnnotationInfo a : c.annotations()) {
                try {
                    collect(c, a);
                } catch (RuntimeException e) {
                    // A malformed annotation would make reflection throw on access; here it only costs
                    // this annotation, and the deployer decides whether a warning is fatal.
                    all.add(new ScanWarning(c.source(), c.entry(), "@" + a.type() + " ignored: " + e.getMessage()));
                }
            }
        }
        this.warnings = List.copyOf(all);
    }

    private void collect(ClassInfo c, AnnotationInfo a) {
        String t = a.type();
        if (t.equals(WebServletInfo.TYPE)) {
            webServlets.add(WebServletInfo.from(c, a));
        } else if (t.equals(WebFilterInfo.TYPE)) {
            webFilters.add(WebFilterInfo.from(c, a));
        } else if (t.equals(WebListenerInfo.TYPE)) {
            webListeners.add(WebListenerInfo.from(c, a));
        } else if (t.equals(MultipartConfigInfo.TYPE)) {
            multipartConfigs.put(c.name(), MultipartConfigInfo.from(c, a));
        } else if (t.equals(ServletSecurityInfo.TYPE)) {
            servletSecurities.put(c.name(), ServletSecurityInfo.from(c, a));
        } else if (t.equals(DeclareRolesInfo.TYPE)) {
            declareRoles.put(c.name(), DeclareRolesInfo.from(c, a));
        } else if (t.equals(RunAsInfo.TYPE)) {
            runAs.put(c.name(), RunAsInfo.from(c, a));
        }
    }

    /** The roots, in the order given to the scanner (which is class loading precedence). */
    public List<ClassSource> sources() {
        return sources;
    }

    /**
     * Every class read, by binary name, in scan order. When several roots hold the same name the first
     * wins, as the web application class loader would pick it.
     */
    public Map<String, ClassInfo> classes() {
        return classes;
    }

    public Optional<ClassInfo> find(String className) {
        return Optional.ofNullable(classes.get(className));
    }

    /** The classes read from one source. */
    public List<ClassInfo> classesIn(ClassSource source) {
        List<ClassInfo> out = new ArrayList<>();
        for (ClassInfo c : classes.values()) {
            if (c.source().equals(source)) {
                out.add(c);
            }
        }
        return out;
    }

    /** Everything skipped: unreadable sources, entries and class files, malformed annotations, shadowed duplicates. */
    public List<ScanWarning> warnings() {
        return warnings;
    }

    public List<WebServletInfo> webServlets() {
        return Collections.unmodifiableList(webServlets);
    }

    public List<WebFilterInfo> webFilters() {
        return Collections.unmodifiableList(webFilters);
    }

    public List<WebListenerInfo> webListeners() {
        return Collections.unmodifiableList(webListeners);
    }

    public List<MultipartConfigInfo> multipartConfigs() {
        return List.copyOf(multipartConfigs.values());
    }

    /** The {@code @MultipartConfig} on the class itself (the annotation is not inherited). */
    public Optional<MultipartConfigInfo> multipartConfig(String className) {
        return Optional.ofNullable(multipartConfigs.get(className));
    }

    /** The {@code @ServletSecurity} annotations as declared, on the classes that carry them. */
    public List<ServletSecurityInfo> servletSecurities() {
        return List.copyOf(servletSecurities.values());
    }

    /**
     * The {@code @ServletSecurity} that applies to a class: its own, or else the nearest superclass's
     * ({@code @ServletSecurity} is {@code @Inherited}). Superclasses outside the scanned roots are not
     * consulted; the container's own servlet classes carry no such annotation.
     */
    public Optional<ServletSecurityInfo> servletSecurity(String className) {
        Set<String> seen = new HashSet<>();
        for (String n = className; n != null && seen.add(n); ) {
            ServletSecurityInfo s = servletSecurities.get(n);
            if (s != null) {
                return Optional.of(s);
            }
            ClassInfo c = classes.get(n);
            n = c == null ? null : c.superName();
        }
        return Optional.empty();
    }

    public List<DeclareRolesInfo> declareRoles() {
        return List.copyOf(declareRoles.values());
    }

    public Optional<DeclareRolesInfo> declareRoles(String className) {
        return Optional.ofNullable(declareRoles.get(className));
    }

    public List<RunAsInfo> runAs() {
        return List.copyOf(runAs.values());
    }

    public Optional<RunAsInfo> runAs(String className) {
        return Optional.ofNullable(runAs.get(className));
    }

    /**
     * The application classes to pass to a {@code ServletContainerInitializer} whose
     * {@code @HandlesTypes} names these types (Servlet 6.1 §8.2.4, following Tomcat):
     * <ul>
     *   <li>for a class or interface type: every scanned class or interface that extends or implements
     *       it, directly or through any chain of superclasses and superinterfaces, including links that
     *       are outside the scanned roots (read through the {@link ClassFileLocator}, or matched by name
     *       when no one can read them);
     *   <li>for an annotation type: every scanned class that carries it on the class, a field, a method
     *       or a constructor (not on parameters, not through meta-annotations, not inherited);
     *   <li>never the named types themselves (unless they match another named type), and never
     *       annotation types.
     * </ul>
     * Abstract classes and interfaces are included; choosing among them is the initializer's business.
     * An empty list means {@code onStartup} gets {@code null}. Nothing is loaded: the deployer loads
     * the returned names with the application's class loader.
     *
     * @param types the initializer's {@code HandlesTypes.value()}
     * @return the matches, by name
     */
    public List<ClassInfo> handlesTypes(Class<?>[] types) {
        Set<String> supertypes = new HashSet<>();
        Set<String> annotations = new HashSet<>();
        for (Class<?> t : types) {
            (t.isAnnotation() ? annotations : supertypes).add(t.getName());
        }
        return match(supertypes, annotations);
    }

    /**
     * {@link #handlesTypes(Class[])} by binary names, for when the initializer's types cannot be
     * loaded. Whether a name is an annotation type is read from the scanned classes or the
     * {@link ClassFileLocator}; a name found nowhere is matched both ways.
     */
    public List<ClassInfo> handlesTypes(Collection<String> typeNames) {
        Set<String> supertypes = new HashSet<>();
        Set<String> annotations = new HashSet<>();
        for (String t : typeNames) {
            int access = accessOf(t);
            if (access == -1 || (access & 0x2000) != 0) {
                annotations.add(t);
            }
            if (access == -1 || (access & 0x2000) == 0) {
                supertypes.add(t);
            }
        }
        return match(supertypes, annotations);
    }

    private List<ClassInfo> match(Set<String> supertypes, Set<String> annotations) {
        List<ClassInfo> out = new ArrayList<>();
        for (ClassInfo c : classes.values()) {
            if (c.isAnnotation()) {
                continue;
            }
            if (carriesAny(c, annotations) || (!supertypes.isEmpty() && walkSupertypes(c.name(), supertypes::contains))) {
                out.add(c);
            }
        }
        out.sort(Comparator.comparing(ClassInfo::name));
        return out;
    }

    private static boolean carriesAny(ClassInfo c, Set<String> annotations) {
        if (annotations.isEmpty()) {
            return false;
        }
        for (AnnotationInfo a : c.annotations()) {
            if (annotations.contains(a.type())) {
                return true;
            }
        }
        for (String a : c.memberAnnotations()) {
            if (annotations.contains(a)) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code typeName} is a proper supertype of the class (scanned or not), by the rules of {@link #handlesTypes}. */
    public boolean isSubtypeOf(String className, String typeName) {
        return walkSupertypes(className, typeName::equals);
    }

    /**
     * Every proper supertype of a class that can be named: through the scanned classes and the
     * {@link ClassFileLocator}; where neither can read a supertype, its name ends that branch.
     */
    public Set<String> supertypes(String className) {
        Set<String> all = new LinkedHashSet<>();
        walkSupertypes(className, n -> {
            all.add(n);
            return false;
        });
        return all;
    }

    /** Breadth-first up the hierarchy until {@code stop} says so; cycles (only in forged class files) end a branch. */
    private boolean walkSupertypes(String className, Predicate<String> stop) {
        Set<String> seen = new HashSet<>();
        seen.add(className);
        Deque<String> queue = new ArrayDeque<>(directSupertypes(className));
        while (!queue.isEmpty()) {
            String n = queue.poll();
            if (!seen.add(n)) {
                continue;
            }
            if (stop.test(n)) {
                return true;
            }
            queue.addAll(directSupertypes(n));
        }
        return false;
    }

    private List<String> directSupertypes(String name) {
        ClassInfo c = classes.get(name);
        if (c != null) {
            return direct(c.superName(), c.interfaces(), c.name());
        }
        return outsideType(name).supertypes();
    }

    private static List<String> direct(String superName, List<String> interfaces, String self) {
        if (superName == null || superName.equals(self)) {
            return interfaces;
        }
        List<String> all = new ArrayList<>(interfaces.size() + 1);
        all.add(superName);
        all.addAll(interfaces);
        return all;
    }

    /** The access flags of a scanned or locatable type, or -1 when neither knows it. */
    private int accessOf(String name) {
        ClassInfo c = classes.get(name);
        return c != null ? c.access() : outsideType(name).access();
    }

    private OutsideType outsideType(String name) {
        if (name.equals(OBJECT)) {
            return new OutsideType(0x0001, List.of());
        }
        outsideLock.lock();
        try {
            OutsideType t = outside.get(name);
            if (t == null) {
                t = readOutside(name);
                outside.put(name, t);
            }
            return t;
        } finally {
            outsideLock.unlock();
        }
    }

    private OutsideType readOutside(String name) {
        try {
            byte[] bytes = outsideTypes.find(name);
            if (bytes == null) {
                return OutsideType.UNKNOWN;
            }
            ClassReader r = ClassFileReader.open(bytes).reader();
            List<String> interfaces = new ArrayList<>();
            for (String i : r.getInterfaces()) {
                interfaces.add(ClassFileReader.binaryName(i));
            }
            String superName = r.getSuperName();
            return new OutsideType(r.getAccess(),
                    direct(superName == null ? null : ClassFileReader.binaryName(superName), interfaces, name));
        } catch (Exception | StackOverflowError e) {
            // An unreadable library class only ends the walk there, as an unknown one does.
            return OutsideType.UNKNOWN;
        }
    }

    @Override
    public String toString() {
        return "ScanResult[" + classes.size() + " classes from " + sources.size() + " sources, "
                + warnings.size() + " warnings]";
    }
}
