package dev.weft.deploy;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where scanned classes came from: the {@code WEB-INF/classes} folder or one {@code WEB-INF/lib} jar.
 * Kept per class because metadata-complete, web fragments and absolute ordering decide per jar whether
 * its annotations count.
 */
public record ClassSource(Path path, Kind kind) {

    public enum Kind { DIRECTORY, JAR }

    public ClassSource {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(kind, "kind");
    }

    /** The jar's or folder's file name, as web-fragment ordering names jars. */
    public String fileName() {
        Path name = path.getFileName();
        return name == null ? path.toString() : name.toString();
    }

    @Override
    public String toString() {
        return path.toString();
    }
}
