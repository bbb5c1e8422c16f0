package dev.weft.bench;

import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.ee11.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * Jetty 12.1 with its defaults (a QueuedThreadPool of platform threads, no request log, no
 * connection limit): the two servlets in an ee11 ServletContextHandler.
 */
final class JettyBench implements BenchServer {
    private Server server;

    @Override
    public int start(String host, int port) throws Exception {
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost(host);
        connector.setPort(port);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        context.addServlet(new ServletHolder(new BenchServlets.Plaintext()), "/plaintext");
        context.addServlet(new ServletHolder(new BenchServlets.Echo()), "/echo");
        server.setHandler(context);
        server.start();
        return connector.getLocalPort();
    }

    @Override
    public void stop() {
        try {
            if (server != null) {
                server.stop();
            }
        } catch (Exception ignored) {
            // Exiting anyway.
        }
    }

    @Override
    public String mode() {
        return "servlet";
    }
}
