package dev.weft.http;

/**
 * Thrown by a handler to abort the response and the connection without an error log line, as
 * Go's {@code http.ErrAbortHandler}. The client sees a connection closed mid-response.
 */
public class AbortHandlerException extends RuntimeException {
    public AbortHandlerException() {
        super("handler aborted", null, false, false);
    }
}
