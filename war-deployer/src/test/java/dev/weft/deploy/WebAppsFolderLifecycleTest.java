package dev.weft.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.http.Server;
import dev.weft.servlet.ServletHandler;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a watched webapps folder does to the applications themselves: a replaced or removed WAR's
 * application is stopped completely (servlets, filters, sessions, listeners) before anything else
 * runs at its path, and an application that refuses to start is reported without disturbing the
 * others.
 */
class WebAppsFolderLifecycleTest {
    static final Duration POLL = Duration.ofMillis(40);

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

    void start() {
        folder = new WebAppsFolder(deployer, webapps).pollInterval(POLL).stablePolls(2).events(new WebAppsFolder.Events() {
            @Override
            public void deployed(Deployment d) {
                events.add("deployed " + d.source().getFileName());
            }

            @Override
            public void undeployed(Deployment d) {
                events.add("undeployed " + d.source().getFileName());
            }

            @Override
            public void failed(Path source, String contextPath, DeploymentException e) {
                events.add("failed " + source.getFileName() + ": " + e.getMessage());
            }
        }).start();
    }

    /** The lifecycle application, telling its version in {@code /version.txt}, with more web.xml. */
    static Path war(Path file, String version, String moreWebXml) throws Exception {
        String webXml = UndeployTest.WEB_XML.replace("</web-app>", moreWebXml + "</web-app>");
        return WarBuilder.war()
                .fixtures("lifecycle")
                .text("WEB-INF/web.xml", webXml)
                .text("WEB-INF/classes/" + UndeployTest.PKG.replace('.', '/') + "Messages.properties", "greeting=hello\n")
                .text("version.txt", version)
                .write(file);
    }

    void awaitServed(String path, String expected) {
        String[] last = {""};
        Http.await(path + " to answer \"" + expected + "\"", () -> (last[0] = http.fetch(path)).equals(expected),
                () -> last[0] + "; events " + events);
    }

    /** Events are told once a deploy or undeploy is complete, a little after the path answers accordingly. */
    void awaitEvents(List<String> expected) {
        Http.await("events " + expected, () -> events.size() >= expected.size(), events::toString);
        assertEquals(expected, events);
    }

    Deployment deployedAt(String contextPath) {
        return folder.deployments().stream().filter(d -> d.app().getContextPath().equals(contextPath)).findFirst().orElseThrow();
    }

    @Test
    void aReplacedWarsApplicationIsStoppedBeforeTheNewOneStarts() throws Exception {
        war(webapps.resolve("app.war"), "v1", "");
        start();
        List<String> v1 = UndeployTest.journal(deployedAt("/app"));
        HttpResponse<String> first = http.get("/app/work");
        assertEquals("items=1 tccl=true bundle=hello beans=items,owner", first.body());
        String cookie = first.headers().firstValue("Set-Cookie").orElseThrow().split(";", 2)[0];
        int started = v1.size();

        war(webapps.resolve("app.war"), "v2", "");
        awaitServed("/app/version.txt", "200 v2");
        // The old version heard everything a shutdown brings, before the new one was deployed.
        assertEquals(List.of("destroy servlet other", "destroy servlet work", "destroy filter journal",
                "sessionDestroyed second", "sessionDestroyed first", "valueUnbound cart",
                "contextDestroyed second", "contextDestroyed first", "@PreDestroy servlet other"), v1.subList(started, v1.size()));
        awaitEvents(List.of("deployed app.war", "undeployed app.war", "deployed app.war"));
        // Sessions do not survive a redeploy.
        assertEquals("items=1 tccl=true bundle=hello beans=items,owner", http.get("/app/work", cookie).body());

        List<String> v2 = UndeployTest.journal(deployedAt("/app"));
        Files.delete(webapps.resolve("app.war"));
        Http.await("v2 to be stopped", () -> v2.contains("@PreDestroy servlet other"), v2::toString);
        assertEquals(404, http.get("/app/work").statusCode());
        awaitEvents(List.of("deployed app.war", "undeployed app.war", "deployed app.war", "undeployed app.war"));
    }

    @Test
    void closeStopsEveryApplication() throws Exception {
        war(webapps.resolve("one.war"), "1", "");
        war(webapps.resolve("two.war"), "2", "");
        start();
        List<String> one = UndeployTest.journal(deployedAt("/one"));
        List<String> two = UndeployTest.journal(deployedAt("/two"));
        folder.close();
        assertEquals("@PreDestroy servlet other", one.getLast());
        assertEquals("@PreDestroy servlet other", two.getLast());
        assertTrue(handler.apps().isEmpty());
    }

    @Test
    void anApplicationThatRefusesToStartIsReportedAndTheOthersKeepAnswering() throws Exception {
        war(webapps.resolve("good.war"), "good", "");
        String refusing = "  <listener><listener-class>" + UndeployTest.PKG + "RefusingListener</listener-class></listener>\n";
        war(webapps.resolve("bad.war"), "bad", refusing);
        try (CapturedLog log = new CapturedLog()) {
            start();
            assertEquals("200 good", http.fetch("/good/version.txt"));
            assertEquals(404, http.get("/bad/version.txt").statusCode());
            List<String> failures = events.stream().filter(e -> e.startsWith("failed")).toList();
            assertEquals(1, failures.size(), events::toString);
            assertTrue(failures.getFirst().startsWith("failed bad.war: bad.war: "), failures.getFirst());
            assertTrue(failures.getFirst().contains("the database is not there"), failures.getFirst());
            List<String> logged = log.lines("Cannot deploy");
            assertEquals(1, logged.size(), logged::toString);
            assertTrue(logged.getFirst().contains("ERROR dev.weft.deploy.WebAppsFolder")
                    && logged.getFirst().contains("bad.war") && logged.getFirst().contains("the database is not there"),
                    logged.getFirst());

            // The folder keeps working: a new application arrives, the good one still answers.
            war(webapps.resolve("late.war"), "late", "");
            awaitServed("/late/version.txt", "200 late");
            assertEquals("200 good", http.fetch("/good/version.txt"));
            assertEquals(1, events.stream().filter(e -> e.startsWith("failed")).count(), events::toString);
        }
    }
}
