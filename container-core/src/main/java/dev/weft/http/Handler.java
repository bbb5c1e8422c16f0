package dev.weft.http;

/**
 * Responds to an HTTP request, as Go's {@code http.Handler}.
 *
 * <p>{@code serve} runs on the connection's own virtual thread. It should write the response
 * headers and body to {@code w} and then return; returning signals that the request is finished,
 * and the request and response must not be used after that (except for a hijacked connection).
 *
 * <p>A handler that throws is isolated to its connection: the exception is logged with its stack
 * and, if nothing was sent yet, the client gets a 500 and the connection is closed; otherwise the
 * connection is aborted. Throw {@link AbortHandlerException} to abort without logging.
 */
@FunctionalInterface
public interface Handler {
    void serve(ResponseWriter w, Request r) throws Exception;
}
