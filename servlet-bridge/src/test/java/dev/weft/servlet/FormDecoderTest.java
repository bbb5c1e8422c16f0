package dev.weft.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FormDecoderTest {

    private static final Charset UTF8 = StandardCharsets.UTF_8;
    private static final Charset LATIN1 = StandardCharsets.ISO_8859_1;

    /** One row: input, charset, and the map's toString (order matters) or null if refused. */
    private static Arguments row(String input, Charset cs, String expected) {
        return Arguments.of(input, cs, expected);
    }

    static Stream<Arguments> decode() {
        return Stream.of(
                row("a=1&b=2", UTF8, "{a=[1], b=[2]}"),
                row("", UTF8, "{}"),
                row("a", UTF8, "{a=[]}"),
                row("a=", UTF8, "{a=[]}"),
                row("=1", UTF8, "{=[1]}"),
                row("=", UTF8, "{=[]}"),
                row("a=1=2", UTF8, "{a=[1=2]}"),
                // Order of names and of each name's values is kept.
                row("b=1&a=2&b=3", UTF8, "{b=[1, 3], a=[2]}"),
                row("z=1&y=2&x=3&y=4", UTF8, "{z=[1], y=[2, 4], x=[3]}"),
                // Empty sequences are skipped, but an empty value is a value.
                row("&&a=1&&&b=&", UTF8, "{a=[1], b=[]}"),
                row("&", UTF8, "{}"),
                // '+' is a space, "%2B" a plus, in names and values alike.
                row("a+b=c+d", UTF8, "{a b=[c d]}"),
                row("a%2Bb=c%2bd", UTF8, "{a+b=[c+d]}"),
                row("q=%26%3D%25", UTF8, "{q=[&=%]}"),
                row("k=%41%62%63", UTF8, "{k=[Abc]}"),
                // Bytes are decoded with the given charset.
                row("n=%C3%A9t%C3%A9", UTF8, "{n=[\u00e9t\u00e9]}"),
                row("n=%E9t%E9", LATIN1, "{n=[\u00e9t\u00e9]}"),
                row("%E2%82%AC=%F0%9F%98%80", UTF8, "{\u20ac=[\ud83d\ude00]}"),
                // Malformed for the charset: U+FFFD, never an exception.
                row("n=%E9t%E9", UTF8, "{n=[\ufffdt\ufffd]}"),
                row("n=%C3", UTF8, "{n=[\ufffd]}"),
                // A '%' that does not start two hex digits stays as it is (WHATWG).
                row("a=100%", UTF8, "{a=[100%]}"),
                row("a=%zz&b=%4", UTF8, "{a=[%zz], b=[%4]}"),
                row("a=%%41", UTF8, "{a=[%A]}"),
                row("a=%-1", UTF8, "{a=[%-1]}"),
                row("a=%+1", UTF8, "{a=[% 1]}"),
                row("%=%", UTF8, "{%=[%]}"),
                // Unencoded non-ASCII text (an application's own query string) decodes to itself.
                row("n=\u00e9t\u00e9&e=\u20ac", UTF8, "{n=[\u00e9t\u00e9], e=[\u20ac]}"),
                row("n=\u00e9t\u00e9", LATIN1, "{n=[\u00e9t\u00e9]}"),
                row("s=\ud83d\ude00%20x", UTF8, "{s=[\ud83d\ude00 x]}"),
                // ';' is not a separator in this format.
                row("a=1;b=2", UTF8, "{a=[1;b=2]}"));
    }

    @ParameterizedTest
    @MethodSource
    void decode(String input, Charset cs, String expected) throws IOException {
        Map<String, List<String>> fromString = new LinkedHashMap<>();
        FormDecoder.decode(input, cs, fromString, -1);
        assertEquals(expected, fromString.toString(), input);

        // The same text as a body: bytes in the charset, as a browser would send them.
        Map<String, List<String>> fromBody = new LinkedHashMap<>();
        InputStream body = new ByteArrayInputStream(input.getBytes(cs));
        FormDecoder.decode(body, cs, -1, fromBody, -1);
        assertEquals(expected, fromBody.toString(), input);
    }

    /** One row: existing parameters, input, limit, and the map afterwards or null if refused. */
    private static Arguments limited(String existing, String input, int maxParams, String expected) {
        return Arguments.of(existing, input, maxParams, expected);
    }

    static Stream<Arguments> maxParams() {
        return Stream.of(
                limited("", "a=1&b=2&c=3", 3, "{a=[1], b=[2], c=[3]}"),
                limited("", "a=1&b=2&c=3&d=4", 3, null),
                // Values count, not names.
                limited("", "a=1&a=2&a=3&a=4", 3, null),
                // Empty sequences do not count.
                limited("", "a=1&&&&b=2", 2, "{a=[1], b=[2]}"),
                // Parameters already in the map count too: one limit for query and body.
                limited("q=1", "a=1&b=2", 3, "{q=[1], a=[1], b=[2]}"),
                limited("q=1&r=2", "a=1&b=2", 3, null),
                limited("", "", 0, "{}"),
                limited("", "a", 0, null),
                limited("", "a=1&b=2&c=3", -1, "{a=[1], b=[2], c=[3]}"));
    }

    @ParameterizedTest
    @MethodSource
    void maxParams(String existing, String input, int maxParams, String expected) throws IOException {
        Map<String, List<String>> fromString = new LinkedHashMap<>();
        FormDecoder.decode(existing, UTF8, fromString, -1);
        Map<String, List<String>> fromBody = new LinkedHashMap<>(fromString);
        if (expected == null) {
            assertThrows(IllegalStateException.class, () -> FormDecoder.decode(input, UTF8, fromString, maxParams));
            assertThrows(IllegalStateException.class, () -> FormDecoder.decode(
                    new ByteArrayInputStream(input.getBytes(UTF8)), UTF8, -1, fromBody, maxParams));
        } else {
            FormDecoder.decode(input, UTF8, fromString, maxParams);
            FormDecoder.decode(new ByteArrayInputStream(input.getBytes(UTF8)), UTF8, -1, fromBody, maxParams);
            assertEquals(expected, fromString.toString());
            assertEquals(expected, fromBody.toString());
        }
    }

    /** One row: body length, limit, and whether the body is accepted. */
    static Stream<Arguments> maxBytes() {
        return Stream.of(
                Arguments.of(0, 0L, true),
                Arguments.of(1, 0L, false),
                Arguments.of(10, 10L, true),
                Arguments.of(11, 10L, false),
                Arguments.of(8192, 8192L, true),
                Arguments.of(8193, 8192L, false),
                Arguments.of(100_000, 100_000L, true),
                Arguments.of(100_001, 100_000L, false),
                Arguments.of(100_000, -1L, true),
                Arguments.of(100_000, Long.MAX_VALUE, true),
                Arguments.of(100_000, (long) Integer.MAX_VALUE + 10, true));
    }

    @ParameterizedTest
    @MethodSource
    void maxBytes(int length, long maxBytes, boolean accepted) throws IOException {
        // "v=xxx...": one parameter of the given total length.
        byte[] body = new byte[length];
        Arrays.fill(body, (byte) 'x');
        if (length >= 2) {
            body[0] = 'v';
            body[1] = '=';
        }
        Map<String, List<String>> into = new LinkedHashMap<>();
        ByteArrayInputStream in = new ByteArrayInputStream(body);
        if (accepted) {
            FormDecoder.decode(in, UTF8, maxBytes, into, -1);
            assertEquals(length == 0 ? 0 : 1, into.size());
        } else {
            assertThrows(IllegalStateException.class, () -> FormDecoder.decode(in, UTF8, maxBytes, into, -1));
            // It stops one byte past the limit rather than reading on to the end.
            assertEquals(length - maxBytes - 1, in.available());
        }
    }
}
