package dev.weft.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each server of the kit answers both endpoints the same way over two requests on one keep-alive
 * connection, so that run.sh compares like with like. No throughput is measured here.
 */
class BenchServersTest {
    @ParameterizedTest
    @ValueSource(strings = {"weft-core", "weft-servlet", "jetty", "tomcat", "bare"})
    void servesPlaintextAndEcho(String name) throws Exception {
        Main.quietLogging(true);
        BenchServer server = switch (name) {
            case "weft-core" -> new WeftBench(true);
            case "weft-servlet" -> new WeftBench(false);
            case "jetty" -> new JettyBench();
            case "bare" -> new BareBench();
            default -> new TomcatBench();
        };
        int port = server.start("127.0.0.1", 0);
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            out.write("GET /plaintext HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Response plain = Response.read(in);
            assertEquals("Hello, World!", plain.body);
            assertTrue(plain.head.toLowerCase(Locale.ROOT).contains("content-type: text/plain"), plain.head);
            assertTrue(plain.head.contains("Content-Length: 13"), plain.head);

            String body = "y".repeat(1024);
            out.write(("POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/octet-stream\r\n"
                    + "Content-Length: 1024\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Response echo = Response.read(in);
            assertEquals(body, echo.body);
        } finally {
            server.stop();
        }
    }

    record Response(String head, String body) {
        static Response read(InputStream in) throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                int c = in.read();
                if (c < 0) {
                    throw new IOException("closed in the head: " + head);
                }
                head.write(c);
            }
            String h = head.toString(StandardCharsets.ISO_8859_1);
            assertTrue(h.startsWith("HTTP/1.1 200"), h);
            int at = h.toLowerCase(Locale.ROOT).indexOf("content-length:");
            assertTrue(at >= 0, h);
            int length = Integer.parseInt(h.substring(at + 15, h.indexOf("\r\n", at)).trim());
            return new Response(h, new String(in.readNBytes(length), StandardCharsets.ISO_8859_1));
        }
    }
}
