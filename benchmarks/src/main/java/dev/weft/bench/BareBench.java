package dev.weft.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Not a server anyone should deploy: the least a JDK program can do to answer the two endpoints
 * with a virtual thread per connection (blocking reads and writes, one buffer, no routing, no
 * limits, no timeouts). It is the floor under Weft's figures on the same JDK: what is left when
 * everything Weft does is taken away, and what the JDK's own scheduling does on its own.
 * Understands exactly what wrk and the echo script send: a request head, and a body when it has
 * a Content-Length.
 */
final class BareBench implements BenchServer {
    private static final byte[] PLAINTEXT = ("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: "
            + BenchServlets.HELLO.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NOT_FOUND =
            "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private ServerSocket listener;

    @Override
    public int start(String host, int port) throws IOException {
        listener = new ServerSocket();
        listener.bind(new InetSocketAddress(host, port), 4096);
        Thread.ofPlatform().name("bare-accept").start(this::accept);
        return listener.getLocalPort();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket s = listener.accept();
                s.setTcpNoDelay(true);
                Thread.ofVirtual().start(() -> serve(s));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private static void serve(Socket s) {
        try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
            byte[] buf = new byte[16 << 10];
            int have = 0;
            while (true) {
                int end = headEnd(buf, have);
                while (end < 0) {
                    if (have == buf.length) {
                        return; // a head this server does not expect
                    }
                    int n = in.read(buf, have, buf.length - have);
                    if (n < 0) {
                        return;
                    }
                    have += n;
                    end = headEnd(buf, have);
                }
                String head = new String(buf, 0, end, StandardCharsets.ISO_8859_1);
                int length = contentLength(head);
                while (have < end + length) {
                    if (end + length > buf.length) {
                        buf = Arrays.copyOf(buf, end + length);
                    }
                    int n = in.read(buf, have, buf.length - have);
                    if (n < 0) {
                        return;
                    }
                    have += n;
                }
                if (head.startsWith("GET /plaintext ")) {
                    byte[] r = Arrays.copyOf(PLAINTEXT, PLAINTEXT.length + BenchServlets.HELLO.length);
                    System.arraycopy(BenchServlets.HELLO, 0, r, PLAINTEXT.length, BenchServlets.HELLO.length);
                    out.write(r);
                } else if (head.startsWith("POST /echo ")) {
                    String type = header(head, "content-type");
                    byte[] h = ("HTTP/1.1 200 OK\r\nContent-Type: " + (type != null ? type : "application/octet-stream")
                            + "\r\nContent-Length: " + length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
                    byte[] r = Arrays.copyOf(h, h.length + length);
                    System.arraycopy(buf, end, r, h.length, length);
                    out.write(r);
                } else {
                    out.write(NOT_FOUND);
                }
                if ("close".equalsIgnoreCase(header(head, "connection"))) {
                    return;
                }
                int used = end + length;
                System.arraycopy(buf, used, buf, 0, have - used);
                have -= used;
            }
        } catch (IOException e) {
            // the client went away
        }
    }

    /** Where the blank line after the head ends, or -1. */
    private static int headEnd(byte[] b, int n) {
        for (int i = 0; i + 3 < n; i++) {
            if (b[i] == '\r' && b[i + 1] == '\n' && b[i + 2] == '\r' && b[i + 3] == '\n') {
                return i + 4;
            }
        }
        return -1;
    }

    private static String header(String head, String lowerName) {
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().toLowerCase(java.util.Locale.ROOT).equals(lowerName)) {
                return line.substring(colon + 1).trim();
            }
        }
        return null;
    }

    private static int contentLength(String head) {
        String v = header(head, "content-length");
        return v == null ? 0 : Integer.parseInt(v);
    }

    @Override
    public void stop() {
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public String mode() {
        return "bare";
    }
}
