package dev.weft.arquillian.app;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** Declared only in the web-fragment.xml of a jar in WEB-INF/lib. */
public class FragmentServlet extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setContentType("text/plain;charset=UTF-8");
        resp.getWriter().print("fragment " + getInitParameter("origin") + " filtered=" + req.getAttribute("fragment.filter"));
    }
}
