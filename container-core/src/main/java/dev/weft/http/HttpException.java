package dev.weft.http;

import java.io.IOException;

/**
 * A request the server must refuse: bad syntax, ambiguous framing, a limit exceeded. Carries the
 * status to answer with. The parser and the body readers throw it; {@link Conn} turns it into a
 * response and always closes the connection afterwards, because the framing of what follows can no
 * longer be trusted. A handler reading a body may see it too, as the {@link IOException} it is.
 */
public class HttpException extends IOException {
    private final int status;

    public HttpException(int status, String message) {
        super(message, null);
        this.status = status;
    }

    /** The status code to answer with, such as 400 or 431. */
    public int status() {
        return status;
    }

    static HttpException badRequest(String message) {
        return new HttpException(400, message);
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        // Raised by hostile input at will; a stack trace would only cost time.
        return this;
    }
}
