package dev.weft.http;

import java.nio.charset.StandardCharsets;

/** The request heads and bodies the benchmarks parse. */
final class Requests {
    private Requests() {}

    /** What wrk sends for scenario A. */
    static final String PLAINTEXT = "GET /plaintext HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n\r\n";

    /** A browser's navigation request: 12 fields, about 600 bytes. */
    static final String BROWSER = """
            GET /shop/items/42?color=blue&size=m HTTP/1.1\r
            Host: www.example.com\r
            Connection: keep-alive\r
            Cache-Control: max-age=0\r
            Upgrade-Insecure-Requests: 1\r
            User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36\r
            Accept: text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8\r
            Sec-Fetch-Site: same-origin\r
            Sec-Fetch-Mode: navigate\r
            Referer: https://www.example.com/shop/items\r
            Accept-Encoding: gzip, deflate, br, zstd\r
            Accept-Language: en-GB,en;q=0.9,fr;q=0.8\r
            Cookie: JSESSIONID=node0abcdef1234567890; theme=dark; consent=yes\r
            \r
            """;

    /** Scenario B's request: 1 KiB of body with its Content-Length. */
    static byte[] echo1k() {
        String head = "POST /echo HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nContent-Type: application/octet-stream\r\n"
                + "Content-Length: 1024\r\n\r\n";
        return (head + "x".repeat(1024)).getBytes(StandardCharsets.ISO_8859_1);
    }

    /** A chunked body of {@code total} bytes in chunks of {@code chunk} bytes, with its last chunk. */
    static byte[] chunkedBody(int total, int chunk) {
        StringBuilder sb = new StringBuilder();
        for (int left = total; left > 0; left -= chunk) {
            int n = Math.min(left, chunk);
            sb.append(Integer.toHexString(n)).append("\r\n").append("y".repeat(n)).append("\r\n");
        }
        sb.append("0\r\n\r\n");
        return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
