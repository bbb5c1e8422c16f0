package dev.weft.examples.war;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Declared in {@code WEB-INF/web.xml} (no annotation), mapped to {@code /motto/*}: the motto comes from
 * its init-param, the application's name from a context-param.
 */
public class MottoServlet extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setContentType("text/plain");
        resp.setCharacterEncoding("UTF-8");
        resp.getWriter().print(getServletContext().getInitParameter("application") + ": " + getInitParameter("motto")
                + " (path info " + req.getPathInfo() + ")");
    }
}
