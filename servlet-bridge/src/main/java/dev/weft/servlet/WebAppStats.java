package dev.weft.servlet;

import java.util.concurrent.atomic.LongAdder;

/**
 * Running counts of what one web application did, for metrics: updated from every connection
 * thread at once without contention, read whenever asked. Live sessions are not counted here:
 * {@link SessionManager#size()} asks the store, which is the only one that knows.
 */
public final class WebAppStats {
    final LongAdder requests = new LongAdder();
    final LongAdder errors = new LongAdder();
    final LongAdder sessionsCreated = new LongAdder();
    final LongAdder sessionsExpired = new LongAdder();

    WebAppStats() {}

    /** Requests the application served (a redirect of {@code /ctx} to {@code /ctx/} not included). */
    public long requests() {
        return requests.sum();
    }

    /** Requests answered with a 5xx status, or cut off by an exception after the response was committed. */
    public long errors() {
        return errors.sum();
    }

    /** Sessions created since the application started. */
    public long sessionsCreated() {
        return sessionsCreated.sum();
    }

    /** Sessions ended because their inactivity limit passed (not those invalidated by the application). */
    public long sessionsExpired() {
        return sessionsExpired.sum();
    }

    /** One request is over: its final status, or whether it ended in an exception. */
    void requestDone(int status, boolean failed) {
        requests.increment();
        if (failed || status >= 500) {
            errors.increment();
        }
    }
}
