package dev.weft.arquillian.app;

/** A type an initializer asks for with @HandlesTypes. */
public interface Greeter {
    String greet();
}
