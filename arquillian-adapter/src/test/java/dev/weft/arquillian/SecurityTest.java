package dev.weft.arquillian;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.arquillian.app.AnnotatedSecureServlet;
import dev.weft.arquillian.app.WhoAmIServlet;
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

/**
 * Security constraints of web.xml and of @ServletSecurity, with BASIC authentication against the
 * users of arquillian.xml: alice (admin, user) and bob (user).
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class SecurityTest {
    private static final Http http = new Http();
    private static final String ALICE = Http.basic("alice", "wonderland");
    private static final String BOB = Http.basic("bob", "builder");

    @Deployment(testable = false)
    static WebArchive deployment() {
        return ShrinkWrap.create(WebArchive.class, "secure.war")
                .addClasses(WhoAmIServlet.class, AnnotatedSecureServlet.class)
                .setWebXML(Archives.webXml("""
                        <servlet><servlet-name>whoami</servlet-name><servlet-class>dev.weft.arquillian.app.WhoAmIServlet</servlet-class></servlet>
                        <servlet-mapping>
                          <servlet-name>whoami</servlet-name>
                          <url-pattern>/admin/*</url-pattern><url-pattern>/user/*</url-pattern><url-pattern>/public/*</url-pattern>
                        </servlet-mapping>
                        <security-constraint>
                          <web-resource-collection><web-resource-name>admin</web-resource-name><url-pattern>/admin/*</url-pattern></web-resource-collection>
                          <auth-constraint><role-name>admin</role-name></auth-constraint>
                        </security-constraint>
                        <security-constraint>
                          <web-resource-collection>
                            <web-resource-name>users</web-resource-name><url-pattern>/user/*</url-pattern>
                            <http-method-omission>GET</http-method-omission>
                          </web-resource-collection>
                          <auth-constraint><role-name>user</role-name></auth-constraint>
                        </security-constraint>
                        <login-config><auth-method>BASIC</auth-method><realm-name>weft-tests</realm-name></login-config>
                        <security-role><role-name>admin</role-name></security-role>
                        <security-role><role-name>user</role-name></security-role>
                        """));
    }

    @ArquillianResource
    URL base;

    @AfterAll
    static void closeClient() throws Exception {
        http.close();
    }

    @Test
    void anonymousGetsAChallenge() throws Exception {
        var r = http.get(base, "admin/page");
        assertEquals(401, r.status());
        String challenge = r.header("WWW-Authenticate");
        assertTrue(challenge.startsWith("Basic ") && challenge.contains("realm=\"weft-tests\""), challenge);
    }

    @Test
    void adminIsLetIn() throws Exception {
        var r = http.get(base, "admin/page", "Authorization", ALICE);
        assertEquals(200, r.status());
        assertEquals("user=alice admin=true user=true auth=BASIC", r.body());
    }

    @Test
    void userWithoutTheRoleIsForbidden() throws Exception {
        assertEquals(403, http.get(base, "admin/page", "Authorization", BOB).status());
    }

    @Test
    void wrongPasswordIsChallengedAgain() throws Exception {
        var r = http.get(base, "admin/page", "Authorization", Http.basic("alice", "looking-glass"));
        assertEquals(401, r.status());
        assertEquals(401, http.get(base, "admin/page", "Authorization", Http.basic("nobody", "x")).status());
    }

    @Test
    void methodOmissionLeavesGetOpenAndGuardsPost() throws Exception {
        assertEquals("user=null admin=false user=false auth=null", http.get(base, "user/page").body());
        assertEquals(401, http.post(base, "user/page", "x").status());
        var r = http.post(base, "user/page", "x", "Authorization", BOB);
        assertEquals(200, r.status());
        assertEquals("user=bob admin=false user=true auth=BASIC", r.body());
    }

    @Test
    void servletSecurityAnnotationIsEnforced() throws Exception {
        assertEquals(401, http.get(base, "annotated").status());
        assertEquals(403, http.get(base, "annotated", "Authorization", BOB).status());
        var r = http.get(base, "annotated", "Authorization", ALICE);
        assertEquals(200, r.status());
        assertEquals("annotated for alice", r.body());
    }

    @Test
    void unconstrainedPathNeedsNoLogin() throws Exception {
        var r = http.get(base, "public/page");
        assertEquals(200, r.status());
        assertEquals("user=null admin=false user=false auth=null", r.body());
    }
}
