package dev.weft.http;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A cancellation signal with values, the Java form of Go's {@code context.Context}.
 *
 * <p>Contexts form a tree: a child is done when its parent is. Every request has one
 * ({@link Request#context()}) that is done when the handler returns, when the client goes away
 * while the handler runs, or when the connection closes. Values carry request-scoped data across
 * API boundaries, such as the {@link Server} that accepted a connection.
 */
public class Context {
    /** A typed key for {@link #get}; keys compare by identity. */
    public static final class Key<T> {
        private final String name;

        public Key(String name) {
            this.name = Objects.requireNonNull(name);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private static final Context BACKGROUND = new Context(null);

    final Context parent;

    Context(Context parent) {
        this.parent = parent;
    }

    /** The root context: never done, no values. */
    public static Context background() {
        return BACKGROUND;
    }

    /** A child of {@code parent} that is done when {@link Cancellable#cancel()} is called or the parent is done. */
    public static Cancellable withCancel(Context parent) {
        return new Cancellable(Objects.requireNonNull(parent));
    }

    /** A child that carries {@code value} under {@code key} and is done when this context is. */
    public final <T> Context with(Key<T> key, T value) {
        return new ValueContext(this, Objects.requireNonNull(key), value);
    }

    /** The value stored under {@code key} here or in an ancestor, or null. */
    @SuppressWarnings("unchecked")
    public final <T> T get(Key<T> key) {
        for (Context c = this; c != null; c = c.parent) {
            if (c instanceof ValueContext v && v.key == key) {
                return (T) v.value;
            }
        }
        return null;
    }

    /** Whether this context has been cancelled. */
    public boolean isDone() {
        return parent != null && parent.isDone();
    }

    /**
     * Runs {@code action} once when this context is done: at once, on this thread, if it is
     * already done, otherwise on the thread that cancels it. Actions must be short and not block.
     */
    public void onDone(Runnable action) {
        if (parent != null) {
            parent.onDone(action);
        }
    }

    /** Blocks until this context is done. */
    public void await() throws InterruptedException {
        if (parent == null) {
            throw new IllegalStateException("the background context is never done");
        }
        parent.await();
    }

    /** Blocks until this context is done or {@code timeout} passes; returns whether it is done. */
    public boolean await(Duration timeout) throws InterruptedException {
        if (parent == null) {
            Thread.sleep(timeout);
            return false;
        }
        return parent.await(timeout);
    }

    private static final class ValueContext extends Context {
        final Key<?> key;
        final Object value;

        ValueContext(Context parent, Key<?> key, Object value) {
            super(parent);
            this.key = key;
            this.value = value;
        }
    }

    /** A context that can be cancelled. */
    public static class Cancellable extends Context {
        // A ReentrantLock rather than a monitor: waiting inside synchronized pins a virtual thread on Java 21.
        private final ReentrantLock lock = new ReentrantLock();
        private Condition doneCondition;
        private volatile boolean cancelled;
        // A Runnable, or a Runnable[] once there is more than one; allocated only when someone waits.
        private Object actions;
        private boolean linked;

        Cancellable(Context parent) {
            super(parent);
        }

        /** Cancels this context and, through them, its children. Idempotent. */
        public void cancel() {
            Object toRun;
            lock.lock();
            try {
                if (cancelled) {
                    return;
                }
                cancelled = true;
                toRun = actions;
                actions = null;
                if (doneCondition != null) {
                    doneCondition.signalAll();
                }
            } finally {
                lock.unlock();
            }
            if (toRun instanceof Runnable r) {
                r.run();
            } else if (toRun instanceof Runnable[] rs) {
                for (Runnable r : rs) {
                    r.run();
                }
            }
        }

        @Override
        public boolean isDone() {
            return cancelled || super.isDone();
        }

        @Override
        public void onDone(Runnable action) {
            Objects.requireNonNull(action);
            boolean runNow;
            lock.lock();
            try {
                runNow = cancelled;
                if (!runNow) {
                    actions = actions == null ? action : append(actions, action);
                }
            } finally {
                lock.unlock();
            }
            if (runNow) {
                action.run();
                return;
            }
            linkToParent();
        }

        @Override
        public void await() throws InterruptedException {
            linkToParent();
            lock.lock();
            try {
                while (!cancelled) {
                    condition().await();
                }
            } finally {
                lock.unlock();
            }
        }

        @Override
        public boolean await(Duration timeout) throws InterruptedException {
            linkToParent();
            long left = timeout.toNanos();
            lock.lock();
            try {
                while (!cancelled) {
                    if (left <= 0) {
                        return false;
                    }
                    left = condition().awaitNanos(left);
                }
                return true;
            } finally {
                lock.unlock();
            }
        }

        /** Parents learn of a child only when someone waits on it, so unobserved contexts cost nothing. */
        private void linkToParent() {
            lock.lock();
            try {
                if (linked) {
                    return;
                }
                linked = true;
            } finally {
                lock.unlock();
            }
            if (parent != null && parent != BACKGROUND) {
                parent.onDone(this::cancel);
            }
        }

        private Condition condition() {
            if (doneCondition == null) {
                doneCondition = lock.newCondition();
            }
            return doneCondition;
        }

        private static Runnable[] append(Object actions, Runnable action) {
            if (actions instanceof Runnable r) {
                return new Runnable[] {r, action};
            }
            Runnable[] old = (Runnable[]) actions;
            Runnable[] rs = java.util.Arrays.copyOf(old, old.length + 1);
            rs[old.length] = action;
            return rs;
        }
    }
}
