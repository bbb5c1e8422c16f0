package dev.weft.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.servlet.ServletHandler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Deploying never disturbs what already runs, and an unpacked copy is never mistaken for another WAR. */
class DeployerConflictTest {

    @Test
    void aSecondWarAtATakenPathIsRefusedBeforeItTouchesTheRunningOnesFiles(@TempDir Path dir) throws Exception {
        ServletHandler handler = new ServletHandler();
        Deployer deployer = new Deployer(handler, dir.resolve("work"));
        Deployment first = deployer.deploy(Wars.writeWar(dir.resolve("in/shop.war"), "1"));
        Path version = first.root().resolve("version.txt");
        assertEquals("version 1\n", Files.readString(version));

        DeploymentException e = assertThrows(DeploymentException.class,
                () -> deployer.deploy(Wars.writeWar(dir.resolve("in/shop##2.war"), "2")));
        assertTrue(e.getMessage().contains("\"/shop\" is already in use"), e.getMessage());
        assertEquals("version 1\n", Files.readString(version), "the running application's files were replaced");
        assertEquals(1, handler.apps().size());
        deployer.undeploy(first);
    }

    @Test
    void aReplacementWithTheSameSizeAndTimeIsUnpackedAfresh(@TempDir Path dir) throws Exception {
        ServletHandler handler = new ServletHandler();
        Deployer deployer = new Deployer(handler, dir.resolve("work"));
        Path war = Wars.writeWar(dir.resolve("in/shop.war"), "1");
        FileTime time = Files.getLastModifiedTime(war);
        Deployment first = deployer.deploy(war);
        deployer.undeploy(first);

        // Same size, same modification time, but a new file, as cp -p or rsync -t leave it. Compression
        // makes the size depend on the content, so look for a version that happens to match.
        Path replacement = null;
        String v = null;
        for (int i = 2; i < 200 && replacement == null; i++) {
            Path candidate = Wars.writeWar(dir.resolve("in/next.war"), Integer.toString(i));
            if (Files.size(candidate) == Files.size(war)) {
                replacement = candidate;
                v = Integer.toString(i);
            }
        }
        assertTrue(replacement != null, "no same-size replacement found");
        Files.move(replacement, war, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.setLastModifiedTime(war, time);

        Deployment second = deployer.deploy(war);
        assertEquals("version " + v + "\n", Files.readString(second.root().resolve("version.txt")));
        deployer.undeploy(second);
    }
}
