package dev.weft.servlet;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.Servlet;
import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextAttributeEvent;
import jakarta.servlet.ServletContextAttributeListener;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.ServletRequestAttributeListener;
import jakarta.servlet.ServletRequestListener;
import jakarta.servlet.SessionCookieConfig;
import jakarta.servlet.SessionTrackingMode;
import jakarta.servlet.descriptor.JspConfigDescriptor;
import jakarta.servlet.http.HttpSessionAttributeListener;
import jakarta.servlet.http.HttpSessionIdListener;
import jakarta.servlet.http.HttpSessionListener;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.EnumSet;
import java.util.Enumeration;
import java.util.EventListener;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A web application: the {@link ServletContext}, with its servlets, filters, listeners and
 * configuration, and their life cycle. Configure it (in code, or from a deployment descriptor),
 * then deploy it on a {@link ServletHandler}, which starts it.
 *
 * <pre>
 * WebApp app = new WebApp("/shop");
 * app.addServlet("cart", new CartServlet()).addMapping("/cart/*");
 * app.addFilter("log", LogFilter.class).addMappingForUrlPatterns(null, false, "/*");
 * app.setResources(Resources.folder(Path.of("static")));
 * ServletHandler handler = new ServletHandler();
 * handler.deploy(app);
 * Server.builder().handler(handler).build().start();
 * </pre>
 */
public class WebApp implements ServletContext {
    /** The server information {@link #getServerInfo()} reports. */
    public static final String SERVER_INFO = "Weft/0.1";
    /** The name the default servlet is registered under, as applications expect. */
    public static final String DEFAULT_SERVLET_NAME = "default";
    /**
     * Apache Jasper's servlet, which {@link #addJspFile} registers by name: this module cannot depend on
     * Jasper, so JSP pages work when the application's class loader can load it.
     */
    public static final String JSP_SERVLET_CLASS = "org.apache.jasper.servlet.JspServlet";

    enum State { NEW, STARTING, STARTED, STOPPING, STOPPED, FAILED }

    private final String contextPath;
    private final Logger log;
    private volatile State state = State.NEW;
    private boolean programmaticConfigAllowed = true;
    private boolean initializersRunning;
    private String displayName;
    private ClassLoader classLoader;
    private Resources resources = Resources.none();
    private int majorVersion = 6;
    private int minorVersion = 1;

    private final Map<String, String> initParams = new ConcurrentHashMap<>();
    private final Map<String, Object> attributes = new ConcurrentHashMap<>();
    private final Map<String, ServletHolder> servlets = new LinkedHashMap<>();
    private final Map<String, FilterHolder> filters = new LinkedHashMap<>();
    // Mappings declared "match after" go behind those declared before them (Servlet 6.1 §4.4.2.2).
    private final List<FilterHolder.FilterMapping> filterMappings = new ArrayList<>();
    private int firstMatchAfter = 0;
    private volatile ServletMapper mapper = new ServletMapper();
    private final List<ServletHolder> initOrder = new CopyOnWriteArrayList<>();

    private final List<ServletContextListener> contextListeners = new ArrayList<>();
    /** Servlets, filters and listeners the container created with {@code @PreDestroy} methods, newest first. */
    private final Deque<Object> toPreDestroy = new ConcurrentLinkedDeque<>();
    final List<ServletContextAttributeListener> contextAttributeListeners = new CopyOnWriteArrayList<>();
    final List<ServletRequestListener> requestListeners = new CopyOnWriteArrayList<>();
    final List<ServletRequestAttributeListener> requestAttributeListeners = new CopyOnWriteArrayList<>();
    final List<HttpSessionListener> sessionListeners = new CopyOnWriteArrayList<>();
    final List<HttpSessionAttributeListener> sessionAttributeListeners = new CopyOnWriteArrayList<>();
    final List<HttpSessionIdListener> sessionIdListeners = new CopyOnWriteArrayList<>();
    private final Map<ServletContainerInitializer, Set<Class<?>>> initializers = new LinkedHashMap<>();

    private final List<String> welcomeFiles = new ArrayList<>(List.of("index.html", "index.htm", "index.jsp"));
    private final Map<Integer, String> errorPagesByStatus = new HashMap<>();
    private final Map<String, String> errorPagesByException = new HashMap<>();
    private String defaultErrorPage;
    private final MimeTypes mimeTypes = new MimeTypes();
    private final Map<String, String> localeEncodings = new HashMap<>();
    private String requestCharacterEncoding;
    private String responseCharacterEncoding;
    private boolean relativeRedirects;
    private boolean directoryListings;
    private boolean crossContext;
    private long asyncTimeoutMillis = 30_000;
    private Realm realm;
    private LoginConfig loginConfig;
    private final List<SecurityConstraint> securityConstraints = new ArrayList<>();
    private boolean denyUncoveredHttpMethods;
    private int confidentialPort = -1;
    private volatile Security security;
    private Path tempDir;
    private volatile JspConfigDescriptor jspConfig;
    private final Set<String> declaredRoles = new LinkedHashSet<>();
    private final SessionManager sessions;
    private final WebAppStats stats = new WebAppStats();
    ServletHandler handler;

    public WebApp(String contextPath) {
        this.contextPath = checkContextPath(contextPath);
        this.log = LoggerFactory.getLogger("dev.weft.webapp" + (contextPath.isEmpty() ? ".ROOT" : contextPath.replace('/', '.')));
        this.classLoader = Thread.currentThread().getContextClassLoader();
        if (this.classLoader == null) {
            this.classLoader = WebApp.class.getClassLoader();
        }
        this.sessions = new SessionManager(this);
    }

    private static String checkContextPath(String path) {
        Objects.requireNonNull(path, "contextPath");
        if (path.equals("/")) {
            return "";
        }
        if (!path.isEmpty() && (!path.startsWith("/") || path.endsWith("/"))) {
            throw new IllegalArgumentException("context path must be empty or start, and not end, with /: " + path);
        }
        return path;
    }

    // ---- Embedded configuration (before start) ----

    /** Where static resources come from; nothing by default. */
    public WebApp setResources(Resources resources) {
        checkNotStarted();
        this.resources = Objects.requireNonNull(resources);
        return this;
    }

    public Resources resources() {
        return resources;
    }

    /** The class loader application classes come from; the creating thread's by default. */
    public WebApp setClassLoader(ClassLoader loader) {
        checkNotStarted();
        this.classLoader = Objects.requireNonNull(loader);
        return this;
    }

    public WebApp setDisplayName(String name) {
        this.displayName = name;
        return this;
    }

    /** The deployment descriptor version the application declares; 6.1 unless set. */
    public WebApp setEffectiveVersion(int major, int minor) {
        checkNotStarted();
        this.majorVersion = major;
        this.minorVersion = minor;
        return this;
    }

    /** Replaces the welcome files (index.html, index.htm, index.jsp by default). */
    public WebApp setWelcomeFiles(String... files) {
        checkNotStarted();
        welcomeFiles.clear();
        welcomeFiles.addAll(List.of(files));
        return this;
    }

    public List<String> welcomeFiles() {
        return Collections.unmodifiableList(welcomeFiles);
    }

    /** Maps an HTTP status to an error page location (context-relative, starting with /). */
    public WebApp addErrorPage(int status, String location) {
        checkNotStarted();
        errorPagesByStatus.put(status, checkLocation(location));
        return this;
    }

    /** Maps an exception type (and its subclasses) to an error page location. */
    public WebApp addErrorPage(Class<? extends Throwable> type, String location) {
        return addErrorPage(type.getName(), location);
    }

    /** Maps an exception type, by class name, to an error page location. */
    public WebApp addErrorPage(String exceptionType, String location) {
        checkNotStarted();
        errorPagesByException.put(exceptionType, checkLocation(location));
        return this;
    }

    /** The error page for every error no other error page covers. */
    public WebApp setDefaultErrorPage(String location) {
        checkNotStarted();
        this.defaultErrorPage = checkLocation(location);
        return this;
    }

    private static String checkLocation(String location) {
        if (location == null || !location.startsWith("/")) {
            throw new IllegalArgumentException("error page location must start with /: " + location);
        }
        return location;
    }

    public WebApp addMimeMapping(String extension, String type) {
        mimeTypes.add(extension, type);
        return this;
    }

    /** A locale-encoding-mapping: the response charset {@code setLocale(locale)} implies. */
    public WebApp addLocaleEncodingMapping(String locale, String encoding) {
        localeEncodings.put(locale.replace('-', '_').toLowerCase(Locale.ROOT), encoding);
        return this;
    }

    /**
     * Whether sendRedirect sends relative locations as given (true) or turns them into absolute
     * URLs, as the specification words it (false, the default).
     */
    public WebApp setRelativeRedirects(boolean relative) {
        this.relativeRedirects = relative;
        return this;
    }

    boolean relativeRedirects() {
        return relativeRedirects;
    }

    /** Whether the default servlet lists directories without a welcome file; off by default. */
    public WebApp setDirectoryListings(boolean on) {
        this.directoryListings = on;
        return this;
    }

    public boolean directoryListings() {
        return directoryListings;
    }

    /** Whether {@link #getContext} may return other applications on the same handler; off by default. */
    public WebApp setCrossContext(boolean on) {
        this.crossContext = on;
        return this;
    }

    // ---- Security ----

    /** Where users and their roles come from, for authentication. */
    public WebApp setRealm(Realm realm) {
        checkNotStarted();
        this.realm = realm;
        return this;
    }

    public Realm realm() {
        return realm;
    }

    /** How users authenticate: BASIC, FORM or CLIENT-CERT. */
    public WebApp setLoginConfig(LoginConfig config) {
        checkNotStarted();
        this.loginConfig = config;
        return this;
    }

    public LoginConfig loginConfig() {
        return loginConfig;
    }

    /** Adds a security constraint, as the deployment descriptor's {@code security-constraint}. */
    public WebApp addSecurityConstraint(SecurityConstraint constraint) {
        checkNotStarted();
        securityConstraints.add(constraint);
        return this;
    }

    /** Whether methods a constrained url-pattern does not cover are refused (403); off by default. */
    public WebApp setDenyUncoveredHttpMethods(boolean deny) {
        checkNotStarted();
        this.denyUncoveredHttpMethods = deny;
        return this;
    }

    /**
     * The HTTPS port that requests needing a CONFIDENTIAL or INTEGRAL transport are redirected
     * to; without one they get 403.
     */
    public WebApp setConfidentialPort(int port) {
        this.confidentialPort = port;
        return this;
    }

    int confidentialPort() {
        return confidentialPort;
    }

    /** Maps a role name used in a servlet's code to a role of the application (security-role-ref). */
    public WebApp addSecurityRoleRef(String servletName, String roleName, String roleLink) {
        checkNotStarted();
        ServletHolder h = servlets.get(servletName);
        if (h == null) {
            throw new IllegalArgumentException("no servlet named " + servletName);
        }
        h.roleRefs().put(roleName, roleLink);
        return this;
    }

    Security security() {
        return security;
    }

    /** The url-patterns the application's security constraints name. */
    Set<String> constrainedPatterns() {
        Set<String> out = new java.util.HashSet<>();
        for (SecurityConstraint c : securityConstraints) {
            for (SecurityConstraint.Collection col : c.collections()) {
                out.addAll(col.urlPatterns());
            }
        }
        return out;
    }

    /** The default timeout of asynchronous requests; 30 seconds unless set, 0 for none. */
    public WebApp setAsyncTimeout(java.time.Duration timeout) {
        this.asyncTimeoutMillis = timeout.toMillis();
        return this;
    }

    long asyncTimeoutMillis() {
        return asyncTimeoutMillis;
    }

    /** The application's {@code <jsp-config>}, which {@link #getJspConfigDescriptor()} returns; none by default. */
    public WebApp setJspConfigDescriptor(JspConfigDescriptor config) {
        checkNotStarted();
        this.jspConfig = config;
        return this;
    }

    /** Adds an initializer to run, with the given classes, when the application starts. */
    public WebApp addServletContainerInitializer(ServletContainerInitializer sci, Set<Class<?>> classes) {
        checkNotStarted();
        initializers.put(sci, classes == null || classes.isEmpty() ? null : classes);
        return this;
    }

    public SessionManager sessions() {
        return sessions;
    }

    /** Counts of requests, errors and sessions, for metrics. */
    public WebAppStats stats() {
        return stats;
    }

    // ---- Life cycle ----

    /**
     * Starts the application: initializers, then context listeners, then filters, then the
     * servlets with a load-on-startup value, in that order. On failure everything started is
     * stopped again and the cause is thrown.
     */
    public void start() throws ServletException {
        if (state != State.NEW) {
            throw new IllegalStateException("web application " + name() + " is " + state);
        }
        long t0 = System.nanoTime();
        state = State.STARTING;
        ClassLoader previous = enterClassLoader();
        try {
            initializersRunning = true;
            try {
                for (Map.Entry<ServletContainerInitializer, Set<Class<?>>> e : new ArrayList<>(initializers.entrySet())) {
                    e.getKey().onStartup(e.getValue(), this);
                }
            } finally {
                initializersRunning = false;
            }
            createTempDir();
            ensureDefaultServlet();
            rebuildMapper();
            ServletContextEvent event = new ServletContextEvent(this);
            for (ServletContextListener l : List.copyOf(contextListeners)) {
                l.contextInitialized(event);
            }
            programmaticConfigAllowed = false;
            rebuildMapper();
            for (FilterHolder f : filters.values()) {
                if (!f.isComplete()) {
                    throw new ServletException("filter " + f.getName() + " has no class");
                }
                ClassLoader p = enterClassLoader();
                try {
                    f.init();
                } finally {
                    leaveClassLoader(p);
                }
            }
            List<ServletHolder> onStartup = new ArrayList<>();
            for (ServletHolder h : servlets.values()) {
                if (!h.isComplete()) {
                    throw new ServletException("servlet " + h.getName() + " has no class");
                }
                if (h.loadOnStartup() >= 0) {
                    onStartup.add(h);
                }
            }
            onStartup.sort(Comparator.comparingInt(ServletHolder::loadOnStartup).thenComparingInt(h -> h.order));
            for (ServletHolder h : onStartup) {
                h.servlet();
            }
            Map<ServletHolder, jakarta.servlet.ServletSecurityElement> annotated = new LinkedHashMap<>();
            for (ServletHolder h : servlets.values()) {
                if (h.securityElement() != null) {
                    annotated.put(h, h.securityElement());
                    // Roles named there are declared by naming them (declareRoles Javadoc).
                    declaredRoles.addAll(java.util.Arrays.asList(h.securityElement().getRolesAllowed()));
                    for (var m : h.securityElement().getHttpMethodConstraints()) {
                        declaredRoles.addAll(java.util.Arrays.asList(m.getRolesAllowed()));
                    }
                }
                if (h.getRunAsRole() != null) {
                    declaredRoles.add(h.getRunAsRole());
                }
            }
            security = new Security(this, securityConstraints, annotated, denyUncoveredHttpMethods);
            sessions.start();
            state = State.STARTED;
            log.info("Started {} in {} ms", name(), (System.nanoTime() - t0) / 1_000_000);
        } catch (ServletException | RuntimeException | Error e) {
            state = State.FAILED;
            log.error("Failed to start {}", name(), e);
            stopComponents();
            throw e instanceof ServletException se ? se : new ServletException("failed to start " + name(), e);
        } finally {
            leaveClassLoader(previous);
        }
    }

    /** Stops the application: servlets, then filters, sessions, then context listeners, in reverse order. */
    public void stop() {
        if (state != State.STARTED) {
            return;
        }
        state = State.STOPPING;
        ClassLoader previous = enterClassLoader();
        try {
            stopComponents();
        } finally {
            leaveClassLoader(previous);
        }
        state = State.STOPPED;
        log.info("Stopped {}", name());
    }

    /** A private temporary folder for the application, as ServletContext.TEMPDIR (§4.8.1). */
    private void createTempDir() throws ServletException {
        if (attributes.containsKey(TEMPDIR)) {
            return;
        }
        try {
            String name = contextPath.isEmpty() ? "ROOT" : contextPath.substring(1).replace('/', '_');
            tempDir = java.nio.file.Files.createTempDirectory("weft-" + name + "-");
            attributes.put(TEMPDIR, tempDir.toFile());
        } catch (IOException e) {
            throw new ServletException("cannot create a temporary folder for " + name(), e);
        }
    }

    private void deleteTempDir() {
        if (tempDir == null) {
            return;
        }
        try (var files = java.nio.file.Files.walk(tempDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | java.io.UncheckedIOException e) {
            log.warn("could not delete {}: {}", tempDir, e.toString());
        }
        attributes.remove(TEMPDIR);
        tempDir = null;
    }

    private void stopComponents() {
        List<ServletHolder> order = new ArrayList<>(initOrder);
        Collections.reverse(order);
        for (ServletHolder h : order) {
            h.destroy();
        }
        initOrder.clear();
        List<FilterHolder> fs = new ArrayList<>(filters.values());
        Collections.reverse(fs);
        for (FilterHolder f : fs) {
            f.destroy();
        }
        sessions.stop();
        ServletContextEvent event = new ServletContextEvent(this);
        List<ServletContextListener> ls = new ArrayList<>(contextListeners);
        Collections.reverse(ls);
        for (ServletContextListener l : ls) {
            try {
                l.contextDestroyed(event);
            } catch (RuntimeException e) {
                log.error("context listener {} failed in contextDestroyed", l.getClass().getName(), e);
            }
        }
        // Everything is out of service now: servlets and filters destroyed, listeners told.
        for (Object o; (o = toPreDestroy.poll()) != null; ) {
            preDestroy(o);
        }
        deleteTempDir();
    }

    public boolean isStarted() {
        return state == State.STARTED;
    }

    State state() {
        return state;
    }

    /** The context path and display name, for log lines. */
    String name() {
        String path = contextPath.isEmpty() ? "/" : contextPath;
        return displayName == null ? "web application " + path : "web application " + path + " (" + displayName + ")";
    }

    void servletInitialized(ServletHolder h) {
        initOrder.add(h);
    }

    ClassLoader enterClassLoader() {
        Thread t = Thread.currentThread();
        ClassLoader previous = t.getContextClassLoader();
        t.setContextClassLoader(classLoader);
        return previous;
    }

    void leaveClassLoader(ClassLoader previous) {
        Thread.currentThread().setContextClassLoader(previous);
    }

    void checkConfigurable() {
        if (state != State.NEW && !(state == State.STARTING && programmaticConfigAllowed)) {
            throw new IllegalStateException(name() + " has already been initialized");
        }
    }

    private void checkNotStarted() {
        if (state != State.NEW) {
            throw new IllegalStateException(name() + " has already been started");
        }
    }

    private void ensureDefaultServlet() {
        if (!servlets.containsKey(DEFAULT_SERVLET_NAME)) {
            ServletHolder h = new ServletHolder(this, DEFAULT_SERVLET_NAME, servlets.size());
            h.servletClass(DefaultServlet.class);
            servlets.put(DEFAULT_SERVLET_NAME, h);
        }
        ServletHolder def = servlets.get(DEFAULT_SERVLET_NAME);
        if (servletMappedTo("/") == null && def.mappings().isEmpty()) {
            def.mappings().add("/");
        }
    }

    // ---- Mapping and filters ----

    ServletHolder servletMappedTo(String pattern) {
        for (ServletHolder h : servlets.values()) {
            if (h.mappings().contains(pattern)) {
                return h;
            }
        }
        return null;
    }

    void mappingsChanged() {
        if (state == State.STARTING) {
            rebuildMapper();
        }
    }

    private void rebuildMapper() {
        ServletMapper m = new ServletMapper();
        for (ServletHolder h : servlets.values()) {
            for (String p : h.mappings()) {
                m.add(p, h);
            }
        }
        mapper = m;
    }

    /** Maps a context-relative path to a servlet. */
    Mapping map(String path) {
        return mapper.map(path);
    }

    ServletHolder servlet(String name) {
        return servlets.get(name);
    }

    void addFilterMapping(FilterHolder.FilterMapping m, boolean matchAfter) {
        if (matchAfter) {
            filterMappings.add(m);
        } else {
            filterMappings.add(firstMatchAfter++, m);
        }
    }

    List<FilterHolder.FilterMapping> filterMappings() {
        return filterMappings;
    }

    /**
     * The filters for a dispatch, in the specification's order: those matching by url-pattern in
     * declaration order, then those matching by servlet name (§6.2.4).
     */
    List<FilterHolder> filtersFor(DispatcherType type, String path, Mapping mapping) {
        if (filterMappings.isEmpty()) {
            return List.of();
        }
        List<FilterHolder> out = new ArrayList<>(4);
        if (path != null) {
            for (FilterHolder.FilterMapping m : filterMappings) {
                if (m.appliesTo(type) && m.matchesPath(path, mapping) && !out.contains(m.holder())) {
                    out.add(m.holder());
                }
            }
        }
        String servletName = mapping == null ? null : mapping.holder().getName();
        for (FilterHolder.FilterMapping m : filterMappings) {
            if (m.appliesTo(type) && m.matchesServlet(servletName) && !out.contains(m.holder())) {
                out.add(m.holder());
            }
        }
        return out;
    }

    // ---- Errors ----

    /** The error page for a status code, else the default error page, or null. */
    String errorPage(int status) {
        String p = errorPagesByStatus.get(status);
        return p != null ? p : defaultErrorPage;
    }

    /**
     * The error page for an exception: its class or the nearest superclass that has one; for a
     * ServletException without one, the same search for its root cause (§10.9.2).
     */
    String errorPage(Throwable t) {
        for (Throwable x = t; x != null; ) {
            for (Class<?> c = x.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
                String p = errorPagesByException.get(c.getName());
                if (p != null) {
                    return p;
                }
            }
            if (x instanceof ServletException se && se.getRootCause() != null && se.getRootCause() != x) {
                x = se.getRootCause();
            } else {
                break;
            }
        }
        return null;
    }

    boolean hasErrorPages() {
        return !errorPagesByStatus.isEmpty() || !errorPagesByException.isEmpty() || defaultErrorPage != null;
    }

    String charsetForLocale(Locale locale) {
        if (localeEncodings.isEmpty() || locale == null) {
            return null;
        }
        String full = locale.toString().toLowerCase(Locale.ROOT);
        String enc = localeEncodings.get(full);
        return enc != null ? enc : localeEncodings.get(locale.getLanguage().toLowerCase(Locale.ROOT));
    }

    Logger logger() {
        return log;
    }

    /**
     * A servlet, filter or listener the container creates: constructed, its {@code @PostConstruct}
     * methods run, and its {@code @PreDestroy} methods remembered for {@link #stop()}.
     */
    <T> T newInstance(Class<T> c) throws ServletException {
        T t = newPerRequestInstance(c);
        if (!LifecycleCallbacks.of(c).preDestroy().isEmpty()) {
            toPreDestroy.push(t);
        }
        return t;
    }

    /**
     * An object that lives no longer than a request or a connection (an AsyncListener, an
     * HttpUpgradeHandler): constructed and its {@code @PostConstruct} methods run; whoever ends its
     * life calls {@link #preDestroy(Object)}.
     */
    <T> T newPerRequestInstance(Class<T> c) throws ServletException {
        T t;
        try {
            var ctor = c.getDeclaredConstructor();
            ctor.setAccessible(true);
            t = ctor.newInstance();
        } catch (InvocationTargetException e) {
            throw new ServletException("cannot create " + c.getName(), e.getCause());
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new ServletException("cannot create " + c.getName() + ": it needs a public no-argument constructor", e);
        }
        try {
            LifecycleCallbacks.postConstruct(t);
        } catch (Throwable e) {
            // The instance is never put into service (Common Annotations 2.5).
            throw new ServletException("@PostConstruct of " + c.getName() + " failed", e);
        }
        return t;
    }

    /** Runs the {@code @PreDestroy} methods of {@code o}; a failure is logged, never thrown. */
    void preDestroy(Object o) {
        try {
            LifecycleCallbacks.preDestroy(o);
        } catch (Throwable e) {
            log.error("@PreDestroy of {} failed", o.getClass().getName(), e);
        }
    }

    // ---- ServletContext ----

    @Override
    public String getContextPath() {
        return contextPath;
    }

    @Override
    public ServletContext getContext(String uripath) {
        if (uripath == null || !uripath.startsWith("/")) {
            return null;
        }
        if (handler == null) {
            return null;
        }
        WebApp other = handler.appFor(uripath);
        if (other == this) {
            return this;
        }
        return crossContext ? other : null;
    }

    @Override
    public int getMajorVersion() {
        return 6;
    }

    @Override
    public int getMinorVersion() {
        return 1;
    }

    @Override
    public int getEffectiveMajorVersion() {
        return majorVersion;
    }

    @Override
    public int getEffectiveMinorVersion() {
        return minorVersion;
    }

    @Override
    public String getMimeType(String file) {
        return file == null ? null : mimeTypes.forPath(file);
    }

    @Override
    public Set<String> getResourcePaths(String path) {
        if (path == null || !path.startsWith("/")) {
            return null;
        }
        Set<String> s = resources.list(path);
        return s.isEmpty() ? null : s;
    }

    @Override
    public URL getResource(String path) throws MalformedURLException {
        if (path == null || !path.startsWith("/")) {
            throw new MalformedURLException("resource path must start with /: " + path);
        }
        Resources.Resource r = resources.get(path);
        return r == null ? null : r.url();
    }

    @Override
    public InputStream getResourceAsStream(String path) {
        if (path == null || !path.startsWith("/")) {
            return null;
        }
        Resources.Resource r = resources.get(path);
        if (r == null || r.directory()) {
            return null;
        }
        try {
            return r.open();
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public RequestDispatcher getRequestDispatcher(String path) {
        if (path == null || !path.startsWith("/")) {
            return null;
        }
        return new Dispatcher(this, path);
    }

    @Override
    public RequestDispatcher getNamedDispatcher(String name) {
        ServletHolder h = name == null ? null : servlets.get(name);
        return h == null ? null : new Dispatcher(this, h);
    }

    @Override
    public void log(String msg) {
        log.info(msg);
    }

    @Override
    public void log(String message, Throwable throwable) {
        log.error(message, throwable);
    }

    @Override
    public String getRealPath(String path) {
        if (path == null) {
            return null;
        }
        Path p = resources.realPath(path.startsWith("/") ? path : "/" + path);
        return p == null ? null : p.toString();
    }

    @Override
    public String getServerInfo() {
        return SERVER_INFO;
    }

    @Override
    public String getInitParameter(String name) {
        Objects.requireNonNull(name, "name");
        return initParams.get(name);
    }

    @Override
    public Enumeration<String> getInitParameterNames() {
        return Collections.enumeration(new ArrayList<>(initParams.keySet()));
    }

    @Override
    public boolean setInitParameter(String name, String value) {
        Objects.requireNonNull(name, "name");
        checkConfigurable();
        return initParams.putIfAbsent(name, value) == null;
    }

    @Override
    public Object getAttribute(String name) {
        Objects.requireNonNull(name, "name");
        return attributes.get(name);
    }

    @Override
    public Enumeration<String> getAttributeNames() {
        return Collections.enumeration(new ArrayList<>(attributes.keySet()));
    }

    @Override
    public void setAttribute(String name, Object object) {
        Objects.requireNonNull(name, "name");
        if (object == null) {
            removeAttribute(name);
            return;
        }
        Object old = attributes.put(name, object);
        if (!contextAttributeListeners.isEmpty()) {
            ServletContextAttributeEvent e = new ServletContextAttributeEvent(this, name, old == null ? object : old);
            for (ServletContextAttributeListener l : contextAttributeListeners) {
                if (old == null) {
                    l.attributeAdded(e);
                } else {
                    l.attributeReplaced(e);
                }
            }
        }
    }

    @Override
    public void removeAttribute(String name) {
        Objects.requireNonNull(name, "name");
        Object old = attributes.remove(name);
        if (old != null && !contextAttributeListeners.isEmpty()) {
            ServletContextAttributeEvent e = new ServletContextAttributeEvent(this, name, old);
            for (ServletContextAttributeListener l : contextAttributeListeners) {
                l.attributeRemoved(e);
            }
        }
    }

    @Override
    public String getServletContextName() {
        return displayName;
    }

    @Override
    public ServletRegistration.Dynamic addServlet(String servletName, String className) {
        Objects.requireNonNull(className, "className");
        ServletHolder h = register(servletName);
        return h == null ? null : h.className(className);
    }

    @Override
    public ServletRegistration.Dynamic addServlet(String servletName, Servlet servlet) {
        Objects.requireNonNull(servlet, "servlet");
        ServletHolder h = register(servletName);
        return h == null ? null : h.instance(servlet);
    }

    @Override
    public ServletRegistration.Dynamic addServlet(String servletName, Class<? extends Servlet> servletClass) {
        Objects.requireNonNull(servletClass, "servletClass");
        ServletHolder h = register(servletName);
        return h == null ? null : h.servletClass(servletClass);
    }

    /**
     * A servlet that runs the JSP page {@code jspFile}: Jasper's servlet, told which page with its
     * {@code jspFile} init parameter, as Tomcat and Jetty register {@code <jsp-file>} servlets.
     *
     * @throws UnsupportedOperationException when the application's class loader cannot load Jasper
     */
    @Override
    public ServletRegistration.Dynamic addJspFile(String servletName, String jspFile) {
        checkConfigurable();
        if (servletName == null || servletName.isEmpty()) {
            throw new IllegalArgumentException("servlet name must not be empty");
        }
        if (jspFile == null || !jspFile.startsWith("/")) {
            throw new IllegalArgumentException("the JSP file of servlet " + servletName + " must start with /: " + jspFile);
        }
        if (!canLoad(JSP_SERVLET_CLASS)) {
            throw new UnsupportedOperationException("cannot add servlet " + servletName + " for the JSP page " + jspFile
                    + ": JSP support is not installed (" + JSP_SERVLET_CLASS + " is not on the class path; "
                    + "Apache Jasper, e.g. org.mortbay.jasper:apache-jsp, provides it)");
        }
        ServletHolder h = register(servletName);
        if (h == null) {
            return null;
        }
        h.className(JSP_SERVLET_CLASS);
        h.setInitParameter("jspFile", jspFile);
        return h;
    }

    private boolean canLoad(String className) {
        try {
            Class.forName(className, false, classLoader);
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /**
     * Registers a servlet; returns null if one of that name is already complete (§4.4.1), and
     * completes a preliminary registration (one without a class) otherwise.
     */
    private ServletHolder register(String name) {
        checkConfigurable();
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("servlet name must not be empty");
        }
        ServletHolder h = servlets.get(name);
        if (h != null) {
            if (h.isComplete() && !name.equals(DEFAULT_SERVLET_NAME)) {
                return null;
            }
            return h;
        }
        h = new ServletHolder(this, name, servlets.size());
        servlets.put(name, h);
        return h;
    }

    @Override
    public <T extends Servlet> T createServlet(Class<T> clazz) throws ServletException {
        checkConfigurable();
        return newInstance(clazz);
    }

    @Override
    public ServletRegistration getServletRegistration(String servletName) {
        return servlets.get(servletName);
    }

    @Override
    public Map<String, ? extends ServletRegistration> getServletRegistrations() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(servlets));
    }

    @Override
    public FilterRegistration.Dynamic addFilter(String filterName, String className) {
        Objects.requireNonNull(className, "className");
        FilterHolder h = registerFilter(filterName);
        return h == null ? null : h.className(className);
    }

    @Override
    public FilterRegistration.Dynamic addFilter(String filterName, Filter filter) {
        Objects.requireNonNull(filter, "filter");
        FilterHolder h = registerFilter(filterName);
        return h == null ? null : h.instance(filter);
    }

    @Override
    public FilterRegistration.Dynamic addFilter(String filterName, Class<? extends Filter> filterClass) {
        Objects.requireNonNull(filterClass, "filterClass");
        FilterHolder h = registerFilter(filterName);
        return h == null ? null : h.filterClass(filterClass);
    }

    private FilterHolder registerFilter(String name) {
        checkConfigurable();
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("filter name must not be empty");
        }
        FilterHolder h = filters.get(name);
        if (h != null) {
            return h.isComplete() ? null : h;
        }
        h = new FilterHolder(this, name);
        filters.put(name, h);
        return h;
    }

    @Override
    public <T extends Filter> T createFilter(Class<T> clazz) throws ServletException {
        checkConfigurable();
        return newInstance(clazz);
    }

    @Override
    public FilterRegistration getFilterRegistration(String filterName) {
        return filters.get(filterName);
    }

    @Override
    public Map<String, ? extends FilterRegistration> getFilterRegistrations() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(filters));
    }

    @Override
    public SessionCookieConfig getSessionCookieConfig() {
        return sessions.cookieConfig();
    }

    @Override
    public void setSessionTrackingModes(Set<SessionTrackingMode> sessionTrackingModes) {
        checkConfigurable();
        sessions.setTrackingModes(sessionTrackingModes);
    }

    @Override
    public Set<SessionTrackingMode> getDefaultSessionTrackingModes() {
        return EnumSet.of(SessionTrackingMode.COOKIE, SessionTrackingMode.URL);
    }

    @Override
    public Set<SessionTrackingMode> getEffectiveSessionTrackingModes() {
        return sessions.trackingModes();
    }

    @Override
    public void addListener(String className) {
        checkConfigurable();
        try {
            Class<?> c = Class.forName(className, true, classLoader);
            if (!EventListener.class.isAssignableFrom(c)) {
                throw new IllegalArgumentException(className + " is not a listener");
            }
            @SuppressWarnings("unchecked")
            Class<? extends EventListener> lc = (Class<? extends EventListener>) c;
            addListener(lc);
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException("listener class " + className + " not found", e);
        }
    }

    @Override
    public <T extends EventListener> void addListener(T t) {
        checkConfigurable();
        Objects.requireNonNull(t, "listener");
        boolean known = false;
        if (t instanceof ServletContextListener l) {
            if (state == State.STARTING && !initializersRunning) {
                throw new IllegalArgumentException("a ServletContextListener cannot be added from a ServletContextListener");
            }
            contextListeners.add(l);
            known = true;
        }
        if (t instanceof ServletContextAttributeListener l) {
            contextAttributeListeners.add(l);
            known = true;
        }
        if (t instanceof ServletRequestListener l) {
            requestListeners.add(l);
            known = true;
        }
        if (t instanceof ServletRequestAttributeListener l) {
            requestAttributeListeners.add(l);
            known = true;
        }
        if (t instanceof HttpSessionListener l) {
            sessionListeners.add(l);
            known = true;
        }
        if (t instanceof HttpSessionAttributeListener l) {
            sessionAttributeListeners.add(l);
            known = true;
        }
        if (t instanceof HttpSessionIdListener l) {
            sessionIdListeners.add(l);
            known = true;
        }
        if (!known) {
            throw new IllegalArgumentException(t.getClass().getName() + " implements no listener interface a context accepts");
        }
    }

    @Override
    public void addListener(Class<? extends EventListener> listenerClass) {
        checkConfigurable();
        try {
            addListener(createListener(listenerClass));
        } catch (ServletException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    @Override
    public <T extends EventListener> T createListener(Class<T> clazz) throws ServletException {
        checkConfigurable();
        return newInstance(clazz);
    }

    @Override
    public JspConfigDescriptor getJspConfigDescriptor() {
        return jspConfig;
    }

    @Override
    public ClassLoader getClassLoader() {
        return classLoader;
    }

    @Override
    public void declareRoles(String... roleNames) {
        checkConfigurable();
        for (String r : roleNames) {
            if (r == null || r.isEmpty()) {
                throw new IllegalArgumentException("role name must not be empty");
            }
            declaredRoles.add(r);
        }
    }

    Set<String> declaredRoles() {
        return declaredRoles;
    }

    @Override
    public String getVirtualServerName() {
        return "weft";
    }

    @Override
    public int getSessionTimeout() {
        return sessions.timeoutMinutes();
    }

    @Override
    public void setSessionTimeout(int sessionTimeout) {
        checkConfigurable();
        sessions.setTimeoutMinutes(sessionTimeout);
    }

    @Override
    public String getRequestCharacterEncoding() {
        return requestCharacterEncoding;
    }

    @Override
    public void setRequestCharacterEncoding(String encoding) {
        checkConfigurable();
        this.requestCharacterEncoding = encoding;
    }

    @Override
    public String getResponseCharacterEncoding() {
        return responseCharacterEncoding;
    }

    @Override
    public void setResponseCharacterEncoding(String encoding) {
        checkConfigurable();
        this.responseCharacterEncoding = encoding;
    }

    @Override
    public String toString() {
        return name();
    }
}
