package dev.weft.examples.websocket;

/** Close status codes (RFC 6455 §7.4) and which of them may appear in a Close frame. */
final class CloseCodes {
    static final int NORMAL = 1000;
    static final int GOING_AWAY = 1001;
    static final int PROTOCOL_ERROR = 1002;
    static final int INVALID_PAYLOAD = 1007;
    static final int MESSAGE_TOO_BIG = 1009;
    static final int INTERNAL_ERROR = 1011;

    private CloseCodes() {}

    /**
     * Whether a peer may send {@code code} in a Close frame. 1005, 1006 and 1015 exist only to
     * report a condition locally and must never be on the wire; 1004 and 1016-2999 are reserved
     * for future use by the RFC and IANA; 1012-1014 were registered with IANA after the RFC and
     * browsers send them; 3000-4999 belong to libraries and applications.
     */
    static boolean isValidOnWire(int code) {
        return (code >= 1000 && code <= 1003)
                || (code >= 1007 && code <= 1014)
                || (code >= 3000 && code <= 4999);
    }
}
