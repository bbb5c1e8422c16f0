package dev.weft.examples.war.fragment;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** Declared in this jar's {@code web-fragment.xml}, not by the application: {@code GET /fragment}. */
public class FragmentServlet extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setContentType("text/plain");
        resp.setCharacterEncoding("UTF-8");
        resp.getWriter().print("fragment servlet, greeting=" + getInitParameter("greeting")
                + ", filtered=" + req.getAttribute(FragmentFilter.SEEN));
    }
}
