package dev.weft.deploy;

import dev.weft.servlet.WebApp;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves a {@code webapps} folder, as Tomcat's {@code appBase} with {@code autoDeploy}: every
 * {@code name.war} and exploded {@code name/} folder in it runs at the context path its name gives
 * ({@link Deployer#contextPathFor}: {@code ROOT} at {@code /}, {@code ##version} left out of the
 * path, {@code a#b} at {@code /a/b}). {@link #start()} deploys what is there; from then on the
 * folder is polled: a new WAR or folder is deployed, a changed WAR (or an exploded application's
 * changed {@code WEB-INF/web.xml}) is redeployed, a removed one is undeployed.
 *
 * <p>Polling rather than a {@code WatchService}: the watch service polls anyway on macOS, misses
 * changes on network and container bind-mounted file systems, drops events on overflow and has to
 * be re-registered when the folder is recreated; and even with events, whether a file has finished
 * arriving can only be told by looking at it again later. Listing one folder once a second costs
 * nothing.
 *
 * <p>Nothing is deployed half copied: a change is acted on only once the WAR's size, modification
 * time and identity (for a folder: the count, size and latest modification time of its files) have
 * stayed the same for {@link #stablePolls(int) N} polls in a row, and a WAR only once it opens as a
 * zip (its central directory is written last). A WAR that stays unreadable is reported once and
 * otherwise treated as still arriving: what runs at its path keeps running.
 *
 * <p>When both {@code x.war} and {@code x/} are there, the WAR wins: the folder is then most likely
 * the WAR unpacked by another tool, and one context path can run one application. When two
 * versions of one path are there ({@code x##1.war}, {@code x##2.war}), the highest version runs.
 *
 * <p>Redeploying undeploys the old version first, then deploys the new one; if the new one fails
 * its path answers 404 and the failure is reported, as in Tomcat. Running both at once is not
 * possible here: a context path holds one application, and the {@link Deployer} unpacks a path's
 * WAR into that path's own work folder. A failed WAR is not retried until it changes. One WAR
 * failing never stops the others.
 *
 * <p>Thread-safe: scans, {@link #deployments()} and {@link #close()} take one lock; deploys run on
 * the watcher's thread (or the thread calling {@link #start()}), one at a time.
 */
public final class WebAppsFolder implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WebAppsFolder.class);

    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(1);
    public static final int DEFAULT_STABLE_POLLS = 2;
    /** Written by {@link WarUnpacker} into the folders it unpacks to. */
    private static final String UNPACKED_STAMP = WarUnpacker.STAMP;
    /** The most a walk over a new exploded folder looks at, so a huge folder cannot stall the watcher. */
    private static final int MAX_FILES_WALKED = 100_000;

    /** What happens in the folder, told as it happens; called with the folder's lock held. */
    public interface Events {
        default void deployed(Deployment d) {}

        default void undeployed(Deployment d) {}

        /** {@code source} could not be deployed at {@code contextPath} ({@code ""} for the root). */
        default void failed(Path source, String contextPath, DeploymentException e) {}
    }

    private final Deployer deployer;
    private final Path folder;
    private final Path workDir;
    private final ReentrantLock lock = new ReentrantLock();
    /** By context path: what runs there, or what failed to. */
    private final Map<String, Entry> entries = new HashMap<>();
    /** By context path: a change seen, waiting to hold still. */
    private final Map<String, Pending> pending = new HashMap<>();
    private final AtomicLong scans = new AtomicLong();
    private Duration pollInterval = DEFAULT_POLL_INTERVAL;
    private int stablePolls = DEFAULT_STABLE_POLLS;
    private Events events = new Events() {};
    private ScheduledExecutorService watcher;
    private volatile Thread watcherThread;
    private boolean started;
    private boolean closed;
    private boolean unreadableReported;

    /**
     * @param deployer deploys on its handler, unpacking WARs into its work folder; that folder, if
     *     it is in {@code folder}, is not served
     * @param folder the folder to serve
     */
    public WebAppsFolder(Deployer deployer, Path folder) {
        this.deployer = Objects.requireNonNull(deployer, "deployer");
        this.folder = folder.toAbsolutePath().normalize();
        this.workDir = deployer.unpackFolder("").toAbsolutePath().normalize().getParent();
    }

    /** How often the folder is looked at; {@link #DEFAULT_POLL_INTERVAL} unless set. */
    public WebAppsFolder pollInterval(Duration interval) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("poll interval must be positive: " + interval);
        }
        configure(() -> this.pollInterval = interval);
        return this;
    }

    /** How many polls in a row a change must be seen unchanged before it is acted on. */
    public WebAppsFolder stablePolls(int polls) {
        if (polls < 1) {
            throw new IllegalArgumentException("stable polls must be at least 1: " + polls);
        }
        configure(() -> this.stablePolls = polls);
        return this;
    }

    /** Who hears of deploys, undeploys and failures (besides the log). */
    public WebAppsFolder events(Events events) {
        Objects.requireNonNull(events, "events");
        configure(() -> this.events = events);
        return this;
    }

    private void configure(Runnable change) {
        lock.lock();
        try {
            if (started) {
                throw new IllegalStateException("already started");
            }
            change.run();
        } finally {
            lock.unlock();
        }
    }

    public Path folder() {
        return folder;
    }

    /**
     * Deploys everything in the folder now (a WAR that does not open as a zip yet is left to the
     * watcher), then starts watching. A failing application is reported, not thrown.
     */
    public WebAppsFolder start() {
        lock.lock();
        try {
            if (started || closed) {
                throw new IllegalStateException(closed ? "closed" : "already started");
            }
            started = true;
            scanLocked(1);
            if (closed) {
                return this;
            }
            // A platform thread: deploys do file I/O and run application code that may pin a
            // carrier. Daemon, so an application that forgets close() can still exit.
            java.util.concurrent.ThreadFactory threads =
                    Thread.ofPlatform().name("weft-webapps " + folder.getFileName()).daemon().factory();
            watcher = Executors.newSingleThreadScheduledExecutor(task -> {
                Thread t = threads.newThread(task);
                // Not the starter's: started from within an application, the thread would keep that
                // application's class loader for as long as it runs.
                t.setContextClassLoader(WebAppsFolder.class.getClassLoader());
                watcherThread = t;
                return t;
            });
            long nanos = pollInterval.toNanos();
            watcher.scheduleWithFixedDelay(this::poll, nanos, nanos, TimeUnit.NANOSECONDS);
        } finally {
            lock.unlock();
        }
        log.info("Watching {} for applications (every {} ms)", folder, pollInterval.toMillis());
        return this;
    }

    /** The applications running from the folder, failed ones left out. */
    public List<Deployment> deployments() {
        lock.lock();
        try {
            List<Deployment> all = new ArrayList<>();
            for (Entry e : entries.values()) {
                if (e.deployment != null) {
                    all.add(e.deployment);
                }
            }
            all.sort(java.util.Comparator.comparing(d -> d.app().getContextPath()));
            return all;
        } finally {
            lock.unlock();
        }
    }

    /** How many times the folder has been looked at; tests wait on it. */
    long scans() {
        return scans.get();
    }

    /** Stops watching; what runs keeps running. Waits for a deploy in progress to finish. */
    public void stopWatching() {
        ScheduledExecutorService w;
        lock.lock();
        try {
            closed = true;
            w = watcher;
            watcher = null;
        } finally {
            lock.unlock();
        }
        if (w == null) {
            return;
        }
        if (Thread.currentThread() == watcherThread) {
            w.shutdown(); // called from an event: the scan under way is this very call's caller
            return;
        }
        // Not shutdownNow: interrupting a deploy would close the NIO channels it is reading.
        w.shutdown();
        try {
            if (!w.awaitTermination(5, TimeUnit.MINUTES)) {
                log.warn("a deploy in {} is still running after 5 minutes; not waiting for it", folder);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops watching and undeploys everything the folder deployed. */
    @Override
    public void close() {
        stopWatching();
        lock.lock();
        try {
            for (Entry e : List.copyOf(entries.values())) {
                undeploy(e, false);
            }
            entries.clear();
            pending.clear();
        } finally {
            lock.unlock();
        }
    }

    private void poll() {
        lock.lock();
        try {
            if (!closed) {
                scanLocked(stablePolls);
            }
        } catch (Throwable t) {
            // Thrown out of here, it would cancel every later poll.
            log.error("watching {} failed; trying again at the next poll", folder, t);
        } finally {
            lock.unlock();
        }
    }

    // ---- One look at the folder ----

    /** A WAR or folder that is, or may become, what runs at a context path. */
    private record Candidate(Path path, boolean war, String contextPath, Object signature) {}

    /** What runs at a context path, or failed to: from which source, as it was then. */
    private static final class Entry {
        final Path source;
        final Object signature;
        final Deployment deployment; // null when deploying failed

        Entry(Path source, Object signature, Deployment deployment) {
            this.source = source;
            this.signature = signature;
            this.deployment = deployment;
        }
    }

    /** A change on its way: how long its source has looked the same. */
    private static final class Pending {
        final Path source;
        final Object stability;
        int polls = 1;
        boolean reportedUnreadable;

        Pending(Path source, Object stability) {
            this.source = source;
            this.stability = stability;
        }
    }

    /** @param needed how many looks in a row a change must hold still for; 1 acts at once */
    private void scanLocked(int needed) {
        scans.incrementAndGet();
        Map<String, Candidate> found = candidates();
        if (found == null) {
            return; // unreadable folder: change nothing rather than undeploy everything
        }
        for (Map.Entry<String, Entry> e : List.copyOf(entries.entrySet())) {
            if (!found.containsKey(e.getKey())) {
                entries.remove(e.getKey());
                pending.remove(e.getKey());
                undeploy(e.getValue(), true);
            }
        }
        pending.keySet().retainAll(found.keySet());
        List<Candidate> ordered = new ArrayList<>(found.values());
        ordered.sort(java.util.Comparator.comparing(Candidate::contextPath));
        for (Candidate c : ordered) {
            if (closed) {
                return; // closed by an event listener during this very scan
            }
            Entry current = entries.get(c.contextPath());
            if (current != null && current.source.equals(c.path()) && current.signature.equals(c.signature())) {
                pending.remove(c.contextPath());
                continue;
            }
            Object stability = c.war() ? c.signature() : treeSignature(c.path());
            Pending p = pending.get(c.contextPath());
            if (p == null || !p.source.equals(c.path()) || !p.stability.equals(stability)) {
                p = new Pending(c.path(), stability);
                pending.put(c.contextPath(), p);
            } else {
                p.polls++;
            }
            if (p.polls < needed) {
                continue;
            }
            if (c.war()) {
                String unreadable = zipProblem(c.path());
                if (unreadable != null) {
                    if (!p.reportedUnreadable) {
                        p.reportedUnreadable = true;
                        DeploymentException e = new DeploymentException(c.path().getFileName()
                                + ": not a readable WAR (" + unreadable + "); waiting for it to change", null);
                        log.warn("{}", e.getMessage());
                        tell(() -> events.failed(c.path(), c.contextPath(), e));
                    }
                    continue;
                }
            }
            pending.remove(c.contextPath());
            deploy(c, current);
        }
    }

    /** The folder's WARs and folders by context path, one each; null when the folder cannot be read. */
    private Map<String, Candidate> candidates() {
        Map<String, Candidate> found = new HashMap<>();
        try (DirectoryStream<Path> list = Files.newDirectoryStream(folder)) {
            for (Path p : list) {
                String name = p.getFileName().toString();
                if (name.startsWith(".")) {
                    continue; // editors' and copy tools' temporary files
                }
                BasicFileAttributes a;
                try {
                    a = Files.readAttributes(p, BasicFileAttributes.class);
                } catch (IOException gone) {
                    continue;
                }
                boolean war = a.isRegularFile() && name.length() > 4 && name.toLowerCase(Locale.ROOT).endsWith(".war");
                if (!war && !(a.isDirectory() && !p.equals(workDir)
                        && !Files.exists(p.resolve(UNPACKED_STAMP), LinkOption.NOFOLLOW_LINKS))) {
                    // Other files; and the Deployer's work folder, or its unpacked copies, if they are in
                    // here: served, they would run every WAR twice and show its WEB-INF to the world.
                    continue;
                }
                Object signature = war ? new FileSignature(a) : webXmlSignature(p);
                Candidate c = new Candidate(p, war, Deployer.contextPathFor(p), signature);
                found.merge(c.contextPath(), c, WebAppsFolder::preferred);
            }
            unreadableReported = false;
        } catch (IOException e) {
            if (!unreadableReported) {
                unreadableReported = true;
                log.error("cannot read {}: {}; leaving its applications as they are", folder, e.toString());
            }
            return null;
        }
        return found;
    }

    /** Of two sources for one context path: a WAR over a folder, then the higher version. */
    private static Candidate preferred(Candidate a, Candidate b) {
        if (a.war() != b.war()) {
            return a.war() ? a : b;
        }
        return compareVersions(version(a.path()), version(b.path())) >= 0 ? a : b;
    }

    private static String version(Path p) {
        String name = p.getFileName().toString();
        int v = name.indexOf("##");
        if (v < 0) {
            return "";
        }
        String version = name.substring(v + 2);
        return version.toLowerCase(Locale.ROOT).endsWith(".war") ? version.substring(0, version.length() - 4) : version;
    }

    /** Versions as people number them: digit runs by value, so 10 comes after 9; no version is the lowest. */
    static int compareVersions(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            char x = a.charAt(i);
            char y = b.charAt(j);
            if (Character.isDigit(x) && Character.isDigit(y)) {
                int ei = i;
                while (ei < a.length() && Character.isDigit(a.charAt(ei))) {
                    ei++;
                }
                int ej = j;
                while (ej < b.length() && Character.isDigit(b.charAt(ej))) {
                    ej++;
                }
                java.math.BigInteger nx = new java.math.BigInteger(a.substring(i, ei));
                java.math.BigInteger ny = new java.math.BigInteger(b.substring(j, ej));
                int c = nx.compareTo(ny);
                if (c != 0) {
                    return c;
                }
                i = ei;
                j = ej;
            } else {
                if (x != y) {
                    return Character.compare(x, y);
                }
                i++;
                j++;
            }
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }

    /**
     * Size, modification time and identity: a copy tool may keep the size and time (cp -p), but
     * replacing the file by a rename changes its identity.
     */
    private record FileSignature(long size, FileTime modified, Object key) {
        FileSignature(BasicFileAttributes a) {
            this(a.size(), a.lastModifiedTime(), a.fileKey());
        }
    }

    /** An exploded application is redeployed when its web.xml changes, as in Tomcat. */
    private static Object webXmlSignature(Path app) {
        try {
            return new FileSignature(Files.readAttributes(app.resolve("WEB-INF/web.xml"), BasicFileAttributes.class));
        } catch (IOException none) {
            return "no web.xml";
        }
    }

    /** How far along a folder being copied is: its files, their sizes, the latest change. */
    private record TreeSignature(long files, long bytes, long latestModified) {}

    private static Object treeSignature(Path dir) {
        long[] t = new long[3];
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.limit(MAX_FILES_WALKED).forEach(p -> {
                try {
                    BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                    t[0]++;
                    t[1] += a.size();
                    t[2] = Math.max(t[2], a.lastModifiedTime().toMillis());
                } catch (IOException vanished) {
                    t[0] += 1_000_000; // changing under us: not stable
                }
            });
        } catch (IOException | java.io.UncheckedIOException e) {
            return new Object(); // equal to nothing: not stable yet
        }
        return new TreeSignature(t[0], t[1], t[2]);
    }

    /** Why {@code war} does not open as a zip, or null if it does. */
    private static String zipProblem(Path war) {
        try (ZipFile zip = new ZipFile(war.toFile())) {
            return zip.size() == 0 ? "no entries" : null;
        } catch (IOException e) {
            return e.getMessage() == null ? e.toString() : e.getMessage();
        }
    }

    // ---- Deploying and undeploying ----

    private void deploy(Candidate c, Entry current) {
        String label = c.contextPath().isEmpty() ? "/" : c.contextPath();
        if (current != null) {
            entries.remove(c.contextPath());
            if (current.deployment != null) {
                log.info("Redeploying {}: {} changed", label, folder.relativize(c.path()));
            }
            undeploy(current, !Files.exists(current.source));
        }
        WebApp other = appAt(c.contextPath());
        if (other != null) {
            // Deploying would unpack over the folder the other application runs from.
            fail(c, new DeploymentException(c.path().getFileName() + ": context path " + label
                    + " is already in use by another application", null));
            return;
        }
        try {
            Deployment d = deployer.deploy(c.path(), c.contextPath());
            entries.put(c.contextPath(), new Entry(c.path(), c.signature(), d));
            tell(() -> events.deployed(d));
        } catch (DeploymentException e) {
            fail(c, e);
        } catch (RuntimeException | LinkageError e) {
            fail(c, new DeploymentException(c.path().getFileName() + ": " + e, e));
        }
    }

    private void fail(Candidate c, DeploymentException e) {
        // The exception is not kept: its causes may be the application's classes, which would
        // keep its class loader, and so the failed version, in memory.
        entries.put(c.contextPath(), new Entry(c.path(), c.signature(), null));
        log.error("Cannot deploy {}: {}", c.path(), e.getMessage());
        log.debug("Cannot deploy {}", c.path(), e);
        tell(() -> events.failed(c.path(), c.contextPath(), e));
    }

    /** An event listener that throws must not stop the scan, or the watcher. */
    private void tell(Runnable event) {
        try {
            event.run();
        } catch (RuntimeException e) {
            log.error("a webapps folder event listener failed", e);
        }
    }

    private WebApp appAt(String contextPath) {
        for (WebApp a : deployer.handler().apps()) {
            if (a.getContextPath().equals(contextPath)) {
                return a;
            }
        }
        return null;
    }

    /** @param removed the source is gone: its unpacked copy is deleted too */
    private void undeploy(Entry e, boolean removed) {
        Deployment d = e.deployment;
        if (d == null) {
            return;
        }
        String label = d.app().getContextPath().isEmpty() ? "/" : d.app().getContextPath();
        try {
            deployer.undeploy(d);
            log.info("Undeployed {} ({})", label, removed ? folder.relativize(e.source) + " removed" : "replaced");
        } catch (RuntimeException ex) {
            log.error("Undeploying {} failed", label, ex);
        }
        if (removed && !d.root().equals(d.source()) && Files.exists(d.root().resolve(UNPACKED_STAMP))) {
            try {
                WarUnpacker.deleteTree(d.root());
            } catch (IOException ex) {
                log.warn("could not delete {}: {}", d.root(), ex.toString());
            }
        }
        tell(() -> events.undeployed(d));
    }
}
