package dev.weft.http;

import java.nio.charset.StandardCharsets;

/**
 * Guesses the Content-Type of a body from its first bytes. It gives the same answers as Go's
 * {@code net/http.DetectContentType}, which follows the WHATWG MIME Sniffing Standard
 * (https://mimesniff.spec.whatwg.org/), so handlers ported from Go send the same headers.
 */
final class ContentSniffer {

    /** Go looks at no more than this many bytes; looking further would change answers. */
    static final int SNIFF_LEN = 512;

    static final String OCTET_STREAM = "application/octet-stream";
    static final String TEXT_PLAIN_UTF8 = "text/plain; charset=utf-8";
    static final String TEXT_HTML_UTF8 = "text/html; charset=utf-8";
    static final String TEXT_XML_UTF8 = "text/xml; charset=utf-8";

    // Checked in this order, first match wins. Only letters are compared case-insensitively,
    // so the upper-case spelling here stands for every mix of cases.
    private static final byte[][] HTML_TAGS = {
        ascii("<!DOCTYPE HTML"),
        ascii("<HTML"),
        ascii("<HEAD"),
        ascii("<SCRIPT"),
        ascii("<IFRAME"),
        ascii("<H1"),
        ascii("<DIV"),
        ascii("<FONT"),
        ascii("<TABLE"),
        ascii("<A"),
        ascii("<STYLE"),
        ascii("<TITLE"),
        ascii("<B"),
        ascii("<BODY"),
        ascii("<BR"),
        ascii("<P"),
        ascii("<!--"),
    };
    private static final byte[] XML = ascii("<?xml");

    private static final byte[] PDF = ascii("%PDF-");
    private static final byte[] POSTSCRIPT = ascii("%!PS-Adobe-");

    private static final byte[] UTF16BE_BOM = bytes(0xFE, 0xFF);
    private static final byte[] UTF16LE_BOM = bytes(0xFF, 0xFE);
    private static final byte[] UTF8_BOM = bytes(0xEF, 0xBB, 0xBF);

    private static final byte[] ICO = bytes(0x00, 0x00, 0x01, 0x00);
    private static final byte[] CUR = bytes(0x00, 0x00, 0x02, 0x00);
    private static final byte[] BMP = ascii("BM");
    private static final byte[] GIF87A = ascii("GIF87a");
    private static final byte[] GIF89A = ascii("GIF89a");
    private static final byte[] RIFF = ascii("RIFF");
    private static final byte[] WEBP_VP = ascii("WEBPVP");
    private static final byte[] PNG = bytes(0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A);
    private static final byte[] JPEG = bytes(0xFF, 0xD8, 0xFF);

    private static final byte[] FORM = ascii("FORM");
    private static final byte[] AIFF = ascii("AIFF");
    private static final byte[] ID3 = ascii("ID3");
    private static final byte[] OGG = bytes('O', 'g', 'g', 'S', 0x00);
    private static final byte[] MIDI = bytes('M', 'T', 'h', 'd', 0x00, 0x00, 0x00, 0x06);
    private static final byte[] AVI = ascii("AVI ");
    private static final byte[] WAVE = ascii("WAVE");
    private static final byte[] FTYP = ascii("ftyp");
    private static final byte[] MP4_BRAND = ascii("mp4");
    private static final byte[] WEBM = bytes(0x1A, 0x45, 0xDF, 0xA3);

    private static final byte[] EOT_MAGIC = ascii("LP");
    private static final byte[] TTF = bytes(0x00, 0x01, 0x00, 0x00);
    private static final byte[] OTF = ascii("OTTO");
    private static final byte[] TTC = ascii("ttcf");
    private static final byte[] WOFF = ascii("wOFF");
    private static final byte[] WOFF2 = ascii("wOF2");

    private static final byte[] GZIP = bytes(0x1F, 0x8B, 0x08);
    private static final byte[] ZIP = bytes('P', 'K', 0x03, 0x04);
    // The spec's RAR signature is wrong (whatwg/mimesniff#63); these are RAR Labs' own, as Go uses.
    private static final byte[] RAR4 = bytes('R', 'a', 'r', '!', 0x1A, 0x07, 0x00);
    private static final byte[] RAR5 = bytes('R', 'a', 'r', '!', 0x1A, 0x07, 0x01, 0x00);
    private static final byte[] WASM = bytes(0x00, 'a', 's', 'm');

    // One bit per control byte below 0x20 that marks data as binary: all of them except
    // TAB, LF, FF, CR (ordinary text) and ESC (which ISO-2022-JP text is full of).
    private static final int BINARY_CONTROLS =
            ~((1 << 0x09) | (1 << 0x0A) | (1 << 0x0C) | (1 << 0x0D) | (1 << 0x1B));

    private ContentSniffer() {
    }

    /**
     * Returns the sniffed MIME type of {@code data[off, off + len)}, looking at no more than its
     * first {@value #SNIFF_LEN} bytes; {@code application/octet-stream} when nothing fits. Never
     * throws: a range reaching outside the array is cut down to the part inside it, and a null
     * array counts as empty (Go's nil slice), which like any empty body sniffs as plain text.
     */
    static String detect(byte[] data, int off, int len) {
        if (data == null) {
            return TEXT_PLAIN_UTF8;
        }
        int start = Math.max(off, 0);
        // long so that a huge off + len cannot wrap around to a small number
        long requestedEnd = Math.min((long) off + len, (long) start + SNIFF_LEN);
        int end = (int) Math.min(requestedEnd, data.length);
        if (end <= start) {
            return TEXT_PLAIN_UTF8;
        }

        // Only the markup rules may skip leading whitespace; binary formats must sit at byte 0.
        int content = skipWhitespace(data, start, end);
        String type = markup(data, content, end);
        if (type == null) {
            type = textEncoding(data, start, end);
        }
        if (type == null) {
            type = image(data, start, end);
        }
        if (type == null) {
            type = audioOrVideo(data, start, end);
        }
        if (type == null) {
            type = font(data, start, end);
        }
        if (type == null) {
            type = archiveOrExecutable(data, start, end);
        }
        if (type == null) {
            type = hasBinaryByte(data, content, end) ? OCTET_STREAM : TEXT_PLAIN_UTF8;
        }
        return type;
    }

    private static String markup(byte[] d, int start, int end) {
        if (start == end || d[start] != '<') {
            return null;
        }
        for (byte[] tag : HTML_TAGS) {
            if (htmlTagAt(d, start, end, tag)) {
                return TEXT_HTML_UTF8;
            }
        }
        return startsWith(d, start, end, 0, XML) ? TEXT_XML_UTF8 : null;
    }

    private static String textEncoding(byte[] d, int start, int end) {
        if (startsWith(d, start, end, 0, PDF)) {
            return "application/pdf";
        }
        if (startsWith(d, start, end, 0, POSTSCRIPT)) {
            return "application/postscript";
        }
        // Go matches a BOM only when a fourth byte follows it, so a bare BOM is sniffed as text.
        if (end - start < 4) {
            return null;
        }
        if (startsWith(d, start, end, 0, UTF16BE_BOM)) {
            return "text/plain; charset=utf-16be";
        }
        if (startsWith(d, start, end, 0, UTF16LE_BOM)) {
            return "text/plain; charset=utf-16le";
        }
        if (startsWith(d, start, end, 0, UTF8_BOM)) {
            return TEXT_PLAIN_UTF8;
        }
        return null;
    }

    private static String image(byte[] d, int start, int end) {
        // ICO and CUR are the same container, so the spec gives both the icon type.
        if (startsWith(d, start, end, 0, ICO) || startsWith(d, start, end, 0, CUR)) {
            return "image/x-icon";
        }
        if (startsWith(d, start, end, 0, BMP)) {
            return "image/bmp";
        }
        if (startsWith(d, start, end, 0, GIF87A) || startsWith(d, start, end, 0, GIF89A)) {
            return "image/gif";
        }
        if (riff(d, start, end, WEBP_VP)) {
            return "image/webp";
        }
        if (startsWith(d, start, end, 0, PNG)) {
            return "image/png";
        }
        if (startsWith(d, start, end, 0, JPEG)) {
            return "image/jpeg";
        }
        return null;
    }

    private static String audioOrVideo(byte[] d, int start, int end) {
        // Bytes 4..7 of FORM and RIFF files are a length, which says nothing about the format.
        if (startsWith(d, start, end, 0, FORM) && startsWith(d, start, end, 8, AIFF)) {
            return "audio/aiff";
        }
        if (startsWith(d, start, end, 0, ID3)) {
            return "audio/mpeg";
        }
        if (startsWith(d, start, end, 0, OGG)) {
            return "application/ogg";
        }
        if (startsWith(d, start, end, 0, MIDI)) {
            return "audio/midi";
        }
        if (riff(d, start, end, AVI)) {
            return "video/avi";
        }
        if (riff(d, start, end, WAVE)) {
            return "audio/wave";
        }
        if (isMp4(d, start, end)) {
            return "video/mp4";
        }
        if (startsWith(d, start, end, 0, WEBM)) {
            return "video/webm";
        }
        return null;
    }

    private static String font(byte[] d, int start, int end) {
        // An EOT header opens with 34 bytes of sizes, flags and PANOSE data that can be anything.
        if (startsWith(d, start, end, 34, EOT_MAGIC)) {
            return "application/vnd.ms-fontobject";
        }
        if (startsWith(d, start, end, 0, TTF)) {
            return "font/ttf";
        }
        if (startsWith(d, start, end, 0, OTF)) {
            return "font/otf";
        }
        if (startsWith(d, start, end, 0, TTC)) {
            return "font/collection";
        }
        if (startsWith(d, start, end, 0, WOFF)) {
            return "font/woff";
        }
        if (startsWith(d, start, end, 0, WOFF2)) {
            return "font/woff2";
        }
        return null;
    }

    private static String archiveOrExecutable(byte[] d, int start, int end) {
        if (startsWith(d, start, end, 0, GZIP)) {
            return "application/x-gzip";
        }
        if (startsWith(d, start, end, 0, ZIP)) {
            return "application/zip";
        }
        if (startsWith(d, start, end, 0, RAR4) || startsWith(d, start, end, 0, RAR5)) {
            return "application/x-rar-compressed";
        }
        if (startsWith(d, start, end, 0, WASM)) {
            return "application/wasm";
        }
        return null;
    }

    /** A RIFF container whose form type (at byte 8) begins with {@code form}. */
    private static boolean riff(byte[] d, int start, int end, byte[] form) {
        return startsWith(d, start, end, 0, RIFF) && startsWith(d, start, end, 8, form);
    }

    /**
     * The spec's mp4 signature: an ISO BMFF {@code ftyp} box that fits in the sniffed bytes and
     * lists a brand starting with "mp4", either as major brand or as a compatible brand.
     */
    private static boolean isMp4(byte[] d, int start, int end) {
        int n = end - start;
        if (n < 12 || !startsWith(d, start, end, 4, FTYP)) {
            return false;
        }
        // Unsigned, so a size with the top bit set is large rather than negative.
        long boxSize = ((d[start] & 0xFFL) << 24) | ((d[start + 1] & 0xFFL) << 16)
                | ((d[start + 2] & 0xFFL) << 8) | (d[start + 3] & 0xFFL);
        if (boxSize > n || boxSize % 4 != 0) {
            return false;
        }
        for (int brand = 8; brand < boxSize; brand += 4) {
            // Bytes 12..15 are the minor version, a number that only looks like a brand.
            if (brand != 12 && startsWith(d, start, end, brand, MP4_BRAND)) {
                return true;
            }
        }
        return false;
    }

    private static boolean htmlTagAt(byte[] d, int start, int end, byte[] tag) {
        // The tag has to be followed by a byte that ends it, or "<p" would match "<pre".
        if (end - start <= tag.length) {
            return false;
        }
        for (int i = 0; i < tag.length; i++) {
            int want = tag[i];
            int got = d[start + i];
            if (want >= 'A' && want <= 'Z') {
                got &= 0xDF; // ASCII upper-casing; leaves no other byte equal to a letter
            }
            if (got != want) {
                return false;
            }
        }
        byte next = d[start + tag.length];
        return next == ' ' || next == '>';
    }

    /** Whether {@code pattern} occurs at {@code start + at}, entirely before {@code end}. */
    private static boolean startsWith(byte[] d, int start, int end, int at, byte[] pattern) {
        int from = start + at;
        if (end - from < pattern.length) {
            return false;
        }
        for (int i = 0; i < pattern.length; i++) {
            if (d[from + i] != pattern[i]) {
                return false;
            }
        }
        return true;
    }

    private static int skipWhitespace(byte[] d, int start, int end) {
        int i = start;
        while (i < end && isWhitespace(d[i])) {
            i++;
        }
        return i;
    }

    private static boolean isWhitespace(byte b) {
        return b == '\t' || b == '\n' || b == 0x0C || b == '\r' || b == ' ';
    }

    private static boolean hasBinaryByte(byte[] d, int start, int end) {
        for (int i = start; i < end; i++) {
            int b = d[i] & 0xFF;
            if (b < 0x20 && (BINARY_CONTROLS & (1 << b)) != 0) {
                return true;
            }
        }
        return false;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }
}
