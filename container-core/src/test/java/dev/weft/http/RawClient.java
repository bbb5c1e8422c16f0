package dev.weft.http;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * A raw-socket HTTP/1.1 client for tests: sends exactly the bytes given and parses the responses
 * that come back, with their framing, so a test can assert on every byte and on whether the server
 * closed the connection.
 */
final class RawClient implements Closeable {
    final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    RawClient(int port) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(10_000);
        in = new java.io.BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    RawClient send(String s) throws IOException {
        return send(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    RawClient send(byte[] b) throws IOException {
        out.write(b);
        out.flush();
        return this;
    }

    /** Sends one byte at a time, as a slow client or a fragmenting network would. */
    RawClient sendByteByByte(String s) throws IOException {
        for (byte b : s.getBytes(StandardCharsets.ISO_8859_1)) {
            out.write(b);
            out.flush();
        }
        return this;
    }

    RawClient timeout(int millis) throws IOException {
        socket.setSoTimeout(millis);
        return this;
    }

    /** Reads one response to a request with method {@code method} (HEAD responses have no body). */
    Resp read(String method) throws IOException {
        Resp r = new Resp();
        String statusLine = line();
        if (statusLine == null) {
            throw new java.io.EOFException("connection closed before a response");
        }
        r.statusLine = statusLine;
        r.status = Integer.parseInt(statusLine.substring(9, 12));
        readFields(r.headers);
        if (r.status >= 100 && r.status < 200 && r.status != 101) {
            r.interim = true;
            return r;
        }
        if (method.equals("HEAD") || r.status == 204 || r.status == 304 || r.status == 101) {
            return r;
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        String te = r.headers.get("Transfer-Encoding");
        String cl = r.headers.get("Content-Length");
        if (te != null && te.equalsIgnoreCase("chunked")) {
            while (true) {
                String sizeLine = line();
                if (sizeLine == null) {
                    r.truncated = true;
                    break;
                }
                int semi = sizeLine.indexOf(';');
                int size = Integer.parseInt((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim(), 16);
                if (size == 0) {
                    readFields(r.trailers);
                    break;
                }
                byte[] chunk = in.readNBytes(size);
                body.write(chunk);
                if (chunk.length < size) {
                    r.truncated = true;
                    break;
                }
                String crlf = line();
                if (crlf == null || !crlf.isEmpty()) {
                    throw new IOException("bad chunk terminator: " + crlf);
                }
            }
        } else if (cl != null) {
            int n = Integer.parseInt(cl);
            byte[] b = in.readNBytes(n);
            body.write(b);
            r.truncated = b.length < n;
        } else {
            body.write(in.readAllBytes());
            r.closeDelimited = true;
        }
        r.body = body.toByteArray();
        return r;
    }

    Resp read() throws IOException {
        return read("GET");
    }

    /** Reads a final response, skipping and collecting interim (1xx) ones. */
    Resp readFinal(String method) throws IOException {
        java.util.List<Resp> interim = new java.util.ArrayList<>();
        while (true) {
            Resp r = read(method);
            if (!r.interim) {
                r.interimResponses = interim;
                return r;
            }
            interim.add(r);
        }
    }

    /** Whether the server closed the connection: the next read sees end of stream (or a reset). */
    boolean closedByServer() throws IOException {
        int old = socket.getSoTimeout();
        socket.setSoTimeout(5000);
        try {
            return in.read() == -1;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset
        } finally {
            socket.setSoTimeout(old);
        }
    }

    /**
     * Whether the server closes the connection within the socket's current read timeout; false
     * if the timeout passes first. Consumes a byte if the server sends one.
     */
    boolean closedByServerWithin() throws IOException {
        try {
            return in.read() == -1;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    /** Reads everything until the server closes, as text. */
    String readAll() throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }

    private void readFields(Headers h) throws IOException {
        for (String l = line(); l != null && !l.isEmpty(); l = line()) {
            int c = l.indexOf(':');
            h.add(l.substring(0, c), l.substring(c + 1).strip());
        }
    }

    private String line() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        while (true) {
            int c = in.read();
            if (c < 0) {
                return b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
            }
            if (c == '\n') {
                String s = b.toString(StandardCharsets.ISO_8859_1);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            b.write(c);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    static final class Resp {
        String statusLine;
        int status;
        final Headers headers = new Headers();
        final Headers trailers = new Headers();
        byte[] body = new byte[0];
        boolean interim;
        boolean truncated;
        boolean closeDelimited;
        java.util.List<Resp> interimResponses = java.util.List.of();

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        String header(String name) {
            return headers.get(name);
        }

        @Override
        public String toString() {
            return statusLine + "\n" + headers + "\n" + text();
        }
    }
}
