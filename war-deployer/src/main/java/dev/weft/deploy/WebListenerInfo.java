package dev.weft.deploy;

import jakarta.servlet.annotation.WebListener;

/**
 * A {@code @WebListener}. Whether the class implements one of the listener interfaces is for the
 * deployer to check, with {@link ScanResult#isSubtypeOf}.
 *
 * @param description the annotation's {@code value}, "" when not given
 */
public record WebListenerInfo(String className, ClassSource source, String description) {

    static final String TYPE = WebListener.class.getName();

    static WebListenerInfo from(ClassInfo c, AnnotationInfo a) {
        return new WebListenerInfo(c.name(), c.source(), a.string("value", ""));
    }
}
