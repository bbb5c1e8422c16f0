package dev.weft.examples;

import dev.weft.http.ServeMux;
import dev.weft.http.Server;
import dev.weft.servlet.ServletHandler;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every bundled example on one server: the core {@link HelloServer} routes ({@code GET /hello},
 * {@code POST /echo}) and the embedded servlet application {@link DemoApp} at {@code /demo/}, side
 * by side on one {@link ServeMux}.
 *
 * <pre>java dev.weft.examples.Examples [--port N] [--host ADDRESS]</pre>
 */
public final class Examples {
    private static final Logger log = LoggerFactory.getLogger(Examples.class);

    private Examples() {}

    /** The examples' routes; {@code servlets} gets the demo application deployed on it. */
    public static ServeMux routes(ServletHandler servlets) throws Exception {
        servlets.deploy(DemoApp.create("/demo"));
        ServeMux mux = new ServeMux();
        HelloServer.addRoutes(mux);
        mux.handle("/demo/", servlets);
        mux.handle("/demo", servlets);
        mux.handle("GET /{$}", (w, r) -> {
            w.header().set("Content-Type", "text/html; charset=utf-8");
            w.write("""
                    <!doctype html><html lang="en"><head><meta charset="utf-8"><title>Weft examples</title></head>
                    <body><h1>Weft examples</h1><ul>
                    <li><a href="/hello">/hello</a>: a core handler saying hello</li>
                    <li>POST /echo: a core handler sending the request body back</li>
                    <li><a href="/demo/">/demo/</a>: an embedded servlet application</li>
                    <li><a href="/demo/ws.html">/demo/ws.html</a>: a WebSocket echo on <code>/demo/ws/echo</code></li>
                    </ul></body></html>
                    """);
        });
        return mux;
    }

    public static void main(String[] args) throws Exception {
        int port = 8080;
        String host = "0.0.0.0";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "-h", "--help" -> {
                    usage(System.out);
                    return;
                }
                case "--port" -> port = parsePort(i + 1 < args.length ? args[++i] : null);
                case "--host" -> {
                    if (i + 1 >= args.length) {
                        fail("--host needs a value");
                    }
                    host = args[++i];
                }
                default -> fail("unknown argument: " + args[i]);
            }
        }
        ServletHandler servlets = new ServletHandler();
        Server server = Server.builder()
                .address(host, port)
                .handler(routes(servlets))
                .build();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("Shutting down");
            try {
                if (!server.shutdown(Duration.ofSeconds(10))) {
                    server.close();
                }
            } catch (InterruptedException e) {
                server.close();
            }
            servlets.stop();
        }, "weft-shutdown"));
        try {
            server.start();
        } catch (IOException e) {
            fail(e.getMessage());
        }
        log.info("Examples at http://localhost:{}/ (hello, echo, and the servlet demo at /demo/)", port);
        Thread.currentThread().join();
    }

    private static int parsePort(String s) {
        try {
            int p = Integer.parseInt(s);
            if (p >= 0 && p <= 65535) {
                return p;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        fail("--port needs a number from 0 to 65535, not \"" + s + "\"");
        return -1;
    }

    private static void usage(PrintStream out) {
        out.println("""
                Usage: java dev.weft.examples.Examples [--port N] [--host ADDRESS]

                Serves every bundled example on one server:
                  /hello, /echo   core handlers (see HelloServer)
                  /demo/          an embedded servlet application (see DemoApp)
                  /demo/ws/echo   a WebSocket echo endpoint; /demo/ws.html talks to it

                  --port N        port to listen on (default 8080; 0 picks a free one)
                  --host ADDRESS  address to bind (default 0.0.0.0, all interfaces)
                  -h, --help      show this help""");
    }

    private static void fail(String message) {
        System.err.println("Examples: " + message + " (try --help)");
        System.exit(2);
    }
}
