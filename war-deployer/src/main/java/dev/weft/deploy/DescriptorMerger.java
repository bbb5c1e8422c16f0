package dev.weft.deploy;

import dev.weft.deploy.WebDescriptor.CookieConfig;
import dev.weft.deploy.WebDescriptor.EnvEntry;
import dev.weft.deploy.WebDescriptor.ErrorPage;
import dev.weft.deploy.WebDescriptor.FilterDef;
import dev.weft.deploy.WebDescriptor.FilterMapping;
import dev.weft.deploy.WebDescriptor.JspConfig;
import dev.weft.deploy.WebDescriptor.JspPropertyGroup;
import dev.weft.deploy.WebDescriptor.Listener;
import dev.weft.deploy.WebDescriptor.LocaleEncodingMapping;
import dev.weft.deploy.WebDescriptor.LoginConfig;
import dev.weft.deploy.WebDescriptor.MimeMapping;
import dev.weft.deploy.WebDescriptor.Param;
import dev.weft.deploy.WebDescriptor.SecurityRole;
import dev.weft.deploy.WebDescriptor.SecurityRoleRef;
import dev.weft.deploy.WebDescriptor.ServletDef;
import dev.weft.deploy.WebDescriptor.ServletMapping;
import dev.weft.deploy.WebDescriptor.SessionConfig;
import dev.weft.deploy.WebDescriptor.Taglib;
import dev.weft.deploy.WebDescriptor.WelcomeFile;
import jakarta.servlet.SessionTrackingMode;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * Servlet 6.1 §8.2.3: a web.xml and its fragments, in the order {@link FragmentOrdering} gives,
 * become one effective descriptor. A pure function.
 *
 * <ul>
 *   <li>When the web.xml is metadata-complete (or older than 2.5) the fragments are ignored.
 *   <li>The web.xml wins every conflict with a fragment. Two fragments that disagree on something
 *       the web.xml does not declare are an error, which the web.xml can settle by declaring it.
 *   <li>Keyed elements merge by key: context-params, init-params, security-role-refs, mime
 *       mappings, error pages (by code, exception type or default), locale encodings, taglibs,
 *       env-entries, cookie attributes; identical declarations are one.
 *   <li>A servlet or filter declared in several places is one, its single-valued elements (class,
 *       load-on-startup, async-supported, multipart-config, ...) taken from the web.xml when it
 *       has them and inherited from a fragment when it has not.
 *   <li>Servlet and filter mappings of a name the web.xml maps replace those of the fragments;
 *       otherwise the fragments' mappings add up, in fragment order.
 *   <li>Listeners, welcome files and security roles add up, each once, in order; security
 *       constraints and jsp-property-groups simply add up.
 *   <li>The result is distributable only if the web.xml and every fragment are. Display name,
 *       version, default context path, request and response encodings and
 *       deny-uncovered-http-methods are the web.xml's alone (fragments cannot declare them).
 * </ul>
 */
public final class DescriptorMerger {

    private DescriptorMerger() {
    }

    /**
     * The effective descriptor.
     *
     * @param webXml the web.xml; null when the WAR has none
     * @param orderedFragments the fragments to merge, already ordered, excluded ones left out
     */
    public static WebDescriptor merge(WebDescriptor webXml, List<WebDescriptor> orderedFragments)
            throws DescriptorException {
        WebDescriptor main = webXml != null ? webXml : WebDescriptor.empty(new DescriptorSource("(no web.xml)", 0));
        if (main.kind() != WebDescriptor.Kind.WEB_APP) {
            throw new IllegalArgumentException(main.source() + " is not a web.xml");
        }
        for (WebDescriptor f : orderedFragments) {
            if (f.kind() != WebDescriptor.Kind.WEB_FRAGMENT) {
                throw new IllegalArgumentException(f.source() + " is not a web-fragment.xml");
            }
        }
        if (main.effectivelyMetadataComplete() || orderedFragments.isEmpty()) {
            return main;
        }
        List<WebDescriptor> fragments = List.copyOf(orderedFragments);

        WebDescriptor.Builder b = new WebDescriptor.Builder(WebDescriptor.Kind.WEB_APP, main.source(), main.version());
        b.metadataComplete = main.metadataComplete();
        b.absoluteOrdering = main.absoluteOrdering();
        b.displayName = main.displayName();
        b.distributable = main.distributable() && fragments.stream().allMatch(WebDescriptor::distributable);
        b.denyUncoveredHttpMethods = main.denyUncoveredHttpMethods();
        b.defaultContextPath = main.defaultContextPath();
        b.requestCharacterEncoding = main.requestCharacterEncoding();
        b.responseCharacterEncoding = main.responseCharacterEncoding();

        b.contextParams = keyed("context-param", decls(main, fragments, WebDescriptor::contextParams),
                Param::name, Param::value, Param::source);
        b.filters = combineFilters(decls(main, fragments, WebDescriptor::filters));
        b.filterMappings = mappings(decls(main, fragments, WebDescriptor::filterMappings), FilterMapping::filterName);
        b.servlets = combineServlets(decls(main, fragments, WebDescriptor::servlets));
        b.servletMappings = mappings(decls(main, fragments, WebDescriptor::servletMappings),
                ServletMapping::servletName);
        b.listeners = keyed("listener", decls(main, fragments, WebDescriptor::listeners),
                Listener::className, Listener::className, Listener::source);
        b.sessionConfig = sessionConfig(main, fragments);
        b.mimeMappings = keyed("mime-mapping for extension", decls(main, fragments, WebDescriptor::mimeMappings),
                MimeMapping::extension, MimeMapping::mimeType, MimeMapping::source);
        b.welcomeFiles = keyed("welcome-file", decls(main, fragments, WebDescriptor::welcomeFiles),
                WelcomeFile::path, WelcomeFile::path, WelcomeFile::source);
        b.errorPages = keyed("error-page for", decls(main, fragments, WebDescriptor::errorPages),
                ErrorPage::key, ErrorPage::location, ErrorPage::source);
        b.localeEncodingMappings = keyed("locale-encoding-mapping for locale",
                decls(main, fragments, WebDescriptor::localeEncodingMappings),
                LocaleEncodingMapping::locale, LocaleEncodingMapping::encoding, LocaleEncodingMapping::source);
        b.jspConfig = jspConfig(main, fragments);
        b.securityConstraints = new ArrayList<>(main.securityConstraints());
        for (WebDescriptor f : fragments) {
            b.securityConstraints.addAll(f.securityConstraints());
        }
        Pick<LoginConfig> login = new Pick<>("login-config",
                c -> new LoginValue(c.authMethod(), c.realmName(), c.formLoginPage(), c.formErrorPage()));
        login.offer(main.loginConfig(), main.loginConfig() == null ? null : main.loginConfig().source(), true);
        for (WebDescriptor f : fragments) {
            login.offer(f.loginConfig(), f.loginConfig() == null ? null : f.loginConfig().source(), false);
        }
        b.loginConfig = login.value;
        b.securityRoles = keyed("security-role", decls(main, fragments, WebDescriptor::securityRoles),
                SecurityRole::roleName, SecurityRole::roleName, SecurityRole::source);
        b.envEntries = keyed("env-entry", decls(main, fragments, WebDescriptor::envEntries),
                EnvEntry::name, DescriptorMerger::envEntryContent, EnvEntry::source);
        return b.build();
    }

    // ---- The pieces, shared with the parser (which folds duplicates inside one file with them) ----

    /** An item and whether it comes from the web.xml, which wins over fragments. */
    record Decl<T>(T item, boolean main) {
    }

    private static <T> List<Decl<T>> decls(WebDescriptor main, List<WebDescriptor> fragments,
            Function<WebDescriptor, List<T>> get) {
        List<Decl<T>> out = new ArrayList<>();
        for (T t : get.apply(main)) {
            out.add(new Decl<>(t, true));
        }
        for (WebDescriptor f : fragments) {
            for (T t : get.apply(f)) {
                out.add(new Decl<>(t, false));
            }
        }
        return out;
    }

    /** Items of one file, all equally authoritative: any disagreement is a conflict. */
    static <T> List<Decl<T>> sameFile(List<T> items) {
        List<Decl<T>> out = new ArrayList<>(items.size());
        for (T t : items) {
            out.add(new Decl<>(t, true));
        }
        return out;
    }

    /**
     * One item per key, in first-declaration order. A later declaration with the same content is
     * dropped, one from a fragment is overridden by the web.xml's, and any other difference is a
     * conflict.
     */
    static <T> List<T> keyed(String what, List<Decl<T>> decls, Function<T, ?> key, Function<T, ?> content,
            Function<T, DescriptorSource> source) throws DescriptorException {
        Map<Object, Decl<T>> seen = new HashMap<>();
        List<T> out = new ArrayList<>();
        for (Decl<T> d : decls) {
            Object k = key.apply(d.item());
            Decl<T> first = seen.putIfAbsent(k, d);
            if (first == null) {
                out.add(d.item());
                continue;
            }
            Object was = content.apply(first.item());
            Object now = content.apply(d.item());
            if (Objects.equals(was, now) || (first.main() && !d.main())) {
                continue;
            }
            throw conflict(what + " \"" + k + "\"", show(was), source.apply(first.item()), show(now),
                    source.apply(d.item()), d.main());
        }
        return out;
    }

    /**
     * Mappings (servlet or filter) by the name they map: those of a name the web.xml maps are the
     * web.xml's alone; those of any other name add up across fragments.
     */
    static <T> List<T> mappings(List<Decl<T>> decls, Function<T, String> name) {
        Set<String> mappedByMain = new HashSet<>();
        for (Decl<T> d : decls) {
            if (d.main()) {
                mappedByMain.add(name.apply(d.item()));
            }
        }
        List<T> out = new ArrayList<>();
        for (Decl<T> d : decls) {
            if (d.main() || !mappedByMain.contains(name.apply(d.item()))) {
                out.add(d.item());
            }
        }
        return out;
    }

    /** Servlets, one per name, in first-declaration order. */
    static List<ServletDef> combineServlets(List<Decl<ServletDef>> decls) throws DescriptorException {
        Map<String, List<Decl<ServletDef>>> byName = new LinkedHashMap<>();
        for (Decl<ServletDef> d : decls) {
            byName.computeIfAbsent(d.item().name(), n -> new ArrayList<>()).add(d);
        }
        List<ServletDef> out = new ArrayList<>();
        for (List<Decl<ServletDef>> group : byName.values()) {
            out.add(group.size() == 1 ? group.getFirst().item() : combineServlet(group));
        }
        return out;
    }

    private record Runs(String servletClass, String jspFile) {
        @Override
        public String toString() {
            return servletClass != null ? "\"" + servletClass + "\"" : "jsp-file \"" + jspFile + "\"";
        }
    }

    private static ServletDef combineServlet(List<Decl<ServletDef>> group) throws DescriptorException {
        ServletDef first = group.getFirst().item();
        String what = "servlet \"" + first.name() + "\"";
        // servlet-class and jsp-file are one choice in the schema, so they conflict with each other.
        Pick<Runs> runs = new Pick<>(what + " class", Function.identity());
        Pick<WebDescriptor.LoadOnStartup> load = new Pick<>(what + " load-on-startup", Function.identity());
        Pick<Boolean> enabled = new Pick<>(what + " enabled", Function.identity());
        Pick<Boolean> async = new Pick<>(what + " async-supported", Function.identity());
        Pick<String> runAs = new Pick<>(what + " run-as", Function.identity());
        Pick<WebDescriptor.MultipartConfig> multipart = new Pick<>(what + " multipart-config", Function.identity());
        List<Decl<Param>> params = new ArrayList<>();
        List<Decl<SecurityRoleRef>> refs = new ArrayList<>();
        for (Decl<ServletDef> d : group) {
            ServletDef s = d.item();
            DescriptorSource at = s.source();
            boolean main = d.main();
            runs.offer(s.servletClass() == null && s.jspFile() == null ? null : new Runs(s.servletClass(), s.jspFile()),
                    at, main);
            load.offer(s.loadOnStartup(), at, main);
            enabled.offer(s.enabled(), at, main);
            async.offer(s.asyncSupported(), at, main);
            runAs.offer(s.runAs(), at, main);
            multipart.offer(s.multipartConfig(), at, main);
            s.initParams().forEach(p -> params.add(new Decl<>(p, main)));
            s.securityRoleRefs().forEach(r -> refs.add(new Decl<>(r, main)));
        }
        Runs r = runs.value;
        return new ServletDef(first.name(), r == null ? null : r.servletClass(), r == null ? null : r.jspFile(),
                keyed(what + " init-param", params, Param::name, Param::value, Param::source),
                load.value, enabled.value, async.value, runAs.value,
                keyed(what + " security-role-ref", refs, SecurityRoleRef::roleName, SecurityRoleRef::roleLink,
                        SecurityRoleRef::source),
                multipart.value, first.source());
    }

    /** Filters, one per name, in first-declaration order. */
    static List<FilterDef> combineFilters(List<Decl<FilterDef>> decls) throws DescriptorException {
        Map<String, List<Decl<FilterDef>>> byName = new LinkedHashMap<>();
        for (Decl<FilterDef> d : decls) {
            byName.computeIfAbsent(d.item().name(), n -> new ArrayList<>()).add(d);
        }
        List<FilterDef> out = new ArrayList<>();
        for (List<Decl<FilterDef>> group : byName.values()) {
            if (group.size() == 1) {
                out.add(group.getFirst().item());
                continue;
            }
            FilterDef first = group.getFirst().item();
            String what = "filter \"" + first.name() + "\"";
            Pick<String> filterClass = new Pick<>(what + " filter-class", Function.identity());
            Pick<Boolean> async = new Pick<>(what + " async-supported", Function.identity());
            List<Decl<Param>> params = new ArrayList<>();
            for (Decl<FilterDef> d : group) {
                filterClass.offer(d.item().filterClass(), d.item().source(), d.main());
                async.offer(d.item().asyncSupported(), d.item().source(), d.main());
                d.item().initParams().forEach(p -> params.add(new Decl<>(p, d.main())));
            }
            out.add(new FilterDef(first.name(), filterClass.value, async.value,
                    keyed(what + " init-param", params, Param::name, Param::value, Param::source), first.source()));
        }
        return out;
    }

    private record Attribute(String name, String value, DescriptorSource source) {
    }

    private static SessionConfig sessionConfig(WebDescriptor main, List<WebDescriptor> fragments)
            throws DescriptorException {
        List<Decl<SessionConfig>> configs = new ArrayList<>();
        if (main.sessionConfig() != null) {
            configs.add(new Decl<>(main.sessionConfig(), true));
        }
        for (WebDescriptor f : fragments) {
            if (f.sessionConfig() != null) {
                configs.add(new Decl<>(f.sessionConfig(), false));
            }
        }
        if (configs.isEmpty()) {
            return null;
        }
        if (configs.size() == 1) {
            return configs.getFirst().item();
        }
        // Each child of session-config is single-valued on its own, so they merge one by one.
        Pick<Integer> timeout = new Pick<>("session-timeout", Function.identity());
        Pick<String> name = new Pick<>("cookie-config name", Function.identity());
        Pick<String> domain = new Pick<>("cookie-config domain", Function.identity());
        Pick<String> path = new Pick<>("cookie-config path", Function.identity());
        Pick<String> comment = new Pick<>("cookie-config comment", Function.identity());
        Pick<Boolean> httpOnly = new Pick<>("cookie-config http-only", Function.identity());
        Pick<Boolean> secure = new Pick<>("cookie-config secure", Function.identity());
        Pick<Integer> maxAge = new Pick<>("cookie-config max-age", Function.identity());
        List<Decl<Attribute>> attributes = new ArrayList<>();
        DescriptorSource cookieSource = null;
        Set<SessionTrackingMode> modes = EnumSet.noneOf(SessionTrackingMode.class);
        boolean mainModes = false;
        for (Decl<SessionConfig> d : configs) {
            SessionConfig s = d.item();
            timeout.offer(s.sessionTimeout(), s.source(), d.main());
            CookieConfig c = s.cookieConfig();
            if (c != null) {
                cookieSource = cookieSource == null ? c.source() : cookieSource;
                name.offer(c.name(), c.source(), d.main());
                domain.offer(c.domain(), c.source(), d.main());
                path.offer(c.path(), c.source(), d.main());
                comment.offer(c.comment(), c.source(), d.main());
                httpOnly.offer(c.httpOnly(), c.source(), d.main());
                secure.offer(c.secure(), c.source(), d.main());
                maxAge.offer(c.maxAge(), c.source(), d.main());
                c.attributes().forEach((k, v) -> attributes.add(new Decl<>(new Attribute(k, v, c.source()), d.main())));
            }
            // tracking-mode may repeat, so it is additive, unless the web.xml lists its own.
            if (d.main() && !s.trackingModes().isEmpty()) {
                mainModes = true;
                modes.addAll(s.trackingModes());
            } else if (!mainModes) {
                modes.addAll(s.trackingModes());
            }
        }
        CookieConfig cookie = null;
        if (cookieSource != null) {
            Map<String, String> attrs = new LinkedHashMap<>();
            for (Attribute a : keyed("cookie-config attribute", attributes, Attribute::name, Attribute::value,
                    Attribute::source)) {
                attrs.put(a.name(), a.value());
            }
            cookie = new CookieConfig(name.value, domain.value, path.value, comment.value, httpOnly.value,
                    secure.value, maxAge.value, attrs, cookieSource);
        }
        return new SessionConfig(timeout.value, cookie, modes, configs.getFirst().item().source());
    }

    private static JspConfig jspConfig(WebDescriptor main, List<WebDescriptor> fragments) throws DescriptorException {
        List<Decl<Taglib>> taglibs = new ArrayList<>();
        List<JspPropertyGroup> groups = new ArrayList<>();
        DescriptorSource source = null;
        List<WebDescriptor> all = new ArrayList<>();
        all.add(main);
        all.addAll(fragments);
        for (WebDescriptor d : all) {
            JspConfig c = d.jspConfig();
            if (c != null) {
                source = source == null ? c.source() : source;
                c.taglibs().forEach(t -> taglibs.add(new Decl<>(t, d == main)));
                groups.addAll(c.propertyGroups());
            }
        }
        if (source == null) {
            return null;
        }
        return new JspConfig(keyed("taglib", taglibs, Taglib::uri, Taglib::location, Taglib::source), groups, source);
    }

    /**
     * A single-valued element declared in several places: the first value offered stays; a
     * different later one is ignored when the first is the web.xml's, and a conflict otherwise.
     */
    static final class Pick<T> {
        private final String what;
        private final Function<T, ?> content;
        T value;
        private DescriptorSource from;
        private boolean fromMain;

        Pick(String what, Function<T, ?> content) {
            this.what = what;
            this.content = content;
        }

        void offer(T v, DescriptorSource at, boolean main) throws DescriptorException {
            if (v == null) {
                return;
            }
            if (value == null) {
                value = v;
                from = at;
                fromMain = main;
                return;
            }
            if (Objects.equals(content.apply(value), content.apply(v)) || (fromMain && !main)) {
                return;
            }
            throw conflict(what, show(content.apply(value)), from, show(content.apply(v)), at, main);
        }
    }

    /** What two env-entries of one name must agree on, as a conflict message shows it. */
    static Object envEntryContent(EnvEntry e) {
        return new EnvValue(e.type(), e.value());
    }

    private record EnvValue(String type, String value) {
        @Override
        public String toString() {
            return (value == null ? "without a value" : "\"" + value + "\"") + (type == null ? "" : " (" + type + ")");
        }
    }

    private record LoginValue(String authMethod, String realmName, String formLoginPage, String formErrorPage) {
        @Override
        public String toString() {
            List<String> parts = new ArrayList<>();
            if (authMethod != null) {
                parts.add("auth-method " + authMethod);
            }
            if (realmName != null) {
                parts.add("realm-name \"" + realmName + "\"");
            }
            if (formLoginPage != null) {
                parts.add("form pages " + formLoginPage + " and " + formErrorPage);
            }
            return parts.isEmpty() ? "empty" : String.join(", ", parts);
        }
    }

    private static String show(Object o) {
        if (o instanceof String s) {
            return "\"" + s + "\"";
        }
        if (o instanceof WebDescriptor.LoadOnStartup l) {
            return l.isEmpty() ? "empty" : l.value().toString();
        }
        return String.valueOf(o);
    }

    private static DescriptorException conflict(String what, String was, DescriptorSource wasAt, String now,
            DescriptorSource nowAt, boolean nowMain) {
        String message = what + " is " + now + " here but " + was + " at " + wasAt;
        if (!nowMain) {
            message += "; declare it in web.xml to settle which applies";
        }
        return new DescriptorException(nowAt, message);
    }
}
