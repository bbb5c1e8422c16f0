package dev.weft.examples;

import dev.weft.examples.websocket.WebSocketEchoServlet;
import dev.weft.servlet.Resources;
import dev.weft.servlet.WebApp;
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
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An embedded servlet application: servlets, a filter and a listener registered in code, static
 * files from the class path, and an error page, as a plain Java program would set them up. A
 * WebSocket echo endpoint at {@code /ws/echo} ({@code ws.html} talks to it) shows an HTTP upgrade.
 */
public final class DemoApp {
    private DemoApp() {}

    /** The application at {@code contextPath}, ready to deploy on a {@link dev.weft.servlet.ServletHandler}. */
    public static WebApp create(String contextPath) {
        WebApp app = new WebApp(contextPath);
        app.setDisplayName("Weft servlet demo");
        app.setResources(Resources.classPath(DemoApp.class.getClassLoader(), "demo"));
        app.addServlet("greeting", new GreetingServlet()).addMapping("/greeting");
        app.addServlet("counter", new CounterServlet()).addMapping("/counter");
        app.addServlet("form", new FormServlet()).addMapping("/form");
        var ws = app.addServlet("ws-echo", new WebSocketEchoServlet());
        ws.addMapping("/ws/echo");
        ws.setInitParameter("maxMessageSize", Integer.toString(1 << 20));
        ws.setInitParameter("subprotocols", "echo");
        app.addFilter("timing", new TimingFilter()).addMappingForUrlPatterns(null, false, "/*");
        app.addListener(new StartupListener());
        app.addErrorPage(404, "/not-found.html");
        return app;
    }

    /** {@code GET /greeting?name=Ada}: a parameter in, HTML out, escaped. */
    static final class GreetingServlet extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            String name = req.getParameter("name");
            resp.setContentType("text/html");
            resp.setCharacterEncoding("UTF-8");
            PrintWriter out = resp.getWriter();
            out.print("<!doctype html><title>Greeting</title><p>Hello, " + escape(name == null ? "stranger" : name) + "!</p>");
        }
    }

    /** {@code GET /counter}: a per-session visit count. */
    static final class CounterServlet extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            HttpSession session = req.getSession();
            AtomicInteger visits = (AtomicInteger) session.getAttribute("visits");
            if (visits == null) {
                visits = new AtomicInteger();
                session.setAttribute("visits", visits);
            }
            resp.setContentType("text/plain");
            resp.getWriter().print("visits in this session: " + visits.incrementAndGet());
        }
    }

    /** {@code POST /form}: urlencoded form fields echoed back. */
    static final class FormServlet extends HttpServlet {
        @Override
        protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            req.setCharacterEncoding("UTF-8");
            resp.setContentType("text/plain;charset=UTF-8");
            PrintWriter out = resp.getWriter();
            for (var e : req.getParameterMap().entrySet()) {
                out.println(e.getKey() + " = " + String.join(", ", e.getValue()));
            }
        }
    }

    /** Adds how long the request took, as a header, to every response it can. */
    static final class TimingFilter implements Filter {
        @Override
        public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
                throws IOException, ServletException {
            long t0 = System.nanoTime();
            ((HttpServletResponse) res).setHeader("X-Started-At", Long.toString(System.currentTimeMillis()));
            chain.doFilter(req, res);
            req.getServletContext().log("served " + ((HttpServletRequest) req).getRequestURI() + " in "
                    + (System.nanoTime() - t0) / 1000 + " us");
        }
    }

    static final class StartupListener implements ServletContextListener {
        @Override
        public void contextInitialized(ServletContextEvent sce) {
            sce.getServletContext().log("demo application ready at " + sce.getServletContext().getContextPath() + "/");
        }
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
