package dev.weft.deploy.jspfixtures;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/** Fails, so that web.xml's exception error page (a JSP) answers. */
public class ThrowingServlet extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) {
        throw new IllegalStateException("boom from servlet");
    }
}
