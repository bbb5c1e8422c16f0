package dev.weft.arquillian;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.arquillian.app.FailingInitializer;
import dev.weft.arquillian.app.HelloServlet;
import dev.weft.arquillian.app.MappingServlet;
import dev.weft.deploy.DescriptorException;
import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.OperateOnDeployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.container.test.api.ShouldThrowException;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.JavaArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Deployments that must fail, and what the test sees of them: Arquillian's DeploymentException
 * with the real cause, and nothing left served or on disk. Also a deployment undeployed by hand.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class FailingDeploymentTest {
    /** The work folder arquillian.xml configures (relative to the module, where tests run). */
    private static final Path APPS = Path.of("target/arquillian-work/apps");
    private static final Http http = new Http();

    @Deployment(name = "healthy", testable = false)
    static WebArchive healthy() {
        return ShrinkWrap.create(WebArchive.class, "healthy.war").addClass(HelloServlet.class);
    }

    /** Managed, and expected to fail: two servlets on one url-pattern. */
    @Deployment(name = "conflict", testable = false)
    @ShouldThrowException(ServletException.class)
    static WebArchive conflict() {
        return ShrinkWrap.create(WebArchive.class, "conflict.war")
                .addClass(MappingServlet.class)
                .setWebXML(Archives.webXml("""
                        <servlet><servlet-name>a</servlet-name><servlet-class>dev.weft.arquillian.app.MappingServlet</servlet-class></servlet>
                        <servlet><servlet-name>b</servlet-name><servlet-class>dev.weft.arquillian.app.MappingServlet</servlet-class></servlet>
                        <servlet-mapping><servlet-name>a</servlet-name><url-pattern>/same</url-pattern></servlet-mapping>
                        <servlet-mapping><servlet-name>b</servlet-name><url-pattern>/same</url-pattern></servlet-mapping>
                        """));
    }

    @Deployment(name = "bad-web-xml", managed = false, testable = false)
    static WebArchive badWebXml() {
        return ShrinkWrap.create(WebArchive.class, "bad-web-xml.war")
                .addClass(HelloServlet.class)
                .setWebXML(new StringAsset("""
                        <?xml version="1.0" encoding="UTF-8"?>
                        <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.1">
                          <servlet><servlet-name>broken</servlet-name>
                        </web-app>
                        """));
    }

    @Deployment(name = "failing-initializer", managed = false, testable = false)
    static WebArchive failingInitializer() {
        JavaArchive jar = ShrinkWrap.create(JavaArchive.class, "refuses.jar")
                .addClass(FailingInitializer.class)
                .addAsServiceProvider(ServletContainerInitializer.class, FailingInitializer.class);
        return ShrinkWrap.create(WebArchive.class, "failing-initializer.war").addClass(HelloServlet.class).addAsLibrary(jar);
    }

    @Deployment(name = "by-hand", managed = false, testable = false)
    static WebArchive byHand() {
        return ShrinkWrap.create(WebArchive.class, "by-hand.war").addClass(HelloServlet.class);
    }

    @ArquillianResource
    Deployer deployer;

    @ArquillianResource
    @OperateOnDeployment("healthy")
    URL healthy;

    @AfterAll
    static void closeClient() throws Exception {
        http.close();
    }

    private static Throwable find(Throwable t, Class<? extends Throwable> type) {
        for (; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return t;
            }
        }
        return null;
    }

    @Test
    void expectedFailureLeavesTheOthersRunningAndNothingBehind() throws Exception {
        assertEquals("hello from /healthy/hello", http.get(healthy, "hello").body());
        assertEquals(404, http.get(healthy, "/conflict/same").status());
        assertFalse(Files.exists(APPS.resolve("conflict")), "unpacked folder of the failed deployment");
    }

    @Test
    void malformedWebXmlReportsFileAndLine() throws Exception {
        Exception e = assertThrows(Exception.class, () -> deployer.deploy("bad-web-xml"));
        var deployment = find(e, org.jboss.arquillian.container.spi.client.container.DeploymentException.class);
        assertNotNull(deployment, "an Arquillian DeploymentException in " + e);
        assertTrue(deployment.getMessage().contains("bad-web-xml.war"), deployment.getMessage());
        DescriptorException cause = (DescriptorException) find(e, DescriptorException.class);
        assertNotNull(cause, "the descriptor error is the cause");
        assertTrue(cause.getMessage().contains("WEB-INF/web.xml:"), cause.getMessage());
        assertEquals(404, http.get(healthy, "/bad-web-xml/hello").status());
        assertFalse(Files.exists(APPS.resolve("bad-web-xml")));
    }

    @Test
    void failingInitializerIsTheCause() throws Exception {
        Exception e = assertThrows(Exception.class, () -> deployer.deploy("failing-initializer"));
        Throwable cause = find(e, IllegalStateException.class);
        assertNotNull(cause, "the initializer's exception in " + e);
        assertEquals(FailingInitializer.MESSAGE, cause.getMessage());
        assertEquals(404, http.get(healthy, "/failing-initializer/hello").status());
        assertFalse(Files.exists(APPS.resolve("failing-initializer")));
    }

    @Test
    void undeployRemovesTheApplicationAndItsFiles() throws Exception {
        deployer.deploy("by-hand");
        try {
            assertEquals("hello from /by-hand/hello", http.get(healthy, "/by-hand/hello").body());
            assertTrue(Files.isDirectory(APPS.resolve("by-hand/WEB-INF/classes")));
        } finally {
            deployer.undeploy("by-hand");
        }
        assertEquals(404, http.get(healthy, "/by-hand/hello").status());
        assertFalse(Files.exists(APPS.resolve("by-hand")));
        assertFalse(Files.exists(Path.of("target/arquillian-work/wars/by-hand.war")));
    }
}
