package dev.weft.examples.websocket;

/**
 * Incremental UTF-8 validation (RFC 3629, as RFC 6455 §8.1 requires of text), fed fragment by
 * fragment so an invalid message fails at the first bad byte, not after the whole of it arrived,
 * and a character split across two fragments is still accepted. Rejects overlong forms, UTF-16
 * surrogates (U+D800-DFFF) and anything above U+10FFFF, the same bytes a strict decoder rejects.
 */
final class Utf8Validator {
    private int needed; // continuation bytes still expected for the current character
    private int lower = 0x80; // bounds of the next continuation byte: only the first one may be
    private int upper = 0xBF; // narrower, which is where overlongs, surrogates and >U+10FFFF show
    private boolean failed;

    /** Starts a new message. */
    void reset() {
        needed = 0;
        lower = 0x80;
        upper = 0xBF;
        failed = false;
    }

    /** Takes the next {@code len} bytes of the message; false once the message cannot be valid UTF-8. */
    boolean accept(byte[] b, int off, int len) {
        if (failed) {
            return false;
        }
        int end = off + len;
        int i = off;
        while (i < end) {
            int c = b[i++] & 0xff;
            if (needed == 0) {
                if (c < 0x80) {
                    continue;
                }
                if (c >= 0xC2 && c <= 0xDF) {
                    needed = 1;
                } else if (c == 0xE0) {
                    needed = 2;
                    lower = 0xA0; // below is an overlong 3-byte form
                } else if (c == 0xED) {
                    needed = 2;
                    upper = 0x9F; // above are the surrogates
                } else if (c >= 0xE1 && c <= 0xEF) {
                    needed = 2;
                } else if (c == 0xF0) {
                    needed = 3;
                    lower = 0x90; // below is an overlong 4-byte form
                } else if (c >= 0xF1 && c <= 0xF3) {
                    needed = 3;
                } else if (c == 0xF4) {
                    needed = 3;
                    upper = 0x8F; // above is beyond U+10FFFF
                } else {
                    failed = true; // a stray continuation byte, C0/C1 (always overlong) or F5-FF
                    return false;
                }
            } else {
                if (c < lower || c > upper) {
                    failed = true;
                    return false;
                }
                needed--;
                lower = 0x80;
                upper = 0xBF;
            }
        }
        return true;
    }

    /** Whether what was accepted ends at a character boundary: at the end of a message it must. */
    boolean isComplete() {
        return !failed && needed == 0;
    }

    /** Whether {@code len} bytes are, on their own, valid UTF-8. */
    static boolean isValid(byte[] b, int off, int len) {
        Utf8Validator v = new Utf8Validator();
        return v.accept(b, off, len) && v.isComplete();
    }
}
