package dev.weft.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.http.Handler;
import dev.weft.http.Server;
import dev.weft.servlet.ServletHandler;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Wherever the container runs application code, the thread's context class loader is the
 * application's (Servlet 6.1 §10.7.2): listeners, servlets, asynchronous tasks and listeners,
 * ReadListener and WriteListener callbacks, upgrade handlers; and whatever the thread had before
 * is back once the container has its thread again.
 */
class ContextClassLoaderTest {
    @TempDir
    Path dir;

    ServletHandler servlets;
    Deployer deployer;
    Server server;
    int port;
    Http http;
    /** Requests after which the connection's thread did not have its own context class loader back. */
    final List<String> notRestored = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startServer() throws Exception {
        servlets = new ServletHandler();
        deployer = new Deployer(servlets, dir.resolve("work"));
        Handler watching = (w, r) -> {
            ClassLoader before = Thread.currentThread().getContextClassLoader();
            try {
                servlets.serve(w, r);
            } finally {
                ClassLoader after = Thread.currentThread().getContextClassLoader();
                if (after != before) {
                    notRestored.add(r.method() + " " + r.target() + " left " + after);
                }
            }
        };
        server = Server.builder().address("127.0.0.1", 0).handler(watching).build();
        port = server.start().address().getPort();
        http = new Http(port);
    }

    @AfterEach
    void stopServer() {
        http.close();
        server.close();
    }

    @SuppressWarnings("unchecked")
    static Map<String, String> notes(Deployment d) {
        return (Map<String, String>) d.app().getAttribute("tccl");
    }

    @Test
    void applicationCodeAlwaysRunsWithTheApplicationsLoader() throws Exception {
        Path war = WarBuilder.war().fixtures("isolation").write(dir.resolve("tccl.war"));
        ClassLoader mine = Thread.currentThread().getContextClassLoader();
        Deployment d = deployer.deploy(war);
        assertSame(mine, Thread.currentThread().getContextClassLoader(), "deploying gives the thread its loader back");
        Map<String, String> notes = notes(d);

        assertEquals("200 ", http.fetch("/tccl/probe"));
        assertEquals("200 started, tccl=app", http.fetch("/tccl/async"));
        assertEquals("200 timed out, tccl=app", http.fetch("/tccl/async?timeout"));
        assertEquals("HTTP/1.1 200 OK|read 11 bytes", post("/tccl/nonblocking", "hello world"));
        assertEquals(List.of("HTTP/1.1 101 Switching Protocols", "init tccl=app", "echo hi tccl=app"), upgrade("/tccl/upgrade", "hi"));

        List<String> places = List.of("contextInitialized", "requestInitialized", "servlet", "async.start",
                "asyncListener.onComplete", "asyncListener.onTimeout", "readListener.onDataAvailable",
                "readListener.onAllDataRead", "writeListener.onWritePossible", "upgrade.init",
                "upgrade.onDataAvailable", "upgrade.destroy");
        // Some run after the response is on its way: onComplete, the upgraded connection's destroy.
        Http.await("every place to be noted", () -> notes.keySet().containsAll(places), () -> new TreeMap<>(notes).toString());
        for (String place : places) {
            assertEquals("app", notes.get(place), place);
        }
        assertEquals(List.of(), notRestored);

        deployer.undeploy(d);
        assertEquals("app", notes.get("contextDestroyed"));
        assertSame(mine, Thread.currentThread().getContextClassLoader(), "undeploying gives the thread its loader back");
    }

    /** A POST on its own connection; {@code status line|body}. */
    private String post(String path, String body) throws IOException {
        try (Socket s = connect()) {
            send(s, "POST " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Length: "
                    + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body);
            String response = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String head = response.substring(0, response.indexOf("\r\n\r\n"));
            String rest = response.substring(head.length() + 4);
            return head.substring(0, head.indexOf("\r\n")) + "|"
                    + (head.toLowerCase(java.util.Locale.ROOT).contains("transfer-encoding: chunked") ? dechunk(rest) : rest);
        }
    }

    private static String dechunk(String chunked) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (true) {
            int eol = chunked.indexOf("\r\n", i);
            int size = Integer.parseInt(chunked.substring(i, eol).strip(), 16);
            if (size == 0) {
                return out.toString();
            }
            out.append(chunked, eol + 2, eol + 2 + size);
            i = eol + 2 + size + 2;
        }
    }

    /** Upgrades to the probe protocol, sends one line, and returns the status line and what the handler said. */
    private List<String> upgrade(String path, String line) throws IOException {
        try (Socket s = connect()) {
            send(s, "GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: Upgrade\r\nUpgrade: probe\r\n\r\n");
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            String status = in.readLine();
            String field;
            do {
                field = in.readLine(); // the 101's header fields, up to the empty line
            } while (field != null && !field.isEmpty());
            String greeting = in.readLine();
            send(s, line + "\n");
            String echo = in.readLine();
            assertEquals(null, in.readLine(), "the handler closes the connection after its answer");
            return List.of(status, greeting, echo);
        }
    }

    private Socket connect() throws IOException {
        Socket s = new Socket("127.0.0.1", port);
        s.setSoTimeout(10_000);
        return s;
    }

    private static void send(Socket s, String text) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    @Test
    void aFailedStartGivesTheThreadItsLoaderBack() throws Exception {
        Path war = WarBuilder.war().fixtures("isolation")
                .text("WEB-INF/web.xml", WarBuilder.webXml("  <listener><listener-class>no.such.Listener</listener-class></listener>\n"))
                .write(dir.resolve("broken.war"));
        ClassLoader mine = Thread.currentThread().getContextClassLoader();
        try {
            deployer.deploy(war);
            throw new AssertionError("a listener that does not exist was deployed");
        } catch (DeploymentException expected) {
            assertTrue(expected.getMessage().startsWith("broken.war: "), expected.getMessage());
        }
        assertSame(mine, Thread.currentThread().getContextClassLoader());
        assertTrue(servlets.apps().isEmpty());
    }
}
