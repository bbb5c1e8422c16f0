package dev.weft.examples.war;

/** What {@link BoomServlet} throws; {@code web.xml} gives it an error page of its own. */
public class ExampleException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ExampleException(String message) {
        super(message);
    }
}
