package dev.weft.examples.websocket;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A WebSocket echo endpoint on nothing but the Servlet API: the opening handshake of RFC 6455 §4.2
 * here, then {@link HttpServletRequest#upgrade} hands the connection to an {@link EchoHandler}.
 *
 * <p>Init parameters:
 * <ul>
 *   <li>{@code maxMessageSize}: the largest message, in bytes, reassembled and echoed (default
 *       1 MiB); a larger one fails the connection with 1009</li>
 *   <li>{@code closeTimeoutMillis}: how long to wait for the peer's Close frame after sending ours
 *       (default 2000)</li>
 *   <li>{@code subprotocols}: comma-separated subprotocols this endpoint speaks (default none); the
 *       first one the client offers is chosen</li>
 * </ul>
 *
 * <p>No {@code Origin} check: an echo reads no cookies and holds no user data, so a page from
 * another site gains nothing by connecting. An endpoint that authenticates by cookie must check it.
 * No extension (permessage-deflate) is negotiated, so every RSV bit must be 0.
 *
 * <p>The servlet sets itself as the context attribute named after its class, so an application
 * (or a test) can ask it how many connections are open.
 */
public class WebSocketEchoServlet extends HttpServlet {
    /** §1.3: appended to the client's key before hashing, proving the server read the handshake. */
    static final String ACCEPT_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private int maxMessageSize = 1 << 20;
    private Duration closeTimeout = Duration.ofSeconds(2);
    private List<String> subprotocols = List.of();
    private final Set<EchoHandler> open = ConcurrentHashMap.newKeySet();

    @Override
    public void init() throws ServletException {
        maxMessageSize = intParameter("maxMessageSize", maxMessageSize);
        closeTimeout = Duration.ofMillis(intParameter("closeTimeoutMillis", (int) closeTimeout.toMillis()));
        String p = getInitParameter("subprotocols");
        if (p != null) {
            subprotocols = tokens(p);
        }
        getServletContext().setAttribute(WebSocketEchoServlet.class.getName(), this);
    }

    /** Connections upgraded and not yet destroyed. */
    public int openConnections() {
        return open.size();
    }

    /**
     * The application is stopping: every open connection is closed with 1001 Going Away, each on
     * its own thread, as a client that stopped reading can hold up the sending of its Close frame
     * for the whole close timeout, and the application's stop should not wait for that.
     */
    @Override
    public void destroy() {
        for (EchoHandler h : open) {
            Thread.ofVirtual().name("websocket-going-away").start(h::goingAway);
        }
        getServletContext().removeAttribute(WebSocketEchoServlet.class.getName());
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException, ServletException {
        // Any other method is simply not what this resource supports, hence 405 rather than 400.
        if (!req.getMethod().equals("GET")) {
            resp.setHeader("Allow", "GET");
            refuse(resp, HttpServletResponse.SC_METHOD_NOT_ALLOWED, "a WebSocket handshake is a GET request");
            return;
        }
        if (!req.getProtocol().equals("HTTP/1.1")) {
            refuse(resp, HttpServletResponse.SC_BAD_REQUEST, "a WebSocket handshake needs HTTP/1.1");
            return;
        }
        if (!hasToken(req, "Upgrade", "websocket")) {
            refuse(resp, HttpServletResponse.SC_BAD_REQUEST, "not a WebSocket handshake: no \"Upgrade: websocket\"");
            return;
        }
        if (!hasToken(req, "Connection", "upgrade")) {
            refuse(resp, HttpServletResponse.SC_BAD_REQUEST, "not a WebSocket handshake: no \"Connection: Upgrade\"");
            return;
        }
        if (!"13".equals(single(req, "Sec-WebSocket-Version"))) {
            // §4.4: say which version this server speaks, so the client may retry with it.
            resp.setHeader("Sec-WebSocket-Version", "13");
            resp.setHeader("Upgrade", "websocket");
            resp.setHeader("Connection", "Upgrade");
            refuse(resp, 426, "unsupported WebSocket version; this server speaks 13");
            return;
        }
        String key = single(req, "Sec-WebSocket-Key");
        if (!validKey(key)) {
            refuse(resp, HttpServletResponse.SC_BAD_REQUEST, "Sec-WebSocket-Key must be one base64-encoded 16-byte value");
            return;
        }
        String protocol = chooseSubprotocol(req);
        resp.setHeader("Upgrade", "websocket");
        resp.setHeader("Connection", "Upgrade");
        resp.setHeader("Sec-WebSocket-Accept", acceptKey(key));
        if (protocol != null) {
            resp.setHeader("Sec-WebSocket-Protocol", protocol);
        }
        EchoHandler handler = req.upgrade(EchoHandler.class);
        handler.configure(maxMessageSize, closeTimeout, open);
    }

    /** §4.2.2: base64 of the SHA-1 of the key (as sent, not decoded) followed by the GUID. */
    static String acceptKey(String key) {
        try {
            byte[] sha1 = MessageDigest.getInstance("SHA-1").digest((key + ACCEPT_GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(sha1);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-1", e);
        }
    }

    /** §4.1: 16 random bytes, base64-encoded, which is always 24 characters ending in "==". */
    static boolean validKey(String key) {
        if (key == null || key.length() != 24) {
            return false;
        }
        try {
            return Base64.getDecoder().decode(key).length == 16;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The first subprotocol the client lists, in its order of preference, that this endpoint speaks. */
    private String chooseSubprotocol(HttpServletRequest req) {
        if (subprotocols.isEmpty()) {
            return null;
        }
        for (String value : Collections.list(req.getHeaders("Sec-WebSocket-Protocol"))) {
            for (String offered : tokens(value)) {
                if (subprotocols.contains(offered)) {
                    return offered;
                }
            }
        }
        return null;
    }

    /** Whether a comma-separated header, over all its fields, lists {@code token}, ignoring case. */
    private static boolean hasToken(HttpServletRequest req, String name, String token) {
        Enumeration<String> values = req.getHeaders(name);
        while (values.hasMoreElements()) {
            for (String t : tokens(values.nextElement())) {
                if (t.equalsIgnoreCase(token)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The header's value if it came exactly once, else null: two keys or versions make no sense. */
    private static String single(HttpServletRequest req, String name) {
        List<String> values = Collections.list(req.getHeaders(name));
        return values.size() == 1 ? values.get(0).strip() : null;
    }

    private static List<String> tokens(String value) {
        List<String> tokens = new ArrayList<>();
        for (String t : value.split(",")) {
            String s = t.strip();
            if (!s.isEmpty()) {
                tokens.add(s);
            }
        }
        return tokens;
    }

    private int intParameter(String name, int fallback) throws ServletException {
        String v = getInitParameter(name);
        if (v == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v.strip());
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new ServletException("init parameter " + name + " must be a positive integer, not \"" + v + "\"");
    }

    private static void refuse(HttpServletResponse resp, int status, String why) throws IOException {
        resp.setStatus(status);
        resp.setContentType("text/plain;charset=UTF-8");
        resp.getWriter().println(why);
    }
}
