package dev.weft.examples.websocket;

/** Frame opcodes (RFC 6455 §5.2, §11.8). */
final class Opcode {
    static final int CONTINUATION = 0x0;
    static final int TEXT = 0x1;
    static final int BINARY = 0x2;
    static final int CLOSE = 0x8;
    static final int PING = 0x9;
    static final int PONG = 0xA;

    private Opcode() {}

    /** Control frames have the high bit of the opcode set (§5.5), known or not. */
    static boolean isControl(int opcode) {
        return (opcode & 0x8) != 0;
    }

    /** Opcodes 3-7 and 0xB-0xF are reserved: with no extension negotiated, receiving one fails the connection. */
    static boolean isDefined(int opcode) {
        return switch (opcode) {
            case CONTINUATION, TEXT, BINARY, CLOSE, PING, PONG -> true;
            default -> false;
        };
    }
}
