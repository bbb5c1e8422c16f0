package dev.weft.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.servlet.Resources;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The folder of a web application and the META-INF/resources of its jars, as one (§4.6). */
class WebAppResourcesTest {
    @TempDir
    Path dir;

    private Path jar(String name, Map<String, String> entries) throws IOException {
        Path jar = dir.resolve(name);
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(jar))) {
            for (Map.Entry<String, String> e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue().getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
        return jar;
    }

    private static String read(Resources.Resource r) throws IOException {
        try (InputStream in = r.open()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void folderFirstThenJarsInOrder() throws Exception {
        Path root = Files.createDirectories(dir.resolve("app"));
        Files.writeString(root.resolve("both.txt"), "folder");
        Map<String, String> a = new LinkedHashMap<>();
        a.put("META-INF/resources/both.txt", "jar a");
        a.put("META-INF/resources/a/deep/file name.txt", "in a");
        a.put("META-INF/resources/shared.txt", "a's");
        a.put("com/acme/NotAResource.class", "x");
        Map<String, String> b = Map.of("META-INF/resources/shared.txt", "b's", "META-INF/resources/b.txt", "in b");
        Resources r = WebAppResources.of(root, List.of(jar("a.jar", a), jar("b.jar", b)));

        assertEquals("folder", read(r.get("/both.txt")));
        assertEquals("a's", read(r.get("/shared.txt")));
        assertEquals("in b", read(r.get("/b.txt")));
        Resources.Resource spaced = r.get("/a/deep/file name.txt");
        assertEquals("in a", read(spaced));
        assertEquals(4, spaced.length());
        assertNull(spaced.file());
        assertNull(r.get("/com/acme/NotAResource.class"), "only META-INF/resources is served");
        assertNull(r.get("/nowhere.txt"));
    }

    @Test
    void directoriesAreImpliedAndListed() throws Exception {
        Path root = Files.createDirectories(dir.resolve("app"));
        Files.createDirectories(root.resolve("a"));
        Files.writeString(root.resolve("a/own.txt"), "own");
        Resources r = WebAppResources.of(root, List.of(jar("x.jar", Map.of(
                "META-INF/resources/a/b/c.txt", "c", "META-INF/resources/a/top.txt", "top"))));
        assertTrue(r.get("/a/b").directory());
        assertTrue(r.get("/a/b/").directory());
        assertEquals(Set.of("/a/own.txt", "/a/top.txt", "/a/b/"), r.list("/a"));
        assertEquals(Set.of("/a/b/c.txt"), r.list("/a/b/"));
        assertNull(r.realPath("/a/top.txt"), "a file in a jar has no real path");
        assertEquals(root.resolve("a/own.txt").toAbsolutePath(), r.realPath("/a/own.txt").toAbsolutePath());
    }

    @Test
    void nothingOutsideMetaInfResources() throws Exception {
        Path root = Files.createDirectories(dir.resolve("app"));
        Resources r = WebAppResources.of(root, List.of(jar("x.jar", Map.of(
                "META-INF/resources/../../secret.txt", "no", "META-INF/resources/ok.txt", "ok", "META-INF/secret.txt", "no"))));
        assertNotNull(r.get("/ok.txt"));
        assertNull(r.get("/../secret.txt"));
        assertNull(r.get("/../../secret.txt"));
        assertNull(r.get("/secret.txt"));
        assertNull(r.get("/ok.txt/../../META-INF/secret.txt"));
    }

    @Test
    void noJarResourcesIsJustTheFolder() throws Exception {
        Path root = Files.createDirectories(dir.resolve("app"));
        Resources r = WebAppResources.of(root, List.of(jar("plain.jar", Map.of("com/acme/A.class", "x"))));
        assertSame(Resources.folder(root).getClass(), r.getClass());
    }
}
