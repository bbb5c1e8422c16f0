package dev.weft.arquillian;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.weft.arquillian.app.CrossContextServlet;
import dev.weft.arquillian.app.HelloServlet;
import dev.weft.arquillian.app.LoaderServlet;
import java.net.URL;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.OperateOnDeployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Two deployments in one test class, each told apart with @OperateOnDeployment. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class MultipleDeploymentsTest {
    private static final Http http = new Http();

    @Deployment(name = "first", testable = false)
    static WebArchive first() {
        return ShrinkWrap.create(WebArchive.class, "first.war")
                .addClasses(HelloServlet.class, LoaderServlet.class, CrossContextServlet.class)
                .setWebXML(Archives.webXml("""
                        <servlet><servlet-name>cross</servlet-name><servlet-class>dev.weft.arquillian.app.CrossContextServlet</servlet-class></servlet>
                        <servlet-mapping><servlet-name>cross</servlet-name><url-pattern>/cross</url-pattern></servlet-mapping>
                        """));
    }

    @Deployment(name = "second", testable = false)
    static WebArchive second() {
        return ShrinkWrap.create(WebArchive.class, "second.war").addClasses(HelloServlet.class, LoaderServlet.class);
    }

    @ArquillianResource
    @OperateOnDeployment("first")
    URL first;

    @ArquillianResource
    @OperateOnDeployment("second")
    URL second;

    @AfterAll
    static void closeClient() throws Exception {
        http.close();
    }

    @Test
    void eachDeploymentHasItsOwnContextPath() throws Exception {
        assertEquals("/first/", first.getPath());
        assertEquals("/second/", second.getPath());
        assertEquals(first.getPort(), second.getPort());
        assertEquals("hello from /first/hello", http.get(first, "hello").body());
        assertEquals("hello from /second/hello", http.get(second, "hello").body());
    }

    @Test
    void urlInjectedAsAParameter(@ArquillianResource @OperateOnDeployment("second") URL url) throws Exception {
        assertEquals("/second/", url.getPath());
        assertEquals("hello from /second/hello", http.get(url, "hello").body());
    }

    @Test
    void eachDeploymentHasItsOwnClassLoader() throws Exception {
        String a = http.get(first, "loader").body();
        String b = http.get(second, "loader").body();
        assertNotEquals(a.replaceAll("requests=\\d+ ", ""), b.replaceAll("requests=\\d+ ", ""), a + " / " + b);
        int before = Integer.parseInt(http.get(second, "loader").body().replaceAll("requests=(\\d+).*", "$1"));
        http.get(first, "loader");
        http.get(first, "loader");
        int after = Integer.parseInt(http.get(second, "loader").body().replaceAll("requests=(\\d+).*", "$1"));
        assertEquals(before + 1, after, "requests to the first application do not count in the second's class");
    }

    @Test
    void crossContextDispatchIsOnAsConfigured() throws Exception {
        assertEquals("[/second] hello from /first/cross", http.get(first, "cross?context=/second").body());
    }
}
