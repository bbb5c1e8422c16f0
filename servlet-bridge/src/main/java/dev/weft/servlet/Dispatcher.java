package dev.weft.servlet;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestWrapper;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.ServletResponseWrapper;
import jakarta.servlet.http.MappingMatch;
import java.io.IOException;

/**
 * Forward, include and error dispatch (Servlet 6.1 chapter 9). The container's own request and
 * response underneath any application wrappers are changed for the duration of the dispatch and
 * restored afterwards; the target sees the wrappers it was given.
 */
final class Dispatcher implements RequestDispatcher {
    private static final String[] FORWARD_ATTRIBUTES = {FORWARD_REQUEST_URI, FORWARD_CONTEXT_PATH, FORWARD_SERVLET_PATH,
        FORWARD_PATH_INFO, FORWARD_QUERY_STRING, FORWARD_MAPPING};
    private static final String[] INCLUDE_ATTRIBUTES = {INCLUDE_REQUEST_URI, INCLUDE_CONTEXT_PATH, INCLUDE_SERVLET_PATH,
        INCLUDE_PATH_INFO, INCLUDE_QUERY_STRING, INCLUDE_MAPPING};

    private final WebApp app;
    private final String path; // context-relative, without the query; null for a named dispatcher
    private final String query;
    private final ServletHolder named;

    Dispatcher(WebApp app, String pathAndQuery) {
        this.app = app;
        int q = pathAndQuery.indexOf('?');
        this.path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
        this.query = q < 0 ? null : pathAndQuery.substring(q + 1);
        this.named = null;
    }

    Dispatcher(WebApp app, ServletHolder named) {
        this.app = app;
        this.path = null;
        this.query = null;
        this.named = named;
    }

    static WeftRequest unwrap(ServletRequest req) {
        ServletRequest r = req;
        while (r instanceof ServletRequestWrapper w) {
            r = w.getRequest();
        }
        if (r instanceof WeftRequest wr) {
            return wr;
        }
        throw new IllegalArgumentException("the request is neither this container's nor a wrapper of it");
    }

    static WeftResponse unwrap(ServletResponse res) {
        ServletResponse r = res;
        while (r instanceof ServletResponseWrapper w) {
            r = w.getResponse();
        }
        if (r instanceof WeftResponse wr) {
            return wr;
        }
        throw new IllegalArgumentException("the response is neither this container's nor a wrapper of it");
    }

    /** The path to map: decoded and normalised; dispatcher paths come from the application as URIs. */
    private String mappedPath() {
        try {
            return UriCanonicalizer.canonicalize(path);
        } catch (RuntimeException e) {
            String n = Resources.normalize(path);
            return n != null ? n : path;
        }
    }

    @Override
    public void forward(ServletRequest request, ServletResponse response) throws ServletException, IOException {
        WeftRequest r = unwrap(request);
        WeftResponse s = unwrap(response);
        if (s.isCommitted()) {
            throw new IllegalStateException("forward() after the response was committed");
        }
        s.resetBuffer();
        boolean firstForward = named == null && r.getAttribute(FORWARD_REQUEST_URI) == null;
        if (firstForward) {
            // The values of the request the client sent, however many forwards follow (§9.4.2).
            r.setInternalAttribute(FORWARD_REQUEST_URI, r.getRequestURI());
            r.setInternalAttribute(FORWARD_CONTEXT_PATH, r.getContextPath());
            r.setInternalAttribute(FORWARD_SERVLET_PATH, r.getServletPath());
            r.setInternalAttribute(FORWARD_PATH_INFO, r.getPathInfo());
            r.setInternalAttribute(FORWARD_QUERY_STRING, r.getQueryString());
            r.setInternalAttribute(FORWARD_MAPPING, r.getHttpServletMapping());
        }
        if (query != null) {
            r.parseParametersBeforeMerge();
        }
        WeftRequest.State saved = r.save();
        try {
            r.dispatcherType = DispatcherType.FORWARD;
            r.app = app;
            r.contextPath = app.getContextPath();
            if (named != null) {
                Mapping m = namedMapping(r);
                run(DispatcherType.FORWARD, null, m, request, response);
            } else {
                String p = mappedPath();
                Mapping m = app.map(p);
                r.requestUri = app.getContextPath() + path;
                if (query != null) {
                    r.queryString = query;
                    r.mergeQuery(query);
                }
                r.setMapping(m);
                run(DispatcherType.FORWARD, p, m, request, response);
            }
        } finally {
            r.restore(saved);
            if (firstForward) {
                for (String a : FORWARD_ATTRIBUTES) {
                    r.setInternalAttribute(a, null);
                }
            }
        }
        // §9.4: before forward returns, the response is committed and closed, unless the
        // request went asynchronous, when it stays open for what follows.
        if (!r.isAsyncStarted()) {
            s.closeOutput();
        }
    }

    @Override
    public void include(ServletRequest request, ServletResponse response) throws ServletException, IOException {
        WeftRequest r = unwrap(request);
        WeftResponse s = unwrap(response);
        Object[] previous = new Object[INCLUDE_ATTRIBUTES.length];
        for (int i = 0; i < previous.length; i++) {
            previous[i] = r.getAttribute(INCLUDE_ATTRIBUTES[i]);
        }
        if (query != null) {
            r.parseParametersBeforeMerge();
        }
        WeftRequest.State saved = r.save();
        s.includeDepth++;
        try {
            r.dispatcherType = DispatcherType.INCLUDE;
            if (named != null) {
                r.app = app;
                run(DispatcherType.INCLUDE, null, namedMapping(r), request, response);
            } else {
                String p = mappedPath();
                Mapping m = app.map(p);
                r.setInternalAttribute(INCLUDE_REQUEST_URI, app.getContextPath() + path);
                r.setInternalAttribute(INCLUDE_CONTEXT_PATH, app.getContextPath());
                r.setInternalAttribute(INCLUDE_SERVLET_PATH, m.servletPath());
                r.setInternalAttribute(INCLUDE_PATH_INFO, m.pathInfo());
                r.setInternalAttribute(INCLUDE_QUERY_STRING, query);
                r.setInternalAttribute(INCLUDE_MAPPING, m);
                r.app = app;
                if (query != null) {
                    r.mergeQuery(query);
                }
                run(DispatcherType.INCLUDE, p, m, request, response);
            }
        } finally {
            s.includeDepth--;
            r.restore(saved);
            for (int i = 0; i < previous.length; i++) {
                r.setInternalAttribute(INCLUDE_ATTRIBUTES[i], previous[i]);
            }
        }
    }

    /**
     * An error dispatch to this dispatcher's location (§10.9): the request is seen as a GET of the
     * error page, with the error attributes set.
     */
    void error(ServletRequest request, ServletResponse response) throws ServletException, IOException {
        WeftRequest r = unwrap(request);
        if (query != null) {
            r.parseParametersBeforeMerge();
        }
        WeftRequest.State saved = r.save();
        try {
            r.dispatcherType = DispatcherType.ERROR;
            r.app = app;
            r.contextPath = app.getContextPath();
            r.methodOverride = "GET";
            String p = mappedPath();
            Mapping m = app.map(p);
            r.requestUri = app.getContextPath() + path;
            if (query != null) {
                r.queryString = query;
                r.mergeQuery(query);
            }
            r.setMapping(m);
            run(DispatcherType.ERROR, p, m, request, response);
        } finally {
            r.methodOverride = null;
            r.restore(saved);
        }
    }

    /**
     * An asynchronous dispatch (§2.3.3.3), on the connection's thread once the previous dispatch
     * has returned. The {@code jakarta.servlet.async.*} attributes keep the original request's
     * values; the request takes the target's paths for good.
     */
    static void async(WeftRequest r, WeftResponse s, AsyncState async) throws ServletException, IOException {
        WebApp app = async.dispatchApp();
        String pathAndQuery = async.dispatchPath();
        int q = pathAndQuery.indexOf('?');
        String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
        String query = q < 0 ? null : pathAndQuery.substring(q + 1);
        if (r.getAttribute(jakarta.servlet.AsyncContext.ASYNC_REQUEST_URI) == null) {
            r.setInternalAttribute(jakarta.servlet.AsyncContext.ASYNC_REQUEST_URI, r.getRequestURI());
            r.setInternalAttribute(jakarta.servlet.AsyncContext.ASYNC_CONTEXT_PATH, r.getContextPath());
            r.setInternalAttribute(jakarta.servlet.AsyncContext.ASYNC_SERVLET_PATH, r.getServletPath());
            r.setInternalAttribute(jakarta.servlet.AsyncContext.ASYNC_PATH_INFO, r.getPathInfo());
            r.setInternalAttribute(jakarta.servlet.AsyncContext.ASYNC_QUERY_STRING, r.getQueryString());
            r.setInternalAttribute(jakarta.servlet.AsyncContext.ASYNC_MAPPING, r.getHttpServletMapping());
        }
        boolean merge = query != null && !async.keepQuery();
        if (merge) {
            r.parseParametersBeforeMerge();
        }
        Dispatcher d = new Dispatcher(app, pathAndQuery);
        String mapped = d.mappedPath();
        Mapping m = app.map(mapped);
        r.dispatcherType = DispatcherType.ASYNC;
        r.app = app;
        r.contextPath = app.getContextPath();
        r.requestUri = app.getContextPath() + path;
        if (merge) {
            r.queryString = query;
            r.mergeQuery(query);
        }
        r.setMapping(m);
        d.run(DispatcherType.ASYNC, mapped, m, async.currentRequest(), async.currentResponse());
    }

    private Mapping namedMapping(WeftRequest r) {
        // A named dispatch keeps the request's paths; only the servlet changes (§9.3).
        return new Mapping(named, r.servletPath, r.pathInfo,
                r.mapping != null ? r.mapping.mappingMatch() : MappingMatch.EXACT,
                r.mapping != null ? r.mapping.matchValue() : "", r.mapping != null ? r.mapping.pattern() : "");
    }

    private void run(DispatcherType type, String p, Mapping m, ServletRequest request, ServletResponse response)
            throws ServletException, IOException {
        if (m == null) {
            throw new ServletException("no servlet is mapped to " + path);
        }
        new Chain(app.filtersFor(type, p, m), m.holder(), unwrap(request)).doFilter(request, response);
    }
}
