package dev.weft.arquillian.app;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** The error page: prints the error attributes of the dispatch. */
public class ErrorServlet extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Object ex = req.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
        resp.setContentType("text/plain;charset=UTF-8");
        resp.getWriter().print("error " + req.getDispatcherType()
                + " status=" + req.getAttribute(RequestDispatcher.ERROR_STATUS_CODE)
                + " uri=" + req.getAttribute(RequestDispatcher.ERROR_REQUEST_URI)
                + " message=" + req.getAttribute(RequestDispatcher.ERROR_MESSAGE)
                + " exception=" + (ex == null ? null : ex.getClass().getSimpleName()));
    }
}
