package dev.weft.server;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.util.function.IntConsumer;

/**
 * SIGTERM and SIGINT through {@code sun.misc.Signal}, the JDK's only signal API (module
 * {@code jdk.unsupported}, exported to every application). It is reached by reflection so the
 * build stays free of javac's warnings about internal APIs; when it is missing, or the JVM runs
 * with {@code -Xrs}, the JVM's own handling applies and shutdown hooks still stop the server.
 */
final class Signals {
    private Signals() {}

    /** The conventional numbers, for the 128 + N exit status of a stop that could not wait. */
    static int number(String name) {
        return switch (name) {
            case "INT" -> 2;
            case "TERM" -> 15;
            default -> 0;
        };
    }

    /**
     * Calls {@code handler} with the signal's number each time {@code name} arrives, on a thread
     * the JDK starts for it. Returns false when the signal cannot be handled here.
     */
    static boolean handle(String name, IntConsumer handler) {
        try {
            Class<?> signalClass = Class.forName("sun.misc.Signal");
            Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
            int number = number(name);
            InvocationHandler ih = (proxy, method, args) -> switch (method.getName()) {
                case "handle" -> {
                    handler.accept(number);
                    yield null;
                }
                case "equals" -> proxy == args[0];
                case "hashCode" -> System.identityHashCode(proxy);
                default -> "weft handler for SIG" + name;
            };
            Object proxy = Proxy.newProxyInstance(Signals.class.getClassLoader(), new Class<?>[] {handlerClass}, ih);
            Object signal = signalClass.getConstructor(String.class).newInstance(name);
            signalClass.getMethod("handle", signalClass, handlerClass).invoke(null, signal, proxy);
            return true;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return false;
        }
    }
}
