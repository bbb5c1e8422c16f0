package dev.weft.servlet;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** One registered filter: its registration, its {@link FilterConfig}, and its life. */
final class FilterHolder implements FilterRegistration.Dynamic, FilterConfig {
    private final WebApp app;
    private final String name;
    private String className;
    private Class<? extends Filter> filterClass;
    private Filter instance;
    private final Map<String, String> initParams = new LinkedHashMap<>();
    private boolean asyncSupported;
    private boolean initialized;

    FilterHolder(WebApp app, String name) {
        this.app = app;
        this.name = name;
    }

    FilterHolder className(String className) {
        this.className = className;
        return this;
    }

    FilterHolder filterClass(Class<? extends Filter> c) {
        this.filterClass = c;
        this.className = c.getName();
        return this;
    }

    FilterHolder instance(Filter f) {
        this.instance = f;
        this.className = f.getClass().getName();
        return this;
    }

    boolean isComplete() {
        return className != null || instance != null;
    }

    /** Filters are created and initialised when the application starts, before any request. */
    @SuppressWarnings("unchecked")
    void init() throws ServletException {
        if (initialized) {
            return;
        }
        if (instance == null) {
            Class<? extends Filter> c = filterClass;
            if (c == null) {
                try {
                    Class<?> loaded = Class.forName(className, true, app.getClassLoader());
                    if (!Filter.class.isAssignableFrom(loaded)) {
                        throw new ServletException("class " + className + " of filter " + name + " is not a Filter");
                    }
                    c = (Class<? extends Filter>) loaded;
                } catch (ClassNotFoundException e) {
                    throw new ServletException("class " + className + " of filter " + name + " not found", e);
                }
            }
            instance = app.newInstance(c);
        }
        instance.init(this);
        initialized = true;
    }

    Filter filter() {
        return instance;
    }

    boolean asyncSupported() {
        return asyncSupported;
    }

    void destroy() {
        if (initialized) {
            initialized = false;
            try {
                instance.destroy();
            } catch (RuntimeException e) {
                app.log("filter " + name + " failed in destroy()", e);
            }
        }
    }

    @Override
    public void addMappingForServletNames(EnumSet<DispatcherType> dispatcherTypes, boolean isMatchAfter,
            String... servletNames) {
        if (servletNames == null || servletNames.length == 0) {
            throw new IllegalArgumentException("no servlet name given");
        }
        app.checkConfigurable();
        app.addFilterMapping(new FilterMapping(this, dispatchers(dispatcherTypes), List.of(), List.of(servletNames)),
                isMatchAfter);
    }

    @Override
    public Collection<String> getServletNameMappings() {
        List<String> names = new ArrayList<>();
        for (FilterMapping m : app.filterMappings()) {
            if (m.holder() == this) {
                names.addAll(m.servletNames());
            }
        }
        return names;
    }

    @Override
    public void addMappingForUrlPatterns(EnumSet<DispatcherType> dispatcherTypes, boolean isMatchAfter,
            String... urlPatterns) {
        if (urlPatterns == null || urlPatterns.length == 0) {
            throw new IllegalArgumentException("no url-pattern given");
        }
        for (String p : urlPatterns) {
            if (p == null || !ServletMapper.isValidPattern(p)) {
                throw new IllegalArgumentException("invalid url-pattern \"" + p + "\" for filter " + name);
            }
        }
        app.checkConfigurable();
        app.addFilterMapping(new FilterMapping(this, dispatchers(dispatcherTypes), List.of(urlPatterns), List.of()),
                isMatchAfter);
    }

    @Override
    public Collection<String> getUrlPatternMappings() {
        List<String> patterns = new ArrayList<>();
        for (FilterMapping m : app.filterMappings()) {
            if (m.holder() == this) {
                patterns.addAll(m.urlPatterns());
            }
        }
        return patterns;
    }

    private static Set<DispatcherType> dispatchers(EnumSet<DispatcherType> types) {
        return types == null || types.isEmpty() ? EnumSet.of(DispatcherType.REQUEST) : EnumSet.copyOf(types);
    }

    @Override
    public void setAsyncSupported(boolean isAsyncSupported) {
        app.checkConfigurable();
        this.asyncSupported = isAsyncSupported;
    }

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
    public String getFilterName() {
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

    /** A filter's mapping: url patterns or servlet names, for some dispatcher types. */
    record FilterMapping(FilterHolder holder, Set<DispatcherType> dispatcherTypes, List<String> urlPatterns,
            List<String> servletNames) {

        boolean appliesTo(DispatcherType type) {
            return dispatcherTypes.contains(type);
        }

        boolean matchesPath(String path, Mapping mapping) {
            for (String p : urlPatterns) {
                if (ServletMapper.filterMatches(p, path, mapping)) {
                    return true;
                }
            }
            return false;
        }

        boolean matchesServlet(String servletName) {
            return servletNames.contains(servletName) || (servletNames.contains("*") && servletName != null);
        }
    }
}
