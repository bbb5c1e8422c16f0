package dev.weft.http;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.EventType;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * A JDK Flight Recorder event per request, off by default. Turn it on in a recording's settings
 * ({@code jfr configure} or {@code -XX:StartFlightRecording:settings=...} with
 * {@code dev.weft.Request#enabled=true}). While it is off the server checks one flag per request
 * and creates nothing.
 */
@Name("dev.weft.Request")
@Label("HTTP Request")
@Category({"Weft", "HTTP"})
@Description("One request served, from its head read to its response finished")
@Enabled(false)
@StackTrace(false)
final class RequestEvent extends jdk.jfr.Event {
    private static final EventType TYPE = EventType.getEventType(RequestEvent.class);

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

    static boolean on() {
        return TYPE.isEnabled();
    }
}
