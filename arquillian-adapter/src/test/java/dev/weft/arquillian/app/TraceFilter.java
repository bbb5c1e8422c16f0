package dev.weft.arquillian.app;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** Appends its filter name to the request's trace, then passes the request on. */
public class TraceFilter extends HttpFilter {
    @Override
    protected void doFilter(HttpServletRequest req, HttpServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        Object trace = req.getAttribute("trace");
        req.setAttribute("trace", trace == null ? getFilterName() : trace + "," + getFilterName());
        res.addHeader("X-Filter", getFilterName());
        chain.doFilter(req, res);
    }
}
