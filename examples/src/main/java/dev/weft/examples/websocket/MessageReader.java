package dev.weft.examples.websocket;

import java.io.EOFException;
import java.io.IOException;
import java.util.Arrays;

/**
 * Frames into messages, enforcing what RFC 6455 asks of a server receiving them: clients mask
 * (§5.1), no reserved bits or opcodes without an extension (§5.2), control frames short and
 * unfragmented (§5.5), fragments continue a message and only control frames come between them
 * (§5.4), text is UTF-8 (§8.1), and messages stay under a size limit (§10.4). Any breach is a
 * {@link WebSocketProtocolException} carrying the close code to fail the connection with.
 */
final class MessageReader {
    /** Small messages need no allocation; buffers grown past this are dropped after their message. */
    private static final int INITIAL_BUFFER = 8 << 10;
    private static final int RETAINED_BUFFER = 64 << 10;

    private final FrameReader frames;
    private final int maxMessageSize;
    private final Utf8Validator utf8 = new Utf8Validator();
    private final byte[] control = new byte[125]; // apart from data: a ping may arrive between fragments
    private byte[] data = new byte[INITIAL_BUFFER];
    private int length; // bytes of the message being assembled
    private int messageOpcode = -1; // TEXT or BINARY while a message is incomplete, else -1

    MessageReader(FrameReader frames, int maxMessageSize) {
        this.frames = frames;
        this.maxMessageSize = maxMessageSize;
    }

    /** The next complete message or control frame; null if the peer ended the stream between messages. */
    Message next() throws IOException, WebSocketProtocolException {
        while (true) {
            FrameHeader h = frames.readHeader();
            if (h == null) {
                if (messageOpcode >= 0) {
                    throw new EOFException("stream ended inside a fragmented message");
                }
                return null;
            }
            check(h);
            if (Opcode.isControl(h.opcode())) {
                frames.readPayload(h, control, 0);
                return new Message(h.opcode(), control, (int) h.length());
            }
            if (h.opcode() == Opcode.CONTINUATION) {
                if (messageOpcode < 0) {
                    throw refuse(CloseCodes.PROTOCOL_ERROR, "continuation frame with no message to continue", h);
                }
            } else {
                if (messageOpcode >= 0) {
                    throw refuse(CloseCodes.PROTOCOL_ERROR, "new message before the fragmented one ended", h);
                }
                startMessage(h.opcode());
            }
            if (h.length() > maxMessageSize - length) {
                throw refuse(CloseCodes.MESSAGE_TOO_BIG, "message larger than " + maxMessageSize + " bytes", h);
            }
            int n = (int) h.length();
            if (length + n > data.length) {
                grow(length + n);
            }
            frames.readPayload(h, data, length);
            // Validated per fragment, so bad text fails at the first bad fragment, not at the end.
            if (messageOpcode == Opcode.TEXT && !utf8.accept(data, length, n)) {
                throw new WebSocketProtocolException(CloseCodes.INVALID_PAYLOAD, "text is not valid UTF-8", 0);
            }
            length += n;
            if (h.fin()) {
                if (messageOpcode == Opcode.TEXT && !utf8.isComplete()) {
                    throw new WebSocketProtocolException(CloseCodes.INVALID_PAYLOAD, "text ends inside a UTF-8 sequence", 0);
                }
                int opcode = messageOpcode;
                messageOpcode = -1;
                return new Message(opcode, data, length);
            }
        }
    }

    private void check(FrameHeader h) throws WebSocketProtocolException {
        if (!h.masked()) {
            throw refuse(CloseCodes.PROTOCOL_ERROR, "client frame not masked", h);
        }
        if (h.rsv() != 0) {
            throw refuse(CloseCodes.PROTOCOL_ERROR, "reserved bits set with no extension negotiated", h);
        }
        if (!Opcode.isDefined(h.opcode())) {
            throw refuse(CloseCodes.PROTOCOL_ERROR, "reserved opcode " + h.opcode(), h);
        }
        if (Opcode.isControl(h.opcode())) {
            if (!h.fin()) {
                throw refuse(CloseCodes.PROTOCOL_ERROR, "fragmented control frame", h);
            }
            if (h.length() > 125) {
                throw refuse(CloseCodes.PROTOCOL_ERROR, "control frame longer than 125 bytes", h);
            }
        }
    }

    private void startMessage(int opcode) {
        messageOpcode = opcode;
        length = 0;
        utf8.reset();
        if (data.length > RETAINED_BUFFER) {
            // One large message should not pin its buffer for the rest of a long-lived connection.
            data = new byte[INITIAL_BUFFER];
        }
    }

    private void grow(int needed) {
        // Doubling, but never past the limit: a message that may reach it never needs more.
        int size = Math.max(needed, (int) Math.min((long) data.length * 2, maxMessageSize));
        data = Arrays.copyOf(data, size);
    }

    private static WebSocketProtocolException refuse(int code, String reason, FrameHeader h) {
        return new WebSocketProtocolException(code, reason, h.length());
    }
}
