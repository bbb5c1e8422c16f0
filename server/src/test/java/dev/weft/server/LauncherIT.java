package dev.weft.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./weft} launcher: which JDK it picks, what it says when there is none, when it
 * builds, and the server's answers to --help and to a bad argument through it. The JDKs are fake
 * folders whose {@code bin/java} prints a version, and the PATH holds only the tools the script
 * uses, so the machine's own Java never gets in the way.
 */
class LauncherIT {
    static final Path REPO = Path.of(System.getProperty("weft.repo", "..")).toAbsolutePath().normalize();
    static final Path LAUNCHER = REPO.resolve("weft");

    @TempDir
    Path dir;
    Path tools;

    @BeforeEach
    void tools() throws IOException {
        tools = Files.createDirectories(dir.resolve("tools"));
        for (String tool : List.of("sh", "sed", "awk", "head", "dirname", "readlink", "find", "cat", "touch", "mkdir")) {
            Path found = null;
            for (String d : List.of("/usr/bin", "/bin", "/usr/local/bin")) {
                if (Files.isExecutable(Path.of(d, tool))) {
                    found = Path.of(d, tool);
                    break;
                }
            }
            if (found == null) {
                throw new IllegalStateException("the launcher needs " + tool + ", which this machine lacks");
            }
            Files.createSymbolicLink(tools.resolve(tool), found);
        }
    }

    /** A fake JDK: {@code java -version} prints {@code version}; any other call says which java ran, with what. */
    private Path fakeJdk(String name, String version) throws IOException {
        Path home = dir.resolve("jdks").resolve(name);
        executable(home.resolve("bin/java"), """
                #!/bin/sh
                if [ "$1" = "-version" ]; then
                    echo 'openjdk version "%s" 2024-01-16' >&2
                    echo 'OpenJDK Runtime Environment (fake)' >&2
                    exit 0
                fi
                echo "fake java %s: $*"
                """.formatted(version, name));
        return home;
    }

    private static void executable(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private Child launch(Path launcher, Map<String, String> env, String... args) throws IOException {
        Map<String, String> e = new HashMap<>();
        e.put("PATH", tools.toString());
        e.put("HOME", dir.toString());
        e.put("WEFT_SKIP_BUILD", "1");
        e.put("JAVA_HOME", "");
        e.put("WEFT_JDK_DIRS", dir.resolve("no-jdks-here").toString()); // never the machine's own
        e.putAll(env);
        List<String> command = new ArrayList<>(List.of(tools.resolve("sh").toString(), launcher.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().clear();
        e.forEach((k, v) -> {
            if (!v.isEmpty()) {
                pb.environment().put(k, v);
            }
        });
        return Child.of(pb.start());
    }

    private String run(Map<String, String> env, int expectedStatus, String... args) throws Exception {
        try (Child c = launch(LAUNCHER, env, args)) {
            int status = c.await(Duration.ofSeconds(60));
            assertEquals(expectedStatus, status, c.output());
            return c.output();
        }
    }

    @Test
    void javaHomeWinsWhenItIs21OrNewer() throws Exception {
        Path jdk21 = fakeJdk("jdk21", "21.0.2");
        fakeJdk("jdk25", "25");
        String out = run(Map.of("JAVA_HOME", jdk21.toString(), "WEFT_JDK_DIRS", dir.resolve("jdks/*").toString()), 0,
                "--port", "1");
        assertTrue(out.startsWith("fake java jdk21: "), out);
        assertTrue(out.endsWith("-jar " + REPO.resolve("server/target/weft.jar") + " --port 1"), out);
    }

    @Test
    void anOlderJavaHomeIsPassedOverForTheNewestInstalledJdk() throws Exception {
        Path jdk17 = fakeJdk("jdk17", "17.0.9");
        fakeJdk("jdk8", "1.8.0_392");
        fakeJdk("jdk21", "21-ea");
        fakeJdk("jdk22", "22+36");
        String out = run(Map.of("JAVA_HOME", jdk17.toString(), "WEFT_JDK_DIRS", dir.resolve("jdks/*").toString()), 0,
                "--version");
        assertEquals("fake java jdk22: -jar " + REPO.resolve("server/target/weft.jar") + " --version", out);
    }

    @Test
    void installLocationsAreSeveralPatterns() throws Exception {
        fakeJdk("a-17", "17");
        Path other = dir.resolve("elsewhere/Contents/Home");
        executable(other.resolve("bin/java"), "#!/bin/sh\necho 'fake java elsewhere'\n");
        Files.writeString(other.resolve("release"), "IMPLEMENTOR=\"fake\"\nJAVA_VERSION=\"23.0.1\"\n");
        String out = run(Map.of("WEFT_JDK_DIRS", dir.resolve("jdks/*") + ":" + dir.resolve("nothing/*") + ":"
                + dir.resolve("*/Contents/Home")), 0, "--version");
        assertEquals("fake java elsewhere", out, "found by its release file");
    }

    @Test
    void javaOnThePathIsTheLastResort() throws Exception {
        Path jdk = fakeJdk("jdk24", "24.0.1");
        Files.createSymbolicLink(tools.resolve("java"), jdk.resolve("bin/java"));
        String out = run(Map.of("WEFT_JDK_DIRS", dir.resolve("none").toString()), 0, "--version");
        assertTrue(out.startsWith("fake java jdk24: "), out);
    }

    @Test
    void withoutAJdk21ItSaysWhereItLookedInOneLine() throws Exception {
        Path jdk17 = fakeJdk("jdk17", "17.0.9");
        fakeJdk("jdk11", "11.0.21");
        Files.createSymbolicLink(tools.resolve("java"), jdk17.resolve("bin/java"));
        String out = run(Map.of("JAVA_HOME", jdk17.toString(), "WEFT_JDK_DIRS", dir.resolve("jdks/*").toString()), 1);
        assertEquals("weft: no JDK 21 or newer found; looked at JAVA_HOME=" + jdk17 + " (17), " + dir.resolve("jdks/*")
                + ", java on the PATH (" + tools.resolve("java") + ": 17). Install one, or set JAVA_HOME to one", out);
    }

    @Test
    void buildsWhenTheJarIsOlderThanTheSources() throws Exception {
        // A copy of the launcher in a tree of its own, with a fake mvn that makes the jar.
        Path repo = Files.createDirectories(dir.resolve("repo"));
        Files.copy(LAUNCHER, repo.resolve("weft"));
        Path jar = repo.resolve("server/target/weft.jar");
        Path source = repo.resolve("server/src/main/java/A.java");
        Files.createDirectories(jar.getParent());
        Files.createDirectories(source.getParent());
        Files.writeString(repo.resolve("pom.xml"), "<project/>");
        Files.writeString(source, "class A {}");
        executable(tools.resolve("mvn"), """
                #!/bin/sh
                echo "fake mvn in $(pwd): $*"
                touch server/target/weft.jar
                """);
        Path jdk = fakeJdk("jdk21", "21");
        Map<String, String> env = Map.of("JAVA_HOME", jdk.toString(), "WEFT_SKIP_BUILD", "0");

        String first = runIn(repo, env, "--version");
        assertTrue(first.contains("fake mvn in " + repo + ": -q -B -pl server -am package -DskipTests"), first);
        assertTrue(first.endsWith("fake java jdk21: -jar " + jar + " --version"), first);

        String second = runIn(repo, env, "--version");
        assertEquals("fake java jdk21: -jar " + jar + " --version", second, "up to date: no build");

        Files.setLastModifiedTime(source, FileTime.from(Instant.now().plusSeconds(60)));
        assertTrue(runIn(repo, env, "--version").contains("fake mvn"), "a newer source: built again");
    }

    private String runIn(Path repo, Map<String, String> env, String... args) throws Exception {
        try (Child c = launch(repo.resolve("weft"), env, args)) {
            assertEquals(0, c.await(Duration.ofSeconds(60)), c.output());
            return c.output();
        }
    }

    // ---- The real server through the launcher, with the JDK running this test ----

    private Map<String, String> realJdk() {
        return Map.of("JAVA_HOME", System.getProperty("java.home"));
    }

    @Test
    void helpListsEveryFlag() throws Exception {
        String out = run(realJdk(), 0, "--help");
        assertTrue(out.startsWith("Usage: weft "), out);
        for (Setting<?> s : Settings.ALL) {
            assertTrue(out.contains(s.flag() + " ") || out.contains(s.flag() + "\n"), s.flag() + " in\n" + out);
        }
    }

    @Test
    void aBadArgumentIsOneLineAndStatus2() throws Exception {
        String out = run(realJdk(), 2, "--port", "eighty");
        assertEquals("weft: --port \"eighty\": expected a port from 0 to 65535 (0 picks a free one); try --help", out);
        out = run(realJdk(), 2, "--colour");
        assertEquals(1, out.lines().count(), out);
        assertTrue(out.startsWith("weft: unknown option --colour"), out);
        out = run(realJdk(), 2, "no-such.war");
        assertEquals("weft: no-such.war: no such file or folder; try --help", out);
    }
}
