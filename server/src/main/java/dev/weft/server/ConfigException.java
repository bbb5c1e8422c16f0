package dev.weft.server;

/**
 * A command line or configuration that cannot be run: its message is one line naming the flag or
 * the key (with file and line) and the bad value. Weft exits with status 2 on it.
 */
final class ConfigException extends Exception {
    ConfigException(String message) {
        super(message);
    }

    ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
