package dev.weft.servlet;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.Servlet;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.UnavailableException;
import java.io.IOException;
import java.util.List;

/** The filters for one dispatch, then the servlet (§6.2.3). */
final class Chain implements FilterChain {
    private final List<FilterHolder> filters;
    private final ServletHolder servlet;
    private int next;

    Chain(List<FilterHolder> filters, ServletHolder servlet) {
        this.filters = filters;
        this.servlet = servlet;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response) throws IOException, ServletException {
        if (next < filters.size()) {
            Filter f = filters.get(next++).filter();
            f.doFilter(request, response, this);
            return;
        }
        Servlet s = servlet.servlet();
        try {
            s.service(request, response);
        } catch (UnavailableException e) {
            servlet.unavailable(e);
            throw e;
        }
    }
}
