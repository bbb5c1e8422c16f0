package dev.weft.examples.war.fragment;

/**
 * A greeting in one language. The application implements it; {@link GreetingsInitializer} is handed
 * every implementation through {@code @HandlesTypes}, without the application registering any.
 */
public interface Greeting {
    /** The language, as a tag such as {@code en}. */
    String language();

    /** The greeting for {@code name}. */
    String greet(String name);
}
