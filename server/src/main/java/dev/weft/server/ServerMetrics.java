package dev.weft.server;

import dev.weft.http.ConnState;
import dev.weft.http.Server;
import dev.weft.servlet.ServletHandler;
import dev.weft.servlet.WebApp;
import java.util.List;
import java.util.function.Supplier;

/** {@link ServerMXBean} over a running core server, its applications and its access log. */
final class ServerMetrics implements ServerMXBean {
    private final Server server;
    private final ServletHandler servlets;
    private final Supplier<AccessLog> accessLog;
    private final Supplier<List<String>> listeners;
    private final long startTime;

    ServerMetrics(Server server, ServletHandler servlets, Supplier<AccessLog> accessLog, Supplier<List<String>> listeners,
            long startTime) {
        this.server = server;
        this.servlets = servlets;
        this.accessLog = accessLog;
        this.listeners = listeners;
        this.startTime = startTime;
    }

    @Override
    public String getVersion() {
        return Version.get();
    }

    @Override
    public long getStartTime() {
        return startTime;
    }

    @Override
    public String[] getListeners() {
        return listeners.get().toArray(String[]::new);
    }

    @Override
    public int getConnections() {
        return server.connectionsByState().values().stream().mapToInt(Integer::intValue).sum();
    }

    @Override
    public int getConnectionsNew() {
        return server.connectionsByState().get(ConnState.NEW);
    }

    @Override
    public int getConnectionsActive() {
        return server.connectionsByState().get(ConnState.ACTIVE);
    }

    @Override
    public int getConnectionsIdle() {
        return server.connectionsByState().get(ConnState.IDLE);
    }

    @Override
    public int getConnectionsHijacked() {
        return server.connectionsByState().get(ConnState.HIJACKED);
    }

    @Override
    public long getAcceptedConnections() {
        return server.stats().acceptedConnections();
    }

    @Override
    public long getRejectedConnections() {
        return server.stats().rejectedConnections();
    }

    @Override
    public long getTlsHandshakeFailures() {
        return server.stats().tlsHandshakeFailures();
    }

    @Override
    public long getRequests() {
        return server.stats().requests();
    }

    @Override
    public long getRefusedRequests() {
        return server.stats().refusedRequests();
    }

    @Override
    public long getErrors() {
        return server.stats().handlerErrors();
    }

    @Override
    public long getBytesIn() {
        return server.stats().bytesIn();
    }

    @Override
    public long getBytesOut() {
        return server.stats().bytesOut();
    }

    @Override
    public long getAccessLogLines() {
        AccessLog l = accessLog.get();
        return l == null ? 0 : l.written();
    }

    @Override
    public long getAccessLogDroppedLines() {
        AccessLog l = accessLog.get();
        return l == null ? 0 : l.dropped();
    }

    @Override
    public String[] getApplications() {
        return servlets.apps().stream().map(WebApp::getContextPath).map(p -> p.isEmpty() ? "/" : p).sorted()
                .toArray(String[]::new);
    }
}
