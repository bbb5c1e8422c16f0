package dev.weft.servlet;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletConfig;
import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextAttributeEvent;
import jakarta.servlet.ServletContextAttributeListener;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestAttributeEvent;
import jakarta.servlet.ServletRequestAttributeListener;
import jakarta.servlet.ServletRequestEvent;
import jakarta.servlet.ServletRequestListener;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import jakarta.servlet.http.HttpSessionActivationListener;
import jakarta.servlet.http.HttpSessionAttributeListener;
import jakarta.servlet.http.HttpSessionBindingEvent;
import jakarta.servlet.http.HttpSessionBindingListener;
import jakarta.servlet.http.HttpSessionEvent;
import jakarta.servlet.http.HttpSessionIdListener;
import jakarta.servlet.http.HttpSessionListener;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EventListener;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Servlet 6.1 chapter 11 (and 4.4, 8): every kind of listener, and the exact order of the events
 * of an application's life, its requests and its sessions.
 */
class ListenerTest {
    /** What happened, in order; cleared before each test. */
    static final List<String> LOG = new CopyOnWriteArrayList<>();

    @BeforeEach
    void clearLog() {
        LOG.clear();
    }

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

    static final class Ctx implements ServletContextListener {
        private final String name;

        Ctx(String name) {
            this.name = name;
        }

        @Override
        public void contextInitialized(ServletContextEvent sce) {
            LOG.add("contextInitialized " + name);
        }

        @Override
        public void contextDestroyed(ServletContextEvent sce) {
            LOG.add("contextDestroyed " + name);
        }
    }

    /** Registered by class name: needs a no-argument constructor. */
    public static final class NamedCtx implements ServletContextListener {
        @Override
        public void contextInitialized(ServletContextEvent sce) {
            LOG.add("contextInitialized NamedCtx");
        }
    }

    static final class LifeFilter implements Filter {
        private final String name;

        LifeFilter(String name) {
            this.name = name;
        }

        @Override
        public void init(FilterConfig config) {
            LOG.add("filter init " + name);
        }

        @Override
        public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
                throws IOException, ServletException {
            LOG.add("filter " + name);
            chain.doFilter(req, res);
        }

        @Override
        public void destroy() {
            LOG.add("filter destroy " + name);
        }
    }

    static final class LifeServlet extends HttpServlet {
        private final String name;

        LifeServlet(String name) {
            this.name = name;
        }

        @Override
        public void init(ServletConfig config) throws ServletException {
            super.init(config);
            LOG.add("servlet init " + name);
        }

        @Override
        protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            LOG.add("servlet " + name);
            resp.getWriter().print(name);
        }

        @Override
        public void destroy() {
            LOG.add("servlet destroy " + name);
        }
    }

    // ---- The application's life ----

    @Test
    void startupAndShutdownHappenInTheSpecifiedOrder() throws Exception {
        WebApp app = new WebApp("/ctx");
        app.addListener(new Ctx("L1"));
        app.addListener(new Ctx("L2"));
        app.addServletContainerInitializer((classes, ctx) -> {
            LOG.add("initializer " + classes);
            ctx.addListener(new Ctx("fromInitializer"));
        }, Set.of(String.class));
        app.addFilter("F1", new LifeFilter("F1")).addMappingForUrlPatterns(null, false, "/*");
        app.addFilter("F2", new LifeFilter("F2")).addMappingForUrlPatterns(null, false, "/*");
        app.addServlet("s1", new LifeServlet("s1")).setLoadOnStartup(1);
        app.addServlet("s2", new LifeServlet("s2")).setLoadOnStartup(0);
        app.addServlet("s3", new LifeServlet("s3")).setLoadOnStartup(-1);
        app.addServlet("s4", new LifeServlet("s4")).setLoadOnStartup(1);
        app.addServlet("s5", new LifeServlet("s5")).addMapping("/s5");
        app.addServlet("s6", new LifeServlet("s6")).setLoadOnStartup(2);
        Deployed d = Deployed.start(app);
        try {
            assertEquals(List.of(
                    "initializer [class java.lang.String]",
                    "contextInitialized L1",
                    "contextInitialized L2",
                    "contextInitialized fromInitializer",
                    "filter init F1",
                    "filter init F2",
                    "servlet init s2",
                    "servlet init s1",
                    "servlet init s4",
                    "servlet init s6"), LOG);
            LOG.clear();
            assertEquals("s5", d.get("/ctx/s5").body());
            assertEquals(List.of("filter F1", "filter F2", "servlet init s5", "servlet s5"), LOG);
            LOG.clear();
        } finally {
            d.close();
        }
        // Servlets (in reverse order of initialisation), then filters, then the context
        // listeners, each in reverse order; s3 was never initialised, so is not destroyed.
        assertEquals(List.of(
                "servlet destroy s5",
                "servlet destroy s6",
                "servlet destroy s4",
                "servlet destroy s1",
                "servlet destroy s2",
                "filter destroy F2",
                "filter destroy F1",
                "contextDestroyed fromInitializer",
                "contextDestroyed L2",
                "contextDestroyed L1"), LOG);
    }

    @Test
    void loadOnStartupOrderIsAscendingWithTiesInRegistrationOrder() throws Exception {
        record Row(String name, Integer load) {}
        List<Row> rows = List.of(new Row("a", 3), new Row("b", -1), new Row("c", 0), new Row("d", 3), new Row("e", 1),
                new Row("f", null), new Row("g", -5), new Row("h", 0), new Row("i", Integer.MAX_VALUE));
        WebApp app = new WebApp("/ctx");
        for (Row row : rows) {
            var reg = app.addServlet(row.name(), new LifeServlet(row.name()));
            reg.addMapping("/" + row.name());
            if (row.load() != null) {
                reg.setLoadOnStartup(row.load());
            }
        }
        try (Deployed d = Deployed.start(app)) {
            assertEquals(List.of("servlet init c", "servlet init h", "servlet init e", "servlet init a",
                    "servlet init d", "servlet init i"), LOG);
            LOG.clear();
            // Negative or no value: initialised by the first request, once.
            d.get("/ctx/g");
            d.get("/ctx/g");
            d.get("/ctx/b");
            assertEquals(List.of("servlet init g", "servlet g", "servlet g", "servlet init b", "servlet b"), LOG);
        }
    }

    @Test
    void anInitializerRunsFirstAndMayAddAContextListenerButAContextListenerMayNot() throws Exception {
        List<String> outcomes = new CopyOnWriteArrayList<>();
        WebApp app = new WebApp("/ctx");
        app.addListener(new ServletContextListener() {
            @Override
            public void contextInitialized(ServletContextEvent sce) {
                LOG.add("contextInitialized declared");
                ServletContext ctx = sce.getServletContext();
                List<Executable> attempts = List.of(
                        () -> ctx.addListener(new Ctx("fromListener")),
                        () -> ctx.addListener(NamedCtx.class),
                        () -> ctx.addListener(NamedCtx.class.getName()));
                for (Executable attempt : attempts) {
                    try {
                        attempt.execute();
                        outcomes.add("added");
                    } catch (IllegalArgumentException e) {
                        outcomes.add("IllegalArgumentException");
                    } catch (Throwable t) {
                        outcomes.add(t.toString());
                    }
                }
                // Other kinds of listener may still be added.
                ctx.addListener(new ServletRequestListener() {
                    @Override
                    public void requestInitialized(ServletRequestEvent sre) {
                        LOG.add("requestInitialized fromListener");
                    }
                });
            }
        });
        app.addServletContainerInitializer(new ServletContainerInitializer() {
            @Override
            public void onStartup(Set<Class<?>> classes, ServletContext ctx) {
                LOG.add("initializer classes=" + classes);
                ctx.addListener(NamedCtx.class.getName());
                ctx.addServlet("fromInitializer", new LifeServlet("fromInitializer")).addMapping("/i");
            }
        }, null);
        try (Deployed d = Deployed.start(app)) {
            assertEquals(List.of("initializer classes=null", "contextInitialized declared", "contextInitialized NamedCtx"),
                    LOG);
            assertEquals(List.of("IllegalArgumentException", "IllegalArgumentException", "IllegalArgumentException"),
                    outcomes);
            LOG.clear();
            assertEquals("fromInitializer", d.get("/ctx/i").body());
            assertEquals("requestInitialized fromListener", LOG.get(0));
        }
    }

    @Test
    void addListenerAcceptsTheListenerKindsAndRefusesOthers() throws Exception {
        record Row(String kind, EventListener listener, boolean accepted) {}
        List<Row> rows = List.of(
                new Row("ServletContextListener", new ServletContextListener() { }, true),
                new Row("ServletContextAttributeListener", new ServletContextAttributeListener() { }, true),
                new Row("ServletRequestListener", new ServletRequestListener() { }, true),
                new Row("ServletRequestAttributeListener", new ServletRequestAttributeListener() { }, true),
                new Row("HttpSessionListener", new HttpSessionListener() { }, true),
                new Row("HttpSessionAttributeListener", new HttpSessionAttributeListener() { }, true),
                new Row("HttpSessionIdListener", (HttpSessionIdListener) (e, old) -> { }, true),
                new Row("EventListener", new EventListener() { }, false),
                new Row("HttpSessionBindingListener", new HttpSessionBindingListener() { }, false),
                new Row("HttpSessionActivationListener", new HttpSessionActivationListener() { }, false),
                new Row("AsyncListener", new AsyncListener() {
                    @Override
                    public void onComplete(AsyncEvent event) { }

                    @Override
                    public void onTimeout(AsyncEvent event) { }

                    @Override
                    public void onError(AsyncEvent event) { }

                    @Override
                    public void onStartAsync(AsyncEvent event) { }
                }, false));
        WebApp app = new WebApp("/ctx");
        List<Executable> checks = new ArrayList<>();
        for (Row row : rows) {
            if (row.accepted()) {
                checks.add(() -> app.addListener(row.listener()));
            } else {
                checks.add(() -> assertThrows(IllegalArgumentException.class, () -> app.addListener(row.listener()),
                        row.kind()));
            }
        }
        checks.add(() -> assertThrows(IllegalArgumentException.class, () -> app.addListener(String.class.getName()),
                "a class that is no listener"));
        checks.add(() -> assertThrows(IllegalArgumentException.class, () -> app.addListener("no.such.Listener"),
                "a class that does not exist"));
        assertAll(checks);
        try (Deployed d = Deployed.start(app)) {
            assertEquals(List.of(app), d.handler.apps());
            assertThrows(IllegalStateException.class, () -> app.addListener(new ServletRequestListener() { }));
            assertThrows(IllegalStateException.class, () -> app.addListener(NamedCtx.class));
        }
    }

    // ---- Context attributes ----

    @Test
    void contextAttributeEvents() throws Exception {
        WebApp app = new WebApp("/ctx");
        app.addListener(new ServletContextAttributeListener() {
            private void log(String what, ServletContextAttributeEvent e) {
                if (e.getName().startsWith("test.")) {
                    LOG.add(what + " " + e.getName() + "=" + e.getValue() + " same=" + (e.getServletContext() == app)
                            + " now=" + e.getServletContext().getAttribute(e.getName()));
                }
            }

            @Override
            public void attributeAdded(ServletContextAttributeEvent e) {
                log("added", e);
            }

            @Override
            public void attributeReplaced(ServletContextAttributeEvent e) {
                log("replaced", e);
            }

            @Override
            public void attributeRemoved(ServletContextAttributeEvent e) {
                log("removed", e);
            }
        });
        app.addServlet("s", new Fn((req, res) -> {
            ServletContext c = req.getServletContext();
            c.setAttribute("test.a", "1");
            c.setAttribute("test.a", "2");
            c.removeAttribute("test.a");
            c.removeAttribute("test.a"); // nothing there: no event
            c.setAttribute("test.b", "x");
            c.setAttribute("test.b", null); // same as removeAttribute
        })).addMapping("/s");
        try (Deployed d = Deployed.start(app)) {
            d.get("/ctx/s");
            assertEquals(List.of(
                    "added test.a=1 same=true now=1",
                    "replaced test.a=1 same=true now=2",
                    "removed test.a=2 same=true now=null",
                    "added test.b=x same=true now=x",
                    "removed test.b=x same=true now=null"), LOG);
        }
    }

    // ---- Requests ----

    static final class Req implements ServletRequestListener {
        private final String name;
        private final CountDownLatch destroyed;

        Req(String name, CountDownLatch destroyed) {
            this.name = name;
            this.destroyed = destroyed;
        }

        @Override
        public void requestInitialized(ServletRequestEvent sre) {
            LOG.add("requestInitialized " + name + " " + ((HttpServletRequest) sre.getServletRequest()).getRequestURI());
        }

        @Override
        public void requestDestroyed(ServletRequestEvent sre) {
            LOG.add("requestDestroyed " + name);
            destroyed.countDown();
        }
    }

    @Test
    void requestEventsSurroundTheFiltersAndServletOncePerRequest() throws Exception {
        CountDownLatch destroyed = new CountDownLatch(2);
        WebApp app = new WebApp("/ctx");
        app.addListener(new Req("R1", destroyed));
        app.addListener(new Req("R2", destroyed));
        app.addFilter("F", new LifeFilter("F")).addMappingForUrlPatterns(null, false, "/*");
        app.addServlet("target", new LifeServlet("target")).addMapping("/target");
        app.addServlet("src", new Fn((req, res) -> {
            LOG.add("servlet src, same request: " + (req == req.getAttribute("seen")));
            req.getRequestDispatcher("/target").forward(req, res);
        })).addMapping("/src");
        app.addListener(new ServletRequestListener() {
            @Override
            public void requestInitialized(ServletRequestEvent sre) {
                sre.getServletRequest().setAttribute("seen", sre.getServletRequest());
                LOG.add("requestInitialized R3 context=" + (sre.getServletContext() == app));
            }
        });
        try (Deployed d = Deployed.start(app)) {
            assertEquals(List.of("filter init F"), LOG);
            LOG.clear();
            assertEquals("target", d.get("/ctx/src").body());
            assertTrue(destroyed.await(2, TimeUnit.SECONDS));
            assertEquals(List.of(
                    "requestInitialized R1 /ctx/src",
                    "requestInitialized R2 /ctx/src",
                    "requestInitialized R3 context=true",
                    "filter F",
                    "servlet src, same request: true",
                    "servlet init target",
                    "servlet target",
                    "requestDestroyed R2",
                    "requestDestroyed R1"), LOG);
        }
    }

    @Test
    void requestEventsAlsoSurroundAFailedRequestAndItsErrorPage() throws Exception {
        CountDownLatch destroyed = new CountDownLatch(1);
        WebApp app = new WebApp("/ctx");
        app.addListener(new Req("R", destroyed));
        app.addServlet("boom", new Fn((req, res) -> {
            LOG.add("servlet boom");
            throw new IllegalStateException("boom");
        })).addMapping("/boom");
        app.addServlet("page", new Fn((req, res) -> {
            LOG.add("error page " + req.getDispatcherType());
            res.getWriter().print("sorry");
        })).addMapping("/page");
        app.addErrorPage(500, "/page");
        try (Deployed d = Deployed.start(app)) {
            Deployed.Resp r = d.get("/ctx/boom");
            assertEquals(500, r.status());
            assertEquals("sorry", r.body());
            assertTrue(destroyed.await(2, TimeUnit.SECONDS));
            assertEquals(List.of("requestInitialized R /ctx/boom", "servlet boom", "error page ERROR", "requestDestroyed R"),
                    LOG);
        }
    }

    @Test
    void requestAttributeEvents() throws Exception {
        WebApp app = new WebApp("/ctx");
        app.addListener(new ServletRequestAttributeListener() {
            private void log(String what, ServletRequestAttributeEvent e) {
                if (e.getName().startsWith("test.")) {
                    LOG.add(what + " " + e.getName() + "=" + e.getValue() + " now="
                            + e.getServletRequest().getAttribute(e.getName()) + " context="
                            + (e.getServletContext() == app));
                }
            }

            @Override
            public void attributeAdded(ServletRequestAttributeEvent e) {
                log("added", e);
            }

            @Override
            public void attributeReplaced(ServletRequestAttributeEvent e) {
                log("replaced", e);
            }

            @Override
            public void attributeRemoved(ServletRequestAttributeEvent e) {
                log("removed", e);
            }
        });
        app.addServlet("s", new Fn((req, res) -> {
            req.setAttribute("test.a", "1");
            req.setAttribute("test.a", "2");
            req.removeAttribute("test.a");
            req.removeAttribute("test.a");
            req.setAttribute("test.b", "x");
            req.setAttribute("test.b", null);
        })).addMapping("/s");
        try (Deployed d = Deployed.start(app)) {
            d.get("/ctx/s");
            assertEquals(List.of(
                    "added test.a=1 now=1 context=true",
                    "replaced test.a=1 now=2 context=true",
                    "removed test.a=2 now=null context=true",
                    "added test.b=x now=x context=true",
                    "removed test.b=x now=null context=true"), LOG);
        }
    }

    // ---- Sessions ----

    /** Logs binding events, with what getAttribute says at that moment. */
    static final class Bound implements HttpSessionBindingListener {
        private final String name;

        Bound(String name) {
            this.name = name;
        }

        private static String current(HttpSessionBindingEvent e) {
            try {
                return String.valueOf(e.getSession().getAttribute(e.getName()));
            } catch (IllegalStateException invalidated) {
                return "(invalidated)";
            }
        }

        @Override
        public void valueBound(HttpSessionBindingEvent e) {
            LOG.add("valueBound " + name + " as " + e.getName() + " value=" + e.getValue() + " now=" + current(e));
        }

        @Override
        public void valueUnbound(HttpSessionBindingEvent e) {
            LOG.add("valueUnbound " + name + " as " + e.getName() + " value=" + e.getValue() + " now=" + current(e));
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static final class SessionEvents implements HttpSessionListener, HttpSessionAttributeListener, HttpSessionIdListener {
        @Override
        public void sessionCreated(HttpSessionEvent se) {
            LOG.add("sessionCreated new=" + se.getSession().isNew());
        }

        @Override
        public void sessionDestroyed(HttpSessionEvent se) {
            LOG.add("sessionDestroyed a=" + se.getSession().getAttribute("a"));
        }

        @Override
        public void attributeAdded(HttpSessionBindingEvent e) {
            LOG.add("attributeAdded " + e.getName() + "=" + e.getValue());
        }

        @Override
        public void attributeReplaced(HttpSessionBindingEvent e) {
            LOG.add("attributeReplaced " + e.getName() + "=" + e.getValue() + " now=" + e.getSession().getAttribute(e.getName()));
        }

        @Override
        public void attributeRemoved(HttpSessionBindingEvent e) {
            LOG.add("attributeRemoved " + e.getName() + "=" + e.getValue());
        }

        @Override
        public void sessionIdChanged(HttpSessionEvent event, String oldSessionId) {
            LOG.add("sessionIdChanged " + (event.getSession().getId().equals(oldSessionId) ? "same" : "new id"));
        }
    }

    @Test
    void sessionAttributeAndBindingEventsInOrder() throws Exception {
        WebApp app = new WebApp("/ctx");
        app.addListener(new SessionEvents());
        app.addServlet("s", new Fn((req, res) -> {
            HttpSession s = req.getSession();
            LOG.add("-- set a");
            s.setAttribute("a", new Bound("b1"));
            LOG.add("-- replace a with another binding listener");
            s.setAttribute("a", new Bound("b2"));
            LOG.add("-- replace a with a plain value");
            s.setAttribute("a", "plain");
            LOG.add("-- set and remove c");
            s.setAttribute("c", new Bound("b3"));
            s.removeAttribute("c");
            LOG.add("-- set d, then set it to null");
            s.setAttribute("d", new Bound("b4"));
            s.setAttribute("d", null);
            LOG.add("-- remove what is not there");
            s.removeAttribute("nothing");
            LOG.add("-- change the id");
            req.changeSessionId();
        })).addMapping("/s");
        try (Deployed d = Deployed.start(app)) {
            d.get("/ctx/s");
            assertEquals(List.of(
                    "sessionCreated new=true",
                    "-- set a",
                    "valueBound b1 as a value=b1 now=null",
                    "attributeAdded a=b1",
                    "-- replace a with another binding listener",
                    "valueBound b2 as a value=b2 now=b1",
                    "valueUnbound b1 as a value=b1 now=b2",
                    "attributeReplaced a=b1 now=b2",
                    "-- replace a with a plain value",
                    "valueUnbound b2 as a value=b2 now=plain",
                    "attributeReplaced a=b2 now=plain",
                    "-- set and remove c",
                    "valueBound b3 as c value=b3 now=null",
                    "attributeAdded c=b3",
                    "valueUnbound b3 as c value=b3 now=null",
                    "attributeRemoved c=b3",
                    "-- set d, then set it to null",
                    "valueBound b4 as d value=b4 now=null",
                    "attributeAdded d=b4",
                    "valueUnbound b4 as d value=b4 now=null",
                    "attributeRemoved d=b4",
                    "-- remove what is not there",
                    "-- change the id",
                    "sessionIdChanged new id"), LOG);
        }
    }

    @Test
    void invalidationTellsTheSessionListenersFirstThenUnbindsEachAttribute() throws Exception {
        WebApp app = new WebApp("/ctx");
        app.addListener(new SessionEvents());
        app.addListener(new HttpSessionListener() {
            @Override
            public void sessionDestroyed(HttpSessionEvent se) {
                LOG.add("sessionDestroyed second listener");
            }
        });
        app.addServlet("s", new Fn((req, res) -> {
            HttpSession s = req.getSession();
            s.setAttribute("a", "plain");
            s.setAttribute("e", new Bound("b5"));
            LOG.clear();
            s.invalidate();
            LOG.add("-- invalidated");
        })).addMapping("/s");
        try (Deployed d = Deployed.start(app)) {
            d.get("/ctx/s");
            // Session listeners (in reverse order) while the attributes are still there, then one
            // unbinding per attribute, in no particular order.
            assertEquals(List.of("sessionDestroyed second listener", "sessionDestroyed a=plain"), LOG.subList(0, 2));
            List<String> rest = List.copyOf(LOG.subList(2, LOG.size() - 1));
            assertEquals(Set.of("valueUnbound b5 as e value=b5 now=(invalidated)", "attributeRemoved e=b5",
                    "attributeRemoved a=plain"), Set.copyOf(rest));
            assertTrue(rest.indexOf("valueUnbound b5 as e value=b5 now=(invalidated)") < rest.indexOf("attributeRemoved e=b5"),
                    rest.toString());
            assertEquals("-- invalidated", LOG.get(LOG.size() - 1));
        }
    }

    @Test
    void anExpiredSessionIsDestroyedWithItsEvents() throws Exception {
        WebApp app = new WebApp("/ctx");
        app.addListener(new SessionEvents());
        app.addServlet("start", new Fn((req, res) -> {
            HttpSession s = req.getSession();
            s.setAttribute("a", new Bound("b6"));
            s.setMaxInactiveInterval(1);
            res.getWriter().print(s.getId());
        })).addMapping("/start");
        app.addServlet("later", new Fn((req, res) -> res.getWriter().print(req.getSession(false)))).addMapping("/later");
        try (Deployed d = Deployed.start(app)) {
            String id = d.get("/ctx/start").body();
            Thread.sleep(1300); // the inactivity limit is what is under test
            LOG.clear();
            assertEquals("null", d.get("/ctx/later", g -> g.setHeader("Cookie", "JSESSIONID=" + id)).body());
            assertEquals(List.of("sessionDestroyed a=b6", "valueUnbound b6 as a value=b6 now=(invalidated)",
                    "attributeRemoved a=b6"), LOG);
        }
    }

    @Test
    void listenersRegisteredByClassAreCreatedByTheContainer() throws Exception {
        WebApp app = new WebApp("/ctx");
        app.addListener(NamedCtx.class);
        app.addListener(CountingRequests.class.getName());
        app.addServlet("s", new Fn((req, res) -> res.getWriter().print("ok"))).addMapping("/s");
        try (Deployed d = Deployed.start(app)) {
            assertEquals(List.of("contextInitialized NamedCtx"), LOG);
            d.get("/ctx/s");
            assertEquals("requestInitialized CountingRequests", LOG.get(1));
        }
    }

    public static final class CountingRequests implements ServletRequestListener {
        @Override
        public void requestInitialized(ServletRequestEvent sre) {
            LOG.add("requestInitialized CountingRequests");
        }
    }
}
