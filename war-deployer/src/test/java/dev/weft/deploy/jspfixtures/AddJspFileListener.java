package dev.weft.deploy.jspfixtures;

import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;

/** Registers a JSP page as a servlet in code, with {@code ServletContext.addJspFile}. */
public class AddJspFileListener implements ServletContextListener {
    @Override
    public void contextInitialized(ServletContextEvent sce) {
        var r = sce.getServletContext().addJspFile("programmatic", "/WEB-INF/pages/programmatic.jsp");
        r.addMapping("/programmatic");
        r.setInitParameter("origin", "addJspFile");
    }
}
