package dev.weft.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The per-application counts an operator reads over JMX, after traffic whose outcome is known. */
class WebAppStatsTest {

    static final class Ok extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            resp.getWriter().print("ok");
        }
    }

    static final class Fails extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) {
            throw new IllegalStateException("expected by the test");
        }
    }

    static final class BadGateway extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            resp.sendError(502);
        }
    }

    static final class Sessions extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) {
            var s = req.getSession();
            String seconds = req.getParameter("expireIn");
            if (seconds != null) {
                s.setMaxInactiveInterval(Integer.parseInt(seconds));
            }
        }
    }

    private static WebApp app() {
        WebApp app = new WebApp("/app");
        app.addServlet("ok", new Ok()).addMapping("/ok");
        app.addServlet("fails", new Fails()).addMapping("/fails");
        app.addServlet("bad-gateway", new BadGateway()).addMapping("/bad-gateway");
        app.addServlet("sessions", new Sessions()).addMapping("/session");
        return app;
    }

    @Test
    void countsRequestsErrorsAndSessions() throws Exception {
        WebApp app = app();
        try (Deployed d = Deployed.start(app)) {
            for (int i = 0; i < 3; i++) {
                assertEquals(200, d.get("/app/ok").status());
            }
            assertEquals(404, d.get("/app/missing").status());
            assertEquals(500, d.get("/app/fails").status());
            // 502, not 503: the client would retry a 503 by itself.
            assertEquals(502, d.get("/app/bad-gateway").status());
            assertEquals(200, d.get("/app/session").status());
            assertEquals(200, d.get("/app/session").status()); // no cookie sent: a second session
            assertEquals(302, d.get("/app").status()); // the redirect to /app/ is not the application's

            WebAppStats s = app.stats();
            assertEquals(8, s.requests());
            assertEquals(2, s.errors());
            assertEquals(2, s.sessionsCreated());
            assertEquals(2, app.sessions().size());
            assertEquals(0, s.sessionsExpired());
        }
    }

    @Test
    void countsExpiredSessionsOnce() throws Exception {
        WebApp app = app();
        app.sessions().setSweepInterval(Duration.ofMillis(50));
        try (Deployed d = Deployed.start(app)) {
            assertEquals(200, d.get("/app/session?expireIn=1").status());
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (app.stats().sessionsExpired() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(1, app.stats().sessionsExpired());
            assertEquals(1, app.stats().sessionsCreated());
            assertTrue(app.sessions().size() == 0, "the expired session is gone");
        }
    }
}
