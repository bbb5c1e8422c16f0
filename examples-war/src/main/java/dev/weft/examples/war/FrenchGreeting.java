package dev.weft.examples.war;

/** Found by the fragment's initializer through {@code @HandlesTypes}; nothing registers it. */
public class FrenchGreeting extends AbstractGreeting {
    public FrenchGreeting() {
        super("fr", "Bonjour");
    }
}
