package dev.weft.deploy;

import static dev.weft.deploy.TestApps.name;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.servlet.Servlet;
import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.annotation.HandlesTypes;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code @HandlesTypes} matching (§8.2.4). The handled types are given by name so the test does not
 * load the fixtures either; {@link #classLiteralsMatchLikeNames} covers the {@code Class[]} form with
 * container types.
 */
class HandlesTypesTest {

    /** The Servlet API and the JDK, but not the fixtures, as the container's class loader would see. */
    static final ClassFileLocator CONTAINER = className -> className.startsWith("dev.weft.")
            ? null
            : ClassFileLocator.of(HandlesTypesTest.class.getClassLoader()).find(className);

    @TempDir
    static Path dir;

    static ScanResult result;

    @BeforeAll
    static void scan() throws IOException {
        result = new ClassScanner().withOutsideTypes(CONTAINER).scanWebApp(TestApps.standardApp(dir.resolve("app")));
    }

    private static Set<String> names(Collection<ClassInfo> classes) {
        return classes.stream().map(ClassInfo::name).collect(Collectors.toSet());
    }

    private static Set<String> fixtures(String... simpleNames) {
        return Set.of(simpleNames).stream().map(TestApps::name).collect(Collectors.toSet());
    }

    @Test
    void interfaceThroughSuperclassChainsAndSuperinterfaces() {
        // Handled and HandledChild are in api.jar, the implementations in WEB-INF/classes.
        assertEquals(fixtures("HandledChild", "AbstractImpl", "MidImpl", "LeafImpl", "Tripwire"),
                names(result.handlesTypes(List.of(name("Handled")))));
    }

    @Test
    void classTypeMatchesSubclassesOnly() {
        assertEquals(fixtures("MidImpl", "LeafImpl"), names(result.handlesTypes(List.of(name("AbstractImpl")))));
        assertEquals(fixtures("LeafImpl"), names(result.handlesTypes(List.of(name("MidImpl")))));
        assertEquals(Set.of(), names(result.handlesTypes(List.of(name("LeafImpl")))));
    }

    @Test
    void annotationTypeMatchesClassFieldMethodAndConstructor() {
        assertEquals(fixtures("MarkedType", "MarkedMethod", "MarkedField", "MarkedConstructor"),
                names(result.handlesTypes(List.of(name("Marker")))));
    }

    @Test
    void classRetentionAnnotationsDoNotCount() {
        assertEquals(Set.of(), names(result.handlesTypes(List.of(name("InvisibleMarker")))));
    }

    @Test
    void severalTypesGiveTheUnion() {
        assertEquals(fixtures("MarkedType", "MarkedMethod", "MarkedField", "MarkedConstructor", "MidImpl", "LeafImpl"),
                names(result.handlesTypes(List.of(name("Marker"), name("AbstractImpl")))));
    }

    @Test
    void throughSupertypesOutsideTheScannedRoots() {
        // HttpServlet and GenericServlet are read from the Servlet API jar, never loaded from the app.
        assertEquals(fixtures("Tripwire", "PlainAnnotatedServlet", "FullServlet", "BareServlet", "ConflictingServlet",
                        "InheritingServlet", "SecuredBase", "PlainHttpServlet"),
                names(result.handlesTypes(List.of(Servlet.class.getName()))));
    }

    @Test
    void classLiteralsMatchLikeNames() {
        @HandlesTypes({Servlet.class, jakarta.servlet.annotation.WebListener.class})
        abstract class Initializer implements ServletContainerInitializer {}

        Class<?>[] types = Initializer.class.getAnnotation(HandlesTypes.class).value();
        assertEquals(names(result.handlesTypes(List.of(Servlet.class.getName(), "jakarta.servlet.annotation.WebListener"))),
                names(result.handlesTypes(types)));
        assertTrue(names(result.handlesTypes(types)).containsAll(fixtures("PlainListener", "DescribedListener")));
    }

    @Test
    void unresolvableSuperclassMatchesByNameOnly() {
        ClassInfo orphan = result.find(name("OrphanSub")).orElseThrow();
        assertEquals(name("OrphanBase"), orphan.superName());
        // OrphanBase implements Handled, but nothing on the scanned path or the container can say so.
        assertFalse(names(result.handlesTypes(List.of(name("Handled")))).contains(name("OrphanSub")));
        assertEquals(fixtures("OrphanSub"), names(result.handlesTypes(List.of(name("OrphanBase")))));
        assertEquals(Set.of(name("OrphanBase")), result.supertypes(name("OrphanSub")));
    }

    @Test
    void locatorCanReadAnOutsideSupertype(@TempDir Path tmp) throws IOException {
        ClassFileLocator withOrphanBase = className -> className.equals(name("OrphanBase"))
                ? TestApps.bytes("OrphanBase")
                : CONTAINER.find(className);
        ScanResult r = new ClassScanner().withOutsideTypes(withOrphanBase).scanWebApp(TestApps.standardApp(tmp));
        assertTrue(names(r.handlesTypes(List.of(name("Handled")))).contains(name("OrphanSub")));
        assertTrue(r.isSubtypeOf(name("OrphanSub"), name("Handled")));
    }

    @Test
    void withoutAnyLocatorContainerSupertypesAreNamesOnly(@TempDir Path tmp) throws IOException {
        ScanResult r = new ClassScanner().withOutsideTypes(ClassFileLocator.none()).scanWebApp(TestApps.standardApp(tmp));
        // Direct references still match by name ...
        assertTrue(names(r.handlesTypes(List.of("jakarta.servlet.http.HttpServlet"))).contains(name("PlainHttpServlet")));
        // ... but the chain above HttpServlet is unknown.
        assertFalse(names(r.handlesTypes(List.of(Servlet.class.getName()))).contains(name("PlainHttpServlet")));
        assertEquals(List.of(), r.warnings());
    }

    @Test
    void unknownNameIsMatchedBothWays() {
        // Not scanned, not locatable: could be an annotation or a supertype, so both are tried.
        assertEquals(fixtures("OrphanSub"), names(result.handlesTypes(List.of(name("OrphanBase")))));
        assertEquals(Set.of(), names(result.handlesTypes(List.of("com.example.Nowhere"))));
    }

    @Test
    void annotationTypesAreNeverMatched() {
        // Annotation types are interfaces extending Annotation, but Tomcat skips them, and so do we.
        assertFalse(names(result.handlesTypes(List.of("java.lang.annotation.Annotation"))).contains(name("Marker")));
    }

    @Test
    void supertypesListsTheWholeKnownHierarchy() {
        assertEquals(Set.of(name("MidImpl"), name("AbstractImpl"), name("HandledChild"), name("Handled"),
                        "java.lang.Comparable", "java.lang.Object"),
                result.supertypes(name("LeafImpl")));
    }
}
