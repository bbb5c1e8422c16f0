package dev.weft.server;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import javax.management.InstanceAlreadyExistsException;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MBeans one server registers in the platform MBean server, and takes away again when it
 * stops. Names follow the JMX convention of a domain and a {@code type} key:
 * {@code dev.weft:type=Server} and {@code dev.weft:type=WebApp,context=/shop}.
 *
 * <p>Registration runs on a thread of its own, in order: creating the platform MBean server
 * takes a few hundred milliseconds that startup need not wait for. {@link #close()} waits for
 * everything queued, so nothing registered outlives the server.
 */
final class Jmx implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger("weft");
    static final String DOMAIN = "dev.weft";

    private final ExecutorService worker; // null when JMX is off
    private final List<ObjectName> registered = new ArrayList<>(); // the worker's own

    Jmx(boolean enabled) {
        this.worker = enabled
                ? Executors.newSingleThreadExecutor(Thread.ofPlatform().name("weft-jmx").daemon().factory())
                : null;
        if (worker != null) {
            run(ManagementFactory::getPlatformMBeanServer); // start the slow part now
        }
    }

    static ObjectName serverName() {
        return name("type=Server");
    }

    /** The name of the application at {@code contextPath} ({@code ""} or {@code /} for the root). */
    static ObjectName webAppName(String contextPath) {
        String path = contextPath.isEmpty() ? "/" : contextPath;
        // Context paths may hold characters that ObjectName reserves; quote those.
        boolean plain = path.chars().noneMatch(c -> ",=:\"*?\\\n".indexOf(c) >= 0);
        return name("type=WebApp,context=" + (plain ? path : ObjectName.quote(path)));
    }

    private static ObjectName name(String keys) {
        try {
            return new ObjectName(DOMAIN + ":" + keys);
        } catch (MalformedObjectNameException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** Registers {@code bean}; another server in this JVM holding the name keeps it, with a warning. */
    void register(ObjectName name, Object bean) {
        run(() -> {
            MBeanServer mbs = ManagementFactory.getPlatformMBeanServer();
            try {
                mbs.registerMBean(bean, name);
                registered.add(name);
            } catch (InstanceAlreadyExistsException e) {
                log.warn("JMX: {} is registered already (another server in this JVM); not registering it again", name);
            } catch (JMException e) {
                log.warn("JMX: cannot register {}: {}", name, e.toString());
            }
        });
    }

    void unregister(ObjectName name) {
        run(() -> unregisterNow(name));
    }

    private void unregisterNow(ObjectName name) {
        if (!registered.remove(name)) {
            return;
        }
        try {
            ManagementFactory.getPlatformMBeanServer().unregisterMBean(name);
        } catch (InstanceNotFoundException e) {
            // gone already
        } catch (JMException e) {
            log.warn("JMX: cannot unregister {}: {}", name, e.toString());
        }
    }

    /** Waits until everything asked so far is done (tests read the MBeans after this). */
    void awaitRegistrations() throws InterruptedException {
        if (worker == null) {
            return;
        }
        try {
            worker.submit(() -> { }).get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException
                | RejectedExecutionException e) {
            log.warn("JMX: registrations not done: {}", e.toString());
        }
    }

    /** Unregisters every MBean registered here and stops the worker, waiting up to 10 s. */
    @Override
    public void close() {
        if (worker == null) {
            return;
        }
        run(() -> {
            for (ObjectName n : List.copyOf(registered)) {
                unregisterNow(n);
            }
        });
        worker.shutdown();
        try {
            if (!worker.awaitTermination(10, TimeUnit.SECONDS)) {
                log.warn("JMX: unregistering took more than 10 s; leaving it");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run(Runnable task) {
        if (worker == null) {
            return;
        }
        try {
            worker.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException | Error e) {
                    log.warn("JMX: {}", e.toString());
                }
            });
        } catch (RejectedExecutionException e) {
            // closed: the server has stopped, and so has its JMX
        }
    }
}
