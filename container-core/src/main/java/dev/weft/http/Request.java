package dev.weft.http;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import javax.net.ssl.SSLSession;

/**
 * An HTTP request as received by the server, Go's {@code *http.Request}.
 *
 * <p>Valid only while its handler runs (and, after a hijack, until the hijacker is done with it).
 * The body is read from the connection as the handler consumes it; whatever the handler leaves
 * unread is drained (up to a bound) or the connection is closed after the response.
 */
public final class Request {
    final Conn conn;
    final String method;
    final String target;
    final int protoMinor;
    final Headers headers;
    final String rawPath;
    final String rawQuery;
    final String host;
    final long contentLength;
    final boolean chunked;
    final Body rawBody;
    InputStream body;
    Headers trailers;
    private String path;
    private RequestContext context;
    private String pattern;
    private String[] pathNames;
    private String[] pathValues;
    private int pathCount;
    private String user;

    Request(Conn conn, String method, String target, int protoMinor, Headers headers, String rawPath,
            String rawQuery, String host, long contentLength, boolean chunked, Body body) {
        this.conn = conn;
        this.method = method;
        this.target = target;
        this.protoMinor = protoMinor;
        this.headers = headers;
        this.rawPath = rawPath;
        this.rawQuery = rawQuery;
        this.host = host;
        this.contentLength = contentLength;
        this.chunked = chunked;
        this.rawBody = body;
        this.body = body;
    }

    /** The method token as sent, such as {@code GET}. */
    public String method() {
        return method;
    }

    /** The request-target as sent on the request line: {@code /a%20b?x=1}, {@code *}, or an absolute URI. */
    public String target() {
        return target;
    }

    /** The path, percent-decoded as UTF-8; empty for {@code *} and CONNECT targets. */
    public String path() {
        String p = path;
        if (p == null) {
            p = rawPath.indexOf('%') < 0 ? rawPath : percentDecode(rawPath);
            path = p;
        }
        return p;
    }

    /** The path as sent, still percent-encoded. */
    public String rawPath() {
        return rawPath;
    }

    /** The query after {@code ?}, still encoded, or null when the target had no {@code ?}. */
    public String rawQuery() {
        return rawQuery;
    }

    /** {@code HTTP/1.0} or {@code HTTP/1.1}. */
    public String proto() {
        return protoMinor == 0 ? "HTTP/1.0" : "HTTP/1.1";
    }

    /** Whether the request's protocol version is at least {@code major.minor}. */
    public boolean protoAtLeast(int major, int minor) {
        return 1 > major || (1 == major && protoMinor >= minor);
    }

    /** The request's header fields, as received. */
    public Headers headers() {
        return headers;
    }

    /** The first value of the header field {@code name}, or null. */
    public String header(String name) {
        return headers.get(name);
    }

    /**
     * The host the request is for: the authority of an absolute-form target, else the Host field
     * (RFC 9112 §3.2.2). Empty if the client sent an empty Host, as HTTP/1.0 clients may omit it.
     */
    public String host() {
        return host;
    }

    /** The declared body length, 0 for no body, or -1 when unknown (chunked). */
    public long contentLength() {
        return contentLength;
    }

    /** Whether the body arrives with chunked transfer coding. */
    public boolean isChunked() {
        return chunked;
    }

    /**
     * The request body. Reading it when the client sent {@code Expect: 100-continue} first sends
     * the interim {@code 100 Continue}. Never null; empty when there is no body.
     */
    public InputStream body() {
        return body;
    }

    /** Replaces the body seen by later handlers, as middleware that wraps it does. */
    public void setBody(InputStream body) {
        this.body = body;
    }

    /**
     * Trailer fields of a chunked body; complete only once the body has been read to its end.
     * Empty when there are none.
     */
    public Headers trailers() {
        if (trailers == null) {
            trailers = new Headers(2);
        }
        return trailers;
    }

    /** The client's address. */
    public InetSocketAddress remoteAddress() {
        return conn.remoteAddress();
    }

    /** The server's address the client connected to. */
    public InetSocketAddress localAddress() {
        return conn.localAddress();
    }

    /** The TLS session, or null on a plain connection. */
    public SSLSession tlsSession() {
        return conn.tlsSession();
    }

    /** The protocol ALPN settled on for this TLS connection (such as {@code http/1.1}), or null. */
    public String tlsApplicationProtocol() {
        return conn.applicationProtocol();
    }

    /** Whether the request arrived over TLS. */
    public boolean isSecure() {
        return conn.tlsSession() != null;
    }

    /** An identifier of the connection, unique within this server's process. */
    public long connectionId() {
        return conn.id;
    }

    /**
     * This request's context: done when the handler returns, when the client goes away while the
     * handler runs, or when the server closes the connection. Watching for the client going away
     * starts only once something asks this context whether it is done.
     */
    public Context context() {
        RequestContext c = context;
        if (c == null) {
            c = new RequestContext(conn.context, conn);
            context = c;
        }
        return c;
    }

    /** The pattern of the {@link ServeMux} route that matched, or null. */
    public String pattern() {
        return pattern;
    }

    /** The value of the wildcard {@code name} in the matched {@link ServeMux} pattern, or null. */
    public String pathValue(String name) {
        for (int i = 0; i < pathCount; i++) {
            if (pathNames[i].equals(name)) {
                return pathValues[i];
            }
        }
        return null;
    }

    /** Sets a path value, so that {@link #pathValue} returns it. */
    public void setPathValue(String name, String value) {
        for (int i = 0; i < pathCount; i++) {
            if (pathNames[i].equals(name)) {
                pathValues[i] = value;
                return;
            }
        }
        if (pathNames == null) {
            pathNames = new String[4];
            pathValues = new String[4];
        } else if (pathCount == pathNames.length) {
            pathNames = Arrays.copyOf(pathNames, pathCount * 2);
            pathValues = Arrays.copyOf(pathValues, pathCount * 2);
        }
        pathNames[pathCount] = name;
        pathValues[pathCount] = value;
        pathCount++;
    }

    void setPattern(String pattern) {
        this.pattern = pattern;
    }

    /** Ends this request's context; the connection calls it when the handler returns. */
    void finish() {
        if (context != null) {
            context.cancel();
        }
    }

    /** Who the request was authenticated as, for the access log; null until someone sets it. */
    public String user() {
        return user;
    }

    /** Records who the request was authenticated as (by whatever layer did it), for the access log. */
    public void setUser(String name) {
        this.user = name;
    }

    @Override
    public String toString() {
        return method + " " + target + " " + proto();
    }

    /**
     * Decodes %XX escapes as UTF-8 (malformed sequences become U+FFFD). The parser has checked
     * that every escape is well formed. {@code +} stays as it is: it means space only in forms.
     */
    static String percentDecode(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < s.length()) {
                out.write((Character.digit(s.charAt(i + 1), 16) << 4) | Character.digit(s.charAt(i + 2), 16));
                i += 2;
            } else {
                out.write(c);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** A request's context: asking whether it is done starts the disconnect watch. */
    static final class RequestContext extends Context.Cancellable {
        private final Conn conn;
        private volatile boolean watching;

        RequestContext(Context parent, Conn conn) {
            super(parent);
            this.conn = conn;
        }

        private void watch() {
            if (!watching) {
                watching = true;
                conn.watchForDisconnect();
            }
        }

        @Override
        public boolean isDone() {
            boolean done = super.isDone();
            if (!done) {
                watch();
            }
            return done;
        }

        @Override
        public void onDone(Runnable action) {
            watch();
            super.onDone(action);
        }

        @Override
        public void await() throws InterruptedException {
            watch();
            super.await();
        }

        @Override
        public boolean await(java.time.Duration timeout) throws InterruptedException {
            watch();
            return super.await(timeout);
        }
    }
}
