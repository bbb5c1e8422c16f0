package dev.weft.arquillian.app;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Dispatches as its path says: /forward and /include to ?to=, /named to the servlet named by
 * ?to=, /throw throws, /teapot sends an error status.
 */
public class DispatchServlet extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException, ServletException {
        String to = req.getParameter("to");
        switch (req.getServletPath()) {
            case "/forward" -> req.getRequestDispatcher(to).forward(req, resp);
            case "/named" -> getServletContext().getNamedDispatcher(to).forward(req, resp);
            case "/include" -> {
                resp.setContentType("text/plain;charset=UTF-8");
                resp.getWriter().print("before[");
                req.getRequestDispatcher(to).include(req, resp);
                resp.getWriter().print("]after");
            }
            case "/throw" -> throw new IllegalStateException("thrown on purpose");
            case "/teapot" -> resp.sendError(418, "short and stout");
            default -> resp.sendError(404);
        }
    }
}
