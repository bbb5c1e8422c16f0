package dev.weft.arquillian.app;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;

/** Counts its own requests in a static field: one count per application, since each has its own class loader. */
@WebServlet("/loader")
public class LoaderServlet extends HttpServlet {
    private static final AtomicInteger REQUESTS = new AtomicInteger();

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setContentType("text/plain;charset=UTF-8");
        resp.getWriter().print("requests=" + REQUESTS.incrementAndGet() + " loader=" + getClass().getClassLoader().getName());
    }
}
