package dev.weft.examples.war;

import jakarta.servlet.annotation.WebInitParam;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** Declared by its annotation alone: {@code GET /hello?name=Ada}. */
@WebServlet(name = "hello", urlPatterns = "/hello", initParams = @WebInitParam(name = "salutation", value = "Hello"))
public class HelloServlet extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String name = req.getParameter("name");
        resp.setContentType("text/plain");
        resp.setCharacterEncoding("UTF-8");
        resp.getWriter().print(getInitParameter("salutation") + ", " + (name == null ? "stranger" : name) + "!");
    }
}
