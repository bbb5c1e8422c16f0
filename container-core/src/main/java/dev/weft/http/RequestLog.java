package dev.weft.http;

import java.net.InetSocketAddress;

/**
 * Told about every request the server finished, for an access log. Called on the connection's
 * own thread after the response went out (or failed), so it must not block on disk: hand the
 * line to a writer of its own. An exception it throws is logged and otherwise ignored.
 */
@FunctionalInterface
public interface RequestLog {

    /**
     * One request was answered.
     *
     * @param request the request; valid during this call only
     * @param status the status sent (500 when the handler failed, 101 for an upgrade, 0 when the
     *     handler hijacked the connection without sending a response)
     * @param bodyBytes the response body bytes the handler wrote
     * @param startNanos {@link System#nanoTime()} when the request's head was read
     * @param durationNanos from then until the response was finished
     */
    void log(Request request, int status, long bodyBytes, long startNanos, long durationNanos);

    /**
     * A request was refused before any handler saw it (malformed, too large, too slow). The
     * request is null when its head could not be parsed.
     */
    default void refused(InetSocketAddress remote, Request request, int status, String reason) {}
}
