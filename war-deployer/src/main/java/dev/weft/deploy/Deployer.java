package dev.weft.deploy;

import dev.weft.servlet.LoginConfig;
import dev.weft.servlet.Realm;
import dev.weft.servlet.SecurityConstraint;
import dev.weft.servlet.ServletHandler;
import dev.weft.servlet.WebApp;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.SessionCookieConfig;
import jakarta.servlet.annotation.HandlesTypes;
import jakarta.servlet.annotation.ServletSecurity.TransportGuarantee;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a WAR file or an exploded WAR folder into a running {@link WebApp} (Servlet 6.1 chapters
 * 8 and 10): unpacks it, gives it its own {@link WebAppClassLoader}, reads {@code web.xml} and the
 * {@code web-fragment.xml}s of its jars (ordered and merged), scans its classes for annotations
 * with ASM, runs its {@link ServletContainerInitializer}s with their {@code @HandlesTypes}, and
 * deploys it on a {@link ServletHandler}.
 */
public final class Deployer {
    private static final Logger log = LoggerFactory.getLogger(Deployer.class);
    private static final Set<String> SUPPORTED_AUTH_METHODS =
            Set.of(LoginConfig.BASIC, LoginConfig.FORM, LoginConfig.CLIENT_CERT);
    /** Descriptors of other containers: told about once, never an obstacle. */
    private static final List<String> FOREIGN_DESCRIPTORS = List.of(
            "WEB-INF/jetty-web.xml", "WEB-INF/jetty-env.xml", "WEB-INF/jboss-web.xml", "WEB-INF/jboss-deployment-structure.xml",
            "META-INF/context.xml", "WEB-INF/glassfish-web.xml", "WEB-INF/weblogic.xml", "WEB-INF/ibm-web-bnd.xml");

    private final ServletHandler handler;
    private final Path workDir;
    private final ClassLoader containerLoader;
    private Realm realm;
    private int confidentialPort = -1;
    private boolean crossContext;
    private java.util.function.Consumer<WebApp> defaults = app -> {};

    /**
     * @param handler where applications are deployed
     * @param workDir where WAR files are unpacked, one folder per application
     */
    public Deployer(ServletHandler handler, Path workDir) {
        this.handler = handler;
        this.workDir = workDir;
        ClassLoader cl = Deployer.class.getClassLoader();
        this.containerLoader = cl != null ? cl : ClassLoader.getSystemClassLoader();
    }

    /** The realm applications authenticate against (the container's default realm). */
    public Deployer realm(Realm realm) {
        this.realm = realm;
        return this;
    }

    /** The HTTPS port CONFIDENTIAL constraints redirect to. */
    public Deployer confidentialPort(int port) {
        this.confidentialPort = port;
        return this;
    }

    /** Whether applications may reach each other with {@code ServletContext.getContext}. */
    public Deployer crossContext(boolean on) {
        this.crossContext = on;
        return this;
    }

    /**
     * Settings every application starts from (a session timeout, say), applied to each new WebApp
     * before its descriptors, which override them.
     */
    public Deployer defaults(java.util.function.Consumer<WebApp> defaults) {
        this.defaults = java.util.Objects.requireNonNull(defaults);
        return this;
    }

    public ServletHandler handler() {
        return handler;
    }

    /**
     * The context path for a WAR or folder name, as Tomcat names them: {@code ROOT} is {@code /},
     * {@code shop.war} is {@code /shop}, {@code shop##v2.war} is {@code /shop} (a version),
     * {@code a#b.war} is {@code /a/b}.
     */
    public static String contextPathFor(Path source) {
        String name = source.getFileName().toString();
        if (name.toLowerCase(Locale.ROOT).endsWith(".war")) {
            name = name.substring(0, name.length() - 4);
        }
        int version = name.indexOf("##");
        if (version >= 0) {
            name = name.substring(0, version);
        }
        if (name.equals("ROOT") || name.isEmpty()) {
            return "";
        }
        return "/" + name.replace('#', '/');
    }

    /**
     * The folder of the work folder that a WAR file deployed at {@code contextPath} is unpacked
     * into; it is left behind when deploying fails and after undeploying, for its owner to delete.
     */
    public Path unpackFolder(String contextPath) {
        return workDir.resolve(contextPath.isEmpty() ? "ROOT" : contextPath.substring(1).replace('/', '#'));
    }

    /** Deploys {@code source} at the context path its name gives. */
    public Deployment deploy(Path source) throws DeploymentException {
        return deploy(source, contextPathFor(source));
    }

    /** Deploys a WAR file or an exploded WAR folder at {@code contextPath}, and starts it. */
    public Deployment deploy(Path source, String contextPath) throws DeploymentException {
        long t0 = System.nanoTime();
        String label = source.getFileName().toString();
        WebAppClassLoader loader = null;
        for (WebApp running : handler.apps()) {
            // Checked before unpacking: unpacking replaces the folder the running one is served from.
            if (running.getContextPath().equals(contextPath)) {
                throw new DeploymentException(label + ": context path \"" + contextPath + "\" is already in use", null);
            }
        }
        try {
            Path root;
            if (Files.isDirectory(source)) {
                root = source;
            } else {
                WarUnpacker.Result unpacked = WarUnpacker.unpack(source, unpackFolder(contextPath));
                for (String refused : unpacked.refused()) {
                    log.warn("{}: refused entry \"{}\": it would land outside the application's folder", label, refused);
                }
                root = unpacked.folder();
            }
            for (String foreign : FOREIGN_DESCRIPTORS) {
                if (Files.exists(root.resolve(foreign))) {
                    log.info("{}: ignoring {} (a descriptor for another container)", label, foreign);
                }
            }
            loader = WebAppClassLoader.forWebApp(root, containerLoader, label);
            WebApp app = build(root, contextPath, label, loader);
            handler.deploy(app);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            log.info("Deployed {} at {} in {} ms", label, contextPath.isEmpty() ? "/" : contextPath, ms);
            return new Deployment(app, source, root, loader, ms);
        } catch (DescriptorException e) {
            closeQuietly(loader);
            throw new DeploymentException(label + ": " + e.getMessage(), e);
        } catch (ServletException | IOException | RuntimeException | LinkageError e) {
            closeQuietly(loader);
            throw new DeploymentException(label + ": " + describe(e), e);
        }
    }

    private static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == e ? message(e) : message(e) + " (caused by " + root + ")";
    }

    /** The exception's message, with what kind of problem it is where the message alone does not say. */
    private static String message(Throwable e) {
        if (e instanceof java.nio.file.FileSystemException) {
            // Its message is only the file's name: "NoSuchFileException: /srv/shop.war" says what happened.
            return e.getClass().getSimpleName() + ": " + e.getMessage();
        }
        if (e instanceof java.util.zip.ZipException) {
            return "not a readable WAR (zip) file: " + e.getMessage();
        }
        return String.valueOf(e.getMessage());
    }

    /** Stops and removes a deployed application, and releases its class loader. */
    public void undeploy(Deployment d) {
        handler.undeploy(d.app());
        d.release();
    }

    private static void closeQuietly(WebAppClassLoader loader) {
        if (loader != null) {
            try {
                loader.close();
            } catch (IOException ignored) {
                // nothing left to release
            }
        }
    }

    // ---- Building the WebApp ----

    private WebApp build(Path root, String contextPath, String label, WebAppClassLoader loader)
            throws IOException, DescriptorException, ServletException {
        DescriptorParser parser = new DescriptorParser(w -> log.warn("{}", w));
        WebDescriptor webXml = null;
        Path webXmlFile = root.resolve("WEB-INF/web.xml");
        if (Files.isRegularFile(webXmlFile)) {
            try (InputStream in = Files.newInputStream(webXmlFile)) {
                webXml = parser.parseWebXml(in, label + "!/WEB-INF/web.xml");
            }
        }
        // Each jar of WEB-INF/lib is a fragment, with or without a web-fragment.xml (§8.2.1).
        Map<String, WebDescriptor> fragmentsByJar = new LinkedHashMap<>();
        for (Path jar : jars(root)) {
            WebDescriptor f = null;
            try (JarFile jf = new JarFile(jar.toFile())) {
                var entry = jf.getJarEntry("META-INF/web-fragment.xml");
                if (entry != null) {
                    try (InputStream in = jf.getInputStream(entry)) {
                        f = parser.parseWebFragment(in, label + "!/WEB-INF/lib/" + jar.getFileName() + "!/META-INF/web-fragment.xml");
                    }
                }
            }
            if (f != null) {
                fragmentsByJar.put(jar.getFileName().toString(), f);
            }
        }
        boolean metadataComplete = webXml != null && webXml.effectivelyMetadataComplete();
        List<WebDescriptor> fragments = new ArrayList<>(fragmentsByJar.values());
        FragmentOrdering.Result ordering = FragmentOrdering.order(webXml, fragments);
        Set<String> excludedJars = new HashSet<>();
        Set<String> metadataCompleteJars = new HashSet<>();
        for (Map.Entry<String, WebDescriptor> e : fragmentsByJar.entrySet()) {
            if (ordering.excluded().contains(e.getValue())) {
                excludedJars.add(e.getKey());
            }
            if (e.getValue().metadataComplete()) {
                metadataCompleteJars.add(e.getKey());
            }
        }
        if (webXml != null && webXml.absoluteOrdering() != null && !webXml.absoluteOrdering().hasOthers()) {
            // Under absolute ordering without <others/>, jars with no web-fragment.xml are left out too.
            for (Path jar : jars(root)) {
                if (!fragmentsByJar.containsKey(jar.getFileName().toString())) {
                    excludedJars.add(jar.getFileName().toString());
                }
            }
        }
        WebDescriptor effective = DescriptorMerger.merge(webXml, metadataComplete ? List.of() : ordering.ordered());

        ScanResult scan = new ClassScanner().withOutsideTypes(ClassFileLocator.of(containerLoader)).scanWebApp(root);
        for (ScanWarning w : scan.warnings()) {
            log.warn("{}: {}", label, w);
        }

        WebApp app = new WebApp(contextPath);
        app.setClassLoader(loader);
        // The folder, then the META-INF/resources of the jars whose fragments count (§4.6).
        app.setResources(WebAppResources.of(root, jars(root).stream()
                .filter(j -> !excludedJars.contains(j.getFileName().toString())).toList()));
        app.setCrossContext(crossContext);
        app.setConfidentialPort(confidentialPort);
        if (realm != null) {
            app.setRealm(realm);
        }
        defaults.accept(app);
        int[] version = parseVersion(effective.version());
        app.setEffectiveVersion(version[0], version[1]);
        configure(app, effective);
        if (!metadataComplete) {
            applyAnnotations(app, effective, scan, excludedJars, metadataCompleteJars);
        }
        Jsp.configure(app, effective); // after annotations, which may map *.jsp themselves
        Set<String> servletNames = new HashSet<>(app.getServletRegistrations().keySet());
        servletNames.add(WebApp.DEFAULT_SERVLET_NAME);
        Set<String> filterNames = app.getFilterRegistrations().keySet();
        effective.checkReferences(servletNames, filterNames);
        addInitializers(app, loader, scan, excludedJars);
        return app;
    }

    private static List<Path> jars(Path root) throws IOException {
        Path lib = root.resolve("WEB-INF/lib");
        if (!Files.isDirectory(lib)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(lib)) {
            return s.filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".jar")).sorted().toList();
        }
    }

    private static int[] parseVersion(String v) {
        try {
            int dot = v.indexOf('.');
            return new int[] {Integer.parseInt(v.substring(0, dot)), Integer.parseInt(v.substring(dot + 1))};
        } catch (RuntimeException e) {
            return new int[] {6, 1};
        }
    }

    /** The effective descriptor onto the WebApp. */
    private void configure(WebApp app, WebDescriptor d) throws ServletException {
        if (d.displayName() != null) {
            app.setDisplayName(d.displayName());
        }
        for (WebDescriptor.Param p : d.contextParams()) {
            app.setInitParameter(p.name(), p.value());
        }
        if (d.requestCharacterEncoding() != null) {
            app.setRequestCharacterEncoding(d.requestCharacterEncoding());
        }
        if (d.responseCharacterEncoding() != null) {
            app.setResponseCharacterEncoding(d.responseCharacterEncoding());
        }
        if (d.sessionConfig() != null) {
            WebDescriptor.SessionConfig sc = d.sessionConfig();
            if (sc.sessionTimeout() != null) {
                app.setSessionTimeout(sc.sessionTimeout());
            }
            if (!sc.trackingModes().isEmpty()) {
                app.setSessionTrackingModes(sc.trackingModes());
            }
            WebDescriptor.CookieConfig cc = sc.cookieConfig();
            if (cc != null) {
                SessionCookieConfig c = app.getSessionCookieConfig();
                if (cc.name() != null) {
                    c.setName(cc.name());
                }
                if (cc.domain() != null) {
                    c.setDomain(cc.domain());
                }
                if (cc.path() != null) {
                    c.setPath(cc.path());
                }
                if (cc.httpOnly() != null) {
                    c.setHttpOnly(cc.httpOnly());
                }
                if (cc.secure() != null) {
                    c.setSecure(cc.secure());
                }
                if (cc.maxAge() != null) {
                    c.setMaxAge(cc.maxAge());
                }
                cc.attributes().forEach(c::setAttribute);
            }
        }
        for (WebDescriptor.MimeMapping m : d.mimeMappings()) {
            app.addMimeMapping(m.extension(), m.mimeType());
        }
        if (!d.welcomeFiles().isEmpty()) {
            app.setWelcomeFiles(d.welcomeFiles().stream().map(WebDescriptor.WelcomeFile::path).toArray(String[]::new));
        }
        for (WebDescriptor.ErrorPage e : d.errorPages()) {
            if (e.errorCode() != null) {
                app.addErrorPage(e.errorCode(), e.location());
            } else if (e.exceptionType() != null) {
                app.addErrorPage(e.exceptionType(), e.location());
            } else {
                app.setDefaultErrorPage(e.location());
            }
        }
        for (WebDescriptor.LocaleEncodingMapping m : d.localeEncodingMappings()) {
            app.addLocaleEncodingMapping(m.locale(), m.encoding());
        }
        for (WebDescriptor.Listener l : d.listeners()) {
            app.addListener(l.className());
        }
        for (WebDescriptor.FilterDef f : d.filters()) {
            FilterRegistration.Dynamic r = app.addFilter(f.name(), f.filterClass());
            if (r == null) {
                continue;
            }
            for (WebDescriptor.Param p : f.initParams()) {
                r.setInitParameter(p.name(), p.value());
            }
            if (f.asyncSupported() != null) {
                r.setAsyncSupported(f.asyncSupported());
            }
        }
        for (WebDescriptor.FilterMapping m : d.filterMappings()) {
            FilterRegistration r = app.getFilterRegistration(m.filterName());
            if (!(r instanceof FilterRegistration.Dynamic dyn)) {
                continue; // reported by checkReferences
            }
            EnumSet<jakarta.servlet.DispatcherType> types = EnumSet.copyOf(m.effectiveDispatchers());
            if (!m.urlPatterns().isEmpty()) {
                dyn.addMappingForUrlPatterns(types, true, m.urlPatterns().toArray(new String[0]));
            }
            if (!m.servletNames().isEmpty()) {
                dyn.addMappingForServletNames(types, true, m.servletNames().toArray(new String[0]));
            }
        }
        for (WebDescriptor.ServletDef s : d.servlets()) {
            if (Boolean.FALSE.equals(s.enabled())) {
                continue; // §8.2.3: a disabled servlet is not there
            }
            ServletRegistration.Dynamic r;
            if (s.jspFile() != null) {
                r = Jsp.addJspFile(app, s.name(), s.jspFile());
            } else {
                r = Jsp.addServlet(app, s.name(), s.servletClass());
            }
            if (r == null) {
                continue;
            }
            for (WebDescriptor.Param p : s.initParams()) {
                r.setInitParameter(p.name(), p.value());
            }
            if (s.loadOnStartup() != null) {
                r.setLoadOnStartup(s.loadOnStartup().order());
            }
            if (s.asyncSupported() != null) {
                r.setAsyncSupported(s.asyncSupported());
            }
            if (s.multipartConfig() != null) {
                r.setMultipartConfig(s.multipartConfig().toElement());
            }
            if (s.runAs() != null) {
                r.setRunAsRole(s.runAs());
            }
            for (WebDescriptor.SecurityRoleRef ref : s.securityRoleRefs()) {
                app.addSecurityRoleRef(s.name(), ref.roleName(), ref.roleLink() != null ? ref.roleLink() : ref.roleName());
            }
        }
        Jsp.register(app); // before the mappings: web.xml may map more patterns (*.jspf) to "jsp"
        for (WebDescriptor.ServletMapping m : d.servletMappings()) {
            ServletRegistration r = app.getServletRegistration(m.servletName());
            if (r != null) {
                Set<String> conflicts = r.addMapping(m.urlPatterns().toArray(new String[0]));
                if (!conflicts.isEmpty()) {
                    throw new ServletException(m.source() + ": url-patterns " + conflicts + " are already mapped to another servlet");
                }
            }
        }
        for (WebDescriptor.SecurityRole role : d.securityRoles()) {
            app.declareRoles(role.roleName());
        }
        for (WebDescriptor.SecurityConstraint c : d.securityConstraints()) {
            app.addSecurityConstraint(convert(c));
        }
        if (d.loginConfig() != null) {
            WebDescriptor.LoginConfig lc = d.loginConfig();
            String method = lc.authMethod() == null ? LoginConfig.BASIC : lc.authMethod();
            LoginConfig login = new LoginConfig(method, lc.realmName(), lc.formLoginPage(), lc.formErrorPage());
            if (!SUPPORTED_AUTH_METHODS.contains(login.authMethod())) {
                // Deploying keeps the rest of the application usable; the constrained part answers 401.
                log.warn("{}: auth-method {} in web.xml is not supported (BASIC, FORM and CLIENT-CERT are);"
                        + " requests that need a login will get 401", app.getContextPath(), login.authMethod());
            }
            app.setLoginConfig(login);
        }
        app.setDenyUncoveredHttpMethods(d.denyUncoveredHttpMethods());
        if (!d.envEntries().isEmpty()) {
            log.info("{}: env-entries are not bound: Weft has no JNDI; {} ignored", app.getContextPath(), d.envEntries().size());
        }
    }

    private static SecurityConstraint convert(WebDescriptor.SecurityConstraint c) {
        List<SecurityConstraint.Collection> cols = new ArrayList<>();
        for (WebDescriptor.WebResourceCollection w : c.webResourceCollections()) {
            cols.add(new SecurityConstraint.Collection(w.urlPatterns(), new LinkedHashSet<>(w.httpMethods()),
                    new LinkedHashSet<>(w.httpMethodOmissions())));
        }
        Set<String> roles = c.authConstraint() == null ? null : new LinkedHashSet<>(c.authConstraint().roleNames());
        // INTEGRAL asks for what CONFIDENTIAL does: TLS gives both (the Servlet API has no INTEGRAL).
        TransportGuarantee t = c.transportGuarantee() == null || c.transportGuarantee().name().equals("NONE")
                ? TransportGuarantee.NONE : TransportGuarantee.CONFIDENTIAL;
        return new SecurityConstraint(cols, roles, t);
    }

    /**
     * Annotations onto the WebApp, under the merge rules of §8.2.3: what web.xml declares for a
     * servlet or filter of the same name wins; annotations add only what it leaves out. Classes in
     * jars whose fragment is metadata-complete, or excluded by absolute ordering, are not used.
     */
    private void applyAnnotations(WebApp app, WebDescriptor d, ScanResult scan, Set<String> excludedJars,
            Set<String> metadataCompleteJars) {
        java.util.function.Predicate<ClassSource> counts = src -> src.kind() != ClassSource.Kind.JAR
                || (!excludedJars.contains(src.fileName()) && !metadataCompleteJars.contains(src.fileName()));
        for (WebServletInfo s : scan.webServlets()) {
            if (!counts.test(s.source())) {
                continue;
            }
            if (s.conflictingPatterns()) {
                throw new IllegalArgumentException("@WebServlet on " + s.className() + " sets both value and urlPatterns");
            }
            WebDescriptor.ServletDef declared = d.servlet(s.name());
            ServletRegistration.Dynamic r;
            if (declared != null) {
                r = (ServletRegistration.Dynamic) app.getServletRegistration(s.name());
                if (r == null) {
                    continue; // disabled in web.xml
                }
            } else {
                r = app.addServlet(s.name(), s.className());
                if (r == null) {
                    continue;
                }
                r.setLoadOnStartup(s.loadOnStartup());
                r.setAsyncSupported(s.asyncSupported());
            }
            for (InitParam p : s.initParams()) {
                r.setInitParameter(p.name(), p.value()); // no effect if web.xml set it
            }
            boolean mappedInXml = d.servletMappings().stream().anyMatch(m -> m.servletName().equals(s.name()));
            if (!mappedInXml && !s.patterns().isEmpty()) {
                r.addMapping(s.patterns().toArray(new String[0]));
            }
            if (declared == null || declared.multipartConfig() == null) {
                scan.multipartConfig(s.className()).ifPresent(mc -> r.setMultipartConfig(mc.toElement()));
            }
            if (declared == null || declared.runAs() == null) {
                scan.runAs(s.className()).ifPresent(ra -> r.setRunAsRole(ra.role()));
            }
            scan.servletSecurity(s.className()).ifPresent(sec -> r.setServletSecurity(sec.toElement()));
        }
        for (WebFilterInfo f : scan.webFilters()) {
            if (!counts.test(f.source())) {
                continue;
            }
            if (f.conflictingPatterns()) {
                throw new IllegalArgumentException("@WebFilter on " + f.className() + " sets both value and urlPatterns");
            }
            boolean declared = d.filter(f.filterName()) != null;
            FilterRegistration.Dynamic r = declared
                    ? (FilterRegistration.Dynamic) app.getFilterRegistration(f.filterName())
                    : app.addFilter(f.filterName(), f.className());
            if (r == null) {
                continue;
            }
            if (!declared) {
                r.setAsyncSupported(f.asyncSupported());
            }
            for (InitParam p : f.initParams()) {
                r.setInitParameter(p.name(), p.value());
            }
            boolean mappedInXml = d.filterMappings().stream().anyMatch(m -> m.filterName().equals(f.filterName()));
            if (!mappedInXml) {
                EnumSet<jakarta.servlet.DispatcherType> types = EnumSet.copyOf(f.dispatcherTypes());
                if (!f.patterns().isEmpty()) {
                    r.addMappingForUrlPatterns(types, true, f.patterns().toArray(new String[0]));
                }
                if (!f.servletNames().isEmpty()) {
                    r.addMappingForServletNames(types, true, f.servletNames().toArray(new String[0]));
                }
            }
        }
        Set<String> listeners = new HashSet<>();
        for (WebDescriptor.Listener l : d.listeners()) {
            listeners.add(l.className());
        }
        for (WebListenerInfo l : scan.webListeners()) {
            if (counts.test(l.source()) && listeners.add(l.className())) {
                app.addListener(l.className());
            }
        }
        for (DeclareRolesInfo r : scan.declareRoles()) {
            if (counts.test(r.source())) {
                app.declareRoles(r.roles().toArray(new String[0]));
            }
        }
    }

    /**
     * The application's ServletContainerInitializers (from its jars' META-INF/services, except
     * excluded jars) and the container's own (Jasper's), each with its @HandlesTypes classes
     * (§8.2.4), resolved over the scanned class hierarchy and loaded only then.
     */
    private void addInitializers(WebApp app, WebAppClassLoader loader, ScanResult scan, Set<String> excludedJars)
            throws ServletException {
        List<ServletContainerInitializer> all = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        ServletContainerInitializer jasper = Jsp.initializer();
        if (jasper != null) {
            all.add(jasper);
            seen.add(jasper.getClass().getName());
        }
        for (ServletContainerInitializer sci : ServiceLoader.load(ServletContainerInitializer.class, containerLoader)) {
            if (seen.add(sci.getClass().getName())) {
                all.add(sci);
            }
        }
        ServiceLoader<ServletContainerInitializer> own = ServiceLoader.load(ServletContainerInitializer.class, loader);
        for (ServiceLoader.Provider<ServletContainerInitializer> p : own.stream().toList()) {
            Class<? extends ServletContainerInitializer> type = p.type();
            if (type.getClassLoader() == loader && excludedJars.contains(jarOf(type))) {
                continue;
            }
            if (seen.add(type.getName())) {
                all.add(p.get());
            }
        }
        Map<String, Class<?>> loaded = new HashMap<>();
        for (ServletContainerInitializer sci : all) {
            HandlesTypes ht = sci.getClass().getAnnotation(HandlesTypes.class);
            Set<Class<?>> classes = null;
            if (ht != null && ht.value().length > 0) {
                classes = new LinkedHashSet<>();
                for (ClassInfo ci : scan.handlesTypes(ht.value())) {
                    Class<?> c = loaded.computeIfAbsent(ci.name(), n -> load(n, loader));
                    if (c != null) {
                        classes.add(c);
                    }
                }
            }
            app.addServletContainerInitializer(sci, classes);
        }
    }

    private static Class<?> load(String name, ClassLoader loader) {
        try {
            return Class.forName(name, false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            log.warn("cannot load {} for a @HandlesTypes initializer: {}", name, e.toString());
            return null;
        }
    }

    private static String jarOf(Class<?> c) {
        var src = c.getProtectionDomain().getCodeSource();
        if (src == null || src.getLocation() == null) {
            return "";
        }
        String path = src.getLocation().getPath();
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
