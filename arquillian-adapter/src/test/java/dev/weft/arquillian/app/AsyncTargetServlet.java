package dev.weft.arquillian.app;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** Where an async dispatch lands. */
@WebServlet(urlPatterns = "/async-target", asyncSupported = true)
public class AsyncTargetServlet extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setContentType("text/plain;charset=UTF-8");
        resp.getWriter().print("dispatched " + req.getDispatcherType()
                + " from=" + req.getAttribute(AsyncContext.ASYNC_REQUEST_URI));
    }
}
