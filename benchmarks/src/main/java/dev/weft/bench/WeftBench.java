package dev.weft.bench;

import dev.weft.http.Handler;
import dev.weft.http.Listener;
import dev.weft.http.Request;
import dev.weft.http.ResponseWriter;
import dev.weft.http.ServeMux;
import dev.weft.http.Server;
import dev.weft.servlet.ServletHandler;
import dev.weft.servlet.WebApp;
import java.io.IOException;
import java.time.Duration;

/** Weft with its default settings, serving through the core Handler API or an HttpServlet in a WebApp. */
public final class WeftBench implements BenchServer {
    private final boolean core;
    private Server server;
    private ServletHandler servlets;

    WeftBench(boolean core) {
        this.core = core;
    }

    /** The core endpoints, on a ServeMux as an application on Weft's core would route them. */
    public static Handler coreHandler() {
        ServeMux mux = new ServeMux();
        mux.handle("GET /plaintext", WeftBench::plaintext);
        mux.handle("POST /echo", WeftBench::echo);
        return mux;
    }

    static void plaintext(ResponseWriter w, Request r) throws IOException {
        w.header().set("Content-Type", "text/plain");
        w.write(BenchServlets.HELLO);
    }

    static void echo(ResponseWriter w, Request r) throws IOException {
        String type = r.header("Content-Type");
        w.header().set("Content-Type", type != null ? type : "application/octet-stream");
        r.body().transferTo(w.outputStream());
    }

    /** The servlet endpoints in a root WebApp. */
    public static ServletHandler servletHandler() throws Exception {
        WebApp app = new WebApp("");
        app.addServlet("plaintext", new BenchServlets.Plaintext()).addMapping("/plaintext");
        app.addServlet("echo", new BenchServlets.Echo()).addMapping("/echo");
        ServletHandler h = new ServletHandler();
        h.deploy(app);
        return h;
    }

    @Override
    public int start(String host, int port) throws Exception {
        Handler h;
        if (core) {
            h = coreHandler();
        } else {
            servlets = servletHandler();
            h = servlets;
        }
        server = Server.builder()
                .address(host, port)
                .handler(h)
                .maxConnections(MAX_CONNECTIONS)
                .build();
        Listener l = server.start();
        return l.address().getPort();
    }

    @Override
    public void stop() {
        try {
            if (server != null && !server.shutdown(Duration.ofSeconds(2))) {
                server.close();
            }
        } catch (InterruptedException e) {
            server.close();
        }
        if (servlets != null) {
            servlets.stop();
        }
    }

    @Override
    public String mode() {
        return core ? "core" : "servlet";
    }
}
