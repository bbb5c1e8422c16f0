package dev.weft.arquillian;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.weft.arquillian.app.BlockingFilter;
import dev.weft.arquillian.app.DispatchServlet;
import dev.weft.arquillian.app.TraceFilter;
import dev.weft.arquillian.app.TraceServlet;
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

/** Filters of web.xml: their order, mapping by servlet name, dispatcher types, answering without the chain. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class FilterTest {
    private static final Http http = new Http();

    @Deployment(testable = false)
    static WebArchive deployment() {
        return ShrinkWrap.create(WebArchive.class, "filters.war")
                .addClasses(TraceFilter.class, BlockingFilter.class, TraceServlet.class, DispatchServlet.class)
                .setWebXML(Archives.webXml("""
                        <filter><filter-name>second</filter-name><filter-class>dev.weft.arquillian.app.TraceFilter</filter-class></filter>
                        <filter><filter-name>first</filter-name><filter-class>dev.weft.arquillian.app.TraceFilter</filter-class></filter>
                        <filter><filter-name>by-name</filter-name><filter-class>dev.weft.arquillian.app.TraceFilter</filter-class></filter>
                        <filter><filter-name>on-forward</filter-name><filter-class>dev.weft.arquillian.app.TraceFilter</filter-class></filter>
                        <filter><filter-name>blocker</filter-name><filter-class>dev.weft.arquillian.app.BlockingFilter</filter-class></filter>
                        <filter-mapping><filter-name>first</filter-name><url-pattern>/*</url-pattern></filter-mapping>
                        <filter-mapping><filter-name>by-name</filter-name><servlet-name>trace</servlet-name></filter-mapping>
                        <filter-mapping><filter-name>second</filter-name><url-pattern>/*</url-pattern></filter-mapping>
                        <filter-mapping>
                          <filter-name>on-forward</filter-name><url-pattern>/trace</url-pattern><dispatcher>FORWARD</dispatcher>
                        </filter-mapping>
                        <filter-mapping><filter-name>blocker</filter-name><url-pattern>/blocked/*</url-pattern></filter-mapping>
                        <servlet><servlet-name>trace</servlet-name><servlet-class>dev.weft.arquillian.app.TraceServlet</servlet-class></servlet>
                        <servlet><servlet-name>dispatch</servlet-name><servlet-class>dev.weft.arquillian.app.DispatchServlet</servlet-class></servlet>
                        <servlet-mapping><servlet-name>trace</servlet-name><url-pattern>/trace</url-pattern></servlet-mapping>
                        <servlet-mapping><servlet-name>trace</servlet-name><url-pattern>/blocked/*</url-pattern></servlet-mapping>
                        <servlet-mapping><servlet-name>dispatch</servlet-name><url-pattern>/forward</url-pattern></servlet-mapping>
                        """));
    }

    @ArquillianResource
    URL base;

    @AfterAll
    static void closeClient() throws Exception {
        http.close();
    }

    @Test
    void urlPatternFiltersInMappingOrderThenServletNameFilters() throws Exception {
        var r = http.get(base, "trace");
        assertEquals("trace REQUEST trace=first,second,by-name", r.body());
        assertEquals("first,second,by-name", r.allHeaders("X-Filter"));
    }

    @Test
    void forwardFilterRunsOnlyOnForward() throws Exception {
        var r = http.get(base, "forward?to=/trace");
        // first and second ran for the request to /forward; on the forward only the FORWARD
        // mapping runs, and by-name, mapped for REQUEST alone, not at all.
        assertEquals("trace FORWARD trace=first,second,on-forward", r.body());
    }

    @Test
    void filterAnswersWithoutTheChain() throws Exception {
        var r = http.get(base, "blocked/anything");
        assertEquals(403, r.status());
        assertEquals("blocked by blocker", r.body());
        assertEquals("first,second", r.allHeaders("X-Filter"));
    }
}
