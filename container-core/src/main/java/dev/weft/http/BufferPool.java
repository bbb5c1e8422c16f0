package dev.weft.http;

import java.util.concurrent.locks.ReentrantLock;

/**
 * A bounded stack of same-sized byte arrays shared by all connections.
 *
 * <p>Connections take their read and write buffers when bytes arrive and give them back when they
 * go idle, so an idle keep-alive connection holds none of the large ones. The lock guards a few array
 * operations and is never held across I/O; a miss simply allocates, and a surplus is left to the GC.
 */
final class BufferPool {
    static final BufferPool INPUT = new BufferPool(4 << 10, 1024);
    static final BufferPool HANDLER = new BufferPool(4 << 10, 1024);
    static final BufferPool OUTPUT = new BufferPool(8 << 10, 1024);
    /** The small array each connection waits for its next request with (see ConnInput.FIRST_READ). */
    static final BufferPool FIRST = new BufferPool(ConnInput.FIRST_READ, 1024);

    private final int bufferSize;
    private final byte[][] stack;
    private final ReentrantLock lock = new ReentrantLock();
    private int top;

    BufferPool(int bufferSize, int capacity) {
        this.bufferSize = bufferSize;
        this.stack = new byte[capacity][];
    }

    int bufferSize() {
        return bufferSize;
    }

    byte[] take() {
        lock.lock();
        try {
            if (top > 0) {
                byte[] b = stack[--top];
                stack[top] = null;
                return b;
            }
        } finally {
            lock.unlock();
        }
        return new byte[bufferSize];
    }

    /** Returns {@code b} to the pool; buffers of another size (grown or shrunk ones) are dropped. */
    void give(byte[] b) {
        if (b == null || b.length != bufferSize) {
            return;
        }
        lock.lock();
        try {
            if (top < stack.length) {
                stack[top++] = b;
            }
        } finally {
            lock.unlock();
        }
    }
}
