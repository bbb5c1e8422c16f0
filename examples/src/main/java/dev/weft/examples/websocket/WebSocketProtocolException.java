package dev.weft.examples.websocket;

/**
 * The peer broke the protocol: the connection is to be failed with {@link #closeCode()}.
 *
 * <p>{@link #unreadPayload()} says where the input stands, so the close handshake can still find
 * the peer's Close frame afterwards: that many payload bytes of the refused frame are still unread,
 * and after them comes a frame boundary; -1 means the input can no longer be parsed at all.
 */
final class WebSocketProtocolException extends Exception {
    private final int closeCode;
    private final long unreadPayload;

    WebSocketProtocolException(int closeCode, String reason, long unreadPayload) {
        super(reason, null, false, false); // an expected outcome of bad input: no stack trace
        this.closeCode = closeCode;
        this.unreadPayload = unreadPayload;
    }

    int closeCode() {
        return closeCode;
    }

    long unreadPayload() {
        return unreadPayload;
    }
}
