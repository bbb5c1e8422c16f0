package dev.weft.servlet;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Locale;

/**
 * The servlet registered as {@code default} and mapped to {@code /}: serves the application's
 * static resources, with welcome files for directories. {@code WEB-INF} and {@code META-INF} are
 * never served, and no path leaves the resource base.
 */
public class DefaultServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws ServletException, IOException {
        WebApp app = (WebApp) getServletContext();
        String path = req.getDispatcherType() == jakarta.servlet.DispatcherType.INCLUDE
                ? (String) req.getAttribute(jakarta.servlet.RequestDispatcher.INCLUDE_SERVLET_PATH)
                : req.getServletPath() + (req.getPathInfo() == null ? "" : req.getPathInfo());
        if (path == null || path.isEmpty()) {
            path = "/";
        }
        if (isProtected(path)) {
            resp.sendError(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        Resources.Resource r = app.resources().get(path);
        if (r != null && r.directory()) {
            if (!path.endsWith("/")) {
                String q = req.getQueryString();
                resp.sendRedirect(req.getRequestURI() + "/" + (q == null ? "" : "?" + q));
                return;
            }
            r = null;
            for (String welcome : app.welcomeFiles()) {
                Resources.Resource candidate = app.resources().get(path + welcome);
                if (candidate != null && !candidate.directory()) {
                    r = candidate;
                    break;
                }
            }
        }
        if (r == null || r.directory()) {
            resp.sendError(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        String type = app.getMimeType(r.path());
        if (type != null) {
            resp.setContentType(type);
        }
        if (r.length() >= 0) {
            resp.setContentLengthLong(r.length());
        }
        try (InputStream in = r.open()) {
            OutputStream out = resp.getOutputStream();
            in.transferTo(out);
        }
    }

    static boolean isProtected(String path) {
        String p = path.toUpperCase(Locale.ROOT);
        return p.startsWith("/WEB-INF/") || p.equals("/WEB-INF") || p.startsWith("/META-INF/") || p.equals("/META-INF");
    }
}
