package dev.weft.servlet;

import dev.weft.http.Listener;
import dev.weft.http.Server;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Consumer;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.io.entity.EntityUtils;

/**
 * Web applications deployed on a real server on an ephemeral loopback port, the way the TCK
 * tests a container: configure the app, deploy it, send real requests, look at the bytes.
 */
final class Deployed implements AutoCloseable {
    final ServletHandler handler;
    final Server server;
    final int port;
    final CloseableHttpClient client;

    private Deployed(Server server, int port, ServletHandler handler) {
        this.server = server;
        this.port = port;
        this.handler = handler;
        this.client = HttpClients.custom()
                .disableRedirectHandling()
                .disableCookieManagement()
                .disableContentCompression()
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setResponseTimeout(org.apache.hc.core5.util.Timeout.ofSeconds(10)).build())
                .build();
    }

    /** Deploys {@code apps} on a new server on an ephemeral loopback port. */
    static Deployed start(WebApp... apps) throws Exception {
        ServletHandler h = new ServletHandler();
        Server server = Server.builder().address(new InetSocketAddress("127.0.0.1", 0)).handler(h)
                .readHeaderTimeout(Duration.ofSeconds(10)).build();
        Listener l = server.start();
        Deployed d = new Deployed(server, l.address().getPort(), h);
        for (WebApp app : apps) {
            h.deploy(app);
        }
        return d;
    }

    String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    /** A response, read whole. */
    record Resp(int status, String body, ClassicHttpResponse raw) {
        String header(String name) {
            Header h = raw.getFirstHeader(name);
            return h == null ? null : h.getValue();
        }

        java.util.List<String> headers(String name) {
            java.util.List<String> out = new java.util.ArrayList<>();
            for (Header h : raw.getHeaders(name)) {
                out.add(h.getValue());
            }
            return out;
        }
    }

    Resp send(HttpUriRequestBase req) throws IOException {
        return client.execute(req, r -> new Resp(r.getCode(),
                r.getEntity() == null ? "" : EntityUtils.toString(r.getEntity(), StandardCharsets.UTF_8), r));
    }

    Resp get(String path) throws IOException {
        return send(new org.apache.hc.client5.http.classic.methods.HttpGet(url(path)));
    }

    Resp get(String path, Consumer<HttpUriRequestBase> customize) throws IOException {
        var g = new org.apache.hc.client5.http.classic.methods.HttpGet(url(path));
        customize.accept(g);
        return send(g);
    }

    Resp post(String path, String contentType, String body) throws IOException {
        var p = new org.apache.hc.client5.http.classic.methods.HttpPost(url(path));
        p.setEntity(new org.apache.hc.core5.http.io.entity.StringEntity(body,
                org.apache.hc.core5.http.ContentType.parse(contentType)));
        return send(p);
    }

    /** The JDK client, for what Apache's client normalises away. */
    HttpResponse<String> jdk(String path) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url(path))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() throws IOException {
        client.close();
        handler.stop();
        server.close();
    }
}
