package dev.weft.examples.websocket;

import jakarta.servlet.http.HttpUpgradeHandler;
import jakarta.servlet.http.WebConnection;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WebSocket connection after the handshake: echoes every text and binary message, answers
 * pings, and runs the close handshake (RFC 6455 §7).
 *
 * <p><b>Blocking reads on a virtual thread, not a {@code ReadListener}.</b> Weft's ReadListener is
 * itself a virtual thread blocked on the socket that hands 8 KiB chunks to {@code onDataAvailable},
 * so a listener would save no thread here; it would only turn the frame codec into a push parser
 * that must stop and resume anywhere inside a header or payload, and add a thread hand-off per
 * chunk. Reading with blocking calls lets {@link FrameReader} follow the frame layout top to bottom.
 * Writes block too (no {@code WriteListener}): while an echo waits for a slow client to read, this
 * side stops reading, so the client's sending slows down through TCP itself, and no queue of
 * unsent echoes can grow without bound.
 *
 * <p>Writes come from the reading thread (echoes, pongs, closes) and from the servlet's
 * {@code destroy()} (a Going Away close), so they are serialised by a lock. Echoes are not flushed
 * one by one: the output is flushed when the input has nothing more buffered, just before a read
 * would block, so pipelined messages get their echoes in one write.
 */
public final class EchoHandler implements HttpUpgradeHandler {
    private static final Logger log = LoggerFactory.getLogger(EchoHandler.class);

    private int maxMessageSize = 1 << 20;
    private Duration closeTimeout = Duration.ofSeconds(2);
    private Set<EchoHandler> registry = Set.of();

    private WebConnection connection;
    private OutputStream out;
    private FrameWriter writer;
    private FrameReader frames;

    private final ReentrantLock writeLock = new ReentrantLock();
    private boolean closeSent; // guarded by writeLock; after it, nothing more may be sent (§5.5.1)
    private boolean unflushed; // guarded by writeLock

    private final AtomicBoolean closing = new AtomicBoolean(); // the TCP connection is being or was closed
    private final AtomicBoolean timerStarted = new AtomicBoolean();
    private volatile Thread closeTimer;

    /** Instantiated by the container through {@code HttpServletRequest.upgrade}. */
    public EchoHandler() {}

    /**
     * Set by the servlet between {@code upgrade()} and {@code init()}: the container creates the
     * handler from its class, so settings cannot come through a constructor.
     */
    void configure(int maxMessageSize, Duration closeTimeout, Set<EchoHandler> registry) {
        this.maxMessageSize = maxMessageSize;
        this.closeTimeout = closeTimeout;
        this.registry = registry;
    }

    @Override
    public void init(WebConnection wc) {
        connection = wc;
        try {
            out = wc.getOutputStream();
            writer = new FrameWriter(out);
            frames = new FrameReader(wc.getInputStream(), this::flush);
        } catch (IOException e) {
            log.debug("websocket connection unusable: {}", e.toString());
            closeConnection();
            return;
        }
        registry.add(this);
        // init() runs on the container's connection thread, which must go back to the container.
        Thread.ofVirtual().name("websocket-echo").start(this::run);
    }

    @Override
    public void destroy() {
        closing.set(true);
        Thread t = closeTimer;
        if (t != null && t != Thread.currentThread()) {
            t.interrupt();
        }
        registry.remove(this);
    }

    /** Starts the close handshake with 1001: the application is stopping. */
    void goingAway() {
        try {
            startClose(CloseCodes.GOING_AWAY, "server going away");
        } catch (IOException e) {
            closeConnection();
        }
    }

    private void run() {
        try {
            serve(new MessageReader(frames, maxMessageSize));
        } catch (WebSocketProtocolException e) {
            log.debug("failing websocket connection with {}: {}", e.closeCode(), e.getMessage());
            fail(e);
        } catch (IOException e) {
            // The peer went away without a Close frame (1006), or our own close ended the read.
            log.debug("websocket connection ended: {}", e.toString());
        } catch (RuntimeException e) {
            log.error("websocket echo failed", e);
            try {
                sendClose(CloseCodes.INTERNAL_ERROR, "internal error");
            } catch (IOException ignored) {
                // Closing anyway.
            }
        } finally {
            closeConnection();
        }
    }

    private void serve(MessageReader reader) throws IOException, WebSocketProtocolException {
        while (true) {
            Message m = reader.next();
            if (m == null) {
                return; // the TCP connection ended with no Close frame: nothing left to send
            }
            switch (m.opcode()) {
                case Opcode.TEXT, Opcode.BINARY -> send(m.opcode(), m.buffer(), m.length());
                case Opcode.PING -> send(Opcode.PONG, m.buffer(), m.length()); // §5.5.2: the same payload
                case Opcode.PONG -> { } // §5.5.3: unsolicited pongs are heartbeats, not to be answered
                case Opcode.CLOSE -> {
                    onPeerClose(m);
                    return;
                }
                default -> throw new IllegalStateException("opcode " + m.opcode());
            }
        }
    }

    /**
     * The peer's Close frame: answered with its own status code (§5.5.1), or with a protocol error
     * if the frame is malformed. Either way the handshake is then complete (the peer has closed
     * its side; if we had started, this is its reply), so the TCP connection is closed at once, by
     * the server as §7.1.1 prefers.
     */
    private void onPeerClose(Message m) throws IOException {
        byte[] b = m.buffer();
        int n = m.length();
        if (n == 0) {
            sendClose(-1, null); // no status code received (1005), so none is echoed
            return;
        }
        if (n == 1) {
            sendClose(CloseCodes.PROTOCOL_ERROR, "close frame with a 1-byte payload");
            return;
        }
        int code = ((b[0] & 0xff) << 8) | (b[1] & 0xff);
        if (!CloseCodes.isValidOnWire(code)) {
            sendClose(CloseCodes.PROTOCOL_ERROR, "invalid close code " + code);
        } else if (!Utf8Validator.isValid(b, 2, n - 2)) {
            sendClose(CloseCodes.INVALID_PAYLOAD, "close reason is not valid UTF-8");
        } else {
            sendClose(code, "");
        }
    }

    /**
     * Fails the connection (§7.1.7) with a Close frame, then, as for any close this side starts,
     * waits a while for the peer's Close before closing TCP, so the peer sees a clean close and
     * the server, not the client, is left with TIME_WAIT.
     */
    private void fail(WebSocketProtocolException e) {
        try {
            startClose(e.closeCode(), e.getMessage());
        } catch (IOException io) {
            return; // the connection is gone; run() closes it
        }
        awaitPeerClose(e.unreadPayload());
    }

    /**
     * A close this side starts. The timer starts first: if the peer has stopped reading, sending
     * the Close frame blocks, and only the timer closing the connection ends that.
     */
    private void startClose(int code, String reason) throws IOException {
        startCloseTimer();
        sendClose(code, reason);
    }

    /**
     * Reads until the peer's Close frame, dropping whatever comes before it; the close timer ends
     * the wait by closing the connection, which ends the read.
     */
    private void awaitPeerClose(long unreadPayload) {
        try {
            if (unreadPayload < 0) {
                frames.drain(); // no frame boundary to find any more: wait for the end of the stream
                return;
            }
            frames.skip(unreadPayload);
            FrameHeader h;
            while ((h = frames.readHeader()) != null) {
                if (h.opcode() == Opcode.CLOSE) {
                    return;
                }
                frames.skip(h.length());
            }
        } catch (IOException | WebSocketProtocolException e) {
            // The peer or the timer ended it; the connection is closed either way.
        }
    }

    private void send(int opcode, byte[] b, int len) throws IOException {
        writeLock.lock();
        try {
            if (closeSent) {
                return; // §5.5.1: after a Close frame, no more frames; what the peer sent since goes unanswered
            }
            writer.write(opcode, b, 0, len);
            unflushed = true;
        } finally {
            writeLock.unlock();
        }
    }

    /** Sends a Close frame ({@code code} -1: with no payload) unless one was sent already; flushed at once. */
    private void sendClose(int code, String reason) throws IOException {
        writeLock.lock();
        try {
            if (closeSent) {
                return;
            }
            closeSent = true;
            if (reason != null && reason.getBytes(StandardCharsets.UTF_8).length > FrameWriter.MAX_REASON_BYTES) {
                reason = "";
            }
            writer.writeClose(code, reason);
            out.flush();
            unflushed = false;
        } finally {
            writeLock.unlock();
        }
    }

    /** Run before every read that would block: nothing the peer may be waiting for stays buffered. */
    private void flush() throws IOException {
        writeLock.lock();
        try {
            if (unflushed) {
                unflushed = false;
                out.flush();
            }
        } finally {
            writeLock.unlock();
        }
    }

    /** After we sent Close, the peer gets {@code closeTimeout} to answer before the connection is closed anyway. */
    private void startCloseTimer() {
        if (closing.get() || !timerStarted.compareAndSet(false, true)) {
            return;
        }
        closeTimer = Thread.ofVirtual().name("websocket-close-timer").start(() -> {
            try {
                Thread.sleep(closeTimeout);
            } catch (InterruptedException e) {
                return; // closed in time
            }
            log.debug("no close frame from the peer within {}; closing", closeTimeout);
            closeConnection();
        });
    }

    /**
     * Closes the TCP connection, once; the container then calls {@link #destroy()}. Waits for a
     * write in progress so the close does not cut a frame in half, but not for longer than the
     * close timeout: a peer that stopped reading must not keep the connection open forever.
     */
    private void closeConnection() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        boolean locked = false;
        try {
            locked = writeLock.tryLock(closeTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            connection.close();
        } catch (Exception e) {
            log.debug("closing websocket connection: {}", e.toString());
        } finally {
            if (locked) {
                writeLock.unlock();
            }
        }
    }
}
