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
 * What a web.xml may ask for that Weft does not provide: the application still deploys, the log
 * says what was not honoured, and nothing is served that the descriptor meant to protect.
 */
class UnsupportedDescriptorFeaturesTest {
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
