package dev.weft.http;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.function.Consumer;

/** Starts servers on an ephemeral loopback port for tests. */
final class TestServers {
    private TestServers() {}

    /** A started server and its port; closing it closes the server at once. */
    record Running(Server server, int port) implements AutoCloseable {
        String url(String path) {
            return "http://127.0.0.1:" + port + path;
        }

        RawClient raw() throws IOException {
            return new RawClient(port);
        }

        @Override
        public void close() {
            server.close();
        }
    }

    static Running start(Handler h) throws IOException {
        return start(h, b -> { });
    }

    static Running start(Handler h, Consumer<Server.Builder> config) throws IOException {
        Server.Builder b = Server.builder()
                .address(new InetSocketAddress("127.0.0.1", 0))
                .handler(h)
                .readHeaderTimeout(Duration.ofSeconds(10))
                .idleTimeout(Duration.ofSeconds(30));
        config.accept(b);
        Server s = b.build();
        Listener l = s.start();
        return new Running(s, l.address().getPort());
    }
}
