package dev.weft.arquillian.app;

import jakarta.servlet.annotation.WebListener;
import jakarta.servlet.http.HttpSessionEvent;
import jakarta.servlet.http.HttpSessionListener;
import java.util.concurrent.atomic.AtomicInteger;

/** Counts sessions created and destroyed in its application (its class is the application's own). */
@WebListener
public class SessionCounter implements HttpSessionListener {
    private static final AtomicInteger CREATED = new AtomicInteger();
    private static final AtomicInteger DESTROYED = new AtomicInteger();

    @Override
    public void sessionCreated(HttpSessionEvent se) {
        CREATED.incrementAndGet();
    }

    @Override
    public void sessionDestroyed(HttpSessionEvent se) {
        DESTROYED.incrementAndGet();
    }

    static String report() {
        return "created=" + CREATED.get() + " destroyed=" + DESTROYED.get();
    }
}
