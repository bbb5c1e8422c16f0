package benchwar;

/** Loaded on the first request, by the web application's class loader. */
final class WarGreeting {
    private WarGreeting() {}

    static String greet(String who) {
        return "hello " + who;
    }
}
