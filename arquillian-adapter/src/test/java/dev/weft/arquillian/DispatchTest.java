package dev.weft.arquillian;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.weft.arquillian.app.DispatchServlet;
import dev.weft.arquillian.app.ErrorServlet;
import dev.weft.arquillian.app.TargetServlet;
import java.net.URL;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Forward, include, named dispatch and error pages, by status and by exception type. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class DispatchTest {
    private static final Http http = new Http();

    @Deployment(testable = false)
    static WebArchive deployment() {
        return ShrinkWrap.create(WebArchive.class, "dispatch.war")
                .addClasses(DispatchServlet.class, TargetServlet.class, ErrorServlet.class)
                .setWebXML(Archives.webXml("""
                        <servlet><servlet-name>dispatch</servlet-name><servlet-class>dev.weft.arquillian.app.DispatchServlet</servlet-class></servlet>
                        <servlet><servlet-name>target</servlet-name><servlet-class>dev.weft.arquillian.app.TargetServlet</servlet-class></servlet>
                        <servlet><servlet-name>error</servlet-name><servlet-class>dev.weft.arquillian.app.ErrorServlet</servlet-class></servlet>
                        <servlet-mapping>
                          <servlet-name>dispatch</servlet-name>
                          <url-pattern>/forward</url-pattern><url-pattern>/include</url-pattern><url-pattern>/named</url-pattern>
                          <url-pattern>/throw</url-pattern><url-pattern>/teapot</url-pattern>
                        </servlet-mapping>
                        <servlet-mapping><servlet-name>target</servlet-name><url-pattern>/target</url-pattern></servlet-mapping>
                        <servlet-mapping><servlet-name>error</servlet-name><url-pattern>/error</url-pattern></servlet-mapping>
                        <error-page><exception-type>java.lang.IllegalStateException</exception-type><location>/error</location></error-page>
                        <error-page><error-code>418</error-code><location>/error</location></error-page>
                        """));
    }

    @ArquillianResource
    URL base;

    @AfterAll
    static void closeClient() throws Exception {
        http.close();
    }

    @Test
    void forwardChangesThePathsAndKeepsTheOriginal() throws Exception {
        var r = http.get(base, "forward?to=/target");
        assertEquals("target FORWARD uri=/dispatch/target servletPath=/target forwardUri=/dispatch/forward includeServletPath=null",
                r.body());
    }

    @Test
    void includeKeepsThePathsAndAddsAttributes() throws Exception {
        var r = http.get(base, "include?to=/target");
        assertEquals("before[target INCLUDE uri=/dispatch/include servletPath=/include forwardUri=null"
                + " includeServletPath=/target]after", r.body());
    }

    @Test
    void namedDispatchSetsNoAttributes() throws Exception {
        var r = http.get(base, "named?to=target");
        assertEquals("target FORWARD uri=/dispatch/named servletPath=/named forwardUri=null includeServletPath=null", r.body());
    }

    @Test
    void errorPageForAnExceptionType() throws Exception {
        var r = http.get(base, "throw");
        assertEquals(500, r.status());
        assertEquals("error ERROR status=500 uri=/dispatch/throw message=thrown on purpose exception=IllegalStateException",
                r.body());
    }

    @Test
    void errorPageForAStatus() throws Exception {
        var r = http.get(base, "teapot");
        assertEquals(418, r.status());
        assertEquals("error ERROR status=418 uri=/dispatch/teapot message=short and stout exception=null", r.body());
    }
}
