package dev.weft.examples.war;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** Stamps every response of the application, static files and error pages aside (REQUEST dispatches only). */
@WebFilter(filterName = "stamp", urlPatterns = "/*")
public class StampFilter extends HttpFilter {
    @Override
    protected void doFilter(HttpServletRequest req, HttpServletResponse resp, FilterChain chain)
            throws IOException, ServletException {
        resp.setHeader("X-Stamp", "examples-war");
        chain.doFilter(req, resp);
    }
}
