package dev.weft.deploy;

/** A {@code @jakarta.annotation.security.RunAs}: the role a servlet runs as (§13.3). */
public record RunAsInfo(String className, ClassSource source, String role) {

    static final String TYPE = "jakarta.annotation.security.RunAs";

    static RunAsInfo from(ClassInfo c, AnnotationInfo a) {
        String role = a.string("value", null);
        if (role == null) {
            throw new IllegalArgumentException("@RunAs without value");
        }
        return new RunAsInfo(c.name(), c.source(), role);
    }
}
