package dev.weft.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import jakarta.el.ExpressionFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an application's class loader shows of JSP when Jasper is on the container's class path
 * (it is on the test class path): the APIs and the part of Jasper that generated pages link
 * against come from the container; Jasper's compiler, Tomcat's utilities and EL internals stay
 * hidden; JSTL's API is the application's.
 */
class WebAppClassLoaderJspTest {
    @TempDir
    Path root;
    final ClassLoader container = WebAppClassLoaderJspTest.class.getClassLoader();
    WebAppClassLoader loader;

    @BeforeEach
    void open() throws Exception {
        Path lib = Files.createDirectories(root.resolve("WEB-INF/lib"));
        Files.copy(JspHarness.jarOf("jakarta/servlet/jsp/jstl/core/Config.class"), lib.resolve("jstl-api.jar"));
        loader = WebAppClassLoader.forWebApp(root, container, "jsp-test");
    }

    @AfterEach
    void close() throws Exception {
        loader.close();
    }

    private void fromContainer(String name) throws ClassNotFoundException {
        assertSame(Class.forName(name, false, container), loader.loadClass(name), name);
    }

    private void hidden(String name) {
        assertThrows(ClassNotFoundException.class, () -> loader.loadClass(name), name);
        assertNull(loader.getResource(name.replace('.', '/') + ".class"), name);
    }

    @Test
    void apisComeFromTheContainer() throws Exception {
        fromContainer("jakarta.servlet.jsp.JspFactory");
        fromContainer("jakarta.servlet.jsp.tagext.SimpleTagSupport");
        fromContainer("jakarta.el.ELContext");
        fromContainer("jakarta.servlet.http.HttpServlet");
    }

    @Test
    void whatGeneratedPagesLinkAgainstComesFromTheContainer() throws Exception {
        fromContainer("org.apache.jasper.runtime.HttpJspBase");
        fromContainer("org.apache.jasper.runtime.JspRuntimeLibrary");
        fromContainer("org.apache.jasper.runtime.JspContextWrapper");
        fromContainer("org.apache.jasper.el.JspValueExpression");
        fromContainer("org.apache.jasper.tagplugins.jstl.Util");
        fromContainer("org.apache.jasper.JasperException");
        fromContainer("org.apache.tomcat.InstanceManager");
        fromContainer("org.apache.jasper.servlet.JspServlet");
        // Jasper's compiler reads the class files of what it compiles against through this loader.
        assertNotNull(loader.getResource("org/apache/jasper/runtime/HttpJspBase.class"));
        assertNotNull(loader.getResource("org/apache/tomcat/InstanceManager.class"));
    }

    @Test
    void jasperInternalsStayHidden() {
        hidden("org.apache.jasper.compiler.Compiler");
        hidden("org.apache.jasper.servlet.JspServletWrapper"); // not JspServlet, despite the common prefix
        hidden("org.apache.jasper.servlet.JasperInitializer");
        hidden("org.apache.jasper.JspCompilationContext");
        hidden("org.apache.tomcat.SimpleInstanceManager");
        hidden("org.apache.tomcat.util.scan.StandardJarScanner");
        hidden("org.apache.juli.logging.LogFactory");
        hidden("org.apache.el.parser.ELParser");
        hidden("org.eclipse.jdt.internal.compiler.Compiler");
        hidden("dev.weft.deploy.Jsp");
    }

    @Test
    void theElImplementationIsFoundThroughTheApplicationsLoader() throws Exception {
        fromContainer("org.apache.el.ExpressionFactoryImpl");
        Thread t = Thread.currentThread();
        ClassLoader previous = t.getContextClassLoader();
        t.setContextClassLoader(loader);
        try {
            // What Jasper does when an application's page first evaluates EL.
            assertEquals("org.apache.el.ExpressionFactoryImpl", ExpressionFactory.newInstance().getClass().getName());
        } finally {
            t.setContextClassLoader(previous);
        }
        assertEquals(1, Collections.list(loader.getResources("META-INF/services/jakarta.el.ExpressionFactory")).size());
    }

    @Test
    void jstlsApiIsTheApplications() throws Exception {
        Class<?> config = loader.loadClass("jakarta.servlet.jsp.jstl.core.Config");
        assertSame(loader, config.getClassLoader());
        // ... linked against the container's JSP API.
        assertSame(Class.forName("jakarta.servlet.jsp.PageContext", false, container),
                config.getMethod("find", loader.loadClass("jakarta.servlet.jsp.PageContext"), String.class)
                        .getParameterTypes()[0]);
    }
}
