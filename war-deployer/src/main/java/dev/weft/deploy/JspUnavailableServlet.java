package dev.weft.deploy;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.FileNotFoundException;
import java.io.IOException;

/**
 * Stands in for Jasper's servlet when JSP support is not installed. Without it the default servlet
 * would serve {@code *.jsp} files as they are, and a page's source (its scriptlets, queries,
 * credentials) would go to whoever asks. A page that exists gets a 500 saying why; one that does
 * not, the 404 it would get anyway; a JSP error page, the error it was to report.
 */
final class JspUnavailableServlet extends HttpServlet {
    static final String MESSAGE = "JSP support is not installed on this server";

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws ServletException, IOException {
        if (req.getDispatcherType() == DispatcherType.ERROR
                && req.getAttribute(RequestDispatcher.ERROR_STATUS_CODE) instanceof Integer status) {
            resp.sendError(status); // a JSP error page: the client gets the error being reported, not one about the page
            return;
        }
        boolean include = req.getDispatcherType() == DispatcherType.INCLUDE;
        String page = path(req, include);
        if (getServletContext().getResource(page) == null) {
            if (include) {
                throw new FileNotFoundException("no JSP page at " + page);
            }
            resp.sendError(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        if (include) {
            // An include cannot set the status; failing makes the including page fail visibly.
            throw new ServletException(MESSAGE + ": cannot include " + page);
        }
        resp.sendError(HttpServletResponse.SC_INTERNAL_SERVER_ERROR, MESSAGE);
    }

    private static String path(HttpServletRequest req, boolean include) {
        String servletPath;
        String pathInfo;
        if (include && req.getAttribute(RequestDispatcher.INCLUDE_SERVLET_PATH) != null) {
            servletPath = (String) req.getAttribute(RequestDispatcher.INCLUDE_SERVLET_PATH);
            pathInfo = (String) req.getAttribute(RequestDispatcher.INCLUDE_PATH_INFO);
        } else {
            servletPath = req.getServletPath();
            pathInfo = req.getPathInfo();
        }
        String p = servletPath == null ? "" : servletPath;
        p = pathInfo == null ? p : p + pathInfo;
        return p.isEmpty() ? "/" : p;
    }
}
