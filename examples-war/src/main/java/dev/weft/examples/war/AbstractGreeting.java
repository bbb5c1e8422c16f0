package dev.weft.examples.war;

import dev.weft.examples.war.fragment.Greeting;

/** Handed to the initializer too (it is a Greeting), which skips it: it cannot be instantiated. */
public abstract class AbstractGreeting implements Greeting {
    private final String language;
    private final String word;

    protected AbstractGreeting(String language, String word) {
        this.language = language;
        this.word = word;
    }

    @Override
    public String language() {
        return language;
    }

    @Override
    public String greet(String name) {
        return word + ", " + name + "!";
    }
}
