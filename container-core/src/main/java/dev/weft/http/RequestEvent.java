package dev.weft.http;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * A JDK Flight Recorder event per request, off by default. Turn it on in a recording's settings
 * ({@code jfr configure} or {@code -XX:StartFlightRecording:settings=...} with
 * {@code dev.weft.Request#enabled=true}). While it is off the server checks one flag per request
 * and creates nothing. Loading any event class makes the JVM set up the Flight Recorder (a couple
 * of hundred milliseconds), so the server does not touch this class until a recording has started
 * in the process.
 */
@Name("dev.weft.Request")
@Label("HTTP Request")
@Category({"Weft", "HTTP"})
@Description("One request served, from its head read to its response finished")
@Enabled(false)
@StackTrace(false)
final class RequestEvent extends jdk.jfr.Event {
    // Asking an instance, not EventType.getEventType(), which starts the Flight Recorder framework.
    private static final RequestEvent PROBE = new RequestEvent();

    @Label("Method")
    String method;

    @Label("Path")
    String path;

    @Label("Status")
    int status;

    @Label("Response Body Size")
    @DataAmount
    long bytes;

    @Label("Remote Address")
    String remote;

    /** Whether the event is on; see {@link Conn}'s check, which avoids loading this class at all. */
    static boolean enabled() {
        return PROBE.isEnabled();
    }
}
