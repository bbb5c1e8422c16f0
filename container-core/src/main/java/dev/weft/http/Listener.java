package dev.weft.http;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.channels.ClosedChannelException;

/**
 * A source of client connections, Go's {@code net.Listener}. {@link Server#serve} accepts from it
 * until it is closed. Implement it to wrap sockets (TLS, PROXY protocol) or, in tests, to inject
 * accept failures.
 */
public interface Listener extends Closeable {
    /**
     * Waits for the next connection. Throws {@link ClosedChannelException} once the listener is
     * closed; any other {@link IOException} is taken as temporary (such as running out of file
     * descriptors) and retried with backoff.
     */
    Socket accept() throws IOException;

    /** The address this listener accepts on. */
    InetSocketAddress address();

    /** The TLS configuration connections from this listener are served with, or null for plain HTTP. */
    default TlsConfig tls() {
        return null;
    }

    /**
     * HTTPS on {@code inner}'s connections, Go's {@code ServeTLS}: each connection's handshake runs
     * on its own virtual thread, within the server's TLS handshake timeout.
     */
    static Listener tls(Listener inner, TlsConfig config) {
        java.util.Objects.requireNonNull(config, "config");
        return new Listener() {
            @Override
            public Socket accept() throws IOException {
                return inner.accept();
            }

            @Override
            public InetSocketAddress address() {
                return inner.address();
            }

            @Override
            public TlsConfig tls() {
                return config;
            }

            @Override
            public void close() throws IOException {
                inner.close();
            }

            @Override
            public String toString() {
                return "tls " + inner;
            }
        };
    }

    /**
     * Listens on TCP at {@code address}; port 0 picks a free port. The accept backlog is as long
     * as the system allows ({@code net.core.somaxconn}), as in Go: Java's default of 50 would
     * make the kernel drop handshakes under a burst of connections.
     */
    static Listener tcp(InetSocketAddress address) throws IOException {
        return tcp(address, 65535);
    }

    /** Listens on TCP with an accept backlog of {@code backlog}, capped by the system. */
    static Listener tcp(InetSocketAddress address, int backlog) throws IOException {
        ServerSocket ss = new ServerSocket();
        try {
            ss.setReuseAddress(true);
            ss.bind(address, backlog);
        } catch (IOException e) {
            ss.close();
            throw new IOException("cannot listen on " + address + ": " + e.getMessage(), e);
        }
        return new TcpListener(ss);
    }

    /** Listens on TCP at {@code host:port}. */
    static Listener tcp(String host, int port) throws IOException {
        return tcp(new InetSocketAddress(host, port));
    }

    /** A {@link ServerSocket} as a listener. */
    final class TcpListener implements Listener {
        private final ServerSocket serverSocket;
        private final InetSocketAddress address;

        TcpListener(ServerSocket serverSocket) {
            this.serverSocket = serverSocket;
            this.address = (InetSocketAddress) serverSocket.getLocalSocketAddress();
        }

        @Override
        public Socket accept() throws IOException {
            try {
                Socket s = serverSocket.accept();
                s.setTcpNoDelay(true);
                return s;
            } catch (SocketException e) {
                if (serverSocket.isClosed()) {
                    ClosedChannelException closed = new ClosedChannelException();
                    closed.initCause(e);
                    throw closed;
                }
                throw e;
            }
        }

        @Override
        public InetSocketAddress address() {
            return address;
        }

        @Override
        public void close() throws IOException {
            serverSocket.close();
        }

        @Override
        public String toString() {
            return "tcp " + address;
        }
    }
}
