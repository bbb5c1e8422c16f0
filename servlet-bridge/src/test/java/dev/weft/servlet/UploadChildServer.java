package dev.weft.servlet;

import dev.weft.http.Listener;
import dev.weft.http.Server;
import jakarta.servlet.MultipartConfigElement;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.Part;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;

/**
 * A servlet container in its own JVM, for upload tests that need the server's own heap cap and
 * memory figures. {@code POST /up/hash} hashes the part named {@code file} and answers
 * {@code sha256=... size=...}. Prints {@code PORT n} once listening. The only argument is the
 * multipart location (temporary files go there).
 */
public final class UploadChildServer {
    private UploadChildServer() {}

    static final class HashServlet extends HttpServlet {
        @Override
        protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            MessageDigest sha;
            try {
                sha = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
            long size = 0;
            Part p;
            try {
                p = req.getPart("file");
            } catch (jakarta.servlet.ServletException e) {
                throw new IOException(e);
            }
            byte[] buf = new byte[64 << 10];
            try (InputStream in = p.getInputStream()) {
                int n;
                while ((n = in.read(buf)) > 0) {
                    sha.update(buf, 0, n);
                    size += n;
                }
            }
            resp.setContentType("text/plain");
            resp.getWriter().print("sha256=" + HexFormat.of().formatHex(sha.digest()) + " size=" + size
                    + " partSize=" + p.getSize() + " maxHeap=" + Runtime.getRuntime().maxMemory());
        }
    }

    public static void main(String[] args) throws Exception {
        WebApp app = new WebApp("/up");
        var reg = app.addServlet("hash", new HashServlet());
        reg.addMapping("/hash");
        reg.setMultipartConfig(new MultipartConfigElement(args[0], -1, -1, 1 << 20));
        ServletHandler h = new ServletHandler();
        Server s = Server.builder()
                .address(new InetSocketAddress("127.0.0.1", 0))
                .handler(h)
                .build();
        Listener l = s.start();
        h.deploy(app);
        System.out.println("PORT " + l.address().getPort());
        System.out.flush();
        Thread.sleep(Duration.ofMinutes(5)); // the test kills it long before; never outlive it by much
        s.close();
    }
}
