package dev.weft.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.http.Server;
import dev.weft.servlet.ServletHandler;
import dev.weft.servlet.WebApp;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A watched webapps folder: what it deploys at start, and how it follows the folder afterwards. */
class WebAppsFolderTest {
    static final Duration POLL = Duration.ofMillis(40);
    static final int STABLE = 2;

    @TempDir
    Path dir;

    Path webapps;
    ServletHandler handler;
    Deployer deployer;
    Server server;
    Http http;
    WebAppsFolder folder;
    final List<String> events = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        webapps = Files.createDirectories(dir.resolve("webapps"));
        handler = new ServletHandler();
        deployer = new Deployer(handler, dir.resolve("work"));
        server = Server.builder().address("127.0.0.1", 0).handler(handler).build();
        http = new Http(server.start().address().getPort());
    }

    @AfterEach
    void tearDown() {
        if (folder != null) {
            folder.close();
        }
        http.close();
        server.close();
    }

    WebAppsFolder start() {
        folder = new WebAppsFolder(deployer, webapps).pollInterval(POLL).stablePolls(STABLE).events(new WebAppsFolder.Events() {
            @Override
            public void deployed(Deployment d) {
                events.add("deployed " + path(d.app().getContextPath()) + " " + d.source().getFileName());
            }

            @Override
            public void undeployed(Deployment d) {
                events.add("undeployed " + path(d.app().getContextPath()));
            }

            @Override
            public void failed(Path source, String contextPath, DeploymentException e) {
                events.add("failed " + path(contextPath) + " " + e.getMessage());
            }
        }).start();
        return folder;
    }

    private static String path(String contextPath) {
        return contextPath.isEmpty() ? "/" : contextPath;
    }

    /** Waits until {@code path} answers {@code expected} ("status body"). */
    void awaitServed(String path, String expected) {
        String[] last = {""};
        Http.await(path + " to answer \"" + expected + "\"", () -> (last[0] = http.fetch(path)).equals(expected),
                () -> last[0] + "; events " + events);
    }

    void awaitStatus(String path, int status) {
        int[] last = {0};
        Http.await(path + " to answer " + status, () -> (last[0] = http.get(path).statusCode()) == status,
                () -> last[0] + "; events " + events);
    }

    /**
     * Waits until {@code path} answers 404 and the undeploy is over: the handler lets go of the
     * path first, and the folder's lock, which {@code deployments()} takes, is held until the end.
     */
    void awaitUndeployed(String path) {
        awaitStatus(path, 404);
        Http.await("the undeploy to finish", () -> folder.deployments().isEmpty());
    }

    /** Waits until the watcher has looked at the folder {@code polls} more times. */
    void awaitPolls(int polls) {
        long target = folder.scans() + polls;
        Http.await(polls + " polls", () -> folder.scans() >= target);
    }

    List<String> failures() {
        return events.stream().filter(e -> e.startsWith("failed")).toList();
    }

    // ---- At start ----

    @Test
    void startDeploysEveryWarAndFolderAtItsNamesPath() throws Exception {
        Wars.writeWar(webapps.resolve("shop.war"), "shop-1");
        Wars.writeWar(webapps.resolve("blog##v3.war"), "blog-3");
        Wars.writeWar(webapps.resolve("a#b.war"), "ab-1");
        Wars.explode(webapps.resolve("ROOT"), "root-1");
        Wars.explode(webapps.resolve("docs"), "docs-1");
        Files.writeString(webapps.resolve("notes.txt"), "not an application");
        Files.createDirectories(webapps.resolve(".hidden"));

        start();
        // No waiting: start() deploys what is there before it returns.
        assertEquals("200 hello from shop-1 #1", http.fetch("/shop/hello"));
        assertEquals("200 hello from blog-3 #1", http.fetch("/blog/hello"));
        assertEquals("200 hello from ab-1 #1", http.fetch("/a/b/hello"));
        assertEquals("200 hello from root-1 #1", http.fetch("/hello"));
        assertEquals("200 hello from docs-1 #1", http.fetch("/docs/hello"));
        assertEquals("200 version docs-1\n", http.fetch("/docs/version.txt"));
        assertEquals(404, http.get("/notes.txt").statusCode(), "other files are not applications");
        assertEquals(List.of("", "/a/b", "/blog", "/docs", "/shop"),
                folder.deployments().stream().map(d -> d.app().getContextPath()).toList());
        assertEquals(List.of(), failures());
    }

    @Test
    void aWarWinsOverAFolderOfTheSameName() throws Exception {
        // As if another tool had unpacked shop.war next to it: deployed once, from the WAR.
        Wars.writeWar(webapps.resolve("shop.war"), "from-war");
        Wars.explode(webapps.resolve("shop"), "from-folder");
        start();
        assertEquals("200 hello from from-war #1", http.fetch("/shop/hello"));
        assertEquals(1, folder.deployments().size());
        assertEquals(List.of("deployed /shop shop.war"), events);
    }

    @Test
    void aWorkFolderInsideTheWebappsFolderIsNotServed() throws Exception {
        deployer = new Deployer(handler, webapps.resolve("work"));
        Wars.writeWar(webapps.resolve("shop.war"), "shop");
        start();
        assertEquals("200 hello from shop #1", http.fetch("/shop/hello"));
        assertTrue(Files.isRegularFile(webapps.resolve("work/shop/WEB-INF/web.xml")));
        awaitPolls(STABLE + 2);
        assertEquals(List.of("deployed /shop shop.war"), events);
        assertEquals(404, http.get("/work/shop/WEB-INF/web.xml").statusCode());
    }

    @Test
    void theHighestVersionOfAPathRuns() throws Exception {
        Wars.writeWar(webapps.resolve("shop##9.war"), "nine");
        Wars.writeWar(webapps.resolve("shop##10.war"), "ten");
        Wars.writeWar(webapps.resolve("shop.war"), "unversioned");
        start();
        assertEquals("200 hello from ten #1", http.fetch("/shop/hello"));

        // The newest gone, the next one takes over.
        Files.delete(webapps.resolve("shop##10.war"));
        awaitServed("/shop/hello", "200 hello from nine #1");
    }

    @Test
    void versionsCompareAsNumbers() {
        assertTrue(WebAppsFolder.compareVersions("10", "9") > 0);
        assertTrue(WebAppsFolder.compareVersions("1.10", "1.9") > 0);
        assertTrue(WebAppsFolder.compareVersions("v2", "v1") > 0);
        assertTrue(WebAppsFolder.compareVersions("", "1") < 0);
        assertTrue(WebAppsFolder.compareVersions("1.0", "1") > 0);
        assertEquals(0, WebAppsFolder.compareVersions("2.1", "2.1"));
        assertTrue(WebAppsFolder.compareVersions("99999999999999999999999", "1") > 0);
    }

    // ---- Hot deploy ----

    @Test
    void aWarCopiedInIsDeployedReplacedIsRedeployedDeletedIsUndeployed() throws Exception {
        start();
        assertEquals(404, http.get("/app/hello").statusCode());

        Wars.writeWar(webapps.resolve("app.war"), "v1");
        awaitServed("/app/hello", "200 hello from v1 #1");

        Wars.writeWar(webapps.resolve("app.war"), "v2");
        awaitServed("/app/hello", "200 hello from v2 #1");
        assertEquals("200 version v2\n", http.fetch("/app/version.txt"));

        Path unpacked = folder.deployments().getFirst().root();
        assertTrue(Files.isDirectory(unpacked));
        Files.delete(webapps.resolve("app.war"));
        awaitUndeployed("/app/hello");
        assertTrue(handler.apps().isEmpty());
        assertFalse(Files.exists(unpacked), "the unpacked copy of a removed WAR is deleted");
        assertEquals(List.of("deployed /app app.war", "undeployed /app", "deployed /app app.war", "undeployed /app"),
                events);
    }

    @Test
    void aHalfCopiedWarIsNeverDeployed() throws Exception {
        start();
        byte[] war = Wars.war("whole");
        Path file = webapps.resolve("slow.war");
        Files.write(file, Arrays.copyOf(war, war.length / 2));
        // The first half holds still long enough to pass for copied: only the zip check stops it.
        awaitPolls(STABLE + 3);
        assertEquals(404, http.get("/slow/hello").statusCode());
        assertTrue(folder.deployments().isEmpty());
        assertEquals(1, events.size(), "told once, not at every poll: " + events);
        assertTrue(events.getFirst().startsWith("failed /slow slow.war: not a readable WAR"), events::toString);

        try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.APPEND)) {
            out.write(war, war.length / 2, war.length - war.length / 2);
        }
        awaitServed("/slow/hello", "200 hello from whole #1");
        assertEquals(1, events.stream().filter(e -> e.startsWith("deployed")).count(), events::toString);
    }

    @Test
    void aWarStillGrowingWaitsUntilItHoldsStill() throws Exception {
        start();
        byte[] war = Wars.war("grown");
        Path file = webapps.resolve("growing.war");
        int step = war.length / 8;
        Files.write(file, Arrays.copyOf(war, step));
        // Written a little at a time, faster than a change can pass for finished.
        for (int written = step; written < war.length; written += step) {
            awaitPolls(1);
            try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.APPEND)) {
                out.write(war, written, Math.min(step, war.length - written));
            }
            assertTrue(events.stream().noneMatch(e -> e.startsWith("deployed")), events::toString);
        }
        awaitServed("/growing/hello", "200 hello from grown #1");
        assertEquals(List.of("deployed /growing growing.war"),
                events.stream().filter(e -> !e.contains("not a readable WAR")).toList());
    }

    @Test
    void aBrokenWarIsReportedAndTheOthersAreServed() throws Exception {
        Files.write(webapps.resolve("broken.war"), Wars.brokenWar());
        Wars.writeWar(webapps.resolve("good.war"), "good");
        start();
        assertEquals("200 hello from good #1", http.fetch("/good/hello"));
        assertEquals(404, http.get("/broken/hello").statusCode());
        List<String> failures = failures();
        assertEquals(1, failures.size(), failures::toString);
        // The message names the WAR, the file in it and the line.
        assertTrue(failures.getFirst().startsWith("failed /broken broken.war: broken.war!/WEB-INF/web.xml:4"),
                failures.getFirst());

        // Not retried at every poll: only when it changes.
        awaitPolls(STABLE + 2);
        assertEquals(1, failures().size(), events::toString);
        Wars.writeWar(webapps.resolve("broken.war"), "fixed");
        awaitServed("/broken/hello", "200 hello from fixed #1");
        assertEquals("200 hello from good #1", http.fetch("/good/hello"));
    }

    @Test
    void aBrokenNewVersionUndeploysTheOldOneAndIsReported() throws Exception {
        Wars.writeWar(webapps.resolve("app.war"), "v1");
        start();
        assertEquals("200 hello from v1 #1", http.fetch("/app/hello"));

        Files.write(webapps.resolve("app.war"), Wars.brokenWar());
        Http.await("the broken version to be reported", () -> !failures().isEmpty(), events::toString);
        assertEquals(404, http.get("/app/hello").statusCode(), "the old version is not kept running");
        assertTrue(failures().getFirst().contains("app.war!/WEB-INF/web.xml:4"), failures()::toString);

        Wars.writeWar(webapps.resolve("app.war"), "v3");
        awaitServed("/app/hello", "200 hello from v3 #1");
    }

    @Test
    void anExplodedFolderIsDeployedRedeployedOnWebXmlChangesAndUndeployed() throws Exception {
        start();
        // Copied in from elsewhere, the way a user would, not built in place.
        Path staged = Wars.explode(dir.resolve("staging/app"), "e1");
        Path app = webapps.resolve("app");
        try (var files = Files.walk(staged)) {
            for (Path f : files.toList()) {
                Files.copy(f, app.resolve(staged.relativize(f).toString()));
            }
        }
        awaitServed("/app/hello", "200 hello from e1 #1");

        // A changed class alone is not watched, as in Tomcat: web.xml is the application's trigger.
        Files.writeString(app.resolve("WEB-INF/web.xml"), Wars.webXml("e2"));
        awaitServed("/app/hello", "200 hello from e2 #1");

        try (var files = Files.walk(app)) {
            for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(f);
            }
        }
        awaitUndeployed("/app/hello");
        assertEquals(List.of("deployed /app app", "undeployed /app", "deployed /app app", "undeployed /app"), events);
    }

    @Test
    void rootAndVersionedNamesAreHotDeployedToo() throws Exception {
        start();
        Wars.writeWar(webapps.resolve("ROOT.war"), "root");
        Wars.writeWar(webapps.resolve("api##2024.war"), "api-2024");
        awaitServed("/hello", "200 hello from root #1");
        awaitServed("/api/hello", "200 hello from api-2024 #1");

        // A newer version is a redeploy of the same path.
        Wars.writeWar(webapps.resolve("api##2025.war"), "api-2025");
        awaitServed("/api/hello", "200 hello from api-2025 #1");
        assertEquals("200 hello from root #1", http.fetch("/hello"));
    }

    @Test
    void aPathTakenByAnotherApplicationIsReported() throws Exception {
        WebApp other = new WebApp("/taken");
        handler.deploy(other);
        Wars.writeWar(webapps.resolve("taken.war"), "mine");
        start();
        assertEquals(List.of("failed /taken taken.war: context path /taken is already in use by another application"),
                events);
        assertTrue(handler.apps().contains(other));
        assertFalse(Files.exists(dir.resolve("work/taken")), "nothing unpacked over the other application");
    }

    @Test
    void closeUndeploysEverythingAndStopsWatching() throws Exception {
        Wars.writeWar(webapps.resolve("one.war"), "1");
        Wars.explode(webapps.resolve("two"), "2");
        start();
        assertEquals(2, handler.apps().size());
        folder.close();
        assertTrue(handler.apps().isEmpty());
        assertTrue(folder.deployments().isEmpty());
        long scans = folder.scans();
        folder.close(); // twice is harmless
        assertEquals(scans, folder.scans());
        assertThrows(IllegalStateException.class, folder::start);
    }

    @Test
    void closeWhileApplicationsArriveLeavesNothingDeployed() throws Exception {
        start();
        // Whether the watcher is between polls or in the middle of a deploy, close waits for it and
        // undeploys what it finds; nothing is deployed after.
        for (int i = 0; i < 5; i++) {
            Wars.writeWar(webapps.resolve("app" + i + ".war"), "v" + i);
        }
        Http.await("a first deploy", () -> events.stream().anyMatch(e -> e.startsWith("deployed")), events::toString);
        folder.close();
        assertTrue(handler.apps().isEmpty(), handler.apps()::toString);
        long deployed = events.stream().filter(e -> e.startsWith("deployed")).count();
        assertEquals(deployed, events.stream().filter(e -> e.startsWith("undeployed")).count(), events::toString);
    }

    @Test
    void anEventListenerMayCloseTheFolder() throws Exception {
        folder = new WebAppsFolder(deployer, webapps).pollInterval(POLL).stablePolls(STABLE).events(new WebAppsFolder.Events() {
            @Override
            public void deployed(Deployment d) {
                events.add("deployed " + d.app().getContextPath());
                folder.close();
            }
        }).start();
        Wars.writeWar(webapps.resolve("a.war"), "a");
        Wars.writeWar(webapps.resolve("b.war"), "b");
        Http.await("the first deploy", () -> !events.isEmpty());
        Http.await("the close", () -> folder.deployments().isEmpty());
        assertEquals(1, events.size(), "the scan stops at the close: " + events);
        assertTrue(handler.apps().isEmpty(), handler.apps()::toString);
    }

    @Test
    void aMissingFolderDeploysNothingUntilItAppears() throws Exception {
        Files.delete(webapps);
        start();
        assertTrue(folder.deployments().isEmpty());
        Files.createDirectories(webapps);
        Wars.writeWar(webapps.resolve("late.war"), "late");
        awaitServed("/late/hello", "200 hello from late #1");
    }

    @Test
    void settingsAreCheckedAndFixedOnceStarted() {
        WebAppsFolder f = new WebAppsFolder(deployer, webapps);
        assertThrows(IllegalArgumentException.class, () -> f.pollInterval(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> f.stablePolls(0));
        f.pollInterval(POLL).start();
        try {
            assertThrows(IllegalStateException.class, () -> f.stablePolls(3));
        } finally {
            f.close();
        }
    }
}
