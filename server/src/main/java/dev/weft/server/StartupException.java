package dev.weft.server;

/** The server could not start (a port in use, nothing deployable): Weft exits with status 1. */
final class StartupException extends Exception {
    StartupException(String message) {
        super(message);
    }

    StartupException(String message, Throwable cause) {
        super(message, cause);
    }
}
