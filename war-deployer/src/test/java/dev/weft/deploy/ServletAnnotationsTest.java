package dev.weft.deploy;

import static dev.weft.deploy.TestApps.name;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.deploy.ServletSecurityInfo.Constraint;
import dev.weft.deploy.ServletSecurityInfo.MethodConstraint;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.HttpMethodConstraintElement;
import jakarta.servlet.MultipartConfigElement;
import jakarta.servlet.ServletSecurityElement;
import jakarta.servlet.annotation.ServletSecurity.EmptyRoleSemantic;
import jakarta.servlet.annotation.ServletSecurity.TransportGuarantee;
import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.objectweb.asm.AnnotationVisitor;
import org.objectweb.asm.Opcodes;

/** The Servlet annotations (§8.1) as the scanner reports them, defaults filled in. */
class ServletAnnotationsTest {

    @TempDir
    static Path dir;

    static ScanResult result;

    @BeforeAll
    static void scan() throws IOException {
        result = new ClassScanner().scanWebApp(TestApps.standardApp(dir.resolve("app")));
    }

    private static <T> Map<String, T> byClass(List<T> items, Function<T, String> className) {
        return items.stream().collect(Collectors.toMap(className, Function.identity()));
    }

    @Test
    void noWarningsForTheStandardApp() {
        assertEquals(List.of(), result.warnings());
    }

    @Test
    void webServletDefaults() {
        WebServletInfo s = byClass(result.webServlets(), WebServletInfo::className).get(name("PlainAnnotatedServlet"));
        assertEquals(name("PlainAnnotatedServlet"), s.name());
        assertEquals(List.of("/plain"), s.value());
        assertEquals(List.of(), s.urlPatterns());
        assertEquals(List.of("/plain"), s.patterns());
        assertFalse(s.conflictingPatterns());
        assertEquals(-1, s.loadOnStartup());
        assertEquals(List.of(), s.initParams());
        assertFalse(s.asyncSupported());
        assertEquals("", s.smallIcon());
        assertEquals("", s.largeIcon());
        assertEquals("", s.description());
        assertEquals("", s.displayName());
        assertEquals(ClassSource.Kind.DIRECTORY, s.source().kind());
        assertTrue(s.source().path().endsWith(Path.of("WEB-INF", "classes")));
    }

    @Test
    void webServletWithNothingGiven() {
        WebServletInfo s = byClass(result.webServlets(), WebServletInfo::className).get(name("BareServlet"));
        assertEquals(name("BareServlet"), s.name());
        assertEquals(List.of(), s.patterns());
        assertFalse(s.conflictingPatterns());
    }

    @Test
    void webServletExplicitValues() {
        WebServletInfo s = byClass(result.webServlets(), WebServletInfo::className).get(name("FullServlet"));
        assertEquals("full", s.name());
        assertEquals(List.of(), s.value());
        assertEquals(List.of("/full", "/full/*", "*.full"), s.urlPatterns());
        assertEquals(List.of("/full", "/full/*", "*.full"), s.patterns());
        assertEquals(3, s.loadOnStartup());
        assertEquals(List.of(new InitParam("colour", "blue", "the colour"), new InitParam("size", "10", "")),
                s.initParams());
        assertTrue(s.asyncSupported());
        assertEquals("small.png", s.smallIcon());
        assertEquals("large.png", s.largeIcon());
        assertEquals("a servlet with everything", s.description());
        assertEquals("Full Servlet", s.displayName());
    }

    @Test
    void webServletValueAndUrlPatternsBothSetIsFlagged() {
        WebServletInfo s = byClass(result.webServlets(), WebServletInfo::className).get(name("ConflictingServlet"));
        assertTrue(s.conflictingPatterns());
        assertEquals(List.of("/by-value"), s.value());
        assertEquals(List.of("/by-patterns"), s.urlPatterns());
        // name = "" is the same as not giving one.
        assertEquals(name("ConflictingServlet"), s.name());
    }

    @Test
    void everyAnnotatedServletIsListed() {
        assertEquals(Set.of(name("Tripwire"), name("PlainAnnotatedServlet"), name("FullServlet"), name("BareServlet"),
                        name("ConflictingServlet"), name("InheritingServlet")),
                result.webServlets().stream().map(WebServletInfo::className).collect(Collectors.toSet()));
    }

    @Test
    void webFilterDefaults() {
        WebFilterInfo f = byClass(result.webFilters(), WebFilterInfo::className).get(name("PlainFilter"));
        assertEquals(name("PlainFilter"), f.filterName());
        assertEquals(List.of("/*"), f.patterns());
        assertEquals(List.of(), f.urlPatterns());
        assertEquals(List.of(), f.servletNames());
        assertEquals(EnumSet.of(DispatcherType.REQUEST), f.dispatcherTypes());
        assertFalse(f.asyncSupported());
        assertEquals(List.of(), f.initParams());
        assertEquals("", f.description());
        assertEquals("", f.displayName());
        assertEquals("", f.smallIcon());
        assertEquals("", f.largeIcon());
    }

    @Test
    void webFilterExplicitValues() {
        WebFilterInfo f = byClass(result.webFilters(), WebFilterInfo::className).get(name("FullFilter"));
        assertEquals("full-filter", f.filterName());
        assertEquals("a filter with everything", f.description());
        assertEquals("Full Filter", f.displayName());
        assertEquals(List.of(new InitParam("mode", "strict", "")), f.initParams());
        assertEquals("fs.png", f.smallIcon());
        assertEquals("fl.png", f.largeIcon());
        assertEquals(List.of("full", "other"), f.servletNames());
        assertEquals(List.of("/a/*", "/b/*"), f.patterns());
        assertEquals(EnumSet.of(DispatcherType.FORWARD, DispatcherType.ERROR, DispatcherType.ASYNC), f.dispatcherTypes());
        assertTrue(f.asyncSupported());
        assertFalse(f.conflictingPatterns());
    }

    @Test
    void webFilterEmptyDispatcherListMeansRequest() {
        WebFilterInfo f = byClass(result.webFilters(), WebFilterInfo::className).get(name("EmptyDispatchFilter"));
        assertEquals(EnumSet.of(DispatcherType.REQUEST), f.dispatcherTypes());
        assertTrue(f.conflictingPatterns());
    }

    @Test
    void webListeners() {
        Map<String, WebListenerInfo> l = byClass(result.webListeners(), WebListenerInfo::className);
        assertEquals(Set.of(name("PlainListener"), name("DescribedListener")), l.keySet());
        assertEquals("", l.get(name("PlainListener")).description());
        assertEquals("counts sessions", l.get(name("DescribedListener")).description());
        // What the deployer checks before accepting a listener: read from the Servlet API's class files.
        assertTrue(result.isSubtypeOf(name("PlainListener"), "java.util.EventListener"));
        assertTrue(result.isSubtypeOf(name("DescribedListener"), "jakarta.servlet.http.HttpSessionListener"));
    }

    @Test
    void multipartConfigDefaultsAndExplicitValues() {
        MultipartConfigInfo bare = result.multipartConfig(name("BareServlet")).orElseThrow();
        assertEquals("", bare.location());
        assertEquals(-1L, bare.maxFileSize());
        assertEquals(-1L, bare.maxRequestSize());
        assertEquals(0, bare.fileSizeThreshold());

        MultipartConfigInfo full = result.multipartConfig(name("FullServlet")).orElseThrow();
        assertEquals("/tmp/uploads", full.location());
        assertEquals(5_000_000_000L, full.maxFileSize());
        assertEquals(6_000_000_000L, full.maxRequestSize());
        assertEquals(4096, full.fileSizeThreshold());
        MultipartConfigElement e = full.toElement();
        assertEquals("/tmp/uploads", e.getLocation());
        assertEquals(5_000_000_000L, e.getMaxFileSize());
        assertEquals(6_000_000_000L, e.getMaxRequestSize());
        assertEquals(4096, e.getFileSizeThreshold());

        assertTrue(result.multipartConfig(name("PlainAnnotatedServlet")).isEmpty());
        assertEquals(2, result.multipartConfigs().size());
    }

    @Test
    void servletSecurityWithMethodConstraints() {
        ServletSecurityInfo s = result.servletSecurity(name("FullServlet")).orElseThrow();
        assertEquals(name("FullServlet"), s.className());
        assertEquals(new Constraint(EmptyRoleSemantic.PERMIT, TransportGuarantee.CONFIDENTIAL, List.of("user", "admin")),
                s.httpConstraint());
        Constraint permit = new Constraint(EmptyRoleSemantic.PERMIT, TransportGuarantee.NONE, List.of());
        assertEquals(List.of(
                        new MethodConstraint("GET", permit),
                        new MethodConstraint("POST",
                                new Constraint(EmptyRoleSemantic.PERMIT, TransportGuarantee.NONE, List.of("admin"))),
                        new MethodConstraint("TRACE",
                                new Constraint(EmptyRoleSemantic.DENY, TransportGuarantee.NONE, List.of())),
                        new MethodConstraint("PUT",
                                new Constraint(EmptyRoleSemantic.PERMIT, TransportGuarantee.CONFIDENTIAL, List.of("editor")))),
                s.httpMethodConstraints());

        ServletSecurityElement e = s.toElement();
        assertEquals(TransportGuarantee.CONFIDENTIAL, e.getTransportGuarantee());
        assertEquals(List.of("user", "admin"), List.of(e.getRolesAllowed()));
        assertEquals(Set.of("GET", "POST", "TRACE", "PUT"), Set.copyOf(e.getMethodNames()));
        HttpMethodConstraintElement trace = e.getHttpMethodConstraints().stream()
                .filter(m -> m.getMethodName().equals("TRACE")).findFirst().orElseThrow();
        assertEquals(EmptyRoleSemantic.DENY, trace.getEmptyRoleSemantic());
    }

    @Test
    void servletSecurityDefaults() {
        ServletSecurityInfo s = result.servletSecurity(name("BareServlet")).orElseThrow();
        assertEquals(new Constraint(EmptyRoleSemantic.PERMIT, TransportGuarantee.NONE, List.of()), s.httpConstraint());
        assertEquals(List.of(), s.httpMethodConstraints());
    }

    @Test
    void servletSecurityIsInheritedAcrossSources() {
        // SecuredBase is in api.jar, InheritingServlet in WEB-INF/classes.
        ServletSecurityInfo s = result.servletSecurity(name("InheritingServlet")).orElseThrow();
        assertEquals(name("SecuredBase"), s.className());
        assertEquals(ClassSource.Kind.JAR, s.source().kind());
        assertEquals(EmptyRoleSemantic.DENY, s.httpConstraint().emptyRoleSemantic());
        assertTrue(result.servletSecurity(name("PlainAnnotatedServlet")).isEmpty());
        // Listed once, where it is declared.
        assertEquals(Set.of(name("FullServlet"), name("BareServlet"), name("SecuredBase")),
                result.servletSecurities().stream().map(ServletSecurityInfo::className).collect(Collectors.toSet()));
    }

    @Test
    void invalidSecurityIsRefusedByTheApiElement() {
        ServletSecurityInfo denyWithRoles = new ServletSecurityInfo("x", result.sources().get(0),
                new Constraint(EmptyRoleSemantic.DENY, TransportGuarantee.NONE, List.of("r")), List.of());
        assertThrows(IllegalArgumentException.class, denyWithRoles::toElement);
    }

    @Test
    void declareRolesAndRunAs() {
        assertEquals(List.of("user", "admin", "editor"), result.declareRoles(name("FullServlet")).orElseThrow().roles());
        assertEquals("system", result.runAs(name("FullServlet")).orElseThrow().role());
        assertEquals(1, result.declareRoles().size());
        assertEquals(1, result.runAs().size());
        assertTrue(result.runAs(name("BareServlet")).isEmpty());
    }

    @Test
    void annotationValuesArePlainData() {
        AnnotationInfo a = result.find(name("AllValuesHolder")).orElseThrow().annotation(name("AllValues")).orElseThrow();
        assertEquals("text", a.value("s"));
        assertEquals(42, a.value("i"));
        assertEquals(1L << 40, a.value("l"));
        assertEquals(true, a.value("z"));
        assertEquals((byte) 7, a.value("b"));
        assertEquals((short) 300, a.value("sh"));
        assertEquals('x', a.value("c"));
        assertEquals(1.5f, a.value("f"));
        assertEquals(2.25, a.value("d"));
        assertEquals("ASYNC", a.value("e"));
        assertEquals("java.util.List", a.value("type"));
        assertEquals("int", a.value("primitive"));
        assertEquals("java.lang.String[]", a.value("array"));
        assertEquals(new AnnotationInfo("jakarta.servlet.annotation.WebInitParam", Map.of("name", "n", "value", "v")),
                a.value("nested"));
        assertEquals(List.of("a", "b"), a.value("strings"));
        assertEquals(List.of(1, 2, 3), a.value("ints"));
        assertEquals(List.of("INCLUDE", "ERROR"), a.value("enums"));
        assertEquals(List.of("java.lang.Runnable", "java.lang.Thread$State"), a.value("types"));
        assertEquals(List.of("n1", "n2"), a.annotations("nestedArray").stream().map(n -> n.string("name", null)).toList());
        // Defaults live in the annotation type; the class file holds only what was written.
        assertFalse(a.has("withDefault"));
        assertEquals("fallback", a.string("withDefault", "fallback"));
        assertThrows(IllegalArgumentException.class, () -> a.intValue("s", 0));
    }

    @Test
    void malformedAnnotationIsAWarningNotAFailure(@TempDir Path tmp) throws IOException {
        // What javac cannot write but a broken tool can: loadOnStartup as a string, an unknown dispatcher type.
        byte[] badServlet = TestApps.generate("gen.BadServlet", Opcodes.V21, "jakarta/servlet/http/HttpServlet",
                av -> av.visit("loadOnStartup", "soon"));
        TestApps.write(tmp.resolve("classes/gen/BadServlet.class"), badServlet);
        byte[] goodServlet = TestApps.servlet("gen.GoodServlet", "/good");
        TestApps.write(tmp.resolve("classes/gen/GoodServlet.class"), goodServlet);

        ScanResult r = new ClassScanner().scan(List.of(tmp.resolve("classes")));
        assertEquals(List.of("gen.GoodServlet"), r.webServlets().stream().map(WebServletInfo::className).toList());
        assertTrue(r.find("gen.BadServlet").isPresent(), "the class itself is still known");
        assertEquals(1, r.warnings().size(), r.warnings()::toString);
        ScanWarning w = r.warnings().get(0);
        assertEquals("gen/BadServlet.class", w.entry());
        assertTrue(w.message().contains("WebServlet") && w.message().contains("loadOnStartup"), w.message());
    }

    @Test
    void loneValueForAnArrayElementIsAccepted(@TempDir Path tmp) throws IOException {
        byte[] lone = TestApps.generate("gen.Lone", Opcodes.V21, "jakarta/servlet/http/HttpServlet",
                (AnnotationVisitor av) -> av.visit("urlPatterns", "/lone"));
        TestApps.write(tmp.resolve("classes/gen/Lone.class"), lone);
        ScanResult r = new ClassScanner().scan(List.of(tmp.resolve("classes")));
        assertEquals(List.of("/lone"), r.webServlets().get(0).patterns());
    }
}
