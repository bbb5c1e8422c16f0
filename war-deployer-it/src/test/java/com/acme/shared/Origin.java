package com.acme.shared;

/**
 * On the container's class path under the same name as a class a test WAR ships in its
 * {@code WEB-INF/classes}: the application must get its own.
 */
public final class Origin {
    private Origin() {}

    public static String where() {
        return "container";
    }
}
