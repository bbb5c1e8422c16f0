package dev.weft.test;

import jakarta.servlet.ServletContext;
import java.net.URI;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * What {@link WeftTest} registers: starts a {@link RunningServer} for the annotated class and
 * keeps it in that class's store, which closes it (stopping the server) when the class is done.
 */
public final class WeftExtension implements BeforeAllCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(WeftExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        server(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == URI.class || type == CloseableHttpClient.class || type == ServletContext.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        // Also reached before beforeAll: a constructor parameter under @TestInstance(PER_CLASS).
        RunningServer server = server(context);
        Class<?> type = parameter.getParameter().getType();
        if (type == URI.class) {
            return server.baseUri();
        }
        if (type == CloseableHttpClient.class) {
            return server.client();
        }
        return server.servletContext();
    }

    /** The server of the class that carries the annotation, started on first need. */
    private static RunningServer server(ExtensionContext context) {
        Class<?> owner = owner(context.getRequiredTestClass());
        ExtensionContext.Store store = context.getStore(NAMESPACE);
        RunningServer server = store.get(owner, RunningServer.class);
        if (server == null) {
            WeftTest config = AnnotationSupport.findAnnotation(owner, WeftTest.class).orElseThrow();
            try {
                server = RunningServer.start(config, owner);
            } catch (Exception e) {
                throw new ExtensionConfigurationException("Weft did not start for " + owner.getName() + ": " + e.getMessage(), e);
            }
            store.put(owner, server);
        }
        return server;
    }

    /** The class itself if annotated (or a superclass is), else the nearest enclosing class that is. */
    private static Class<?> owner(Class<?> testClass) {
        for (Class<?> c = testClass; c != null; c = c.getEnclosingClass()) {
            if (AnnotationSupport.isAnnotated(c, WeftTest.class)) {
                return c;
            }
        }
        throw new IllegalStateException(testClass.getName() + " uses WeftExtension without @WeftTest");
    }
}
