package dev.weft.examples;

import dev.weft.http.Request;
import dev.weft.http.ResponseWriter;
import dev.weft.http.ServeMux;
import dev.weft.http.Server;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server on Weft's core alone, no servlets: {@code GET /hello} answers {@code Hello, World!} and
 * {@code POST /echo} sends the request body back with its Content-Type.
 *
 * <pre>java dev.weft.examples.HelloServer [--port N] [--host ADDRESS]</pre>
 */
public final class HelloServer {
    private static final Logger log = LoggerFactory.getLogger(HelloServer.class);
    private static final byte[] HELLO = "Hello, World!".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private HelloServer() {}

    /** The example's routes, so tests and other programs can serve them too. */
    public static ServeMux routes() {
        ServeMux mux = new ServeMux();
        addRoutes(mux);
        mux.handle("GET /{$}", (w, r) -> {
            w.header().set("Content-Type", "text/plain; charset=utf-8");
            w.write("Weft HelloServer\n\n  GET  /hello  says hello\n  POST /echo   sends the body back\n");
        });
        return mux;
    }

    /** Adds {@code GET /hello} and {@code POST /echo} to {@code mux}. */
    public static void addRoutes(ServeMux mux) {
        mux.handle("GET /hello", HelloServer::hello);
        mux.handle("POST /echo", HelloServer::echo);
    }

    static void hello(ResponseWriter w, Request r) throws IOException {
        w.header().set("Content-Type", "text/plain");
        w.write(HELLO);
    }

    static void echo(ResponseWriter w, Request r) throws IOException {
        String type = r.header("Content-Type");
        w.header().set("Content-Type", type != null ? type : "application/octet-stream");
        r.body().transferTo(w.outputStream());
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
                case "--port" -> port = parsePort(value(args, ++i, "--port"));
                case "--host" -> host = value(args, ++i, "--host");
                default -> fail("unknown argument: " + args[i]);
            }
        }
        Server server = Server.builder()
                .address(host, port)
                .handler(routes())
                .readHeaderTimeout(Duration.ofSeconds(10))
                .readTimeout(Duration.ofSeconds(60))
                .writeTimeout(Duration.ofSeconds(60))
                .idleTimeout(Duration.ofSeconds(120))
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
        }, "weft-shutdown"));
        try {
            server.start();
        } catch (IOException e) {
            fail(e.getMessage());
        }
        log.info("Try: curl http://localhost:{}/hello", port);
        Thread.currentThread().join();
    }

    private static String value(String[] args, int i, String flag) {
        if (i >= args.length) {
            fail(flag + " needs a value");
        }
        return args[i];
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
                Usage: java dev.weft.examples.HelloServer [--port N] [--host ADDRESS]

                Serves GET /hello (Hello, World!) and POST /echo (the body back) on Weft's core.

                  --port N        port to listen on (default 8080; 0 picks a free one)
                  --host ADDRESS  address to bind (default 0.0.0.0, all interfaces)
                  -h, --help      show this help""");
    }

    private static void fail(String message) {
        System.err.println("HelloServer: " + message + " (try --help)");
        System.exit(2);
    }
}
