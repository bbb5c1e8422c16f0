package dev.weft.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.http.Server;
import dev.weft.servlet.ServletHandler;
import java.lang.ref.WeakReference;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deploying and undeploying the same application many times leaves nothing of the old versions
 * behind: their class loaders, and the classes they loaded, can be collected.
 */
class ClassLoaderLeakTest {
    static final int ROUNDS = 20;
    static final String JSP = "<%@ page contentType=\"text/plain\" %>jsp <%= application.getInitParameter(\"version\") %> "
            + "<%= new java.util.concurrent.atomic.AtomicBoolean(true).get() %>";

    /** JSP pages are served when Jasper is on the container's class path, which the build may or may not put there. */
    static final boolean JASPER = isPresent("org.apache.jasper.servlet.JspServlet");

    @TempDir
    Path dir;

    ServletHandler handler;
    Server server;
    Http http;

    @BeforeEach
    void startServer() throws Exception {
        handler = new ServletHandler();
        server = Server.builder().address("127.0.0.1", 0).handler(handler).build();
        http = new Http(server.start().address().getPort());
    }

    @AfterEach
    void stopServer() {
        http.close();
        server.close();
    }

    /** What one round leaves to look at: weak references only. */
    record Round(WeakReference<ClassLoader> loader, WeakReference<Class<?>> appClass) {}

    @Test
    void undeployedApplicationsAreCollected() throws Exception {
        Deployer deployer = new Deployer(handler, dir.resolve("work"));
        Map<String, byte[]> entries = Wars.entries(Wars.webXml("v1"), "v1");
        if (JASPER) {
            // Jasper compiles the page into a loader of its own under the application's.
            entries.put("page.jsp", JSP.getBytes(StandardCharsets.UTF_8));
        }
        Path war = Files.write(dir.resolve("leaky.war"), Wars.zip(entries));
        List<Round> rounds = new ArrayList<>();
        for (int i = 0; i < ROUNDS; i++) {
            rounds.add(deployUseUndeploy(deployer, war, i));
        }
        assertTrue(handler.apps().isEmpty());

        int alive = awaitCollected(rounds);
        System.out.printf("class loaders collected: %d of %d%n", ROUNDS - alive, ROUNDS);
        assertEquals(0, alive, alive + " of " + ROUNDS + " undeployed class loaders are still reachable");
    }

    /** In a method of its own, so no local variable of the caller's frame keeps anything reachable. */
    private Round deployUseUndeploy(Deployer deployer, Path war, int round) throws Exception {
        Deployment d = deployer.deploy(war);
        HttpResponse<String> first = http.get("/leaky/hello?tone=FORMAL");
        assertEquals(200, first.statusCode(), first.body());
        assertEquals("good day from v1 #1", first.body());
        assertEquals("v1", first.headers().firstValue("X-App-Version").orElse(null));
        String cookie = first.headers().firstValue("Set-Cookie").orElseThrow().split(";", 2)[0];
        HttpResponse<String> second = http.get("/leaky/hello", cookie);
        assertEquals("hello from v1 #2", second.body(), "round " + round + ": the session carries on");
        assertEquals(200, http.get("/leaky/version.txt").statusCode());
        if (JASPER) {
            HttpResponse<String> page = http.get("/leaky/page.jsp");
            assertEquals("200 jsp v1 true", page.statusCode() + " " + page.body().strip());
        }

        WebAppClassLoader loader = d.classLoader();
        Class<?> greeting = Class.forName(Wars.className("Greeting"), false, loader);
        assertEquals(loader, greeting.getClassLoader());
        Round r = new Round(new WeakReference<>(loader), new WeakReference<>(greeting));
        deployer.undeploy(d);
        return r;
    }

    @Test
    void versionsRedeployedInAWatchedFolderAreCollected() throws Exception {
        Deployer deployer = new Deployer(handler, dir.resolve("work"));
        Path webapps = Files.createDirectories(dir.resolve("webapps"));
        List<Round> rounds = new ArrayList<>();
        try (WebAppsFolder folder = new WebAppsFolder(deployer, webapps).pollInterval(Duration.ofMillis(30)).start()) {
            for (int i = 0; i < ROUNDS / 2; i++) {
                rounds.add(replaceAndUse(folder, webapps.resolve("hot.war"), "v" + i));
            }
            Files.delete(webapps.resolve("hot.war"));
            Http.await("hot.war to be undeployed", () -> http.get("/hot/hello").statusCode() == 404);
        }
        int alive = awaitCollected(rounds);
        System.out.printf("class loaders of redeployed versions collected: %d of %d%n", rounds.size() - alive, rounds.size());
        assertEquals(0, alive, alive + " of " + rounds.size() + " redeployed versions' class loaders are still reachable");
    }

    private Round replaceAndUse(WebAppsFolder folder, Path war, String version) throws Exception {
        Wars.writeWar(war, version);
        Http.await(version + " to be served", () -> http.fetch("/hot/hello").equals("200 hello from " + version + " #1"));
        WebAppClassLoader loader = folder.deployments().getFirst().classLoader();
        return new Round(new WeakReference<>(loader), new WeakReference<>(Class.forName(Wars.className("Greeting"), false, loader)));
    }

    @Test
    void failedDeploymentsAreCollected() throws Exception {
        Deployer deployer = new Deployer(handler, dir.resolve("work"));
        Path war = Files.write(dir.resolve("failing.war"), Wars.failingWar());
        List<Round> rounds = new ArrayList<>();
        for (int i = 0; i < ROUNDS / 2; i++) {
            rounds.add(failToDeploy(deployer, war));
        }
        assertTrue(handler.apps().isEmpty());
        int alive = awaitCollected(rounds);
        System.out.printf("class loaders of failed deployments collected: %d of %d%n", rounds.size() - alive, rounds.size());
        assertEquals(0, alive, alive + " of " + rounds.size() + " failed deployments' class loaders are still reachable");
    }

    private static Round failToDeploy(Deployer deployer, Path war) {
        DeploymentException e = assertThrows(DeploymentException.class, () -> deployer.deploy(war));
        // The listener's own exception, somewhere in the causes, leads to the loader.
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getClass().getClassLoader() instanceof WebAppClassLoader loader) {
                assertEquals(Wars.className("RefusedToStart"), t.getClass().getName());
                return new Round(new WeakReference<>(loader), new WeakReference<>(t.getClass()));
            }
        }
        throw new AssertionError("no exception of the application's in " + e, e);
    }

    private static boolean isPresent(String className) {
        try {
            Class.forName(className, false, Deployer.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /** Collects until every old loader is gone or a few seconds pass; returns how many are left. */
    static int awaitCollected(List<Round> rounds) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        int alive;
        do {
            System.gc();
            // Allocation pressure prods collectors that treat System.gc() as a hint.
            byte[][] garbage = new byte[64][];
            for (int i = 0; i < garbage.length; i++) {
                garbage[i] = new byte[256 << 10];
            }
            alive = (int) rounds.stream().filter(r -> r.loader().get() != null || r.appClass().get() != null).count();
            if (alive == 0) {
                return 0;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        return alive;
    }
}
