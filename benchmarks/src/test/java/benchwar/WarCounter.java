package benchwar;

import java.util.concurrent.atomic.AtomicLong;

/** Loaded on the first request; its static initializer runs on a request thread. */
final class WarCounter {
    private static final AtomicLong COUNT = new AtomicLong();

    private WarCounter() {}

    static long next() {
        return COUNT.incrementAndGet();
    }
}
