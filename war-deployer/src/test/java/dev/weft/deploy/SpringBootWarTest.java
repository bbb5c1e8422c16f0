package dev.weft.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.http.Server;
import dev.weft.servlet.ServletHandler;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Spring Boot executable WAR runs as a plain WAR: the launcher classes at the archive's root
 * (for {@code java -jar}) and the jars of {@code WEB-INF/lib-provided} (the embedded server a
 * container replaces) are not on the application's class path; {@code WEB-INF/classes} and
 * {@code WEB-INF/lib} are, with their initializers.
 */
class SpringBootWarTest {
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

    static final String MANIFEST = """
            Manifest-Version: 1.0
            Main-Class: org.springframework.boot.loader.launch.WarLauncher
            Start-Class: com.example.shop.ShopApplication
            Spring-Boot-Version: 3.5.0
            Spring-Boot-Classes: WEB-INF/classes/
            Spring-Boot-Lib: WEB-INF/lib/

            """.replace("\n", "\r\n");

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static Path bootWar(Path file) throws Exception {
        Map<String, byte[]> lib = new LinkedHashMap<>(WarBuilder.fixtureClasses("boot"));
        lib.put("META-INF/services/jakarta.servlet.ServletContainerInitializer", utf8(TestApps.PKG + "boot.BootInitializer\n"));
        lib.put("com/example/lib/Helper.class", WebAppClassLoaderTest.emptyClass("com.example.lib.Helper"));
        Map<String, byte[]> provided = new LinkedHashMap<>();
        provided.put("com/example/provided/EmbeddedServer.class", WebAppClassLoaderTest.emptyClass("com.example.provided.EmbeddedServer"));
        // Were this jar on the class path, loading its initializer would fail the deployment.
        provided.put("META-INF/services/jakarta.servlet.ServletContainerInitializer", utf8("com.example.provided.NoSuchInitializer\n"));
        return WarBuilder.war()
                .text("META-INF/MANIFEST.MF", MANIFEST)
                .bytes("org/springframework/boot/loader/launch/WarLauncher.class",
                        WebAppClassLoaderTest.emptyClass("org.springframework.boot.loader.launch.WarLauncher"))
                .bytes("org/springframework/boot/loader/launch/Archive.class",
                        WebAppClassLoaderTest.emptyClass("org.springframework.boot.loader.launch.Archive"))
                .fixtures("isolation")
                .jar("WEB-INF/lib/shop-lib.jar", lib)
                .jar("WEB-INF/lib-provided/embedded-server.jar", provided)
                .write(file);
    }

    @Test
    void deploysAsAPlainWar() throws Exception {
        Deployment d = deployer.deploy(bootWar(dir.resolve("shop.war")));
        assertEquals("ran with the application's loader", d.app().getAttribute("boot.initializer"));
        assertEquals("""
                200 com.example.lib.Helper=app
                dev.weft.deploy.fixtures.isolation.ProbeServlet=app
                org.springframework.boot.loader.launch.WarLauncher=missing
                com.example.provided.EmbeddedServer=missing
                META-INF/services/jakarta.servlet.ServletContainerInitializer=1
                """, http.fetch("/shop/probe?class=com.example.lib.Helper"
                + "&class=dev.weft.deploy.fixtures.isolation.ProbeServlet"
                + "&class=org.springframework.boot.loader.launch.WarLauncher"
                + "&class=com.example.provided.EmbeddedServer"
                + "&resources=META-INF/services/jakarta.servlet.ServletContainerInitializer"));
        List<String> classPath = Stream.of(d.classLoader().getURLs()).map(URL::toString).toList();
        assertEquals(2, classPath.size(), classPath::toString);
        assertTrue(classPath.get(0).endsWith("/WEB-INF/classes/"), classPath.toString());
        assertTrue(classPath.get(1).endsWith("/WEB-INF/lib/shop-lib.jar"), classPath.toString());
        deployer.undeploy(d);
    }

    @Test
    void deploysExplodedToo() throws Exception {
        Path war = bootWar(dir.resolve("shop.war"));
        Path exploded = WarUnpacker.unpack(war, dir.resolve("webapps/shop")).folder();
        Deployment d = deployer.deploy(exploded);
        assertEquals("ran with the application's loader", d.app().getAttribute("boot.initializer"));
        assertEquals("200 org.springframework.boot.loader.launch.WarLauncher=missing\ncom.example.provided.EmbeddedServer=missing\n",
                http.fetch("/shop/probe?class=org.springframework.boot.loader.launch.WarLauncher"
                        + "&class=com.example.provided.EmbeddedServer"));
        deployer.undeploy(d);
    }
}
