package dev.weft.examples.war.fragment;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;

/** {@code GET /greetings?name=Ada}: one line per greeting the initializer found. */
final class GreetingsServlet extends HttpServlet {
    private final List<Greeting> greetings;

    GreetingsServlet(List<Greeting> greetings) {
        this.greetings = List.copyOf(greetings);
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String name = req.getParameter("name");
        resp.setContentType("text/plain");
        resp.setCharacterEncoding("UTF-8");
        PrintWriter out = resp.getWriter();
        for (Greeting g : greetings) {
            out.println(g.language() + ": " + g.greet(name == null ? "stranger" : name));
        }
    }
}
