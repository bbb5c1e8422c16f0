package dev.weft.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.deploy.DescriptorFixtures.Parsed;
import dev.weft.deploy.WebDescriptor.Kind;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.SessionTrackingMode;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** One realistic descriptor per schema version, from the 2.2 DTD to 6.1, and version inference. */
class DescriptorVersionsTest {

    static Stream<Arguments> fixtures() {
        return Stream.of(
                row("web-2.2.xml", Kind.WEB_APP, "2.2", false, true, d -> {
                    assertEquals("HelloServlet", d.servlet("hello").servletClass());
                    assertEquals(List.of("/hello"), d.servletMappings().get(0).urlPatterns());
                }),
                row("web-2.3.xml", Kind.WEB_APP, "2.3", false, true, d -> {
                    assertEquals("Legacy Struts App", d.displayName());
                    assertEquals("messages", d.contextParam("javax.servlet.jsp.jstl.fmt.localizationContext"));
                    assertTrue(d.servlet("action").loadOnStartup().isEmpty());
                    assertEquals("/WEB-INF/struts-config.xml", d.servlet("action").initParam("config"));
                    assertEquals(List.of("/*"), d.filterMappings().get(0).urlPatterns());
                    assertEquals("/tags/struts-bean", d.jspConfig().taglibs().get(0).uri()); // top-level in 2.3
                    assertEquals(30, d.sessionConfig().sessionTimeout());
                    assertEquals("java.lang.Exception", d.errorPages().get(0).exceptionType());
                    assertEquals("BASIC", d.loginConfig().authMethod());
                    assertEquals("on", d.envEntries().get(0).value());
                    assertEquals(List.of("GET"),
                            d.securityConstraints().get(0).webResourceCollections().get(0).httpMethods());
                }),
                row("web-2.4.xml", Kind.WEB_APP, "2.4", false, true, d -> {
                    assertEquals(EnumSet.of(DispatcherType.REQUEST, DispatcherType.INCLUDE, DispatcherType.ERROR),
                            d.filterMappings().get(0).dispatchers());
                    assertEquals(1, d.servlet("dispatcher").loadOnStartup().value());
                    assertEquals(List.of("/WEB-INF/jsp/include.jsp"),
                            d.jspConfig().propertyGroups().get(0).includePreludes());
                    assertEquals("Shift_JIS", d.localeEncodingMappings().get(0).encoding());
                }),
                row("web-2.5.xml", Kind.WEB_APP, "2.5", true, true, d -> {
                    assertEquals(List.of("/faces/*", "*.jsf", "*.xhtml"), d.servletMappings().get(0).urlPatterns());
                    assertEquals(List.of("faces"), d.filterMappings().get(0).servletNames());
                }),
                row("web-3.0.xml", Kind.WEB_APP, "3.0", false, false, d -> {
                    assertEquals(List.of("security"), d.absoluteOrdering().names());
                    assertEquals(1, d.absoluteOrdering().othersIndex());
                    assertEquals(Boolean.TRUE, d.servlet("upload").asyncSupported());
                    assertEquals(10485760L, d.servlet("upload").multipartConfig().maxFileSize());
                    assertNull(d.servlet("upload").multipartConfig().maxRequestSize());
                    assertEquals(Boolean.TRUE, d.sessionConfig().cookieConfig().httpOnly());
                    assertNull(d.sessionConfig().cookieConfig().secure());
                    assertEquals(EnumSet.of(SessionTrackingMode.COOKIE), d.sessionConfig().trackingModes());
                    assertTrue(d.errorPages().get(0).isDefault());
                }),
                row("web-3.1.xml", Kind.WEB_APP, "3.1", false, false, d -> {
                    assertTrue(d.denyUncoveredHttpMethods());
                    assertEquals(List.of("GET"), d.securityConstraints().get(0).webResourceCollections().get(0)
                            .httpMethodOmissions());
                    assertEquals(List.of("**"), d.securityConstraints().get(0).authConstraint().roleNames());
                }),
                row("web-4.0.xml", Kind.WEB_APP, "4.0", false, false, d -> {
                    assertEquals("/inventory", d.defaultContextPath());
                    assertEquals("UTF-8", d.requestCharacterEncoding());
                    assertEquals("UTF-8", d.responseCharacterEncoding());
                    assertEquals(List.of("/"), d.servletMappings().get(0).urlPatterns());
                }),
                row("web-5.0.xml", Kind.WEB_APP, "5.0", false, false, d -> {
                    assertEquals("org.jboss.weld.environment.servlet.Listener", d.listeners().get(0).className());
                    assertEquals("Development", d.contextParam("jakarta.faces.PROJECT_STAGE"));
                }),
                row("web-6.0.xml", Kind.WEB_APP, "6.0", false, false,
                        d -> assertEquals(Map.of("SameSite", "Lax"), d.sessionConfig().cookieConfig().attributes())),
                row("web-6.1-full.xml", Kind.WEB_APP, "6.1", false, false,
                        d -> assertEquals(3, d.servlets().size())),
                row("web-fragment-3.0.xml", Kind.WEB_FRAGMENT, "3.0", false, false, d -> {
                    assertEquals("security", d.name());
                    assertTrue(d.ordering().beforeOthers());
                    assertEquals("org.springframework.web.filter.DelegatingFilterProxy",
                            d.filter("springSecurityFilterChain").filterClass());
                }),
                row("web-fragment-4.0.xml", Kind.WEB_FRAGMENT, "4.0", true, true,
                        d -> assertEquals("metrics", d.name())),
                row("web-fragment-6.1.xml", Kind.WEB_FRAGMENT, "6.1", false, false, d -> {
                    assertEquals("websocket", d.name());
                    assertTrue(d.distributable());
                    assertNull(d.ordering());
                    assertEquals("application/wasm", d.mimeMappings().get(0).mimeType());
                }));
    }

    private static Arguments row(String file, Kind kind, String version, boolean metadataComplete,
            boolean effectivelyComplete, Consumer<WebDescriptor> check) {
        return Arguments.of(file, kind, version, metadataComplete, effectivelyComplete, check);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void readsEverySchemaVersion(String file, Kind kind, String version, boolean metadataComplete,
            boolean effectivelyComplete, Consumer<WebDescriptor> check) {
        Parsed p = DescriptorFixtures.resource(file);
        WebDescriptor d = p.descriptor();
        assertEquals(kind, d.kind());
        assertEquals(version, d.version());
        assertEquals(metadataComplete, d.metadataComplete());
        assertEquals(effectivelyComplete, d.effectivelyMetadataComplete());
        assertEquals(List.of(), p.warnings(), "realistic descriptors give no warnings");
        check.accept(d);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "https://jakarta.ee/xml/ns/jakartaee|6.1",
        "http://xmlns.jcp.org/xml/ns/javaee|4.0",
        "http://java.sun.com/xml/ns/javaee|3.0",
        "http://java.sun.com/xml/ns/j2ee|2.4",
        "|6.1"})
    void aMissingVersionIsTheNewestOfTheNamespace(String namespace, String expected) {
        String xmlns = namespace == null ? "" : " xmlns=\"" + namespace + "\"";
        Parsed p = DescriptorFixtures.parse("<web-app" + xmlns + "><display-name>x</display-name></web-app>",
                "WEB-INF/web.xml");
        assertEquals(expected, p.descriptor().version());
        assertEquals(List.of("WEB-INF/web.xml:1: no version attribute; reading it as version " + expected),
                p.warnings());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "2.5|true|false", "2.4|false|true", "3.0|true|false", "6.1|true|false", "10.0|true|false"})
    void versionComparisons(String version, boolean atLeast25, boolean effectivelyComplete) {
        WebDescriptor d = DescriptorFixtures.parse("<web-app xmlns=\"https://jakarta.ee/xml/ns/jakartaee\" version=\""
                + version + "\"/>", "WEB-INF/web.xml").descriptor();
        assertEquals(version, d.version());
        assertEquals(atLeast25, d.versionAtLeast(2, 5));
        assertEquals(version.equals("10.0"), d.versionAtLeast(7, 0));
        assertEquals(effectivelyComplete, d.effectivelyMetadataComplete());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"true|true", "false|false", "' true '|true", "1|true"})
    void metadataCompleteAttribute(String value, boolean expected) {
        WebDescriptor d = DescriptorFixtures.parse("<web-app xmlns=\"https://jakarta.ee/xml/ns/jakartaee\" "
                + "version=\"6.1\" metadata-complete=\"" + value + "\"/>", "WEB-INF/web.xml").descriptor();
        assertEquals(expected, d.metadataComplete());
    }
}
