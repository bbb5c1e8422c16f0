package dev.weft.examples.war.fragment;

import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.annotation.HandlesTypes;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Found through {@code META-INF/services/jakarta.servlet.ServletContainerInitializer} in this jar.
 * The container hands it the application's {@link Greeting} classes; it instantiates the concrete
 * ones and registers the {@code /greetings} servlet over them, as a framework bootstraps itself from
 * a library jar without a line of configuration in the application.
 */
@HandlesTypes(Greeting.class)
public final class GreetingsInitializer implements ServletContainerInitializer {
    /** The names of the classes the container handed over, sorted, as a context attribute. */
    public static final String HANDLED_TYPES = "examples.sci.handlesTypes";

    @Override
    public void onStartup(Set<Class<?>> classes, ServletContext ctx) throws ServletException {
        Set<String> names = new TreeSet<>();
        List<Greeting> greetings = new ArrayList<>();
        for (Class<?> c : classes == null ? Set.<Class<?>>of() : classes) {
            names.add(c.getName());
            // The container passes every subtype, abstract ones and the interface's own
            // sub-interfaces included; only concrete classes can greet.
            if (!c.isInterface() && !Modifier.isAbstract(c.getModifiers()) && Greeting.class.isAssignableFrom(c)) {
                try {
                    greetings.add((Greeting) c.getDeclaredConstructor().newInstance());
                } catch (ReflectiveOperationException e) {
                    throw new ServletException("cannot create " + c.getName(), e);
                }
            }
        }
        greetings.sort((a, b) -> a.language().compareTo(b.language()));
        ctx.setAttribute(HANDLED_TYPES, String.join(",", names));
        ServletRegistration.Dynamic r = ctx.addServlet("greetings", new GreetingsServlet(greetings));
        r.addMapping("/greetings");
    }
}
