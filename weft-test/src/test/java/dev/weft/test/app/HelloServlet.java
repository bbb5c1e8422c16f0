package dev.weft.test.app;

import jakarta.servlet.annotation.WebInitParam;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;

/** Greets, and counts its requests where a test can read them. */
@WebServlet(urlPatterns = "/hello", initParams = @WebInitParam(name = "greeting", value = "Hello"))
public class HelloServlet extends HttpServlet {
    public static final AtomicInteger REQUESTS = new AtomicInteger();

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        REQUESTS.incrementAndGet();
        resp.setContentType("text/plain;charset=UTF-8");
        resp.getWriter().print(getInitParameter("greeting") + " from " + req.getContextPath() + req.getServletPath()
                + " started=" + getServletContext().getAttribute(StartListener.ATTRIBUTE));
    }
}
