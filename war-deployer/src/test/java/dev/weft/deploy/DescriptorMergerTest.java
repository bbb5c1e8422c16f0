package dev.weft.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.deploy.WebDescriptor.FilterMapping;
import dev.weft.deploy.WebDescriptor.ServletDef;
import dev.weft.deploy.WebDescriptor.ServletMapping;
import dev.weft.servlet.WebApp;
import jakarta.servlet.SessionTrackingMode;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Servlet 6.1 §8.2.3: web.xml plus ordered fragments make the effective descriptor. */
class DescriptorMergerTest {
    private static final String F1 = "WEB-INF/lib/f1.jar!/META-INF/web-fragment.xml";
    private static final String F2 = "WEB-INF/lib/f2.jar!/META-INF/web-fragment.xml";

    private static WebDescriptor web(String body) {
        return DescriptorFixtures.webXml(body);
    }

    private static WebDescriptor f1(String body) {
        return DescriptorFixtures.fragment(F1, body);
    }

    private static WebDescriptor f2(String body) {
        return DescriptorFixtures.fragment(F2, body);
    }

    private static WebDescriptor merge(WebDescriptor web, WebDescriptor... fragments) throws DescriptorException {
        return DescriptorMerger.merge(web, List.of(fragments));
    }

    private static String servlet(String inner) {
        return "<servlet><servlet-name>s</servlet-name>" + inner + "</servlet>";
    }

    private static String filter(String inner) {
        return "<filter><filter-name>f</filter-name>" + inner + "</filter>";
    }

    private static String param(String name, String value) {
        return "<init-param><param-name>" + name + "</param-name><param-value>" + value + "</param-value></init-param>";
    }

    private static String cookie(String inner) {
        return "<session-config><cookie-config>" + inner + "</cookie-config></session-config>";
    }

    /**
     * One row per element two fragments can disagree on: the web.xml that does not settle it (for
     * servlets and filters, one that declares the servlet or filter without the element, as in the
     * spec's load-on-startup example), the fragments, the error, and the web.xml that settles it
     * with the value it then has.
     */
    static Stream<Arguments> conflicts() {
        return Stream.of(
                row("context-param", "",
                        "<context-param><param-name>c</param-name><param-value>1</param-value></context-param>",
                        "<context-param><param-name>c</param-name><param-value>2</param-value></context-param>",
                        "context-param \"c\" is \"2\" here but \"1\" at " + F1 + ":2",
                        "<context-param><param-name>c</param-name><param-value>0</param-value></context-param>",
                        d -> d.contextParam("c"), "0"),
                row("servlet init-param", servlet(""), servlet(param("p", "1")), servlet(param("p", "2")),
                        "servlet \"s\" init-param \"p\" is \"2\" here but \"1\" at " + F1 + ":2",
                        servlet(param("p", "0")), d -> d.servlet("s").initParam("p"), "0"),
                row("servlet load-on-startup (the spec's example)", servlet(""),
                        servlet("<load-on-startup>1</load-on-startup>"), servlet("<load-on-startup>2</load-on-startup>"),
                        "servlet \"s\" load-on-startup is 2 here but 1 at " + F1 + ":2",
                        servlet("<load-on-startup>5</load-on-startup>"), d -> d.servlet("s").loadOnStartup().order(), 5),
                row("servlet class", "", servlet("<servlet-class>x.A</servlet-class>"),
                        servlet("<servlet-class>x.B</servlet-class>"),
                        "servlet \"s\" class is \"x.B\" here but \"x.A\" at " + F1 + ":2",
                        servlet("<jsp-file>/s.jsp</jsp-file>"), d -> d.servlet("s").jspFile(), "/s.jsp"),
                row("servlet async-supported", servlet(""), servlet("<async-supported>true</async-supported>"),
                        servlet("<async-supported>false</async-supported>"),
                        "servlet \"s\" async-supported is false here but true at " + F1 + ":2",
                        servlet("<async-supported>false</async-supported>"), d -> d.servlet("s").asyncSupported(),
                        false),
                row("servlet enabled", servlet(""), servlet("<enabled>true</enabled>"),
                        servlet("<enabled>false</enabled>"),
                        "servlet \"s\" enabled is false here but true at " + F1 + ":2",
                        servlet("<enabled>true</enabled>"), d -> d.servlet("s").enabled(), true),
                row("servlet run-as", servlet(""), servlet("<run-as><role-name>a</role-name></run-as>"),
                        servlet("<run-as><role-name>b</role-name></run-as>"),
                        "servlet \"s\" run-as is \"b\" here but \"a\" at " + F1 + ":2",
                        servlet("<run-as><role-name>c</role-name></run-as>"), d -> d.servlet("s").runAs(), "c"),
                row("servlet multipart-config", servlet(""),
                        servlet("<multipart-config><max-file-size>1</max-file-size></multipart-config>"),
                        servlet("<multipart-config><max-file-size>2</max-file-size></multipart-config>"),
                        "servlet \"s\" multipart-config is MultipartConfig[location=null, maxFileSize=2, "
                                + "maxRequestSize=null, fileSizeThreshold=null] here but MultipartConfig[location=null, "
                                + "maxFileSize=1, maxRequestSize=null, fileSizeThreshold=null] at " + F1 + ":2",
                        servlet("<multipart-config><location>/t</location></multipart-config>"),
                        d -> d.servlet("s").multipartConfig().location(), "/t"),
                row("servlet security-role-ref", servlet(""),
                        servlet("<security-role-ref><role-name>r</role-name><role-link>a</role-link></security-role-ref>"),
                        servlet("<security-role-ref><role-name>r</role-name><role-link>b</role-link></security-role-ref>"),
                        "servlet \"s\" security-role-ref \"r\" is \"b\" here but \"a\" at " + F1 + ":2",
                        servlet("<security-role-ref><role-name>r</role-name><role-link>c</role-link></security-role-ref>"),
                        d -> d.servlet("s").securityRoleRefs().get(0).roleLink(), "c"),
                row("filter-class", filter(""), filter("<filter-class>x.A</filter-class>"),
                        filter("<filter-class>x.B</filter-class>"),
                        "filter \"f\" filter-class is \"x.B\" here but \"x.A\" at " + F1 + ":2",
                        filter("<filter-class>x.C</filter-class>"), d -> d.filter("f").filterClass(), "x.C"),
                row("filter init-param", "", filter(param("p", "1")), filter(param("p", "2")),
                        "filter \"f\" init-param \"p\" is \"2\" here but \"1\" at " + F1 + ":2",
                        filter(param("p", "0")), d -> d.filter("f").initParam("p"), "0"),
                row("mime-mapping", "",
                        "<mime-mapping><extension>js</extension><mime-type>text/javascript</mime-type></mime-mapping>",
                        "<mime-mapping><extension>js</extension><mime-type>application/x-js</mime-type></mime-mapping>",
                        "mime-mapping for extension \"js\" is \"application/x-js\" here but \"text/javascript\" at "
                                + F1 + ":2",
                        "<mime-mapping><extension>js</extension><mime-type>a/b</mime-type></mime-mapping>",
                        d -> d.mimeMappings().get(0).mimeType(), "a/b"),
                row("error-page for a code", "",
                        "<error-page><error-code>404</error-code><location>/a</location></error-page>",
                        "<error-page><error-code>404</error-code><location>/b</location></error-page>",
                        "error-page for \"404\" is \"/b\" here but \"/a\" at " + F1 + ":2",
                        "<error-page><error-code>404</error-code><location>/w</location></error-page>",
                        d -> d.errorPages().get(0).location(), "/w"),
                row("default error-page", "",
                        "<error-page><location>/a</location></error-page>",
                        "<error-page><location>/b</location></error-page>",
                        "error-page for \"default\" is \"/b\" here but \"/a\" at " + F1 + ":2",
                        "<error-page><location>/w</location></error-page>",
                        d -> d.errorPages().get(0).location(), "/w"),
                row("locale-encoding-mapping", "", localeEncoding("ja", "Shift_JIS"), localeEncoding("ja", "EUC-JP"),
                        "locale-encoding-mapping for locale \"ja\" is \"EUC-JP\" here but \"Shift_JIS\" at " + F1 + ":2",
                        localeEncoding("ja", "UTF-8"), d -> d.localeEncodingMappings().get(0).encoding(), "UTF-8"),
                row("taglib", "", taglib("/a.tld"), taglib("/b.tld"),
                        "taglib \"u\" is \"/b.tld\" here but \"/a.tld\" at " + F1 + ":2",
                        taglib("/w.tld"), d -> d.jspConfig().taglibs().get(0).location(), "/w.tld"),
                row("login-config", "",
                        "<login-config><auth-method>BASIC</auth-method></login-config>",
                        "<login-config><auth-method>FORM</auth-method><realm-name>r</realm-name></login-config>",
                        "login-config is auth-method FORM, realm-name \"r\" here but auth-method BASIC at " + F1 + ":2",
                        "<login-config><auth-method>DIGEST</auth-method></login-config>",
                        d -> d.loginConfig().authMethod(), "DIGEST"),
                row("env-entry", "", envEntry("1"), envEntry("2"),
                        "env-entry \"e\" is \"2\" (java.lang.Integer) here but \"1\" (java.lang.Integer) at " + F1 + ":2",
                        envEntry("0"), d -> d.envEntries().get(0).value(), "0"),
                row("session-timeout", "",
                        "<session-config><session-timeout>10</session-timeout></session-config>",
                        "<session-config><session-timeout>20</session-timeout></session-config>",
                        "session-timeout is 20 here but 10 at " + F1 + ":2",
                        "<session-config><session-timeout>30</session-timeout></session-config>",
                        d -> d.sessionConfig().sessionTimeout(), 30),
                row("session cookie name", "", cookie("<name>A</name>"), cookie("<name>B</name>"),
                        "cookie-config name is \"B\" here but \"A\" at " + F1 + ":2",
                        cookie("<name>W</name>"), d -> d.sessionConfig().cookieConfig().name(), "W"),
                row("session cookie attribute", "",
                        cookie("<attribute><attribute-name>SameSite</attribute-name><attribute-value>Lax"
                                + "</attribute-value></attribute>"),
                        cookie("<attribute><attribute-name>SameSite</attribute-name><attribute-value>None"
                                + "</attribute-value></attribute>"),
                        "cookie-config attribute \"SameSite\" is \"None\" here but \"Lax\" at " + F1 + ":2",
                        cookie("<attribute><attribute-name>SameSite</attribute-name><attribute-value>Strict"
                                + "</attribute-value></attribute>"),
                        d -> d.sessionConfig().cookieConfig().attributes().get("SameSite"), "Strict"));
    }

    private static String localeEncoding(String locale, String encoding) {
        return "<locale-encoding-mapping-list><locale-encoding-mapping><locale>" + locale + "</locale><encoding>"
                + encoding + "</encoding></locale-encoding-mapping></locale-encoding-mapping-list>";
    }

    private static String taglib(String location) {
        return "<jsp-config><taglib><taglib-uri>u</taglib-uri><taglib-location>" + location
                + "</taglib-location></taglib></jsp-config>";
    }

    private static String envEntry(String value) {
        return "<env-entry><env-entry-name>e</env-entry-name><env-entry-type>java.lang.Integer</env-entry-type>"
                + "<env-entry-value>" + value + "</env-entry-value></env-entry>";
    }

    private static Arguments row(String label, String webWithout, String f1, String f2, String error, String webWith,
            Function<WebDescriptor, Object> value, Object settled) {
        return Arguments.of(label, webWithout, f1, f2, error, webWith, value, settled);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("conflicts")
    void fragmentsThatDisagreeAreAnError(String label, String webWithout, String f1, String f2, String error,
            String webWith, Function<WebDescriptor, Object> value, Object settled) {
        DescriptorException e = assertThrows(DescriptorException.class, () -> merge(web(webWithout), f1(f1), f2(f2)));
        assertEquals(F2 + ":2: " + error + "; declare it in web.xml to settle which applies", e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("conflicts")
    void theWebXmlSettlesTheDisagreement(String label, String webWithout, String f1, String f2, String error,
            String webWith, Function<WebDescriptor, Object> value, Object settled) throws DescriptorException {
        assertEquals(settled, value.apply(merge(web(webWith), f1(f1), f2(f2))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("conflicts")
    void fragmentsThatAgreeMergeIntoOne(String label, String webWithout, String f1, String f2, String error,
            String webWith, Function<WebDescriptor, Object> value, Object settled) throws DescriptorException {
        WebDescriptor both = merge(web(webWithout), f1(f1), f2(f1));
        WebDescriptor one = merge(web(webWithout), f1(f1));
        assertEquals(value.apply(one), value.apply(both));
    }

    @Test
    void theWebXmlWinsOverAFragment() throws DescriptorException {
        WebDescriptor d = merge(
                web("<context-param><param-name>c</param-name><param-value>web</param-value></context-param>"),
                f1("<context-param><param-name>c</param-name><param-value>frag</param-value></context-param>"
                        + "<context-param><param-name>d</param-name><param-value>frag</param-value></context-param>"));
        assertEquals("web", d.contextParam("c"));
        assertEquals("frag", d.contextParam("d"));
        assertEquals(new DescriptorSource(F1, 2), d.contextParams().get(1).source());
    }

    @Test
    void aServletInheritsWhatTheWebXmlDoesNotSay() throws DescriptorException {
        WebDescriptor d = merge(
                web(servlet("<servlet-class>x.S</servlet-class>" + param("p", "web") + param("q", "web"))),
                f1(servlet("<servlet-class>x.Other</servlet-class><load-on-startup>1</load-on-startup>"
                        + param("q", "frag") + param("r", "frag")
                        + "<multipart-config><max-file-size>9</max-file-size></multipart-config>")));
        ServletDef s = d.servlet("s");
        assertEquals("x.S", s.servletClass());
        assertEquals(1, s.loadOnStartup().order());
        assertEquals(List.of("p=web", "q=web", "r=frag"),
                s.initParams().stream().map(p -> p.name() + "=" + p.value()).toList());
        assertEquals(9L, s.multipartConfig().maxFileSize());
        assertEquals(new DescriptorSource("WEB-INF/web.xml", 2), s.source());
    }

    @Test
    void servletsAndFiltersOfFragmentsFollowTheWebXmlsInFragmentOrder() throws DescriptorException {
        WebDescriptor d = merge(
                web("<servlet><servlet-name>w</servlet-name></servlet>" + filter("")),
                f1("<servlet><servlet-name>a</servlet-name></servlet><filter><filter-name>g</filter-name></filter>"),
                f2("<servlet><servlet-name>b</servlet-name></servlet><servlet><servlet-name>w</servlet-name>"
                        + "<servlet-class>x.W</servlet-class></servlet>"));
        assertEquals(List.of("w", "a", "b"), d.servlets().stream().map(ServletDef::name).toList());
        assertEquals("x.W", d.servlet("w").servletClass());
        assertEquals(List.of("f", "g"), d.filters().stream().map(WebDescriptor.FilterDef::name).toList());
    }

    @Test
    void mappingsOfANameTheWebXmlMapsAreTheWebXmlsAndOtherwiseAddUp() throws DescriptorException {
        WebDescriptor d = merge(
                web("""
                        <servlet-mapping><servlet-name>s</servlet-name><url-pattern>/web</url-pattern></servlet-mapping>
                        <filter-mapping><filter-name>f</filter-name><url-pattern>/web/*</url-pattern></filter-mapping>"""),
                f1("""
                        <servlet-mapping><servlet-name>s</servlet-name><url-pattern>/f1</url-pattern></servlet-mapping>
                        <servlet-mapping><servlet-name>t</servlet-name><url-pattern>/t1</url-pattern></servlet-mapping>
                        <filter-mapping><filter-name>f</filter-name><url-pattern>/f1/*</url-pattern></filter-mapping>
                        <filter-mapping><filter-name>g</filter-name><url-pattern>/g1/*</url-pattern></filter-mapping>"""),
                f2("""
                        <servlet-mapping><servlet-name>t</servlet-name><url-pattern>/t2</url-pattern></servlet-mapping>
                        <filter-mapping><filter-name>g</filter-name><servlet-name>t</servlet-name></filter-mapping>"""));
        assertEquals(List.of("s /web", "t /t1", "t /t2"), d.servletMappings().stream()
                .map(m -> m.servletName() + " " + String.join(",", m.urlPatterns())).toList());
        // The filter chain order: the web.xml's mappings, then each fragment's, in fragment order.
        assertEquals(List.of("f /web/*", "g /g1/*", "g t"), d.filterMappings().stream()
                .map(m -> m.filterName() + " " + String.join(",", m.urlPatterns()) + String.join(",", m.servletNames()))
                .toList());
        assertEquals(new DescriptorSource(F2, 2), d.servletMappings().get(2).source());
    }

    @Test
    void listenersWelcomeFilesAndRolesAddUpEachOnce() throws DescriptorException {
        WebDescriptor d = merge(
                web("""
                        <listener><listener-class>x.L1</listener-class></listener>
                        <welcome-file-list><welcome-file>a.html</welcome-file></welcome-file-list>
                        <security-role><role-name>admin</role-name></security-role>"""),
                f1("""
                        <listener><listener-class>x.L2</listener-class></listener>
                        <listener><listener-class>x.L1</listener-class></listener>
                        <welcome-file-list><welcome-file>b.html</welcome-file><welcome-file>a.html</welcome-file>
                        </welcome-file-list>
                        <security-role><role-name>user</role-name></security-role>
                        <security-role><role-name>admin</role-name></security-role>"""),
                f2("""
                        <listener><listener-class>x.L3</listener-class></listener>
                        <welcome-file-list><welcome-file>c.html</welcome-file></welcome-file-list>"""));
        assertEquals(List.of("x.L1", "x.L2", "x.L3"),
                d.listeners().stream().map(WebDescriptor.Listener::className).toList());
        assertEquals(List.of("a.html", "b.html", "c.html"),
                d.welcomeFiles().stream().map(WebDescriptor.WelcomeFile::path).toList());
        assertEquals(List.of("admin", "user"), d.securityRoles().stream().map(WebDescriptor.SecurityRole::roleName).toList());
    }

    @Test
    void securityConstraintsAndJspPropertyGroupsSimplyAddUp() throws DescriptorException {
        String constraint = "<security-constraint><web-resource-collection><url-pattern>/a/*</url-pattern>"
                + "</web-resource-collection><auth-constraint/></security-constraint>";
        String group = "<jsp-config><jsp-property-group><url-pattern>*.jsp</url-pattern></jsp-property-group>"
                + "</jsp-config>";
        WebDescriptor d = merge(web(constraint + group), f1(constraint + group), f2(constraint));
        assertEquals(3, d.securityConstraints().size());
        assertEquals(2, d.jspConfig().propertyGroups().size());
        assertEquals(new DescriptorSource("WEB-INF/web.xml", 2), d.jspConfig().source());
    }

    @Test
    void sessionConfigMergesChildByChild() throws DescriptorException {
        WebDescriptor d = merge(
                web("<session-config><session-timeout>10</session-timeout></session-config>"),
                f1(cookie("<name>SID</name>").replace("</session-config>", "<tracking-mode>URL</tracking-mode>"
                        + "</session-config>")),
                f2(cookie("<http-only>true</http-only>").replace("</session-config>", "<tracking-mode>SSL"
                        + "</tracking-mode></session-config>")));
        assertEquals(10, d.sessionConfig().sessionTimeout());
        assertEquals("SID", d.sessionConfig().cookieConfig().name());
        assertEquals(Boolean.TRUE, d.sessionConfig().cookieConfig().httpOnly());
        assertNull(d.sessionConfig().cookieConfig().secure());
        assertEquals(EnumSet.of(SessionTrackingMode.URL, SessionTrackingMode.SSL), d.sessionConfig().trackingModes());
    }

    @Test
    void trackingModesOfTheWebXmlReplaceTheFragments() throws DescriptorException {
        WebDescriptor d = merge(
                web("<session-config><tracking-mode>COOKIE</tracking-mode></session-config>"),
                f1("<session-config><tracking-mode>URL</tracking-mode></session-config>"));
        assertEquals(EnumSet.of(SessionTrackingMode.COOKIE), d.sessionConfig().trackingModes());
    }

    @Test
    void distributableOnlyIfEveryoneIs() throws DescriptorException {
        String yes = "<distributable/>";
        assertTrue(merge(web(yes), f1(yes), f2(yes)).distributable());
        assertFalse(merge(web(yes), f1(yes), f2("")).distributable());
        assertFalse(merge(web(""), f1(yes)).distributable());
    }

    @Test
    void webXmlOnlySettingsComeFromTheWebXml() throws DescriptorException {
        WebDescriptor webXml = DescriptorFixtures.resource("web-6.1-full.xml").descriptor();
        WebDescriptor d = DescriptorMerger.merge(webXml, List.of(f1("<display-name>ignored</display-name>"
                + "<distributable/><name>frag</name><ordering><after><others/></after></ordering>")));
        assertEquals("Shop Front", d.displayName());
        assertEquals("/shop", d.defaultContextPath());
        assertEquals("UTF-8", d.requestCharacterEncoding());
        assertEquals("ISO-8859-1", d.responseCharacterEncoding());
        assertTrue(d.denyUncoveredHttpMethods());
        assertEquals(webXml.absoluteOrdering(), d.absoluteOrdering());
        assertEquals("6.1", d.version());
        assertEquals(webXml.source(), d.source());
        assertEquals(WebDescriptor.Kind.WEB_APP, d.kind());
        assertNull(d.name());
        assertNull(d.ordering());
        // Everything of the web.xml survives the merge unchanged.
        assertEquals(webXml, d);

        assertNull(merge(web(""), f1("<display-name>ignored</display-name>")).displayName());
    }

    @Test
    void aMetadataCompleteWebXmlIgnoresFragments() throws DescriptorException {
        WebDescriptor webXml = DescriptorFixtures.parse(
                "<web-app xmlns=\"https://jakarta.ee/xml/ns/jakartaee\" version=\"6.1\" metadata-complete=\"true\"/>",
                "WEB-INF/web.xml").descriptor();
        WebDescriptor conflicting = f1("<context-param><param-name>c</param-name><param-value>1</param-value>"
                + "</context-param>");
        WebDescriptor other = f2("<context-param><param-name>c</param-name><param-value>2</param-value>"
                + "</context-param>");
        assertSame(webXml, DescriptorMerger.merge(webXml, List.of(conflicting, other)));
    }

    @Test
    void aWebXmlOlderThan25IgnoresFragments() throws DescriptorException {
        WebDescriptor webXml = DescriptorFixtures.resource("web-2.4.xml").descriptor();
        assertSame(webXml, DescriptorMerger.merge(webXml, List.of(f1("<listener><listener-class>x.L</listener-class>"
                + "</listener>"))));
    }

    @Test
    void withoutAWebXmlTheFragmentsAreTheApplication() throws DescriptorException {
        WebDescriptor d = DescriptorMerger.merge(null, List.of(f1(servlet("<servlet-class>x.S</servlet-class>")
                + "<servlet-mapping><servlet-name>s</servlet-name><url-pattern>/s</url-pattern></servlet-mapping>")));
        assertEquals("6.1", d.version());
        assertEquals("(no web.xml)", d.source().toString());
        assertEquals("x.S", d.servlet("s").servletClass());
        assertEquals(List.of("/s"), d.servletMappings().get(0).urlPatterns());
        assertTrue(DescriptorMerger.merge(null, List.of()).servlets().isEmpty());
    }

    @Test
    void kindsAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> merge(web(""), web("")));
        assertThrows(IllegalArgumentException.class, () -> merge(f1(""), f2("")));
    }

    // ---- References, checked on the effective descriptor ----

    @Test
    void aMappingToAnUndeclaredServletIsAnError() {
        WebDescriptor d = web("""
                <servlet-mapping><servlet-name>ghost</servlet-name><url-pattern>/g</url-pattern></servlet-mapping>""");
        DescriptorException e = assertThrows(DescriptorException.class, () -> d.checkReferences(Set.of(), Set.of()));
        assertEquals("WEB-INF/web.xml:2: servlet-mapping names servlet \"ghost\", which is not declared", e.getMessage());
    }

    @Test
    void servletsDeclaredElsewhereCount() throws DescriptorException {
        WebDescriptor d = web("""
                <servlet-mapping><servlet-name>default</servlet-name><url-pattern>*.css</url-pattern></servlet-mapping>
                <servlet-mapping><servlet-name>s</servlet-name><url-pattern>/s</url-pattern></servlet-mapping>""");
        assertThrows(DescriptorException.class, () -> d.checkReferences(Set.of("default"), Set.of()));
        WebDescriptor merged = merge(d, f1(servlet("<servlet-class>x.S</servlet-class>")));
        merged.checkReferences(Set.of("default"), Set.of());
    }

    @Test
    void aFilterMappingToAnUndeclaredFilterIsAnError() {
        WebDescriptor d = web("""
                <filter><filter-name>real</filter-name></filter>
                <filter-mapping><filter-name>ghost</filter-name><url-pattern>/*</url-pattern></filter-mapping>""");
        DescriptorException e = assertThrows(DescriptorException.class, () -> d.checkReferences(Set.of(), Set.of()));
        assertEquals("WEB-INF/web.xml:3: filter-mapping names filter \"ghost\", which is not declared", e.getMessage());
    }

    @Test
    void aUrlPatternMappedToTwoServletsIsAnError() throws DescriptorException {
        WebDescriptor d = merge(
                web("""
                        <servlet><servlet-name>a</servlet-name></servlet>
                        <servlet-mapping><servlet-name>a</servlet-name><url-pattern>/x</url-pattern></servlet-mapping>"""),
                f1("""
                        <servlet><servlet-name>b</servlet-name></servlet>
                        <servlet-mapping><servlet-name>b</servlet-name><url-pattern>/x</url-pattern></servlet-mapping>"""));
        DescriptorException e = assertThrows(DescriptorException.class, () -> d.checkReferences(Set.of(), Set.of()));
        assertEquals(F1 + ":3: url-pattern \"/x\" is mapped to servlet \"b\" here and to servlet \"a\" at "
                + "WEB-INF/web.xml:3", e.getMessage());
        // One servlet mapped twice to the same pattern is harmless.
        merge(web("""
                <servlet><servlet-name>a</servlet-name></servlet>
                <servlet-mapping><servlet-name>a</servlet-name><url-pattern>/x</url-pattern></servlet-mapping>
                <servlet-mapping><servlet-name>a</servlet-name><url-pattern>/x</url-pattern></servlet-mapping>""")
        ).checkReferences(Set.of(), Set.of());
    }

    // ---- The whole way: parse, order, merge, check ----

    @Test
    void aWarWithFragments() throws DescriptorException {
        WebDescriptor webXml = DescriptorFixtures.resource("web-3.0.xml").descriptor(); // absolute: security, others
        List<WebDescriptor> discovered = List.of(
                DescriptorFixtures.resource("web-fragment-4.0.xml").descriptor(),
                DescriptorFixtures.resource("web-fragment-6.1.xml").descriptor(),
                DescriptorFixtures.resource("web-fragment-3.0.xml").descriptor());
        FragmentOrdering.Result order = FragmentOrdering.order(webXml, discovered);
        assertEquals("security,metrics,websocket", FragmentOrderingTest.names(order.ordered()));
        assertTrue(order.excluded().isEmpty());

        WebDescriptor d = DescriptorMerger.merge(webXml, order.ordered());
        d.checkReferences(Set.of(WebApp.DEFAULT_SERVLET_NAME), Set.of());
        assertEquals(List.of("upload", "metrics"), d.servlets().stream().map(ServletDef::name).toList());
        assertEquals(List.of("upload", "metrics"), d.servletMappings().stream().map(ServletMapping::servletName).toList());
        assertEquals(List.of("springSecurityFilterChain"),
                d.filterMappings().stream().map(FilterMapping::filterName).toList());
        assertEquals("org.example.ws.WsListener", d.listeners().get(0).className());
        assertEquals("application/wasm", d.mimeMappings().get(0).mimeType());
        assertEquals("index.html", d.welcomeFiles().get(0).path());
        assertEquals(Boolean.TRUE, d.sessionConfig().cookieConfig().httpOnly());
        assertTrue(d.errorPages().get(0).isDefault());
        assertFalse(d.distributable()); // the web.xml is not
        assertEquals("3.0", d.version());
    }
}
