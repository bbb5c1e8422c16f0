package dev.weft.arquillian;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.arquillian.app.SessionCounter;
import dev.weft.arquillian.app.SessionServlet;
import java.net.URL;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Sessions through the cookie, their state, their end, and the session listener found by annotation. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class SessionTest {
    @Deployment(testable = false)
    static WebArchive deployment() {
        return ShrinkWrap.create(WebArchive.class, "sessions.war")
                .addClasses(SessionServlet.class, SessionCounter.class)
                .setWebXML(Archives.webXml("""
                        <servlet><servlet-name>session</servlet-name><servlet-class>dev.weft.arquillian.app.SessionServlet</servlet-class></servlet>
                        <servlet-mapping>
                          <servlet-name>session</servlet-name>
                          <url-pattern>/count</url-pattern><url-pattern>/invalidate</url-pattern><url-pattern>/peek</url-pattern>
                        </servlet-mapping>
                        <session-config><session-timeout>5</session-timeout></session-config>
                        """));
    }

    @ArquillianResource
    URL base;

    @Test
    void newSessionSetsItsCookieOnTheContextPath() throws Exception {
        try (Http http = new Http()) {
            var r = http.get(base, "count");
            assertEquals("count=1 new=true", r.body());
            String cookie = r.header("Set-Cookie");
            assertNotNull(cookie);
            assertTrue(cookie.startsWith("JSESSIONID="), cookie);
            assertTrue(cookie.contains("Path=/sessions"), cookie);
            assertTrue(cookie.contains("HttpOnly"), cookie);
        }
    }

    @Test
    void sessionKeepsItsStateAcrossRequests() throws Exception {
        try (Http http = new Http()) {
            assertEquals("count=1 new=true", http.get(base, "count").body());
            assertEquals("count=2 new=false", http.get(base, "count").body());
            assertEquals("count=3 new=false", http.get(base, "count").body());
        }
    }

    @Test
    void requestsWithoutTheCookieAreNotInTheSession() throws Exception {
        try (Http first = new Http(); Http second = new Http()) {
            first.get(base, "count");
            assertEquals("session=true", first.get(base, "peek").body());
            assertEquals("session=false", second.get(base, "peek").body());
            assertEquals("count=1 new=true", second.get(base, "count").body());
        }
    }

    @Test
    void invalidatedSessionEndsAndTheListenerHearsOfIt() throws Exception {
        try (Http http = new Http()) {
            http.get(base, "count");
            http.get(base, "count");
            String report = http.get(base, "invalidate").body();
            assertTrue(report.startsWith("invalidated=true created="), report);
            int created = Integer.parseInt(report.replaceAll(".*created=(\\d+).*", "$1"));
            int destroyed = Integer.parseInt(report.replaceAll(".*destroyed=(\\d+).*", "$1"));
            assertTrue(created >= 1 && destroyed >= 1, report);
            assertEquals("session=false", http.get(base, "peek").body());
            assertEquals("count=1 new=true", http.get(base, "count").body());
        }
    }
}
