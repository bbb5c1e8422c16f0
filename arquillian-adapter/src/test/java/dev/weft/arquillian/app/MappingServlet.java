package dev.weft.arquillian.app;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletMapping;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** Reports how the request was mapped to it. */
public class MappingServlet extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        HttpServletMapping m = req.getHttpServletMapping();
        resp.setContentType("text/plain;charset=UTF-8");
        resp.getWriter().print(getServletName() + " servletPath=" + req.getServletPath() + " pathInfo=" + req.getPathInfo()
                + " match=" + m.getMappingMatch() + " value=" + m.getMatchValue() + " pattern=" + m.getPattern());
    }
}
