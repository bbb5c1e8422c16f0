package dev.weft.arquillian.app;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** The target of a dispatch: prints what it sees of it. */
public class TargetServlet extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (resp.getContentType() == null) {
            resp.setContentType("text/plain;charset=UTF-8");
        }
        resp.getWriter().print("target " + req.getDispatcherType()
                + " uri=" + req.getRequestURI()
                + " servletPath=" + req.getServletPath()
                + " forwardUri=" + req.getAttribute(RequestDispatcher.FORWARD_REQUEST_URI)
                + " includeServletPath=" + req.getAttribute(RequestDispatcher.INCLUDE_SERVLET_PATH));
    }
}
