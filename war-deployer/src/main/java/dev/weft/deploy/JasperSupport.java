package dev.weft.deploy;

import dev.weft.servlet.WebApp;
import jakarta.servlet.ServletContainerInitializer;
import org.apache.jasper.servlet.JasperInitializer;
import org.apache.tomcat.InstanceManager;
import org.apache.tomcat.JarScanner;
import org.apache.tomcat.SimpleInstanceManager;
import org.apache.tomcat.util.scan.StandardJarScanner;

/**
 * The one class that names Apache Jasper's types: loaded only once {@link Jsp#available()} has
 * found Jasper, so that the deployer runs without it.
 */
final class JasperSupport {
    private JasperSupport() {}

    /**
     * Held so that the level set on it stays: java.util.logging keeps its loggers only weakly.
     * Tomcat's digester warns, once per JVM, that three XML schemas are missing: Tomcat's own
     * servlet API jar carries them, the Jakarta one does not, and they only matter when TLD
     * validation is on, which it is not by default. Left alone unless logging is configured for it.
     */
    private static final java.util.logging.Logger DIGESTER_LOG =
            java.util.logging.Logger.getLogger("org.apache.tomcat.util.descriptor.DigesterFactory");

    static {
        if (DIGESTER_LOG.getLevel() == null) {
            DIGESTER_LOG.setLevel(java.util.logging.Level.SEVERE);
        }
    }

    static ServletContainerInitializer initializer() {
        return new JasperInitializer();
    }

    /**
     * The context attributes Jasper looks for, where Tomcat's server would have set them: an
     * {@link InstanceManager} to create tag handlers and listeners (Jasper's initializer would
     * make the same default, but Jasper's servlet also works without the initializer with this one),
     * and the {@link JarScanner} its TLD scan uses.
     */
    static void prepare(WebApp app) {
        if (app.getAttribute(InstanceManager.class.getName()) == null) {
            app.setAttribute(InstanceManager.class.getName(), new SimpleInstanceManager());
        }
        if (app.getAttribute(JarScanner.class.getName()) == null) {
            StandardJarScanner scanner = new StandardJarScanner();
            // TLDs come from the application (WEB-INF/lib's jars; WEB-INF's own *.tld files are
            // Jasper's resource scan). Tomcat's default would also walk the container's whole class
            // path and every JDK module on each deployment, and find tag libraries whose classes
            // the application's class loader cannot load anyway.
            scanner.setScanClassPath(false);
            app.setAttribute(JarScanner.class.getName(), scanner);
        }
    }
}
