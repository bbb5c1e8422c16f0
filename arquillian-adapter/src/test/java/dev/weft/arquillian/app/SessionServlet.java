package dev.weft.arquillian.app;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;

/** /count counts the requests of a session, /invalidate ends it, /peek tells whether there is one. */
public class SessionServlet extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setContentType("text/plain;charset=UTF-8");
        switch (req.getServletPath()) {
            case "/count" -> {
                HttpSession s = req.getSession();
                Integer n = (Integer) s.getAttribute("count");
                n = n == null ? 1 : n + 1;
                s.setAttribute("count", n);
                resp.getWriter().print("count=" + n + " new=" + s.isNew());
            }
            case "/invalidate" -> {
                HttpSession s = req.getSession(false);
                if (s != null) {
                    s.invalidate();
                }
                resp.getWriter().print("invalidated=" + (s != null) + " " + SessionCounter.report());
            }
            default -> resp.getWriter().print("session=" + (req.getSession(false) != null));
        }
    }
}
