package dev.weft.http;

import java.util.concurrent.atomic.LongAdder;

/**
 * Running counts of what a server did, for metrics: cheap to update from every connection
 * thread at once, read whenever asked.
 */
public final class ServerStats {
    final LongAdder requests = new LongAdder();
    final LongAdder refused = new LongAdder();
    final LongAdder handlerErrors = new LongAdder();
    final LongAdder bytesIn = new LongAdder();
    final LongAdder bytesOut = new LongAdder();
    final LongAdder accepted = new LongAdder();
    final LongAdder admissionWaits = new LongAdder();
    final LongAdder tlsHandshakeFailures = new LongAdder();

    ServerStats() {}

    /** Requests that reached a handler and were answered. */
    public long requests() {
        return requests.sum();
    }

    /** Requests refused by the server itself with a 4xx or 5xx (bad syntax, limits, timeouts). */
    public long refusedRequests() {
        return refused.sum();
    }

    /** Handler invocations that ended in an exception. */
    public long handlerErrors() {
        return handlerErrors.sum();
    }

    /** Bytes read from clients, TLS-decrypted, request heads included. */
    public long bytesIn() {
        return bytesIn.sum();
    }

    /** Bytes written to clients before TLS, response heads included. */
    public long bytesOut() {
        return bytesOut.sum();
    }

    /** Connections accepted. */
    public long acceptedConnections() {
        return accepted.sum();
    }

    /**
     * Times the accept loop found the connection limit reached and left new connections waiting
     * in the kernel's backlog: the connections a busy server turned away for a while.
     */
    public long rejectedConnections() {
        return admissionWaits.sum();
    }

    /** TLS handshakes that failed or timed out. */
    public long tlsHandshakeFailures() {
        return tlsHandshakeFailures.sum();
    }
}
