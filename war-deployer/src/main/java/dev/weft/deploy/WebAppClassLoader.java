package dev.weft.deploy;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A web application's class loader (Servlet 6.1 §10.7.2): {@code WEB-INF/classes} and
 * {@code WEB-INF/lib/*.jar}, child first.
 *
 * <p>Three kinds of names:
 * <ul>
 *   <li>the APIs the container provides ({@code jakarta.servlet}, {@code jakarta.annotation}, and
 *       JSP and EL when Jasper is there) and the JDK: always from the container, never from {@code WEB-INF/lib}, even when an
 *       application bundles a copy, or its classes would not be the container's. JSTL's API
 *       ({@code jakarta.servlet.jsp.jstl}) is the exception: applications bring it, as on Tomcat;
 *   <li>the container's own classes and libraries ({@code dev.weft}, slf4j, ASM, Jasper's
 *       internals): never visible to the application, so an application can bundle its own
 *       logging backend or XML parser without {@code LinkageError}s;
 *   <li>everything else: the application's, else the JDK's (the platform class loader).
 * </ul>
 * When Jasper is there, the part of it that the classes Jasper generates from JSP pages link
 * against is provided too (see {@link #JASPER_RUNTIME}): those classes are loaded by Jasper's
 * {@code JasperLoader}, whose parent is this loader, and Jasper's compiler reads the class files
 * they use through it. The rest of Jasper (its compiler, Tomcat's utilities) stays hidden, as
 * Jetty keeps its server classes from applications. So does Tomcat's EL implementation, except
 * the class the container's {@code META-INF/services/jakarta.el.ExpressionFactory} names:
 * {@code ExpressionFactory.newInstance()} looks it up through the thread's context class loader,
 * which is this one while the application runs.
 *
 * <p>Resources follow the same rules; {@code getResources} merges the application's with the JDK's.
 */
public final class WebAppClassLoader extends URLClassLoader {
    static {
        registerAsParallelCapable();
    }

    /** Packages the container provides to applications, loaded parent first; JSP's, under it, when the container has it. */
    private static final String SERVLET_API = "jakarta.servlet.";
    private static final String JSP_API = "jakarta.servlet.jsp.";
    /** JSTL's API: the application's, since the container has no JSTL implementation to go with it. */
    private static final String JSTL_API = "jakarta.servlet.jsp.jstl.";
    private static final String EL_API = "jakarta.el.";
    /**
     * Common Annotations: the container runs {@code @PostConstruct} and {@code @PreDestroy}, which it
     * can only see on the application's classes if both use one copy of the annotation types.
     */
    private static final String ANNOTATION_API = "jakarta.annotation.";
    private static final String EL_FACTORY_SERVICE = "META-INF/services/jakarta.el.ExpressionFactory";

    /**
     * What code generated from JSP pages and tag files uses, provided when Jasper is there: its
     * runtime and EL glue, the JSTL tag plugins' helpers, the TagPlugin API, the exception its
     * runtime declares, the InstanceManager field type, and the JspServlet itself, which web.xml
     * files name in their own {@code jsp} servlet. An entry ending with a dot is a package prefix,
     * any other one class (with its nested classes).
     */
    static final List<String> JASPER_RUNTIME = List.of(
            "org.apache.jasper.runtime.", "org.apache.jasper.el.", "org.apache.jasper.tagplugins.",
            "org.apache.jasper.compiler.tagplugin.", "org.apache.jasper.JasperException",
            "org.apache.jasper.servlet.JspServlet", "org.apache.tomcat.InstanceManager");

    /** Packages of the container itself, hidden from applications. */
    private static final List<String> HIDDEN = List.of(
            "dev.weft.", "org.slf4j.", "org.objectweb.asm.", "org.apache.jasper.", "org.apache.tomcat.",
            "org.apache.juli.", "org.apache.el.", "org.eclipse.jdt.");

    private final ClassLoader container;
    private final ClassLoader platform = ClassLoader.getPlatformClassLoader();
    private final String name;
    private final boolean providesAnnotations;
    private final boolean providesEl; // EL comes with Jasper; without it an application may bring its own
    private final boolean providesJsp;
    private final boolean providesJasper;
    private final List<String> elImplementations; // the container's, named by its service files
    // Per-name locks instead of the monitors ClassLoader uses: defining a class reads jar files,
    // and blocking inside synchronized pins a virtual thread on Java 21.
    private final java.util.concurrent.ConcurrentHashMap<String, java.util.concurrent.locks.ReentrantLock> locks =
            new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * @param webAppRoot an exploded WAR: its {@code WEB-INF/classes} and {@code WEB-INF/lib/*.jar}
     *     form the class path
     * @param container the loader of the container, where the provided APIs come from
     */
    public static WebAppClassLoader forWebApp(Path webAppRoot, ClassLoader container, String name) throws IOException {
        List<URL> urls = new ArrayList<>();
        Path classes = webAppRoot.resolve("WEB-INF/classes");
        if (Files.isDirectory(classes)) {
            urls.add(classes.toUri().toURL());
        }
        Path lib = webAppRoot.resolve("WEB-INF/lib");
        if (Files.isDirectory(lib)) {
            try (Stream<Path> jars = Files.list(lib)) {
                for (Path jar : jars.filter(p -> p.getFileName().toString().toLowerCase().endsWith(".jar")).sorted().toList()) {
                    urls.add(jar.toUri().toURL());
                }
            }
        }
        return new WebAppClassLoader(urls.toArray(new URL[0]), container, name);
    }

    public WebAppClassLoader(URL[] urls, ClassLoader container, String name) {
        // No parent: delegation is decided here, name by name.
        super(name, urls, null);
        this.container = container;
        this.name = name;
        this.providesAnnotations = container.getResource("jakarta/annotation/PostConstruct.class") != null;
        this.providesEl = container.getResource("jakarta/el/ELContext.class") != null;
        this.providesJsp = container.getResource("jakarta/servlet/jsp/JspFactory.class") != null;
        this.providesJasper = container.getResource("org/apache/jasper/servlet/JspServlet.class") != null;
        this.elImplementations = providesEl ? serviceProviders(container, EL_FACTORY_SERVICE) : List.of();
    }

    /** The class names a service file lists, in the container's copies of it. */
    private static List<String> serviceProviders(ClassLoader loader, String serviceFile) {
        List<String> names = new ArrayList<>();
        try {
            for (URL u : Collections.list(loader.getResources(serviceFile))) {
                try (var in = u.openStream()) {
                    for (String line : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).split("\\R")) {
                        int hash = line.indexOf('#');
                        String name = (hash >= 0 ? line.substring(0, hash) : line).strip();
                        if (!name.isEmpty()) {
                            names.add(name);
                        }
                    }
                }
            }
        } catch (IOException e) {
            // No implementation named: ExpressionFactory.newInstance() fails with its own message.
        }
        return List.copyOf(names);
    }

    /** Whether a class, or a resource turned into dotted form, comes from the container. */
    boolean isProvided(String className) {
        if (className.startsWith(SERVLET_API)) {
            if (className.startsWith(JSP_API)) {
                return providesJsp && !className.startsWith(JSTL_API);
            }
            return true;
        }
        if (className.startsWith(EL_API)) {
            return providesEl;
        }
        if (className.startsWith(ANNOTATION_API)) {
            return providesAnnotations;
        }
        if (providesJasper && matchesAny(className, JASPER_RUNTIME)) {
            return true;
        }
        return matchesAny(className, elImplementations);
    }

    /** {@code name} is a class or a dotted resource name; a rule is a package prefix (ending with a dot) or a class. */
    private static boolean matchesAny(String name, List<String> rules) {
        for (String rule : rules) {
            if (rule.endsWith(".")) {
                if (name.startsWith(rule)) {
                    return true;
                }
            } else if (name.startsWith(rule) && (name.length() == rule.length()
                    || name.charAt(rule.length()) == '$' || name.equals(rule + ".class"))) {
                return true;
            }
        }
        return false;
    }

    static boolean isHidden(String className) {
        for (String p : HIDDEN) {
            if (className.startsWith(p)) {
                return true;
            }
        }
        return false;
    }

    @Override
    protected Class<?> loadClass(String className, boolean resolve) throws ClassNotFoundException {
        Class<?> c = findLoadedClass(className);
        if (c == null) {
            java.util.concurrent.locks.ReentrantLock lock =
                    locks.computeIfAbsent(className, k -> new java.util.concurrent.locks.ReentrantLock());
            lock.lock();
            try {
                c = findLoadedClass(className);
                if (c == null) {
                    c = load(className);
                }
            } finally {
                lock.unlock();
            }
        }
        if (resolve) {
            resolveClass(c);
        }
        return c;
    }

    private Class<?> load(String className) throws ClassNotFoundException {
        if (isProvided(className)) {
            return container.loadClass(className);
        }
        if (className.startsWith("java.")) {
            return platform.loadClass(className);
        }
        if (!isHidden(className)) {
            try {
                return platform.loadClass(className); // JDK classes cannot be overridden
            } catch (ClassNotFoundException notJdk) {
                // the application's, if it has it
            }
        }
        return findClass(className);
    }

    @Override
    public URL getResource(String resource) {
        String asClass = resource.replace('/', '.');
        if (isProvided(asClass)) {
            URL u = container.getResource(resource);
            if (u != null) {
                return u;
            }
        }
        URL u = findResource(resource);
        if (u != null) {
            return u;
        }
        if (isContainerService(resource)) {
            return container.getResource(resource);
        }
        return isHidden(asClass) ? null : platform.getResource(resource);
    }

    @Override
    public Enumeration<URL> getResources(String resource) throws IOException {
        Set<URL> all = new LinkedHashSet<>();
        String asClass = resource.replace('/', '.');
        if (isProvided(asClass)) {
            all.addAll(Collections.list(container.getResources(resource)));
        }
        all.addAll(Collections.list(findResources(resource)));
        if (isContainerService(resource)) {
            all.addAll(Collections.list(container.getResources(resource)));
        }
        if (!isHidden(asClass)) {
            all.addAll(Collections.list(platform.getResources(resource)));
        }
        return Collections.enumeration(all);
    }

    /**
     * The EL implementation's service file: after the application's own, so that an application
     * bundling another EL implementation keeps it, as on Tomcat.
     */
    private boolean isContainerService(String resource) {
        return !elImplementations.isEmpty() && resource.equals(EL_FACTORY_SERVICE);
    }

    @Override
    public String toString() {
        return "WebAppClassLoader[" + name + "]";
    }
}
