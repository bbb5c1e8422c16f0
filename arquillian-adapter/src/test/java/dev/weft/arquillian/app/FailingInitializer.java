package dev.weft.arquillian.app;

import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContext;
import java.util.Set;

/** An initializer that refuses to start its application. */
public class FailingInitializer implements ServletContainerInitializer {
    public static final String MESSAGE = "the initializer refuses to start";

    @Override
    public void onStartup(Set<Class<?>> classes, ServletContext ctx) {
        throw new IllegalStateException(MESSAGE);
    }
}
