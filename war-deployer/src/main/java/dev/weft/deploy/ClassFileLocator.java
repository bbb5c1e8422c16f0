package dev.weft.deploy;

import java.io.IOException;
import java.io.InputStream;

/**
 * Finds the bytes of a class outside the scanned roots (the Servlet API, the JDK, container libraries),
 * so {@code @HandlesTypes} can follow an application class through supertypes it does not ship, such as
 * {@code HttpServlet} to {@code Servlet}. Only bytes are read; nothing is loaded.
 */
@FunctionalInterface
public interface ClassFileLocator {

    /**
     * @param className a binary name, {@code com.example.Outer$Inner}
     * @return the class file, or null when this locator does not know the class
     */
    byte[] find(String className) throws IOException;

    /** Knows no class: supertypes outside the scanned roots are matched by name only. */
    static ClassFileLocator none() {
        return className -> null;
    }

    /**
     * Reads {@code .class} resources through a loader. {@code getResourceAsStream} never defines a
     * class, so this is safe even with the application's own loader.
     */
    static ClassFileLocator of(ClassLoader loader) {
        ClassLoader effective = loader != null ? loader : ClassLoader.getPlatformClassLoader();
        return className -> {
            try (InputStream in = effective.getResourceAsStream(className.replace('.', '/') + ".class")) {
                return in == null ? null : in.readAllBytes();
            }
        };
    }
}
