package dev.weft.server;

import dev.weft.servlet.WebApp;

/** {@link WebAppMXBean} over one deployed application. */
final class WebAppMetrics implements WebAppMXBean {
    private final WebApp app;
    private final String source;
    private final long deployMillis;

    WebAppMetrics(WebApp app, String source, long deployMillis) {
        this.app = app;
        this.source = source;
        this.deployMillis = deployMillis;
    }

    @Override
    public String getContextPath() {
        return app.getContextPath().isEmpty() ? "/" : app.getContextPath();
    }

    @Override
    public String getDisplayName() {
        return app.getServletContextName();
    }

    @Override
    public String getSource() {
        return source;
    }

    @Override
    public long getDeployMillis() {
        return deployMillis;
    }

    @Override
    public boolean isRunning() {
        return app.isStarted();
    }

    @Override
    public long getRequests() {
        return app.stats().requests();
    }

    @Override
    public long getErrors() {
        return app.stats().errors();
    }

    @Override
    public int getSessionsActive() {
        return app.sessions().size();
    }

    @Override
    public long getSessionsCreated() {
        return app.stats().sessionsCreated();
    }

    @Override
    public long getSessionsExpired() {
        return app.stats().sessionsExpired();
    }
}
