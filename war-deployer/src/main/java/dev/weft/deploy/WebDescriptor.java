package dev.weft.deploy;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.MultipartConfigElement;
import jakarta.servlet.SessionTrackingMode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One deployment descriptor: a {@code web.xml}, a {@code web-fragment.xml}, or the effective
 * descriptor {@link DescriptorMerger} makes of them. Everything a Servlet 6.1 container acts on,
 * as the schema names it; the Jakarta EE resource references (ejb-ref, resource-ref, data-source,
 * ...) are not modelled.
 *
 * <p>Optional single values are null when the element is absent, because the merge rules of
 * Servlet 6.1 §8.2.3 depend on whether an element was declared, not on its default. Lists are
 * never null and keep declaration order. Every element carries the {@link DescriptorSource} it
 * was declared at.
 *
 * @param kind a web.xml or a web-fragment.xml
 * @param source the file, at the root element
 * @param version the schema version ({@code "6.1"}, ..., {@code "2.4"}, or {@code "2.3"} and
 *     {@code "2.2"} for DTD-based descriptors)
 * @param metadataComplete the {@code metadata-complete} attribute
 * @param name a fragment's {@code <name>}; null when unnamed, and always for a web.xml
 * @param ordering a fragment's {@code <ordering>}; null when it has none
 * @param absoluteOrdering a web.xml's {@code <absolute-ordering>}; null when it has none
 * @param displayName the first {@code <display-name>}
 * @param distributable whether {@code <distributable/>} is present
 * @param denyUncoveredHttpMethods whether {@code <deny-uncovered-http-methods/>} is present
 * @param defaultContextPath {@code <default-context-path>} (web.xml only)
 * @param requestCharacterEncoding {@code <request-character-encoding>} (web.xml only)
 * @param responseCharacterEncoding {@code <response-character-encoding>} (web.xml only)
 * @param contextParams the {@code <context-param>}s
 * @param filters the {@code <filter>}s, one per name
 * @param filterMappings the {@code <filter-mapping>}s, in order (it is the chain order)
 * @param servlets the {@code <servlet>}s, one per name
 * @param servletMappings the {@code <servlet-mapping>}s
 * @param listeners the {@code <listener>}s, one per class, in order
 * @param sessionConfig the {@code <session-config>}
 * @param mimeMappings the {@code <mime-mapping>}s, one per extension
 * @param welcomeFiles the welcome files of every {@code <welcome-file-list>}; empty when none is
 *     declared (the container's defaults apply)
 * @param errorPages the {@code <error-page>}s, one per code, exception type or default
 * @param localeEncodingMappings the {@code <locale-encoding-mapping>}s, one per locale
 * @param jspConfig the {@code <jsp-config>}, with the top-level {@code <taglib>}s of 2.3
 * @param securityConstraints the {@code <security-constraint>}s
 * @param loginConfig the {@code <login-config>}
 * @param securityRoles the {@code <security-role>}s, one per name
 * @param envEntries the {@code <env-entry>}s, one per name
 */
public record WebDescriptor(
        Kind kind,
        DescriptorSource source,
        String version,
        boolean metadataComplete,
        String name,
        RelativeOrdering ordering,
        AbsoluteOrdering absoluteOrdering,
        String displayName,
        boolean distributable,
        boolean denyUncoveredHttpMethods,
        String defaultContextPath,
        String requestCharacterEncoding,
        String responseCharacterEncoding,
        List<Param> contextParams,
        List<FilterDef> filters,
        List<FilterMapping> filterMappings,
        List<ServletDef> servlets,
        List<ServletMapping> servletMappings,
        List<Listener> listeners,
        SessionConfig sessionConfig,
        List<MimeMapping> mimeMappings,
        List<WelcomeFile> welcomeFiles,
        List<ErrorPage> errorPages,
        List<LocaleEncodingMapping> localeEncodingMappings,
        JspConfig jspConfig,
        List<SecurityConstraint> securityConstraints,
        LoginConfig loginConfig,
        List<SecurityRole> securityRoles,
        List<EnvEntry> envEntries) {

    /** The newest schema version, taken when a descriptor does not say. */
    public static final String LATEST_VERSION = "6.1";

    /** Which file a descriptor is. */
    public enum Kind {
        /** {@code WEB-INF/web.xml}, root element {@code <web-app>}, or the effective descriptor */
        WEB_APP,
        /** {@code META-INF/web-fragment.xml} in a {@code WEB-INF/lib} jar, root element {@code <web-fragment>} */
        WEB_FRAGMENT
    }

    public WebDescriptor {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(version, "version");
        contextParams = List.copyOf(contextParams);
        filters = List.copyOf(filters);
        filterMappings = List.copyOf(filterMappings);
        servlets = List.copyOf(servlets);
        servletMappings = List.copyOf(servletMappings);
        listeners = List.copyOf(listeners);
        mimeMappings = List.copyOf(mimeMappings);
        welcomeFiles = List.copyOf(welcomeFiles);
        errorPages = List.copyOf(errorPages);
        localeEncodingMappings = List.copyOf(localeEncodingMappings);
        securityConstraints = List.copyOf(securityConstraints);
        securityRoles = List.copyOf(securityRoles);
        envEntries = List.copyOf(envEntries);
    }

    /** A web.xml that declares nothing, for a WAR without one. */
    public static WebDescriptor empty(DescriptorSource source) {
        return new Builder(Kind.WEB_APP, source, LATEST_VERSION).build();
    }

    public boolean isFragment() {
        return kind == Kind.WEB_FRAGMENT;
    }

    /** Whether {@link #version()} is {@code major.minor} or later. */
    public boolean versionAtLeast(int major, int minor) {
        int dot = version.indexOf('.');
        try {
            int ma = Integer.parseInt(dot < 0 ? version : version.substring(0, dot));
            int mi = dot < 0 ? 0 : Integer.parseInt(version.substring(dot + 1));
            return ma > major || (ma == major && mi >= minor);
        } catch (NumberFormatException e) {
            return true; // the parser only lets digits through; anything else is newer than we know
        }
    }

    /**
     * Whether annotations (and, for a web.xml, fragments) are to be ignored: {@code
     * metadata-complete="true"}, or a web.xml older than 2.5, which predates annotations.
     */
    public boolean effectivelyMetadataComplete() {
        return metadataComplete || (kind == Kind.WEB_APP && !versionAtLeast(2, 5));
    }

    /** The servlet declared under {@code name}, or null. */
    public ServletDef servlet(String name) {
        for (ServletDef s : servlets) {
            if (s.name().equals(name)) {
                return s;
            }
        }
        return null;
    }

    /** The filter declared under {@code name}, or null. */
    public FilterDef filter(String name) {
        for (FilterDef f : filters) {
            if (f.name().equals(name)) {
                return f;
            }
        }
        return null;
    }

    /** The value of context parameter {@code name}, or null. */
    public String contextParam(String name) {
        for (Param p : contextParams) {
            if (p.name().equals(name)) {
                return p.value();
            }
        }
        return null;
    }

    /**
     * Checks what only the effective descriptor can tell: every servlet-mapping names a declared
     * servlet, every filter-mapping a declared filter, and no url-pattern is mapped to two
     * servlets. A single web.xml may rightly map a servlet a fragment, an annotation or the
     * container declares, so this is not the parser's job.
     *
     * @param otherServlets servlets declared elsewhere: by annotations, by the container ({@code
     *     default})
     * @param otherFilters filters declared elsewhere
     */
    public void checkReferences(Collection<String> otherServlets, Collection<String> otherFilters)
            throws DescriptorException {
        Set<String> servletNames = new HashSet<>(otherServlets);
        servlets.forEach(s -> servletNames.add(s.name()));
        Set<String> filterNames = new HashSet<>(otherFilters);
        filters.forEach(f -> filterNames.add(f.name()));
        Map<String, ServletMapping> byPattern = new HashMap<>();
        for (ServletMapping m : servletMappings) {
            if (!servletNames.contains(m.servletName())) {
                throw new DescriptorException(m.source(),
                        "servlet-mapping names servlet \"" + m.servletName() + "\", which is not declared");
            }
            for (String pattern : m.urlPatterns()) {
                ServletMapping previous = byPattern.putIfAbsent(pattern, m);
                if (previous != null && !previous.servletName().equals(m.servletName())) {
                    throw new DescriptorException(m.source(), "url-pattern \"" + pattern + "\" is mapped to servlet \""
                            + m.servletName() + "\" here and to servlet \"" + previous.servletName() + "\" at "
                            + previous.source());
                }
            }
        }
        for (FilterMapping m : filterMappings) {
            if (!filterNames.contains(m.filterName())) {
                throw new DescriptorException(m.source(),
                        "filter-mapping names filter \"" + m.filterName() + "\", which is not declared");
            }
        }
    }

    /** A {@code <context-param>} or {@code <init-param>}. */
    public record Param(String name, String value, DescriptorSource source) {
        public Param {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
            Objects.requireNonNull(source, "source");
        }
    }

    /**
     * A {@code <servlet>}. At most one of {@code servletClass} and {@code jspFile} is set; neither
     * is when the declaration completes a servlet declared by an annotation or another descriptor.
     *
     * @param loadOnStartup null when absent
     * @param enabled null when absent (enabled)
     * @param asyncSupported null when absent (false)
     * @param runAs the {@code <run-as>} role, or null
     * @param multipartConfig null when absent
     */
    public record ServletDef(
            String name,
            String servletClass,
            String jspFile,
            List<Param> initParams,
            LoadOnStartup loadOnStartup,
            Boolean enabled,
            Boolean asyncSupported,
            String runAs,
            List<SecurityRoleRef> securityRoleRefs,
            MultipartConfig multipartConfig,
            DescriptorSource source) {
        public ServletDef {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(source, "source");
            initParams = List.copyOf(initParams);
            securityRoleRefs = List.copyOf(securityRoleRefs);
        }

        /** The value of init parameter {@code name}, or null. */
        public String initParam(String name) {
            for (Param p : initParams) {
                if (p.name().equals(name)) {
                    return p.value();
                }
            }
            return null;
        }
    }

    /**
     * A {@code <load-on-startup>} that is present: with an integer, or empty. Empty means "load at
     * startup, in an order the container picks" (the element's presence is what asks for it).
     *
     * @param value the integer, or null when the element is empty
     */
    public record LoadOnStartup(Integer value) {
        public static final LoadOnStartup EMPTY = new LoadOnStartup(null);

        public boolean isEmpty() {
            return value == null;
        }

        /**
         * The value for {@code ServletRegistration.setLoadOnStartup}: the integer, or 0 when empty
         * (as Tomcat and Jetty do), so the servlet is loaded at startup.
         */
        public int order() {
            return value == null ? 0 : value;
        }
    }

    /** A {@code <multipart-config>}; each value null when its element is absent. */
    public record MultipartConfig(String location, Long maxFileSize, Long maxRequestSize, Integer fileSizeThreshold) {
        /** As the Servlet API carries it, absent values at the API's defaults. */
        public MultipartConfigElement toElement() {
            return new MultipartConfigElement(location == null ? "" : location,
                    maxFileSize == null ? -1L : maxFileSize,
                    maxRequestSize == null ? -1L : maxRequestSize,
                    fileSizeThreshold == null ? 0 : fileSizeThreshold);
        }
    }

    /** A {@code <security-role-ref>}: the role name the servlet uses, and the role it means. */
    public record SecurityRoleRef(String roleName, String roleLink, DescriptorSource source) {
        public SecurityRoleRef {
            Objects.requireNonNull(roleName, "roleName");
            Objects.requireNonNull(source, "source");
        }
    }

    /**
     * A {@code <filter>}.
     *
     * @param filterClass null when the declaration completes a filter declared elsewhere
     * @param asyncSupported null when absent (false)
     */
    public record FilterDef(String name, String filterClass, Boolean asyncSupported, List<Param> initParams,
            DescriptorSource source) {
        public FilterDef {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(source, "source");
            initParams = List.copyOf(initParams);
        }

        /** The value of init parameter {@code name}, or null. */
        public String initParam(String name) {
            for (Param p : initParams) {
                if (p.name().equals(name)) {
                    return p.value();
                }
            }
            return null;
        }
    }

    /**
     * A {@code <filter-mapping>}.
     *
     * @param servletNames servlet names; {@code *} means every servlet
     * @param dispatchers the {@code <dispatcher>}s; empty when none is declared
     */
    public record FilterMapping(String filterName, List<String> urlPatterns, List<String> servletNames,
            Set<DispatcherType> dispatchers, DescriptorSource source) {
        public FilterMapping {
            Objects.requireNonNull(filterName, "filterName");
            Objects.requireNonNull(source, "source");
            urlPatterns = List.copyOf(urlPatterns);
            servletNames = List.copyOf(servletNames);
            dispatchers = dispatchers.isEmpty()
                    ? Collections.unmodifiableSet(EnumSet.noneOf(DispatcherType.class))
                    : Collections.unmodifiableSet(EnumSet.copyOf(dispatchers));
        }

        /** The dispatcher types the mapping applies to: those declared, or REQUEST alone. */
        public Set<DispatcherType> effectiveDispatchers() {
            return dispatchers.isEmpty() ? Set.of(DispatcherType.REQUEST) : dispatchers;
        }
    }

    /** A {@code <servlet-mapping>}: one servlet, one or more url-patterns. */
    public record ServletMapping(String servletName, List<String> urlPatterns, DescriptorSource source) {
        public ServletMapping {
            Objects.requireNonNull(servletName, "servletName");
            Objects.requireNonNull(source, "source");
            urlPatterns = List.copyOf(urlPatterns);
        }
    }

    /** A {@code <listener>}. */
    public record Listener(String className, DescriptorSource source) {
        public Listener {
            Objects.requireNonNull(className, "className");
            Objects.requireNonNull(source, "source");
        }
    }

    /**
     * A {@code <session-config>}.
     *
     * @param sessionTimeout minutes; zero or less means never; null when absent
     * @param cookieConfig null when absent
     * @param trackingModes empty when none is declared
     */
    public record SessionConfig(Integer sessionTimeout, CookieConfig cookieConfig,
            Set<SessionTrackingMode> trackingModes, DescriptorSource source) {
        public SessionConfig {
            Objects.requireNonNull(source, "source");
            trackingModes = trackingModes.isEmpty()
                    ? Collections.unmodifiableSet(EnumSet.noneOf(SessionTrackingMode.class))
                    : Collections.unmodifiableSet(EnumSet.copyOf(trackingModes));
        }
    }

    /**
     * A {@code <cookie-config>}; each value null when its element is absent.
     *
     * @param attributes the Servlet 6 {@code <attribute>}s, name to value, in order
     */
    public record CookieConfig(String name, String domain, String path, String comment, Boolean httpOnly,
            Boolean secure, Integer maxAge, Map<String, String> attributes, DescriptorSource source) {
        public CookieConfig {
            Objects.requireNonNull(source, "source");
            attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
        }
    }

    /** A {@code <mime-mapping>}. */
    public record MimeMapping(String extension, String mimeType, DescriptorSource source) {
        public MimeMapping {
            Objects.requireNonNull(extension, "extension");
            Objects.requireNonNull(mimeType, "mimeType");
            Objects.requireNonNull(source, "source");
        }
    }

    /** A {@code <welcome-file>}. */
    public record WelcomeFile(String path, DescriptorSource source) {
        public WelcomeFile {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(source, "source");
        }
    }

    /**
     * An {@code <error-page>}: for a status code, for an exception type, or, with neither, the
     * default error page.
     */
    public record ErrorPage(Integer errorCode, String exceptionType, String location, DescriptorSource source) {
        public ErrorPage {
            Objects.requireNonNull(location, "location");
            Objects.requireNonNull(source, "source");
            if (errorCode != null && exceptionType != null) {
                throw new IllegalArgumentException("an error page is for a code or an exception type, not both");
            }
        }

        public boolean isDefault() {
            return errorCode == null && exceptionType == null;
        }

        /** What the page is for, as people read it: {@code 404}, {@code java.io.IOException}, {@code default}. */
        public String key() {
            return errorCode != null ? errorCode.toString() : exceptionType != null ? exceptionType : "default";
        }
    }

    /** A {@code <locale-encoding-mapping>}. */
    public record LocaleEncodingMapping(String locale, String encoding, DescriptorSource source) {
        public LocaleEncodingMapping {
            Objects.requireNonNull(locale, "locale");
            Objects.requireNonNull(encoding, "encoding");
            Objects.requireNonNull(source, "source");
        }
    }

    /** A {@code <jsp-config>}. */
    public record JspConfig(List<Taglib> taglibs, List<JspPropertyGroup> propertyGroups, DescriptorSource source) {
        public JspConfig {
            Objects.requireNonNull(source, "source");
            taglibs = List.copyOf(taglibs);
            propertyGroups = List.copyOf(propertyGroups);
        }
    }

    /** A {@code <taglib>}. */
    public record Taglib(String uri, String location, DescriptorSource source) {
        public Taglib {
            Objects.requireNonNull(uri, "uri");
            Objects.requireNonNull(location, "location");
            Objects.requireNonNull(source, "source");
        }
    }

    /** A {@code <jsp-property-group>}; each single value null when its element is absent. */
    public record JspPropertyGroup(
            List<String> urlPatterns,
            Boolean elIgnored,
            Boolean errorOnElNotFound,
            String pageEncoding,
            Boolean scriptingInvalid,
            Boolean isXml,
            List<String> includePreludes,
            List<String> includeCodas,
            Boolean deferredSyntaxAllowedAsLiteral,
            Boolean trimDirectiveWhitespaces,
            String defaultContentType,
            String buffer,
            Boolean errorOnUndeclaredNamespace,
            DescriptorSource source) {
        public JspPropertyGroup {
            Objects.requireNonNull(source, "source");
            urlPatterns = List.copyOf(urlPatterns);
            includePreludes = List.copyOf(includePreludes);
            includeCodas = List.copyOf(includeCodas);
        }
    }

    /** A {@code <transport-guarantee>}. */
    public enum TransportGuarantee { NONE, INTEGRAL, CONFIDENTIAL }

    /**
     * A {@code <security-constraint>}.
     *
     * @param authConstraint null when there is no {@code <auth-constraint>} (no authentication
     *     needed); one with no roles means no access at all
     * @param transportGuarantee null when there is no {@code <user-data-constraint>}
     */
    public record SecurityConstraint(String displayName, List<WebResourceCollection> webResourceCollections,
            AuthConstraint authConstraint, TransportGuarantee transportGuarantee, DescriptorSource source) {
        public SecurityConstraint {
            Objects.requireNonNull(source, "source");
            webResourceCollections = List.copyOf(webResourceCollections);
        }
    }

    /**
     * A {@code <web-resource-collection>}: no methods and no omissions means every method.
     */
    public record WebResourceCollection(String name, List<String> urlPatterns, List<String> httpMethods,
            List<String> httpMethodOmissions, DescriptorSource source) {
        public WebResourceCollection {
            Objects.requireNonNull(source, "source");
            urlPatterns = List.copyOf(urlPatterns);
            httpMethods = List.copyOf(httpMethods);
            httpMethodOmissions = List.copyOf(httpMethodOmissions);
        }
    }

    /** An {@code <auth-constraint>}; {@code *} is every declared role, {@code **} any authenticated user. */
    public record AuthConstraint(List<String> roleNames, DescriptorSource source) {
        public AuthConstraint {
            Objects.requireNonNull(source, "source");
            roleNames = List.copyOf(roleNames);
        }
    }

    /** A {@code <login-config>}; each value null when its element is absent. */
    public record LoginConfig(String authMethod, String realmName, String formLoginPage, String formErrorPage,
            DescriptorSource source) {
        public LoginConfig {
            Objects.requireNonNull(source, "source");
        }
    }

    /** A {@code <security-role>}. */
    public record SecurityRole(String roleName, DescriptorSource source) {
        public SecurityRole {
            Objects.requireNonNull(roleName, "roleName");
            Objects.requireNonNull(source, "source");
        }
    }

    /** An {@code <env-entry>}; type and value null when absent (the value is then to be injected or looked up). */
    public record EnvEntry(String name, String type, String value, DescriptorSource source) {
        public EnvEntry {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(source, "source");
        }
    }

    /**
     * A fragment's {@code <ordering>}.
     *
     * @param before names this fragment goes before
     * @param beforeOthers whether {@code <before>} holds {@code <others/>}
     * @param after names this fragment goes after
     * @param afterOthers whether {@code <after>} holds {@code <others/>}
     */
    public record RelativeOrdering(List<String> before, boolean beforeOthers, List<String> after,
            boolean afterOthers, DescriptorSource source) {
        public RelativeOrdering {
            Objects.requireNonNull(source, "source");
            before = List.copyOf(before);
            after = List.copyOf(after);
        }
    }

    /**
     * A web.xml's {@code <absolute-ordering>}.
     *
     * @param names the fragment names in order, each once
     * @param othersIndex where {@code <others/>} stands: the number of names before it; -1 when
     *     there is none (fragments not named are then excluded)
     */
    public record AbsoluteOrdering(List<String> names, int othersIndex, DescriptorSource source) {
        public AbsoluteOrdering {
            Objects.requireNonNull(source, "source");
            names = List.copyOf(names);
            if (othersIndex < -1 || othersIndex > names.size()) {
                throw new IllegalArgumentException("othersIndex " + othersIndex);
            }
        }

        public boolean hasOthers() {
            return othersIndex >= 0;
        }
    }

    /** A descriptor under construction, for the parser and the merger. */
    static final class Builder {
        final Kind kind;
        final DescriptorSource source;
        String version;
        boolean metadataComplete;
        String name;
        RelativeOrdering ordering;
        AbsoluteOrdering absoluteOrdering;
        String displayName;
        boolean distributable;
        boolean denyUncoveredHttpMethods;
        String defaultContextPath;
        String requestCharacterEncoding;
        String responseCharacterEncoding;
        List<Param> contextParams = new ArrayList<>();
        List<FilterDef> filters = new ArrayList<>();
        List<FilterMapping> filterMappings = new ArrayList<>();
        List<ServletDef> servlets = new ArrayList<>();
        List<ServletMapping> servletMappings = new ArrayList<>();
        List<Listener> listeners = new ArrayList<>();
        SessionConfig sessionConfig;
        List<MimeMapping> mimeMappings = new ArrayList<>();
        List<WelcomeFile> welcomeFiles = new ArrayList<>();
        List<ErrorPage> errorPages = new ArrayList<>();
        List<LocaleEncodingMapping> localeEncodingMappings = new ArrayList<>();
        JspConfig jspConfig;
        List<SecurityConstraint> securityConstraints = new ArrayList<>();
        LoginConfig loginConfig;
        List<SecurityRole> securityRoles = new ArrayList<>();
        List<EnvEntry> envEntries = new ArrayList<>();

        Builder(Kind kind, DescriptorSource source, String version) {
            this.kind = kind;
            this.source = source;
            this.version = version;
        }

        WebDescriptor build() {
            return new WebDescriptor(kind, source, version, metadataComplete, name, ordering, absoluteOrdering,
                    displayName, distributable, denyUncoveredHttpMethods, defaultContextPath,
                    requestCharacterEncoding, responseCharacterEncoding, contextParams, filters, filterMappings,
                    servlets, servletMappings, listeners, sessionConfig, mimeMappings, welcomeFiles, errorPages,
                    localeEncodingMappings, jspConfig, securityConstraints, loginConfig, securityRoles, envEntries);
        }
    }
}
