package dev.weft.server;

/** One web application seen over JMX as {@code dev.weft:type=WebApp,context=/path}. */
public interface WebAppMXBean {
    /** {@code /} for the root application. */
    String getContextPath();

    String getDisplayName();

    /** The WAR file or folder it was deployed from, or {@code embedded}. */
    String getSource();

    /** How long deploying took, in milliseconds. */
    long getDeployMillis();

    boolean isRunning();

    long getRequests();

    /** Requests answered with a 5xx status, or cut off by an exception. */
    long getErrors();

    /** Sessions alive now. */
    int getSessionsActive();

    long getSessionsCreated();

    long getSessionsExpired();
}
