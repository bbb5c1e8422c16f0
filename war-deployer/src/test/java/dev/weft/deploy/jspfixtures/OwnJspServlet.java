package dev.weft.deploy.jspfixtures;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** An application's own servlet on {@code *.jsp}: the container's JSP servlet must leave it the pattern. */
public class OwnJspServlet extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setContentType("text/plain");
        resp.getWriter().write("own:" + req.getServletPath());
    }
}
