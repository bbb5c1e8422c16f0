package dev.weft.arquillian.app;

import jakarta.servlet.http.HttpUpgradeHandler;
import jakarta.servlet.http.WebConnection;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** Echoes each line upper-cased until "bye", then closes the connection. */
public class EchoHandler implements HttpUpgradeHandler {
    @Override
    public void init(WebConnection wc) {
        Thread.ofVirtual().start(() -> {
            try (wc; InputStream in = wc.getInputStream(); OutputStream out = wc.getOutputStream()) {
                StringBuilder line = new StringBuilder();
                for (int b; (b = in.read()) >= 0; ) {
                    if (b != '\n') {
                        line.append((char) b);
                        continue;
                    }
                    if (line.toString().equals("bye")) {
                        return;
                    }
                    out.write((line.toString().toUpperCase(Locale.ROOT) + "\n").getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    line.setLength(0);
                }
            } catch (Exception e) {
                // the client went away
            }
        });
    }

    @Override
    public void destroy() {}
}
