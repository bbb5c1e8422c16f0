package dev.weft.server;

/**
 * The server seen over JMX as {@code dev.weft:type=Server}: connections by state right now, and
 * running totals since it started.
 */
public interface ServerMXBean {
    String getVersion();

    /** When the server started serving, milliseconds since the epoch. */
    long getStartTime();

    /** The URLs the server listens on. */
    String[] getListeners();

    /** Connections open now, in any state. */
    int getConnections();

    /** Connections accepted and not yet sending a request. */
    int getConnectionsNew();

    /** Connections reading a request or running its handler. */
    int getConnectionsActive();

    /** Kept-alive connections waiting for their next request. */
    int getConnectionsIdle();

    /** Connections taken over by an application (WebSockets, other upgrades). */
    int getConnectionsHijacked();

    long getAcceptedConnections();

    /** Times the connection limit was reached and new connections were left waiting in the backlog. */
    long getRejectedConnections();

    long getTlsHandshakeFailures();

    /** Requests that reached a handler and were answered. */
    long getRequests();

    /** Requests the server refused itself (malformed, too large, too slow): 4xx or 5xx with a close. */
    long getRefusedRequests();

    /** Handlers that ended in an exception. */
    long getErrors();

    long getBytesIn();

    long getBytesOut();

    /** Access log lines written, and dropped because the disk could not keep up. */
    long getAccessLogLines();

    long getAccessLogDroppedLines();

    /** The context paths of the applications deployed now. */
    String[] getApplications();
}
