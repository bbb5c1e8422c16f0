package dev.weft.servlet;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * HTTP/1.x over a plain {@link Socket}, for what an HTTP client library would normalise away:
 * odd request targets, path parameters, encoded characters, HTTP/1.0, absolute-form targets,
 * chunked request bodies with trailers. Responses are read with their framing (Content-Length,
 * chunked with trailers, or to the end of the connection) and kept as bytes.
 */
final class TckWire implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private TckWire(int port) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        socket.setSoTimeout(10_000);
        in = new BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    /** A connection to the server on {@code port}, for several requests in a row. */
    static TckWire open(int port) throws IOException {
        return new TckWire(port);
    }

    /** One request on a new connection; the request text is sent as ISO-8859-1 bytes. */
    static Resp exchange(int port, String request) throws IOException {
        return exchange(port, request.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** One request on a new connection. */
    static Resp exchange(int port, byte[] request) throws IOException {
        try (TckWire c = open(port)) {
            return c.send(request);
        }
    }

    /** {@code GET target HTTP/1.1} with a Host field, {@code Connection: close} and the extra header lines given. */
    static Resp get(int port, String target, String... headerLines) throws IOException {
        StringBuilder b = new StringBuilder("GET ").append(target).append(" HTTP/1.1\r\n")
                .append("Host: 127.0.0.1:").append(port).append("\r\n");
        for (String h : headerLines) {
            b.append(h).append("\r\n");
        }
        b.append("Connection: close\r\n\r\n");
        return exchange(port, b.toString());
    }

    /** Sends a request and reads its response. */
    Resp send(String request) throws IOException {
        return send(request.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Sends a request and reads its response. */
    Resp send(byte[] request) throws IOException {
        write(request);
        return read(request.length >= 4 && new String(request, 0, 4, StandardCharsets.ISO_8859_1).equals("HEAD"));
    }

    /** The local port of this connection, as the server sees the client's. */
    int localPort() {
        return socket.getLocalPort();
    }

    void write(byte[] b) throws IOException {
        out.write(b);
        out.flush();
    }

    /** Reads one response; {@code head} when it answers a HEAD request (no body). */
    Resp read(boolean head) throws IOException {
        String statusLine = line();
        String[] parts = statusLine.split(" ", 3);
        int status = Integer.parseInt(parts[1]);
        List<String[]> headers = fields();
        Resp partial = new Resp(statusLine, status, headers, new byte[0], List.of());
        byte[] body;
        List<String[]> trailers = List.of();
        String te = partial.header("Transfer-Encoding");
        String cl = partial.header("Content-Length");
        if (head || status == 204 || status == 304 || (status >= 100 && status < 200)) {
            body = new byte[0];
        } else if (te != null && te.toLowerCase(Locale.ROOT).contains("chunked")) {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            while (true) {
                String size = line();
                int semi = size.indexOf(';');
                int n = Integer.parseInt((semi < 0 ? size : size.substring(0, semi)).strip(), 16);
                if (n == 0) {
                    break;
                }
                buf.write(in.readNBytes(n));
                if (!line().isEmpty()) {
                    throw new IOException("chunk not followed by CRLF");
                }
            }
            trailers = fields();
            body = buf.toByteArray();
        } else if (cl != null) {
            int n = Integer.parseInt(cl.strip());
            body = in.readNBytes(n);
            if (body.length != n) {
                throw new EOFException("body ended after " + body.length + " of " + n + " bytes");
            }
        } else {
            body = in.readAllBytes();
        }
        return new Resp(statusLine, status, headers, body, trailers);
    }

    /** Whether the server closed the connection: a read sees the end of the stream. */
    boolean closedByServer() throws IOException {
        try {
            return in.read() < 0;
        } catch (IOException e) {
            return true;
        }
    }

    private List<String[]> fields() throws IOException {
        List<String[]> out = new ArrayList<>();
        while (true) {
            String l = line();
            if (l.isEmpty()) {
                return out;
            }
            int colon = l.indexOf(':');
            out.add(new String[] {l.substring(0, colon), l.substring(colon + 1).strip()});
        }
    }

    private String line() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        while (true) {
            int c = in.read();
            if (c < 0) {
                throw new EOFException("connection closed mid-line after \"" + b.toString(StandardCharsets.ISO_8859_1) + "\"");
            }
            if (c == '\n') {
                byte[] l = b.toByteArray();
                int n = l.length > 0 && l[l.length - 1] == '\r' ? l.length - 1 : l.length;
                return new String(l, 0, n, StandardCharsets.ISO_8859_1);
            }
            b.write(c);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /** A response as it came over the wire. */
    record Resp(String statusLine, int status, List<String[]> headers, byte[] bodyBytes, List<String[]> trailers) {
        /** The first value of a header field, by case-insensitive name, or null. */
        String header(String name) {
            return first(headers, name);
        }

        /** Every value of a header field, in order. */
        List<String> headers(String name) {
            List<String> v = new ArrayList<>();
            for (String[] h : headers) {
                if (h[0].equalsIgnoreCase(name)) {
                    v.add(h[1]);
                }
            }
            return v;
        }

        /** The first value of a trailer field, or null. */
        String trailer(String name) {
            return first(trailers, name);
        }

        /** The body read as UTF-8. */
        String body() {
            return new String(bodyBytes, StandardCharsets.UTF_8);
        }

        private static String first(List<String[]> fields, String name) {
            for (String[] h : fields) {
                if (h[0].equalsIgnoreCase(name)) {
                    return h[1];
                }
            }
            return null;
        }
    }
}
