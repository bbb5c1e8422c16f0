package dev.weft.examples.war;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;

/**
 * The error page for {@link ExampleException}: reports what failed from the error attributes the
 * container sets, never the exception's message, which may carry anything.
 */
@WebServlet("/errors/exception")
public class ErrorServlet extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Object type = req.getAttribute(RequestDispatcher.ERROR_EXCEPTION_TYPE);
        resp.setContentType("text/plain");
        resp.setCharacterEncoding("UTF-8");
        PrintWriter out = resp.getWriter();
        out.println("Something went wrong.");
        out.println("status=" + req.getAttribute(RequestDispatcher.ERROR_STATUS_CODE));
        out.println("type=" + (type instanceof Class<?> c ? c.getName() : type));
        out.println("uri=" + req.getAttribute(RequestDispatcher.ERROR_REQUEST_URI));
        out.println("servlet=" + req.getAttribute(RequestDispatcher.ERROR_SERVLET_NAME));
    }
}
