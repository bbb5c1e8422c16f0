package dev.weft.examples.war;

/** Found by the fragment's initializer through {@code @HandlesTypes}; nothing registers it. */
public class EnglishGreeting extends AbstractGreeting {
    public EnglishGreeting() {
        super("en", "Hello");
    }
}
