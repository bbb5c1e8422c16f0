package dev.weft.bench;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** The two servlets every container runs, the same classes for all, so only the container differs. */
final class BenchServlets {
    static final byte[] HELLO = "Hello, World!".getBytes(StandardCharsets.US_ASCII);

    private BenchServlets() {}

    /** {@code GET /plaintext}: 13 bytes of text/plain; the container adds Content-Length. */
    static final class Plaintext extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
            res.setContentType("text/plain");
            res.getOutputStream().write(HELLO);
        }
    }

    /** {@code POST /echo}: the request body back, with its Content-Type. */
    static final class Echo extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doPost(HttpServletRequest req, HttpServletResponse res) throws IOException {
            String type = req.getContentType();
            res.setContentType(type != null ? type : "application/octet-stream");
            req.getInputStream().transferTo(res.getOutputStream());
        }
    }
}
