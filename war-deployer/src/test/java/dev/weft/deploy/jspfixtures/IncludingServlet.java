package dev.weft.deploy.jspfixtures;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** Includes the page its {@code page} parameter names, between two markers. */
public class IncludingServlet extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws ServletException, IOException {
        resp.setContentType("text/plain");
        resp.getWriter().write("before|");
        req.getRequestDispatcher(req.getParameter("page")).include(req, resp);
        resp.getWriter().write("|after");
    }
}
