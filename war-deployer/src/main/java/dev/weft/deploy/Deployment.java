package dev.weft.deploy;

import dev.weft.servlet.WebApp;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A deployed application: the WebApp, where it came from, the folder it runs from and its class
 * loader, released when it is undeployed.
 *
 * @param deployMillis how long deploying took, from unpacking to started
 */
public record Deployment(WebApp app, Path source, Path root, WebAppClassLoader classLoader, long deployMillis) {

    /** Closes the class loader (its jar files) once the application has stopped. */
    void release() {
        try {
            classLoader.close();
        } catch (IOException ignored) {
            // Nothing else holds its files.
        }
        // Caches of the JDK that would otherwise keep the application's classes reachable.
        java.beans.Introspector.flushCaches();
        flushBeanCachesOfVirtualThreads();
        java.util.ResourceBundle.clearCache(classLoader);
    }

    /**
     * The bean information cache is one per thread group, and {@link java.beans.Introspector#flushCaches()}
     * flushes the calling thread's. Requests run on virtual threads, which all share a group of their
     * own, so what the application introspected while serving is cached there.
     */
    private static void flushBeanCachesOfVirtualThreads() {
        Thread flusher = Thread.ofVirtual().name("weft-flush-bean-caches").start(java.beans.Introspector::flushCaches);
        try {
            flusher.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
