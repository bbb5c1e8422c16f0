package dev.weft.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.entity.mime.MultipartEntityBuilder;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.util.Timeout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 1 GiB upload into a server whose heap is capped at 64 MiB: the part must stream to its
 * temporary file as it arrives. The body is generated as it is sent, never held by the client
 * either, and hashed on both sides.
 */
class UploadMemoryTest {
    static final long SIZE = 1L << 30;

    /** Pseudo-random bytes made as they are read, hashed on the way out. */
    static final class Generated extends InputStream {
        private final byte[] block = new byte[1 << 20];
        private final long size;
        final MessageDigest sha;
        private long pos;

        Generated(long size) throws Exception {
            this.size = size;
            this.sha = MessageDigest.getInstance("SHA-256");
            new Random(42).nextBytes(block);
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (pos == size) {
                return -1;
            }
            int at = (int) (pos % block.length);
            int n = (int) Math.min(Math.min(len, block.length - at), size - pos);
            // Each megabyte differs from the last, so a part that came back shifted or repeated would not hash the same.
            long round = pos / block.length;
            for (int i = 0; i < n; i++) {
                b[off + i] = (byte) (block[at + i] ^ round);
            }
            sha.update(b, off, n);
            pos += n;
            return n;
        }
    }

    @Test
    void oneGibUploadIntoA64MibHeap(@TempDir Path location) throws Exception {
        try (ChildJvm child = ChildJvm.start(UploadChildServer.class, List.of("-Xmx64m"), location.toString());
                CloseableHttpClient client = HttpClients.custom()
                        .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(Timeout.ofSeconds(90)).build())
                        .build()) {
            Generated body = new Generated(SIZE);
            HttpPost post = new HttpPost("http://127.0.0.1:" + child.port + "/up/hash");
            post.setEntity(MultipartEntityBuilder.create()
                    .addTextBody("note", "one gibibyte follows")
                    .addBinaryBody("file", body, ContentType.APPLICATION_OCTET_STREAM, "big.bin")
                    .build());
            long start = System.nanoTime();
            String answer = client.execute(post, r -> r.getCode() + " " + EntityUtils.toString(r.getEntity(),
                    StandardCharsets.UTF_8));
            long millis = (System.nanoTime() - start) / 1_000_000;
            long peak = child.peakRssBytes();
            System.out.printf("1 GiB multipart upload into -Xmx64m: %d ms, child peak RSS (VmHWM) %d MiB, answer: %s%n",
                    millis, peak >> 20, answer);
            String sha = HexFormat.of().formatHex(body.sha.digest());
            assertTrue(answer.startsWith("200 sha256=" + sha + " size=" + SIZE + " partSize=" + SIZE + " "),
                    answer + " (sent " + sha + ")\n" + child.logText());
            // Heap, metaspace, code and thread stacks: a few hundred MiB at most, never the upload.
            assertTrue(peak < 512L << 20, "peak RSS " + (peak >> 20) + " MiB");
            for (int i = 0; i < 100 && !uploads(location).isEmpty(); i++) {
                Thread.sleep(20);
            }
            assertEquals(List.of(), uploads(location), "the temporary file outlived the request");
        }
    }

    private static List<Path> uploads(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }
}
