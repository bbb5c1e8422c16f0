package dev.weft.http;

import java.io.IOException;

/**
 * Returned (thrown) by {@link Server#serve} and {@link Server#listenAndServe} once the server has
 * been shut down or closed, as Go's {@code http.ErrServerClosed}: the normal way for them to end.
 */
public class ServerClosedException extends IOException {
    public ServerClosedException() {
        super("server closed");
    }
}
