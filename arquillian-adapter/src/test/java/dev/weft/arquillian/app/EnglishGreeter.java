package dev.weft.arquillian.app;

/** Found by the class scan and handed to the initializer that asks for Greeter. */
public class EnglishGreeter implements Greeter {
    @Override
    public String greet() {
        return "hello";
    }
}
