package dev.weft.deploy;

import jakarta.servlet.annotation.WebServlet;
import java.util.List;

/**
 * A {@code @WebServlet} with the API's defaults filled in.
 *
 * <p>{@code value} and {@code urlPatterns} are kept apart because using both is a deployment error
 * (Servlet 6.1 §8.1.1) that the deployer, not the scanner, reports; {@link #patterns()} is whichever
 * one is set. Both may be empty when web.xml maps the servlet.
 *
 * @param name the servlet name; the fully qualified class name when not given (or given as "")
 */
public record WebServletInfo(
        String className,
        ClassSource source,
        String name,
        List<String> value,
        List<String> urlPatterns,
        int loadOnStartup,
        List<InitParam> initParams,
        boolean asyncSupported,
        String smallIcon,
        String largeIcon,
        String description,
        String displayName) {

    static final String TYPE = WebServlet.class.getName();

    public WebServletInfo {
        value = List.copyOf(value);
        urlPatterns = List.copyOf(urlPatterns);
        initParams = List.copyOf(initParams);
    }

    /** The URL patterns, from {@code value} or else {@code urlPatterns}. */
    public List<String> patterns() {
        return value.isEmpty() ? urlPatterns : value;
    }

    /** Both {@code value} and {@code urlPatterns} are set: illegal, the deployment must fail. */
    public boolean conflictingPatterns() {
        return !value.isEmpty() && !urlPatterns.isEmpty();
    }

    static WebServletInfo from(ClassInfo c, AnnotationInfo a) {
        String name = a.string("name", "");
        return new WebServletInfo(
                c.name(),
                c.source(),
                name.isEmpty() ? c.name() : name,
                a.strings("value"),
                a.strings("urlPatterns"),
                a.intValue("loadOnStartup", -1),
                InitParam.from(a.annotations("initParams")),
                a.booleanValue("asyncSupported", false),
                a.string("smallIcon", ""),
                a.string("largeIcon", ""),
                a.string("description", ""),
                a.string("displayName", ""));
    }
}
