package dev.weft.deploy.jspfixtures;

import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContext;
import java.util.Set;

/**
 * The application's own initializer: notes whether Jasper's initializer had already run (its TLD
 * cache is there) and whether the InstanceManager Jasper needs is set.
 */
public class OrderProbe implements ServletContainerInitializer {
    @Override
    public void onStartup(Set<Class<?>> classes, ServletContext ctx) {
        ctx.setAttribute("jasperRanFirst", ctx.getAttribute("org.apache.jasper.compiler.TldCache") != null);
        ctx.setAttribute("instanceManager", ctx.getAttribute("org.apache.tomcat.InstanceManager") != null);
    }
}
