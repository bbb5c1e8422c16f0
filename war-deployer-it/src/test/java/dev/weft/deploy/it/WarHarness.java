package dev.weft.deploy.it;

import dev.weft.deploy.Deployer;
import dev.weft.deploy.Deployment;
import dev.weft.deploy.DeploymentException;
import dev.weft.http.Listener;
import dev.weft.http.Server;
import dev.weft.servlet.ServletHandler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.util.Timeout;

/**
 * A real server on an ephemeral loopback port with a {@link ServletHandler}, a {@link Deployer} over
 * it, and an HTTP client that follows no redirects and keeps no cookies, so every test sees the bytes
 * the container sent.
 */
final class WarHarness implements AutoCloseable {
    final ServletHandler handler = new ServletHandler();
    final Deployer deployer;
    final Server server;
    final int port;
    final CloseableHttpClient client;
    private final List<Deployment> deployed = new ArrayList<>();

    WarHarness(Path workDir) throws IOException {
        deployer = new Deployer(handler, workDir);
        server = Server.builder().address(new InetSocketAddress("127.0.0.1", 0)).handler(handler)
                .readHeaderTimeout(Duration.ofSeconds(10)).build();
        Listener l = server.start();
        port = l.address().getPort();
        client = HttpClients.custom()
                .disableRedirectHandling()
                .disableCookieManagement()
                .disableContentCompression()
                .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(Timeout.ofSeconds(20)).build())
                .build();
    }

    /** Where the WARs the build fetched or made are (surefire sets it). */
    static Path wars() {
        String dir = System.getProperty("weft.wars");
        if (dir == null) {
            throw new IllegalStateException("system property weft.wars is not set: run the tests through Maven");
        }
        return Path.of(dir);
    }

    Deployment deploy(Path war, String contextPath) throws DeploymentException {
        Deployment d = deployer.deploy(war, contextPath);
        deployed.add(d);
        return d;
    }

    /**
     * Deploys and then asks {@code probe} until it answers 2xx, and records how long both took in
     * the test output and in {@code target/deploy-times.txt}.
     */
    Deployment deployTimed(Path war, String contextPath, String probe) throws DeploymentException, IOException {
        long t0 = System.nanoTime();
        Deployment d = deploy(war, contextPath);
        Resp r = get(probe);
        long firstRequest = (System.nanoTime() - t0) / 1_000_000;
        if (r.status() / 100 != 2) {
            throw new AssertionError("first request " + probe + " answered " + r.status() + ": " + r.body());
        }
        String line = String.format("%-40s deployMillis=%5d  firstSuccessfulRequestMillis=%5d  (%s)",
                war.getFileName(), d.deployMillis(), firstRequest, probe);
        System.out.println("[deploy-time] " + line);
        record(line);
        return d;
    }

    private static boolean recordedBefore;

    /** One line a deployment in target/deploy-times.txt, started afresh by each test run. */
    private static synchronized void record(String line) {
        try {
            Files.writeString(Path.of("target", "deploy-times.txt"), line + System.lineSeparator(), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, recordedBefore ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING);
            recordedBefore = true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
    }

    Resp send(HttpUriRequestBase req) throws IOException {
        return client.execute(req, r -> new Resp(r.getCode(),
                r.getEntity() == null ? "" : EntityUtils.toString(r.getEntity(), StandardCharsets.UTF_8), r));
    }

    Resp get(String path) throws IOException {
        return send(new HttpGet(url(path)));
    }

    Resp get(String path, Consumer<HttpUriRequestBase> customize) throws IOException {
        HttpGet g = new HttpGet(url(path));
        customize.accept(g);
        return send(g);
    }

    @Override
    public void close() throws IOException {
        client.close();
        for (Deployment d : deployed.reversed()) {
            deployer.undeploy(d);
        }
        handler.stop();
        server.close();
    }
}
