package dev.weft.deploy;

import dev.weft.servlet.JspConfiguration;
import dev.weft.servlet.WebApp;
import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRegistration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JSP through Apache Jasper when it is on the container's class path, as Jetty does (Servlet 6.1
 * §8, JSP 4.0): the {@code jsp} servlet on {@code *.jsp} and {@code *.jspx}, {@code <jsp-file>}
 * servlets, the {@code <jsp-config>}, and Jasper's initializer with what it needs from the
 * container. Without Jasper, a WAR with JSP pages still deploys, with one warning, and its pages
 * are answered with a 500 rather than compiled or shown as source; one that declares
 * {@code <jsp-file>} servlets is refused, since those servlets cannot exist.
 *
 * <p>Only {@link JasperSupport} names Jasper's classes, and it is reached only when Jasper is
 * there, so this class loads without it.
 */
final class Jsp {
    private Jsp() {}

    private static final Logger log = LoggerFactory.getLogger(Jsp.class);
    static final String JSP_SERVLET = WebApp.JSP_SERVLET_CLASS;
    static final String JSP_SERVLET_NAME = "jsp";
    /** What the {@code jsp} servlet is mapped to, unless the application maps them elsewhere. */
    static final List<String> JSP_PATTERNS = List.of("*.jsp", "*.jspx");

    /**
     * The {@code jsp} servlet's settings where Jasper's defaults do not suit: no X-Powered-By
     * header, compilation in this JVM, and pages compiled as Java 21, the release Weft needs
     * (Jasper's default is 17). Jasper's defaults hold for the rest: development mode, where a page
     * changed on disk is recompiled, checked at most every {@code modificationTestInterval} (4) seconds.
     */
    static final Map<String, String> DEFAULT_INIT_PARAMETERS = Map.of(
            "xpoweredBy", "false",
            "fork", "false",
            "compilerSourceVM", "21",
            "compilerTargetVM", "21");

    private static final boolean AVAILABLE = probe();

    private static boolean probe() {
        try {
            Class.forName(JSP_SERVLET, false, Jsp.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    static boolean available() {
        return AVAILABLE;
    }

    /**
     * Jasper's {@code JasperInitializer}, which scans for TLDs and sets up Jasper's factory; null
     * without Jasper. The apache-jsp jar lists no service for it (Jetty registers its own
     * subclass), so the deployer adds it, first of the initializers: applications' initializers
     * may already use JSP.
     */
    static ServletContainerInitializer initializer() {
        return AVAILABLE ? JasperSupport.initializer() : null;
    }

    /**
     * A servlet declared with {@code <jsp-file>}: Jasper's servlet, told which page it is. Without
     * Jasper the servlet cannot exist, as with any servlet whose class is missing, and the
     * deployment is refused with the reason, as {@link WebApp#addJspFile} refuses it in code.
     */
    static ServletRegistration.Dynamic addJspFile(WebApp app, String name, String jspFile) throws ServletException {
        if (!AVAILABLE) {
            throw new ServletException("servlet " + name + " is the JSP page " + jspFile
                    + ", but JSP support is not installed: put Apache Jasper (org.mortbay.jasper:apache-jsp) on the class path");
        }
        return app.addJspFile(name, jspFile);
    }

    /**
     * A servlet of web.xml: as declared, except that an application's own declaration of Jasper's
     * servlet (the Tomcat way of tuning it) gets the stand-in when Jasper is not installed, so that
     * the application still deploys.
     */
    static ServletRegistration.Dynamic addServlet(WebApp app, String name, String className) {
        if (!AVAILABLE && JSP_SERVLET.equals(className)) {
            return app.addServlet(name, new JspUnavailableServlet());
        }
        return app.addServlet(name, className);
    }

    /**
     * Registers the {@code jsp} servlet, unless the application declares one by that name; before
     * web.xml's servlet mappings are applied, so that they may name it (as {@code *.jspf} often is).
     */
    static void register(WebApp app) {
        if (app.getServletRegistration(JSP_SERVLET_NAME) != null) {
            return;
        }
        if (AVAILABLE) {
            ServletRegistration.Dynamic jsp = app.addServlet(JSP_SERVLET_NAME, JSP_SERVLET);
            jsp.setLoadOnStartup(3); // its settings come in configure, as an application's own jsp servlet's do
        } else {
            app.addServlet(JSP_SERVLET_NAME, new JspUnavailableServlet());
        }
    }

    /**
     * After web.xml and annotations: maps {@code *.jsp}, {@code *.jspx} and the url-patterns of the
     * JSP property groups to the {@code jsp} servlet where no other servlet has them, hands the
     * {@code <jsp-config>} to the application, and gives Jasper what it needs; or, without Jasper,
     * warns once.
     */
    static void configure(WebApp app, WebDescriptor d) {
        WebDescriptor.JspConfig config = d.jspConfig();
        if (config != null) {
            app.setJspConfigDescriptor(convert(config));
        }
        ServletRegistration jsp = app.getServletRegistration(JSP_SERVLET_NAME);
        if (jsp != null) {
            for (String pattern : JSP_PATTERNS) {
                jsp.addMapping(pattern); // a conflict means the application mapped it: its choice stands
            }
            // What a property group names is a JSP page whatever its extension (JSP 4.0 §3.3), so
            // Tomcat and Jetty map the groups' patterns to the JSP servlet too.
            if (config != null) {
                for (WebDescriptor.JspPropertyGroup g : config.propertyGroups()) {
                    for (String pattern : g.urlPatterns()) {
                        jsp.addMapping(pattern);
                    }
                }
            }
        }
        if (AVAILABLE) {
            JasperSupport.prepare(app);
            if (jsp instanceof ServletRegistration.Dynamic dyn && JSP_SERVLET.equals(jsp.getClassName())) {
                // An application's own declaration keeps its settings and gets Weft's for the rest.
                DEFAULT_INIT_PARAMETERS.forEach(dyn::setInitParameter);
                inheritSettings(app, jsp);
            }
            return;
        }
        String real = app.getRealPath("/");
        boolean groups = config != null && !config.propertyGroups().isEmpty();
        if (groups || (real != null && hasPages(Path.of(real)))) {
            log.warn("{} has JSP pages, but JSP support is not installed: they are answered with 500 \"{}\", "
                    + "neither compiled nor shown. Put Apache Jasper (org.mortbay.jasper:apache-jsp) on the "
                    + "container's class path to run them.",
                    app.getContextPath().isEmpty() ? "/" : app.getContextPath(), JspUnavailableServlet.MESSAGE);
        }
    }

    /**
     * {@code <jsp-file>} servlets run Jasper's servlet too, and take the {@code jsp} servlet's
     * settings for what they do not set themselves, as on Tomcat and Jetty.
     */
    private static void inheritSettings(WebApp app, ServletRegistration jsp) {
        for (ServletRegistration r : app.getServletRegistrations().values()) {
            if (r != jsp && JSP_SERVLET.equals(r.getClassName()) && r.getInitParameter("jspFile") != null
                    && r instanceof ServletRegistration.Dynamic dyn) {
                for (Map.Entry<String, String> p : jsp.getInitParameters().entrySet()) {
                    dyn.setInitParameter(p.getKey(), p.getValue()); // no effect where the servlet set its own
                }
            }
        }
    }

    static JspConfiguration convert(WebDescriptor.JspConfig c) {
        List<JspConfiguration.Taglib> taglibs = c.taglibs().stream()
                .map(t -> new JspConfiguration.Taglib(t.uri(), t.location()))
                .toList();
        List<JspConfiguration.PropertyGroup> groups = c.propertyGroups().stream()
                .map(g -> new JspConfiguration.PropertyGroup(g.urlPatterns(), g.elIgnored(), g.errorOnElNotFound(),
                        g.pageEncoding(), g.scriptingInvalid(), g.isXml(), g.includePreludes(), g.includeCodas(),
                        g.deferredSyntaxAllowedAsLiteral(), g.trimDirectiveWhitespaces(), g.defaultContentType(),
                        g.buffer(), g.errorOnUndeclaredNamespace()))
                .toList();
        return new JspConfiguration(taglibs, groups);
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
