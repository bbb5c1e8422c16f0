package dev.weft.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.http.Server;
import dev.weft.servlet.ServletHandler;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Descriptors written for other containers are left alone: each is told about in one INFO line,
 * none stops a deployment, whatever it says (even when it is not well-formed XML). What a web.xml
 * asks for that Weft does not provide is told about too, and nothing is served that the
 * descriptor meant to protect.
 */
class ForeignDescriptorsTest {
    @TempDir
    Path dir;

    ServletHandler handler;
    Deployer deployer;
    Server server;
    Http http;

    @BeforeEach
    void startServer() throws Exception {
        handler = new ServletHandler();
        deployer = new Deployer(handler, dir.resolve("work"));
        server = Server.builder().address("127.0.0.1", 0).handler(handler).build();
        http = new Http(server.start().address().getPort());
    }

    @AfterEach
    void stopServer() {
        http.close();
        server.close();
    }

    static final List<String> FOREIGN = List.of("WEB-INF/jetty-web.xml", "WEB-INF/jboss-web.xml", "META-INF/context.xml");

    @Test
    void aWarWithOtherContainersDescriptorsDeploysWithOneInfoLineEach() throws Exception {
        Path war = WarBuilder.war().fixtures("isolation")
                .text("WEB-INF/jetty-web.xml", """
                        <?xml version="1.0"?>
                        <!DOCTYPE Configure PUBLIC "-//Jetty//Configure//EN" "https://jetty.org/configure_10_0.dtd">
                        <Configure class="org.eclipse.jetty.ee10.webapp.WebAppContext">
                          <Set name="contextPath">/elsewhere</Set>
                        </Configure>
                        """)
                .text("WEB-INF/jboss-web.xml", "<jboss-web><context-root>/elsewhere</context-root></jboss-web>\n")
                .text("META-INF/context.xml", "<Context path=\"/elsewhere\" reloadable=\"true\"><Resource name=\"jdbc/x\"") // cut off
                .write(dir.resolve("foreign.war"));
        Deployment d;
        try (CapturedLog log = new CapturedLog()) {
            d = deployer.deploy(war);
            for (String descriptor : FOREIGN) {
                List<String> lines = log.lines(descriptor);
                assertEquals(1, lines.size(), descriptor + ": " + lines);
                assertTrue(lines.getFirst().contains(" INFO dev.weft.deploy.Deployer - foreign.war: ignoring " + descriptor),
                        lines.getFirst());
            }
        }
        // Deployed where its name says, not where the other containers' descriptors would put it.
        assertEquals("/foreign", d.app().getContextPath());
        assertEquals("200 java.util.List=jdk\n", http.fetch("/foreign/probe?class=java.util.List"));
        assertEquals(404, http.get("/elsewhere/probe").statusCode());
        deployer.undeploy(d);
    }

    @Test
    void anExplodedApplicationWithThemDeploysToo() throws Exception {
        Path app = WarBuilder.war().fixtures("isolation")
                .text("WEB-INF/jboss-web.xml", "<jboss-web><context-root>/elsewhere</context-root></jboss-web>\n")
                .explode(dir.resolve("exploded"));
        try (CapturedLog log = new CapturedLog()) {
            Deployment d = deployer.deploy(app);
            assertEquals(1, log.lines("exploded: ignoring WEB-INF/jboss-web.xml").size());
            assertEquals(List.of(), log.lines("jetty-web.xml"), "only the descriptors that are there");
            assertEquals("200 java.util.List=jdk\n", http.fetch("/exploded/probe?class=java.util.List"));
            deployer.undeploy(d);
        }
    }

    @Test
    void digestLoginIsReportedAndItsConstraintsStillHold() throws Exception {
        Path war = WarBuilder.war().fixtures("isolation")
                .text("WEB-INF/web.xml", WarBuilder.webXml("""
                        <security-constraint>
                          <web-resource-collection><url-pattern>/secret/*</url-pattern></web-resource-collection>
                          <auth-constraint><role-name>admin</role-name></auth-constraint>
                        </security-constraint>
                        <login-config><auth-method>DIGEST</auth-method><realm-name>r</realm-name></login-config>
                        <security-role><role-name>admin</role-name></security-role>
                        <env-entry><env-entry-name>greeting</env-entry-name><env-entry-type>java.lang.String</env-entry-type>
                          <env-entry-value>hi</env-entry-value></env-entry>
                        """))
                .write(dir.resolve("digest.war"));
        try (CapturedLog log = new CapturedLog()) {
            Deployment d = deployer.deploy(war);
            List<String> digest = log.lines("auth-method DIGEST");
            assertEquals(1, digest.size(), digest.toString());
            assertTrue(digest.getFirst().contains(" WARN dev.weft.deploy.Deployer - /digest: auth-method DIGEST"), digest.getFirst());
            List<String> env = log.lines("env-entries are not bound");
            assertEquals(1, env.size(), env.toString());

            assertEquals(401, http.get("/digest/secret/x").statusCode(), "a protected path is never served");
            assertEquals("200 java.util.List=jdk\n", http.fetch("/digest/probe?class=java.util.List"));
            deployer.undeploy(d);
        }
    }
}
