package dev.weft.arquillian.app;

import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;

/** Marks the context as initialised by a listener declared in web.xml. */
public class AppListener implements ServletContextListener {
    public static final String ATTRIBUTE = "app.listener";

    @Override
    public void contextInitialized(ServletContextEvent sce) {
        sce.getServletContext().setAttribute(ATTRIBUTE, "started " + sce.getServletContext().getContextPath());
    }
}
