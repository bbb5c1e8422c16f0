package dev.weft.deploy;

/**
 * A deployment descriptor, or a set of them, that cannot be deployed: malformed XML, a missing or
 * invalid value, an invalid url-pattern, a conflict between declarations, a cycle in the fragment
 * ordering. The message starts with the file and line ({@code WEB-INF/web.xml:42: ...}) so it can
 * be shown as it is.
 */
public class DescriptorException extends Exception {
    private final DescriptorSource source;
    private final String detail;

    public DescriptorException(DescriptorSource source, String detail) {
        this(source, detail, null);
    }

    public DescriptorException(DescriptorSource source, String detail, Throwable cause) {
        super(source == null ? detail : source + ": " + detail, cause);
        this.source = source;
        this.detail = detail;
    }

    /** Where the problem is; null when it is not in one place. */
    public DescriptorSource source() {
        return source;
    }

    /** The message without the place. */
    public String detail() {
        return detail;
    }
}
