package dev.weft.http;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketImpl;

/**
 * A connection that is only a pair of streams, so a whole request can go through {@link Conn}
 * without the kernel: what a benchmark of Weft's own code wants to leave out.
 */
final class MemorySocket extends Socket {
    static final InetSocketAddress LOCAL = new InetSocketAddress(InetAddress.getLoopbackAddress(), 8080);
    static final InetSocketAddress REMOTE = new InetSocketAddress(InetAddress.getLoopbackAddress(), 50_000);

    private final InputStream in;
    private final OutputStream out;
    private boolean closed;
    private int soTimeout;

    MemorySocket(InputStream in, OutputStream out) throws SocketException {
        super((SocketImpl) null); // no file descriptor behind it
        this.in = in;
        this.out = out;
    }

    @Override
    public InputStream getInputStream() {
        return in;
    }

    @Override
    public OutputStream getOutputStream() {
        return out;
    }

    @Override
    public SocketAddress getRemoteSocketAddress() {
        return REMOTE;
    }

    @Override
    public SocketAddress getLocalSocketAddress() {
        return LOCAL;
    }

    @Override
    public InetAddress getInetAddress() {
        return REMOTE.getAddress();
    }

    @Override
    public int getPort() {
        return REMOTE.getPort();
    }

    @Override
    public int getLocalPort() {
        return LOCAL.getPort();
    }

    @Override
    public boolean isConnected() {
        return true;
    }

    @Override
    public void close() {
        closed = true;
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public void shutdownInput() {}

    @Override
    public void shutdownOutput() {}

    @Override
    public void setSoTimeout(int timeout) {
        soTimeout = timeout;
    }

    @Override
    public int getSoTimeout() {
        return soTimeout;
    }

    @Override
    public void setTcpNoDelay(boolean on) {}
}
