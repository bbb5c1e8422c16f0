package dev.weft.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.deploy.JspHarness.Resp;
import dev.weft.deploy.jspfixtures.AddJspFileListener;
import dev.weft.deploy.jspfixtures.IncludingServlet;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Weft without Jasper, in a child JVM whose class path is this one's minus Jasper, its EL, its
 * compiler and the JSP and EL APIs: Weft as someone runs it who never added JSP support.
 *
 * <p>A child JVM rather than a class loader hiding Jasper: the deployer decides once, from its own
 * class loader, whether Jasper is there, and the Servlet API, slf4j and the server would all have
 * to be loaded again under such a loader for the check to mean anything. A separate JVM tests the
 * real thing with nothing shared.
 */
class NoJasperTest {
    @TempDir
    static Path tmp;
    static Process child;
    static Path log;
    static String stdout;
    static int port;
    static final HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(10)).build();

    /** Class path entries that make up JSP support. */
    static final List<String> JSP_JARS = List.of("/org/mortbay/jasper/", "/org/eclipse/jdt/",
            "/jakarta/servlet/jsp/", "/jakarta/el/", "/org/glassfish/web/");

    @BeforeAll
    static void start() throws Exception {
        Path app = JspHarness.war(tmp.resolve("app"), Map.of(
                "WEB-INF/web.xml", JspHarness.webXml("""
                        <servlet><servlet-name>including</servlet-name><servlet-class>%s</servlet-class></servlet>
                        <servlet-mapping><servlet-name>including</servlet-name><url-pattern>/including</url-pattern></servlet-mapping>
                        <error-page><error-code>404</error-code><location>/404.jsp</location></error-page>
                        <jsp-config>
                          <jsp-property-group><url-pattern>*.page</url-pattern></jsp-property-group>
                        </jsp-config>
                        """.formatted(IncludingServlet.class.getName())),
                "index.jsp", "<%= \"SECRET-INDEX\" %>",
                "page.jsp", "<% String password = \"SECRET-PAGE\"; %><%= password %>",
                "doc.jspx", "<jsp:root xmlns:jsp=\"http://java.sun.com/JSP/Page\" version=\"3.0\">SECRET-JSPX</jsp:root>",
                "report.page", "<%= \"SECRET-GROUP\" %>",
                "404.jsp", "<%= \"SECRET-404\" %>",
                "hello.txt", "static still served"));
        JspHarness.addClass(app, IncludingServlet.class);
        Path ownJsp = JspHarness.war(tmp.resolve("ownjsp"), Map.of(
                "WEB-INF/web.xml", JspHarness.webXml("""
                        <servlet>
                          <servlet-name>jsp</servlet-name>
                          <servlet-class>org.apache.jasper.servlet.JspServlet</servlet-class>
                          <init-param><param-name>development</param-name><param-value>false</param-value></init-param>
                          <load-on-startup>1</load-on-startup>
                        </servlet>
                        """),
                "a.jsp", "<%= \"SECRET-OWN\" %>"));
        Path jspFile = JspHarness.war(tmp.resolve("jspfile"), Map.of(
                "WEB-INF/web.xml", JspHarness.webXml("""
                        <servlet><servlet-name>page</servlet-name><jsp-file>/WEB-INF/page.jsp</jsp-file></servlet>
                        <servlet-mapping><servlet-name>page</servlet-name><url-pattern>/page</url-pattern></servlet-mapping>
                        """),
                "WEB-INF/page.jsp", "<%= 1 %>"));
        Path listener = JspHarness.war(tmp.resolve("listener"), Map.of(
                "WEB-INF/web.xml", JspHarness.webXml("<listener><listener-class>%s</listener-class></listener>"
                        .formatted(AddJspFileListener.class.getName())),
                "WEB-INF/pages/programmatic.jsp", "<%= 1 %>"));
        JspHarness.addClass(listener, AddJspFileListener.class);

        String classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(e -> JSP_JARS.stream().noneMatch(j -> e.replace('\\', '/').contains(j)))
                .collect(Collectors.joining(File.pathSeparator));
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "-cp", classPath, NoJasperMain.class.getName(),
                tmp.resolve("work").toString(), "/app=" + app, "/ownjsp=" + ownJsp, "/jspfile=" + jspFile,
                "/listener=" + listener));
        log = tmp.resolve("child.log");
        child = new ProcessBuilder(cmd).redirectError(log.toFile()).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder lines = new StringBuilder();
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            lines.append(line).append('\n');
            if (line.startsWith("PORT ")) {
                port = Integer.parseInt(line.substring(5).trim());
                break;
            }
        }
        stdout = lines.toString();
        if (port == 0) {
            throw new IOException("child did not start:\n" + stdout + Files.readString(log));
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (child != null) {
            child.getOutputStream().close();
            if (!child.waitFor(10, TimeUnit.SECONDS)) {
                child.destroyForcibly();
            }
        }
    }

    static Resp get(String path) throws Exception {
        HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofByteArray());
        return new Resp(r.statusCode(), new String(r.body(), StandardCharsets.UTF_8), r.body(), r);
    }

    private static void notServed(Resp r) {
        assertFalse(r.body().contains("SECRET"), "a page's source was served: " + r.body());
        assertFalse(r.body().contains("<%"), "a page's source was served: " + r.body());
    }

    @Test
    void jasperReallyIsMissing() {
        assertTrue(stdout.contains("JASPER false"), stdout);
    }

    @Test
    void pagesAnswer500WithTheReasonNeverTheirSource() throws Exception {
        for (String page : List.of("/app/page.jsp", "/app/doc.jspx", "/app/report.page", "/app/")) {
            Resp r = get(page);
            assertEquals(500, r.status(), page + ": " + r.body());
            assertTrue(r.body().contains("JSP support is not installed"), page + ": " + r.body());
            notServed(r);
        }
    }

    @Test
    void aMissingPageIsStillNotFound() throws Exception {
        for (String path : List.of("/app/nothing.jsp", "/app/nothing")) {
            // The error page is a JSP: the client still gets the 404 being reported, and no source.
            Resp r = get(path);
            assertEquals(404, r.status(), path + ": " + r.body());
            notServed(r);
        }
    }

    @Test
    void anIncludedPageFailsTheIncluder() throws Exception {
        Resp r = get("/app/including?page=/page.jsp");
        assertEquals(500, r.status(), r.body());
        notServed(r);
    }

    @Test
    void theRestOfTheApplicationWorks() throws Exception {
        Resp r = get("/app/hello.txt");
        assertEquals(200, r.status(), r.body());
        assertEquals("static still served", r.body());
    }

    @Test
    void anApplicationsOwnJasperServletDeclarationStillDeploys() throws Exception {
        assertTrue(stdout.contains("DEPLOYED /ownjsp"), stdout);
        Resp r = get("/ownjsp/a.jsp");
        assertEquals(500, r.status(), r.body());
        notServed(r);
    }

    @Test
    void jspFileServletsCannotExist() {
        assertTrue(stdout.lines().anyMatch(l -> l.startsWith("REFUSED /jspfile ")
                && l.contains("is the JSP page /WEB-INF/page.jsp, but JSP support is not installed")), stdout);
        assertTrue(stdout.lines().anyMatch(l -> l.startsWith("REFUSED /listener ")
                && l.contains("JSP support is not installed")), stdout);
    }

    @Test
    void oneClearWarningPerApplicationWithPages() throws Exception {
        String text = Files.readString(log);
        List<String> warnings = text.lines().filter(l -> l.contains("has JSP pages, but JSP support is not installed"))
                .toList();
        assertEquals(1, warnings.stream().filter(l -> l.contains("/app ")).count(), text);
        assertEquals(1, warnings.stream().filter(l -> l.contains("/ownjsp ")).count(), text);
        assertTrue(warnings.get(0).contains("org.mortbay.jasper:apache-jsp"), warnings.get(0));
    }
}
