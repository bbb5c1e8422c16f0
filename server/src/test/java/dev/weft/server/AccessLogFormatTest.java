package dev.weft.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Access log lines against known lines, as log analysers expect them byte for byte. */
class AccessLogFormatTest {
    private static final ZoneId ZONE = ZoneId.of("-07:00");
    /** 10 Oct 2000 13:55:36 -0700, the example of the Apache documentation. */
    private static final long START = ZonedDateTime.of(2000, 10, 10, 13, 55, 36, 0, ZONE).toInstant().toEpochMilli();

    private static InetSocketAddress addr(String ip, int port) throws Exception {
        return new InetSocketAddress(InetAddress.getByName(ip), port);
    }

    private static AccessLogFormat.Exchange exchange(String method, String target, String user, Map<String, String> headers,
            int status, long bytes, long durationNanos) throws Exception {
        return new AccessLogFormat.Exchange(addr("127.0.0.1", 51234), addr("10.0.0.5", 8080), method, target, "HTTP/1.0",
                user, headers::get, status, bytes, START, durationNanos);
    }

    private static String line(String pattern, AccessLogFormat.Exchange e) {
        return AccessLogFormat.compile(pattern, ZONE).format(e);
    }

    @Test
    void commonLogFormat() throws Exception {
        assertEquals("127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] \"GET /apache_pb.gif HTTP/1.0\" 200 2326",
                line("common", exchange("GET", "/apache_pb.gif", "frank", Map.of(), 200, 2326, 0)));
    }

    @Test
    void combinedLogFormat() throws Exception {
        assertEquals("127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] \"GET /apache_pb.gif HTTP/1.0\" 200 2326 "
                        + "\"http://www.example.com/start.html\" \"Mozilla/4.08 [en] (Win98; I ;Nav)\"",
                line("combined", exchange("GET", "/apache_pb.gif", "frank",
                        Map.of("Referer", "http://www.example.com/start.html", "User-Agent", "Mozilla/4.08 [en] (Win98; I ;Nav)"),
                        200, 2326, 0)));
    }

    @Test
    void missingValuesAreDashes() throws Exception {
        assertEquals("127.0.0.1 - - [10/Oct/2000:13:55:36 -0700] \"HEAD / HTTP/1.0\" 304 - \"-\" \"-\"",
                line("combined", exchange("HEAD", "/", null, Map.of(), 304, 0, 0)));
    }

    @Test
    void everyCode() throws Exception {
        var e = exchange("POST", "/shop/cart?item=42&n=1", "ada", Map.of("X-Request-Id", "abc"), 201, 0, 2_345_678_000L);
        assertEquals("127.0.0.1|127.0.0.1|10.0.0.5|8080|-|ada|POST|/shop/cart|?item=42&n=1|HTTP/1.0|201|-|0|2345678|2|2345|2345678|2|abc|-|100%",
                line("%a|%h|%A|%p|%l|%u|%m|%U|%q|%H|%s|%b|%B|%D|%T|%{ms}T|%{us}T|%{s}T|%{X-Request-Id}i|%{Missing}i|100%%", e));
        assertEquals("", line("%q", exchange("GET", "/no-query", null, Map.of(), 200, 1, 0)));
    }

    @Test
    void clientTextCannotForgeLinesOrBreakQuotes() throws Exception {
        var e = exchange("GET", "/a\"b", "x\\y", Map.of("User-Agent", "evil\"\n127.0.0.1 - - [fake] \"GET / HTTP/1.1\" 200 1",
                "Referer", "caf\u00e9 \u2603"), 400, 10, 0);
        assertEquals("127.0.0.1 - x\\\\y [10/Oct/2000:13:55:36 -0700] \"GET /a\\\"b HTTP/1.0\" 400 10 "
                        + "\"caf\\xe9 \\xe2\\x98\\x83\" \"evil\\\"\\x0a127.0.0.1 - - [fake] \\\"GET / HTTP/1.1\\\" 200 1\"",
                line("combined", e));
    }

    @Test
    void aRequestRefusedBeforeItsLineWasReadIsADash() throws Exception {
        var e = new AccessLogFormat.Exchange(addr("::1", 4000), null, null, null, null, null, n -> null, 400, -1, START, 0);
        assertEquals("0:0:0:0:0:0:0:1 - - [10/Oct/2000:13:55:36 -0700] \"-\" 400 - \"-\" \"-\"", line("combined", e));
    }

    @Test
    void timeIsTheStartInTheGivenZone() throws Exception {
        var e = exchange("GET", "/", null, Map.of(), 200, 1, 0);
        assertEquals("[10/Oct/2000:20:55:36 +0000]", AccessLogFormat.compile("%t", ZoneId.of("UTC")).format(e));
    }

    @Test
    void badPatternsSayWhatIsWrongAndWhere() {
        assertEquals("a known code at position 4, not %Z (codes: %a %A %b %B %D %h %H %I %l %m %p %q %r %s %t %T %u %U %{Name}i %{ms}T %%)",
                assertThrows(IllegalArgumentException.class, () -> AccessLogFormat.compile("%h %Z")).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> AccessLogFormat.compile("%h %")).getMessage()
                .contains("end of the pattern"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> AccessLogFormat.compile("%{Referer")).getMessage()
                .contains("a } to close"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> AccessLogFormat.compile("%{min}T")).getMessage()
                .contains("ms, us or s"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> AccessLogFormat.compile("%{x}s")).getMessage()
                .contains("%{Name}i or %{unit}T"));
        assertThrows(IllegalArgumentException.class, () -> AccessLogFormat.compile(""));
    }
}
