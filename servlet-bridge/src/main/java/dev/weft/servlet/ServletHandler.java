package dev.weft.servlet;

import dev.weft.http.AbortHandlerException;
import dev.weft.http.Handler;
import dev.weft.http.Request;
import dev.weft.http.ResponseWriter;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequestEvent;
import jakarta.servlet.ServletRequestListener;
import jakarta.servlet.UnavailableException;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Serves web applications behind a core {@link dev.weft.http.Server}: a core {@link Handler} that
 * picks the application by context path and runs its filters and servlet on the connection's own
 * virtual thread.
 *
 * <pre>
 * ServletHandler handler = new ServletHandler();
 * handler.deploy(shop);      // starts it
 * handler.deploy(admin);
 * Server.builder().handler(handler).build().start();
 * </pre>
 */
public final class ServletHandler implements Handler {
    private final ReentrantLock deployLock = new ReentrantLock();
    private volatile List<WebApp> apps = List.of(); // longest context path first

    /** Starts {@code app} and serves it at its context path. */
    public void deploy(WebApp app) throws ServletException {
        deployLock.lock();
        try {
            for (WebApp a : apps) {
                if (a.getContextPath().equals(app.getContextPath())) {
                    throw new IllegalStateException("an application is already deployed at "
                            + (app.getContextPath().isEmpty() ? "/" : app.getContextPath()));
                }
            }
            app.handler = this;
            app.start();
            List<WebApp> next = new ArrayList<>(apps);
            next.add(app);
            next.sort(Comparator.comparingInt((WebApp a) -> a.getContextPath().length()).reversed());
            apps = List.copyOf(next);
        } finally {
            deployLock.unlock();
        }
    }

    /** Stops serving {@code app} and stops it. */
    public void undeploy(WebApp app) {
        deployLock.lock();
        try {
            List<WebApp> next = new ArrayList<>(apps);
            if (!next.remove(app)) {
                return;
            }
            apps = List.copyOf(next);
        } finally {
            deployLock.unlock();
        }
        app.stop();
        app.handler = null;
    }

    /** Stops every application. */
    public void stop() {
        for (WebApp a : apps) {
            undeploy(a);
        }
    }

    public List<WebApp> apps() {
        return apps;
    }

    /** The application whose context path is the longest prefix of {@code path}, or null. */
    WebApp appFor(String path) {
        for (WebApp a : apps) {
            String cp = a.getContextPath();
            if (cp.isEmpty() || (path.startsWith(cp) && (path.length() == cp.length() || path.charAt(cp.length()) == '/'))) {
                return a;
            }
        }
        return null;
    }

    @Override
    public void serve(ResponseWriter w, Request r) throws Exception {
        if (r.rawPath().isEmpty()) {
            plain(w, 400, "Bad Request: not a path");
            return;
        }
        UriCanonicalizer.Result canon;
        try {
            canon = UriCanonicalizer.parse(r.rawPath());
        } catch (UriCanonicalizer.Rejected e) {
            plain(w, 400, "Bad Request: " + e.getMessage());
            return;
        }
        String path = canon.canonicalPath();
        WebApp app = appFor(path);
        if (app == null) {
            plain(w, 404, "Not Found");
            return;
        }
        if (!app.isStarted()) {
            plain(w, 503, "Service Unavailable");
            return;
        }
        String cp = app.getContextPath();
        if (!cp.isEmpty() && path.equals(cp)) {
            // The context root is "/ctx/"; send "/ctx" there, as Tomcat and Jetty do. Built from the
            // canonical path: the raw one may be "//ctx", which a browser reads as another host.
            w.header().set("Location", cp + "/" + (r.rawQuery() == null ? "" : "?" + r.rawQuery()));
            w.writeHeader(302);
            return;
        }
        WeftRequest req = new WeftRequest(this, app, r, path, canon.sessionIdFromPath());
        WeftResponse res = new WeftResponse(w, req);
        req.response = res;
        ClassLoader previous = app.enterClassLoader();
        boolean failed = false;
        try {
            // Mapped before the listeners hear of it, so they see its servlet path and mapping.
            Mapping m = app.map(req.pathInContext());
            req.setMapping(m);
            List<ServletRequestListener> listeners = app.requestListeners;
            ServletRequestEvent event = listeners.isEmpty() ? null : new ServletRequestEvent(app, req);
            for (ServletRequestListener l : listeners) {
                l.requestInitialized(event);
            }
            try {
                try {
                    Security security = app.security();
                    security.restoreIdentity(req);
                    if (DefaultServlet.isProtected(req.pathInContext())) {
                        // WEB-INF and META-INF belong to the application, never to the client, whatever is mapped there.
                        res.sendError(HttpServletResponse.SC_NOT_FOUND);
                    } else if (!security.isEmpty() || app.loginConfig() != null) {
                        if (security.check(req, res)) {
                            new Chain(app.filtersFor(DispatcherType.REQUEST, req.pathInContext(), m), m.holder(), req)
                                    .doFilter(req, res);
                        }
                    } else {
                        new Chain(app.filtersFor(DispatcherType.REQUEST, req.pathInContext(), m), m.holder(), req)
                                .doFilter(req, res);
                    }
                    if (res.errorStatus != 0 && !req.isAsyncStarted()) {
                        errorPage(req, res, res.errorStatus, null, res.errorMessage);
                    }
                } catch (Throwable t) {
                    if (req.async == null) {
                        failed(req, res, t);
                    } else {
                        asyncFailed(req, res, t);
                    }
                }
                if (req.async != null) {
                    asyncLoop(req, res);
                }
                if (req.upgradeHandler != null && res.getStatus() == HttpServletResponse.SC_SWITCHING_PROTOCOLS) {
                    upgrade(req, res);
                    return;
                }
            } finally {
                for (int i = listeners.size() - 1; i >= 0; i--) {
                    listeners.get(i).requestDestroyed(event);
                }
            }
            res.applyTrailerFields();
            for (Session session : req.sessionsUsed()) {
                session.manager().endAccess(req);
            }
        } catch (Throwable t) {
            failed = true;
            throw t;
        } finally {
            req.deleteUploads();
            app.leaveClassLoader(previous);
            app.stats().requestDone(res.getStatus(), failed);
        }
    }

    /**
     * The connection's thread after a dispatch that started async: waits for complete(), dispatch(),
     * the timeout or the client going away, and does what it calls for, on this same thread, until
     * the request completes (§2.3.3.3).
     */
    private void asyncLoop(WeftRequest req, WeftResponse res) throws IOException {
        AsyncState async = req.async;
        // A client that goes away while the request waits is an error the listeners hear of.
        req.core.context().onDone(() -> async.clientGone(new IOException("the client closed the connection")));
        AsyncState.Action a = async.await();
        while (true) {
            switch (a) {
                case COMPLETE -> {
                    req.asyncDispatched();
                    finishAsync(req, res);
                    return;
                }
                case DISPATCH -> {
                    req.asyncDispatched();
                    async.dispatchCarriedOut();
                    try {
                        Dispatcher.async(req, res, async);
                        if (res.errorStatus != 0 && !req.isAsyncStarted()) {
                            errorPage(req, res, res.errorStatus, null, res.errorMessage);
                        }
                    } catch (Throwable t) {
                        asyncFailed(req, res, t);
                    }
                    if (!req.isAsyncStarted()) {
                        AsyncState.Action next = async.takePending();
                        if (next == null) {
                            finishAsync(req, res);
                            return;
                        }
                        a = next;
                        continue;
                    }
                    a = async.await();
                }
                case TIMEOUT -> {
                    async.fireTimeout();
                    AsyncState.Action next = async.takePending();
                    if (next != null) {
                        a = next;
                        continue;
                    }
                    // Nobody handled the timeout: an error dispatch with 500 (§2.3.3.3).
                    req.asyncDispatched();
                    if (!res.w.isCommitted()) {
                        errorPage(req, res, HttpServletResponse.SC_INTERNAL_SERVER_ERROR, null, null);
                    }
                    finishAsync(req, res);
                    return;
                }
                case ERROR -> {
                    // Non-blocking readers and writers hear of it too (§5.4), then the async listeners.
                    res.output().fail(async.error());
                    if (req.bodyIfOpened() != null) {
                        req.bodyIfOpened().fail(async.error());
                    }
                    async.fireError(async.error());
                    AsyncState.Action next = async.takePending();
                    if (next != null) {
                        a = next;
                        continue;
                    }
                    req.asyncDispatched();
                    finishAsync(req, res);
                    return;
                }
            }
        }
    }

    /** A dispatch of an asynchronous request threw: the listeners first, then an error page (§2.3.3.3). */
    private void asyncFailed(WeftRequest req, WeftResponse res, Throwable t) throws IOException {
        if (t instanceof AbortHandlerException ab) {
            throw ab;
        }
        int status = clientError(t);
        if (status == 0) {
            req.app.logger().error("{} failed in an asynchronous dispatch", req, t);
        } else {
            req.app.logger().debug("{} refused with {}: {}", req, status, t.toString());
        }
        req.async.fireError(t);
        AsyncState.Action next = req.async.takePending();
        if (next == AsyncState.Action.COMPLETE || next == AsyncState.Action.DISPATCH) {
            // A listener took over; put the action back for the loop to carry out.
            req.async.requeue(next);
            return;
        }
        req.asyncDispatched();
        if (!res.w.isCommitted()) {
            errorPage(req, res, status == 0 ? HttpServletResponse.SC_INTERNAL_SERVER_ERROR : status, t, null);
        }
        req.async.requeue(AsyncState.Action.COMPLETE);
    }

    private void finishAsync(WeftRequest req, WeftResponse res) throws IOException {
        if (res.errorStatus != 0 && !res.w.isCommitted()) {
            // sendError during the asynchronous part: the error page comes with completion.
            errorPage(req, res, res.errorStatus, null, res.errorMessage);
        }
        res.output().awaitWritten(10_000);
        res.output().stop();
        if (req.bodyIfOpened() != null) {
            req.bodyIfOpened().stop();
        }
        req.async.finish();
    }

    /**
     * HTTP upgrade after service() returned (§2.3.3.5): the 101 with the servlet's headers goes
     * out, the core connection is hijacked, and the handler gets it as a {@link jakarta.servlet.http.WebConnection}.
     */
    private void upgrade(WeftRequest req, WeftResponse res) throws IOException {
        // The new protocol starts after the whole request, body included (RFC 9110 §7.8).
        java.io.InputStream body = req.core.body();
        if (body.transferTo(java.io.OutputStream.nullOutputStream()) > 0) {
            req.app.logger().debug("discarded the body of upgrade request {}", req);
        }
        dev.weft.http.Hijacked h = res.w.hijack();
        UpgradedConnection c = new UpgradedConnection(h, req.upgradeHandler, req.app);
        ClassLoader previous = req.app.enterClassLoader();
        try {
            req.upgradeHandler.init(c);
        } catch (RuntimeException e) {
            req.app.logger().error("{}.init failed; closing the upgraded connection", req.upgradeHandler.getClass().getName(), e);
            c.close();
        } finally {
            req.app.leaveClassLoader(previous);
        }
    }

    /** A filter or servlet threw: log it and answer with the error page, or abort if too late. */
    private void failed(WeftRequest req, WeftResponse res, Throwable t) throws IOException {
        if (t instanceof AbortHandlerException a) {
            throw a;
        }
        if (t instanceof UnavailableException u) {
            if (!res.isCommitted()) {
                if (!u.isPermanent()) {
                    res.w.header().set("Retry-After", Integer.toString(Math.max(1, u.getUnavailableSeconds())));
                }
                errorPage(req, res, u.isPermanent() ? 404 : 503, null, null);
                return;
            }
        }
        if (t instanceof IOException && res.w.isCommitted()) {
            // Most likely the client went away mid-response; nothing to answer and nothing to alarm about.
            req.app.logger().debug("response to {} ended early: {}", req, t.toString());
            throw new AbortHandlerException();
        }
        int status = clientError(t);
        if (status == 0) {
            req.app.logger().error("{} failed in {}", req, req.mapping == null ? "the filter chain" : "servlet "
                    + req.mapping.getServletName(), t);
        } else {
            req.app.logger().debug("{} refused with {}: {}", req, status, t.toString());
        }
        if (res.w.isCommitted()) {
            throw new AbortHandlerException(); // the client gets a cut-off response, as in Go
        }
        errorPage(req, res, status == 0 ? HttpServletResponse.SC_INTERNAL_SERVER_ERROR : status, t, null);
    }

    /**
     * The 4xx of a request the client got wrong, carried by an {@link dev.weft.http.HttpException}
     * in the cause chain (an upload over its limits is an IllegalStateException caused by a 413), or 0.
     */
    private static int clientError(Throwable t) {
        for (int depth = 0; t != null && depth < 16; depth++, t = t.getCause()) {
            if (t instanceof dev.weft.http.HttpException h && h.status() >= 400 && h.status() < 500) {
                return h.status();
            }
        }
        return 0;
    }

    /**
     * Answers with the application's error page for {@code t} or {@code status} (§10.9), or with
     * the container's own page when there is none or it fails itself.
     */
    private void errorPage(WeftRequest req, WeftResponse res, int status, Throwable t, String message)
            throws IOException {
        WebApp app = req.app;
        String location = t != null ? app.errorPage(t) : null;
        if (location == null) {
            location = app.errorPage(status);
        }
        res.resetForError();
        res.forceStatus(status);
        res.errorStatus = 0;
        if (location != null && req.dispatcherType != DispatcherType.ERROR) {
            // The root cause of a ServletException is what the error page is about, as Tomcat reports it.
            Throwable cause = t instanceof ServletException se && se.getRootCause() != null ? se.getRootCause() : t;
            req.setInternalAttribute(RequestDispatcher.ERROR_STATUS_CODE, status);
            req.setInternalAttribute(RequestDispatcher.ERROR_EXCEPTION_TYPE, cause == null ? null : cause.getClass());
            req.setInternalAttribute(RequestDispatcher.ERROR_MESSAGE,
                    message != null ? message : cause != null && cause.getMessage() != null ? cause.getMessage() : "");
            req.setInternalAttribute(RequestDispatcher.ERROR_EXCEPTION, cause);
            req.setInternalAttribute(RequestDispatcher.ERROR_REQUEST_URI, req.core.rawPath());
            req.setInternalAttribute(RequestDispatcher.ERROR_QUERY_STRING, req.core.rawQuery());
            req.setInternalAttribute(RequestDispatcher.ERROR_METHOD, req.core.method());
            req.setInternalAttribute(RequestDispatcher.ERROR_SERVLET_NAME,
                    req.mapping == null ? null : req.mapping.getServletName());
            try {
                new Dispatcher(app, location).error(req, res);
                if (res.errorStatus != 0 && !res.w.isCommitted()) {
                    // The error page itself sent an error: the container's page, with that status.
                    int again = res.errorStatus;
                    res.resetForError();
                    res.forceStatus(again);
                    defaultPage(res, again, res.errorMessage);
                }
                return;
            } catch (Throwable e) {
                app.logger().error("error page {} failed for {}", location, req, e);
                if (res.w.isCommitted()) {
                    throw new AbortHandlerException();
                }
                res.resetForError();
                res.forceStatus(status);
            }
        }
        defaultPage(res, status, message);
    }

    /** The container's error page: short, HTML, with a charset, and never a stack trace. */
    private static void defaultPage(WeftResponse res, int status, String message) throws IOException {
        ResponseWriter w = res.w;
        if (status == 204 || status == 304 || (status >= 100 && status < 200)) {
            return;
        }
        String reason = dev.weft.http.Status.text(status);
        String title = status + (reason.isEmpty() ? "" : " " + reason);
        String body = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + Html.escape(title)
                + "</title></head><body><h1>" + Html.escape(title) + "</h1>"
                + (message == null || message.isEmpty() ? "" : "<p>" + Html.escape(message) + "</p>")
                + "</body></html>\n";
        w.header().set("Content-Type", "text/html;charset=utf-8");
        w.header().remove("Content-Length");
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        w.write(b, 0, b.length);
    }

    /** A plain-text answer for requests that never reach an application. */
    private static void plain(ResponseWriter w, int status, String text) throws IOException {
        w.header().set("Content-Type", "text/plain;charset=utf-8");
        w.writeHeader(status);
        w.write(text + "\n");
    }
}
