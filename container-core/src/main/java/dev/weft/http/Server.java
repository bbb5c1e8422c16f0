package dev.weft.http;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An HTTP/1.1 server, Go's {@code http.Server}: an accept loop per listener, and one virtual
 * thread per connection that reads each request, runs the handler on that same thread, and loops
 * for keep-alive.
 *
 * <pre>
 * Server server = Server.builder().address("127.0.0.1", 8080).handler(mux).build();
 * server.start();            // or listenAndServe(), which blocks
 * ...
 * server.shutdown(Duration.ofSeconds(10));
 * </pre>
 */
public final class Server {
    /** The context key under which connection and request contexts hold the server. */
    public static final Context.Key<Server> SERVER_KEY = new Context.Key<>("weft-server");
    /** The context key under which connection and request contexts hold the local address. */
    public static final Context.Key<InetSocketAddress> LOCAL_ADDRESS_KEY = new Context.Key<>("weft-local-address");

    private static final long SHUTDOWN_POLL_MAX_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    final Logger log;
    final Handler handler;
    final Limits limits;
    final long readTimeoutNanos;
    final long readHeaderTimeoutNanos;
    final long writeTimeoutNanos;
    final long idleTimeoutNanos;
    final long tlsHandshakeTimeoutNanos;
    private final java.util.Map<String, NextProtocol> nextProtocols;
    private final InetSocketAddress address;
    private final BiConsumer<Socket, ConnState> connStateHook;
    private final Function<Listener, Context> baseContext;
    private final BiFunction<Context, Socket, Context> connContext;
    private final Semaphore connectionPermits; // null for no limit
    private final boolean keepAlives;
    final RequestLog requestLog; // null for none
    final ServerStats stats = new ServerStats();

    private final AtomicBoolean inShutdown = new AtomicBoolean();
    private final ReentrantLock mu = new ReentrantLock();
    private final Condition listenersDone = mu.newCondition();
    private final Set<Listener> listeners = new java.util.HashSet<>();
    private int runningListeners;
    private final List<Runnable> onShutdown = new ArrayList<>();
    private final Set<Conn> activeConns = ConcurrentHashMap.newKeySet();
    private final Set<Socket> hijackedSockets = ConcurrentHashMap.newKeySet();
    private Thread sweeper;

    private Server(Builder b) {
        this.log = b.errorLog != null ? b.errorLog : LoggerFactory.getLogger(Server.class);
        this.handler = Objects.requireNonNull(b.handler, "handler");
        this.limits = b.limits;
        this.readTimeoutNanos = b.readTimeout.toNanos();
        this.readHeaderTimeoutNanos = b.readHeaderTimeout.toNanos();
        this.writeTimeoutNanos = b.writeTimeout.toNanos();
        this.idleTimeoutNanos = b.idleTimeout.toNanos();
        // Go: the handshake timeout defaults to ReadHeaderTimeout, else ReadTimeout.
        this.tlsHandshakeTimeoutNanos = b.tlsHandshakeTimeout != null ? b.tlsHandshakeTimeout.toNanos()
                : readHeaderTimeoutNanos > 0 ? readHeaderTimeoutNanos : readTimeoutNanos;
        this.nextProtocols = java.util.Map.copyOf(b.nextProtocols);
        this.address = b.address;
        this.connStateHook = b.connStateHook;
        this.baseContext = b.baseContext;
        this.connContext = b.connContext;
        this.connectionPermits = b.maxConnections > 0 ? new Semaphore(b.maxConnections) : null;
        this.keepAlives = b.keepAlives;
        this.requestLog = b.requestLog;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * A protocol that takes over a TLS connection when ALPN selects it, Go's {@code TLSNextProto}:
     * called on the connection's thread after the handshake; the connection is then its own.
     */
    @FunctionalInterface
    public interface NextProtocol {
        void serve(Server server, javax.net.ssl.SSLSocket connection, Handler handler) throws Exception;
    }

    NextProtocol nextProtocol(String alpn) {
        return nextProtocols.get(alpn);
    }

    /**
     * Serves HTTPS with the certificate and key from PEM files on the configured address, Go's
     * {@code ListenAndServeTLS}; blocks until shut down, like {@link #listenAndServe()}.
     */
    public void listenAndServeTls(java.nio.file.Path certFile, java.nio.file.Path keyFile) throws IOException {
        if (shuttingDown()) {
            throw new ServerClosedException();
        }
        serve(Listener.tls(Listener.tcp(address), TlsConfig.pem(certFile, keyFile)));
    }

    /**
     * Listens on the configured address and serves until shut down; always ends by throwing,
     * {@link ServerClosedException} after {@link #shutdown} or {@link #close}.
     */
    public void listenAndServe() throws IOException {
        if (shuttingDown()) {
            throw new ServerClosedException();
        }
        serve(Listener.tcp(address));
    }

    /**
     * Listens on the configured address and serves on a background thread; returns the listener
     * (whose {@link Listener#address()} tells the port when 0 was asked for) once it accepts.
     */
    public Listener start() throws IOException {
        if (shuttingDown()) {
            throw new ServerClosedException();
        }
        Listener l = Listener.tcp(address);
        startServing(l);
        return l;
    }

    /** Serves {@code l} on a background thread; the same as calling {@link #serve} on a new thread. */
    public void startServing(Listener l) throws IOException {
        if (!trackListener(l, true)) {
            l.close();
            throw new ServerClosedException();
        }
        Thread.ofPlatform().name("weft-accept " + l.address()).start(() -> {
            try {
                acceptLoop(l);
            } catch (ServerClosedException expected) {
                // Shut down: the normal end.
            } catch (IOException | RuntimeException e) {
                log.error("http: accept loop on {} ended", l.address(), e);
            }
        });
        log.info("Listening on {}://{}", l.tls() != null ? "https" : "http", hostPort(l.address()));
    }

    /**
     * Accepts connections on {@code l} on the calling thread until shut down, Go's {@code Serve}.
     * May be called for several listeners at once. Always ends by throwing, {@link
     * ServerClosedException} after {@link #shutdown} or {@link #close}; closes {@code l}.
     */
    public void serve(Listener l) throws IOException {
        if (!trackListener(l, true)) {
            l.close();
            throw new ServerClosedException();
        }
        acceptLoop(l);
    }

    private void acceptLoop(Listener l) throws IOException {
        try {
            startSweeper();
            Context base = baseContext != null ? baseContext.apply(l) : Context.background();
            if (base == null) {
                throw new IllegalStateException("baseContext returned null");
            }
            Context ctx = base.with(SERVER_KEY, this).with(LOCAL_ADDRESS_KEY, l.address());
            long delayMillis = 0;
            while (true) {
                if (!acquireConnectionPermit()) {
                    throw new ServerClosedException();
                }
                Socket s;
                try {
                    s = l.accept();
                } catch (IOException e) {
                    releaseConnectionPermit();
                    if (shuttingDown()) {
                        throw new ServerClosedException();
                    }
                    if (e instanceof ClosedChannelException) {
                        throw e;
                    }
                    // Temporary (out of file descriptors, say): back off rather than spin.
                    delayMillis = delayMillis == 0 ? 5 : Math.min(delayMillis * 2, 1000);
                    log.warn("http: accept error: {}; retrying in {} ms", e.toString(), delayMillis);
                    sleep(delayMillis);
                    continue;
                }
                delayMillis = 0;
                stats.accepted.increment();
                startConn(ctx, s, l.tls());
            }
        } finally {
            trackListener(l, false);
            try {
                l.close();
            } catch (IOException ignored) {
                // Closing is best effort at this point.
            }
        }
    }

    private void startConn(Context ctx, Socket s, TlsConfig tls) {
        Conn c;
        try {
            Context connCtx = ctx;
            if (connContext != null) {
                connCtx = connContext.apply(ctx, s);
                if (connCtx == null) {
                    throw new IllegalStateException("connContext returned null");
                }
            }
            c = new Conn(this, s, connCtx, tls);
        } catch (IOException | RuntimeException e) {
            log.warn("http: dropping connection from {}: {}", s.getRemoteSocketAddress(), e.toString());
            closeQuietly(s);
            releaseConnectionPermit();
            return;
        }
        c.setState(ConnState.NEW); // before the thread starts, so shutdown sees it
        try {
            Thread.ofVirtual().name("weft-conn-" + c.id).start(c::serve);
        } catch (Throwable t) {
            log.error("http: cannot start a thread for {}", s.getRemoteSocketAddress(), t);
            c.closeSocket();
            c.setState(ConnState.CLOSED);
        }
    }

    /**
     * Gracefully shuts down, Go's {@code Shutdown}: closes the listeners, runs the {@link
     * #onShutdown} hooks, then closes idle connections, polling with backoff (1 ms to 500 ms)
     * until none are left or {@code timeout} passes. In-flight requests finish; their
     * connections close after the response. Returns true if every connection closed in time;
     * otherwise the remaining ones are left running, and {@link #close()} ends them.
     */
    public boolean shutdown(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        inShutdown.set(true);
        List<Runnable> hooks;
        mu.lock();
        try {
            closeListenersLocked();
            hooks = List.copyOf(onShutdown);
        } finally {
            mu.unlock();
        }
        for (Runnable hook : hooks) {
            Thread.ofVirtual().name("weft-on-shutdown").start(hook);
        }
        if (!awaitListeners(deadline)) {
            return false;
        }
        long interval = TimeUnit.MILLISECONDS.toNanos(1);
        while (true) {
            if (closeIdleConns()) {
                return true;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            long jitter = ThreadLocalRandom.current().nextLong(interval / 10 + 1);
            TimeUnit.NANOSECONDS.sleep(Math.min(left, interval + jitter));
            interval = Math.min(interval * 2, SHUTDOWN_POLL_MAX_NANOS);
        }
    }

    /**
     * Closes at once, Go's {@code Close}: the listeners, every connection in any state, and the
     * hijacked connections that were not closed yet.
     */
    public void close() {
        inShutdown.set(true);
        mu.lock();
        try {
            closeListenersLocked();
        } finally {
            mu.unlock();
        }
        try {
            awaitListeners(System.nanoTime() + TimeUnit.SECONDS.toNanos(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Conn c : activeConns) {
            c.closeSocket();
        }
        for (Socket s : hijackedSockets) {
            closeQuietly(s);
        }
        hijackedSockets.clear();
    }

    /** Registers {@code hook} to run, on its own thread, when {@link #shutdown} starts. */
    public void onShutdown(Runnable hook) {
        mu.lock();
        try {
            onShutdown.add(Objects.requireNonNull(hook));
        } finally {
            mu.unlock();
        }
    }

    /** Whether {@link #shutdown} or {@link #close} has been called. */
    public boolean shuttingDown() {
        return inShutdown.get();
    }

    /** Running counts of requests, bytes, errors and connections, for metrics. */
    public ServerStats stats() {
        return stats;
    }

    /**
     * How many connections are in each state right now (CLOSED is always 0): one pass over the
     * tracked connections, for metrics, not for every request.
     */
    public java.util.Map<ConnState, Integer> connectionsByState() {
        var counts = new java.util.EnumMap<ConnState, Integer>(ConnState.class);
        for (ConnState st : ConnState.values()) {
            counts.put(st, 0);
        }
        for (Conn c : activeConns) {
            counts.merge(c.state(), 1, Integer::sum);
        }
        counts.merge(ConnState.HIJACKED, (int) hijackedSockets.stream().filter(s -> !s.isClosed()).count(), Integer::sum);
        counts.put(ConnState.CLOSED, 0);
        return counts;
    }

    /** The number of connections the server tracks (all but hijacked and closed ones). */
    public int connectionCount() {
        return activeConns.size();
    }

    boolean keepAlivesEnabled() {
        return keepAlives && !inShutdown.get();
    }

    /** Closes idle connections; returns whether no connection is left. */
    private boolean closeIdleConns() {
        long now = System.currentTimeMillis() / 1000;
        boolean quiescent = true;
        for (Conn c : activeConns) {
            if (c.closeIfIdle(now)) {
                if (activeConns.remove(c)) {
                    releaseConnectionPermit();
                }
            } else {
                quiescent = false;
            }
        }
        return quiescent;
    }

    void trackConn(Conn c, boolean add) {
        if (add) {
            activeConns.add(c);
        } else if (activeConns.remove(c)) {
            releaseConnectionPermit();
        }
    }

    void trackHijacked(Socket s, boolean add) {
        if (!add) {
            hijackedSockets.remove(s);
            return;
        }
        if (hijackedSockets.size() >= 1024) {
            // Hijackers may close the socket itself rather than the Hijacked; forget those.
            hijackedSockets.removeIf(Socket::isClosed);
        }
        hijackedSockets.add(s);
    }

    void runConnStateHook(Socket s, ConnState state) {
        if (connStateHook != null) {
            try {
                connStateHook.accept(s, state);
            } catch (RuntimeException e) {
                log.error("http: ConnState hook failed for {}", state, e);
            }
        }
    }

    private boolean trackListener(Listener l, boolean add) {
        mu.lock();
        try {
            if (add) {
                if (shuttingDown()) {
                    return false;
                }
                listeners.add(l);
                runningListeners++;
            } else {
                listeners.remove(l);
                runningListeners--;
                listenersDone.signalAll();
            }
            return true;
        } finally {
            mu.unlock();
        }
    }

    private boolean listenersClosed() {
        mu.lock();
        try {
            return runningListeners == 0;
        } finally {
            mu.unlock();
        }
    }

    private void closeListenersLocked() {
        for (Listener l : listeners) {
            try {
                l.close();
            } catch (IOException e) {
                log.warn("http: closing listener {} failed: {}", l.address(), e.toString());
            }
        }
    }

    private boolean awaitListeners(long deadline) throws InterruptedException {
        mu.lock();
        try {
            while (runningListeners > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                listenersDone.awaitNanos(left);
            }
            return true;
        } finally {
            mu.unlock();
        }
    }

    private boolean acquireConnectionPermit() {
        if (connectionPermits == null) {
            return !shuttingDown();
        }
        if (connectionPermits.tryAcquire()) {
            return true;
        }
        stats.admissionWaits.increment();
        try {
            // At the limit, leave new connections in the kernel's backlog until one closes.
            while (!connectionPermits.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                if (shuttingDown()) {
                    return false;
                }
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void releaseConnectionPermit() {
        if (connectionPermits != null) {
            connectionPermits.release();
        }
    }

    /**
     * Starts the one timer that enforces every connection's deadlines: every tick it ends the
     * reads blocked past their read deadline and closes the connections whose response is still
     * being written past its write deadline. One thread for all connections, and no timer work per
     * request: reads and writes themselves never wait with a timeout.
     */
    private void startSweeper() {
        mu.lock();
        try {
            if (sweeper != null) {
                return;
            }
            long shortest = Long.MAX_VALUE;
            for (long t : new long[] {readHeaderTimeoutNanos, readTimeoutNanos, writeTimeoutNanos, idleTimeoutNanos}) {
                if (t > 0) {
                    shortest = Math.min(shortest, t);
                }
            }
            long tick = Math.clamp(shortest / 10, TimeUnit.MILLISECONDS.toNanos(5), TimeUnit.MILLISECONDS.toNanos(250));
            sweeper = Thread.ofVirtual().name("weft-deadlines").start(() -> sweep(tick));
        } finally {
            mu.unlock();
        }
    }

    private void sweep(long tickNanos) {
        while (!(shuttingDown() && activeConns.isEmpty() && listenersClosed())) {
            try {
                TimeUnit.NANOSECONDS.sleep(tickNanos);
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            for (Conn c : activeConns) {
                c.enforceDeadlines(now);
            }
        }
    }

    private static void sleep(long millis) throws ServerClosedException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServerClosedException();
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // Already broken; nothing to do.
        }
    }

    static String hostPort(InetSocketAddress a) {
        String host = a.getAddress() != null ? a.getAddress().getHostAddress() : a.getHostString();
        if (host.indexOf(':') >= 0) {
            host = "[" + host + "]";
        }
        return host + ":" + a.getPort();
    }

    /**
     * Configures a {@link Server}. A timeout of zero means none, as in Go, but unlike Go none is
     * zero by default: a server facing the internet needs every one of them.
     */
    public static final class Builder {
        /** Defaults: safe for the open internet, generous enough for slow mobile clients and large uploads. */
        public static final Duration DEFAULT_READ_HEADER_TIMEOUT = Duration.ofSeconds(20);
        public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofMinutes(5);
        public static final Duration DEFAULT_WRITE_TIMEOUT = Duration.ofMinutes(10);
        public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);
        public static final int DEFAULT_MAX_CONNECTIONS = 10_000;

        private InetSocketAddress address = new InetSocketAddress(8080);
        private Handler handler;
        private Duration readTimeout = DEFAULT_READ_TIMEOUT;
        private Duration readHeaderTimeout = DEFAULT_READ_HEADER_TIMEOUT;
        private Duration writeTimeout = DEFAULT_WRITE_TIMEOUT;
        private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
        private Limits limits = Limits.DEFAULT;
        private BiConsumer<Socket, ConnState> connStateHook;
        private Logger errorLog;
        private Function<Listener, Context> baseContext;
        private BiFunction<Context, Socket, Context> connContext;
        private int maxConnections = DEFAULT_MAX_CONNECTIONS;
        private boolean keepAlives = true;
        private Duration tlsHandshakeTimeout;
        private RequestLog requestLog;
        private final java.util.Map<String, NextProtocol> nextProtocols = new java.util.HashMap<>();

        private Builder() {}

        /** The address {@link #listenAndServe} and {@link #start} listen on; port 0 picks one. */
        public Builder address(InetSocketAddress address) {
            this.address = Objects.requireNonNull(address);
            return this;
        }

        public Builder address(String host, int port) {
            return address(new InetSocketAddress(host, port));
        }

        public Builder port(int port) {
            return address(new InetSocketAddress(port));
        }

        public Builder handler(Handler handler) {
            this.handler = Objects.requireNonNull(handler);
            return this;
        }

        /** The most time for reading a whole request, body included, from its first byte; 5 minutes by default. */
        public Builder readTimeout(Duration d) {
            this.readTimeout = nonNegative(d);
            return this;
        }

        /** The most time for reading the request line and header fields; 20 seconds by default, 0 falls back to readTimeout. */
        public Builder readHeaderTimeout(Duration d) {
            this.readHeaderTimeout = nonNegative(d);
            return this;
        }

        /**
         * The most time from the end of reading the request head to the end of writing the
         * response; 10 minutes by default. A handler that streams for longer extends its own
         * deadline with {@link ResponseWriter#setWriteDeadline}.
         */
        public Builder writeTimeout(Duration d) {
            this.writeTimeout = nonNegative(d);
            return this;
        }

        /** The most time a keep-alive connection waits for its next request; 60 seconds by default, 0 falls back to readTimeout. */
        public Builder idleTimeout(Duration d) {
            this.idleTimeout = nonNegative(d);
            return this;
        }

        /** Go's MaxHeaderBytes: request line and header fields together; 1 MiB by default. */
        public Builder maxHeaderBytes(int n) {
            this.limits = limits.withMaxHeaderBytes(n);
            return this;
        }

        public Builder limits(Limits limits) {
            this.limits = Objects.requireNonNull(limits);
            return this;
        }

        /** Called on every connection state change, on the thread making it. */
        public Builder connStateHook(BiConsumer<Socket, ConnState> hook) {
            this.connStateHook = hook;
            return this;
        }

        /** Where accept errors, handler failures and refused requests are logged. */
        public Builder errorLog(Logger log) {
            this.errorLog = log;
            return this;
        }

        /** Gives the base context for connections accepted on a listener. */
        public Builder baseContext(Function<Listener, Context> f) {
            this.baseContext = f;
            return this;
        }

        /** Derives a connection's context from the base context, before the connection is served. */
        public Builder connContext(BiFunction<Context, Socket, Context> f) {
            this.connContext = f;
            return this;
        }

        /**
         * The most connections open at once, 10,000 by default (0 for no limit). At the limit the
         * server stops accepting, leaving new connections in the kernel's backlog, until one closes.
         */
        public Builder maxConnections(int n) {
            if (n < 0) {
                throw new IllegalArgumentException("maxConnections must not be negative");
            }
            this.maxConnections = n;
            return this;
        }

        /** The most time for a TLS handshake; by default the read-header timeout, else the read timeout. */
        public Builder tlsHandshakeTimeout(Duration d) {
            this.tlsHandshakeTimeout = nonNegative(d);
            return this;
        }

        /**
         * Hands TLS connections on which ALPN selected {@code protocol} to {@code handler}, Go's
         * {@code TLSNextProto}; the listener's TlsConfig must offer the protocol.
         */
        public Builder nextProtocol(String protocol, NextProtocol handler) {
            nextProtocols.put(Objects.requireNonNull(protocol), Objects.requireNonNull(handler));
            return this;
        }

        /** Told about every finished and every refused request, for an access log; none by default. */
        public Builder requestLog(RequestLog log) {
            this.requestLog = log;
            return this;
        }

        /** Whether connections are kept alive between requests; on by default. */
        public Builder keepAlives(boolean on) {
            this.keepAlives = on;
            return this;
        }

        public Server build() {
            return new Server(this);
        }

        private static Duration nonNegative(Duration d) {
            if (d.isNegative()) {
                throw new IllegalArgumentException("timeout must not be negative: " + d);
            }
            return d;
        }
    }
}
