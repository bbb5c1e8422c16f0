package dev.weft.servlet;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The Common Annotations life-cycle methods of a class the container instantiates (Servlet 6.1
 * §15.5.8 and §15.5.9): {@code @PostConstruct} after construction and before the object is used,
 * {@code @PreDestroy} when the container takes it out of service. Superclass methods run first; a
 * method overridden in a subclass runs only as the subclass declares it, annotated or not.
 */
final class LifecycleCallbacks {
    record Methods(List<Method> postConstruct, List<Method> preDestroy) {
        boolean none() {
            return postConstruct.isEmpty() && preDestroy.isEmpty();
        }
    }

    // Kept with the class itself, so an application's classes stay collectable after undeploy.
    private static final ClassValue<Methods> METHODS = new ClassValue<>() {
        @Override
        protected Methods computeValue(Class<?> type) {
            return find(type);
        }
    };

    private LifecycleCallbacks() {}

    static Methods of(Class<?> type) {
        return METHODS.get(type);
    }

    static void postConstruct(Object o) throws Throwable {
        invoke(o, of(o.getClass()).postConstruct());
    }

    static void preDestroy(Object o) throws Throwable {
        invoke(o, of(o.getClass()).preDestroy());
    }

    private static void invoke(Object o, List<Method> methods) throws Throwable {
        for (Method m : methods) {
            try {
                m.invoke(o);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }
    }

    private static Methods find(Class<?> type) {
        List<Class<?>> chain = new ArrayList<>();
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            chain.add(0, c);
        }
        // Names of no-argument methods that a subclass overrides: the superclass's version never runs.
        List<Method> post = new ArrayList<>();
        List<Method> pre = new ArrayList<>();
        for (int i = 0; i < chain.size(); i++) {
            Set<String> overridden = new HashSet<>();
            for (Class<?> sub : chain.subList(i + 1, chain.size())) {
                for (Method m : sub.getDeclaredMethods()) {
                    if (m.getParameterCount() == 0 && !Modifier.isPrivate(m.getModifiers())) {
                        overridden.add(m.getName());
                    }
                }
            }
            for (Method m : chain.get(i).getDeclaredMethods()) {
                boolean isPost = m.isAnnotationPresent(PostConstruct.class);
                boolean isPre = m.isAnnotationPresent(PreDestroy.class);
                if (!isPost && !isPre) {
                    continue;
                }
                if (m.getParameterCount() != 0 || Modifier.isStatic(m.getModifiers())) {
                    throw new IllegalArgumentException(chain.get(i).getName() + "." + m.getName()
                            + ": a @PostConstruct or @PreDestroy method takes no arguments and is not static");
                }
                if (!Modifier.isPrivate(m.getModifiers()) && overridden.contains(m.getName())) {
                    continue;
                }
                m.setAccessible(true);
                (isPost ? post : pre).add(m);
            }
        }
        return new Methods(List.copyOf(post), List.copyOf(pre));
    }
}
