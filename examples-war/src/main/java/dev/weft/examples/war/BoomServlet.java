package dev.weft.examples.war;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/** {@code GET /boom}: fails, so the exception's error page answers. */
@WebServlet("/boom")
public class BoomServlet extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) {
        throw new ExampleException("boom, on purpose");
    }
}
