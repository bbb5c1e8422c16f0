package dev.weft.deploy;

import java.util.Objects;

/**
 * Something the scanner skipped or read with a caveat. A scan never fails because of one class,
 * entry or jar; the deployer decides whether to log or refuse.
 *
 * @param source the folder or jar
 * @param entry the path inside it ({@code com/example/Foo.class}), or null when the warning is about
 *     the whole source
 * @param message what went wrong
 */
public record ScanWarning(ClassSource source, String entry, String message) {

    public ScanWarning {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
        return entry == null ? source + ": " + message : source + "!/" + entry + ": " + message;
    }
}
