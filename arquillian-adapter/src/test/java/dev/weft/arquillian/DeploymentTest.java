package dev.weft.arquillian;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.arquillian.app.AppListener;
import dev.weft.arquillian.app.HelloServlet;
import dev.weft.arquillian.app.InfoServlet;
import java.net.URL;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A WAR with web.xml, an annotated servlet, static files and a web-fragment jar, deployed as the TCK deploys. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class DeploymentTest {
    private static final Http http = new Http();

    @Deployment(testable = false)
    static WebArchive deployment() {
        return ShrinkWrap.create(WebArchive.class, "deployment.war")
                .addClasses(HelloServlet.class, InfoServlet.class, AppListener.class)
                .addAsLibrary(Archives.fragmentJar())
                .addAsWebResource(new StringAsset("<h1>welcome</h1>"), "index.html")
                .addAsWebResource(new StringAsset("nothing here"), "not-found.html")
                .addAsWebInfResource(new StringAsset("secret"), "secret.txt")
                .setWebXML(Archives.webXml("""
                        <context-param><param-name>greeting</param-name><param-value>hi</param-value></context-param>
                        <listener><listener-class>dev.weft.arquillian.app.AppListener</listener-class></listener>
                        <servlet><servlet-name>info</servlet-name><servlet-class>dev.weft.arquillian.app.InfoServlet</servlet-class></servlet>
                        <servlet-mapping><servlet-name>info</servlet-name><url-pattern>/info</url-pattern></servlet-mapping>
                        <welcome-file-list><welcome-file>index.html</welcome-file></welcome-file-list>
                        <error-page><error-code>404</error-code><location>/not-found.html</location></error-page>
                        """));
    }

    @ArquillianResource
    URL base;

    @AfterAll
    static void closeClient() throws Exception {
        http.close();
    }

    @Test
    void urlIsTheContextRootOnTheRealPort() {
        assertEquals("http", base.getProtocol());
        assertEquals("127.0.0.1", base.getHost());
        assertTrue(base.getPort() > 0, base.toString());
        assertEquals("/deployment/", base.getPath());
    }

    @Test
    void annotatedServletAnswers() throws Exception {
        var r = http.get(base, "hello");
        assertEquals(200, r.status());
        assertEquals("hello from /deployment/hello", r.body());
        assertEquals("text/plain;charset=UTF-8", r.header("Content-Type"));
    }

    @Test
    void webXmlContextParameterAndListener() throws Exception {
        var r = http.get(base, "info");
        assertEquals("greeting=hi listener=started /deployment loader=WebAppClassLoader", r.body());
    }

    @Test
    void welcomeFileAtTheContextRoot() throws Exception {
        var r = http.get(base, "");
        assertEquals(200, r.status());
        assertEquals("<h1>welcome</h1>", r.body());
    }

    @Test
    void contextPathWithoutSlashRedirects() throws Exception {
        var r = http.get(base, "/deployment");
        assertEquals(302, r.status());
        assertTrue(r.header("Location").endsWith("/deployment/"), r.header("Location"));
    }

    @Test
    void webInfIsNeverServed() throws Exception {
        var r = http.get(base, "WEB-INF/secret.txt");
        assertEquals(404, r.status());
        assertEquals("nothing here", r.body(), "the 404 error page of web.xml");
        assertEquals(404, http.get(base, "WEB-INF/web.xml").status());
    }

    @Test
    void servletAndFilterOfTheWebFragment() throws Exception {
        var r = http.get(base, "fragment");
        assertEquals(200, r.status());
        assertEquals("fragment from-jar filtered=yes", r.body());
    }

    @Test
    void initializerOfTheLibraryJarGotItsHandledTypes() throws Exception {
        var r = http.get(base, "programmatic");
        assertEquals(200, r.status());
        assertEquals("handled [EnglishGreeter]", r.body());
    }
}
