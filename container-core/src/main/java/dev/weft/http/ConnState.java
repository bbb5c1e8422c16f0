package dev.weft.http;

/**
 * The state of a client connection, as Go's {@code http.ConnState}; reported to the hook set
 * with {@link Server.Builder#connStateHook}.
 */
public enum ConnState {
    /** Just accepted; expected to send a request at once. Reported on the accepting thread. */
    NEW,
    /** Read one or more bytes of a request; the handler runs in this state. */
    ACTIVE,
    /** Finished a response and waiting, in keep-alive, for the next request. */
    IDLE,
    /** Taken over by a handler through {@link ResponseWriter#hijack()}; terminal for the server. */
    HIJACKED,
    /** Closed; terminal. */
    CLOSED
}
