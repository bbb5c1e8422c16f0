package dev.weft.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;

/**
 * Tomcat 11 embedded with its defaults (the NIO connector, a 200-thread pool of platform threads,
 * no access log, 100 requests per keep-alive connection), but for maxConnections: its 8,192
 * would refuse scenario D, so it gets {@link BenchServer#MAX_CONNECTIONS}.
 */
final class TomcatBench implements BenchServer {
    private Tomcat tomcat;
    private Path baseDir;

    @Override
    public int start(String host, int port) throws Exception {
        baseDir = Files.createTempDirectory("weft-bench-tomcat");
        tomcat = new Tomcat();
        tomcat.setBaseDir(baseDir.toString());
        Connector connector = tomcat.getConnector();
        connector.setPort(port);
        connector.setProperty("address", host);
        connector.setProperty("maxConnections", Integer.toString(MAX_CONNECTIONS));
        Context context = tomcat.addContext("", null);
        Tomcat.addServlet(context, "plaintext", new BenchServlets.Plaintext());
        context.addServletMappingDecoded("/plaintext", "plaintext");
        Tomcat.addServlet(context, "echo", new BenchServlets.Echo());
        context.addServletMappingDecoded("/echo", "echo");
        tomcat.start();
        return connector.getLocalPort();
    }

    @Override
    public void stop() {
        try {
            if (tomcat != null) {
                tomcat.stop();
                tomcat.destroy();
            }
        } catch (Exception ignored) {
            // Exiting anyway.
        }
        if (baseDir != null) {
            try (Stream<Path> files = Files.walk(baseDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (Exception ignored) {
                // A temporary folder left behind is harmless.
            }
        }
    }

    @Override
    public String mode() {
        return "servlet";
    }
}
