package dev.weft.arquillian.app;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** Reports what the application was configured with: a context parameter and what its listener and initializers left. */
public class InfoServlet extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        var ctx = getServletContext();
        resp.setContentType("text/plain;charset=UTF-8");
        resp.getWriter().print("greeting=" + ctx.getInitParameter("greeting")
                + " listener=" + ctx.getAttribute(AppListener.ATTRIBUTE)
                + " loader=" + getClass().getClassLoader().getClass().getSimpleName());
    }
}
