package dev.weft.deploy;

import java.util.List;

/** A {@code @jakarta.annotation.security.DeclareRoles}: roles the application declares (§13.3). */
public record DeclareRolesInfo(String className, ClassSource source, List<String> roles) {

    // By name: the scanner reads class files and never loads the annotation types.
    static final String TYPE = "jakarta.annotation.security.DeclareRoles";

    public DeclareRolesInfo {
        roles = List.copyOf(roles);
    }

    static DeclareRolesInfo from(ClassInfo c, AnnotationInfo a) {
        if (!a.has("value")) {
            throw new IllegalArgumentException("@DeclareRoles without value");
        }
        return new DeclareRolesInfo(c.name(), c.source(), a.strings("value"));
    }
}
