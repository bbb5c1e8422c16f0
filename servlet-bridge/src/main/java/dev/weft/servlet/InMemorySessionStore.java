package dev.weft.servlet;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/** Sessions in a concurrent map: saving is a no-op beyond the first, since the object is shared. */
final class InMemorySessionStore implements SessionStore {
    private final ConcurrentHashMap<String, SessionData> sessions = new ConcurrentHashMap<>();

    @Override
    public SessionData load(String id) {
        return sessions.get(id);
    }

    @Override
    public void save(SessionData session) {
        sessions.put(session.id(), session);
    }

    @Override
    public boolean delete(String id) {
        return sessions.remove(id) != null;
    }

    @Override
    public Collection<String> expired(long nowMillis) {
        List<String> out = new ArrayList<>();
        for (SessionData s : sessions.values()) {
            if (s.isExpired(nowMillis)) {
                out.add(s.id());
            }
        }
        return out;
    }

    @Override
    public Collection<String> ids() {
        return List.copyOf(sessions.keySet());
    }

    @Override
    public int size() {
        return sessions.size();
    }

    @Override
    public void close() {
        sessions.clear();
    }
}
