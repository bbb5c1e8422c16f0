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
    record Methods(List<Method> postConstruct, List<Method> preDestroy) {}

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
        // From the class up to its topmost superclass, so each class's callbacks go in front of its
        // subclasses' and a method a subclass overrides is already known to be overridden.
        List<Method> post = new ArrayList<>();
        List<Method> pre = new ArrayList<>();
        Set<String> overridden = new HashSet<>(); // non-private no-argument methods of the subclasses seen
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            List<Method> ownPost = new ArrayList<>();
            List<Method> ownPre = new ArrayList<>();
            for (Method m : c.getDeclaredMethods()) {
                boolean isPost = m.isAnnotationPresent(PostConstruct.class);
                boolean isPre = m.isAnnotationPresent(PreDestroy.class);
                if ((isPost || isPre) && (m.getParameterCount() != 0 || Modifier.isStatic(m.getModifiers()))) {
                    throw new IllegalArgumentException(c.getName() + "." + m.getName()
                            + ": a @PostConstruct or @PreDestroy method takes no arguments and is not static");
                }
                if ((isPost || isPre) && (Modifier.isPrivate(m.getModifiers()) || !overridden.contains(m.getName()))) {
                    m.setAccessible(true);
                    (isPost ? ownPost : ownPre).add(m);
                }
            }
            for (Method m : c.getDeclaredMethods()) {
                if (m.getParameterCount() == 0 && !Modifier.isPrivate(m.getModifiers())) {
                    overridden.add(m.getName());
                }
            }
            post.addAll(0, ownPost);
            pre.addAll(0, ownPre);
        }
        return new Methods(List.copyOf(post), List.copyOf(pre));
    }
}
