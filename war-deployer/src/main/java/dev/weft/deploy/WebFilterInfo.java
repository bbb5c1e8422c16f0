package dev.weft.deploy;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.annotation.WebFilter;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * A {@code @WebFilter} with the API's defaults filled in.
 *
 * <p>As for servlets, {@code value} and {@code urlPatterns} are alternatives and are kept apart so
 * the deployer can refuse both at once; {@link #patterns()} is whichever one is set.
 *
 * @param filterName the filter name; the fully qualified class name when not given (or given as ""),
 *     as Tomcat does, since the annotation's own default "" cannot name a registration
 * @param dispatcherTypes never empty: {@code REQUEST} when not given, and also when given as
 *     {@code {}}, which is what an empty dispatcher list means in web.xml and in
 *     {@code FilterRegistration}
 */
public record WebFilterInfo(
        String className,
        ClassSource source,
        String filterName,
        String description,
        String displayName,
        List<InitParam> initParams,
        String smallIcon,
        String largeIcon,
        List<String> servletNames,
        List<String> value,
        List<String> urlPatterns,
        Set<DispatcherType> dispatcherTypes,
        boolean asyncSupported) {

    static final String TYPE = WebFilter.class.getName();

    public WebFilterInfo {
        initParams = List.copyOf(initParams);
        servletNames = List.copyOf(servletNames);
        value = List.copyOf(value);
        urlPatterns = List.copyOf(urlPatterns);
        dispatcherTypes = Collections.unmodifiableSet(
                dispatcherTypes.isEmpty() ? EnumSet.of(DispatcherType.REQUEST) : EnumSet.copyOf(dispatcherTypes));
    }

    /** The URL patterns, from {@code value} or else {@code urlPatterns}. */
    public List<String> patterns() {
        return value.isEmpty() ? urlPatterns : value;
    }

    /** Both {@code value} and {@code urlPatterns} are set: illegal, the deployment must fail. */
    public boolean conflictingPatterns() {
        return !value.isEmpty() && !urlPatterns.isEmpty();
    }

    static WebFilterInfo from(ClassInfo c, AnnotationInfo a) {
        String name = a.string("filterName", "");
        Set<DispatcherType> types = EnumSet.noneOf(DispatcherType.class);
        for (String t : a.enumValues("dispatcherTypes", List.of(DispatcherType.REQUEST.name()))) {
            types.add(DispatcherType.valueOf(t));
        }
        return new WebFilterInfo(
                c.name(),
                c.source(),
                name.isEmpty() ? c.name() : name,
                a.string("description", ""),
                a.string("displayName", ""),
                InitParam.from(a.annotations("initParams")),
                a.string("smallIcon", ""),
                a.string("largeIcon", ""),
                a.strings("servletNames"),
                a.strings("value"),
                a.strings("urlPatterns"),
                types,
                a.booleanValue("asyncSupported", false));
    }
}
