package dev.weft.test;

import dev.weft.servlet.WebApp;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.MultipartConfigElement;
import jakarta.servlet.Servlet;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.ServletSecurityElement;
import jakarta.servlet.annotation.MultipartConfig;
import jakarta.servlet.annotation.ServletSecurity;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.annotation.WebInitParam;
import jakarta.servlet.annotation.WebServlet;
import java.util.EnumSet;
import java.util.EventListener;
import java.util.Set;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/**
 * A WebApp of the classes a {@link WeftTest} names, configured by their annotations as the WAR
 * deployer would configure them, but loaded by the test's class loader and without a scan.
 */
final class EmbeddedApp {
    private EmbeddedApp() {}

    static WebApp build(WeftTest config, String contextPath, Class<?> testClass) {
        WebApp app = new WebApp(contextPath);
        app.setClassLoader(testClass.getClassLoader());
        for (Class<? extends EventListener> l : config.listeners()) {
            app.addListener(l);
        }
        for (Class<? extends Filter> f : config.filters()) {
            addFilter(app, f);
        }
        for (Class<? extends Servlet> s : config.servlets()) {
            addServlet(app, s, testClass);
        }
        return app;
    }

    private static void addServlet(WebApp app, Class<? extends Servlet> type, Class<?> testClass) {
        WebServlet ws = type.getAnnotation(WebServlet.class);
        String[] patterns = ws == null ? new String[0] : ws.urlPatterns().length > 0 ? ws.urlPatterns() : ws.value();
        if (patterns.length == 0) {
            throw new ExtensionConfigurationException("@WeftTest on " + testClass.getName() + ": servlet " + type.getName()
                    + " needs @WebServlet with its url-patterns");
        }
        String name = ws.name().isEmpty() ? type.getName() : ws.name();
        ServletRegistration.Dynamic r = app.addServlet(name, type);
        if (r == null) {
            throw new ExtensionConfigurationException("@WeftTest on " + testClass.getName() + ": two servlets named " + name);
        }
        Set<String> conflicts = r.addMapping(patterns);
        if (!conflicts.isEmpty()) {
            throw new ExtensionConfigurationException("@WeftTest on " + testClass.getName() + ": " + conflicts
                    + " mapped to two servlets");
        }
        r.setLoadOnStartup(ws.loadOnStartup());
        r.setAsyncSupported(ws.asyncSupported());
        for (WebInitParam p : ws.initParams()) {
            r.setInitParameter(p.name(), p.value());
        }
        MultipartConfig mc = type.getAnnotation(MultipartConfig.class);
        if (mc != null) {
            r.setMultipartConfig(new MultipartConfigElement(mc));
        }
        ServletSecurity sec = type.getAnnotation(ServletSecurity.class);
        if (sec != null) {
            r.setServletSecurity(new ServletSecurityElement(sec));
        }
    }

    private static void addFilter(WebApp app, Class<? extends Filter> type) {
        WebFilter wf = type.getAnnotation(WebFilter.class);
        String name = wf == null || wf.filterName().isEmpty() ? type.getName() : wf.filterName();
        FilterRegistration.Dynamic r = app.addFilter(name, type);
        if (wf == null) {
            r.addMappingForUrlPatterns(null, false, "/*");
            return;
        }
        r.setAsyncSupported(wf.asyncSupported());
        for (WebInitParam p : wf.initParams()) {
            r.setInitParameter(p.name(), p.value());
        }
        EnumSet<DispatcherType> types = EnumSet.noneOf(DispatcherType.class);
        types.addAll(java.util.List.of(wf.dispatcherTypes()));
        String[] patterns = wf.urlPatterns().length > 0 ? wf.urlPatterns() : wf.value();
        if (patterns.length > 0) {
            r.addMappingForUrlPatterns(types, true, patterns);
        }
        if (wf.servletNames().length > 0) {
            r.addMappingForServletNames(types, true, wf.servletNames());
        }
    }
}
