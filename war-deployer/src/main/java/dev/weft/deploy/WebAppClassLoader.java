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
 *   <li>the APIs the container provides ({@code jakarta.servlet}, and JSP and EL when Jasper is
 *       there) and the JDK: always from the container, never from {@code WEB-INF/lib}, even when an
 *       application bundles a copy, or its classes would not be the container's;
 *   <li>the container's own classes and libraries ({@code dev.weft}, slf4j, ASM, Jasper's
 *       internals): never visible to the application, so an application can bundle its own
 *       logging backend or XML parser without {@code LinkageError}s;
 *   <li>everything else: the application's, else the JDK's (the platform class loader).
 * </ul>
 * Resources follow the same rules; {@code getResources} merges the application's with the JDK's.
 */
public final class WebAppClassLoader extends URLClassLoader {
    static {
        registerAsParallelCapable();
    }

    /** Packages the container provides to applications, loaded parent first (JSP is under jakarta.servlet). */
    private static final List<String> PROVIDED = List.of("jakarta.servlet.");

    /** Packages of the container itself, hidden from applications. */
    private static final List<String> HIDDEN = List.of(
            "dev.weft.", "org.slf4j.", "org.objectweb.asm.", "org.apache.jasper.", "org.apache.tomcat.",
            "org.apache.juli.", "org.apache.el.", "org.eclipse.jdt.");

    private final ClassLoader container;
    private final ClassLoader platform = ClassLoader.getPlatformClassLoader();
    private final String name;
    private final boolean providesEl; // EL comes with Jasper; without it an application may bring its own
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
        this.providesEl = container.getResource("jakarta/el/ELContext.class") != null;
    }

    boolean isProvided(String className) {
        for (String p : PROVIDED) {
            if (className.startsWith(p)) {
                return true;
            }
        }
        return providesEl && className.startsWith("jakarta.el.");
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
        if (!isHidden(asClass)) {
            all.addAll(Collections.list(platform.getResources(resource)));
        }
        return Collections.enumeration(all);
    }

    @Override
    public String toString() {
        return "WebAppClassLoader[" + name + "]";
    }
}
