package dev.weft.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.deploy.DescriptorFixtures.Parsed;
import dev.weft.deploy.WebDescriptor.CookieConfig;
import dev.weft.deploy.WebDescriptor.ErrorPage;
import dev.weft.deploy.WebDescriptor.FilterDef;
import dev.weft.deploy.WebDescriptor.FilterMapping;
import dev.weft.deploy.WebDescriptor.JspPropertyGroup;
import dev.weft.deploy.WebDescriptor.LoginConfig;
import dev.weft.deploy.WebDescriptor.SecurityConstraint;
import dev.weft.deploy.WebDescriptor.ServletDef;
import dev.weft.deploy.WebDescriptor.SessionConfig;
import dev.weft.deploy.WebDescriptor.TransportGuarantee;
import dev.weft.deploy.WebDescriptor.WebResourceCollection;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.MultipartConfigElement;
import jakarta.servlet.SessionTrackingMode;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every element of a Servlet 6.1 web.xml, whitespace, warnings, line numbers, url-pattern rules. */
class DescriptorParserTest {
    private static final Parsed FULL = DescriptorFixtures.resource("web-6.1-full.xml");
    private static final WebDescriptor D = FULL.descriptor();

    private static DescriptorSource at(int line) {
        return new DescriptorSource("web-6.1-full.xml", line);
    }

    @Test
    void rootAndTopLevelValues() {
        assertEquals(WebDescriptor.Kind.WEB_APP, D.kind());
        assertEquals("6.1", D.version());
        assertEquals(at(5), D.source()); // the line the multi-line start tag ends on
        assertFalse(D.metadataComplete());
        assertFalse(D.effectivelyMetadataComplete());
        assertEquals("Shop Front", D.displayName()); // token: trimmed, inner run collapsed; the first one
        assertTrue(D.distributable());
        assertTrue(D.denyUncoveredHttpMethods());
        assertEquals("/shop", D.defaultContextPath());
        assertEquals("UTF-8", D.requestCharacterEncoding());
        assertEquals("ISO-8859-1", D.responseCharacterEncoding());
        assertNull(D.name());
        assertNull(D.ordering());
    }

    @Test
    void contextParamsTrimNamesAndKeepInnerWhitespaceOfValues() {
        assertEquals(2, D.contextParams().size());
        assertEquals("config.location", D.contextParams().get(0).name());
        assertEquals("classpath:app context.xml", D.contextParams().get(0).value());
        assertEquals(at(17), D.contextParams().get(0).source());
        assertEquals("", D.contextParam("empty"));
    }

    @Test
    void filtersAndTheirMappings() {
        FilterDef encoding = D.filter("encoding");
        assertEquals("com.example.EncodingFilter", encoding.filterClass());
        assertEquals(Boolean.TRUE, encoding.asyncSupported());
        assertEquals("UTF-8", encoding.initParam("encoding"));
        FilterDef audit = D.filter("audit");
        assertNull(audit.asyncSupported());
        assertTrue(audit.initParams().isEmpty());

        assertEquals(2, D.filterMappings().size());
        FilterMapping first = D.filterMappings().get(0);
        assertEquals("encoding", first.filterName());
        assertEquals(List.of("/*", "*.do"), first.urlPatterns());
        assertEquals(EnumSet.of(DispatcherType.REQUEST, DispatcherType.FORWARD, DispatcherType.ASYNC),
                first.dispatchers());
        assertEquals(at(42), first.source());
        FilterMapping second = D.filterMappings().get(1);
        assertEquals(List.of("cart", "*"), second.servletNames());
        assertTrue(second.dispatchers().isEmpty());
        assertEquals(Set.of(DispatcherType.REQUEST), second.effectiveDispatchers());
    }

    @Test
    void listenersInOrder() {
        assertEquals(List.of("com.example.StartupListener", "com.example.SessionCounter"),
                D.listeners().stream().map(WebDescriptor.Listener::className).toList());
        assertEquals(at(59), D.listeners().get(1).source());
    }

    @Test
    void servletWithEverything() {
        ServletDef cart = D.servlet("cart");
        assertEquals(at(64), cart.source());
        assertEquals("com.example.CartServlet", cart.servletClass());
        assertNull(cart.jspFile());
        assertEquals("20", cart.initParam("size"));
        assertEquals(2, cart.loadOnStartup().order());
        assertFalse(cart.loadOnStartup().isEmpty());
        assertEquals(Boolean.TRUE, cart.enabled());
        assertEquals(Boolean.FALSE, cart.asyncSupported());
        assertEquals("system", cart.runAs());
        assertEquals(1, cart.securityRoleRefs().size());
        assertEquals("mgr", cart.securityRoleRefs().get(0).roleName());
        assertEquals("manager", cart.securityRoleRefs().get(0).roleLink());
        assertEquals(new WebDescriptor.MultipartConfig("/tmp/uploads", 1048576L, 2097152L, 4096),
                cart.multipartConfig());
        MultipartConfigElement element = cart.multipartConfig().toElement();
        assertEquals(2097152L, element.getMaxRequestSize());
    }

    @Test
    void loadOnStartupAbsentEmptyOrValue() {
        assertEquals(2, D.servlet("cart").loadOnStartup().value());
        assertTrue(D.servlet("report").loadOnStartup().isEmpty());
        assertEquals(0, D.servlet("report").loadOnStartup().order());
        assertNull(D.servlet("lazy").loadOnStartup());
    }

    @Test
    void jspFileServletAndDefaults() {
        ServletDef report = D.servlet("report");
        assertNull(report.servletClass());
        assertEquals("/WEB-INF/report.jsp", report.jspFile());
        assertEquals(Boolean.FALSE, report.enabled());
        ServletDef lazy = D.servlet("lazy");
        assertNull(lazy.enabled());
        assertNull(lazy.asyncSupported());
        assertNull(lazy.multipartConfig());
        assertNull(lazy.runAs());
        MultipartConfigElement defaults = new WebDescriptor.MultipartConfig(null, null, null, null).toElement();
        assertEquals(-1L, defaults.getMaxFileSize());
        assertEquals(0, defaults.getFileSizeThreshold());
    }

    @Test
    void servletMappings() {
        assertEquals(3, D.servletMappings().size());
        assertEquals(List.of("/cart/*", "/basket"), D.servletMappings().get(0).urlPatterns());
        assertEquals(List.of("*.report"), D.servletMappings().get(1).urlPatterns());
        assertEquals(List.of(""), D.servletMappings().get(2).urlPatterns()); // the context root
        assertEquals(at(107), D.servletMappings().get(2).source());
    }

    @Test
    void sessionConfigWithCookieAttributes() {
        SessionConfig s = D.sessionConfig();
        assertEquals(45, s.sessionTimeout());
        assertEquals(EnumSet.of(SessionTrackingMode.COOKIE, SessionTrackingMode.URL), s.trackingModes());
        CookieConfig c = s.cookieConfig();
        assertEquals("SHOPSESSION", c.name());
        assertEquals("example.com", c.domain());
        assertEquals("/shop", c.path());
        assertEquals("session", c.comment());
        assertEquals(Boolean.TRUE, c.httpOnly());
        assertEquals(Boolean.TRUE, c.secure());
        assertEquals(-1, c.maxAge());
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("SameSite", "Strict");
        attributes.put("Partitioned", "");
        assertEquals(attributes, c.attributes());
        assertEquals(List.of("SameSite", "Partitioned"), List.copyOf(c.attributes().keySet()));
        assertEquals(at(114), c.source());
    }

    @Test
    void mimeWelcomeErrorAndLocale() {
        assertEquals("application/manifest+json", D.mimeMappings().get(0).mimeType());
        // Two welcome-file-lists are concatenated.
        assertEquals(List.of("index.jsp", "home.html", "default.htm"),
                D.welcomeFiles().stream().map(WebDescriptor.WelcomeFile::path).toList());
        assertEquals(at(145), D.welcomeFiles().get(2).source());

        List<ErrorPage> pages = D.errorPages();
        assertEquals(404, pages.get(0).errorCode());
        assertEquals("/errors/not-found.jsp", pages.get(0).location());
        assertEquals("java.io.IOException", pages.get(1).exceptionType());
        assertTrue(pages.get(2).isDefault());
        assertEquals("default", pages.get(2).key());
        assertEquals(at(156), pages.get(2).source());

        assertEquals(List.of("ja=Shift_JIS", "zh_TW=Big5"), D.localeEncodingMappings().stream()
                .map(m -> m.locale() + "=" + m.encoding()).toList());
    }

    @Test
    void jspConfig() {
        assertEquals("http://example.com/tags", D.jspConfig().taglibs().get(0).uri());
        assertEquals("/WEB-INF/tags/example.tld", D.jspConfig().taglibs().get(0).location());
        JspPropertyGroup g = D.jspConfig().propertyGroups().get(0);
        assertEquals(at(165), g.source());
        assertEquals(List.of("*.jsp", "/legacy/*"), g.urlPatterns());
        assertEquals(Boolean.FALSE, g.elIgnored());
        assertEquals(Boolean.TRUE, g.errorOnElNotFound());
        assertEquals("UTF-8", g.pageEncoding());
        assertEquals(Boolean.TRUE, g.scriptingInvalid());
        assertEquals(Boolean.FALSE, g.isXml());
        assertEquals(List.of("/WEB-INF/prelude.jspf", "/WEB-INF/prelude2.jspf"), g.includePreludes());
        assertEquals(List.of("/WEB-INF/coda.jspf"), g.includeCodas());
        assertEquals(Boolean.TRUE, g.deferredSyntaxAllowedAsLiteral());
        assertEquals(Boolean.TRUE, g.trimDirectiveWhitespaces());
        assertEquals("text/html", g.defaultContentType());
        assertEquals("16kb", g.buffer());
        assertEquals(Boolean.TRUE, g.errorOnUndeclaredNamespace());
    }

    @Test
    void securityConstraints() {
        SecurityConstraint admin = D.securityConstraints().get(0);
        assertEquals("admin area", admin.displayName());
        assertEquals(at(185), admin.source());
        WebResourceCollection get = admin.webResourceCollections().get(0);
        assertEquals("admin", get.name());
        assertEquals(List.of("/admin/*"), get.urlPatterns());
        assertEquals(List.of("GET", "POST"), get.httpMethods());
        assertTrue(get.httpMethodOmissions().isEmpty());
        assertEquals(List.of("OPTIONS"), admin.webResourceCollections().get(1).httpMethodOmissions());
        assertEquals(List.of("manager", "admin"), admin.authConstraint().roleNames());
        assertEquals(TransportGuarantee.CONFIDENTIAL, admin.transportGuarantee());

        // An empty auth-constraint is present, and means nobody; no user-data-constraint is null.
        SecurityConstraint closed = D.securityConstraints().get(1);
        assertTrue(closed.authConstraint().roleNames().isEmpty());
        assertNull(closed.transportGuarantee());
        assertNull(closed.displayName());
    }

    @Test
    void loginRolesAndEnvEntries() {
        LoginConfig login = D.loginConfig();
        assertEquals("FORM", login.authMethod());
        assertEquals("shop", login.realmName());
        assertEquals("/login.jsp", login.formLoginPage());
        assertEquals("/login-failed.jsp", login.formErrorPage());
        assertEquals(at(214), login.source());
        assertEquals(List.of("manager", "admin"),
                D.securityRoles().stream().map(WebDescriptor.SecurityRole::roleName).toList());
        assertEquals("java.lang.Integer", D.envEntries().get(0).type());
        assertEquals("100", D.envEntries().get(0).value());
        assertEquals("Welcome,  friend", D.envEntries().get(1).value()); // a string type: only trimmed
        assertEquals(at(235), D.envEntries().get(1).source());
    }

    @Test
    void absoluteOrdering() {
        assertEquals(List.of("core", "last"), D.absoluteOrdering().names());
        assertEquals(1, D.absoluteOrdering().othersIndex());
        assertEquals(at(257), D.absoluteOrdering().source());
    }

    @Test
    void knownButUnmodelledElementsGiveNoWarning() {
        // description, the second display-name, resource-ref: none of them is worth a warning.
        assertEquals(List.of(), FULL.warnings());
    }

    @Test
    void unknownElementsAreSkippedWithAWarningNamingFileAndLine() {
        Parsed p = DescriptorFixtures.parse(DescriptorFixtures.JAKARTAEE_ROOT + """

                  <servlet>
                    <servlet-name>a</servlet-name>
                    <servlet-colour>blue</servlet-colour>
                  </servlet>
                  <vendor:tuning xmlns:vendor="urn:vendor">fast</vendor:tuning>
                  <frobnicate/>
                </web-app>
                """, "WEB-INF/web.xml");
        assertEquals(Set.of(
                "WEB-INF/web.xml:4: ignoring unknown element <servlet-colour>",
                "WEB-INF/web.xml:6: ignoring <tuning> in namespace urn:vendor inside <web-app>",
                "WEB-INF/web.xml:7: ignoring unknown element <frobnicate>"), Set.copyOf(p.warnings()));
        assertEquals(3, p.warnings().size());
        assertEquals("a", p.descriptor().servlets().get(0).name());
    }

    @Test
    void elementsOfTheOtherKindOfDescriptorAreIgnoredWithAWarning() {
        Parsed web = DescriptorFixtures.parse(DescriptorFixtures.JAKARTAEE_ROOT
                + "\n<name>x</name>\n<ordering><before><others/></before></ordering>\n</web-app>", "WEB-INF/web.xml");
        assertNull(web.descriptor().name());
        assertNull(web.descriptor().ordering());
        assertEquals(2, web.warnings().size());
        assertTrue(web.warnings().get(0).startsWith("WEB-INF/web.xml:2: ignoring <name>: it belongs in a web-fragment.xml"));

        Parsed fragment = DescriptorFixtures.parse(DescriptorFixtures.FRAGMENT_ROOT + """

                <absolute-ordering><others/></absolute-ordering>
                <default-context-path>/x</default-context-path>
                <deny-uncovered-http-methods/>
                <request-character-encoding>UTF-8</request-character-encoding>
                </web-fragment>""", "lib/a.jar!/META-INF/web-fragment.xml");
        WebDescriptor f = fragment.descriptor();
        assertNull(f.absoluteOrdering());
        assertNull(f.defaultContextPath());
        assertFalse(f.denyUncoveredHttpMethods());
        assertNull(f.requestCharacterEncoding());
        assertEquals(4, fragment.warnings().size());
        assertTrue(fragment.warnings().get(1).startsWith(
                "lib/a.jar!/META-INF/web-fragment.xml:3: ignoring <default-context-path>: it belongs in web.xml"));
    }

    @Test
    void fragmentNameAndOrdering() {
        Parsed p = DescriptorFixtures.resource("web-fragment-4.0.xml");
        WebDescriptor f = p.descriptor();
        assertTrue(f.isFragment());
        assertEquals("4.0", f.version());
        assertEquals("metrics", f.name());
        assertTrue(f.metadataComplete());
        assertEquals(List.of("security"), f.ordering().after());
        assertTrue(f.ordering().afterOthers());
        assertFalse(f.ordering().beforeOthers());
        assertTrue(f.ordering().before().isEmpty());
        assertEquals(new DescriptorSource("web-fragment-4.0.xml", 7), f.ordering().source());
    }

    @Test
    void duplicatesInOneFileThatAgreeAreFolded() {
        WebDescriptor d = DescriptorFixtures.webXml("""
                <servlet><servlet-name>a</servlet-name><servlet-class>x.A</servlet-class></servlet>
                <servlet><servlet-name>a</servlet-name><load-on-startup>3</load-on-startup>
                  <init-param><param-name>p</param-name><param-value>1</param-value></init-param></servlet>
                <context-param><param-name>c</param-name><param-value>v</param-value></context-param>
                <context-param><param-name>c</param-name><param-value>v</param-value></context-param>
                <listener><listener-class>x.L</listener-class></listener>
                <listener><listener-class>x.L</listener-class></listener>
                <security-role><role-name>r</role-name></security-role>
                <security-role><role-name>r</role-name></security-role>""");
        assertEquals(1, d.servlets().size());
        ServletDef a = d.servlet("a");
        assertEquals("x.A", a.servletClass());
        assertEquals(3, a.loadOnStartup().value());
        assertEquals("1", a.initParam("p"));
        assertEquals(new DescriptorSource("WEB-INF/web.xml", 2), a.source());
        assertEquals(1, d.contextParams().size());
        assertEquals(1, d.listeners().size());
        assertEquals(1, d.securityRoles().size());
    }

    @Test
    void topLevelTaglibsAndJspConfigTaglibsCombine() {
        WebDescriptor d = DescriptorFixtures.webXml("""
                <taglib><taglib-uri>u1</taglib-uri><taglib-location>/l1</taglib-location></taglib>
                <jsp-config>
                  <taglib><taglib-uri>u2</taglib-uri><taglib-location>/l2</taglib-location></taglib>
                </jsp-config>""");
        assertEquals(List.of("u1", "u2"), d.jspConfig().taglibs().stream().map(WebDescriptor.Taglib::uri).toList());
        assertEquals(new DescriptorSource("WEB-INF/web.xml", 3), d.jspConfig().source());
    }

    @Test
    void absoluteOrderingKeepsTheFirstOfRepeatedNamesAndOthers() {
        Parsed p = DescriptorFixtures.parse(DescriptorFixtures.JAKARTAEE_ROOT + """

                <absolute-ordering>
                  <name>a</name>
                  <others/>
                  <name>b</name>
                  <name>a</name>
                  <others/>
                </absolute-ordering>
                </web-app>""", "WEB-INF/web.xml");
        assertEquals(List.of("a", "b"), p.descriptor().absoluteOrdering().names());
        assertEquals(1, p.descriptor().absoluteOrdering().othersIndex());
        assertEquals(2, p.warnings().size());
        assertTrue(p.warnings().get(0).startsWith("WEB-INF/web.xml:6: fragment \"a\" is named twice"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "true|true", "false|false", "TRUE|true", "yes|true", "no|false", "1|true", "0|false", "' true '|true"})
    void booleansAcceptWhatTheSchemasAccept(String text, boolean expected) {
        WebDescriptor d = DescriptorFixtures.webXml(
                "<servlet><servlet-name>s</servlet-name><async-supported>" + text + "</async-supported></servlet>");
        assertEquals(expected, d.servlet("s").asyncSupported());
    }

    @Test
    void enumerationsAcceptAnyCaseAsContainersDo() {
        WebDescriptor d = DescriptorFixtures.webXml("""
                <filter-mapping><filter-name>f</filter-name><url-pattern>/*</url-pattern>
                  <dispatcher>request</dispatcher><dispatcher> Error </dispatcher></filter-mapping>""");
        assertEquals(EnumSet.of(DispatcherType.REQUEST, DispatcherType.ERROR), d.filterMappings().get(0).dispatchers());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/", "/*", "/foo", "/foo/*", "/foo/bar.html", "*.jsp", "*.tar.gz", "/foo bar",
        "/a.b/c", "/café"})
    void validUrlPatterns(String pattern) {
        assertTrue(DescriptorParser.isValidUrlPattern(pattern), pattern);
    }

    @ParameterizedTest
    @ValueSource(strings = {"foo", "foo/*", "*.", "*.a/b", "*.j*", "/foo*", "/*/foo", "/foo/*.jsp", "**", "*",
        "/a\nb", "/a\rb", "*jsp", "/foo/**"})
    void invalidUrlPatterns(String pattern) {
        assertFalse(DescriptorParser.isValidUrlPattern(pattern), pattern);
    }

    @Test
    void urlPatternsAreTrimmedButKeepInnerSpaces() {
        WebDescriptor d = DescriptorFixtures.webXml("""
                <servlet-mapping><servlet-name>s</servlet-name>
                  <url-pattern>
                     /with space/*
                  </url-pattern>
                </servlet-mapping>""");
        assertEquals(List.of("/with space/*"), d.servletMappings().get(0).urlPatterns());
    }

    @Test
    void whitespaceHelpersFollowXmlNotJava() {
        assertEquals("a b c", DescriptorParser.collapseXml(" \t a \n\r b   c \n"));
        assertEquals("a \n b", DescriptorParser.trimXml("\n a \n b \t"));
        // U+00A0 is not XML whitespace, so it stays.
        assertEquals("\u00a0x\u00a0", DescriptorParser.trimXml(" \u00a0x\u00a0 "));
    }

    @Test
    void childrenInAnotherNamespaceThanTheRootAreNotRead() {
        Parsed p = DescriptorFixtures.parse("""
                <j:web-app xmlns:j="https://jakarta.ee/xml/ns/jakartaee" version="6.1">
                  <j:display-name>prefixed</j:display-name>
                  <display-name>unqualified</display-name>
                </j:web-app>""", "WEB-INF/web.xml");
        assertEquals("prefixed", p.descriptor().displayName());
        assertEquals(List.of("WEB-INF/web.xml:3: ignoring <display-name> in namespace (none) inside <web-app>"),
                p.warnings());
    }

    @Test
    void parseWebXmlAndParseWebFragmentCheckTheRoot() throws Exception {
        DescriptorParser parser = new DescriptorParser(w -> { });
        DescriptorException e = org.junit.jupiter.api.Assertions.assertThrows(DescriptorException.class,
                () -> parser.parseWebXml(DescriptorFixtures.stream(DescriptorFixtures.FRAGMENT_ROOT + "</web-fragment>"),
                        "WEB-INF/web.xml"));
        assertEquals("WEB-INF/web.xml:1: the root element must be <web-app>", e.getMessage());
        WebDescriptor f = parser.parseWebFragment(DescriptorFixtures.stream(DescriptorFixtures.FRAGMENT_ROOT
                + "</web-fragment>"), "f.xml");
        assertTrue(f.isFragment());
        org.junit.jupiter.api.Assertions.assertThrows(DescriptorException.class,
                () -> parser.parseWebFragment(DescriptorFixtures.stream(DescriptorFixtures.JAKARTAEE_ROOT
                        + "</web-app>"), "f.xml"));
    }
}
