package dev.weft.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The expected types are what Go's {@code net/http.DetectContentType} returns; the first rows of
 * each group are the cases of Go's own {@code sniff_test.go}.
 */
class ContentSnifferTest {

    private static final String TEXT = "text/plain; charset=utf-8";
    private static final String HTML = "text/html; charset=utf-8";
    private static final String XML = "text/xml; charset=utf-8";
    private static final String BINARY = "application/octet-stream";
    private static final String MP4 = "video/mp4";
    private static final String EOT = "application/vnd.ms-fontobject";
    private static final String ICON = "image/x-icon";
    private static final String RAR = "application/x-rar-compressed";

    // A real EOT header up to its magic number: sizes, version, flags, PANOSE, charset,
    // italic, weight and fsType take exactly the 34 bytes before "LP".
    private static final String EOT_HEADER = "\\x8C\\x4A\\x00\\x00" + "\\x20\\x4A\\x00\\x00"
            + "\\x01\\x00\\x02\\x00" + "\\x00\\x00\\x00\\x00"
            + "\\x02\\x0B\\x06\\x04\\x02\\x02\\x02\\x02\\x02\\x04" + "\\x01" + "\\x00"
            + "\\x90\\x01\\x00\\x00" + "\\x00\\x00";
    private static final String THIRTY_ZEROS = "\\x00".repeat(30);

    static Stream<Arguments> signatures() {
        return Stream.of(
                // Some nonsense.
                row("Empty", "", TEXT),
                row("Binary", "\\x01\\x02\\x03", BINARY),
                row("Only whitespace", " \t\r\n\f ", TEXT),

                // HTML: leading whitespace skipped, tag names case-insensitive.
                row("HTML document #1", "<HtMl><bOdY>blah blah blah</body></html>", HTML),
                row("HTML document #2", "<HTML></HTML>", HTML),
                row("HTML document #3 (leading whitespace)", "   <!DOCTYPE HTML>...", HTML),
                row("HTML document #4 (leading CRLF)", "\r\n<html>...", HTML),
                row("HTML after tab and form feed", "\t\f<html>", HTML),
                row("lower-case doctype", "<!doctype html>", HTML),
                row("head tag", "<head>", HTML),
                row("script tag followed by space", "<script src=a.js>", HTML),
                row("iframe tag", "<IFrame>", HTML),
                row("h1 tag", "<h1>Title</h1>", HTML),
                row("div tag", "<div class=x>", HTML),
                row("font tag", "<font>", HTML),
                row("table tag", "<table>", HTML),
                row("a tag", "<a href=\"/\">home</a>", HTML),
                row("style tag", "<style>", HTML),
                row("title tag", "<title>t</title>", HTML),
                row("b tag", "<b>bold</b>", HTML),
                row("body tag", "<BODY>", HTML),
                row("br tag", "<br>", HTML),
                row("p tag", "<p>para", HTML),
                row("comment", "<!-- comment -->", HTML),
                row("tag cut off at end of data", "<html", TEXT),
                row("tag followed by a letter", "<htmlx>", TEXT),
                row("short tag is only a prefix", "<pre>code</pre>", TEXT),
                row("tag followed by tab", "<html\t>", TEXT),
                row("tag followed by newline", "<p\n>", TEXT),
                row("tag after text", "x<html>", TEXT),
                row("high-bit byte is not a letter", "<\\xE8tml>", TEXT),
                row("vertical tab is binary, not whitespace", "\\x0B<html>", BINARY),

                // XML: whitespace skipped, but case-sensitive.
                row("XML", "\n<?xml!", XML),
                row("XML declaration", "<?xml version=\"1.0\"?><a/>", XML),
                row("XML upper case is not XML", "<?XML version=\"1.0\"?>", TEXT),

                row("PDF", "%PDF-1.7\n", "application/pdf"),
                row("PDF after whitespace is not PDF", " %PDF-1.7\n", TEXT),
                row("PostScript", "%!PS-Adobe-3.0\n", "application/postscript"),

                // BOMs; Go wants one byte after the BOM.
                row("UTF-16BE BOM", "\\xFE\\xFF\\x00h", "text/plain; charset=utf-16be"),
                row("UTF-16LE BOM", "\\xFF\\xFEh\\x00", "text/plain; charset=utf-16le"),
                row("UTF-8 BOM", "\\xEF\\xBB\\xBFhi", TEXT),
                row("UTF-8 BOM before XML declaration", "\\xEF\\xBB\\xBF<?xml", TEXT),
                row("bare UTF-16BE BOM", "\\xFE\\xFF", TEXT),
                row("bare UTF-16LE BOM", "\\xFF\\xFE", TEXT),

                // Image types.
                row("Windows icon", "\\x00\\x00\\x01\\x00", ICON),
                row("Windows cursor", "\\x00\\x00\\x02\\x00", ICON),
                row("BMP image", "BM...", "image/bmp"),
                row("GIF 87a", "GIF87a", "image/gif"),
                row("GIF 89a", "GIF89a...", "image/gif"),
                row("GIF after whitespace is not GIF", " GIF89a", TEXT),
                row("WEBP image", "RIFF\\x00\\x00\\x00\\x00WEBPVP", "image/webp"),
                row("WEBP image with size", "RIFF\\x24\\x00\\x00\\x00WEBPVP8 ", "image/webp"),
                row("RIFF WEBP without VP chunk", "RIFF\\x00\\x00\\x00\\x00WEBPXX", BINARY),
                row("PNG image", "\\x89PNG\r\n\\x1A\n", "image/png"),
                row("JPEG image", "\\xFF\\xD8\\xFF", "image/jpeg"),
                row("JPEG JFIF", "\\xFF\\xD8\\xFF\\xE0\\x00\\x10JFIF", "image/jpeg"),

                // Audio types.
                row("MIDI audio", "MThd\\x00\\x00\\x00\\x06\\x00\\x01", "audio/midi"),
                row("MIDI with wrong header length", "MThd\\x00\\x00\\x00\\x07\\x00\\x01", BINARY),
                row("MP3 audio/MPEG audio", "ID3\\x03\\x00\\x00\\x00\\x00\\x0f", "audio/mpeg"),
                row("WAV audio #1", "RIFFb\\xb8\\x00\\x00WAVEfmt \\x12\\x00\\x00\\x00\\x06", "audio/wave"),
                row("WAV audio #2", "RIFF,\\x00\\x00\\x00WAVEfmt \\x12\\x00\\x00\\x00\\x06", "audio/wave"),
                row("AIFF audio #1", "FORM\\x00\\x00\\x00\\x00AIFFCOMM\\x00\\x00\\x00\\x12\\x00\\x01\\x00\\x00"
                        + "\\x57\\x55\\x00\\x10\\x40\\x0d\\xf3\\x34", "audio/aiff"),
                row("OGG audio", "OggS\\x00\\x02\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x7e\\x46\\x00\\x00"
                        + "\\x00\\x00\\x00\\x00\\x1f\\xf6\\xb4\\xfc\\x01\\x1e\\x01\\x76\\x6f\\x72",
                        "application/ogg"),
                row("Must not match OGG #1", "owow\\x00", BINARY),
                row("Must not match OGG #2", "oooS\\x00", BINARY),
                row("Must not match OGG #3", "oggS\\x00", BINARY),
                row("Sun audio is not sniffed", ".snd\\x00\\x00\\x00\\x18", BINARY),

                // Video types.
                row("MP4 video", "\\x00\\x00\\x00\\x18ftypmp42\\x00\\x00\\x00\\x00mp42isom<\\x06t\\xbfmdat", MP4),
                row("MP4 brand in compatible list", "\\x00\\x00\\x00\\x14ftypisom\\x00\\x00\\x02\\x00mp41", MP4),
                row("MP4 box of exactly 12 bytes", "\\x00\\x00\\x00\\x0Cftypmp42", MP4),
                row("MP4 brand only in minor version", "\\x00\\x00\\x00\\x10ftypisommp41", BINARY),
                row("MP4 brand after end of box", "\\x00\\x00\\x00\\x10ftypisom\\x00\\x00\\x00\\x00mp41", BINARY),
                row("MP4 box size not a multiple of 4", "\\x00\\x00\\x00\\x13ftypmp42\\x00\\x00\\x00\\x00mp42", BINARY),
                row("MP4 box larger than data", "\\x00\\x00\\x00\\x20ftypmp42\\x00\\x00\\x00\\x00mp42", BINARY),
                row("MP4 box size 0", "\\x00\\x00\\x00\\x00ftypmp42\\x00\\x00\\x00\\x00", BINARY),
                row("MP4 box size with top bit set", "\\xF0\\x00\\x00\\x00ftypmp42\\x00\\x00\\x00\\x00", BINARY),
                row("MP4 shorter than 12 bytes", "\\x00\\x00\\x00\\x08ftyp", BINARY),
                row("ISO BMFF box that is not ftyp", "\\x00\\x00\\x00\\x10moovmp42\\x00\\x00\\x00\\x00", BINARY),
                row("M4V brand is not mp4", "\\x00\\x00\\x00\\x14ftypM4V \\x00\\x00\\x00\\x00M4V ", BINARY),
                row("AVI video #1", "RIFF,O\n\\x00AVI LIST\\xC3\\x80", "video/avi"),
                row("AVI video #2", "RIFF,\n\\x00\\x00AVI LIST\\xC3\\x80", "video/avi"),
                row("WebM video", "\\x1A\\x45\\xDF\\xA3\\x01\\x00\\x00\\x00", "video/webm"),

                // Font types.
                row("EOT font", EOT_HEADER + "LP\\x00\\x00", EOT),
                row("EOT magic after any 34 bytes", "ABCDEFGHIJKLMNOPQRSTUVWXYZ01234567LP", EOT),
                row("EOT magic cut short", "ABCDEFGHIJKLMNOPQRSTUVWXYZ01234567L", TEXT),
                row("icon wins over EOT", "\\x00\\x00\\x01\\x00" + THIRTY_ZEROS + "LP", ICON),
                row("EOT wins over TTF", "\\x00\\x01\\x00\\x00" + THIRTY_ZEROS + "LP", EOT),
                row("TTF sample  I", "\\x00\\x01\\x00\\x00\\x00\\x17\\x01\\x00\\x00\\x04\\x01\\x60\\x4f", "font/ttf"),
                row("TTF sample II", "\\x00\\x01\\x00\\x00\\x00\\x0e\\x00\\x80\\x00\\x03\\x00\\x60\\x46", "font/ttf"),
                row("OTTO sample  I", "\\x4f\\x54\\x54\\x4f\\x00\\x0e\\x00\\x80\\x00\\x03\\x00\\x60\\x42\\x41\\x53\\x45",
                        "font/otf"),
                row("TrueType collection", "ttcf\\x00\\x01\\x00\\x00\\x00\\x00\\x00\\x02", "font/collection"),
                row("woff sample  I", "\\x77\\x4f\\x46\\x46\\x00\\x01\\x00\\x00\\x00\\x00\\x30\\x54\\x00\\x0d\\x00\\x00",
                        "font/woff"),
                row("woff2 sample", "\\x77\\x4f\\x46\\x32\\x00\\x01\\x00\\x00\\x00", "font/woff2"),

                // Archive types.
                row("gzip", "\\x1F\\x8B\\x08\\x00\\x00\\x00\\x00\\x00", "application/x-gzip"),
                row("zip", "PK\\x03\\x04\\x14\\x00", "application/zip"),
                row("empty zip is not sniffed", "PK\\x05\\x06\\x00\\x00", BINARY),
                row("RAR v1.5-v4.0", "Rar!\\x1A\\x07\\x00", RAR),
                row("RAR v5+", "Rar!\\x1A\\x07\\x01\\x00", RAR),
                row("Incorrect RAR v1.5-v4.0", "Rar \\x1A\\x07\\x00", BINARY),
                row("Incorrect RAR v5+", "Rar \\x1A\\x07\\x01\\x00", BINARY),
                row("7z is not sniffed", "7z\\xBC\\xAF\\x27\\x1C\\x00\\x04", BINARY),
                row("wasm sample", "\\x00\\x61\\x73\\x6d\\x01\\x00", "application/wasm"),

                // Text versus binary.
                row("Plain text", "This is not HTML. It has \u2603 though.", TEXT),
                row("Latin-1 text is not validated", "caf\\xE9", TEXT),
                row("text with ESC", "\\x1B[31mred\\x1B[0m", TEXT),
                row("text with DEL", "a\\x7Fb", TEXT),
                row("text with NUL", "hello\\x00world", BINARY),
                row("text with 0x1F", "a\\x1Fb", BINARY),
                row("text with 0x0E", "a\\x0Eb", BINARY),
                row("single NUL", "\\x00", BINARY));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("signatures")
    void detectsLikeGo(String name, byte[] data, String expected) {
        assertEquals(expected, ContentSniffer.detect(data, 0, data.length));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("signatures")
    void bytesOutsideTheRangeAreIgnored(String name, byte[] data, String expected) {
        // Fillers that would change the answer if read: NUL makes text binary and completes
        // short patterns, '>' and ' ' end HTML tags, whitespace would be skipped before markup.
        for (byte filler : new byte[] {0x00, '>', ' '}) {
            byte[] padded = new byte[7 + data.length + 600];
            Arrays.fill(padded, filler);
            System.arraycopy(data, 0, padded, 7, data.length);
            assertEquals(expected, ContentSniffer.detect(padded, 7, data.length),
                    "filler 0x" + Integer.toHexString(filler));
        }
    }

    @Test
    void onlyTheFirst512BytesCount() {
        byte[] text = "a".repeat(600).getBytes(StandardCharsets.US_ASCII);
        text[512] = 0x00;
        assertEquals(TEXT, ContentSniffer.detect(text, 0, text.length));
        text[511] = 0x00;
        assertEquals(BINARY, ContentSniffer.detect(text, 0, text.length));

        // Whitespace skipping does not widen the window: only "<h" is left of the tag.
        byte[] lateTag = (" ".repeat(510) + "<html>").getBytes(StandardCharsets.US_ASCII);
        assertEquals(TEXT, ContentSniffer.detect(lateTag, 0, lateTag.length));
        byte[] justInTime = (" ".repeat(506) + "<html>").getBytes(StandardCharsets.US_ASCII);
        assertEquals(HTML, ContentSniffer.detect(justInTime, 0, justInTime.length));

        // An ftyp box must fit inside the 512 sniffed bytes, however much data follows.
        assertEquals(MP4, ContentSniffer.detect(ftypBox(508, 700), 0, 700));
        assertEquals(BINARY, ContentSniffer.detect(ftypBox(516, 700), 0, 700));
        // Go checks icons first, and a size of 512 starts with the cursor signature 00 00 02 00.
        assertEquals(ICON, ContentSniffer.detect(ftypBox(512, 700), 0, 700));
    }

    @Test
    void windowStartsAtTheOffset() {
        byte[] data = new byte[1100];
        Arrays.fill(data, (byte) 'a');
        data[100] = 0x00;
        data[101 + 512] = 0x00;
        assertEquals(BINARY, ContentSniffer.detect(data, 100, 1000));
        assertEquals(TEXT, ContentSniffer.detect(data, 101, 1000));
        assertEquals(BINARY, ContentSniffer.detect(data, 102, 1000));

        byte[] box = ftypBox(508, 700);
        byte[] shifted = new byte[box.length + 50];
        System.arraycopy(box, 0, shifted, 50, box.length);
        assertEquals(MP4, ContentSniffer.detect(shifted, 50, box.length));
    }

    @Test
    void offsetsAndLengthsAtTheArrayEnds() {
        byte[] data = bytes("\\x00\\x00GIF89a");
        assertEquals("image/gif", ContentSniffer.detect(data, 2, 6));
        assertEquals(TEXT, ContentSniffer.detect(data, 3, 5));
        assertEquals(TEXT, ContentSniffer.detect(data, data.length, 0));
        assertEquals(TEXT, ContentSniffer.detect(data, data.length - 1, 1));
        assertEquals(BINARY, ContentSniffer.detect(data, 0, 1));
        assertEquals(TEXT, ContentSniffer.detect(new byte[0], 0, 0));
        assertEquals(TEXT, ContentSniffer.detect(data, 0, 0));
    }

    @Test
    void rangesReachingOutsideTheArrayAreCutToIt() {
        byte[] data = bytes("GIF89a\\x00");
        assertEquals(TEXT, ContentSniffer.detect(null, 0, 10));
        assertEquals("image/gif", ContentSniffer.detect(data, 0, 100));
        assertEquals("image/gif", ContentSniffer.detect(data, -3, 9));
        assertEquals(TEXT, ContentSniffer.detect(data, -3, 3));
        assertEquals(TEXT, ContentSniffer.detect(data, 20, 5));
        assertEquals(TEXT, ContentSniffer.detect(data, 0, -1));
        assertEquals(BINARY, ContentSniffer.detect(data, 1, Integer.MAX_VALUE));
        assertEquals(TEXT, ContentSniffer.detect(data, Integer.MAX_VALUE, Integer.MAX_VALUE));
        assertEquals(TEXT, ContentSniffer.detect(data, Integer.MIN_VALUE, Integer.MIN_VALUE));
    }

    @Test
    void neverThrowsAndAlwaysAnswersAKnownType() {
        Set<String> known = Set.of(TEXT, HTML, XML, BINARY, MP4, EOT, ICON, RAR,
                "application/pdf", "application/postscript", "text/plain; charset=utf-16be",
                "text/plain; charset=utf-16le", "image/bmp", "image/gif", "image/webp",
                "image/png", "image/jpeg", "audio/aiff", "audio/mpeg", "application/ogg",
                "audio/midi", "video/avi", "audio/wave", "video/webm", "font/ttf", "font/otf",
                "font/collection", "font/woff", "font/woff2", "application/x-gzip",
                "application/zip", "application/wasm");
        // Bytes that occur in signatures, so random arrays often get partway into one.
        byte[] alphabet = bytes("\\x00\\x01\\x02\\x0C\\x18 <>!?%ABFHILMPRSTWafmpxy\\x1A\\x89\\xDF\\xFE\\xFF");
        Random random = new Random(20240512);
        for (int round = 0; round < 3000; round++) {
            byte[] data = new byte[random.nextInt(48)];
            for (int i = 0; i < data.length; i++) {
                data[i] = alphabet[random.nextInt(alphabet.length)];
            }
            for (int off = -2; off <= data.length + 2; off++) {
                for (int len = -2; len <= data.length + 2; len++) {
                    String type = ContentSniffer.detect(data, off, len);
                    assertTrue(known.contains(type), type);
                }
            }
        }
    }

    /** A {@code size}-byte ftyp box whose only mp4 brand is its last compatible brand. */
    private static byte[] ftypBox(int size, int total) {
        byte[] data = new byte[total];
        data[0] = (byte) (size >>> 24);
        data[1] = (byte) (size >>> 16);
        data[2] = (byte) (size >>> 8);
        data[3] = (byte) size;
        System.arraycopy(bytes("ftypisom"), 0, data, 4, 8);
        System.arraycopy(bytes("mp41"), 0, data, size - 4, 4);
        return data;
    }

    private static Arguments row(String name, String data, String expected) {
        return Arguments.of(name, bytes(data), expected);
    }

    /**
     * Reads test data written like a Go string literal: {@code \xNN} is one raw byte and every
     * other character stands for its UTF-8 encoding.
     */
    private static byte[] bytes(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 3 < s.length() && s.charAt(i + 1) == 'x') {
                out.write(Integer.parseInt(s.substring(i + 2, i + 4), 16));
                i += 3;
            } else {
                out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        return out.toByteArray();
    }
}
