package dev.weft.examples.websocket;

/**
 * One frame's header as it came off the wire (RFC 6455 §5.2), before any rule is checked, so the
 * reader can still skip a frame it refuses and find the next one.
 *
 * @param rsv the three reserved bits, RSV1 as 4, RSV2 as 2, RSV3 as 1
 * @param mask the masking key, big-endian; meaningless unless {@code masked}
 */
record FrameHeader(boolean fin, int rsv, int opcode, boolean masked, long length, int mask) {}
