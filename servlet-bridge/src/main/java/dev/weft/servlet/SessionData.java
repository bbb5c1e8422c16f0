package dev.weft.servlet;

import java.io.Serializable;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The state of one session, what a {@link SessionStore} keeps: id, times, inactivity limit and
 * attributes. Safe to share between concurrent requests of the same session.
 */
public final class SessionData implements Serializable {
    private static final long serialVersionUID = 1L;

    private volatile String id;
    private final long creationTime;
    private volatile long lastAccessedTime; // the start of the previous request that used it
    private volatile long thisAccessedTime; // the start of the latest request
    private volatile int maxInactiveInterval; // seconds; 0 or less: never expires
    private volatile boolean isNew = true;
    private final ConcurrentHashMap<String, Object> attributes = new ConcurrentHashMap<>();
    transient volatile boolean valid = true;
    final transient java.util.concurrent.atomic.AtomicBoolean ending = new java.util.concurrent.atomic.AtomicBoolean();
    transient volatile Session facade;

    public SessionData(String id, long creationTime, int maxInactiveInterval) {
        this.id = id;
        this.creationTime = creationTime;
        this.lastAccessedTime = creationTime;
        this.thisAccessedTime = creationTime;
        this.maxInactiveInterval = maxInactiveInterval;
    }

    public String id() {
        return id;
    }

    void id(String id) {
        this.id = id;
    }

    public long creationTime() {
        return creationTime;
    }

    public long lastAccessedTime() {
        return lastAccessedTime;
    }

    public int maxInactiveInterval() {
        return maxInactiveInterval;
    }

    void maxInactiveInterval(int seconds) {
        this.maxInactiveInterval = seconds;
    }

    public boolean isNew() {
        return isNew;
    }

    public Map<String, Object> attributes() {
        return attributes;
    }

    /** A request of this session started now. */
    void access(long now) {
        lastAccessedTime = thisAccessedTime;
        thisAccessedTime = now;
        isNew = false;
    }

    /** Whether the inactivity limit has passed, counted from the latest request. */
    public boolean isExpired(long now) {
        int max = maxInactiveInterval;
        return max > 0 && now - thisAccessedTime > max * 1000L;
    }

    long thisAccessedTime() {
        return thisAccessedTime;
    }
}
