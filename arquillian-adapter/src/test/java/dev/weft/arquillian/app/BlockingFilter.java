package dev.weft.arquillian.app;

import jakarta.servlet.FilterChain;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** Answers by itself, without calling the rest of the chain. */
public class BlockingFilter extends HttpFilter {
    @Override
    protected void doFilter(HttpServletRequest req, HttpServletResponse res, FilterChain chain) throws IOException {
        res.setStatus(403);
        res.setContentType("text/plain;charset=UTF-8");
        res.getWriter().print("blocked by " + getFilterName());
    }
}
