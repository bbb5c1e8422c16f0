package dev.weft.deploy;

import dev.weft.servlet.WebApp;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRegistration;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JSP through Apache Jasper when it is on the container's class path, as Jetty does: the
 * {@code jsp} servlet on {@code *.jsp} and {@code *.jspx}, and {@code <jsp-file>} servlets.
 * Without Jasper, a WAR that needs JSP gets a clear message at deploy time.
 */
final class Jsp {
    private Jsp() {}

    private static final Logger log = LoggerFactory.getLogger(Jsp.class);
    static final String JSP_SERVLET = "org.apache.jasper.servlet.JspServlet";
    static final String JSP_SERVLET_NAME = "jsp";

    static boolean available() {
        try {
            Class.forName(JSP_SERVLET, false, Jsp.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** A servlet declared with {@code <jsp-file>}: Jasper's servlet, told which page it is. */
    static ServletRegistration.Dynamic addJspFile(WebApp app, String name, String jspFile) throws ServletException {
        if (!available()) {
            throw new ServletException("servlet " + name + " is the JSP page " + jspFile
                    + ", but JSP support is not installed: put Apache Jasper (org.mortbay.jasper:apache-jsp) on the class path");
        }
        ServletRegistration.Dynamic r = app.addServlet(name, JSP_SERVLET);
        if (r != null) {
            r.setInitParameter("jspFile", jspFile);
        }
        return r;
    }

    /** Registers the {@code jsp} servlet when Jasper is there; says so once when a WAR has pages but Jasper is not. */
    static void configure(WebApp app, WebDescriptor d) {
        if (!available()) {
            String real = app.getRealPath("/");
            if (real != null && hasPages(Path.of(real))) {
                log.warn("{} has JSP pages, but JSP support is not installed: they will be served as text. "
                        + "Put Apache Jasper (org.mortbay.jasper:apache-jsp) on the class path to run them.",
                        app.getContextPath().isEmpty() ? "/" : app.getContextPath());
            }
            return;
        }
        if (app.getServletRegistration(JSP_SERVLET_NAME) == null) {
            ServletRegistration.Dynamic jsp = app.addServlet(JSP_SERVLET_NAME, JSP_SERVLET);
            jsp.setLoadOnStartup(3);
            jsp.setInitParameter("fork", "false");
            jsp.setInitParameter("xpoweredBy", "false");
            jsp.addMapping("*.jsp", "*.jspx");
        }
    }

    private static boolean hasPages(Path root) {
        try (var files = Files.walk(root, 8)) {
            return files.anyMatch(p -> {
                String n = p.getFileName().toString();
                return n.endsWith(".jsp") || n.endsWith(".jspx");
            });
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            return false;
        }
    }
}
