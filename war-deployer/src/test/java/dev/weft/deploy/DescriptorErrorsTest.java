package dev.weft.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What the parser refuses, and that the message names the file and the line. Each body goes
 * inside a web.xml whose root is on line 1, so a body's first line is line 2.
 */
class DescriptorErrorsTest {

    static Stream<Arguments> bodies() {
        return Stream.of(
                // numbers
                row("load-on-startup not a number", """
                        <servlet>
                          <servlet-name>a</servlet-name>
                          <load-on-startup>soon</load-on-startup>
                        </servlet>""", 4, "<load-on-startup> must be an integer, not \"soon\""),
                row("load-on-startup out of range", """
                        <servlet>
                          <servlet-name>a</servlet-name>
                          <load-on-startup>99999999999</load-on-startup>
                        </servlet>""", 4, "<load-on-startup> must be an integer, not \"99999999999\""),
                row("session-timeout with a unit", """
                        <session-config>
                          <session-timeout>30m</session-timeout>
                        </session-config>""", 3, "<session-timeout> must be an integer, not \"30m\""),
                row("max-file-size with a unit", """
                        <servlet>
                          <servlet-name>u</servlet-name>
                          <multipart-config>
                            <max-file-size>10MB</max-file-size>
                          </multipart-config>
                        </servlet>""", 5, "<max-file-size> must be an integer, not \"10MB\""),
                row("file-size-threshold", """
                        <servlet>
                          <servlet-name>u</servlet-name>
                          <multipart-config><file-size-threshold>1.5</file-size-threshold></multipart-config>
                        </servlet>""", 4, "<file-size-threshold> must be an integer, not \"1.5\""),
                row("four-digit error-code", """
                        <error-page>
                          <error-code>4044</error-code>
                          <location>/e.jsp</location>
                        </error-page>""", 3, "error-code \"4044\" is not a three-digit status code"),
                row("cookie max-age", """
                        <session-config><cookie-config>
                          <max-age>forever</max-age>
                        </cookie-config></session-config>""", 3, "<max-age> must be an integer, not \"forever\""),
                // booleans and enumerations
                row("async-supported maybe", """
                        <filter>
                          <filter-name>f</filter-name>
                          <async-supported>maybe</async-supported>
                        </filter>""", 4, "<async-supported> must be true or false, not \"maybe\""),
                row("enabled empty", """
                        <servlet>
                          <servlet-name>s</servlet-name>
                          <enabled/>
                        </servlet>""", 4, "<enabled> must be true or false, not \"\""),
                row("unknown dispatcher", """
                        <filter-mapping>
                          <filter-name>f</filter-name>
                          <url-pattern>/*</url-pattern>
                          <dispatcher>SOMETIMES</dispatcher>
                        </filter-mapping>""", 5,
                        "<dispatcher> must be one of FORWARD, INCLUDE, REQUEST, ASYNC, ERROR, not \"SOMETIMES\""),
                row("unknown tracking-mode", """
                        <session-config>
                          <tracking-mode>COOKIES</tracking-mode>
                        </session-config>""", 3, "<tracking-mode> must be one of COOKIE, URL, SSL, not \"COOKIES\""),
                row("unknown transport-guarantee", """
                        <security-constraint>
                          <web-resource-collection><url-pattern>/a</url-pattern></web-resource-collection>
                          <user-data-constraint>
                            <transport-guarantee>SECURE</transport-guarantee>
                          </user-data-constraint>
                        </security-constraint>""", 5,
                        "<transport-guarantee> must be one of NONE, INTEGRAL, CONFIDENTIAL, not \"SECURE\""),
                // url-patterns, wherever they are
                row("servlet-mapping url-pattern", """
                        <servlet-mapping>
                          <servlet-name>s</servlet-name>
                          <url-pattern>/foo/*.jsp</url-pattern>
                        </servlet-mapping>""", 4, invalidPattern("/foo/*.jsp")),
                row("filter-mapping url-pattern", """
                        <filter-mapping>
                          <filter-name>f</filter-name>
                          <url-pattern>foo</url-pattern>
                        </filter-mapping>""", 4, invalidPattern("foo")),
                row("web-resource-collection url-pattern", """
                        <security-constraint>
                          <web-resource-collection>
                            <url-pattern>*.</url-pattern>
                          </web-resource-collection>
                        </security-constraint>""", 4, invalidPattern("*.")),
                row("jsp-property-group url-pattern", """
                        <jsp-config>
                          <jsp-property-group>
                            <url-pattern>/a*b</url-pattern>
                          </jsp-property-group>
                        </jsp-config>""", 4, invalidPattern("/a*b")),
                // required elements
                row("servlet without servlet-name", """
                        <servlet>
                          <servlet-class>x.S</servlet-class>
                        </servlet>""", 2, "<servlet> has no <servlet-name>"),
                row("blank servlet-name", """
                        <servlet>
                          <servlet-name>  </servlet-name>
                        </servlet>""", 3, "<servlet-name> is empty"),
                row("servlet-class and jsp-file", """
                        <servlet>
                          <servlet-name>s</servlet-name>
                          <servlet-class>x.S</servlet-class>
                          <jsp-file>/s.jsp</jsp-file>
                        </servlet>""", 2, "servlet \"s\" has both a <servlet-class> and a <jsp-file>"),
                row("relative jsp-file", """
                        <servlet>
                          <servlet-name>s</servlet-name>
                          <jsp-file>s.jsp</jsp-file>
                        </servlet>""", 4, "jsp-file \"s.jsp\" must start with /"),
                row("two servlet-classes", """
                        <servlet>
                          <servlet-name>s</servlet-name>
                          <servlet-class>x.S</servlet-class>
                          <servlet-class>x.S</servlet-class>
                        </servlet>""", 5, "<servlet> has more than one <servlet-class>"),
                row("run-as without role", """
                        <servlet>
                          <servlet-name>s</servlet-name>
                          <run-as></run-as>
                        </servlet>""", 4, "<run-as> has no <role-name>"),
                row("servlet-mapping without url-pattern", """
                        <servlet-mapping>
                          <servlet-name>s</servlet-name>
                        </servlet-mapping>""", 2, "servlet-mapping for \"s\" has no <url-pattern>"),
                row("filter-mapping without target", """
                        <filter-mapping>
                          <filter-name>f</filter-name>
                          <dispatcher>REQUEST</dispatcher>
                        </filter-mapping>""", 2,
                        "filter-mapping for \"f\" has neither a <url-pattern> nor a <servlet-name>"),
                row("context-param without value", """
                        <context-param>
                          <param-name>c</param-name>
                        </context-param>""", 2, "<context-param> \"c\" has no <param-value>"),
                row("init-param without name", """
                        <filter>
                          <filter-name>f</filter-name>
                          <init-param><param-value>v</param-value></init-param>
                        </filter>""", 4, "<init-param> has no <param-name>"),
                row("listener without class", """
                        <listener>
                          <description>nothing</description>
                        </listener>""", 2, "<listener> has no <listener-class>"),
                row("error-page with code and type", """
                        <error-page>
                          <error-code>500</error-code>
                          <exception-type>java.lang.Exception</exception-type>
                          <location>/e.jsp</location>
                        </error-page>""", 2, "error-page has both an <error-code> and an <exception-type>"),
                row("error-page relative location", """
                        <error-page>
                          <error-code>500</error-code>
                          <location>e.jsp</location>
                        </error-page>""", 2, "error-page location \"e.jsp\" must start with /"),
                row("error-page without location", """
                        <error-page>
                          <error-code>500</error-code>
                        </error-page>""", 2, "<error-page> has no <location>"),
                row("mime-mapping without type", """
                        <mime-mapping>
                          <extension>x</extension>
                        </mime-mapping>""", 2, "<mime-mapping> has no <mime-type>"),
                row("security-role without name", """
                        <security-role/>""", 2, "<security-role> has no <role-name>"),
                row("security-constraint without collection", """
                        <security-constraint>
                          <auth-constraint/>
                        </security-constraint>""", 2, "<security-constraint> has no <web-resource-collection>"),
                row("collection without url-pattern", """
                        <security-constraint>
                          <web-resource-collection>
                            <web-resource-name>x</web-resource-name>
                          </web-resource-collection>
                        </security-constraint>""", 3, "<web-resource-collection> has no <url-pattern>"),
                row("methods and omissions", """
                        <security-constraint>
                          <web-resource-collection>
                            <url-pattern>/a</url-pattern>
                            <http-method>GET</http-method>
                            <http-method-omission>POST</http-method-omission>
                          </web-resource-collection>
                        </security-constraint>""", 3,
                        "<web-resource-collection> has both <http-method> and <http-method-omission>"),
                row("http-method with a space", """
                        <security-constraint>
                          <web-resource-collection>
                            <url-pattern>/a</url-pattern>
                            <http-method>GET POST</http-method>
                          </web-resource-collection>
                        </security-constraint>""", 5, "\"GET POST\" is not an HTTP method name"),
                row("user-data-constraint without guarantee", """
                        <security-constraint>
                          <web-resource-collection><url-pattern>/a</url-pattern></web-resource-collection>
                          <user-data-constraint/>
                        </security-constraint>""", 4, "<user-data-constraint> has no <transport-guarantee>"),
                row("form-login-config without error page", """
                        <login-config>
                          <auth-method>FORM</auth-method>
                          <form-login-config>
                            <form-login-page>/login</form-login-page>
                          </form-login-config>
                        </login-config>""", 4, "<form-login-config> has no <form-error-page>"),
                row("default-context-path ending in /", """
                        <default-context-path>/shop/</default-context-path>""", 2,
                        "default-context-path \"/shop/\" must be empty or start, and not end, with /"),
                // elements that may appear once
                row("two session-configs", """
                        <session-config/>
                        <session-config/>""", 3, "<session-config> may appear only once"),
                row("two login-configs", """
                        <login-config/>
                        <distributable/>
                        <login-config/>""", 4, "<login-config> may appear only once"),
                row("two jsp-configs", """
                        <jsp-config/>
                        <jsp-config/>""", 3, "<jsp-config> may appear only once"),
                row("two absolute-orderings", """
                        <absolute-ordering/>
                        <absolute-ordering/>""", 3, "<absolute-ordering> may appear only once"),
                // declarations of one name that contradict each other in one file
                row("servlet declared twice with different classes", """
                        <servlet>
                          <servlet-name>s</servlet-name>
                          <servlet-class>x.A</servlet-class>
                        </servlet>
                        <servlet>
                          <servlet-name>s</servlet-name>
                          <servlet-class>x.B</servlet-class>
                        </servlet>""", 6,
                        "servlet \"s\" class is \"x.B\" here but \"x.A\" at WEB-INF/web.xml:2"),
                row("servlet declared twice, class and jsp-file", """
                        <servlet><servlet-name>s</servlet-name><servlet-class>x.A</servlet-class></servlet>
                        <servlet><servlet-name>s</servlet-name><jsp-file>/a.jsp</jsp-file></servlet>""", 3,
                        "servlet \"s\" class is jsp-file \"/a.jsp\" here but \"x.A\" at WEB-INF/web.xml:2"),
                row("servlet declared twice with different load-on-startup", """
                        <servlet><servlet-name>s</servlet-name><load-on-startup>1</load-on-startup></servlet>
                        <servlet><servlet-name>s</servlet-name><load-on-startup/></servlet>""", 3,
                        "servlet \"s\" load-on-startup is empty here but 1 at WEB-INF/web.xml:2"),
                row("filter declared twice with different classes", """
                        <filter><filter-name>f</filter-name><filter-class>x.A</filter-class></filter>
                        <filter><filter-name>f</filter-name><filter-class>x.B</filter-class></filter>""", 3,
                        "filter \"f\" filter-class is \"x.B\" here but \"x.A\" at WEB-INF/web.xml:2"),
                row("servlet init-param declared twice", """
                        <servlet><servlet-name>s</servlet-name>
                          <init-param><param-name>p</param-name><param-value>1</param-value></init-param>
                          <init-param><param-name>p</param-name><param-value>2</param-value></init-param>
                        </servlet>""", 4,
                        "servlet \"s\" init-param \"p\" is \"2\" here but \"1\" at WEB-INF/web.xml:3"),
                row("context-param declared twice", """
                        <context-param><param-name>c</param-name><param-value>1</param-value></context-param>
                        <context-param><param-name>c</param-name><param-value>2</param-value></context-param>""",
                        3, "context-param \"c\" is \"2\" here but \"1\" at WEB-INF/web.xml:2"),
                row("error-page declared twice", """
                        <error-page><error-code>404</error-code><location>/a</location></error-page>
                        <error-page><error-code>404</error-code><location>/b</location></error-page>""", 3,
                        "error-page for \"404\" is \"/b\" here but \"/a\" at WEB-INF/web.xml:2"),
                row("mime-mapping declared twice", """
                        <mime-mapping><extension>js</extension><mime-type>text/javascript</mime-type></mime-mapping>
                        <mime-mapping><extension>js</extension><mime-type>application/x-js</mime-type></mime-mapping>""",
                        3, "mime-mapping for extension \"js\" is \"application/x-js\" here but \"text/javascript\" "
                                + "at WEB-INF/web.xml:2"),
                row("env-entry declared twice", """
                        <env-entry><env-entry-name>e</env-entry-name><env-entry-value>a</env-entry-value></env-entry>
                        <env-entry><env-entry-name>e</env-entry-name><env-entry-value>b</env-entry-value></env-entry>""",
                        3, "env-entry \"e\" is \"b\" here but \"a\" at WEB-INF/web.xml:2"),
                row("cookie attribute declared twice", """
                        <session-config><cookie-config>
                          <attribute><attribute-name>SameSite</attribute-name><attribute-value>Lax</attribute-value></attribute>
                          <attribute><attribute-name>SameSite</attribute-name><attribute-value>None</attribute-value></attribute>
                        </cookie-config></session-config>""", 4,
                        "cookie attribute \"SameSite\" is declared twice, as \"Lax\" and \"None\""));
    }

    private static String invalidPattern(String p) {
        return "invalid url-pattern \"" + p + "\": Servlet 6.1 §12.2 allows \"\", \"/\", \"/path/*\", \"*.ext\" "
                + "and exact paths starting with \"/\"";
    }

    private static Arguments row(String label, String body, int line, String message) {
        return Arguments.of(label, body, line, message);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bodies")
    void refusedWithFileAndLine(String label, String body, int line, String message) {
        DescriptorException e = DescriptorFixtures.fails(
                DescriptorFixtures.JAKARTAEE_ROOT + "\n" + body + "\n</web-app>\n", "WEB-INF/web.xml");
        assertEquals("WEB-INF/web.xml:" + line + ": " + message, e.getMessage());
        assertEquals(new DescriptorSource("WEB-INF/web.xml", line), e.source());
        assertEquals(message, e.detail());
    }

    static Stream<Arguments> documents() {
        return Stream.of(
                Arguments.of("wrong root", "<beans/>", "WEB-INF/web.xml",
                        "WEB-INF/web.xml:1: expected <web-app> or <web-fragment>, found <beans>"),
                Arguments.of("foreign namespace", "<web-app xmlns=\"urn:other\" version=\"6.1\"/>", "WEB-INF/web.xml",
                        "WEB-INF/web.xml:1: <web-app> is in namespace urn:other, which is not a Servlet deployment "
                                + "descriptor namespace"),
                Arguments.of("version not a number", "<web-app xmlns=\"https://jakarta.ee/xml/ns/jakartaee\" "
                        + "version=\"six\"/>", "WEB-INF/web.xml",
                        "WEB-INF/web.xml:1: version \"six\" is not a version number"),
                Arguments.of("metadata-complete not a boolean", "<web-app xmlns=\"https://jakarta.ee/xml/ns/jakartaee\""
                        + " version=\"6.1\"\n metadata-complete=\"maybe\"/>", "WEB-INF/web.xml",
                        "WEB-INF/web.xml:2: metadata-complete attribute must be true or false, not \"maybe\""),
                Arguments.of("before and after others", DescriptorFixtures.FRAGMENT_ROOT + """

                        <ordering>
                          <before><others/></before>
                          <after><others/></after>
                        </ordering>
                        </web-fragment>""", "WEB-INF/lib/a.jar!/META-INF/web-fragment.xml",
                        "WEB-INF/lib/a.jar!/META-INF/web-fragment.xml:2: <ordering> puts this fragment both before "
                                + "and after <others/>"),
                Arguments.of("two before elements", DescriptorFixtures.FRAGMENT_ROOT + """

                        <ordering>
                          <before><name>a</name></before>
                          <before><name>b</name></before>
                        </ordering>
                        </web-fragment>""", "f.xml", "f.xml:4: <ordering> has more than one <before>"),
                Arguments.of("two fragment names", DescriptorFixtures.FRAGMENT_ROOT + """

                        <name>a</name>
                        <name>b</name>
                        </web-fragment>""", "f.xml", "f.xml:3: <name> may appear only once"),
                Arguments.of("two orderings", DescriptorFixtures.FRAGMENT_ROOT + """

                        <ordering/>
                        <ordering/>
                        </web-fragment>""", "f.xml", "f.xml:3: <ordering> may appear only once"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("documents")
    void refusedDocuments(String label, String xml, String file, String message) {
        assertEquals(message, DescriptorFixtures.fails(xml, file).getMessage());
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("unclosed element", DescriptorFixtures.JAKARTAEE_ROOT + "\n<servlet>\n</web-app>", 3),
                Arguments.of("not XML", "hello", 1),
                Arguments.of("empty", "", 1),
                Arguments.of("two roots", "<web-app/>\n<web-app/>", 2),
                Arguments.of("undeclared prefix", DescriptorFixtures.JAKARTAEE_ROOT + "\n\n<x:servlet/></web-app>", 3),
                Arguments.of("bad character reference", DescriptorFixtures.JAKARTAEE_ROOT
                        + "\n<display-name>&#0;</display-name></web-app>", 2));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformedXmlNamesTheLine(String label, String xml, int line) {
        DescriptorException e = DescriptorFixtures.fails(xml, "WEB-INF/web.xml");
        assertTrue(e.getMessage().startsWith("WEB-INF/web.xml:" + line + ": malformed XML: "), e.getMessage());
        assertEquals(line, e.source().line());
    }
}
