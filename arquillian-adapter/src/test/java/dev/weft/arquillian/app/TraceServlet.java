package dev.weft.arquillian.app;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** Prints the filters the request went through, and how it was dispatched here. */
public class TraceServlet extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setContentType("text/plain;charset=UTF-8");
        resp.getWriter().print(getServletName() + " " + req.getDispatcherType() + " trace=" + req.getAttribute("trace"));
    }
}
