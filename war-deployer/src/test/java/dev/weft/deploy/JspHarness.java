package dev.weft.deploy;

import dev.weft.http.Listener;
import dev.weft.http.Server;
import dev.weft.servlet.ServletHandler;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A real server on an ephemeral loopback port with a {@link Deployer} over it, the JDK's HTTP client
 * (no redirects followed, no cookies kept), and helpers that write exploded WARs file by file.
 */
final class JspHarness implements AutoCloseable {
    final ServletHandler handler = new ServletHandler();
    final Deployer deployer;
    final Server server;
    final int port;
    private final HttpClient client = HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    private final List<Deployment> deployed = new ArrayList<>();

    JspHarness(Path workDir) throws IOException {
        deployer = new Deployer(handler, workDir);
        server = Server.builder().address(new InetSocketAddress("127.0.0.1", 0)).handler(handler)
                .readHeaderTimeout(Duration.ofSeconds(10)).build();
        Listener l = server.start();
        port = l.address().getPort();
    }

    Deployment deploy(Path root, String contextPath) throws DeploymentException {
        Deployment d = deployer.deploy(root, contextPath);
        deployed.add(d);
        return d;
    }

    /** A response read whole, its body decoded with the charset its Content-Type names (UTF-8 if none). */
    record Resp(int status, String body, byte[] bytes, HttpResponse<byte[]> raw) {
        String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }
    }

    Resp get(String path) throws IOException {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET());
    }

    Resp post(String path, String form) throws IOException {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)));
    }

    private Resp send(HttpRequest.Builder b) throws IOException {
        try {
            HttpResponse<byte[]> r = client.send(b.timeout(Duration.ofSeconds(60)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            Charset cs = r.headers().firstValue("Content-Type")
                    .map(JspHarness::charset).orElse(StandardCharsets.UTF_8);
            return new Resp(r.statusCode(), new String(r.body(), cs), r.body(), r);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private static Charset charset(String contentType) {
        for (String part : contentType.split(";")) {
            String p = part.strip();
            if (p.regionMatches(true, 0, "charset=", 0, 8)) {
                return Charset.forName(p.substring(8).replace("\"", ""));
            }
        }
        return StandardCharsets.UTF_8;
    }

    @Override
    public void close() throws IOException {
        for (Deployment d : deployed) {
            deployer.undeploy(d);
        }
        handler.stop();
        server.close();
    }

    // ---- Writing WARs ----

    /** Writes each entry (a path in the WAR, its text in UTF-8) under {@code root}. */
    static Path war(Path root, Map<String, String> files) {
        files.forEach((path, text) -> write(root.resolve(path), text.getBytes(StandardCharsets.UTF_8)));
        return root;
    }

    static void write(Path file, byte[] bytes) {
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String webXml(String body) {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee"
                         xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                         xsi:schemaLocation="https://jakarta.ee/xml/ns/jakartaee https://jakarta.ee/xml/ns/jakartaee/web-app_6_1.xsd"
                         version="6.1">
                """ + body + "\n</web-app>\n";
    }

    /** A test class's file, read as bytes (never loaded), for a WAR's WEB-INF/classes. */
    static byte[] classBytes(Class<?> c) {
        String entry = c.getName().replace('.', '/') + ".class";
        try (var in = JspHarness.class.getClassLoader().getResourceAsStream(entry)) {
            if (in == null) {
                throw new IllegalStateException("no class file for " + c.getName());
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void addClass(Path root, Class<?> c) {
        write(root.resolve("WEB-INF/classes/" + c.getName().replace('.', '/') + ".class"), classBytes(c));
    }

    /** The jar on the test class path that holds {@code resource}, for a WAR's WEB-INF/lib. */
    static Path jarOf(String resource) {
        var url = JspHarness.class.getClassLoader().getResource(resource);
        if (url == null || !url.getProtocol().equals("jar")) {
            throw new IllegalStateException("no jar on the class path holds " + resource + ": " + url);
        }
        String file = url.getPath().substring(0, url.getPath().indexOf("!/"));
        return Path.of(URI.create(file));
    }

    /**
     * What is logged while it is open. slf4j-simple writes to whatever {@code System.err} is at the
     * time of each line, so swapping the stream catches the container's log lines (and Jasper's,
     * through java.util.logging's console handler only if it was created after the swap, which is
     * why tests look at the container's lines). The lines still reach the real stream.
     */
    static final class LogCapture implements AutoCloseable {
        private final PrintStream original = System.err;
        private final ByteArrayOutputStream captured = new ByteArrayOutputStream();

        LogCapture() {
            OutputStream tee = new OutputStream() {
                @Override
                public void write(int b) {
                    original.write(b);
                    synchronized (captured) {
                        captured.write(b);
                    }
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    original.write(b, off, len);
                    synchronized (captured) {
                        captured.write(b, off, len);
                    }
                }
            };
            System.setErr(new PrintStream(tee, true, StandardCharsets.UTF_8));
        }

        String text() {
            synchronized (captured) {
                return captured.toString(StandardCharsets.UTF_8);
            }
        }

        @Override
        public void close() {
            System.setErr(original);
        }
    }
}
