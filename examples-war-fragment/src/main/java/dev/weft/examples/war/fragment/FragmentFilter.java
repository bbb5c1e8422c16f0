package dev.weft.examples.war.fragment;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** Declared in this jar's {@code web-fragment.xml}: marks what passes through it, for all to see. */
public class FragmentFilter extends HttpFilter {
    static final String SEEN = "examples.fragmentFilter";

    @Override
    protected void doFilter(HttpServletRequest req, HttpServletResponse resp, FilterChain chain)
            throws IOException, ServletException {
        req.setAttribute(SEEN, "yes");
        resp.setHeader("X-Fragment-Filter", "yes");
        chain.doFilter(req, resp);
    }
}
