package dev.weft.arquillian.app;

import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** Includes /hello of the application at ?context=, reached through ServletContext.getContext. */
public class CrossContextServlet extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException, ServletException {
        ServletContext other = getServletContext().getContext(req.getParameter("context"));
        resp.setContentType("text/plain;charset=UTF-8");
        if (other == null || other == getServletContext()) {
            resp.getWriter().print("no other context");
            return;
        }
        resp.getWriter().print("[" + other.getContextPath() + "] ");
        other.getRequestDispatcher("/hello").include(req, resp);
    }
}
