package dev.weft.examples.war;

import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.ServletRequestEvent;
import jakarta.servlet.ServletRequestListener;
import jakarta.servlet.annotation.WebListener;
import java.util.concurrent.atomic.AtomicLong;

/** Marks the application as started and counts its requests, in context attributes. */
@WebListener
public class StartupListener implements ServletContextListener, ServletRequestListener {
    public static final String STARTED_BY = "examples.startedBy";
    public static final String REQUESTS = "examples.requests";

    @Override
    public void contextInitialized(ServletContextEvent sce) {
        sce.getServletContext().setAttribute(STARTED_BY, getClass().getSimpleName());
        sce.getServletContext().setAttribute(REQUESTS, new AtomicLong());
    }

    @Override
    public void requestInitialized(ServletRequestEvent sre) {
        if (sre.getServletContext().getAttribute(REQUESTS) instanceof AtomicLong n) {
            n.incrementAndGet();
        }
    }
}
