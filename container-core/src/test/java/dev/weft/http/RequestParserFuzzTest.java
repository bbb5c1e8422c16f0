package dev.weft.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A mutation fuzzer for the request parser and body readers. The corpus runs in the normal test
 * suite for a few seconds; run it longer by hand with
 * {@code mvn -pl container-core test -Dtest=RequestParserFuzzTest -Dweft.fuzz.seconds=600}
 * (and {@code -Dweft.fuzz.seed=N} to replay a run).
 *
 * <p>Whatever the input, the parser may only succeed (with a request that satisfies the
 * invariants below) or fail with its own errors ({@link HttpException}, or {@link EOFException}
 * for input that ends early); it must not throw anything else, hang, or grow its buffer past the
 * configured limits.
 */
class RequestParserFuzzTest {
    static final Limits LIMITS = new Limits(256, 2048, 20, 4096, 64, 128, 256);
    static final Set<Integer> STATUSES = Set.of(400, 413, 414, 417, 431, 501, 505);

    static final String[] SEEDS = {
        "GET / HTTP/1.1\r\nHost: example.com\r\n\r\n",
        "GET /a/b%20c?x=1&y=%41 HTTP/1.1\r\nHost: example.com:8080\r\nAccept: */*\r\nUser-Agent: fuzz\r\n\r\n",
        "POST /p HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\nContent-Type: text/plain\r\n\r\nhello",
        "POST /c HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5;a=b\r\nhello\r\n3;q=\"x y\"\r\nabc\r\n0\r\nX-T: 1\r\n\r\n",
        "GET http://example.com/abs?q HTTP/1.1\r\nHost: ignored\r\n\r\n",
        "CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n",
        "OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n",
        "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
        "PUT /x HTTP/1.1\r\nHost: [::1]:80\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\nabc"
                + "GET /pipelined HTTP/1.1\r\nHost: h\r\n\r\n",
        "\r\nHEAD /h HTTP/1.1\r\nHost: h\r\nCookie: a=b; c=d\r\nX-Obs: caf\u00e9\r\n\r\n",
    };

    static final String[] DICTIONARY = {
        "\r\n", "\n", "\r", "\0", " ", "\t", ":", ";", ",", "\"", "\u000b", "\u007f", "\u00ff",
        "Transfer-Encoding: chunked\r\n", "Content-Length: 5\r\n", "Content-Length: 99999999999999999999\r\n",
        "chunked", "identity", "gzip, chunked", "Host: x\r\n", "HTTP/1.1", "HTTP/1.0", "HTTP/2.0",
        "0\r\n\r\n", "ffffffffffffffffff\r\n", "-1\r\n", "0x5\r\n", ";ext=\"v\"", "\r\n\r\n", " \r\n",
        "Expect: 100-continue\r\n", "http://", "*", "%", "%zz", "#frag", "[", "]", "@", "Trailer: x\r\n",
    };

    @Test
    void corpusParses() throws IOException {
        for (String seed : SEEDS) {
            int[] requests = {0};
            run(seed.getBytes(StandardCharsets.ISO_8859_1), new Random(1), requests);
            assertTrue(requests[0] >= 1, () -> "seed did not parse: " + seed);
        }
    }

    @Test
    void mutatedRequestsStayWithinTheParsersContract() {
        long seconds = Long.getLong("weft.fuzz.seconds", 3);
        long seed = Long.getLong("weft.fuzz.seed", 20261123L);
        Random rnd = new Random(seed);
        long[] executions = {0};
        int[] accepted = {0};
        assertTimeoutPreemptively(Duration.ofSeconds(seconds + 60), () -> {
            long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
            while (System.nanoTime() < end) {
                for (int i = 0; i < 100; i++) {
                    byte[] input = mutate(rnd);
                    int[] requests = {0};
                    try {
                        run(input, new Random(rnd.nextLong()), requests);
                    } catch (Throwable t) {
                        fail("seed " + seed + ": parser escaped its contract on " + escape(input), t);
                    }
                    executions[0]++;
                    accepted[0] += requests[0];
                }
            }
        });
        System.out.printf("fuzz: seed %d, %d executions in %d s, %d requests accepted%n",
                seed, executions[0], seconds, accepted[0]);
        assertTrue(executions[0] > 1000, "the fuzzer hardly ran");
    }

    /** Parses every request in {@code input}, reading each body, until the input or a request fails. */
    static void run(byte[] input, Random splits, int[] requests) throws IOException {
        ConnInput in = new ConnInput(new SocketReader(null, new Trickle(input, splits),
                Context.withCancel(Context.background())));
        while (true) {
            try {
                if (!in.awaitByte()) {
                    return;
                }
                Request r = RequestParser.parse(null, in, LIMITS);
                check(r);
                Body body = r.rawBody;
                byte[] scratch = new byte[1 + splits.nextInt(700)];
                long total = 0;
                for (int n; (n = body.read(scratch, 0, scratch.length)) >= 0; ) {
                    total += n;
                }
                assertTrue(r.contentLength < 0 || total == r.contentLength);
                assertTrue(total <= LIMITS.maxBodyBytes());
                requests[0]++;
            } catch (HttpException e) {
                assertTrue(STATUSES.contains(e.status()), () -> "unexpected status " + e.status());
                return;
            } catch (EOFException e) {
                return;
            } finally {
                // Never buffer much more than the largest thing the limits allow on one line.
                assertTrue(in.buf == null || in.buf.length <= 2 * LIMITS.maxHeaderBytes() + 8192,
                        () -> "buffer grew to " + in.buf.length);
            }
        }
    }

    /** What RFC 9112 guarantees about any request the parser lets through. */
    static void check(Request r) {
        for (int i = 0; i < r.method.length(); i++) {
            assertTrue(RequestParser.isTchar(r.method.charAt(i)), "method " + r.method);
        }
        for (int i = 0; i < r.target.length(); i++) {
            char c = r.target.charAt(i);
            assertTrue(c > 0x20 && c < 0x7f && c != '#', "target " + r.target);
        }
        Headers h = r.headers;
        for (int i = 0; i < h.size(); i++) {
            assertTrue(Response.validFieldName(h.name(i)), "name " + h.name(i));
            String v = h.value(i);
            for (int k = 0; k < v.length(); k++) {
                char c = v.charAt(k);
                assertTrue(c == '\t' || (c >= 0x20 && c != 0x7f), "value " + v);
            }
        }
        assertFalse(h.has("Transfer-Encoding") && h.has("Content-Length"), "CL and TE");
        assertEquals(r.chunked, h.has("Transfer-Encoding"));
        if (r.protoAtLeast(1, 1)) {
            assertEquals(1, h.count("Host"));
        }
        assertTrue(r.contentLength >= -1);
        assertTrue(PathCleanOk.noControls(r.rawPath));
    }

    static byte[] mutate(Random rnd) {
        byte[] b = SEEDS[rnd.nextInt(SEEDS.length)].getBytes(StandardCharsets.ISO_8859_1);
        int mutations = 1 + rnd.nextInt(4);
        for (int m = 0; m < mutations; m++) {
            int pos = b.length == 0 ? 0 : rnd.nextInt(b.length + 1);
            switch (rnd.nextInt(7)) {
                case 0 -> { // flip a byte to anything
                    if (b.length > 0) {
                        b[Math.min(pos, b.length - 1)] = (byte) rnd.nextInt(256);
                    }
                }
                case 1, 2 -> b = insert(b, pos, DICTIONARY[rnd.nextInt(DICTIONARY.length)]
                        .getBytes(StandardCharsets.ISO_8859_1));
                case 3 -> { // delete a range
                    int len = Math.min(b.length - Math.min(pos, b.length), 1 + rnd.nextInt(8));
                    byte[] c = new byte[b.length - len];
                    System.arraycopy(b, 0, c, 0, pos);
                    System.arraycopy(b, pos + len, c, pos, b.length - pos - len);
                    b = c;
                }
                case 4 -> { // duplicate a range
                    int len = Math.min(b.length - Math.min(pos, b.length), 1 + rnd.nextInt(32));
                    b = insert(b, pos, Arrays.copyOfRange(b, pos, pos + len));
                }
                case 5 -> { // splice in part of another seed
                    byte[] other = SEEDS[rnd.nextInt(SEEDS.length)].getBytes(StandardCharsets.ISO_8859_1);
                    int from = rnd.nextInt(other.length);
                    b = insert(b, pos, Arrays.copyOfRange(other, from, Math.min(other.length, from + 1 + rnd.nextInt(40))));
                }
                default -> { // repeat a byte many times, to probe the limits
                    byte[] run = new byte[1 + rnd.nextInt(3000)];
                    Arrays.fill(run, (byte) "a 0\r\n:f".charAt(rnd.nextInt(7)));
                    b = insert(b, pos, run);
                }
            }
        }
        return b;
    }

    private static byte[] insert(byte[] b, int pos, byte[] what) {
        byte[] c = new byte[b.length + what.length];
        System.arraycopy(b, 0, c, 0, pos);
        System.arraycopy(what, 0, c, pos, what.length);
        System.arraycopy(b, pos, c, pos + what.length, b.length - pos);
        return c;
    }

    static String escape(byte[] b) {
        StringBuilder sb = new StringBuilder("\"");
        for (byte x : b) {
            int c = x & 0xff;
            if (c == '\r') {
                sb.append("\\r");
            } else if (c == '\n') {
                sb.append("\\n");
            } else if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\') {
                sb.append(String.format("\\x%02x", c));
            } else {
                sb.append((char) c);
            }
        }
        return sb.append('"').toString();
    }

    /** Hands the input out in random small pieces, as a network would. */
    static final class Trickle extends InputStream {
        private final byte[] data;
        private final Random rnd;
        private int pos;

        Trickle(byte[] data, Random rnd) {
            this.data = data;
            this.rnd = rnd;
        }

        @Override
        public int read() {
            return pos < data.length ? data[pos++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (pos >= data.length) {
                return -1;
            }
            int n = Math.min(Math.min(len, data.length - pos), 1 + rnd.nextInt(64));
            System.arraycopy(data, pos, b, off, n);
            pos += n;
            return n;
        }
    }

    /** The raw path carries no control characters or spaces. */
    static final class PathCleanOk {
        static boolean noControls(String s) {
            for (int i = 0; i < s.length(); i++) {
                if (s.charAt(i) <= 0x20 || s.charAt(i) >= 0x7f) {
                    return false;
                }
            }
            return true;
        }
    }

    static byte[] bytes(ByteArrayOutputStream b) {
        return b.toByteArray();
    }
}
