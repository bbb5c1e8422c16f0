package dev.weft.arquillian.app;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** Declared in a web-fragment.xml, mapped to the fragment's servlet by name. */
public class FragmentFilter extends HttpFilter {
    @Override
    protected void doFilter(HttpServletRequest req, HttpServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        req.setAttribute("fragment.filter", "yes");
        chain.doFilter(req, res);
    }
}
