package dev.weft.arquillian;

import dev.weft.arquillian.app.EnglishGreeter;
import dev.weft.arquillian.app.FragmentFilter;
import dev.weft.arquillian.app.FragmentInitializer;
import dev.weft.arquillian.app.FragmentServlet;
import dev.weft.arquillian.app.Greeter;
import jakarta.servlet.ServletContainerInitializer;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.JavaArchive;

/** Pieces of the test archives: web.xml text and a library jar that is a web fragment. */
final class Archives {
    private Archives() {}

    /** A Servlet 6.1 web.xml around {@code body}. */
    static StringAsset webXml(String body) {
        return new StringAsset("""
                <?xml version="1.0" encoding="UTF-8"?>
                <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee"
                         xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                         xsi:schemaLocation="https://jakarta.ee/xml/ns/jakartaee https://jakarta.ee/xml/ns/jakartaee/web-app_6_1.xsd"
                         version="6.1">
                """ + body + "\n</web-app>\n");
    }

    /**
     * A jar for WEB-INF/lib with a web-fragment.xml (a servlet and a filter on it) and a
     * ServletContainerInitializer that asks for {@link Greeter}s.
     */
    static JavaArchive fragmentJar() {
        return ShrinkWrap.create(JavaArchive.class, "greetings-fragment.jar")
                .addClasses(FragmentServlet.class, FragmentFilter.class, FragmentInitializer.class, Greeter.class,
                        EnglishGreeter.class)
                .addAsServiceProvider(ServletContainerInitializer.class, FragmentInitializer.class)
                .addAsManifestResource(new StringAsset("""
                        <?xml version="1.0" encoding="UTF-8"?>
                        <web-fragment xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.1">
                          <name>greetings</name>
                          <servlet>
                            <servlet-name>fragment</servlet-name>
                            <servlet-class>dev.weft.arquillian.app.FragmentServlet</servlet-class>
                            <init-param><param-name>origin</param-name><param-value>from-jar</param-value></init-param>
                          </servlet>
                          <servlet-mapping>
                            <servlet-name>fragment</servlet-name>
                            <url-pattern>/fragment</url-pattern>
                          </servlet-mapping>
                          <filter>
                            <filter-name>fragment-filter</filter-name>
                            <filter-class>dev.weft.arquillian.app.FragmentFilter</filter-class>
                          </filter>
                          <filter-mapping>
                            <filter-name>fragment-filter</filter-name>
                            <servlet-name>fragment</servlet-name>
                          </filter-mapping>
                        </web-fragment>
                        """), "web-fragment.xml");
    }
}
