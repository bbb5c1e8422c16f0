package dev.weft.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import jakarta.servlet.http.Cookie;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CookiesTest {

    private static final long NOW = Instant.parse("2026-05-01T12:00:00Z").toEpochMilli();

    /** One row: the Cookie field values, and the cookies as {@code name=value} joined by {@code |}. */
    private static Arguments parsed(List<String> fields, String expected) {
        return Arguments.of(fields, expected);
    }

    private static Arguments parsed(String field, String expected) {
        return parsed(List.of(field), expected);
    }

    static Stream<Arguments> parse() {
        return Stream.of(
                parsed("foo=bar; a=b", "foo=bar|a=b"),
                parsed("foo=bar;a=b", "foo=bar|a=b"),
                parsed("foo=bar;a=b;", "foo=bar|a=b"),
                parsed("foo=bar;a=b; ", "foo=bar|a=b"),
                parsed("foo=bar;a=b; ;", "foo=bar|a=b"),
                parsed("  foo = bar ;\ta=b\t", "foo=bar|a=b"),
                parsed("foo=", "foo="),
                parsed("foo=;a=b", "foo=|a=b"),
                parsed("foo= ;a=b", "foo=|a=b"),
                // Quoted values keep their quotes, as Tomcat returns them.
                parsed("foo=bar;a=\"b\"", "foo=bar|a=\"b\""),
                parsed("a=\"\"", "a=\"\""),
                parsed("a=\"", ""),
                parsed("a=\"b\"x;foo=bar", "foo=bar"),
                parsed("a=\"b;c\";foo=bar", "foo=bar"),
                parsed("a=\"b c\";foo=bar", "foo=bar"),
                // '=' may appear in a value (base64 padding).
                parsed("t=YWJj==; u=1", "t=YWJj==|u=1"),
                // Name-only pairs are dropped (Tomcat's default), and so are empty pairs.
                parsed("foo;a=b;bar", "a=b"),
                parsed("fred=1; jim=2; bob; george=3", "fred=1|jim=2|george=3"),
                parsed(";;a=b;;", "a=b"),
                parsed("=b;a=b", "a=b"),
                // Malformed pairs are skipped, the rest of the field is kept.
                parsed("a=b c;foo=bar", "foo=bar"),
                parsed("a=()<>@:\\\"/[]?={}\t; foo=bar", "foo=bar"),
                parsed("a=b,c;foo=bar", "foo=bar"),
                parsed("a=b\\c;foo=bar", "foo=bar"),
                parsed("a=b\u007fc;foo=bar", "foo=bar"),
                parsed("a=b\u0008r;foo=bar", "foo=bar"),
                parsed("{\"a\":true, \"b\":false};a=b", "a=b"),
                parsed("x\tx=yyy,foo=bar;a=b", "a=b"),
                parsed("f o=bar;a=b", "a=b"),
                parsed("f/o=bar;a=b", "a=b"),
                parsed("f\u00f6o=bar;a=b", "a=b"),
                // 8-bit bytes in a value are UTF-8 ("b\u00e1r" sent as C3 A1); not UTF-8: dropped.
                parsed("foo=b\u00c3\u00a1r", "foo=b\u00e1r"),
                parsed("foo=\"b\u00c3\u00a1r\"", "foo=\"b\u00e1r\""),
                parsed("foo=b\u00e1r;a=b", "a=b"),
                parsed("foo=b\u20acr;a=b", "a=b"),
                // RFC 2109 attributes are just cookies to RFC 6265, and so to Tomcat.
                parsed("$Version=1; foo=bar;$Path=/x", "$Version=1|foo=bar|$Path=/x"),
                parsed("$Version=\"1\"; userId=\"foo\"", "$Version=\"1\"|userId=\"foo\""),
                // Token characters in names; duplicates are all kept, in order.
                parsed("!#$%&'*+-.^_`|~=1", "!#$%&'*+-.^_`|~=1"),
                parsed("a=1; a=2", "a=1|a=2"),
                // Several fields (HTTP/2 sends one per cookie).
                parsed(List.of("a=1", "b=2; c=3"), "a=1|b=2|c=3"),
                parsed(List.of("", "a=1"), "a=1"),
                parsed(List.of(), ""),
                parsed("", ""),
                parsed("   ", ""));
    }

    @ParameterizedTest
    @MethodSource
    void parse(List<String> fields, String expected) {
        Cookie[] cookies = Cookies.parse(fields);
        String actual = Arrays.stream(cookies).map(c -> c.getName() + "=" + c.getValue())
                .collect(Collectors.joining("|"));
        assertEquals(expected, actual, fields.toString());
    }

    /** One row: how to build the cookie, and the Set-Cookie value, or null if it must be refused. */
    private static Arguments set(String what, Supplier<Cookie> cookie, String expected) {
        return Arguments.of(what, cookie, expected);
    }

    private static Cookie cookie(String name, String value, String... attributes) {
        Cookie c = new Cookie(name, value);
        for (int i = 0; i < attributes.length; i += 2) {
            c.setAttribute(attributes[i], attributes[i + 1]);
        }
        return c;
    }

    private static final String REFUSED = null;

    static Stream<Arguments> toSetCookie() {
        return Stream.of(
                set("plain", () -> cookie("a", "b"), "a=b"),
                set("null value", () -> cookie("a", null), "a="),
                set("empty value", () -> cookie("a", ""), "a="),
                set("quoted value", () -> cookie("a", "\"bc\""), "a=\"bc\""),
                set("base64 value", () -> cookie("t", "YWJj+/=="), "t=YWJj+/=="),
                set("max-age", () -> {
                    Cookie c = cookie("a", "b");
                    c.setMaxAge(3600);
                    return c;
                }, "a=b; Max-Age=3600; Expires=Fri, 01 May 2026 13:00:00 GMT"),
                set("max-age 0 expires at the epoch", () -> {
                    Cookie c = cookie("a", "b");
                    c.setMaxAge(0);
                    return c;
                }, "a=b; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT"),
                set("negative max-age is a session cookie", () -> {
                    Cookie c = cookie("a", "b");
                    c.setMaxAge(-1);
                    return c;
                }, "a=b"),
                set("largest max-age", () -> {
                    Cookie c = cookie("a", "b");
                    c.setMaxAge(Integer.MAX_VALUE);
                    return c;
                }, "a=b; Max-Age=2147483647; Expires=Wed, 19 May 2094 15:14:07 GMT"),
                set("everything, in the fixed order", () -> {
                    Cookie c = cookie("id", "42", "Priority", "High", "SameSite", "Lax", "Partitioned", "");
                    c.setHttpOnly(true);
                    c.setSecure(true);
                    c.setPath("/app");
                    c.setDomain("Example.com");
                    c.setMaxAge(60);
                    return c;
                }, "id=42; Max-Age=60; Expires=Fri, 01 May 2026 12:01:00 GMT; Domain=example.com; Path=/app;"
                        + " Secure; HttpOnly; SameSite=Lax; Partitioned; Priority=High"),
                set("other attributes in name order", () -> cookie("a", "b", "Zeta", "1", "alpha", "2", "Mid", ""),
                        "a=b; alpha=2; Mid; Zeta=1"),
                set("known attributes get their usual case", () -> cookie("a", "b", "samesite", "Strict"),
                        "a=b; SameSite=Strict"),
                set("secure false", () -> {
                    Cookie c = cookie("a", "b");
                    c.setSecure(false);
                    c.setHttpOnly(false);
                    return c;
                }, "a=b"),
                set("partitioned true", () -> cookie("a", "b", "Partitioned", "true"), "a=b; Partitioned"),
                set("partitioned false", () -> cookie("a", "b", "Partitioned", "false"), "a=b"),
                set("comment is dropped", () -> cookie("a", "b", "Comment", "hello"), "a=b"),
                set("explicit Expires without Max-Age is passed on",
                        () -> cookie("a", "b", "Expires", "Thu, 01 Jan 2037 00:00:00 GMT"),
                        "a=b; Expires=Thu, 01 Jan 2037 00:00:00 GMT"),
                set("explicit Expires yields to Max-Age", () -> {
                    Cookie c = cookie("a", "b", "Expires", "Thu, 01 Jan 2037 00:00:00 GMT");
                    c.setMaxAge(0);
                    return c;
                }, "a=b; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT"),
                set("leading dot in domain", () -> {
                    Cookie c = cookie("a", "b");
                    c.setDomain(".example.com");
                    return c;
                }, "a=b; Domain=.example.com"),
                set("path with space", () -> {
                    Cookie c = cookie("a", "b");
                    c.setPath("/my app");
                    return c;
                }, "a=b; Path=/my app"),
                set("$-name", () -> cookie("$x", "1"), "$x=1"),
                // Refused: anything that could inject into the field, or that RFC 6265 forbids.
                set("semicolon in value", () -> cookie("a", "b;Domain=evil.com"), REFUSED),
                set("CRLF in value", () -> cookie("a", "b\r\nSet-Cookie: x=y"), REFUSED),
                set("space in value", () -> cookie("a", "b c"), REFUSED),
                set("comma in value", () -> cookie("a", "b,c"), REFUSED),
                set("quote inside value", () -> cookie("a", "b\"c"), REFUSED),
                set("lone quote", () -> cookie("a", "\""), REFUSED),
                set("backslash in value", () -> cookie("a", "b\\c"), REFUSED),
                set("non-ASCII value", () -> cookie("a", "b\u00e1r"), REFUSED),
                set("DEL in value", () -> cookie("a", "b\u007f"), REFUSED),
                set("semicolon in path", () -> {
                    Cookie c = cookie("a", "b");
                    c.setPath("/x;Secure");
                    return c;
                }, REFUSED),
                set("CR in path", () -> {
                    Cookie c = cookie("a", "b");
                    c.setPath("/x\r");
                    return c;
                }, REFUSED),
                set("semicolon in attribute", () -> cookie("a", "b", "SameSite", "Lax; Domain=x"), REFUSED),
                set("LF in attribute", () -> cookie("a", "b", "Priority", "High\nX: y"), REFUSED),
                set("non-ASCII attribute", () -> cookie("a", "b", "Priority", "h\u00f6ch"), REFUSED),
                set("domain with underscore", () -> {
                    Cookie c = cookie("a", "b");
                    c.setDomain("ex_ample.com");
                    return c;
                }, REFUSED),
                set("domain label starting with a hyphen", () -> {
                    Cookie c = cookie("a", "b");
                    c.setDomain("-example.com");
                    return c;
                }, REFUSED),
                set("domain with an empty label", () -> {
                    Cookie c = cookie("a", "b");
                    c.setDomain("example..com");
                    return c;
                }, REFUSED),
                set("domain ending with a dot", () -> {
                    Cookie c = cookie("a", "b");
                    c.setDomain("example.com.");
                    return c;
                }, REFUSED),
                set("domain that is just a dot", () -> {
                    Cookie c = cookie("a", "b");
                    c.setDomain(".");
                    return c;
                }, REFUSED),
                set("domain with a semicolon", () -> {
                    Cookie c = cookie("a", "b");
                    c.setDomain("example.com;Secure");
                    return c;
                }, REFUSED));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void toSetCookie(String what, Supplier<Cookie> cookie, String expected) {
        Cookie c = cookie.get();
        if (expected == REFUSED) {
            assertThrows(IllegalArgumentException.class, () -> Cookies.toSetCookie(c, NOW));
        } else {
            assertEquals(expected, Cookies.toSetCookie(c, NOW));
        }
    }
}
