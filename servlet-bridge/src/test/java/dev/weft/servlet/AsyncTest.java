package dev.weft.servlet;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletMapping;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;

/**
 * Servlet 6.1 §2.3.3.3, asynchronous processing, the way the TCK tests it: real requests to a
 * deployed application, assertions on what comes back and on what the application saw, in order.
 * Timeouts are the only thing waited for by the clock, and they are short.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class AsyncTest {

    // ---- Components written for the tests ----

    /** A servlet whose service() is a lambda. */
    static final class Fn extends HttpServlet {
        interface Body {
            void serve(HttpServletRequest req, HttpServletResponse resp) throws IOException, ServletException;
        }

        private final transient Body body;

        Fn(Body body) {
            this.body = body;
        }

        @Override
        protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException, ServletException {
            body.serve(req, resp);
        }
    }

    /** A filter whose doFilter() is a lambda. */
    static final class FilterFn implements Filter {
        interface Body {
            void filter(HttpServletRequest req, HttpServletResponse res, FilterChain chain)
                    throws IOException, ServletException;
        }

        private final Body body;

        FilterFn(Body body) {
            this.body = body;
        }

        @Override
        public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
                throws IOException, ServletException {
            body.filter((HttpServletRequest) req, (HttpServletResponse) res, chain);
        }
    }

    /** An application request wrapper. */
    static final class ReqWrapper extends HttpServletRequestWrapper {
        ReqWrapper(HttpServletRequest req) {
            super(req);
        }
    }

    /** An application response wrapper. */
    static final class ResWrapper extends HttpServletResponseWrapper {
        ResWrapper(HttpServletResponse res) {
            super(res);
        }
    }

    /** Records every event as "name:event[:throwable type:message]"; does what {@code onTimeout}/{@code onError} say. */
    static class Rec implements AsyncListener {
        interface Action {
            void run(AsyncEvent e) throws IOException;
        }

        final String name;
        final List<String> log;
        Action onTimeout = e -> { };
        Action onError = e -> { };
        Action onStartAsync = e -> { };

        Rec(String name, List<String> log) {
            this.name = name;
            this.log = log;
        }

        @Override
        public void onComplete(AsyncEvent event) {
            log.add(name + ":onComplete");
        }

        @Override
        public void onTimeout(AsyncEvent event) throws IOException {
            log.add(name + ":onTimeout");
            onTimeout.run(event);
        }

        @Override
        public void onError(AsyncEvent event) throws IOException {
            Throwable t = event.getThrowable();
            log.add(name + ":onError:" + (t == null ? "null" : t.getClass().getSimpleName() + ":" + t.getMessage()));
            onError.run(event);
        }

        @Override
        public void onStartAsync(AsyncEvent event) throws IOException {
            log.add(name + ":onStartAsync");
            onStartAsync.run(event);
        }
    }

    /** What {@code action} does: "returned" or the simple name of what it threw. */
    static String outcome(Executable action) {
        try {
            action.execute();
            return "returned";
        } catch (Throwable t) {
            return t.getClass().getSimpleName();
        }
    }

    static String mapping(HttpServletMapping m) {
        return m == null ? "null" : m.getServletName() + ":" + m.getMappingMatch() + ":" + m.getMatchValue() + ":"
                + m.getPattern();
    }

    private static final String[] ASYNC_ATTRIBUTES = {
        AsyncContext.ASYNC_REQUEST_URI, AsyncContext.ASYNC_CONTEXT_PATH, AsyncContext.ASYNC_SERVLET_PATH,
        AsyncContext.ASYNC_PATH_INFO, AsyncContext.ASYNC_QUERY_STRING, AsyncContext.ASYNC_MAPPING,
    };

    /** What a dispatch target sees, a "key=value" line each; async attributes without "jakarta.servlet.". */
    static String describe(HttpServletRequest req) {
        StringBuilder sb = new StringBuilder();
        sb.append("type=").append(req.getDispatcherType()).append('\n');
        sb.append("uri=").append(req.getRequestURI()).append('\n');
        sb.append("context=").append(req.getContextPath()).append('\n');
        sb.append("servletContext=").append(req.getServletContext().getContextPath()).append('\n');
        sb.append("servletPath=").append(req.getServletPath()).append('\n');
        sb.append("pathInfo=").append(req.getPathInfo()).append('\n');
        sb.append("query=").append(req.getQueryString()).append('\n');
        sb.append("mapping=").append(mapping(req.getHttpServletMapping())).append('\n');
        for (String a : ASYNC_ATTRIBUTES) {
            Object v = req.getAttribute(a);
            if (v != null) {
                sb.append(a.substring("jakarta.servlet.".length())).append('=')
                        .append(v instanceof HttpServletMapping m ? mapping(m) : v).append('\n');
            }
        }
        for (String n : Collections.list(req.getParameterNames())) {
            sb.append("param.").append(n).append('=').append(Arrays.toString(req.getParameterValues(n))).append('\n');
        }
        return sb.toString();
    }

    /** "key=value" lines as a map. */
    static Map<String, String> parse(String lines) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : lines.split("\n")) {
            if (!line.isEmpty()) {
                int eq = line.indexOf('=');
                m.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return m;
    }

    static Map<String, String> sees(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    /** Asserts that {@code seen} holds exactly {@code expected}: every key, and no other key. */
    static void assertSees(String label, Map<String, String> expected, Map<String, String> seen) {
        List<Executable> checks = new ArrayList<>();
        for (Map.Entry<String, String> e : expected.entrySet()) {
            checks.add(() -> assertEquals(e.getValue(), seen.get(e.getKey()), label + ": " + e.getKey() + " in " + seen));
        }
        for (String k : seen.keySet()) {
            checks.add(() -> assertTrue(expected.containsKey(k), label + ": unexpected " + k + "=" + seen.get(k)));
        }
        assertAll(checks);
    }

    /**
     * Polls until {@code log} holds {@code size} entries, at most 5 seconds: listener events may come
     * after the client has the response.
     */
    static void awaitSize(List<String> log, int size) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (log.size() < size && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
    }

    // ---- startAsync, wrappers, isAsyncStarted, isAsyncSupported ----

    @Test
    void startAsyncWithAndWithoutWrappers() throws Exception {
        record Case(String how, boolean original) {}
        List<Case> cases = List.of(
                new Case("none", true),
                new Case("same", true),
                new Case("wrappedRequest", false),
                new Case("wrappedResponse", false),
                new Case("both", false));
        WebApp app = new WebApp("/ctx");
        app.addServlet("start", new Fn((req, res) -> {
            StringBuilder sb = new StringBuilder();
            sb.append("before.isAsyncStarted=").append(req.isAsyncStarted()).append('\n');
            sb.append("before.isAsyncSupported=").append(req.isAsyncSupported()).append('\n');
            sb.append("before.getAsyncContext=").append(outcome(req::getAsyncContext)).append('\n');
            HttpServletRequest r = req;
            HttpServletResponse s = res;
            String how = req.getParameter("how");
            if (how.equals("wrappedRequest") || how.equals("both")) {
                r = new ReqWrapper(req);
            }
            if (how.equals("wrappedResponse") || how.equals("both")) {
                s = new ResWrapper(res);
            }
            AsyncContext ac = how.equals("none") ? req.startAsync() : req.startAsync(r, s);
            sb.append("after.isAsyncStarted=").append(req.isAsyncStarted()).append('\n');
            sb.append("hasOriginalRequestAndResponse=").append(ac.hasOriginalRequestAndResponse()).append('\n');
            sb.append("getAsyncContext=").append(req.getAsyncContext() == ac ? "same" : "other").append('\n');
            sb.append("getRequest=").append(ac.getRequest() == r ? "given" : "other").append('\n');
            sb.append("getResponse=").append(ac.getResponse() == s ? "given" : "other").append('\n');
            ac.getResponse().setContentType("text/plain");
            ac.getResponse().getWriter().print(sb);
            ac.complete();
        })).setAsyncSupported(true);
        app.getServletRegistration("start").addMapping("/start");
        try (Deployed d = Deployed.start(app)) {
            for (Case c : cases) {
                Deployed.Resp r = d.get("/ctx/start?how=" + c.how());
                assertEquals(200, r.status(), c.how() + ": " + r.body());
                assertSees(c.how(), sees(
                        "before.isAsyncStarted", "false",
                        "before.isAsyncSupported", "true",
                        "before.getAsyncContext", "IllegalStateException",
                        "after.isAsyncStarted", "true",
                        "hasOriginalRequestAndResponse", Boolean.toString(c.original()),
                        "getAsyncContext", "same",
                        "getRequest", "given",
                        "getResponse", "given"), parse(r.body()));
            }
        }
    }

    @Test
    void startAsyncThrowsUnlessTheFilterAndTheServletSupportIt() throws Exception {
        record Case(boolean filterSupports, boolean servletSupports) {}
        List<Case> cases = List.of(new Case(true, true), new Case(true, false), new Case(false, true),
                new Case(false, false));
        for (Case c : cases) {
            String label = "filter " + c.filterSupports() + ", servlet " + c.servletSupports();
            WebApp app = new WebApp("/ctx");
            app.addFilter("f", new FilterFn((req, res, chain) -> {
                res.setHeader("X-Filter-Supported", Boolean.toString(req.isAsyncSupported()));
                chain.doFilter(req, res);
                res.setHeader("X-Filter-Supported-After", Boolean.toString(req.isAsyncSupported()));
            })).setAsyncSupported(c.filterSupports());
            app.getFilterRegistration("f").addMappingForUrlPatterns(null, false, "/*");
            app.addServlet("s", new Fn((req, res) -> {
                res.setHeader("X-Servlet-Supported", Boolean.toString(req.isAsyncSupported()));
                AtomicReference<AsyncContext> ac = new AtomicReference<>();
                res.setHeader("X-StartAsync", outcome(() -> ac.set(req.startAsync())));
                res.setHeader("X-StartAsync-Wrapped",
                        ac.get() != null ? "skipped" : outcome(() -> req.startAsync(new ReqWrapper(req), res)));
                res.setHeader("X-Started", Boolean.toString(req.isAsyncStarted()));
                res.getWriter().print("done");
                if (ac.get() != null) {
                    ac.get().complete();
                }
            })).setAsyncSupported(c.servletSupports());
            app.getServletRegistration("s").addMapping("/s");
            boolean both = c.filterSupports() && c.servletSupports();
            try (Deployed d = Deployed.start(app)) {
                Deployed.Resp r = d.get("/ctx/s");
                assertAll(label,
                        () -> assertEquals(200, r.status()),
                        () -> assertEquals("done", r.body()),
                        () -> assertEquals(Boolean.toString(c.filterSupports()), r.header("X-Filter-Supported")),
                        () -> assertEquals(Boolean.toString(both), r.header("X-Servlet-Supported")),
                        () -> assertEquals(both ? "returned" : "IllegalStateException", r.header("X-StartAsync")),
                        () -> assertEquals(both ? "skipped" : "IllegalStateException", r.header("X-StartAsync-Wrapped")),
                        () -> assertEquals(Boolean.toString(both), r.header("X-Started")),
                        () -> assertEquals(Boolean.toString(c.filterSupports()), r.header("X-Filter-Supported-After")));
            }
        }
    }

    @Test
    void startAsyncTwiceInOneDispatchThrows() throws Exception {
        WebApp app = new WebApp("/ctx");
        app.addServlet("s", new Fn((req, res) -> {
            AsyncContext ac = req.startAsync();
            res.setHeader("X-Again", outcome(req::startAsync));
            res.setHeader("X-Again-Wrapped", outcome(() -> req.startAsync(new ReqWrapper(req), new ResWrapper(res))));
            res.setHeader("X-Original", Boolean.toString(ac.hasOriginalRequestAndResponse()));
            res.getWriter().print("once");
            ac.complete();
        })).setAsyncSupported(true);
        app.getServletRegistration("s").addMapping("/s");
        try (Deployed d = Deployed.start(app)) {
            Deployed.Resp r = d.get("/ctx/s");
            assertEquals(200, r.status());
            assertEquals("once", r.body());
            assertEquals("IllegalStateException", r.header("X-Again"));
            assertEquals("IllegalStateException", r.header("X-Again-Wrapped"));
            assertEquals("true", r.header("X-Original"), "the failed calls must not reinitialise the context");
        }
    }

    /**
     * isAsyncStarted() Javadoc: if dispatch() or complete() is called before the dispatch that
     * called startAsync() has returned, isAsyncStarted() stays true until it has returned; and
     * startAsync() again in the same dispatch is an IllegalStateException.
     */
    @Test
    void isAsyncStartedStaysTrueUntilTheStartingDispatchReturns() throws Exception {
        List<String> log = new CopyOnWriteArrayList<>();
        // Short, so that a request whose second startAsync() was wrongly accepted ends soon.
        WebApp app = new WebApp("/ctx").setAsyncTimeout(Duration.ofMillis(500));
        app.addFilter("f", new FilterFn((req, res, chain) -> {
            chain.doFilter(req, res);
            log.add("filter.after.isAsyncStarted=" + req.isAsyncStarted());
        })).setAsyncSupported(true);
        app.getFilterRegistration("f").addMappingForUrlPatterns(null, false, "/s");
        app.addServlet("s", new Fn((req, res) -> {
            AsyncContext ac = req.startAsync();
            if ("dispatch".equals(req.getParameter("then"))) {
                ac.dispatch("/target");
            } else {
                res.getWriter().print("completed");
                ac.complete();
            }
            log.add("service.isAsyncStarted=" + req.isAsyncStarted());
            log.add("service.startAsyncAgain=" + outcome(req::startAsync));
        })).setAsyncSupported(true);
        app.getServletRegistration("s").addMapping("/s");
        app.addServlet("target", new Fn((req, res) -> res.getWriter().print("dispatched"))).addMapping("/target");
        try (Deployed d = Deployed.start(app)) {
            for (String then : List.of("complete", "dispatch")) {
                log.clear();
                Deployed.Resp r = d.get("/ctx/s?then=" + then);
                assertEquals(200, r.status(), then);
                assertEquals(then.equals("complete") ? "completed" : "dispatched", r.body(), then);
                assertEquals(List.of("service.isAsyncStarted=true", "service.startAsyncAgain=IllegalStateException",
                        "filter.after.isAsyncStarted=true"), log, then);
            }
        }
    }

    // ---- complete() ----

    @Test
    void completeFromTheServiceThreadAndFromOtherThreads() throws Exception {
        List<String> log = new CopyOnWriteArrayList<>();
        WebApp app = new WebApp("/ctx");
        app.addServlet("s", new Fn((req, res) -> {
            AsyncContext ac = req.startAsync();
            ac.addListener(new Rec("L", log));
            String from = req.getParameter("from");
            Runnable finish = () -> {
                try {
                    ac.getResponse().setContentType("text/plain");
                    ac.getResponse().getWriter().print("completed from " + from);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                ac.complete();
                if (from.equals("service")) {
                    // From another thread this races the container; see completeTwiceFromAnotherThreadAlwaysThrows.
                    log.add("second complete: " + outcome(ac::complete));
                }
                log.add("dispatch after complete: " + outcome(() -> ac.dispatch("/elsewhere")));
            };
            switch (from) {
                case "service" -> finish.run();
                case "start" -> ac.start(finish);
                case "thread" -> Thread.ofPlatform().start(finish);
                default -> throw new ServletException(from);
            }
        })).setAsyncSupported(true);
        app.getServletRegistration("s").addMapping("/s");
        try (Deployed d = Deployed.start(app)) {
            for (String from : List.of("service", "start", "thread")) {
                log.clear();
                Deployed.Resp r = d.get("/ctx/s?from=" + from);
                assertEquals(200, r.status(), from);
                assertEquals("completed from " + from, r.body(), from);
                List<String> expected = new ArrayList<>(List.of("L:onComplete",
                        "dispatch after complete: IllegalStateException"));
                if (from.equals("service")) {
                    expected.add("second complete: IllegalStateException");
                }
                awaitSize(log, expected.size());
                // onComplete comes from the container's thread: its order against a plain thread's log is not defined.
                List<String> sorted = new ArrayList<>(log);
                Collections.sort(sorted);
                assertEquals(expected, sorted, from);
            }
        }
    }

    /**
     * complete() twice is an IllegalStateException whenever the second call comes. From a thread
     * of the application it races the container's thread carrying out the first; many requests
     * make the race show.
     */
    @Test
    void completeTwiceFromAnotherThreadAlwaysThrows() throws Exception {
        Map<String, Integer> outcomes = new java.util.concurrent.ConcurrentHashMap<>();
        WebApp app = new WebApp("/ctx");
        app.addServlet("s", new Fn((req, res) -> {
            AsyncContext ac = req.startAsync();
            Thread.ofPlatform().start(() -> {
                ac.complete();
                outcomes.merge(outcome(ac::complete), 1, Integer::sum);
            });
        })).setAsyncSupported(true);
        app.getServletRegistration("s").addMapping("/s");
        int requests = 500;
        try (Deployed d = Deployed.start(app)) {
            for (int i = 0; i < requests; i++) {
                assertEquals(200, d.get("/ctx/s").status());
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (outcomes.values().stream().mapToInt(Integer::intValue).sum() < requests
                    && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
        }
        assertEquals(Map.of("IllegalStateException", requests), outcomes);
    }

    /** getRequest()/getResponse() Javadoc: IllegalStateException once complete() or a dispatch() was called in the cycle. */
    @Test
    void getRequestAndGetResponseThrowAfterCompleteOrDispatch() throws Exception {
        List<String> log = new CopyOnWriteArrayList<>();
        WebApp app = new WebApp("/ctx");
        app.addServlet("s", new Fn((req, res) -> {
            AsyncContext ac = req.startAsync();
            if ("dispatch".equals(req.getParameter("then"))) {
                ac.dispatch("/target");
            } else {
                ac.complete();
            }
            log.add("getRequest=" + outcome(ac::getRequest));
            log.add("getResponse=" + outcome(ac::getResponse));
        })).setAsyncSupported(true);
        app.getServletRegistration("s").addMapping("/s");
        app.addServlet("target", new Fn((req, res) -> { })).addMapping("/target");
        try (Deployed d = Deployed.start(app)) {
            for (String then : List.of("complete", "dispatch")) {
                log.clear();
                assertEquals(200, d.get("/ctx/s?then=" + then).status());
                assertEquals(List.of("getRequest=IllegalStateException", "getResponse=IllegalStateException"), log, then);
            }
        }
    }

    @Test
    void illegalSequencesWithinOneCycleThrow() throws Exception {
        List<String> log = new CopyOnWriteArrayList<>();
        WebApp app = new WebApp("/ctx");
        app.addServlet("s", new Fn((req, res) -> {
            AsyncContext ac = req.startAsync();
            ac.dispatch("/target");
            log.add("dispatch again: " + outcome(() -> ac.dispatch("/target")));
            log.add("dispatch() again: " + outcome(() -> ac.dispatch()));
            log.add("dispatch(ctx) again: " + outcome(() -> ac.dispatch(req.getServletContext(), "/target")));
            log.add("complete after dispatch: " + outcome(ac::complete));
        })).setAsyncSupported(true);
        app.getServletRegistration("s").addMapping("/s");
        app.addServlet("target", new Fn((req, res) -> {
            log.add("target.isAsyncStarted=" + req.isAsyncStarted());
            log.add("target.getAsyncContext=" + outcome(req::getAsyncContext));
            res.getWriter().print("target");
        })).addMapping("/target");
        try (Deployed d = Deployed.start(app)) {
            Deployed.Resp r = d.get("/ctx/s");
            assertEquals(200, r.status());
            assertEquals("target", r.body());
            assertEquals(List.of("dispatch again: IllegalStateException", "dispatch() again: IllegalStateException",
                    "dispatch(ctx) again: IllegalStateException", "complete after dispatch: IllegalStateException",
                    "target.isAsyncStarted=false", "target.getAsyncContext=IllegalStateException"), log);
        }
    }

    // ---- Dispatch ----

    /** A wrapper that reports another request URI: dispatch() goes there (AsyncContext.dispatch() Javadoc). */
    static final class UriWrapper extends HttpServletRequestWrapper {
        private final String uri;

        UriWrapper(HttpServletRequest req, String uri) {
            super(req);
            this.uri = uri;
        }

        @Override
        public String getRequestURI() {
            return uri;
        }
    }

    /** Answers with what it sees, and whether it was given an application wrapper. */
    static Fn asyncDescriber() {
        return new Fn((req, res) -> {
            res.setContentType("text/plain");
            res.getWriter().print(describe(req) + "wrapped=" + (req instanceof HttpServletRequestWrapper) + "\n");
        });
    }

    /** /ctx with /disp/* starting async and dispatching as X-Mode says, /target/* describing; /other with /t/*. */
    static WebApp[] dispatchApps() {
        WebApp app = new WebApp("/ctx").setCrossContext(true);
        app.addServlet("disp", new Fn((req, res) -> {
            if (req.getDispatcherType() == DispatcherType.ASYNC) {
                asyncDescriber().service(req, res);
                return;
            }
            String mode = req.getHeader("X-Mode");
            switch (mode) {
                case "dispatch()" -> req.startAsync().dispatch();
                case "dispatch(path)" -> req.startAsync().dispatch("/target/p?y=2");
                case "dispatch(encoded path)" -> req.startAsync().dispatch("/target/a%20b");
                case "dispatch(context, path)" -> req.startAsync().dispatch(req.getServletContext().getContext("/other"),
                        "/t/q?z=3");
                case "dispatch() with a wrapper" -> req.startAsync(new UriWrapper(req, "/ctx/target/w"),
                        new ResWrapper(res)).dispatch();
                default -> throw new ServletException(mode);
            }
        })).setAsyncSupported(true);
        app.getServletRegistration("disp").addMapping("/disp/*");
        app.addServlet("target", asyncDescriber()).addMapping("/target/*");
        WebApp other = new WebApp("/other");
        other.addServlet("t", asyncDescriber()).addMapping("/t/*");
        return new WebApp[] {app, other};
    }

    /** The async attributes of a request that arrived as /ctx/disp/orig with {@code query}. */
    static String[] fromDisp(String query) {
        List<String> kv = new ArrayList<>(List.of(
                "async.request_uri", "/ctx/disp/orig",
                "async.context_path", "/ctx",
                "async.servlet_path", "/disp",
                "async.path_info", "/orig",
                "async.mapping", "disp:PATH:orig:/disp/*"));
        if (query != null) {
            kv.addAll(List.of("async.query_string", query));
        }
        return kv.toArray(String[]::new);
    }

    record DispatchCase(String label, String path, String[] expected, String[] async) {}

    static void checkDispatches(List<DispatchCase> cases) throws Exception {
        try (Deployed d = Deployed.start(dispatchApps())) {
            List<Executable> checks = new ArrayList<>();
            for (DispatchCase c : cases) {
                checks.add(() -> checkDispatch(d, c.label(), c.path(), new String[] {"X-Mode", c.label()}, c.expected(),
                        c.async()));
            }
            assertAll(checks);
        }
    }

    @Test
    void everyDispatchFormReachesItsTargetWithTheAsyncAttributes() throws Exception {
        checkDispatches(List.of(
                new DispatchCase("dispatch()", "/ctx/disp/orig", new String[] {
                    "uri", "/ctx/disp/orig", "context", "/ctx", "servletContext", "/ctx", "servletPath", "/disp",
                    "pathInfo", "/orig", "query", "null", "mapping", "disp:PATH:orig:/disp/*", "wrapped", "false"},
                        fromDisp(null)),
                new DispatchCase("dispatch() with a wrapper", "/ctx/disp/orig", new String[] {
                    "uri", "/ctx/target/w", "context", "/ctx", "servletContext", "/ctx", "servletPath", "/target",
                    "pathInfo", "/w", "query", "null", "mapping", "target:PATH:w:/target/*", "wrapped", "true"},
                        fromDisp(null)),
                new DispatchCase("dispatch(path)", "/ctx/disp/orig?x=1", new String[] {
                    "uri", "/ctx/target/p", "context", "/ctx", "servletContext", "/ctx", "servletPath", "/target",
                    "pathInfo", "/p", "query", "y=2", "mapping", "target:PATH:p:/target/*", "param.x", "[1]",
                    "param.y", "[2]", "wrapped", "false"}, fromDisp("x=1")),
                new DispatchCase("dispatch(encoded path)", "/ctx/disp/orig?x=1", new String[] {
                    "uri", "/ctx/target/a%20b", "context", "/ctx", "servletContext", "/ctx", "servletPath", "/target",
                    "pathInfo", "/a b", "query", "x=1", "mapping", "target:PATH:a b:/target/*", "param.x", "[1]",
                    "wrapped", "false"}, fromDisp("x=1")),
                new DispatchCase("dispatch(context, path)", "/ctx/disp/orig?x=1", new String[] {
                    "uri", "/other/t/q", "context", "/other", "servletContext", "/other", "servletPath", "/t",
                    "pathInfo", "/q", "query", "z=3", "mapping", "t:PATH:q:/t/*", "param.x", "[1]", "param.z", "[3]",
                    "wrapped", "false"}, fromDisp("x=1"))));
    }

    /** dispatch() without a path goes back to the same URI: its query is not a new one to merge into the parameters. */
    @Test
    void dispatchWithoutAPathKeepsTheParametersAsTheyAre() throws Exception {
        checkDispatches(List.of(
                new DispatchCase("dispatch()", "/ctx/disp/orig?x=1", new String[] {
                    "uri", "/ctx/disp/orig", "context", "/ctx", "servletContext", "/ctx", "servletPath", "/disp",
                    "pathInfo", "/orig", "query", "x=1", "mapping", "disp:PATH:orig:/disp/*", "param.x", "[1]",
                    "wrapped", "false"}, fromDisp("x=1")),
                new DispatchCase("dispatch() with a wrapper", "/ctx/disp/orig?x=1", new String[] {
                    "uri", "/ctx/target/w", "context", "/ctx", "servletContext", "/ctx", "servletPath", "/target",
                    "pathInfo", "/w", "query", "x=1", "mapping", "target:PATH:w:/target/*", "param.x", "[1]",
                    "wrapped", "true"}, fromDisp("x=1"))));
    }

    private static void checkDispatch(Deployed d, String label, String path, String[] headers, String[] expected,
            String[] async) throws IOException {
        Deployed.Resp r = d.get(path, g -> g.setHeader(headers[0], headers[1]));
        assertEquals(200, r.status(), label + ": " + r.body());
        Map<String, String> want = sees(expected);
        want.put("type", "ASYNC");
        want.putAll(sees(async));
        assertSees(label, want, parse(r.body()));
    }

    /**
     * The Javadoc of AsyncContext.dispatch(): after a forward to /url/B, startAsync() then dispatch()
     * goes to /url/A, startAsync(request, response) then dispatch() to /url/B. And §9.4: forward
     * closes the response only if the request was not put into asynchronous mode, so the ASYNC
     * target's output reaches the client.
     */
    @Test
    void forwardThenStartAsyncAndDispatch() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        Fn target = new Fn((req, res) -> {
            seen.add(describe(req));
            res.setContentType("text/plain");
            res.getWriter().print("from " + req.getRequestURI());
        });
        WebApp app = new WebApp("/ctx");
        app.addServlet("A", new Fn((req, res) -> {
            if (req.getDispatcherType() == DispatcherType.ASYNC) {
                target.service(req, res);
            } else {
                req.getRequestDispatcher("/url/B").forward(req, res);
            }
        })).setAsyncSupported(true);
        app.getServletRegistration("A").addMapping("/url/A");
        app.addServlet("B", new Fn((req, res) -> {
            if (req.getDispatcherType() == DispatcherType.ASYNC) {
                target.service(req, res);
            } else if ("startAsync()".equals(req.getHeader("X-Start"))) {
                req.startAsync().dispatch();
            } else {
                req.startAsync(req, res).dispatch();
            }
        })).setAsyncSupported(true);
        app.getServletRegistration("B").addMapping("/url/B");
        String[] fromA = {
            "async.request_uri", "/ctx/url/A",
            "async.context_path", "/ctx",
            "async.servlet_path", "/url/A",
            "async.query_string", "x=1",
            "async.mapping", "A:EXACT:url/A:/url/A",
        };
        record Case(String start, String target, String mapping) {}
        List<Case> cases = List.of(new Case("startAsync()", "/url/A", "A:EXACT:url/A:/url/A"),
                new Case("startAsync(req, res)", "/url/B", "B:EXACT:url/B:/url/B"));
        try (Deployed d = Deployed.start(app)) {
            List<Executable> checks = new ArrayList<>();
            for (Case c : cases) {
                seen.clear();
                Deployed.Resp r = d.get("/ctx/url/A?x=1", g -> g.setHeader("X-Start", c.start()));
                List<String> got = List.copyOf(seen);
                checks.add(() -> assertEquals(200, r.status(), c.start()));
                checks.add(() -> assertEquals("from /ctx" + c.target(), r.body(), c.start() + ": the ASYNC target's output"));
                checks.add(() -> assertEquals(1, got.size(), c.start() + ": ASYNC dispatches"));
                checks.add(() -> {
                    Map<String, String> want = sees("type", "ASYNC", "uri", "/ctx" + c.target(), "context", "/ctx",
                            "servletContext", "/ctx", "servletPath", c.target(), "pathInfo", "null", "query", "x=1",
                            "mapping", c.mapping(), "param.x", "[1]");
                    want.putAll(sees(fromA));
                    assertSees(c.start(), want, parse(got.get(0)));
                });
            }
            assertAll(checks);
        }
    }

    @Test
    void asyncFiltersRunOnlyOnAsyncDispatches() throws Exception {
        List<String> log = new CopyOnWriteArrayList<>();
        WebApp app = new WebApp("/ctx");
        app.addFilter("requestOnly", new FilterFn((req, res, chain) -> {
            log.add("requestOnly:" + req.getDispatcherType());
            chain.doFilter(req, res);
        })).setAsyncSupported(true);
        app.getFilterRegistration("requestOnly").addMappingForUrlPatterns(null, false, "/*");
        app.addFilter("asyncOnly", new FilterFn((req, res, chain) -> {
            log.add("asyncOnly:" + req.getDispatcherType());
            res.setHeader("X-Async-Filter", "ran");
            chain.doFilter(req, res);
        }));
        app.getFilterRegistration("asyncOnly").addMappingForUrlPatterns(EnumSet.of(DispatcherType.ASYNC), false, "/*");
        app.addFilter("both", new FilterFn((req, res, chain) -> {
            log.add("both:" + req.getDispatcherType());
            chain.doFilter(req, res);
        })).setAsyncSupported(true);
        app.getFilterRegistration("both").addMappingForUrlPatterns(
                EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC), false, "/*");
        app.addServlet("s", new Fn((req, res) -> {
            log.add("service:" + req.getDispatcherType());
            req.startAsync().dispatch("/target");
        })).setAsyncSupported(true);
        app.getServletRegistration("s").addMapping("/s");
        app.addServlet("target", new Fn((req, res) -> {
            log.add("target:" + req.getDispatcherType());
            res.getWriter().print("target");
        })).addMapping("/target");
        try (Deployed d = Deployed.start(app)) {
            Deployed.Resp r = d.get("/ctx/s");
            assertEquals(200, r.status());
            assertEquals("target", r.body());
            assertEquals("ran", r.header("X-Async-Filter"));
            assertEquals(List.of("requestOnly:REQUEST", "both:REQUEST", "service:REQUEST", "asyncOnly:ASYNC",
                    "both:ASYNC", "target:ASYNC"), log);

            log.clear();
            r = d.get("/ctx/target");
            assertEquals(200, r.status());
            assertEquals(null, r.header("X-Async-Filter"));
            assertEquals(List.of("requestOnly:REQUEST", "both:REQUEST", "target:REQUEST"), log);
        }
    }

    /**
     * dispatch() and complete() called during the dispatch that started async take effect only
     * once it has returned to the container: the target runs, and onComplete is heard, after the
     * servlet and the filter around it have returned. The servlet waits briefly for a target that
     * runs too early, so that a container that does not wait is caught.
     */
    @Test
    void dispatchAndCompleteTakeEffectOnlyAfterTheStartingDispatchReturns() throws Exception {
        List<String> log = new CopyOnWriteArrayList<>();
        AtomicReference<CountDownLatch> early = new AtomicReference<>();
        WebApp app = new WebApp("/ctx");
        app.addFilter("f", new FilterFn((req, res, chain) -> {
            log.add("filter:before");
            chain.doFilter(req, res);
            log.add("filter:after");
        })).setAsyncSupported(true);
        app.getFilterRegistration("f").addMappingForUrlPatterns(null, false, "/s");
        app.addServlet("s", new Fn((req, res) -> {
            AsyncContext ac = req.startAsync();
            ac.addListener(new Rec("L", log) {
                @Override
                public void onComplete(AsyncEvent event) {
                    super.onComplete(event);
                    early.get().countDown();
                }
            });
            if ("dispatch".equals(req.getParameter("then"))) {
                ac.dispatch("/target");
            } else {
                res.getWriter().print("completed");
                ac.complete();
            }
            log.add("service:" + req.getParameter("then") + " returned");
            try {
                log.add("service:took effect early=" + early.get().await(100, TimeUnit.MILLISECONDS));
            } catch (InterruptedException e) {
                throw new ServletException(e);
            }
            log.add("service:return");
        })).setAsyncSupported(true);
        app.getServletRegistration("s").addMapping("/s");
        app.addServlet("target", new Fn((req, res) -> {
            log.add("target:" + req.getDispatcherType());
            early.get().countDown();
            res.getWriter().print("target");
        })).addMapping("/target");
        try (Deployed d = Deployed.start(app)) {
            for (String then : List.of("dispatch", "complete")) {
                log.clear();
                early.set(new CountDownLatch(1));
                Deployed.Resp r = d.get("/ctx/s?then=" + then);
                assertEquals(200, r.status(), then);
                assertEquals(then.equals("dispatch") ? "target" : "completed", r.body(), then);
                List<String> expected = new ArrayList<>(List.of("filter:before", "service:" + then + " returned",
                        "service:took effect early=false", "service:return", "filter:after"));
                if (then.equals("dispatch")) {
                    expected.add("target:ASYNC");
                }
                expected.add("L:onComplete");
                awaitSize(log, expected.size());
                assertEquals(expected, log, then);
            }
        }
    }

    @Test
    void startAsyncAgainInTheDispatchedServletStartsANewCycle() throws Exception {
        List<String> log = new CopyOnWriteArrayList<>();
        WebApp app = new WebApp("/ctx");
        app.addServlet("chain", new Fn((req, res) -> {
            String step = req.getPathInfo();
            switch (step) {
                case "/first" -> {
                    AsyncContext ac = req.startAsync();
                    req.setAttribute("first", ac);
                    Rec stays = new Rec("L1", log);
                    stays.onStartAsync = e -> e.getAsyncContext().addListener(stays);
                    ac.addListener(stays);
                    ac.addListener(new Rec("L2", log));
                    ac.dispatch("/chain/second?n=2");
                }
                case "/second" -> {
                    log.add("second:" + req.getDispatcherType() + ":isAsyncStarted=" + req.isAsyncStarted());
                    AsyncContext ac = req.startAsync();
                    log.add("second:same context=" + (ac == req.getAttribute("first")));
                    log.add("second:isAsyncStarted=" + req.isAsyncStarted());
                    ac.start(() -> ac.dispatch("/chain/third"));
                }
                case "/third" -> {
                    log.add("third:" + req.getDispatcherType());
                    asyncDescriber().service(req, res);
                }
                default -> throw new ServletException(step);
            }
        })).setAsyncSupported(true);
        app.getServletRegistration("chain").addMapping("/chain/*");
        try (Deployed d = Deployed.start(app)) {
            Deployed.Resp r = d.get("/ctx/chain/first?x=1");
            assertEquals(200, r.status(), r.body());
            // The async attributes keep the original request's values under repeated dispatches.
            assertSees("third", sees(
                    "type", "ASYNC",
                    "uri", "/ctx/chain/third",
                    "context", "/ctx",
                    "servletContext", "/ctx",
                    "servletPath", "/chain",
                    "pathInfo", "/third",
                    "query", "n=2",
                    "mapping", "chain:PATH:third:/chain/*",
                    "async.request_uri", "/ctx/chain/first",
                    "async.context_path", "/ctx",
                    "async.servlet_path", "/chain",
                    "async.path_info", "/first",
                    "async.query_string", "x=1",
                    "async.mapping", "chain:PATH:first:/chain/*",
                    "param.n", "[2]",
                    "param.x", "[1]",
                    "wrapped", "false"), parse(r.body()));
            List<String> expected = List.of("second:ASYNC:isAsyncStarted=false", "L1:onStartAsync", "L2:onStartAsync",
                    "second:same context=true", "second:isAsyncStarted=true", "third:ASYNC", "L1:onComplete");
            awaitSize(log, expected.size());
            assertEquals(expected, log);
        }
    }

    // ---- AsyncContext.start ----

    @Test
    void startRunsOnAnotherThreadWithTheApplicationsClassLoader() throws Exception {
        ClassLoader appLoader = new URLClassLoader("weft-test-app", new URL[0], AsyncTest.class.getClassLoader());
        List<String> log = new CopyOnWriteArrayList<>();
        WebApp app = new WebApp("/ctx").setClassLoader(appLoader);
        app.addServlet("s", new Fn((req, res) -> {
            Thread service = Thread.currentThread();
            log.add("service.ccl=" + (service.getContextClassLoader() == appLoader));
            AsyncContext ac = req.startAsync();
            ac.addListener(new Rec("L", log) {
                @Override
                public void onComplete(AsyncEvent event) {
                    super.onComplete(event);
                    log.add("onComplete.ccl=" + (Thread.currentThread().getContextClassLoader() == appLoader));
                }
            });
            ac.start(() -> {
                Thread t = Thread.currentThread();
                log.add("task.otherThread=" + (t != service));
                log.add("task.ccl=" + (t.getContextClassLoader() == appLoader));
                log.add("task.servletContextLoader=" + (req.getServletContext().getClassLoader() == appLoader));
                try {
                    ac.getResponse().getWriter().print("from the task");
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                ac.complete();
            });
        })).setAsyncSupported(true);
        app.getServletRegistration("s").addMapping("/s");
        try (Deployed d = Deployed.start(app)) {
            Deployed.Resp r = d.get("/ctx/s");
            assertEquals(200, r.status());
            assertEquals("from the task", r.body());
            List<String> expected = List.of("service.ccl=true", "task.otherThread=true", "task.ccl=true",
                    "task.servletContextLoader=true", "L:onComplete", "onComplete.ccl=true");
            awaitSize(log, expected.size());
            assertEquals(expected, log);
        }
    }

    // ---- Timeouts ----

    /** Describes the error dispatch: its type and the error attributes, a line each. */
    static Fn errorPage(List<String> log) {
        return new Fn((req, res) -> {
            log.add("errorPage:" + req.getDispatcherType());
            Object ex = req.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
            res.setContentType("text/plain");
            res.getWriter().print("type=" + req.getDispatcherType() + "\n"
                    + "status_code=" + req.getAttribute(RequestDispatcher.ERROR_STATUS_CODE) + "\n"
                    + "request_uri=" + req.getAttribute(RequestDispatcher.ERROR_REQUEST_URI) + "\n"
                    + "servlet_name=" + req.getAttribute(RequestDispatcher.ERROR_SERVLET_NAME) + "\n"
                    + "exception_type=" + req.getAttribute(RequestDispatcher.ERROR_EXCEPTION_TYPE) + "\n"
                    + "exception=" + (ex instanceof Throwable t ? t.getClass().getName() + ":" + t.getMessage() : ex)
                    + "\n");
        });
    }

    /**
     * Nobody handles the timeout (AsyncContext Javadoc): the listeners hear onTimeout, an error
     * dispatch with 500 follows, to the error page for 500 if there is one, then completion.
     * The default timeout is the application's, unless setTimeout changes it.
     */
    @Test
    void anUnhandledTimeoutEndsInAnErrorDispatchWith500() throws Exception {
        record Case(String label, boolean errorPage, long setTimeout, long expectedTimeout) {}
        List<Case> cases = List.of(
                new Case("default timeout, no error page", false, -1, 300),
                new Case("default timeout, error page for 500", true, -1, 300),
                new Case("setTimeout(150)", true, 150, 150));
        for (Case c : cases) {
            List<String> log = new CopyOnWriteArrayList<>();
            // The default is long where setTimeout must win, so that a timeout that ignores it fails the test.
            WebApp app = new WebApp("/ctx").setAsyncTimeout(Duration.ofMillis(c.setTimeout() < 0 ? 300 : 8_000));
            app.addServlet("wait", new Fn((req, res) -> {
                AsyncContext ac = req.startAsync();
                if (c.setTimeout() >= 0) {
                    ac.setTimeout(c.setTimeout());
                }
                log.add("getTimeout=" + ac.getTimeout());
                ac.addListener(new Rec("L", log));
                res.getWriter().print("never sent");
            })).setAsyncSupported(true);
            app.getServletRegistration("wait").addMapping("/wait");
            if (c.errorPage()) {
                app.addServlet("error", errorPage(log)).addMapping("/error");
                app.addErrorPage(500, "/error");
            }
            try (Deployed d = Deployed.start(app)) {
                long t0 = System.nanoTime();
                Deployed.Resp r = d.get("/ctx/wait");
                long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                assertEquals(500, r.status(), c.label());
                assertTrue(elapsed >= c.expectedTimeout() && elapsed < 5_000, c.label() + ": answered after " + elapsed + " ms");
                if (c.errorPage()) {
                    assertSees(c.label(), sees(
                            "type", "ERROR",
                            "status_code", "500",
                            "request_uri", "/ctx/wait",
                            "servlet_name", "wait",
                            "exception_type", "null",
                            "exception", "null"), parse(r.body()));
                } else {
                    assertTrue(r.body().contains("500") && !r.body().contains("never sent"), c.label() + ": " + r.body());
                    assertTrue(r.header("Content-Type").startsWith("text/html"), c.label());
                }
                List<String> expected = new ArrayList<>(List.of("getTimeout=" + c.expectedTimeout(), "L:onTimeout"));
                if (c.errorPage()) {
                    expected.add("errorPage:ERROR");
                }
                expected.add("L:onComplete");
                awaitSize(log, expected.size());
                assertEquals(expected, log, c.label());
            }
        }
    }

    @Test
    void setTimeoutZeroMeansNoTimeout() throws Exception {
        List<String> log = new CopyOnWriteArrayList<>();
        WebApp app = new WebApp("/ctx").setAsyncTimeout(Duration.ofMillis(200));
        app.addServlet("s", new Fn((req, res) -> {
            AsyncContext ac = req.startAsync();
            ac.setTimeout(0);
            ac.addListener(new Rec("L", log));
            Thread.ofPlatform().start(() -> {
                try {
                    Thread.sleep(600); // three times the application's default timeout: the subject of the test
                    ac.getResponse().getWriter().print("late, and still fine");
                } catch (InterruptedException | IOException e) {
                    log.add("task failed: " + e);
                }
                ac.complete();
            });
        })).setAsyncSupported(true);
        app.getServletRegistration("s").addMapping("/s");
        try (Deployed d = Deployed.start(app)) {
            Deployed.Resp r = d.get("/ctx/s");
            assertEquals(200, r.status());
            assertEquals("late, and still fine", r.body());
            awaitSize(log, 1);
            assertEquals(List.of("L:onComplete"), log);
        }
    }

    /**
     * A listener that completes or dispatches in onTimeout takes over: no error dispatch. Every
     * listener hears onTimeout, in the order they were added; setTimeout is no longer allowed.
     */
    @Test
    void aTimeoutHandledByAListener() throws Exception {
        record Case(String action, int status, String body, List<String> events) {}
        List<Case> cases = List.of(
                new Case("complete", 200, "handled in onTimeout", List.of("L1:onTimeout", "L1:setTimeout=IllegalStateException",
                        "L2:onTimeout", "L1:onComplete", "L2:onComplete")),
                new Case("dispatch", 200, "target:ASYNC", List.of("L1:onTimeout", "L1:setTimeout=IllegalStateException",
                        "L2:onTimeout", "target:ASYNC", "L1:onComplete", "L2:onComplete")));
        for (Case c : cases) {
            List<String> log = new CopyOnWriteArrayList<>();
            WebApp app = new WebApp("/ctx").setAsyncTimeout(Duration.ofMillis(200));
            app.addServlet("wait", new Fn((req, res) -> {
                AsyncContext ac = req.startAsync();
                Rec l1 = new Rec("L1", log);
                l1.onTimeout = e -> {
                    log.add("L1:setTimeout=" + outcome(() -> e.getAsyncContext().setTimeout(10_000)));
                    if (c.action().equals("complete")) {
                        e.getAsyncContext().getResponse().getWriter().print("handled in onTimeout");
                        e.getAsyncContext().complete();
                    } else {
                        e.getAsyncContext().dispatch("/target");
                    }
                };
                ac.addListener(l1);
                ac.addListener(new Rec("L2", log));
            })).setAsyncSupported(true);
            app.getServletRegistration("wait").addMapping("/wait");
            app.addServlet("target", new Fn((req, res) -> {
                log.add("target:" + req.getDispatcherType());
                res.getWriter().print("target:" + req.getDispatcherType());
            })).addMapping("/target");
            app.addServlet("error", errorPage(log)).addMapping("/error");
            app.addErrorPage(500, "/error");
            try (Deployed d = Deployed.start(app)) {
                Deployed.Resp r = d.get("/ctx/wait");
                assertEquals(c.status(), r.status(), c.action());
                assertEquals(c.body(), r.body(), c.action());
                awaitSize(log, c.events().size());
                assertEquals(c.events(), log, c.action());
            }
        }
    }

    /** addListener() Javadoc: IllegalStateException once the dispatch that called startAsync has returned. */
    @Test
    void addListenerAfterTheStartingDispatchReturnedThrows() throws Exception {
        List<String> log = new CopyOnWriteArrayList<>();
        WebApp app = new WebApp("/ctx").setAsyncTimeout(Duration.ofMillis(200));
        app.addServlet("wait", new Fn((req, res) -> {
            AsyncContext ac = req.startAsync();
            Rec l = new Rec("L", log);
            l.onTimeout = e -> {
                log.add("addListener=" + outcome(() -> e.getAsyncContext().addListener(new Rec("late", log))));
                e.getAsyncContext().complete();
            };
            ac.addListener(l);
        })).setAsyncSupported(true);
        app.getServletRegistration("wait").addMapping("/wait");
        try (Deployed d = Deployed.start(app)) {
            assertEquals(200, d.get("/ctx/wait").status());
            awaitSize(log, 3);
            assertEquals(List.of("L:onTimeout", "addListener=IllegalStateException", "L:onComplete"), log);
        }
    }

    // ---- Errors ----

    /**
     * An exception in a dispatch of an asynchronous request (AsyncContext.dispatch() Javadoc): the
     * listeners hear onError with it; if none of them completes or dispatches, an error dispatch
     * with 500 and the exception in the error attributes; then completion.
     */
    @Test
    void anExceptionInAnAsyncRequestReachesOnErrorThenTheErrorPage() throws Exception {
        record Case(String where, boolean listenerRecovers, int status, Map<String, String> body, List<String> events) {}
        String onError = "L:onError:RuntimeException:kaboom";
        // The servlet in which the error occurred; the request URI of an ASYNC dispatch's error is left open.
        Map<String, String> page = sees("type", "ERROR", "status_code", "500", "exception_type",
                "class java.lang.RuntimeException", "exception", "java.lang.RuntimeException:kaboom");
        Map<String, String> inRequest = new LinkedHashMap<>(page);
        inRequest.putAll(sees("servlet_name", "s", "request_uri", "/ctx/s"));
        Map<String, String> inAsync = new LinkedHashMap<>(page);
        inAsync.put("servlet_name", "boom");
        List<Case> cases = List.of(
                new Case("request", false, 500, inRequest, List.of(onError, "errorPage:ERROR", "L:onComplete")),
                new Case("async", false, 500, inAsync, List.of("boom:ASYNC", onError, "errorPage:ERROR", "L:onComplete")),
                new Case("request", true, 409, sees("recovered", "true"), List.of(onError, "L:onComplete")),
                new Case("async", true, 409, sees("recovered", "true"), List.of("boom:ASYNC", onError, "L:onComplete")));
        for (Case c : cases) {
            String label = "thrown in the " + c.where() + " dispatch" + (c.listenerRecovers() ? ", recovered" : "");
            List<String> log = new CopyOnWriteArrayList<>();
            WebApp app = new WebApp("/ctx");
            app.addServlet("s", new Fn((req, res) -> {
                AsyncContext ac = req.startAsync();
                Rec l = new Rec("L", log);
                if (c.listenerRecovers()) {
                    l.onError = e -> {
                        HttpServletResponse r = (HttpServletResponse) e.getAsyncContext().getResponse();
                        r.setStatus(409); // not 503: the test client retries those
                        r.getWriter().print("recovered=true\n");
                        e.getAsyncContext().complete();
                    };
                }
                ac.addListener(l);
                if (c.where().equals("request")) {
                    throw new RuntimeException("kaboom");
                }
                ac.dispatch("/boom");
            })).setAsyncSupported(true);
            app.getServletRegistration("s").addMapping("/s");
            app.addServlet("boom", new Fn((req, res) -> {
                log.add("boom:" + req.getDispatcherType());
                throw new RuntimeException("kaboom");
            })).addMapping("/boom");
            app.addServlet("error", errorPage(log)).addMapping("/error");
            app.addErrorPage(500, "/error");
            try (Deployed d = Deployed.start(app)) {
                Deployed.Resp r = d.get("/ctx/s");
                assertEquals(c.status(), r.status(), label + ": " + r.body());
                Map<String, String> got = parse(r.body());
                if (c.where().equals("async")) {
                    got.remove("request_uri");
                }
                assertSees(label, c.body(), got);
                awaitSize(log, c.events().size());
                assertEquals(c.events(), log, label);
            }
        }
    }

    // ---- The response, once ----

    /**
     * However the asynchronous request ends, the response goes out once: the body arrives whole,
     * once, with its framing, onComplete is heard once, and the connection carries the next
     * request.
     */
    @Test
    void theResponseIsFinishedExactlyOnceAndTheConnectionStaysUsable() throws Exception {
        List<String> hows = List.of("service", "start", "thread", "content-length", "flushed", "closed", "dispatch");
        List<String> log = new CopyOnWriteArrayList<>();
        WebApp app = new WebApp("/ctx");
        app.addServlet("once", new Fn((req, res) -> {
            String how = req.getParameter("how");
            AsyncContext ac = req.startAsync();
            ac.addListener(new Rec(how, log));
            res.setContentType("text/plain");
            ServletResponse out = ac.getResponse();
            Runnable writeAndComplete = () -> {
                try {
                    switch (how) {
                        case "flushed" -> out.getWriter().print("load");
                        case "closed" -> {
                            out.getOutputStream().write("payload".getBytes(StandardCharsets.US_ASCII));
                            out.getOutputStream().close();
                        }
                        default -> out.getWriter().print("payload");
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                ac.complete();
            };
            switch (how) {
                case "service", "closed" -> writeAndComplete.run();
                case "start" -> ac.start(writeAndComplete);
                case "thread" -> Thread.ofPlatform().start(writeAndComplete);
                case "content-length" -> {
                    res.setContentLength(7);
                    ac.start(writeAndComplete);
                }
                case "flushed" -> {
                    res.getWriter().print("pay");
                    res.flushBuffer();
                    ac.start(writeAndComplete);
                }
                case "dispatch" -> ac.dispatch("/target");
                default -> throw new ServletException(how);
            }
        })).setAsyncSupported(true);
        app.getServletRegistration("once").addMapping("/once");
        app.addServlet("target", new Fn((req, res) -> res.getWriter().print("payload"))).addMapping("/target");
        app.addServlet("plain", new Fn((req, res) -> res.getWriter().print("plain"))).addMapping("/plain");
        try (Deployed d = Deployed.start(app)) {
            List<Executable> checks = new ArrayList<>();
            for (String how : hows) {
                try (TckWire c = TckWire.open(d.port)) {
                    TckWire.Resp first = c.send("GET /ctx/once?how=" + how + " HTTP/1.1\r\nHost: x\r\n\r\n");
                    TckWire.Resp second = c.send("GET /ctx/plain HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
                    boolean closedAfter = c.closedByServer();
                    checks.add(() -> assertEquals(200, first.status(), how));
                    checks.add(() -> assertEquals("payload", first.body(), how));
                    if (how.equals("content-length")) {
                        checks.add(() -> assertEquals("7", first.header("Content-Length"), how));
                    }
                    if (how.equals("flushed")) {
                        checks.add(() -> assertEquals("chunked", first.header("Transfer-Encoding"), how));
                    }
                    checks.add(() -> assertEquals(200, second.status(), how + ": the next request"));
                    checks.add(() -> assertEquals("plain", second.body(), how + ": the next request"));
                    checks.add(() -> assertTrue(closedAfter, how + ": nothing after the second response"));
                }
            }
            assertAll(checks);
            awaitSize(log, hows.size());
            List<String> expected = new ArrayList<>();
            for (String how : hows) {
                expected.add(how + ":onComplete");
            }
            assertEquals(expected, log);
        }
    }

    // ---- The client goes away ----

    @Test
    void aClientThatDisconnectsDuringTheAsyncWaitReachesOnError() throws Exception {
        List<String> log = new CopyOnWriteArrayList<>();
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch completed = new CountDownLatch(1);
        AtomicReference<Throwable> error = new AtomicReference<>();
        WebApp app = new WebApp("/ctx").setAsyncTimeout(Duration.ofSeconds(20));
        app.addServlet("hang", new Fn((req, res) -> {
            AsyncContext ac = req.startAsync();
            Rec l = new Rec("L", log) {
                @Override
                public void onComplete(AsyncEvent event) {
                    super.onComplete(event);
                    completed.countDown();
                }
            };
            l.onError = e -> error.set(e.getThrowable());
            ac.addListener(l);
            started.countDown();
        })).setAsyncSupported(true);
        app.getServletRegistration("hang").addMapping("/hang");
        try (Deployed d = Deployed.start(app)) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", d.port), 5_000);
                OutputStream out = s.getOutputStream();
                out.write("GET /ctx/hang HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                assertTrue(started.await(5, TimeUnit.SECONDS), "the servlet started async");
            }
            assertTrue(completed.await(5, TimeUnit.SECONDS), "the request completed after the client left: " + log);
            assertEquals(2, log.size(), log.toString());
            assertTrue(log.get(0).startsWith("L:onError:"), log.toString());
            assertEquals("L:onComplete", log.get(1));
            assertTrue(error.get() instanceof IOException, "onError's throwable: " + error.get());
        }
    }
}
