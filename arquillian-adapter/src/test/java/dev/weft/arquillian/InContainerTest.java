package dev.weft.arquillian;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.weft.arquillian.app.AppListener;
import dev.weft.arquillian.app.HelloServlet;
import jakarta.servlet.ServletContext;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Tests that run inside the deployed application, through Arquillian's Servlet protocol: the test
 * class is packed into the WAR, loaded by the application's class loader and called over HTTP.
 * The class names only types the WAR carries, since it is loaded there. A client test cannot
 * share the class: the ServletContext field has nothing to be filled with outside the container.
 */
@ExtendWith(ArquillianExtension.class)
class InContainerTest {
    @Deployment
    static WebArchive deployment() {
        return ShrinkWrap.create(WebArchive.class, "incontainer.war")
                .addClasses(HelloServlet.class, AppListener.class)
                .setWebXML(new StringAsset("""
                        <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.1">
                          <context-param><param-name>greeting</param-name><param-value>inside</param-value></context-param>
                          <listener><listener-class>dev.weft.arquillian.app.AppListener</listener-class></listener>
                        </web-app>
                        """));
    }

    @ArquillianResource
    ServletContext context;

    @Test
    void runsInTheApplicationsClassLoader() {
        assertEquals("WebAppClassLoader", getClass().getClassLoader().getClass().getSimpleName());
        assertEquals(getClass().getClassLoader(), Thread.currentThread().getContextClassLoader());
    }

    @Test
    void servletContextOfTheDeploymentIsInjected() {
        assertNotNull(context);
        assertEquals("/incontainer", context.getContextPath());
        assertEquals("inside", context.getInitParameter("greeting"));
        assertEquals("started /incontainer", context.getAttribute(AppListener.ATTRIBUTE));
    }

    @Test
    void servletsOfTheDeploymentAreRegistered() {
        assertEquals(HelloServlet.class.getName(), context.getServletRegistration("hello").getClassName());
        assertEquals("[/hello]", context.getServletRegistration("hello").getMappings().toString());
    }
}
