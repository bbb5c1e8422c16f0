package dev.weft.arquillian;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.arquillian.app.EchoHandler;
import dev.weft.arquillian.app.UpgradeServlet;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** HTTP upgrade to a protocol of the application's own, over a raw socket. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class UpgradeTest {
    @Deployment(testable = false)
    static WebArchive deployment() {
        return ShrinkWrap.create(WebArchive.class, "upgrade.war").addClasses(UpgradeServlet.class, EchoHandler.class);
    }

    @ArquillianResource
    URL base;

    @Test
    void upgradedConnectionSpeaksTheNewProtocol() throws Exception {
        try (Socket s = new Socket(base.getHost(), base.getPort())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(("GET /upgrade/upgrade HTTP/1.1\r\nHost: " + base.getHost() + "\r\n"
                    + "Connection: Upgrade\r\nUpgrade: echo\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
            assertEquals("HTTP/1.1 101 Switching Protocols", in.readLine());
            String head = "";
            for (String line; !(line = in.readLine()).isEmpty(); ) {
                head += line.toLowerCase() + "\n";
            }
            assertTrue(head.contains("upgrade: echo"), head);
            out.write("ping\nweft\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertEquals("PING", in.readLine());
            assertEquals("WEFT", in.readLine());
            out.write("bye\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertEquals(null, in.readLine(), "the handler closes the connection after bye");
        }
    }

    @Test
    void requestWithoutUpgradeIsRefused() throws Exception {
        try (Http http = new Http()) {
            var r = http.get(base, "upgrade");
            assertEquals(400, r.status());
        }
    }
}
