package dev.weft.examples.websocket;

/**
 * A complete text or binary message, or one control frame: {@code length} bytes at the start of
 * {@code buffer}. The buffer belongs to the {@link MessageReader} and is reused by its next call,
 * so a message must be used (echoed) before reading the next one.
 */
record Message(int opcode, byte[] buffer, int length) {}
