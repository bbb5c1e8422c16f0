package dev.weft.deploy;

import dev.weft.deploy.DescriptorXml.Element;
import dev.weft.deploy.WebDescriptor.AbsoluteOrdering;
import dev.weft.deploy.WebDescriptor.AuthConstraint;
import dev.weft.deploy.WebDescriptor.CookieConfig;
import dev.weft.deploy.WebDescriptor.EnvEntry;
import dev.weft.deploy.WebDescriptor.ErrorPage;
import dev.weft.deploy.WebDescriptor.FilterDef;
import dev.weft.deploy.WebDescriptor.FilterMapping;
import dev.weft.deploy.WebDescriptor.JspConfig;
import dev.weft.deploy.WebDescriptor.JspPropertyGroup;
import dev.weft.deploy.WebDescriptor.Listener;
import dev.weft.deploy.WebDescriptor.LoadOnStartup;
import dev.weft.deploy.WebDescriptor.LocaleEncodingMapping;
import dev.weft.deploy.WebDescriptor.LoginConfig;
import dev.weft.deploy.WebDescriptor.MimeMapping;
import dev.weft.deploy.WebDescriptor.MultipartConfig;
import dev.weft.deploy.WebDescriptor.Param;
import dev.weft.deploy.WebDescriptor.RelativeOrdering;
import dev.weft.deploy.WebDescriptor.SecurityConstraint;
import dev.weft.deploy.WebDescriptor.SecurityRole;
import dev.weft.deploy.WebDescriptor.SecurityRoleRef;
import dev.weft.deploy.WebDescriptor.ServletDef;
import dev.weft.deploy.WebDescriptor.ServletMapping;
import dev.weft.deploy.WebDescriptor.SessionConfig;
import dev.weft.deploy.WebDescriptor.Taglib;
import dev.weft.deploy.WebDescriptor.TransportGuarantee;
import dev.weft.deploy.WebDescriptor.WebResourceCollection;
import dev.weft.deploy.WebDescriptor.WelcomeFile;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.SessionTrackingMode;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@code web.xml} and {@code web-fragment.xml} files of every schema version from Servlet
 * 2.2 (DTD) to 6.1 into {@link WebDescriptor}s.
 *
 * <p>The root element may be in the {@code https://jakarta.ee/xml/ns/jakartaee}, {@code
 * http://xmlns.jcp.org/xml/ns/javaee}, {@code http://java.sun.com/xml/ns/javaee} or {@code
 * http://java.sun.com/xml/ns/j2ee} namespace, or in none (the 2.2 and 2.3 DTDs); its children are
 * read in its namespace. The parser does not validate against the schema, as containers do not,
 * but it checks what the container acts on: required elements, numbers, booleans, enumerations,
 * url-patterns (Servlet 6.1 §12.2), elements that may appear once, and declarations of one name
 * that contradict each other in the same file. Those raise a {@link DescriptorException} whose
 * message starts with {@code file:line}. Elements it does not know are skipped with a warning;
 * Jakarta EE elements it knows but does not model (resource references, icons, descriptions, ...)
 * are skipped silently.
 *
 * <p>Whitespace is handled as the schema types say: values of token types ({@code
 * jakartaee:string}: names, classes, enumerations, ...) are trimmed and inner runs of whitespace
 * collapsed to one space; values of string types ({@code param-value}, {@code env-entry-value},
 * {@code url-pattern}, {@code welcome-file}, cookie attribute values) keep their inner whitespace
 * and are only trimmed at the ends, as Tomcat and Jetty do, since leading and trailing whitespace
 * there is the indentation of the file.
 *
 * <p>Nothing outside the file is read: no DTD, no schema, no external entity (see {@link
 * DescriptorXml}).
 */
public final class DescriptorParser {
    public static final String JAKARTAEE_NS = "https://jakarta.ee/xml/ns/jakartaee";
    public static final String JCP_NS = "http://xmlns.jcp.org/xml/ns/javaee";
    public static final String JAVAEE_NS = "http://java.sun.com/xml/ns/javaee";
    public static final String J2EE_NS = "http://java.sun.com/xml/ns/j2ee";

    private static final Logger LOG = LoggerFactory.getLogger(DescriptorParser.class);

    /** The newest schema of each namespace, for a descriptor that names no version. */
    private static final Map<String, String> LATEST_IN_NAMESPACE = Map.of(
            JAKARTAEE_NS, WebDescriptor.LATEST_VERSION, JCP_NS, "4.0", JAVAEE_NS, "3.0", J2EE_NS, "2.4");
    private static final Set<String> KNOWN_VERSIONS =
            Set.of("2.2", "2.3", "2.4", "2.5", "3.0", "3.1", "4.0", "5.0", "6.0", "6.1");
    private static final Pattern VERSION = Pattern.compile("\\d+\\.\\d+");
    // RFC 9110 token, which is also the schema's http-methodType.
    private static final Pattern HTTP_METHOD = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

    /** Schema elements with no bearing on a servlet container, skipped without a warning. */
    private static final Set<String> NOT_MODELLED = Set.of(
            "description", "display-name", "icon", "small-icon", "large-icon", "module-name",
            "ejb-ref", "ejb-local-ref", "service-ref", "resource-ref", "resource-env-ref",
            "message-destination-ref", "persistence-context-ref", "persistence-unit-ref", "post-construct",
            "pre-destroy", "data-source", "jms-connection-factory", "jms-destination", "mail-session",
            "connection-factory", "administered-object", "context-service", "managed-executor",
            "managed-scheduled-executor", "managed-thread-factory", "message-destination",
            "lookup-name", "mapped-name", "injection-target");

    private final Consumer<String> warnings;

    /** A parser that logs warnings. */
    public DescriptorParser() {
        this(LOG::warn);
    }

    /**
     * A parser that hands warnings ({@code file:line: message}) to {@code warnings}: unknown
     * elements, entity references left unexpanded, versions inferred.
     */
    public DescriptorParser(Consumer<String> warnings) {
        this.warnings = Objects.requireNonNull(warnings, "warnings");
    }

    /**
     * Parses a web.xml or a web-fragment.xml, whichever the root element says.
     *
     * @param file the file as it is to appear in messages, e.g. {@code WEB-INF/web.xml}
     */
    public WebDescriptor parse(InputStream in, String file) throws DescriptorException {
        DescriptorXml.Document doc = DescriptorXml.read(in, file, warnings);
        return new Reading(file, doc).descriptor();
    }

    /** Parses a web.xml; a root other than {@code <web-app>} is an error. */
    public WebDescriptor parseWebXml(InputStream in, String file) throws DescriptorException {
        return expect(parse(in, file), WebDescriptor.Kind.WEB_APP, "web-app");
    }

    /** Parses a web-fragment.xml; a root other than {@code <web-fragment>} is an error. */
    public WebDescriptor parseWebFragment(InputStream in, String file) throws DescriptorException {
        return expect(parse(in, file), WebDescriptor.Kind.WEB_FRAGMENT, "web-fragment");
    }

    private static WebDescriptor expect(WebDescriptor d, WebDescriptor.Kind kind, String root)
            throws DescriptorException {
        if (d.kind() != kind) {
            throw new DescriptorException(d.source(), "the root element must be <" + root + ">");
        }
        return d;
    }

    /**
     * Whether {@code pattern} is a valid url-pattern (Servlet 6.1 §12.2): {@code ""} (the context
     * root), {@code /} (the default servlet), {@code /path/*} (a prefix), {@code *.ext} (an
     * extension), or an exact path starting with {@code /}. A {@code *} anywhere else, a line
     * break, or anything not starting with {@code /} or {@code *.} is invalid.
     */
    public static boolean isValidUrlPattern(String pattern) {
        if (pattern.indexOf('\n') >= 0 || pattern.indexOf('\r') >= 0) {
            return false;
        }
        if (pattern.isEmpty() || pattern.equals("/")) {
            return true;
        }
        if (pattern.startsWith("*.")) {
            String ext = pattern.substring(2);
            return !ext.isEmpty() && ext.indexOf('/') < 0 && ext.indexOf('*') < 0;
        }
        if (!pattern.startsWith("/")) {
            return false;
        }
        int star = pattern.indexOf('*');
        return star < 0 || (pattern.endsWith("/*") && star == pattern.length() - 1);
    }

    // XML whitespace (#x20 | #x9 | #xD | #xA), not Java's idea of it.
    private static boolean isXmlSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r';
    }

    static String trimXml(CharSequence s) {
        int start = 0;
        int end = s.length();
        while (start < end && isXmlSpace(s.charAt(start))) {
            start++;
        }
        while (end > start && isXmlSpace(s.charAt(end - 1))) {
            end--;
        }
        return s.subSequence(start, end).toString();
    }

    static String collapseXml(CharSequence s) {
        String trimmed = trimXml(s);
        StringBuilder out = new StringBuilder(trimmed.length());
        boolean space = false;
        for (int i = 0; i < trimmed.length(); i++) {
            char c = trimmed.charAt(i);
            if (isXmlSpace(c)) {
                space = true;
            } else {
                if (space) {
                    out.append(' ');
                    space = false;
                }
                out.append(c);
            }
        }
        return out.toString();
    }

    /** The state of one parse. */
    private final class Reading {
        private final String file;
        private final Element root;
        private final String namespace;
        private final String publicId;

        Reading(String file, DescriptorXml.Document doc) {
            this.file = file;
            this.root = doc.root();
            this.namespace = doc.root().namespace;
            this.publicId = doc.publicId();
        }

        WebDescriptor descriptor() throws DescriptorException {
            if (namespace != null && !LATEST_IN_NAMESPACE.containsKey(namespace)) {
                throw fail(root, "<" + root.name + "> is in namespace " + namespace
                        + ", which is not a Servlet deployment descriptor namespace");
            }
            WebDescriptor.Kind kind = switch (root.name) {
                case "web-app" -> WebDescriptor.Kind.WEB_APP;
                case "web-fragment" -> WebDescriptor.Kind.WEB_FRAGMENT;
                default -> throw fail(root, "expected <web-app> or <web-fragment>, found <" + root.name + ">");
            };
            WebDescriptor.Builder b = new WebDescriptor.Builder(kind, src(root), version());
            String metadataComplete = root.attributes.get("metadata-complete");
            if (metadataComplete != null) {
                b.metadataComplete = bool(root, "metadata-complete attribute", collapseXml(metadataComplete));
            }
            boolean fragment = kind == WebDescriptor.Kind.WEB_FRAGMENT;
            Set<String> seen = new LinkedHashSet<>();
            List<Taglib> topLevelTaglibs = new ArrayList<>();
            Element jspConfig = null;
            for (Element c : children(root)) {
                switch (c.name) {
                    case "display-name" -> {
                        // Repeats are translations (xml:lang); the first is the one shown.
                        if (b.displayName == null) {
                            b.displayName = token(c);
                        }
                    }
                    case "distributable" -> b.distributable = true;
                    case "context-param" -> b.contextParams.add(param(c));
                    case "filter" -> b.filters.add(filter(c));
                    case "filter-mapping" -> b.filterMappings.add(filterMapping(c));
                    case "listener" -> b.listeners.add(new Listener(requiredToken(c, "listener-class"), src(c)));
                    case "servlet" -> b.servlets.add(servlet(c));
                    case "servlet-mapping" -> b.servletMappings.add(servletMapping(c));
                    case "session-config" -> {
                        once(c, seen);
                        b.sessionConfig = sessionConfig(c);
                    }
                    case "mime-mapping" -> b.mimeMappings.add(new MimeMapping(requiredToken(c, "extension"),
                            requiredToken(c, "mime-type"), src(c)));
                    case "welcome-file-list" -> {
                        // Several lists are concatenated (web-app schema).
                        for (Element w : children(c)) {
                            if (w.name.equals("welcome-file")) {
                                b.welcomeFiles.add(new WelcomeFile(nonEmpty(w, string(w)), src(w)));
                            } else {
                                other(w);
                            }
                        }
                    }
                    case "error-page" -> b.errorPages.add(errorPage(c));
                    case "jsp-config" -> {
                        once(c, seen);
                        jspConfig = c;
                    }
                    case "taglib" -> topLevelTaglibs.add(taglib(c)); // 2.2 and 2.3 put it here
                    case "security-constraint" -> b.securityConstraints.add(securityConstraint(c));
                    case "login-config" -> {
                        once(c, seen);
                        b.loginConfig = loginConfig(c);
                    }
                    case "security-role" -> b.securityRoles.add(new SecurityRole(requiredToken(c, "role-name"),
                            src(c)));
                    case "env-entry" -> b.envEntries.add(envEntry(c));
                    case "locale-encoding-mapping-list" -> {
                        // Several lists are concatenated (web-app schema).
                        for (Element m : children(c)) {
                            if (m.name.equals("locale-encoding-mapping")) {
                                b.localeEncodingMappings.add(new LocaleEncodingMapping(requiredToken(m, "locale"),
                                        requiredToken(m, "encoding"), src(m)));
                            } else {
                                other(m);
                            }
                        }
                    }
                    case "deny-uncovered-http-methods" -> {
                        if (webAppOnly(c, fragment)) {
                            b.denyUncoveredHttpMethods = true;
                        }
                    }
                    case "default-context-path" -> {
                        if (webAppOnly(c, fragment)) {
                            once(c, seen);
                            b.defaultContextPath = defaultContextPath(c);
                        }
                    }
                    case "request-character-encoding" -> {
                        if (webAppOnly(c, fragment)) {
                            once(c, seen);
                            b.requestCharacterEncoding = nonEmpty(c, token(c));
                        }
                    }
                    case "response-character-encoding" -> {
                        if (webAppOnly(c, fragment)) {
                            once(c, seen);
                            b.responseCharacterEncoding = nonEmpty(c, token(c));
                        }
                    }
                    case "absolute-ordering" -> {
                        if (webAppOnly(c, fragment)) {
                            once(c, seen);
                            b.absoluteOrdering = absoluteOrdering(c);
                        }
                    }
                    case "name" -> {
                        if (fragmentOnly(c, fragment)) {
                            once(c, seen);
                            b.name = nonEmpty(c, token(c));
                        }
                    }
                    case "ordering" -> {
                        if (fragmentOnly(c, fragment)) {
                            once(c, seen);
                            b.ordering = relativeOrdering(c);
                        }
                    }
                    default -> other(c);
                }
            }
            if (jspConfig != null || !topLevelTaglibs.isEmpty()) {
                b.jspConfig = jspConfig(jspConfig, topLevelTaglibs);
            }
            fold(b);
            return b.build();
        }

        /** The version attribute, else the 2.2/2.3 DOCTYPE, else the newest schema of the namespace. */
        private String version() throws DescriptorException {
            String v = root.attributes.get("version");
            if (v != null) {
                v = collapseXml(v);
                if (!VERSION.matcher(v).matches()) {
                    throw fail(root, "version \"" + v + "\" is not a version number");
                }
                if (!KNOWN_VERSIONS.contains(v)) {
                    warn(root, "version " + v + " is not one this container knows; reading it as the newest it knows");
                }
                return v;
            }
            if (publicId != null && publicId.contains("DTD Web Application 2.3")) {
                return "2.3";
            }
            if (publicId != null && publicId.contains("DTD Web Application 2.2")) {
                return "2.2";
            }
            String inferred = namespace == null ? WebDescriptor.LATEST_VERSION : LATEST_IN_NAMESPACE.get(namespace);
            warn(root, "no version attribute; reading it as version " + inferred);
            return inferred;
        }

        /** Duplicates within this one file: identical ones are dropped, contradicting ones are errors. */
        private void fold(WebDescriptor.Builder b) throws DescriptorException {
            b.servlets = DescriptorMerger.combineServlets(DescriptorMerger.sameFile(b.servlets));
            b.filters = DescriptorMerger.combineFilters(DescriptorMerger.sameFile(b.filters));
            b.contextParams = DescriptorMerger.keyed("context-param", DescriptorMerger.sameFile(b.contextParams),
                    Param::name, Param::value, Param::source);
            b.listeners = DescriptorMerger.keyed("listener", DescriptorMerger.sameFile(b.listeners),
                    Listener::className, Listener::className, Listener::source);
            b.mimeMappings = DescriptorMerger.keyed("mime-mapping for extension",
                    DescriptorMerger.sameFile(b.mimeMappings), MimeMapping::extension, MimeMapping::mimeType,
                    MimeMapping::source);
            b.welcomeFiles = DescriptorMerger.keyed("welcome-file", DescriptorMerger.sameFile(b.welcomeFiles),
                    WelcomeFile::path, WelcomeFile::path, WelcomeFile::source);
            b.errorPages = DescriptorMerger.keyed("error-page for", DescriptorMerger.sameFile(b.errorPages),
                    ErrorPage::key, ErrorPage::location, ErrorPage::source);
            b.localeEncodingMappings = DescriptorMerger.keyed("locale-encoding-mapping for locale",
                    DescriptorMerger.sameFile(b.localeEncodingMappings), LocaleEncodingMapping::locale,
                    LocaleEncodingMapping::encoding, LocaleEncodingMapping::source);
            b.securityRoles = DescriptorMerger.keyed("security-role", DescriptorMerger.sameFile(b.securityRoles),
                    SecurityRole::roleName, SecurityRole::roleName, SecurityRole::source);
            b.envEntries = DescriptorMerger.keyed("env-entry", DescriptorMerger.sameFile(b.envEntries),
                    EnvEntry::name, DescriptorMerger::envEntryContent, EnvEntry::source);
        }

        // ---- Elements ----

        private Param param(Element e) throws DescriptorException {
            String name = requiredToken(e, "param-name");
            Element value = single(e, "param-value");
            if (value == null) {
                throw fail(e, "<" + e.name + "> \"" + name + "\" has no <param-value>");
            }
            for (Element c : children(e)) {
                if (!c.name.equals("param-name") && !c.name.equals("param-value")) {
                    other(c);
                }
            }
            return new Param(name, string(value), src(e));
        }

        private ServletDef servlet(Element e) throws DescriptorException {
            String name = requiredToken(e, "servlet-name");
            String servletClass = optionalToken(e, "servlet-class");
            String jspFile = optionalToken(e, "jsp-file");
            if (servletClass != null && jspFile != null) {
                throw fail(e, "servlet \"" + name + "\" has both a <servlet-class> and a <jsp-file>");
            }
            if (jspFile != null && !jspFile.startsWith("/")) {
                throw fail(single(e, "jsp-file"), "jsp-file \"" + jspFile + "\" must start with /");
            }
            List<Param> initParams = new ArrayList<>();
            LoadOnStartup load = null;
            Boolean enabled = null;
            Boolean async = null;
            String runAs = null;
            List<SecurityRoleRef> refs = new ArrayList<>();
            MultipartConfig multipart = null;
            for (String once : List.of("load-on-startup", "enabled", "async-supported", "run-as", "multipart-config")) {
                single(e, once);
            }
            for (Element c : children(e)) {
                switch (c.name) {
                    case "servlet-name", "servlet-class", "jsp-file" -> {
                        // read above
                    }
                    case "init-param" -> initParams.add(param(c));
                    case "load-on-startup" -> {
                        String v = token(c);
                        load = v.isEmpty() ? LoadOnStartup.EMPTY : new LoadOnStartup(integer(c, v));
                    }
                    case "enabled" -> enabled = bool(c);
                    case "async-supported" -> async = bool(c);
                    case "run-as" -> runAs = requiredToken(c, "role-name");
                    case "security-role-ref" -> refs.add(new SecurityRoleRef(requiredToken(c, "role-name"),
                            optionalToken(c, "role-link"), src(c)));
                    case "multipart-config" -> multipart = multipartConfig(c);
                    default -> other(c);
                }
            }
            String what = "servlet \"" + name + "\"";
            return new ServletDef(name, servletClass, jspFile, uniqueParams(what, initParams), load, enabled, async,
                    runAs, DescriptorMerger.keyed(what + " security-role-ref", DescriptorMerger.sameFile(refs),
                            SecurityRoleRef::roleName, SecurityRoleRef::roleLink, SecurityRoleRef::source),
                    multipart, src(e));
        }

        private MultipartConfig multipartConfig(Element e) throws DescriptorException {
            Element location = single(e, "location");
            Element maxFile = single(e, "max-file-size");
            Element maxRequest = single(e, "max-request-size");
            Element threshold = single(e, "file-size-threshold");
            for (Element c : children(e)) {
                switch (c.name) {
                    case "location", "max-file-size", "max-request-size", "file-size-threshold" -> {
                    }
                    default -> other(c);
                }
            }
            return new MultipartConfig(location == null ? null : token(location),
                    maxFile == null ? null : longValue(maxFile, token(maxFile)),
                    maxRequest == null ? null : longValue(maxRequest, token(maxRequest)),
                    threshold == null ? null : integer(threshold, token(threshold)));
        }

        private FilterDef filter(Element e) throws DescriptorException {
            String name = requiredToken(e, "filter-name");
            String filterClass = optionalToken(e, "filter-class");
            Element asyncElement = single(e, "async-supported");
            Boolean async = asyncElement == null ? null : bool(asyncElement);
            List<Param> initParams = new ArrayList<>();
            for (Element c : children(e)) {
                switch (c.name) {
                    case "filter-name", "filter-class", "async-supported" -> {
                    }
                    case "init-param" -> initParams.add(param(c));
                    default -> other(c);
                }
            }
            return new FilterDef(name, filterClass, async, uniqueParams("filter \"" + name + "\"", initParams),
                    src(e));
        }

        private List<Param> uniqueParams(String what, List<Param> params) throws DescriptorException {
            return DescriptorMerger.keyed(what + " init-param", DescriptorMerger.sameFile(params), Param::name,
                    Param::value, Param::source);
        }

        private FilterMapping filterMapping(Element e) throws DescriptorException {
            String name = requiredToken(e, "filter-name");
            List<String> patterns = new ArrayList<>();
            List<String> servletNames = new ArrayList<>();
            Set<DispatcherType> dispatchers = EnumSet.noneOf(DispatcherType.class);
            for (Element c : children(e)) {
                switch (c.name) {
                    case "filter-name" -> {
                    }
                    case "url-pattern" -> patterns.add(urlPattern(c));
                    case "servlet-name" -> servletNames.add(nonEmpty(c, token(c)));
                    case "dispatcher" -> dispatchers.add(enumValue(c, DispatcherType.class));
                    default -> other(c);
                }
            }
            if (patterns.isEmpty() && servletNames.isEmpty()) {
                throw fail(e, "filter-mapping for \"" + name + "\" has neither a <url-pattern> nor a <servlet-name>");
            }
            return new FilterMapping(name, patterns, servletNames, dispatchers, src(e));
        }

        private ServletMapping servletMapping(Element e) throws DescriptorException {
            String name = requiredToken(e, "servlet-name");
            List<String> patterns = new ArrayList<>();
            for (Element c : children(e)) {
                switch (c.name) {
                    case "servlet-name" -> {
                    }
                    case "url-pattern" -> patterns.add(urlPattern(c));
                    default -> other(c);
                }
            }
            if (patterns.isEmpty()) {
                throw fail(e, "servlet-mapping for \"" + name + "\" has no <url-pattern>");
            }
            return new ServletMapping(name, patterns, src(e));
        }

        private String urlPattern(Element e) throws DescriptorException {
            String p = string(e);
            if (!isValidUrlPattern(p)) {
                throw fail(e, "invalid url-pattern \"" + p + "\": Servlet 6.1 §12.2 allows \"\", \"/\", "
                        + "\"/path/*\", \"*.ext\" and exact paths starting with \"/\"");
            }
            return p;
        }

        private SessionConfig sessionConfig(Element e) throws DescriptorException {
            Element timeout = single(e, "session-timeout");
            Element cookie = single(e, "cookie-config");
            Set<SessionTrackingMode> modes = EnumSet.noneOf(SessionTrackingMode.class);
            for (Element c : children(e)) {
                switch (c.name) {
                    case "session-timeout", "cookie-config" -> {
                    }
                    case "tracking-mode" -> modes.add(enumValue(c, SessionTrackingMode.class));
                    default -> other(c);
                }
            }
            return new SessionConfig(timeout == null ? null : integer(timeout, token(timeout)),
                    cookie == null ? null : cookieConfig(cookie), modes, src(e));
        }

        private CookieConfig cookieConfig(Element e) throws DescriptorException {
            Map<String, String> attributes = new LinkedHashMap<>();
            for (Element c : children(e)) {
                switch (c.name) {
                    case "name", "domain", "path", "comment", "http-only", "secure", "max-age" -> {
                    }
                    case "attribute" -> {
                        String name = requiredToken(c, "attribute-name");
                        Element value = single(c, "attribute-value");
                        if (value == null) {
                            throw fail(c, "cookie attribute \"" + name + "\" has no <attribute-value>");
                        }
                        String v = string(value);
                        String previous = attributes.put(name, v);
                        if (previous != null && !previous.equals(v)) {
                            throw fail(c, "cookie attribute \"" + name + "\" is declared twice, as \"" + previous
                                    + "\" and \"" + v + "\"");
                        }
                    }
                    default -> other(c);
                }
            }
            Element maxAge = single(e, "max-age");
            Element httpOnly = single(e, "http-only");
            Element secure = single(e, "secure");
            return new CookieConfig(optionalToken(e, "name"), optionalToken(e, "domain"),
                    optionalToken(e, "path"), optionalToken(e, "comment"),
                    httpOnly == null ? null : bool(httpOnly), secure == null ? null : bool(secure),
                    maxAge == null ? null : integer(maxAge, token(maxAge)), attributes, src(e));
        }

        private ErrorPage errorPage(Element e) throws DescriptorException {
            Element code = single(e, "error-code");
            String exceptionType = optionalToken(e, "exception-type");
            String location = requiredToken(e, "location");
            for (Element c : children(e)) {
                switch (c.name) {
                    case "error-code", "exception-type", "location" -> {
                    }
                    default -> other(c);
                }
            }
            if (code != null && exceptionType != null) {
                throw fail(e, "error-page has both an <error-code> and an <exception-type>");
            }
            Integer status = null;
            if (code != null) {
                String v = token(code);
                if (!v.matches("[0-9]{3}")) {
                    throw fail(code, "error-code \"" + v + "\" is not a three-digit status code");
                }
                status = Integer.valueOf(v);
            }
            if (!location.startsWith("/")) {
                throw fail(e, "error-page location \"" + location + "\" must start with /");
            }
            return new ErrorPage(status, exceptionType, location, src(e));
        }

        private JspConfig jspConfig(Element e, List<Taglib> topLevel) throws DescriptorException {
            List<Taglib> taglibs = new ArrayList<>(topLevel);
            List<JspPropertyGroup> groups = new ArrayList<>();
            if (e != null) {
                for (Element c : children(e)) {
                    switch (c.name) {
                        case "taglib" -> taglibs.add(taglib(c));
                        case "jsp-property-group" -> groups.add(jspPropertyGroup(c));
                        default -> other(c);
                    }
                }
            }
            DescriptorSource at = e != null ? src(e) : topLevel.getFirst().source();
            List<Taglib> unique = DescriptorMerger.keyed("taglib", DescriptorMerger.sameFile(taglibs),
                    Taglib::uri, Taglib::location, Taglib::source);
            return new JspConfig(unique, groups, at);
        }

        private Taglib taglib(Element e) throws DescriptorException {
            return new Taglib(requiredToken(e, "taglib-uri"), requiredToken(e, "taglib-location"), src(e));
        }

        private JspPropertyGroup jspPropertyGroup(Element e) throws DescriptorException {
            List<String> patterns = new ArrayList<>();
            List<String> preludes = new ArrayList<>();
            List<String> codas = new ArrayList<>();
            Map<String, Element> singles = new LinkedHashMap<>();
            for (Element c : children(e)) {
                switch (c.name) {
                    case "url-pattern" -> patterns.add(urlPattern(c));
                    case "include-prelude" -> preludes.add(nonEmpty(c, token(c)));
                    case "include-coda" -> codas.add(nonEmpty(c, token(c)));
                    case "el-ignored", "error-on-el-not-found", "page-encoding", "scripting-invalid", "is-xml",
                            "deferred-syntax-allowed-as-literal", "trim-directive-whitespaces",
                            "default-content-type", "buffer", "error-on-undeclared-namespace" -> {
                        if (singles.putIfAbsent(c.name, c) != null) {
                            throw fail(c, "<jsp-property-group> has more than one <" + c.name + ">");
                        }
                    }
                    default -> other(c);
                }
            }
            return new JspPropertyGroup(patterns, optBool(singles.get("el-ignored")),
                    optBool(singles.get("error-on-el-not-found")), optToken(singles.get("page-encoding")),
                    optBool(singles.get("scripting-invalid")), optBool(singles.get("is-xml")), preludes, codas,
                    optBool(singles.get("deferred-syntax-allowed-as-literal")),
                    optBool(singles.get("trim-directive-whitespaces")), optToken(singles.get("default-content-type")),
                    optToken(singles.get("buffer")), optBool(singles.get("error-on-undeclared-namespace")), src(e));
        }

        private SecurityConstraint securityConstraint(Element e) throws DescriptorException {
            String displayName = null;
            List<WebResourceCollection> collections = new ArrayList<>();
            AuthConstraint auth = null;
            TransportGuarantee guarantee = null;
            for (Element c : children(e)) {
                switch (c.name) {
                    case "display-name" -> displayName = displayName == null ? token(c) : displayName;
                    case "web-resource-collection" -> collections.add(webResourceCollection(c));
                    case "auth-constraint" -> {
                        if (auth != null) {
                            throw fail(c, "<security-constraint> has more than one <auth-constraint>");
                        }
                        List<String> roles = new ArrayList<>();
                        for (Element r : children(c)) {
                            if (r.name.equals("role-name")) {
                                roles.add(nonEmpty(r, token(r)));
                            } else {
                                other(r);
                            }
                        }
                        auth = new AuthConstraint(roles, src(c));
                    }
                    case "user-data-constraint" -> {
                        if (guarantee != null) {
                            throw fail(c, "<security-constraint> has more than one <user-data-constraint>");
                        }
                        Element g = single(c, "transport-guarantee");
                        if (g == null) {
                            throw fail(c, "<user-data-constraint> has no <transport-guarantee>");
                        }
                        for (Element x : children(c)) {
                            if (!x.name.equals("transport-guarantee")) {
                                other(x);
                            }
                        }
                        guarantee = enumValue(g, TransportGuarantee.class);
                    }
                    default -> other(c);
                }
            }
            if (collections.isEmpty()) {
                throw fail(e, "<security-constraint> has no <web-resource-collection>");
            }
            return new SecurityConstraint(displayName, collections, auth, guarantee, src(e));
        }

        private WebResourceCollection webResourceCollection(Element e) throws DescriptorException {
            String name = optionalToken(e, "web-resource-name");
            List<String> patterns = new ArrayList<>();
            List<String> methods = new ArrayList<>();
            List<String> omissions = new ArrayList<>();
            for (Element c : children(e)) {
                switch (c.name) {
                    case "web-resource-name" -> {
                    }
                    case "url-pattern" -> patterns.add(urlPattern(c));
                    case "http-method" -> methods.add(httpMethod(c));
                    case "http-method-omission" -> omissions.add(httpMethod(c));
                    default -> other(c);
                }
            }
            if (!methods.isEmpty() && !omissions.isEmpty()) {
                throw fail(e, "<web-resource-collection> has both <http-method> and <http-method-omission>");
            }
            if (patterns.isEmpty()) {
                throw fail(e, "<web-resource-collection> has no <url-pattern>");
            }
            return new WebResourceCollection(name, patterns, methods, omissions, src(e));
        }

        private String httpMethod(Element e) throws DescriptorException {
            String m = token(e);
            if (!HTTP_METHOD.matcher(m).matches()) {
                throw fail(e, "\"" + m + "\" is not an HTTP method name");
            }
            return m;
        }

        private LoginConfig loginConfig(Element e) throws DescriptorException {
            String authMethod = optionalToken(e, "auth-method");
            String realm = optionalToken(e, "realm-name");
            Element form = single(e, "form-login-config");
            String page = null;
            String errorPage = null;
            if (form != null) {
                page = requiredToken(form, "form-login-page");
                errorPage = requiredToken(form, "form-error-page");
                for (Element c : children(form)) {
                    if (!c.name.equals("form-login-page") && !c.name.equals("form-error-page")) {
                        other(c);
                    }
                }
            }
            for (Element c : children(e)) {
                switch (c.name) {
                    case "auth-method", "realm-name", "form-login-config" -> {
                    }
                    default -> other(c);
                }
            }
            return new LoginConfig(authMethod, realm, page, errorPage, src(e));
        }

        private EnvEntry envEntry(Element e) throws DescriptorException {
            String name = requiredToken(e, "env-entry-name");
            String type = optionalToken(e, "env-entry-type");
            Element value = single(e, "env-entry-value");
            for (Element c : children(e)) {
                switch (c.name) {
                    case "env-entry-name", "env-entry-type", "env-entry-value" -> {
                    }
                    default -> other(c);
                }
            }
            return new EnvEntry(name, type, value == null ? null : string(value), src(e));
        }

        private String defaultContextPath(Element e) throws DescriptorException {
            String path = token(e);
            if (!path.isEmpty() && (!path.startsWith("/") || path.endsWith("/"))) {
                throw fail(e, "default-context-path \"" + path + "\" must be empty or start, and not end, with /");
            }
            return path;
        }

        private AbsoluteOrdering absoluteOrdering(Element e) throws DescriptorException {
            List<String> names = new ArrayList<>();
            int others = -1;
            for (Element c : children(e)) {
                switch (c.name) {
                    case "name" -> {
                        String n = nonEmpty(c, token(c));
                        // §8.2.2: only the first occurrence of a name counts.
                        if (names.contains(n)) {
                            warn(c, "fragment \"" + n + "\" is named twice in <absolute-ordering>; the first counts");
                        } else {
                            names.add(n);
                        }
                    }
                    case "others" -> {
                        if (others >= 0) {
                            warn(c, "<absolute-ordering> has more than one <others/>; the first counts");
                        } else {
                            others = names.size();
                        }
                    }
                    default -> other(c);
                }
            }
            return new AbsoluteOrdering(names, others, src(e));
        }

        private RelativeOrdering relativeOrdering(Element e) throws DescriptorException {
            Element before = single(e, "before");
            Element after = single(e, "after");
            for (Element c : children(e)) {
                if (!c.name.equals("before") && !c.name.equals("after")) {
                    other(c);
                }
            }
            List<String> beforeNames = new ArrayList<>();
            List<String> afterNames = new ArrayList<>();
            boolean beforeOthers = before != null && orderingNames(before, beforeNames);
            boolean afterOthers = after != null && orderingNames(after, afterNames);
            if (beforeOthers && afterOthers) {
                throw fail(e, "<ordering> puts this fragment both before and after <others/>");
            }
            return new RelativeOrdering(beforeNames, beforeOthers, afterNames, afterOthers, src(e));
        }

        /** Adds the names of a before or after element to {@code names}; whether it holds {@code <others/>}. */
        private boolean orderingNames(Element e, List<String> names) throws DescriptorException {
            boolean others = false;
            for (Element c : children(e)) {
                switch (c.name) {
                    case "name" -> {
                        String n = nonEmpty(c, token(c));
                        if (!names.contains(n)) {
                            names.add(n);
                        }
                    }
                    case "others" -> others = true;
                    default -> other(c);
                }
            }
            return others;
        }

        // ---- Helpers ----

        private DescriptorSource src(Element e) {
            return new DescriptorSource(file, e.line);
        }

        private DescriptorException fail(Element e, String message) {
            return new DescriptorException(src(e), message);
        }

        private void warn(Element e, String message) {
            warnings.accept(src(e) + ": " + message);
        }

        /** The children in the descriptor's namespace; others (vendor extensions) are skipped with a warning. */
        private List<Element> children(Element e) {
            List<Element> out = new ArrayList<>(e.children.size());
            for (Element c : e.children) {
                if (Objects.equals(c.namespace, namespace)) {
                    out.add(c);
                } else {
                    warn(c, "ignoring <" + c.name + "> in namespace "
                            + (c.namespace == null ? "(none)" : c.namespace) + " inside <" + e.name + ">");
                }
            }
            return out;
        }

        /** An element the schema does not have here: skipped, with a warning unless it is known but not modelled. */
        private void other(Element e) {
            if (NOT_MODELLED.contains(e.name)) {
                LOG.debug("{}: <{}> is not used by the container", src(e), e.name);
            } else {
                warn(e, "ignoring unknown element <" + e.name + ">");
            }
        }

        private boolean webAppOnly(Element e, boolean fragment) {
            if (fragment) {
                warn(e, "ignoring <" + e.name + ">: it belongs in web.xml, not in a web-fragment.xml");
            }
            return !fragment;
        }

        private boolean fragmentOnly(Element e, boolean fragment) {
            if (!fragment) {
                warn(e, "ignoring <" + e.name + ">: it belongs in a web-fragment.xml, not in web.xml");
            }
            return fragment;
        }

        private void once(Element e, Set<String> seen) throws DescriptorException {
            if (!seen.add(e.name)) {
                throw fail(e, "<" + e.name + "> may appear only once");
            }
        }

        /** The only child named {@code name}, or null; more than one is an error. */
        private Element single(Element parent, String name) throws DescriptorException {
            Element found = null;
            for (Element c : parent.children) {
                if (c.name.equals(name) && Objects.equals(c.namespace, namespace)) {
                    if (found != null) {
                        throw fail(c, "<" + parent.name + "> has more than one <" + name + ">");
                    }
                    found = c;
                }
            }
            return found;
        }

        private String requiredToken(Element parent, String name) throws DescriptorException {
            Element c = single(parent, name);
            if (c == null) {
                throw fail(parent, "<" + parent.name + "> has no <" + name + ">");
            }
            return nonEmpty(c, token(c));
        }

        private String optionalToken(Element parent, String name) throws DescriptorException {
            Element c = single(parent, name);
            return c == null ? null : nonEmpty(c, token(c));
        }

        private String optToken(Element e) {
            return e == null ? null : token(e);
        }

        private Boolean optBool(Element e) throws DescriptorException {
            return e == null ? null : bool(e);
        }

        private String nonEmpty(Element e, String value) throws DescriptorException {
            if (value.isEmpty()) {
                throw fail(e, "<" + e.name + "> is empty");
            }
            return value;
        }

        private String token(Element e) {
            return collapseXml(e.text);
        }

        private String string(Element e) {
            return trimXml(e.text);
        }

        private boolean bool(Element e) throws DescriptorException {
            return bool(e, "<" + e.name + ">", token(e));
        }

        private boolean bool(Element e, String what, String v) throws DescriptorException {
            // xsd:boolean, plus the yes/no of the J2EE 1.4 true-falseType.
            return switch (v.toLowerCase(Locale.ROOT)) {
                case "true", "1", "yes" -> true;
                case "false", "0", "no" -> false;
                default -> throw fail(e, what + " must be true or false, not \"" + v + "\"");
            };
        }

        private int integer(Element e, String v) throws DescriptorException {
            try {
                return Integer.parseInt(v);
            } catch (NumberFormatException ex) {
                throw fail(e, "<" + e.name + "> must be an integer, not \"" + v + "\"");
            }
        }

        private long longValue(Element e, String v) throws DescriptorException {
            try {
                return Long.parseLong(v);
            } catch (NumberFormatException ex) {
                throw fail(e, "<" + e.name + "> must be an integer, not \"" + v + "\"");
            }
        }

        private <E extends Enum<E>> E enumValue(Element e, Class<E> type) throws DescriptorException {
            String v = token(e);
            for (E constant : type.getEnumConstants()) {
                // The schema spells them in capitals; containers accept any case, and so do we.
                if (constant.name().equalsIgnoreCase(v)) {
                    return constant;
                }
            }
            List<String> allowed = new ArrayList<>();
            for (E constant : type.getEnumConstants()) {
                allowed.add(constant.name());
            }
            throw fail(e, "<" + e.name + "> must be one of " + String.join(", ", allowed) + ", not \"" + v + "\"");
        }
    }
}
