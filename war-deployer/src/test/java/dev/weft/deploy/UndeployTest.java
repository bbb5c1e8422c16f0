package dev.weft.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.http.Server;
import dev.weft.servlet.ServletHandler;
import java.lang.ref.Reference;
import java.lang.ref.WeakReference;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Undeploying stops an application the way the Servlet specification orders it, and leaves nothing
 * that keeps its class loader alive, even when the application used what commonly does: sessions
 * with attributes of its own classes, static caches, the thread's context class loader, resource
 * bundles, bean introspection, asynchronous tasks.
 */
class UndeployTest {
    static final int ROUNDS = 20;
    static final String PKG = TestApps.PKG + "lifecycle.";

    @TempDir
    Path dir;

    ServletHandler handler;
    Deployer deployer;
    Server server;
    Http http;

    @BeforeEach
    void startServer() throws Exception {
        handler = new ServletHandler();
        deployer = new Deployer(handler, dir.resolve("work"));
        server = Server.builder().address("127.0.0.1", 0).handler(handler).build();
        http = new Http(server.start().address().getPort());
    }

    @AfterEach
    void stopServer() {
        http.close();
        server.close();
    }

    /** Listeners declared first and second, a filter on everything, two servlets started in order, one asynchronous. */
    static final String WEB_XML = WarBuilder.webXml("""
              <listener><listener-class>%1$sFirstListener</listener-class></listener>
              <listener><listener-class>%1$sSecondListener</listener-class></listener>
              <filter>
                <filter-name>journal</filter-name><filter-class>%1$sJournalFilter</filter-class>
                <async-supported>true</async-supported>
              </filter>
              <filter-mapping><filter-name>journal</filter-name><url-pattern>/*</url-pattern></filter-mapping>
              <servlet><servlet-name>work</servlet-name><servlet-class>%1$sWorkServlet</servlet-class>
                <load-on-startup>1</load-on-startup></servlet>
              <servlet><servlet-name>other</servlet-name><servlet-class>%1$sOtherServlet</servlet-class>
                <load-on-startup>2</load-on-startup></servlet>
              <servlet><servlet-name>later</servlet-name><servlet-class>%1$sLaterServlet</servlet-class>
                <async-supported>true</async-supported></servlet>
              <servlet-mapping><servlet-name>work</servlet-name><url-pattern>/work</url-pattern></servlet-mapping>
              <servlet-mapping><servlet-name>other</servlet-name><url-pattern>/other</url-pattern></servlet-mapping>
              <servlet-mapping><servlet-name>later</servlet-name><url-pattern>/later</url-pattern></servlet-mapping>
            """.formatted(PKG));

    static Path lifecycleWar(Path file) throws Exception {
        return WarBuilder.war()
                .fixtures("lifecycle")
                .text("WEB-INF/web.xml", WEB_XML)
                .text("WEB-INF/classes/" + PKG.replace('.', '/') + "Messages.properties", "greeting=hello\n")
                .write(file);
    }

    @SuppressWarnings("unchecked")
    static List<String> journal(Deployment d) {
        Object journal = d.app().getAttribute("journal");
        assertNotNull(journal, "the application opened its journal");
        return (List<String>) journal;
    }

    /** Uses everything the application has; returns the session cookie. */
    private String use() {
        HttpResponse<String> first = http.get("/app/work");
        assertEquals("200 items=1 tccl=true bundle=hello beans=items,owner", first.statusCode() + " " + first.body());
        String cookie = first.headers().firstValue("Set-Cookie").orElseThrow().split(";", 2)[0];
        HttpResponse<String> second = http.get("/app/work", cookie);
        assertEquals("items=2 tccl=true bundle=hello beans=items,owner", second.body(), "the session carries on");
        assertEquals("200 later", http.fetch("/app/later"));
        return cookie;
    }

    @Test
    void undeployStopsEverythingInTheSpecificationsOrder() throws Exception {
        Deployment d = deployer.deploy(lifecycleWar(dir.resolve("app.war")));
        List<String> journal = journal(d);
        // §11.3.2, §8.2.4: context listeners in declaration order, then filters, then servlets by load-on-startup.
        assertEquals(List.of("contextInitialized first", "contextInitialized second", "init filter journal",
                "init servlet work", "init servlet other after @PostConstruct"), journal);
        use();
        assertEquals(List.of("sessionCreated first", "sessionCreated second", "async complete"),
                journal.subList(5, journal.size()));
        journal.clear();
        String resource = PKG.replace('.', '/') + "Messages.properties";
        assertNotNull(d.classLoader().getResource(resource));

        deployer.undeploy(d);
        // Servlets and filters are taken out of service before any context listener hears of the
        // shutdown (ServletContextListener.contextDestroyed); session listeners hear of the sessions'
        // end before the context listeners, and listeners hear in the reverse order of their
        // declaration (§11.3.2); a session's listeners hear before its attributes are unbound (§7.4);
        // @PreDestroy methods run last, once everything is out of service.
        assertEquals(List.of("destroy servlet other", "destroy servlet work", "destroy filter journal",
                "sessionDestroyed second", "sessionDestroyed first", "valueUnbound cart",
                "contextDestroyed second", "contextDestroyed first", "@PreDestroy servlet other"), journal);
        assertEquals(404, http.get("/app/work").statusCode());
        assertTrue(handler.apps().isEmpty());
        assertNull(d.classLoader().getResource(resource), "the class loader is closed, its jars and folders let go");
    }

    /** What one round leaves to look at: weak references only. */
    record Round(WeakReference<ClassLoader> loader, WeakReference<Class<?>> appClass) {
        boolean alive() {
            return loader.get() != null || appClass.get() != null;
        }
    }

    @Test
    void anApplicationDeployedAndUndeployedManyTimesLeavesNoClassLoaderBehind() throws Exception {
        Path war = lifecycleWar(dir.resolve("app.war"));
        List<Round> rounds = new ArrayList<>();
        for (int i = 0; i < ROUNDS; i++) {
            rounds.add(deployUseUndeploy(war));
        }
        assertTrue(handler.apps().isEmpty());

        // The check can fail: a loader still held is seen as alive while all the others go.
        ClassLoader held = rounds.getLast().loader().get();
        assertNotNull(held);
        int alive = awaitCollected(rounds, 1);
        assertEquals(1, alive, alive + " of " + ROUNDS + " undeployed class loaders are still reachable");
        assertTrue(rounds.getLast().alive(), "a loader held by a strong reference was taken for collected");
        Reference.reachabilityFence(held);
        held = null;

        alive = awaitCollected(rounds, 0);
        System.out.printf("class loaders of a used and undeployed application collected: %d of %d%n", ROUNDS - alive, ROUNDS);
        assertEquals(0, alive, alive + " of " + ROUNDS + " undeployed class loaders are still reachable");
    }

    /** In a method of its own, so no local variable of the caller's frame keeps anything reachable. */
    private Round deployUseUndeploy(Path war) throws Exception {
        Deployment d = deployer.deploy(war);
        use();
        WebAppClassLoader loader = d.classLoader();
        Class<?> cart = Class.forName(PKG + "Cart", false, loader);
        assertEquals(loader, cart.getClassLoader());
        Round r = new Round(new WeakReference<>(loader), new WeakReference<>(cart));
        deployer.undeploy(d);
        return r;
    }

    /**
     * Collects until at most {@code expected} rounds are still alive or 10 seconds pass; returns how
     * many are alive.
     */
    static int awaitCollected(List<Round> rounds, int expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        int alive;
        do {
            System.gc();
            // Allocation pressure prods collectors that take System.gc() as a hint.
            byte[][] garbage = new byte[32][];
            for (int i = 0; i < garbage.length; i++) {
                garbage[i] = new byte[256 << 10];
            }
            alive = (int) rounds.stream().filter(Round::alive).count();
            if (alive <= expected) {
                return alive;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        return alive;
    }
}
