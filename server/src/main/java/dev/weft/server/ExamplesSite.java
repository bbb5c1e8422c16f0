package dev.weft.server;

import dev.weft.examples.DemoApp;
import dev.weft.examples.HelloServer;
import dev.weft.http.Handler;
import dev.weft.http.ServeMux;
import dev.weft.servlet.ServletHandler;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;

/**
 * What {@code weft} serves when it is given nothing to serve: every bundled example on one
 * server. The core handlers of {@link HelloServer} ({@code /hello}, {@code /echo}), the embedded
 * servlet application {@link DemoApp} at {@code /demo/} (with its WebSocket echo), the example WAR
 * at {@code /examples/}, and an index page at {@code /} linking each of them.
 */
final class ExamplesSite {
    static final String DEMO_PATH = "/demo";
    static final String WAR_PATH = "/examples";
    /** The example WAR, put into the jar by the build. */
    private static final String WAR_RESOURCE = "examples-war.war";

    private ExamplesSite() {}

    /** The routes: the core examples and the index page; everything else goes to {@code servlets}. */
    static Handler handler(ServletHandler servlets) throws IOException {
        byte[] index;
        try (InputStream in = ExamplesSite.class.getResourceAsStream("index.html")) {
            if (in == null) {
                throw new IOException("index.html is missing from the server's resources");
            }
            index = in.readAllBytes();
        }
        ServeMux mux = new ServeMux();
        HelloServer.addRoutes(mux);
        mux.handle("GET /{$}", (w, r) -> {
            w.header().set("Content-Type", "text/html; charset=utf-8");
            w.write(index, 0, index.length);
        });
        mux.handle("/", servlets);
        return mux;
    }

    /**
     * Copies the bundled example WAR into {@code workDir}, unless the same bytes are there already
     * (an unchanged file is not unpacked again). Returns null when this build has no WAR bundled.
     */
    static Path extractWar(Path workDir) throws IOException {
        byte[] war;
        try (InputStream in = ExamplesSite.class.getResourceAsStream(WAR_RESOURCE)) {
            if (in == null) {
                return null;
            }
            war = in.readAllBytes();
        }
        Path target = workDir.resolve("bundled").resolve("examples.war");
        if (Files.isRegularFile(target) && Files.size(target) == war.length
                && Arrays.equals(Files.readAllBytes(target), war)) {
            return target;
        }
        Files.createDirectories(target.getParent());
        Path tmp = Files.createTempFile(target.getParent(), "examples", ".tmp");
        Files.write(tmp, war);
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return target;
    }
}
