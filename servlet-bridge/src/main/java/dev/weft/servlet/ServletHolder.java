package dev.weft.servlet;

import jakarta.servlet.MultipartConfigElement;
import jakarta.servlet.Servlet;
import jakarta.servlet.ServletConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.ServletSecurityElement;
import jakarta.servlet.UnavailableException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One registered servlet: its registration (what {@link ServletContext#addServlet} returns), its
 * {@link ServletConfig}, and its life: created and initialised once, on startup when it has a
 * load-on-startup value, else on its first request; destroyed when the application stops.
 */
final class ServletHolder implements ServletRegistration.Dynamic, ServletConfig {
    private final WebApp app;
    private final String name;
    private String className;
    private Class<? extends Servlet> servletClass;
    private Servlet instance;
    private final Map<String, String> initParams = new LinkedHashMap<>();
    private final List<String> mappings = new ArrayList<>();
    private int loadOnStartup = -1;
    private boolean asyncSupported;
    private MultipartConfigElement multipartConfig;
    private ServletSecurityElement securityElement;
    private String runAsRole;
    private final Map<String, String> roleRefs = new java.util.HashMap<>();
    final int order; // registration order, to break load-on-startup ties

    private final ReentrantLock initLock = new ReentrantLock(); // init() may block: no monitor
    private volatile boolean initialized;
    private volatile long unavailableUntil; // 0 available, -1 permanently unavailable, else millis

    ServletHolder(WebApp app, String name, int order) {
        this.app = app;
        this.name = name;
        this.order = order;
    }

    ServletHolder className(String className) {
        this.className = className;
        return this;
    }

    ServletHolder servletClass(Class<? extends Servlet> c) {
        this.servletClass = c;
        this.className = c.getName();
        readAnnotations(c);
        return this;
    }

    ServletHolder instance(Servlet s) {
        this.instance = s;
        this.className = s.getClass().getName();
        readAnnotations(s.getClass());
        return this;
    }

    /**
     * A servlet added in code still declares its multipart configuration and security with
     * annotations on its class (§8.1.5, §13.4), unless set explicitly.
     */
    private void readAnnotations(Class<?> c) {
        jakarta.servlet.annotation.MultipartConfig mc = c.getAnnotation(jakarta.servlet.annotation.MultipartConfig.class);
        if (mc != null && multipartConfig == null) {
            multipartConfig = new MultipartConfigElement(mc);
        }
        jakarta.servlet.annotation.ServletSecurity ss = c.getAnnotation(jakarta.servlet.annotation.ServletSecurity.class);
        if (ss != null && securityElement == null) {
            securityElement = new ServletSecurityElement(ss);
        }
    }

    /** Whether a class or instance has been given; a preliminary registration from a descriptor may lack one. */
    boolean isComplete() {
        return className != null || instance != null;
    }

    /** The initialised servlet, creating and initialising it on first use. */
    Servlet servlet() throws ServletException {
        long until = unavailableUntil;
        if (until != 0) {
            if (until < 0) {
                throw new UnavailableException("servlet " + name + " is permanently unavailable");
            }
            if (System.currentTimeMillis() < until) {
                throw new UnavailableException("servlet " + name + " is unavailable",
                        (int) Math.max(1, (until - System.currentTimeMillis()) / 1000));
            }
            unavailableUntil = 0;
        }
        if (initialized) {
            return instance;
        }
        initLock.lock();
        try {
            if (!initialized) {
                init();
            }
            return instance;
        } finally {
            initLock.unlock();
        }
    }

    private void init() throws ServletException {
        ClassLoader previous = app.enterClassLoader();
        try {
            if (instance == null) {
                instance = app.newInstance(loadClass());
            }
            instance.init(this);
            initialized = true;
            app.servletInitialized(this);
        } catch (UnavailableException e) {
            unavailableUntil = e.isPermanent() ? -1 : System.currentTimeMillis() + 1000L * Math.max(1, e.getUnavailableSeconds());
            throw e;
        } finally {
            app.leaveClassLoader(previous);
        }
    }

    @SuppressWarnings("unchecked")
    private Class<? extends Servlet> loadClass() throws ServletException {
        if (servletClass != null) {
            return servletClass;
        }
        try {
            Class<?> c = Class.forName(className, true, app.getClassLoader());
            if (!Servlet.class.isAssignableFrom(c)) {
                throw new ServletException("class " + className + " of servlet " + name + " is not a Servlet");
            }
            servletClass = (Class<? extends Servlet>) c;
            return servletClass;
        } catch (ClassNotFoundException e) {
            throw new ServletException("class " + className + " of servlet " + name + " not found", e);
        }
    }

    /** Marks the servlet unavailable after it threw {@link UnavailableException} from service(). */
    void unavailable(UnavailableException e) {
        if (e.isPermanent()) {
            unavailableUntil = -1;
            destroy();
        } else {
            unavailableUntil = System.currentTimeMillis() + 1000L * Math.max(1, e.getUnavailableSeconds());
        }
    }

    boolean isInitialized() {
        return initialized;
    }

    void destroy() {
        initLock.lock();
        try {
            if (!initialized) {
                return;
            }
            initialized = false;
            ClassLoader previous = app.enterClassLoader();
            try {
                instance.destroy();
            } catch (RuntimeException e) {
                app.log("servlet " + name + " failed in destroy()", e);
            } finally {
                app.leaveClassLoader(previous);
            }
        } finally {
            initLock.unlock();
        }
    }

    int loadOnStartup() {
        return loadOnStartup;
    }

    boolean asyncSupported() {
        return asyncSupported;
    }

    MultipartConfigElement multipartConfig() {
        return multipartConfig;
    }

    ServletSecurityElement securityElement() {
        return securityElement;
    }

    List<String> mappings() {
        return mappings;
    }

    /** security-role-ref: role names used in the servlet's code, to the application's roles. */
    Map<String, String> roleRefs() {
        return roleRefs;
    }

    // ServletRegistration.Dynamic

    @Override
    public String getName() {
        return name;
    }

    @Override
    public String getClassName() {
        return className;
    }

    @Override
    public boolean setInitParameter(String name, String value) {
        if (name == null || value == null) {
            throw new IllegalArgumentException("init parameter name and value must not be null");
        }
        app.checkConfigurable();
        return initParams.putIfAbsent(name, value) == null;
    }

    @Override
    public String getInitParameter(String name) {
        return initParams.get(name);
    }

    @Override
    public Set<String> setInitParameters(Map<String, String> params) {
        app.checkConfigurable();
        Set<String> conflicts = new HashSet<>();
        for (Map.Entry<String, String> e : params.entrySet()) {
            if (e.getKey() == null || e.getValue() == null) {
                throw new IllegalArgumentException("init parameter name and value must not be null");
            }
            if (initParams.containsKey(e.getKey())) {
                conflicts.add(e.getKey());
            }
        }
        if (conflicts.isEmpty()) {
            initParams.putAll(params);
        }
        return conflicts;
    }

    @Override
    public Map<String, String> getInitParameters() {
        return Collections.unmodifiableMap(initParams);
    }

    @Override
    public Set<String> addMapping(String... urlPatterns) {
        if (urlPatterns == null || urlPatterns.length == 0) {
            throw new IllegalArgumentException("no url-pattern given");
        }
        app.checkConfigurable();
        Set<String> conflicts = new HashSet<>();
        for (String p : urlPatterns) {
            Objects.requireNonNull(p, "url-pattern");
            if (!ServletMapper.isValidPattern(p)) {
                throw new IllegalArgumentException("invalid url-pattern \"" + p + "\" for servlet " + name);
            }
            ServletHolder other = app.servletMappedTo(p);
            if (other != null && other != this) {
                conflicts.add(p);
            }
        }
        if (conflicts.isEmpty()) {
            for (String p : urlPatterns) {
                if (!mappings.contains(p)) {
                    mappings.add(p);
                }
            }
            app.mappingsChanged();
        }
        return conflicts;
    }

    @Override
    public Collection<String> getMappings() {
        return List.copyOf(mappings);
    }

    @Override
    public String getRunAsRole() {
        return runAsRole;
    }

    @Override
    public void setLoadOnStartup(int loadOnStartup) {
        app.checkConfigurable();
        this.loadOnStartup = loadOnStartup;
    }

    @Override
    public Set<String> setServletSecurity(ServletSecurityElement constraint) {
        if (constraint == null) {
            throw new IllegalArgumentException("constraint must not be null");
        }
        app.checkConfigurable();
        this.securityElement = constraint;
        // Patterns the descriptor constrains keep those constraints; say which (§4.4.1.7).
        Set<String> kept = new HashSet<>(mappings);
        kept.retainAll(app.constrainedPatterns());
        return kept;
    }

    @Override
    public void setMultipartConfig(MultipartConfigElement config) {
        if (config == null) {
            throw new IllegalArgumentException("multipart config must not be null");
        }
        app.checkConfigurable();
        this.multipartConfig = config;
    }

    @Override
    public void setRunAsRole(String roleName) {
        app.checkConfigurable();
        this.runAsRole = roleName;
    }

    @Override
    public void setAsyncSupported(boolean isAsyncSupported) {
        app.checkConfigurable();
        this.asyncSupported = isAsyncSupported;
    }

    // ServletConfig

    @Override
    public String getServletName() {
        return name;
    }

    @Override
    public ServletContext getServletContext() {
        return app;
    }

    @Override
    public Enumeration<String> getInitParameterNames() {
        return Collections.enumeration(initParams.keySet());
    }

    @Override
    public String toString() {
        return "servlet " + name + " (" + className + ")";
    }
}
