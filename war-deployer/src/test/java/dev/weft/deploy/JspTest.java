package dev.weft.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.deploy.JspHarness.Resp;
import dev.weft.deploy.jspfixtures.AddJspFileListener;
import dev.weft.deploy.jspfixtures.Counter;
import dev.weft.deploy.jspfixtures.Functions;
import dev.weft.deploy.jspfixtures.GreetTag;
import dev.weft.deploy.jspfixtures.OrderProbe;
import dev.weft.deploy.jspfixtures.OwnJspServlet;
import dev.weft.deploy.jspfixtures.ThrowingServlet;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * JSP through Apache Jasper (apache-jsp on the test class path), on a real server with real
 * requests, in exploded WARs written here: scriptlets and EL, JSTL from WEB-INF/lib, tag files and
 * TLDs in WEB-INF, {@code <jsp-file>} and {@code addJspFile} servlets, jsp-property-groups, error
 * pages, forward and include, JSP documents, compile errors, and recompilation.
 */
class JspTest {
    @TempDir
    static Path tmp;
    static JspHarness h;
    static Path shop;
    static Path dev;

    @BeforeAll
    static void start() throws Exception {
        h = new JspHarness(tmp.resolve("work"));
        shop = shopApp(tmp.resolve("shop"));
        h.deploy(shop, "/shop");
        dev = devApp(tmp.resolve("dev"));
        h.deploy(dev, "/dev");
        h.deploy(ownApp(tmp.resolve("own")), "/own");
    }

    @AfterAll
    static void stop() throws Exception {
        if (h != null) {
            h.close();
        }
    }

    // ---- The applications ----

    static Path shopApp(Path root) throws Exception {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("WEB-INF/web.xml", JspHarness.webXml("""
                <listener><listener-class>%s</listener-class></listener>
                <servlet>
                  <servlet-name>page</servlet-name>
                  <jsp-file>/WEB-INF/pages/page.jsp</jsp-file>
                  <init-param><param-name>greeting</param-name><param-value>bonjour</param-value></init-param>
                </servlet>
                <servlet-mapping><servlet-name>page</servlet-name><url-pattern>/page</url-pattern></servlet-mapping>
                <servlet>
                  <servlet-name>thrower</servlet-name>
                  <servlet-class>%s</servlet-class>
                </servlet>
                <servlet-mapping><servlet-name>thrower</servlet-name><url-pattern>/throw</url-pattern></servlet-mapping>
                <error-page>
                  <exception-type>java.lang.IllegalStateException</exception-type>
                  <location>/error.jsp</location>
                </error-page>
                <error-page><error-code>404</error-code><location>/404.jsp</location></error-page>
                <jsp-config>
                  <taglib>
                    <taglib-uri>urn:weft:mapped</taglib-uri>
                    <taglib-location>/WEB-INF/tlds/weft.tld</taglib-location>
                  </taglib>
                  <jsp-property-group>
                    <url-pattern>/raw/*</url-pattern>
                    <el-ignored>true</el-ignored>
                  </jsp-property-group>
                  <jsp-property-group>
                    <url-pattern>/utf8/*</url-pattern>
                    <page-encoding>UTF-8</page-encoding>
                  </jsp-property-group>
                  <jsp-property-group>
                    <url-pattern>/framed/*</url-pattern>
                    <include-prelude>/WEB-INF/prelude.jspf</include-prelude>
                    <include-coda>/WEB-INF/coda.jspf</include-coda>
                  </jsp-property-group>
                  <jsp-property-group>
                    <url-pattern>/strict/*</url-pattern>
                    <scripting-invalid>true</scripting-invalid>
                  </jsp-property-group>
                  <jsp-property-group>
                    <url-pattern>*.page</url-pattern>
                    <trim-directive-whitespaces>true</trim-directive-whitespaces>
                  </jsp-property-group>
                </jsp-config>
                """.formatted(AddJspFileListener.class.getName(), ThrowingServlet.class.getName())));
        f.put("index.jsp", "<%@ page contentType=\"text/plain\" %>welcome from <%= \"JSP\" %>");
        f.put("hello.jsp", """
                <%@ page contentType="text/plain; charset=UTF-8" import="java.util.List" %>\
                <%! private static String twice(String s) { return s + s; } %>\
                <% int n = 6 * 7; List<String> xs = List.of("a", "b"); %>\
                n=<%= n %> twice=<%= twice("ab") %> xs=<%= xs %> el=${1 + 2} \
                name=${param.name} header=${header['X-Probe']} \
                <jsp:useBean id="counter" class="@COUNTER@" scope="page"/>\
                <jsp:setProperty name="counter" property="count" value="5"/>\
                count=${counter.count} page=${pageContext.request.servletPath}""".replace("@COUNTER@", Counter.class.getName()));
        f.put("jstl.jsp", """
                <%@ page contentType="text/plain; charset=UTF-8" session="false" %>\
                <%@ taglib prefix="c" uri="jakarta.tags.core" %>\
                <%@ taglib prefix="fmt" uri="jakarta.tags.fmt" %>\
                <%@ taglib prefix="fn" uri="jakarta.tags.functions" %>\
                loop=<c:forEach var="i" begin="1" end="3">[${i}]</c:forEach> \
                if=<c:if test="${param.x == 'y'}">yes</c:if><c:if test="${param.x != 'y'}">no</c:if> \
                choose=<c:choose><c:when test="${empty param.none}">empty</c:when><c:otherwise>set</c:otherwise></c:choose> \
                out=<c:out value="${param.html}"/> \
                <c:set var="total" value="${2 * 21}"/>set=${total} \
                url=<c:url value="/x.jsp"/> \
                upper=${fn:toUpperCase('abc')} len=${fn:length('four')} \
                <fmt:setLocale value="de_DE"/>number=<fmt:formatNumber value="1234.5" minFractionDigits="2"/> \
                <fmt:setBundle basename="messages"/>message=<fmt:message key="greeting"><fmt:param value="Ada"/></fmt:message>""");
        f.put("WEB-INF/classes/messages.properties", "greeting=Guten Tag, {0}\n");
        f.put("tags.jsp", """
                <%@ page contentType="text/plain; charset=UTF-8" %>\
                <%@ taglib prefix="t" tagdir="/WEB-INF/tags" %>\
                <%@ taglib prefix="w" uri="urn:weft:tags" %>\
                <%@ taglib prefix="m" uri="urn:weft:mapped" %>\
                tagfile=<t:box title="T">inside ${1 + 1}</t:box> \
                tag=<w:greet name="Ada"/> fn=${w:shout('hi')} mapped=${m:shout('yo')}""");
        f.put("WEB-INF/tags/box.tag", """
                <%@ tag body-content="scriptless" %>\
                <%@ attribute name="title" required="true" %>\
                [${title}:<jsp:doBody/>]""");
        f.put("WEB-INF/tlds/weft.tld", """
                <?xml version="1.0" encoding="UTF-8"?>
                <taglib xmlns="https://jakarta.ee/xml/ns/jakartaee"
                        xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                        xsi:schemaLocation="https://jakarta.ee/xml/ns/jakartaee https://jakarta.ee/xml/ns/jakartaee/web-jsptaglibrary_3_0.xsd"
                        version="3.0">
                  <tlib-version>1.0</tlib-version>
                  <short-name>w</short-name>
                  <uri>urn:weft:tags</uri>
                  <tag>
                    <name>greet</name>
                    <tag-class>%s</tag-class>
                    <body-content>empty</body-content>
                    <attribute><name>name</name><required>true</required><rtexprvalue>true</rtexprvalue></attribute>
                  </tag>
                  <function>
                    <name>shout</name>
                    <function-class>%s</function-class>
                    <function-signature>java.lang.String shout(java.lang.String)</function-signature>
                  </function>
                </taglib>
                """.formatted(GreetTag.class.getName(), Functions.class.getName()));
        f.put("WEB-INF/pages/page.jsp", """
                <%@ page contentType="text/plain" %>\
                <%= config.getServletName() %> says <%= config.getInitParameter("greeting") %> \
                at <%= request.getServletPath() %> fork=<%= config.getInitParameter("fork") %>""");
        f.put("WEB-INF/pages/programmatic.jsp", """
                <%@ page contentType="text/plain" %>\
                programmatic <%= config.getInitParameter("origin") %> jspFile=<%= config.getInitParameter("jspFile") %>""");
        f.put("raw/el.jsp", "<%@ page contentType=\"text/plain\" %>raw=${1 + 2}");
        f.put("report.page", """
                <%@ page contentType="text/plain" %>
                <%@ page import="java.util.List" %>
                a page by its group: ${2 * 5}""");
        f.put("java21.jsp", """
                <%@ page contentType="text/plain" %>\
                <% record Point(int x, int y) {}
                   Object o = new Point(3, 4);
                   String d = switch (o) {
                       case Point(int x, int y) when x < y -> "point " + (x + y);
                       default -> "other";
                   }; %><%= d %>""");
        f.put("plain-el.jsp", "<%@ page contentType=\"text/plain\" %>plain=${1 + 2}");
        f.put("framed/page.jsp", "<%@ page contentType=\"text/plain\" %>body-of-<%= who %>");
        f.put("WEB-INF/prelude.jspf", "<% String who = \"framed\"; %>PRELUDE:");
        f.put("WEB-INF/coda.jspf", ":CODA");
        f.put("strict/page.jsp", "<%@ page contentType=\"text/plain\" %>strict <%= 1 + 1 %>");
        f.put("strict/el.jsp", "<%@ page contentType=\"text/plain\" %>strict el ${1 + 1}");
        f.put("boom.jsp", """
                <%@ page errorPage="/error.jsp" contentType="text/plain" %>\
                before<% if (true) { throw new IllegalArgumentException("kaboom"); } %>""");
        f.put("error.jsp", """
                <%@ page isErrorPage="true" contentType="text/plain" %>\
                error: <%= exception.getClass().getSimpleName() %>: <%= exception.getMessage() %> \
                code=${requestScope['jakarta.servlet.error.status_code']}""");
        f.put("404.jsp", """
                <%@ page contentType="text/plain" %>\
                not here: ${requestScope['jakarta.servlet.error.request_uri']}""");
        f.put("forward.jsp", """
                <%@ page contentType="text/plain" %>\
                dropped<jsp:forward page="/WEB-INF/target.jsp"><jsp:param name="who" value="fwd"/></jsp:forward>""");
        f.put("WEB-INF/target.jsp", """
                <%@ page contentType="text/plain" %>\
                target who=${param.who} from=<%= request.getAttribute("jakarta.servlet.forward.servlet_path") %> \
                at=<%= request.getServletPath() %>""");
        f.put("include.jsp", """
                <%@ page contentType="text/plain" %>\
                A<jsp:include page="/part.jsp"><jsp:param name="n" value="7"/></jsp:include>B\
                <%@ include file="/WEB-INF/static.jspf" %>C""");
        f.put("part.jsp", "[part ${param.n} of <%= request.getAttribute(\"jakarta.servlet.include.servlet_path\") %>]");
        f.put("WEB-INF/static.jspf", "<%= \"static\" %>");
        f.put("doc.jspx", """
                <jsp:root xmlns:jsp="http://java.sun.com/JSP/Page" xmlns:c="jakarta.tags.core" version="3.0">
                  <jsp:directive.page contentType="text/plain"/>
                  <jsp:text>jspx sum=${1 + 1} </jsp:text>
                  <c:forEach var="i" begin="1" end="2"><jsp:text>(${i})</jsp:text></c:forEach>
                  <jsp:scriptlet>out.write(" script");</jsp:scriptlet>
                </jsp:root>
                """);
        f.put("bad.jsp", """
                <%@ page contentType="text/plain" %>\
                SECRET-MARKER-7731 <% String s = 42; %>""");
        f.put("config.jsp", """
                <%@ page contentType="text/plain" import="jakarta.servlet.descriptor.*" %>\
                <% JspConfigDescriptor c = application.getJspConfigDescriptor(); %>\
                groups=<%= c.getJspPropertyGroups().size() %> \
                taglib=<%= c.getTaglibs().iterator().next().getTaglibURI() %> \
                elIgnored=<%= c.getJspPropertyGroups().iterator().next().getElIgnored() %> \
                jasperRanFirst=${applicationScope.jasperRanFirst} instanceManager=${applicationScope.instanceManager}""");
        JspHarness.war(root, f);
        // UTF-8 bytes the JSP default (ISO-8859-1) would misread; the property group says UTF-8. No
        // charset in contentType, which would set the page encoding itself.
        JspHarness.write(root.resolve("utf8/page.jsp"),
                "<%@ page contentType=\"text/plain\" %>café ✓".getBytes(StandardCharsets.UTF_8));
        JspHarness.write(root.resolve("latin-default.jsp"),
                "<%@ page contentType=\"text/plain\" %>café".getBytes(StandardCharsets.UTF_8));
        for (Class<?> c : new Class<?>[] {AddJspFileListener.class, ThrowingServlet.class, Counter.class,
                GreetTag.class, Functions.class, OrderProbe.class}) {
            JspHarness.addClass(root, c);
        }
        JspHarness.write(root.resolve("WEB-INF/classes/META-INF/services/jakarta.servlet.ServletContainerInitializer"),
                OrderProbe.class.getName().getBytes(StandardCharsets.UTF_8));
        Path lib = root.resolve("WEB-INF/lib");
        Files.createDirectories(lib);
        Files.copy(JspHarness.jarOf("META-INF/c.tld"), lib.resolve("jakarta.servlet.jsp.jstl-3.0.1.jar"));
        Files.copy(JspHarness.jarOf("jakarta/servlet/jsp/jstl/core/Config.class"),
                lib.resolve("jakarta.servlet.jsp.jstl-api-3.0.0.jar"));
        return root;
    }

    /**
     * Declares its own {@code jsp} servlet, the Tomcat way, to check modifications on every
     * request, and maps {@code *.jspf} to it.
     */
    static Path devApp(Path root) {
        return JspHarness.war(root, Map.of(
                "WEB-INF/web.xml", JspHarness.webXml("""
                        <servlet>
                          <servlet-name>jsp</servlet-name>
                          <servlet-class>org.apache.jasper.servlet.JspServlet</servlet-class>
                          <init-param><param-name>modificationTestInterval</param-name><param-value>0</param-value></init-param>
                          <init-param><param-name>development</param-name><param-value>true</param-value></init-param>
                        </servlet>
                        <servlet-mapping><servlet-name>jsp</servlet-name><url-pattern>*.jspf</url-pattern></servlet-mapping>
                        """),
                "changing.jsp", "<%@ page contentType=\"text/plain\" %>version one",
                "frag.jspf", "<%@ page contentType=\"text/plain\" %>fragment ${2 + 2}",
                "java21.jsp", """
                        <%@ page contentType="text/plain" %><% Object o = 5;
                        String d = switch (o) { case Integer i when i > 3 -> "big " + i; default -> "small"; };
                        %><%= d %>"""));
    }

    /** Maps {@code *.jsp} to a servlet of its own. */
    static Path ownApp(Path root) {
        Path r = JspHarness.war(root, Map.of(
                "WEB-INF/web.xml", JspHarness.webXml("""
                        <servlet><servlet-name>own</servlet-name><servlet-class>%s</servlet-class></servlet>
                        <servlet-mapping><servlet-name>own</servlet-name><url-pattern>*.jsp</url-pattern></servlet-mapping>
                        """.formatted(OwnJspServlet.class.getName())),
                "mine.jsp", "<%= \"never compiled\" %>",
                "doc.jspx", """
                        <jsp:root xmlns:jsp="http://java.sun.com/JSP/Page" version="3.0">
                          <jsp:directive.page contentType="text/plain"/><jsp:text>still jasper ${3 * 3}</jsp:text>
                        </jsp:root>
                        """));
        JspHarness.addClass(r, OwnJspServlet.class);
        return r;
    }

    private static void assertNoSource(Resp r) {
        assertFalse(r.body().contains("<%"), "JSP source must never be served: " + r.body());
        assertFalse(r.body().contains("jsp:"), "JSP source must never be served: " + r.body());
    }

    // ---- Pages ----

    @Test
    void scriptletsDeclarationsBeansAndEl() throws Exception {
        Resp r = h.get("/shop/hello.jsp?name=Ada");
        assertEquals(200, r.status(), r.body());
        assertEquals("n=42 twice=abab xs=[a, b] el=3 name=Ada header= count=5 page=/hello.jsp", r.body());
        assertEquals("text/plain;charset=UTF-8", r.header("Content-Type").replace(" ", ""));
    }

    @Test
    void welcomeFileIsRunNotShown() throws Exception {
        Resp r = h.get("/shop/");
        assertEquals(200, r.status(), r.body());
        assertEquals("welcome from JSP", r.body());
    }

    @Test
    void jstlCoreFmtAndFunctionsFromWebInfLib() throws Exception {
        Resp r = h.get("/shop/jstl.jsp?x=y&html=%3Cb%3E");
        assertEquals(200, r.status(), r.body());
        assertEquals("loop=[1][2][3] if=yes choose=empty out=&lt;b&gt; set=42 url=/shop/x.jsp upper=ABC len=4 "
                + "number=1.234,50 message=Guten Tag, Ada", r.body());
    }

    @Test
    void tagFilesTldsInWebInfAndTaglibMappings() throws Exception {
        Resp r = h.get("/shop/tags.jsp");
        assertEquals(200, r.status(), r.body());
        assertEquals("tagfile=[T:inside 2] tag=Hello, Ada! fn=HI! mapped=YO!", r.body());
    }

    @Test
    void jspFileServletHasItsInitParamsAndTheJspServletDefaults() throws Exception {
        Resp r = h.get("/shop/page");
        assertEquals(200, r.status(), r.body());
        assertEquals("page says bonjour at /page fork=false", r.body());
    }

    @Test
    void addJspFileFromAListener() throws Exception {
        Resp r = h.get("/shop/programmatic");
        assertEquals(200, r.status(), r.body());
        assertEquals("programmatic addJspFile jspFile=/WEB-INF/pages/programmatic.jsp", r.body());
    }

    @Test
    void pagesUnderWebInfAreNotReachableDirectly() throws Exception {
        Resp r = h.get("/shop/WEB-INF/pages/page.jsp");
        assertEquals(404, r.status(), r.body());
        assertNoSource(r);
    }

    // ---- jsp-config ----

    @Test
    void elIgnoredPropertyGroup() throws Exception {
        assertEquals("raw=${1 + 2}", h.get("/shop/raw/el.jsp").body());
        assertEquals("plain=3", h.get("/shop/plain-el.jsp").body());
    }

    @Test
    void pageEncodingPropertyGroup() throws Exception {
        Resp r = h.get("/shop/utf8/page.jsp");
        assertEquals(200, r.status(), r.body());
        assertEquals("café ✓", r.body());
        assertEquals("text/plain;charset=UTF-8", r.header("Content-Type").replace(" ", ""));
        // The same bytes outside the group are read as ISO-8859-1, the JSP default: the group made the difference.
        assertEquals("cafÃ©", h.get("/shop/latin-default.jsp").body());
    }

    @Test
    void includePreludeAndCodaPropertyGroup() throws Exception {
        Resp r = h.get("/shop/framed/page.jsp");
        assertEquals(200, r.status(), r.body());
        assertEquals("PRELUDE:body-of-framed:CODA", r.body());
    }

    @Test
    void propertyGroupPatternsAreJspPagesWhateverTheirExtension() throws Exception {
        Resp r = h.get("/shop/report.page");
        assertEquals(200, r.status(), r.body());
        // trim-directive-whitespaces dropped the line between the directives; the one before the text is the text's.
        assertEquals("\na page by its group: 10", r.body());
    }

    @Test
    void pagesAreCompiledAsJava21() throws Exception {
        Resp r = h.get("/shop/java21.jsp");
        assertEquals(200, r.status(), r.body());
        assertEquals("point 7", r.body());
    }

    @Test
    void scriptingInvalidPropertyGroup() throws Exception {
        Resp r = h.get("/shop/strict/page.jsp");
        assertEquals(500, r.status(), r.body());
        assertNoSource(r);
        assertEquals("strict el 2", h.get("/shop/strict/el.jsp").body());
    }

    @Test
    void jspConfigDescriptorAndInitializerOrder() throws Exception {
        Resp r = h.get("/shop/config.jsp");
        assertEquals(200, r.status(), r.body());
        assertEquals("groups=5 taglib=urn:weft:mapped elIgnored=true jasperRanFirst=true instanceManager=true", r.body());
    }

    // ---- Errors, forward and include ----

    @Test
    void pageErrorPageDirective() throws Exception {
        Resp r = h.get("/shop/boom.jsp");
        assertEquals(500, r.status(), r.body());
        assertEquals("error: IllegalArgumentException: kaboom code=500", r.body());
    }

    @Test
    void webXmlExceptionErrorPageIsAJsp() throws Exception {
        Resp r = h.get("/shop/throw");
        assertEquals(500, r.status(), r.body());
        assertEquals("error: IllegalStateException: boom from servlet code=500", r.body());
    }

    @Test
    void webXmlStatusErrorPageIsAJsp() throws Exception {
        Resp r = h.get("/shop/nothing-here");
        assertEquals(404, r.status(), r.body());
        assertEquals("not here: /shop/nothing-here", r.body());
        Resp missingPage = h.get("/shop/missing.jsp");
        assertEquals(404, missingPage.status(), missingPage.body());
        assertEquals("not here: /shop/missing.jsp", missingPage.body());
    }

    @Test
    void forwardToAnotherJsp() throws Exception {
        Resp r = h.get("/shop/forward.jsp");
        assertEquals(200, r.status(), r.body());
        assertEquals("target who=fwd from=/forward.jsp at=/WEB-INF/target.jsp", r.body());
    }

    @Test
    void dynamicAndStaticInclude() throws Exception {
        Resp r = h.get("/shop/include.jsp");
        assertEquals(200, r.status(), r.body());
        assertEquals("A[part 7 of /part.jsp]BstaticC", r.body());
    }

    @Test
    void jspDocument() throws Exception {
        Resp r = h.get("/shop/doc.jspx");
        assertEquals(200, r.status(), r.body());
        assertEquals("jspx sum=2 (1)(2) script", r.body());
    }

    @Test
    void compileErrorIs500WithTheErrorLoggedAndNoSource() throws Exception {
        Resp r;
        String log;
        try (JspHarness.LogCapture capture = new JspHarness.LogCapture()) {
            r = h.get("/shop/bad.jsp");
            log = capture.text();
        }
        assertEquals(500, r.status(), r.body());
        assertNoSource(r);
        assertFalse(r.body().contains("SECRET-MARKER-7731"), r.body());
        assertFalse(r.body().contains("String s"), r.body());
        assertTrue(log.contains("failed in servlet jsp"), log);
        assertTrue(log.contains("/bad.jsp"), log);
        assertTrue(log.contains("Type mismatch: cannot convert from int to String"), log);
    }

    // ---- Applications with their own jsp settings ----

    @Test
    void recompilesAPageChangedOnDisk() throws Exception {
        assertEquals("version one", h.get("/dev/changing.jsp").body());
        Path page = dev.resolve("changing.jsp");
        Files.writeString(page, "<%@ page contentType=\"text/plain\" %>version two ${1 + 1}");
        // A later modification time than the compiled class, whatever the file system's granularity.
        Files.setLastModifiedTime(page, FileTime.fromMillis(System.currentTimeMillis() + 10_000));
        assertEquals("version two 2", h.get("/dev/changing.jsp").body());
    }

    @Test
    void applicationMappingsToTheJspServletAreKept() throws Exception {
        Resp r = h.get("/dev/frag.jspf");
        assertEquals(200, r.status(), r.body());
        assertEquals("fragment 4", r.body());
    }

    @Test
    void anApplicationsOwnJspServletGetsWeftsSettingsForWhatItLeavesOut() throws Exception {
        Resp r = h.get("/dev/java21.jsp");
        assertEquals(200, r.status(), r.body());
        assertEquals("big 5", r.body());
        assertEquals(null, r.header("X-Powered-By"));
    }

    @Test
    void applicationKeepsItsOwnStarDotJspMapping() throws Exception {
        Resp own = h.get("/own/mine.jsp");
        assertEquals(200, own.status(), own.body());
        assertEquals("own:/mine.jsp", own.body());
        Resp jspx = h.get("/own/doc.jspx");
        assertEquals(200, jspx.status(), jspx.body());
        assertEquals("still jasper 9", jspx.body());
    }

    @Test
    void scratchDirIsTheApplicationsTempDir() throws Exception {
        // Jasper writes the generated servlets under ServletContext.TEMPDIR, one folder per application.
        Object tempDir = h.handler.apps().stream().filter(a -> a.getContextPath().equals("/shop")).findFirst()
                .orElseThrow().getAttribute(jakarta.servlet.ServletContext.TEMPDIR);
        assertNotNull(tempDir);
        h.get("/shop/hello.jsp");
        try (var files = Files.walk(((java.io.File) tempDir).toPath())) {
            assertTrue(files.anyMatch(p -> p.getFileName().toString().equals("hello_jsp.class")));
        }
    }
}
