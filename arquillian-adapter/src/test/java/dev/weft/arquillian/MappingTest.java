package dev.weft.arquillian;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.weft.arquillian.app.MappingServlet;
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

/** The mapping chapter: one servlet class under five names, one per kind of url-pattern. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class MappingTest {
    private static final Http http = new Http();

    @Deployment(testable = false)
    static WebArchive deployment() {
        StringBuilder xml = new StringBuilder();
        String[][] servlets = {{"exact", "/exact"}, {"prefix", "/prefix/*"}, {"extension", "*.ext"},
            {"fallback", "/"}, {"root", ""}};
        for (String[] s : servlets) {
            xml.append("<servlet><servlet-name>").append(s[0])
                    .append("</servlet-name><servlet-class>dev.weft.arquillian.app.MappingServlet</servlet-class></servlet>\n")
                    .append("<servlet-mapping><servlet-name>").append(s[0]).append("</servlet-name><url-pattern>")
                    .append(s[1]).append("</url-pattern></servlet-mapping>\n");
        }
        return ShrinkWrap.create(WebArchive.class, "mapping.war")
                .addClass(MappingServlet.class)
                .setWebXML(Archives.webXml(xml.toString()));
    }

    @ArquillianResource
    URL base;

    @AfterAll
    static void closeClient() throws Exception {
        http.close();
    }

    private String get(String path) throws Exception {
        var r = http.get(base, path);
        assertEquals(200, r.status(), path);
        return r.body();
    }

    @Test
    void exactMatch() throws Exception {
        assertEquals("exact servletPath=/exact pathInfo=null match=EXACT value=exact pattern=/exact", get("exact"));
    }

    @Test
    void longestPrefixWithPathInfo() throws Exception {
        assertEquals("prefix servletPath=/prefix pathInfo=/a/b match=PATH value=a/b pattern=/prefix/*", get("prefix/a/b"));
    }

    @Test
    void prefixWinsOverExtension() throws Exception {
        assertEquals("prefix servletPath=/prefix pathInfo=/page.ext match=PATH value=page.ext pattern=/prefix/*",
                get("prefix/page.ext"));
    }

    @Test
    void extensionMatch() throws Exception {
        assertEquals("extension servletPath=/dir/page.ext pathInfo=null match=EXTENSION value=dir/page pattern=*.ext",
                get("dir/page.ext"));
    }

    @Test
    void defaultServletReplacedByTheApplication() throws Exception {
        assertEquals("fallback servletPath=/other pathInfo=null match=DEFAULT value= pattern=/", get("other"));
    }

    @Test
    void emptyPatternMapsTheContextRoot() throws Exception {
        assertEquals("root servletPath= pathInfo=/ match=CONTEXT_ROOT value= pattern=", get(""));
    }
}
