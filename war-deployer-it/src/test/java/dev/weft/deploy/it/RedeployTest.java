package dev.weft.deploy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.deploy.Deployer;
import dev.weft.deploy.Deployment;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The example WAR's life: named after its file, undeployed, deployed again, and deployed exploded. */
class RedeployTest {
    @TempDir
    Path work;

    @Test
    void contextPathFromTheFileNameUndeployAndRedeploy() throws Exception {
        Path war = WarHarness.wars().resolve("examples-war.war");
        try (WarHarness h = new WarHarness(work.resolve("work"))) {
            assertEquals("/examples-war", Deployer.contextPathFor(war));
            Deployment first = h.deployer.deploy(war);
            assertEquals("Hello, Ada!", h.get("/examples-war/hello?name=Ada").body());

            h.deployer.undeploy(first);
            assertEquals(404, h.get("/examples-war/hello").status());
            assertTrue(h.handler.apps().isEmpty());
            // Released: the loader reads no more classes from the application's files.
            assertThrows(ClassNotFoundException.class,
                    () -> first.classLoader().loadClass("dev.weft.examples.war.ExampleException"));

            Deployment second = h.deployer.deploy(war);
            try {
                assertNotSame(first.classLoader(), second.classLoader());
                assertEquals(first.root(), second.root(), "the unpacked folder is reused while the WAR is unchanged");
                assertEquals("Hello, Ada!", h.get("/examples-war/hello?name=Ada").body());
                assertEquals("fragment servlet, greeting=from web-fragment.xml, filtered=yes",
                        h.get("/examples-war/fragment").body());
            } finally {
                h.deployer.undeploy(second);
            }
        }
    }

    @Test
    void explodedFolder() throws Exception {
        Path folder = Files.createDirectories(work.resolve("exploded"));
        try (ZipFile zip = new ZipFile(WarHarness.wars().resolve("examples-war.war").toFile())) {
            for (Enumeration<? extends ZipEntry> en = zip.entries(); en.hasMoreElements(); ) {
                ZipEntry e = en.nextElement();
                Path dest = folder.resolve(e.getName());
                if (e.isDirectory()) {
                    Files.createDirectories(dest);
                } else {
                    Files.createDirectories(dest.getParent());
                    try (InputStream in = zip.getInputStream(e)) {
                        Files.copy(in, dest);
                    }
                }
            }
        }
        try (WarHarness h = new WarHarness(work.resolve("work"))) {
            Deployment d = h.deploy(folder, "/exploded");
            assertEquals(folder, d.root(), "a folder runs where it is");
            assertEquals("Hello, Ada!", h.get("/exploded/hello?name=Ada").body());
            assertEquals("en: Hello, Ada!\nfr: Bonjour, Ada!\n", h.get("/exploded/greetings?name=Ada").body().replace("\r\n", "\n"));
            assertEquals(200, h.get("/exploded/fragment/readme.txt").status());

            // A file added while it runs is served: the folder is the application.
            Files.writeString(folder.resolve("added.txt"), "added later");
            assertEquals("added later", h.get("/exploded/added.txt").body());
        }
    }
}
