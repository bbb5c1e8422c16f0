package dev.weft.servlet;

import jakarta.servlet.FilterChain;
import jakarta.servlet.Servlet;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.UnavailableException;
import java.io.IOException;
import java.util.List;

/**
 * The filters for one dispatch, then the servlet (§6.2.3). While each runs, the request reports
 * asynchronous processing as supported only if it and everything before it in the chain support it.
 */
final class Chain implements FilterChain {
    private final List<FilterHolder> filters;
    private final ServletHolder servlet;
    private final WeftRequest req;
    private int next;

    Chain(List<FilterHolder> filters, ServletHolder servlet, WeftRequest req) {
        this.filters = filters;
        this.servlet = servlet;
        this.req = req;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response) throws IOException, ServletException {
        boolean asyncBefore = req.asyncSupported;
        try {
            if (next < filters.size()) {
                FilterHolder f = filters.get(next++);
                req.asyncSupported = asyncBefore && f.asyncSupported();
                f.filter().doFilter(request, response, this);
                return;
            }
            Servlet s = servlet.servlet();
            req.asyncSupported = asyncBefore && servlet.asyncSupported();
            try {
                s.service(request, response);
            } catch (UnavailableException e) {
                servlet.unavailable(e);
                throw e;
            }
        } finally {
            req.asyncSupported = asyncBefore;
        }
    }
}
