package dev.weft.test.app;

import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;

/** Leaves a mark on the context when it starts. */
public class StartListener implements ServletContextListener {
    public static final String ATTRIBUTE = "started-by";

    @Override
    public void contextInitialized(ServletContextEvent sce) {
        sce.getServletContext().setAttribute(ATTRIBUTE, "listener");
    }
}
