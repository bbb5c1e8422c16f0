package dev.weft.deploy;

import dev.weft.http.Listener;
import dev.weft.http.Server;
import dev.weft.servlet.ServletHandler;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A Weft server in a JVM whose class path lacks Jasper (see {@link NoJasperTest}): deploys each
 * folder given as {@code contextPath=folder}, reports on standard output whether Jasper is
 * loadable, how each deployment went, and its port, then serves until its input closes.
 */
public final class NoJasperMain {
    private NoJasperMain() {}

    public static void main(String[] args) throws Exception {
        System.out.println("JASPER " + Jsp.available());
        ServletHandler handler = new ServletHandler();
        Deployer deployer = new Deployer(handler, Path.of(args[0]));
        for (int i = 1; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            String context = args[i].substring(0, eq);
            try {
                deployer.deploy(Path.of(args[i].substring(eq + 1)), context);
                System.out.println("DEPLOYED " + context);
            } catch (DeploymentException e) {
                System.out.println("REFUSED " + context + " " + e.getMessage().replace('\n', ' '));
            }
        }
        Server server = Server.builder().address(new InetSocketAddress("127.0.0.1", 0)).handler(handler)
                .readHeaderTimeout(Duration.ofSeconds(10)).build();
        Listener l = server.start();
        System.out.println("PORT " + l.address().getPort());
        System.out.flush();
        while (System.in.read() >= 0) {
            // serve until the test closes our input
        }
        handler.stop();
        server.close();
    }
}
