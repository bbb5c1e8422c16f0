package dev.weft.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code @PostConstruct} and {@code @PreDestroy} on the servlets, filters and listeners the
 * container creates (Servlet 6.1 §15.5.8, §15.5.9), in the order the Common Annotations give.
 */
class LifecycleCallbacksTest {
    static final List<String> events = new CopyOnWriteArrayList<>();

    @BeforeEach
    void clear() {
        events.clear();
    }

    public static class Base extends HttpServlet {
        @PostConstruct
        void baseReady() {
            events.add("servlet base @PostConstruct");
        }

        @PostConstruct
        protected void overridden() {
            events.add("base overridden: must not run");
        }
    }

    public static class Counted extends Base {
        String state = "constructed";

        @Override
        protected void overridden() {
            events.add("subclass overridden, not annotated: must not run");
        }

        @PostConstruct
        private void ready() {
            events.add("servlet @PostConstruct");
            state = "ready";
        }

        @Override
        public void init() {
            events.add("servlet init sees " + state);
        }

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            resp.getWriter().print(state);
        }

        @Override
        public void destroy() {
            events.add("servlet destroy");
        }

        @PreDestroy
        void gone() {
            events.add("servlet @PreDestroy");
        }
    }

    public static class Tagging implements Filter {
        @PostConstruct
        void ready() {
            events.add("filter @PostConstruct");
        }

        @Override
        public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
            chain.doFilter(req, res);
        }

        @Override
        public void destroy() {
            events.add("filter destroy");
        }

        @PreDestroy
        void gone() {
            events.add("filter @PreDestroy");
        }
    }

    public static class Listening implements ServletContextListener {
        @PostConstruct
        void ready() {
            events.add("listener @PostConstruct");
        }

        @Override
        public void contextInitialized(ServletContextEvent sce) {
            events.add("contextInitialized");
        }

        @Override
        public void contextDestroyed(ServletContextEvent sce) {
            events.add("contextDestroyed");
        }

        @PreDestroy
        void gone() {
            events.add("listener @PreDestroy");
        }
    }

    public static class Failing extends HttpServlet {
        @PostConstruct
        void ready() {
            throw new IllegalStateException("not today");
        }
    }

    public static class Plain extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            resp.getWriter().print("plain");
        }
    }

    @Test
    void callbacksRunAroundTheContainersOwnLifeCycle() throws Exception {
        WebApp app = new WebApp("/life");
        app.addListener(Listening.class);
        app.addFilter("tag", Tagging.class).addMappingForUrlPatterns(null, false, "/*");
        app.addServlet("counted", Counted.class).addMapping("/c");
        try (Deployed d = Deployed.start(app)) {
            assertEquals("ready", d.get("/life/c").body());
        }
        assertEquals(List.of(
                "listener @PostConstruct", "contextInitialized", "filter @PostConstruct",
                "servlet base @PostConstruct", "servlet @PostConstruct", "servlet init sees ready",
                "servlet destroy", "filter destroy", "contextDestroyed",
                "servlet @PreDestroy", "filter @PreDestroy", "listener @PreDestroy"), events);
    }

    @Test
    void aFailingPostConstructKeepsTheServletOutOfService() throws Exception {
        WebApp app = new WebApp("/fail");
        app.addServlet("failing", Failing.class).addMapping("/f");
        app.addServlet("plain", Plain.class).addMapping("/p");
        try (Deployed d = Deployed.start(app)) {
            Deployed.Resp r = d.get("/fail/f");
            assertEquals(500, r.status());
            assertTrue(!r.body().contains("not today"), "no exception text in the page: " + r.body());
            assertEquals("plain", d.get("/fail/p").body(), "the rest of the application is served");
        }
    }

    @Test
    void instancesTheApplicationCreatedItselfAreLeftAlone() throws Exception {
        WebApp app = new WebApp("/own");
        Counted mine = new Counted();
        app.addServlet("mine", mine).addMapping("/m");
        try (Deployed d = Deployed.start(app)) {
            assertEquals("constructed", d.get("/own/m").body());
        }
        assertEquals(List.of("servlet init sees constructed", "servlet destroy"), events);
    }
}
