package dev.weft.servlet;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Servlet 6.1 chapter 6, filtering: which filters run for a request or a dispatch, in which order,
 * with which request and response, and when they are created and destroyed.
 */
class FilterTest {

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

    /** The names of the filters a request went through, in order, kept in a request attribute. */
    @SuppressWarnings("unchecked")
    static List<String> trace(ServletRequest req) {
        List<String> t = (List<String>) req.getAttribute("trace");
        if (t == null) {
            t = new ArrayList<>();
            req.setAttribute("trace", t);
        }
        return t;
    }

    /** Adds its name to the request's trace and passes the request on. */
    static final class Tag implements Filter {
        private final String name;

        Tag(String name) {
            this.name = name;
        }

        @Override
        public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
                throws IOException, ServletException {
            trace(req).add(name);
            chain.doFilter(req, res);
        }
    }

    /** Answers with the trace: the filters the request passed through. */
    static final class PrintTrace extends HttpServlet {
        @Override
        protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            resp.setContentType("text/plain");
            resp.getWriter().print(String.join(",", trace(req)));
        }
    }

    /** Logs "name:dispatcherType" into a shared list and passes the request on. */
    static final class LogDispatch implements Filter {
        private final String name;
        private final List<String> log;

        LogDispatch(String name, List<String> log) {
            this.name = name;
            this.log = log;
        }

        @Override
        public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
                throws IOException, ServletException {
            log.add(name + ":" + req.getDispatcherType());
            chain.doFilter(req, res);
        }
    }

    /** Records its life: init with what its FilterConfig says, each doFilter, destroy. */
    static final class LifeFilter implements Filter {
        static final List<String> LOG = new CopyOnWriteArrayList<>();

        @Override
        public void init(FilterConfig config) {
            List<String> names = Collections.list(config.getInitParameterNames());
            Collections.sort(names);
            LOG.add("init " + config.getFilterName() + " color=" + config.getInitParameter("color") + " size="
                    + config.getInitParameter("size") + " missing=" + config.getInitParameter("missing") + " names="
                    + names + " context=" + config.getServletContext().getContextPath());
        }

        @Override
        public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
                throws IOException, ServletException {
            LOG.add("doFilter");
            chain.doFilter(req, res);
        }

        @Override
        public void destroy() {
            LOG.add("destroy");
        }
    }

    /** Upper-cases every parameter and claims an X-Wrapped header. */
    static final class UpperRequest extends HttpServletRequestWrapper {
        UpperRequest(HttpServletRequest req) {
            super(req);
        }

        @Override
        public String getParameter(String name) {
            String v = super.getParameter(name);
            return v == null ? null : v.toUpperCase(Locale.ROOT);
        }

        @Override
        public String getHeader(String name) {
            return name.equalsIgnoreCase("X-Wrapped") ? "yes" : super.getHeader(name);
        }
    }

    /** Puts every header value set through it in brackets. */
    static final class BracketResponse extends HttpServletResponseWrapper {
        BracketResponse(HttpServletResponse res) {
            super(res);
        }

        @Override
        public void setHeader(String name, String value) {
            super.setHeader(name, "[" + value + "]");
        }
    }

    // ---- Order ----

    @Test
    void urlPatternMatchesInDeclarationOrderThenServletNameMatches() throws Exception {
        WebApp app = new WebApp("/f");
        app.addServlet("s", new PrintTrace()).addMapping("/x/*");
        app.addServlet("other", new PrintTrace()).addMapping("/other");
        app.addFilter("byName", new Tag("byName")).addMappingForServletNames(null, false, "s");
        app.addFilter("urlAll", new Tag("urlAll")).addMappingForUrlPatterns(null, false, "/*");
        app.addFilter("byStar", new Tag("byStar")).addMappingForServletNames(null, false, "*");
        app.addFilter("urlX", new Tag("urlX")).addMappingForUrlPatterns(null, false, "/x/*");
        app.addFilter("urlNone", new Tag("urlNone")).addMappingForUrlPatterns(null, false, "/nomatch/*");
        app.addFilter("byOtherName", new Tag("byOtherName")).addMappingForServletNames(null, false, "other");
        try (Deployed d = Deployed.start(app)) {
            Deployed.Resp x = d.get("/f/x/1");
            assertEquals(200, x.status());
            assertEquals("urlAll,urlX,byName,byStar", x.body());
            assertEquals("urlAll,byStar,byOtherName", d.get("/f/other").body());
        }
    }

    @Test
    void isMatchAfterPutsProgrammaticMappingsBehindTheOthers() throws Exception {
        WebApp app = new WebApp("/f");
        app.addServlet("s", new PrintTrace()).addMapping("/s");
        app.addFilter("a", new Tag("a")).addMappingForUrlPatterns(null, true, "/*");
        app.addFilter("b", new Tag("b")).addMappingForUrlPatterns(null, false, "/*");
        app.addFilter("c", new Tag("c")).addMappingForServletNames(null, true, "s");
        app.addFilter("d", new Tag("d")).addMappingForServletNames(null, false, "s");
        app.addFilter("e", new Tag("e")).addMappingForUrlPatterns(null, true, "/s");
        app.addFilter("f", new Tag("f")).addMappingForUrlPatterns(null, false, "/s");
        try (Deployed d = Deployed.start(app)) {
            // url-pattern mappings first: the "before" ones in order, then the "after" ones in
            // order; then the servlet-name mappings, ordered the same way.
            assertEquals("b,f,a,e,d,c", d.get("/f/s").body());
        }
    }

    @Test
    void aFilterMappedTwiceForOneRequestRunsOnce() throws Exception {
        WebApp app = new WebApp("/f");
        app.addServlet("s", new PrintTrace()).addMapping("/s");
        var reg = app.addFilter("twice", new Tag("twice"));
        reg.addMappingForUrlPatterns(null, false, "/*", "/s");
        reg.addMappingForServletNames(null, false, "s");
        try (Deployed d = Deployed.start(app)) {
            assertEquals("twice", d.get("/f/s").body());
        }
        assertEquals(List.of("/*", "/s"), List.copyOf(reg.getUrlPatternMappings()));
        assertEquals(List.of("s"), List.copyOf(reg.getServletNameMappings()));
    }

    // ---- Patterns ----

    @Test
    void urlPatternKinds() throws Exception {
        WebApp app = new WebApp("/f");
        app.addServlet("exact", new PrintTrace()).addMapping("/exact");
        app.addServlet("prefix", new PrintTrace()).addMapping("/p/*");
        app.addServlet("ext", new PrintTrace()).addMapping("*.do");
        app.addServlet("fallback", new PrintTrace()).addMapping("/");
        app.addFilter("all", new Tag("all")).addMappingForUrlPatterns(null, false, "/*");
        app.addFilter("default", new Tag("default")).addMappingForUrlPatterns(null, false, "/");
        app.addFilter("ext", new Tag("ext")).addMappingForUrlPatterns(null, false, "*.do");
        app.addFilter("prefix", new Tag("prefix")).addMappingForUrlPatterns(null, false, "/p/*");
        app.addFilter("exact", new Tag("exact")).addMappingForUrlPatterns(null, false, "/exact");
        app.addFilter("root", new Tag("root")).addMappingForUrlPatterns(null, false, "");
        record Row(String path, String filters) {}
        List<Row> rows = List.of(
                new Row("/f/exact", "all,exact"),
                new Row("/f/exact/more", "all,default"),
                new Row("/f/p", "all,prefix"),
                new Row("/f/p/", "all,prefix"),
                new Row("/f/p/a/b", "all,prefix"),
                new Row("/f/p/x.do", "all,ext,prefix"),
                new Row("/f/px", "all,default"),
                new Row("/f/a.do", "all,ext"),
                new Row("/f/dir/a.do", "all,ext"),
                new Row("/f/a.dox", "all,default"),
                new Row("/f/a.do/b", "all,default"),
                new Row("/f/other", "all,default"),
                new Row("/f/", "all,default,root"));
        try (Deployed d = Deployed.start(app)) {
            List<Executable> checks = new ArrayList<>();
            for (Row row : rows) {
                Deployed.Resp r = d.get(row.path());
                checks.add(() -> assertEquals(200, r.status(), row.path()));
                checks.add(() -> assertEquals(row.filters(), r.body(), row.path()));
            }
            assertAll(checks);
        }
    }

    @Test
    void servletNameStarMatchesEveryServletButNoUnnamedOne() throws Exception {
        WebApp app = new WebApp("/f");
        app.addServlet("one", new PrintTrace()).addMapping("/one");
        app.addServlet("two", new PrintTrace()).addMapping("/two/*");
        app.addFilter("star", new Tag("star")).addMappingForServletNames(null, false, "*");
        app.addFilter("onlyOne", new Tag("onlyOne")).addMappingForServletNames(null, false, "one");
        try (Deployed d = Deployed.start(app)) {
            assertEquals("star,onlyOne", d.get("/f/one").body());
            assertEquals("star", d.get("/f/two/x").body());
        }
    }

    // ---- Dispatcher types ----

    @Test
    void filtersRunOnlyForTheDispatcherTypesTheyAreMappedFor() throws Exception {
        List<String> log = new CopyOnWriteArrayList<>();
        WebApp app = new WebApp("/f");
        app.addServlet("dst", new Fn((req, res) -> res.getWriter().print("dst " + req.getDispatcherType())))
                .addMapping("/dst");
        app.addServlet("fwd", new Fn((req, res) -> req.getRequestDispatcher("/dst").forward(req, res)))
                .addMapping("/fwd");
        app.addServlet("inc", new Fn((req, res) -> req.getRequestDispatcher("/dst").include(req, res)))
                .addMapping("/inc");
        app.addServlet("err", new Fn((req, res) -> res.sendError(404))).addMapping("/err");
        app.addErrorPage(404, "/dst");
        app.addFilter("dflt", new LogDispatch("dflt", log)).addMappingForUrlPatterns(null, false, "/dst");
        app.addFilter("empty", new LogDispatch("empty", log))
                .addMappingForUrlPatterns(EnumSet.noneOf(DispatcherType.class), false, "/dst");
        app.addFilter("req", new LogDispatch("req", log))
                .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, "/dst");
        app.addFilter("fwd", new LogDispatch("fwd", log))
                .addMappingForUrlPatterns(EnumSet.of(DispatcherType.FORWARD), false, "/dst");
        app.addFilter("inc", new LogDispatch("inc", log))
                .addMappingForUrlPatterns(EnumSet.of(DispatcherType.INCLUDE), false, "/dst");
        app.addFilter("err", new LogDispatch("err", log))
                .addMappingForUrlPatterns(EnumSet.of(DispatcherType.ERROR), false, "/dst");
        app.addFilter("fwdInc", new LogDispatch("fwdInc", log))
                .addMappingForServletNames(EnumSet.of(DispatcherType.FORWARD, DispatcherType.INCLUDE), false, "dst");
        app.addFilter("all", new LogDispatch("all", log)).addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST,
                DispatcherType.FORWARD, DispatcherType.INCLUDE, DispatcherType.ERROR), false, "/dst");
        record Row(String path, int status, String body, List<String> filters) {}
        List<Row> rows = List.of(
                new Row("/f/dst", 200, "dst REQUEST", List.of("dflt:REQUEST", "empty:REQUEST", "req:REQUEST", "all:REQUEST")),
                new Row("/f/fwd", 200, "dst FORWARD", List.of("fwd:FORWARD", "all:FORWARD", "fwdInc:FORWARD")),
                new Row("/f/inc", 200, "dst INCLUDE", List.of("inc:INCLUDE", "all:INCLUDE", "fwdInc:INCLUDE")),
                new Row("/f/err", 404, "dst ERROR", List.of("err:ERROR", "all:ERROR")));
        try (Deployed d = Deployed.start(app)) {
            List<Executable> checks = new ArrayList<>();
            for (Row row : rows) {
                log.clear();
                Deployed.Resp r = d.get(row.path());
                List<String> seen = List.copyOf(log);
                checks.add(() -> assertEquals(row.status(), r.status(), row.path()));
                checks.add(() -> assertEquals(row.body(), r.body(), row.path()));
                checks.add(() -> assertEquals(row.filters(), seen, row.path()));
            }
            assertAll(checks);
        }
    }

    @Test
    void aNamedDispatchRunsOnlyServletNameFilters() throws Exception {
        List<String> log = new CopyOnWriteArrayList<>();
        WebApp app = new WebApp("/f");
        app.addServlet("dst", new Fn((req, res) -> res.getWriter().print("dst"))).addMapping("/dst");
        app.addServlet("src", new Fn((req, res) -> req.getServletContext().getNamedDispatcher("dst").forward(req, res)))
                .addMapping("/src");
        app.addFilter("byUrl", new LogDispatch("byUrl", log))
                .addMappingForUrlPatterns(EnumSet.of(DispatcherType.FORWARD), false, "/*");
        app.addFilter("byName", new LogDispatch("byName", log))
                .addMappingForServletNames(EnumSet.of(DispatcherType.FORWARD), false, "dst");
        try (Deployed d = Deployed.start(app)) {
            Deployed.Resp r = d.get("/f/src");
            assertEquals("dst", r.body());
            assertEquals(List.of("byName:FORWARD"), log);
        }
    }

    // ---- Life cycle and configuration ----

    @Test
    void filtersAreInitialisedAtStartupWithTheirConfigAndDestroyedAtStop() throws Exception {
        LifeFilter.LOG.clear();
        WebApp app = new WebApp("/life");
        app.addServlet("s", new Fn((req, res) -> res.getWriter().print("ok"))).addMapping("/s");
        var reg = app.addFilter("life", LifeFilter.class);
        assertTrue(reg.setInitParameter("color", "red"));
        assertFalse(reg.setInitParameter("color", "blue"), "an existing init parameter is not replaced");
        assertEquals(Set.of("color"), reg.setInitParameters(Map.of("color", "green", "size", "9")));
        assertEquals(Set.of(), reg.setInitParameters(Map.of("size", "9")));
        reg.addMappingForUrlPatterns(null, false, "/*");
        assertEquals(Map.of("color", "red", "size", "9"), reg.getInitParameters());
        assertEquals(LifeFilter.class.getName(), reg.getClassName());
        assertTrue(LifeFilter.LOG.isEmpty(), "nothing happens before the application starts");
        Deployed d = Deployed.start(app);
        try {
            // Created and initialised when the application starts, before any request.
            assertEquals(List.of("init life color=red size=9 missing=null names=[color, size] context=/life"),
                    LifeFilter.LOG);
            assertEquals("ok", d.get("/life/s").body());
            assertEquals("ok", d.get("/life/s").body());
            assertEquals(3, LifeFilter.LOG.size(), "one instance, initialised once: " + LifeFilter.LOG);
        } finally {
            d.close();
        }
        assertEquals(List.of("init life color=red size=9 missing=null names=[color, size] context=/life",
                "doFilter", "doFilter", "destroy"), LifeFilter.LOG);
    }

    @Test
    void aFilterWhoseInitFailsStopsTheApplicationFromStarting() throws Exception {
        List<String> log = new CopyOnWriteArrayList<>();
        WebApp app = new WebApp("/f");
        app.addListener(new jakarta.servlet.ServletContextListener() {
            @Override
            public void contextDestroyed(jakarta.servlet.ServletContextEvent sce) {
                log.add("contextDestroyed");
            }
        });
        app.addFilter("good", new Filter() {
            @Override
            public void init(FilterConfig config) {
                log.add("init good");
            }

            @Override
            public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) {
            }

            @Override
            public void destroy() {
                log.add("destroy good");
            }
        });
        app.addFilter("bad", new Filter() {
            @Override
            public void init(FilterConfig config) throws ServletException {
                log.add("init bad");
                throw new ServletException("cannot work");
            }

            @Override
            public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) {
            }

            @Override
            public void destroy() {
                log.add("destroy bad");
            }
        });
        app.addServlet("s", new PrintTrace()).addMapping("/s");
        ServletHandler handler = new ServletHandler();
        ServletException e = assertThrows(ServletException.class, () -> handler.deploy(app));
        assertTrue(e.getMessage().contains("cannot work") || String.valueOf(e.getCause()).contains("cannot work"),
                e.toString());
        assertFalse(app.isStarted());
        assertEquals(List.of(), handler.apps());
        // What was initialised is destroyed again; the filter whose init failed is not.
        assertEquals(List.of("init good", "init bad", "destroy good", "contextDestroyed"), log);
    }

    @Test
    void filtersCannotBeAddedOrMappedOnceTheApplicationIsInitialised() throws Exception {
        WebApp app = new WebApp("/f");
        var reg = app.addFilter("late", new Tag("late"));
        app.addServlet("s", new Fn((req, res) -> {
            String outcome;
            try {
                req.getServletContext().addFilter("more", new Tag("more"));
                outcome = "added";
            } catch (IllegalStateException e) {
                outcome = "IllegalStateException";
            }
            res.getWriter().print(outcome);
        })).addMapping("/s");
        try (Deployed d = Deployed.start(app)) {
            assertEquals("IllegalStateException", d.get("/f/s").body());
            assertThrows(IllegalStateException.class, () -> app.addFilter("x", new Tag("x")));
            assertThrows(IllegalStateException.class, () -> reg.addMappingForUrlPatterns(null, false, "/*"));
            assertThrows(IllegalStateException.class, () -> reg.setInitParameter("a", "b"));
        }
    }

    @Test
    void invalidMappingArgumentsAreRefused() {
        WebApp app = new WebApp("/f");
        var reg = app.addFilter("f", new Tag("f"));
        assertThrows(IllegalArgumentException.class, () -> reg.addMappingForUrlPatterns(null, false));
        assertThrows(IllegalArgumentException.class, () -> reg.addMappingForServletNames(null, false));
        assertThrows(IllegalArgumentException.class, () -> reg.addMappingForUrlPatterns(null, false, "/a/*/b"));
        assertThrows(IllegalArgumentException.class, () -> reg.addMappingForUrlPatterns(null, false, "noslash"));
        assertThrows(IllegalArgumentException.class, () -> app.addFilter("", new Tag("empty")));
    }

    @Test
    void addingAFilterOrServletUnderATakenNameGivesNull() {
        // ServletContext.addFilter/addServlet: "null if this ServletContext already contains a
        // complete FilterRegistration (ServletRegistration) for a filter (servlet) with the given name".
        WebApp app = new WebApp("/f");
        app.addFilter("f", new Tag("f"));
        app.addServlet("s", new PrintTrace());
        assertAll(
                () -> assertEquals(null, app.addFilter("f", new Tag("again"))),
                () -> assertEquals(null, app.addFilter("f", Tag.class.getName())),
                () -> assertEquals(null, app.addFilter("f", LifeFilter.class)),
                () -> assertEquals(null, app.addServlet("s", new PrintTrace())),
                () -> assertEquals(null, app.addServlet("s", PrintTrace.class.getName())),
                () -> assertEquals(null, app.addServlet("s", PrintTrace.class)));
    }

    // ---- What filters do to the chain ----

    @Test
    void aFilterThatDoesNotCallTheChainShortCircuitsIt() throws Exception {
        AtomicInteger served = new AtomicInteger();
        AtomicInteger later = new AtomicInteger();
        WebApp app = new WebApp("/f");
        app.addServlet("s", new Fn((req, res) -> {
            served.incrementAndGet();
            res.getWriter().print("served");
        })).addMapping("/s");
        app.addFilter("gate", new Filter() {
            @Override
            public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
                    throws IOException, ServletException {
                if (req.getParameter("deny") != null) {
                    HttpServletResponse r = (HttpServletResponse) res;
                    r.setStatus(403);
                    r.setHeader("X-Gate", "closed");
                    r.setContentType("text/plain");
                    r.getWriter().print("denied");
                    return;
                }
                chain.doFilter(req, res);
            }
        }).addMappingForUrlPatterns(null, false, "/*");
        app.addFilter("later", new Filter() {
            @Override
            public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
                    throws IOException, ServletException {
                later.incrementAndGet();
                chain.doFilter(req, res);
            }
        }).addMappingForUrlPatterns(null, false, "/*");
        try (Deployed d = Deployed.start(app)) {
            Deployed.Resp denied = d.get("/f/s?deny=1");
            assertEquals(403, denied.status());
            assertEquals("denied", denied.body());
            assertEquals("closed", denied.header("X-Gate"));
            assertEquals(0, served.get());
            assertEquals(0, later.get());

            Deployed.Resp ok = d.get("/f/s");
            assertEquals(200, ok.status());
            assertEquals("served", ok.body());
            assertEquals(1, served.get());
            assertEquals(1, later.get());
        }
    }

    @Test
    void wrappersPassedDownTheChainAreWhatTheServletReceives() throws Exception {
        WebApp app = new WebApp("/f");
        app.addFilter("wrap", new Filter() {
            @Override
            public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
                    throws IOException, ServletException {
                UpperRequest wreq = new UpperRequest((HttpServletRequest) req);
                BracketResponse wres = new BracketResponse((HttpServletResponse) res);
                req.setAttribute("wreq", wreq);
                req.setAttribute("wres", wres);
                chain.doFilter(wreq, wres);
            }
        }).addMappingForUrlPatterns(null, false, "/*");
        app.addFilter("check", new Filter() {
            @Override
            public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
                    throws IOException, ServletException {
                boolean same = req == req.getAttribute("wreq") && res == req.getAttribute("wres");
                req.setAttribute("secondFilterSawWrappers", same);
                chain.doFilter(req, res);
            }
        }).addMappingForUrlPatterns(null, false, "/*");
        app.addServlet("s", new Fn((req, res) -> {
            res.setHeader("X-Out", "v");
            res.setContentType("text/plain");
            res.getWriter().print("sameRequest=" + (req == req.getAttribute("wreq"))
                    + " sameResponse=" + (res == req.getAttribute("wres"))
                    + " secondFilter=" + req.getAttribute("secondFilterSawWrappers")
                    + " q=" + req.getParameter("q")
                    + " wrappedHeader=" + req.getHeader("X-Wrapped")
                    + " servletPath=" + req.getServletPath());
        })).addMapping("/s");
        try (Deployed d = Deployed.start(app)) {
            Deployed.Resp r = d.get("/f/s?q=hello");
            assertEquals(200, r.status());
            assertEquals("sameRequest=true sameResponse=true secondFilter=true q=HELLO wrappedHeader=yes servletPath=/s",
                    r.body());
            assertEquals("[v]", r.header("X-Out"));
        }
    }

    @Test
    void aFilterSeesTheResponseAfterTheServletAndCanAddToIt() throws Exception {
        WebApp app = new WebApp("/f");
        app.addFilter("around", new Filter() {
            @Override
            public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
                    throws IOException, ServletException {
                res.getWriter().print("<");
                chain.doFilter(req, res);
                res.getWriter().print(">");
            }
        }).addMappingForUrlPatterns(null, false, "/*");
        app.addServlet("s", new Fn((req, res) -> res.getWriter().print("body"))).addMapping("/s");
        try (Deployed d = Deployed.start(app)) {
            assertEquals("<body>", d.get("/f/s").body());
        }
    }

    @Test
    void filtersRunForTheDefaultServletToo() throws Exception {
        WebApp app = new WebApp("/f");
        app.addFilter("header", new Filter() {
            @Override
            public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
                    throws IOException, ServletException {
                ((HttpServletResponse) res).setHeader("X-Filter", "ran");
                chain.doFilter(req, res);
            }
        }).addMappingForServletNames(null, false, WebApp.DEFAULT_SERVLET_NAME);
        try (Deployed d = Deployed.start(app)) {
            Deployed.Resp r = d.get("/f/no-such-file.txt");
            assertEquals(404, r.status());
            assertEquals("ran", r.header("X-Filter"));
        }
    }
}
