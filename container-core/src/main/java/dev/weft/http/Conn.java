package dev.weft.http;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

/**
 * One client connection and the virtual thread that serves it for its whole life: Go's
 * {@code conn} and {@code (*conn).serve}.
 *
 * <p>{@link #serve} is the loop to read top to bottom: wait for a request, read its head, run the
 * handler on this same thread, finish the response, decide keep-alive, go idle, repeat. Every
 * protocol error ends up in {@link #refuse}, the one place that turns it into a status and a close.
 */
final class Conn {
    private static final AtomicLong IDS = new AtomicLong();
    private static final int CLOSING = 0x80; // set in the packed state by Server.closeIdleConns
    private static final ConnState[] STATES = ConnState.values();

    final long id = IDS.incrementAndGet();
    final Server server;
    final Socket socket; // as accepted; the one the ConnState hook sees
    private final TlsConfig tls;
    private Socket io; // what requests are read from and written to: the socket, or TLS over it
    final Context.Cancellable context;
    private SocketReader reader;
    private ConnInput in;
    private ConnOutput out;
    private String applicationProtocol;

    // Packed (epoch seconds << 8 | closing bit | state ordinal): one atomic read gives
    // shutdown both the state and how long the connection has been in it.
    private final AtomicLong state = new AtomicLong();
    private final ReentrantLock mu = new ReentrantLock(); // guards hijacked
    private boolean hijacked;
    /** When the current response must be written by, as System.nanoTime(); 0 for none. Read by the server's sweeper. */
    volatile long writeDeadline;
    private final Body.EofListener allowWatchOnEof;
    private InetSocketAddress remote;
    private InetSocketAddress local;
    private SSLSession tlsSession;
    private int refusedStatus; // set by refuse(), so a refused request is logged once
    private long accountedIn; // bytes already added to the server's stats
    private long accountedOut;

    Conn(Server server, Socket socket, Context connContext, TlsConfig tls) throws IOException {
        this.server = server;
        this.socket = socket;
        this.tls = tls;
        this.context = Context.withCancel(connContext);
        this.allowWatchOnEof = () -> reader.allowWatch(true);
        if (tls == null) {
            useStreams(socket);
        }
    }

    private void useStreams(Socket s) throws IOException {
        io = s;
        reader = new SocketReader(socket, s.getInputStream(), context);
        in = new ConnInput(reader);
        out = new ConnOutput(s.getOutputStream());
    }

    void serve() {
        try {
            remote = (InetSocketAddress) socket.getRemoteSocketAddress();
            local = (InetSocketAddress) socket.getLocalSocketAddress();
            if (tls != null && !handshake()) {
                return;
            }
            loop();
        } catch (Throwable t) {
            server.log.error("http: unexpected error serving {}", remote, t);
        } finally {
            context.cancel();
            account();
            if (!isHijacked()) {
                closeSocket();
                if (in != null) {
                    in.releaseAll();
                    out.discard();
                    out.release();
                }
                setState(ConnState.CLOSED);
            }
        }
    }

    private static final byte[] HTTP_ON_TLS_PORT =
            "HTTP/1.0 400 Bad Request\r\n\r\nClient sent an HTTP request to an HTTPS server.\n"
                    .getBytes(StandardCharsets.US_ASCII);

    /**
     * The TLS handshake, on this connection's own thread and within the handshake timeout, as in
     * Go. A client speaking plain HTTP to the TLS port gets Go's 400 in plain text. If ALPN
     * settled on a protocol with its own handler, that handler takes the connection over.
     * Returns whether to go on serving HTTP/1.x.
     */
    private boolean handshake() throws IOException {
        long timeout = server.tlsHandshakeTimeoutNanos;
        // A timed read only for the handshake: one timer per connection, not per request.
        socket.setSoTimeout(timeout > 0 ? (int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(timeout)) : 0);
        byte[] head = new byte[5];
        int n = 0;
        try {
            var raw = socket.getInputStream();
            while (n < head.length) {
                int r = raw.read(head, n, head.length - n);
                if (r < 0) {
                    break;
                }
                n += r;
            }
        } catch (IOException e) {
            server.log.debug("http: TLS handshake from {} never started: {}", remote, e.toString());
            server.stats.tlsHandshakeFailures.increment();
            return false;
        }
        if (n == head.length && looksLikeHttp(head)) {
            server.log.info("http: plain HTTP request from {} on a TLS port", remote);
            socket.getOutputStream().write(HTTP_ON_TLS_PORT);
            socket.getOutputStream().flush();
            return false;
        }
        SSLSocket ssl;
        try {
            ssl = tls.wrap(socket, new java.io.ByteArrayInputStream(head, 0, n));
            ssl.startHandshake();
        } catch (IOException e) {
            server.log.info("http: TLS handshake error from {}: {}", remote, e.getMessage());
            server.stats.tlsHandshakeFailures.increment();
            return false;
        }
        socket.setSoTimeout(0);
        tlsSession = ssl.getSession();
        applicationProtocol = ssl.getApplicationProtocol();
        if (applicationProtocol != null && applicationProtocol.isEmpty()) {
            applicationProtocol = null; // the client offered no ALPN
        }
        Server.NextProtocol next = applicationProtocol == null || applicationProtocol.isEmpty()
                ? null : server.nextProtocol(applicationProtocol);
        if (next != null) {
            // Another protocol takes the connection: hijacked, without a hook call (Go's TLSNextProto).
            mu.lock();
            try {
                hijacked = true;
            } finally {
                mu.unlock();
            }
            server.trackConn(this, false);
            server.trackHijacked(ssl, true);
            state.set(pack(ConnState.HIJACKED));
            try {
                next.serve(server, ssl, server.handler);
            } catch (Exception e) {
                server.log.error("http: {} handler failed for {}", applicationProtocol, remote, e);
                try {
                    ssl.close();
                } catch (IOException ignored) {
                    // closing is all that is left
                }
            }
            return false;
        }
        useStreams(ssl);
        return true;
    }

    /** Go's tlsRecordHeaderLooksLikeHTTP: the first five bytes of an HTTP request, not a TLS record. */
    private static boolean looksLikeHttp(byte[] h) {
        String s = new String(h, StandardCharsets.US_ASCII);
        return s.equals("GET /") || s.equals("HEAD ") || s.equals("POST ") || s.equals("PUT /") || s.equals("OPTIO");
    }

    /** The protocol ALPN settled on, or null. */
    String applicationProtocol() {
        return applicationProtocol;
    }

    private void loop() throws IOException {
        Timeouts timeouts = new Timeouts(server);
        long requestStart = System.nanoTime();
        reader.setDeadline(timeouts.deadline(requestStart, timeouts.readHeader));
        try {
            if (!in.awaitByte() || !becomeActive()) {
                return;
            }
        } catch (IOException e) {
            // Closed, reset or timed out before sending anything: nothing to answer.
            server.log.debug("http: {} sent no request: {}", remote, e.toString());
            return;
        }
        while (true) {
            // Read the request head under the header deadline, then the body under the whole-request one.
            Request req;
            try {
                req = RequestParser.parse(this, in, server.limits);
            } catch (HttpException e) {
                refuse(e.status(), e.getMessage(), null);
                return;
            } catch (SocketTimeoutException e) {
                // At least the first byte arrived, so this is a request that came too slowly.
                refuse(408, "timed out reading the request head", null);
                return;
            } catch (IOException e) {
                return; // EOF or reset mid-head: nothing to answer
            }
            reader.setDeadline(timeouts.deadline(requestStart, timeouts.read));
            if (server.writeTimeoutNanos > 0) {
                writeDeadline = System.nanoTime() + server.writeTimeoutNanos;
            }

            Response w = new Response(this, req, out);
            String expect = req.headers.get("Expect");
            if (expect != null && !expect.isBlank()) {
                if (!expect.strip().equalsIgnoreCase("100-continue") || req.headers.count("Expect") > 1) {
                    refuse(417, "unsupported expectation", req);
                    return;
                }
                if (req.protoAtLeast(1, 1) && req.contentLength != 0) {
                    w.expectContinue();
                }
            }
            if (req.rawBody.isEof()) {
                reader.allowWatch(true);
            } else {
                req.rawBody.onEof(allowWatchOnEof);
            }

            RequestEvent event = null;
            if (jdk.jfr.FlightRecorder.isInitialized() && RequestEvent.enabled()) {
                event = new RequestEvent();
                event.begin();
            }
            refusedStatus = 0;
            Throwable failure = null;
            try {
                if (req.method.equals("OPTIONS") && req.target.equals("*")) {
                    w.header().set("Content-Length", "0");
                } else {
                    server.handler.serve(w, req);
                }
            } catch (Throwable t) {
                failure = t;
            }
            req.finish();
            reader.allowWatch(false);
            if (isHijacked()) {
                if (failure != null && !(failure instanceof AbortHandlerException)) {
                    server.log.error("http: handler failed serving {} {} after hijack", remote, req, failure);
                }
                finished(req, w, requestStart, event);
                return;
            }
            if (failure != null) {
                if (!handlerFailed(failure, w, req)) {
                    finished(req, w, requestStart, event);
                    return;
                }
            } else if (req.rawBody.error() instanceof HttpException e && !w.isCommitted()) {
                // The handler saw the body's framing error and carried on; the client gets the error.
                refuse(e.status(), e.getMessage(), req);
                return;
            }
            try {
                w.finishRequest();
            } catch (IOException e) {
                server.log.debug("http: finishing response to {} failed: {}", remote, e.toString());
                finished(req, w, requestStart, event);
                return;
            }
            finished(req, w, requestStart, event);
            writeDeadline = 0;
            if (!w.shouldReuseConnection()) {
                if (w.bodyLeftUnread) {
                    closeWriteAndWait();
                }
                return;
            }
            if (!server.keepAlivesEnabled()) {
                return;
            }

            // Idle: hold no pooled buffers, wait for the next request's first bytes under the idle deadline.
            setState(ConnState.IDLE);
            in.release();
            out.release();
            reader.setDeadline(timeouts.deadline(System.nanoTime(), timeouts.idle));
            try {
                if (!in.awaitByte()) {
                    return;
                }
            } catch (IOException e) {
                return;
            }
            if (!becomeActive()) {
                return;
            }
            requestStart = System.nanoTime();
            reader.setDeadline(timeouts.deadline(requestStart, timeouts.readHeader));
        }
    }

    /** A request reached its handler and is done: count it, log it, and record its event. */
    private void finished(Request req, Response w, long start, RequestEvent event) {
        if (refusedStatus != 0) {
            return; // refuse() told the log already
        }
        server.stats.requests.increment();
        account();
        int status = w.isHijacked() && !w.isCommitted() ? 0 : w.status();
        if (server.requestLog != null) {
            try {
                server.requestLog.log(req, status, w.written(), start, System.nanoTime() - start);
            } catch (RuntimeException e) {
                server.log.warn("http: request log failed: {}", e.toString());
            }
        }
        if (event != null) {
            event.end();
            if (event.shouldCommit()) {
                event.method = req.method;
                event.path = req.path();
                event.status = status;
                event.bytes = w.written();
                event.remote = remote == null ? null : Server.hostPort(remote);
                event.commit();
            }
        }
    }

    /** Adds the bytes moved since the last call to the server's totals. */
    private void account() {
        if (reader != null) {
            long r = reader.bytesRead();
            server.stats.bytesIn.add(r - accountedIn);
            accountedIn = r;
        }
        if (out != null) {
            long o = out.bytesWritten();
            server.stats.bytesOut.add(o - accountedOut);
            accountedOut = o;
        }
    }

    /**
     * A handler threw. Go's recover(): log it with its stack, answer 500 and close if nothing was
     * sent yet, else abort the connection. Returns whether the response can still be finished.
     */
    private boolean handlerFailed(Throwable t, Response w, Request req) {
        if (t instanceof AbortHandlerException) {
            return false;
        }
        IOException bodyError = req.rawBody.error();
        if (bodyError instanceof HttpException e) {
            // A malformed or oversized body made the handler fail: the client's error, not the handler's.
            if (!w.isCommitted()) {
                refuse(e.status(), e.getMessage(), req);
            }
            return false;
        }
        if (bodyError != null) {
            server.log.debug("http: reading the body from {} failed: {}", remote, bodyError.toString());
            return false; // the client went away or was too slow sending the body
        }
        server.log.error("http: handler failed serving {} {}", remote, req, t);
        server.stats.handlerErrors.increment();
        if (!w.isCommitted()) {
            w.discardUncommitted();
            w.writeHeader(500);
            w.header().set("Content-Type", "text/plain; charset=utf-8");
            w.header().set("Connection", "close");
            w.closeAfterReply = true;
            try {
                w.write("500 Internal Server Error\n");
            } catch (IOException | RuntimeException e) {
                return false;
            }
            return true;
        }
        return false;
    }

    /**
     * The one place where a protocol error becomes a response: the status with a short plain-text
     * reason, then the connection is closed, since what follows can no longer be framed.
     */
    private void refuse(int status, String reason, Request req) {
        // The client's fault, not the server's: worth a line, not an alarm.
        server.log.info("http: {} {} for {}{}", status, reason, remote, req == null ? "" : " " + req);
        refusedStatus = status;
        server.stats.refused.increment();
        if (server.requestLog != null) {
            try {
                server.requestLog.refused(remote, req, status, reason);
            } catch (RuntimeException e) {
                server.log.warn("http: request log failed: {}", e.toString());
            }
        }
        String body = status + " " + Status.text(status) + (reason == null ? "" : ": " + reason) + "\n";
        String head = "HTTP/1.1 " + status + " " + Status.text(status) + "\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n"
                + "Content-Length: " + body.length() + "\r\n"
                + "Connection: close\r\n\r\n";
        try {
            if (server.writeTimeoutNanos > 0 && writeDeadline == 0) {
                writeDeadline = System.nanoTime() + server.writeTimeoutNanos;
            }
            out.discard();
            out.write((head + body).getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            closeWriteAndWait();
        } catch (IOException e) {
            server.log.debug("http: could not send {} to {}: {}", status, remote, e.toString());
        }
    }

    /**
     * Closes our side for writing and reads what the client still sends for a short while, so that
     * closing does not reset the connection before the client has read the response (Go's
     * closeWriteAndWait; a lingering close).
     */
    private void closeWriteAndWait() {
        try {
            out.flush();
            if (io instanceof SSLSocket) {
                out.flush(); // TLS has no half-close of its own; the read below is the lingering
            } else {
                io.shutdownOutput();
            }
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500);
            reader.setDeadline(deadline);
            byte[] scratch = in.buf != null ? in.buf : new byte[512];
            long drained = 0;
            while (drained < (1 << 20)) {
                int n = reader.read(scratch, 0, scratch.length);
                if (n < 0) {
                    break;
                }
                drained += n;
            }
        } catch (IOException ignored) {
            // Timed out or reset: either way we are done with this connection.
        }
    }

    void setReadDeadline(long nanoTime) {
        reader.setDeadline(nanoTime);
    }

    /** Starts watching for the client going away: called when a handler asks its context. */
    void watchForDisconnect() {
        reader.watch();
    }

    Hijacked hijack() throws IOException {
        mu.lock();
        try {
            if (hijacked) {
                throw new IllegalStateException("connection already hijacked");
            }
            hijacked = true;
        } finally {
            mu.unlock();
        }
        writeDeadline = 0;
        reader.release();
        setState(ConnState.HIJACKED);
        server.trackHijacked(io, true);
        return new Hijacked(io, in, out, () -> server.trackHijacked(io, false));
    }

    boolean isHijacked() {
        mu.lock();
        try {
            return hijacked;
        } finally {
            mu.unlock();
        }
    }

    void setState(ConnState s) {
        switch (s) {
            case NEW -> server.trackConn(this, true);
            case HIJACKED, CLOSED -> server.trackConn(this, false);
            default -> { }
        }
        state.set(pack(s));
        server.runConnStateHook(socket, s);
    }

    /** IDLE or NEW to ACTIVE, unless shutdown claimed the connection for closing meanwhile. */
    private boolean becomeActive() {
        long st = state.get();
        if ((st & CLOSING) != 0 || !state.compareAndSet(st, pack(ConnState.ACTIVE))) {
            return false;
        }
        server.runConnStateHook(socket, ConnState.ACTIVE);
        return true;
    }

    /**
     * Closes the connection if it is idle (or NEW for over 5 seconds, Go's issue 22682), for
     * shutdown; returns whether it is not busy.
     */
    boolean closeIfIdle(long nowSeconds) {
        long st = state.get();
        ConnState s = STATES[(int) (st & 0x7f)];
        long since = st >>> 8;
        if (s == ConnState.NEW && since < nowSeconds - 5) {
            s = ConnState.IDLE;
        }
        if (s != ConnState.IDLE) {
            return false;
        }
        if ((st & CLOSING) == 0 && state.compareAndSet(st, st | CLOSING)) {
            closeSocket();
        }
        return true;
    }

    ConnState state() {
        return STATES[(int) (state.get() & 0x7f)];
    }

    private static long pack(ConnState s) {
        return (System.currentTimeMillis() / 1000) << 8 | s.ordinal();
    }

    /** Called by the server's sweeper with the current System.nanoTime(). */
    void enforceDeadlines(long now) {
        long wd = writeDeadline;
        if (wd != 0 && now - wd >= 0) {
            // The response is still being written past its deadline: it stops here.
            writeDeadline = 0;
            server.log.debug("http: write timeout for {}; closing", remote);
            closeSocket();
            return;
        }
        reader.enforceDeadline(now);
    }

    void closeSocket() {
        try {
            Socket s = io != null ? io : socket;
            s.close();
        } catch (IOException ignored) {
            // Nothing more to do with a socket that will not close.
        }
    }

    InetSocketAddress remoteAddress() {
        return remote;
    }

    InetSocketAddress localAddress() {
        return local;
    }

    SSLSession tlsSession() {
        return tlsSession;
    }

    /** The server's timeouts in nanoseconds, with Go's fallbacks to ReadTimeout. */
    private static final class Timeouts {
        final long readHeader;
        final long read;
        final long idle;

        Timeouts(Server s) {
            read = s.readTimeoutNanos;
            readHeader = s.readHeaderTimeoutNanos > 0 ? s.readHeaderTimeoutNanos : read;
            idle = s.idleTimeoutNanos > 0 ? s.idleTimeoutNanos : read;
        }

        long deadline(long from, long timeout) {
            return timeout > 0 ? from + timeout : 0;
        }
    }

    @Override
    public String toString() {
        return "conn#" + id + " " + remote;
    }
}
