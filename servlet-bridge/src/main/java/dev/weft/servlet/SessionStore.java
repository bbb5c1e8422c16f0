package dev.weft.servlet;

import java.util.Collection;

/**
 * Where sessions live. The default keeps them in memory; an implementation backed by a shared
 * store (for several instances behind a load balancer) serializes {@link SessionData} in
 * {@link #save} and rebuilds it in {@link #load}.
 *
 * <p>The manager calls {@link #save} when a session is created and at the end of every request
 * that used it, so a shared store always holds the state of the last completed request.
 */
public interface SessionStore {
    /** The session with this id, or null. An in-memory store returns the same object every time. */
    SessionData load(String id);

    /** Creates or updates a session. */
    void save(SessionData session);

    /** Removes a session; returns whether there was one. */
    boolean delete(String id);

    /** The ids of the sessions whose inactivity limit has passed at {@code nowMillis}. */
    Collection<String> expired(long nowMillis);

    /** The ids of every stored session. */
    Collection<String> ids();

    /** The number of sessions stored. */
    int size();

    /** Releases the store's resources when the application stops. */
    default void close() {}

    /** The default: sessions in a concurrent map of this JVM. */
    static SessionStore inMemory() {
        return new InMemorySessionStore();
    }
}
