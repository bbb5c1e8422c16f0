package dev.weft.server;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/** A {@link WeftServer} started in this JVM on an ephemeral loopback port, for tests. */
final class Running implements AutoCloseable {
    final WeftServer server;
    final String base;
    final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    private Running(WeftServer server) {
        this.server = server;
        this.base = "http://127.0.0.1:" + server.addresses().get(0).getPort();
    }

    /** Starts a server in {@code dir} (its current folder and work folder) with {@code args} added. */
    static Running start(Path dir, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("--host", "127.0.0.1", "--port", "0", "--work",
                dir.resolve("work").toString(), "--timeout-read-header", "10s"));
        all.addAll(List.of(args));
        Config c = Config.load(CommandLine.parse(all.toArray(String[]::new)), dir);
        WeftServer s = new WeftServer(c);
        s.start();
        return new Running(s);
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Waits up to 10 s for {@code condition}; counters are updated just after a response is sent. */
    static boolean eventually(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }

    @Override
    public void close() {
        client.close();
        server.stop(Duration.ofSeconds(5));
    }
}
