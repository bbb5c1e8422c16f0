package dev.weft.deploy;

import java.util.Objects;

/**
 * Where a deployment descriptor element was declared, for error messages: the file as the user
 * knows it ({@code WEB-INF/web.xml}, {@code WEB-INF/lib/x.jar!/META-INF/web-fragment.xml}) and
 * the line of its start tag (the line the tag's {@code >} is on; 0 when not known).
 *
 * @param file the file, named for people
 * @param line the line, from 1; 0 when not known
 */
public record DescriptorSource(String file, int line) {

    public DescriptorSource {
        Objects.requireNonNull(file, "file");
        if (line < 0) {
            throw new IllegalArgumentException("line " + line);
        }
    }

    /** {@code file:line}, or just the file when the line is not known. */
    @Override
    public String toString() {
        return line > 0 ? file + ":" + line : file;
    }
}
