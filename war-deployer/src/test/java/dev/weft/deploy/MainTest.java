package dev.weft.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The command line: parsing, help, errors, and serving, in this JVM and in a child one. */
class MainTest {
    @TempDir
    Path dir;

    Path war;
    Path exploded;
    Path webapps;

    final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    final PrintStream out = new PrintStream(outBytes, true, StandardCharsets.UTF_8);
    final PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);

    @BeforeEach
    void files() throws IOException {
        war = Wars.writeWar(dir.resolve("shop.war"), "shop");
        exploded = Wars.explode(dir.resolve("docs"), "docs");
        webapps = Files.createDirectories(dir.resolve("webapps"));
    }

    String out() {
        return outBytes.toString(StandardCharsets.UTF_8);
    }

    String err() {
        return errBytes.toString(StandardCharsets.UTF_8);
    }

    // ---- Parsing ----

    @Test
    void defaults() throws Exception {
        Main.Options o = Main.parse(war.toString());
        assertEquals(8080, o.port());
        assertNull(o.host());
        assertNull(o.workDir());
        assertEquals(List.of(war), o.apps());
        assertEquals(List.of(), o.webappsFolders());
    }

    @Test
    void aFolderWithWebInfIsAnApplicationAnyOtherFolderIsWatched() throws Exception {
        Main.Options o = Main.parse("--port", "9090", "--host", "127.0.0.1", "--work", dir.resolve("w").toString(),
                webapps.toString(), war.toString(), exploded.toString());
        assertEquals(9090, o.port());
        assertEquals("127.0.0.1", o.host());
        assertEquals(dir.resolve("w"), o.workDir());
        assertEquals(List.of(webapps), o.webappsFolders());
        assertEquals(List.of(war, exploded), o.apps());
    }

    @Test
    void optionsTakeTheirValueAfterAnEqualsSignToo() throws Exception {
        Main.Options o = Main.parse("--port=0", "--host=localhost", war.toString());
        assertEquals(0, o.port());
        assertEquals("localhost", o.host());
    }

    @Test
    void helpWinsAndNeedsNothingElse() throws Exception {
        assertTrue(Main.parse("--help").help());
        assertTrue(Main.parse("-h", "--port", "nonsense").help());
    }

    @Test
    void helpExplainsEveryOption() {
        assertEquals(0, Main.run(new String[] {"--help"}, out, err));
        String help = out();
        for (String s : List.of("Usage: java dev.weft.deploy.Main", "--port N", "--host ADDR", "--work DIR", "--help",
                "WEBAPPS_DIR", "APP.war", "EXPLODED_DIR", "default 8080", "java.io.tmpdir", "ROOT.war at /",
                "shop##v2.war at /shop", "a#b.war at /a/b", "the WAR wins", "Exit status")) {
            assertTrue(help.contains(s), "the help mentions " + s + ":\n" + help);
        }
        assertEquals("", err());
    }

    static Stream<Arguments> badCommandLines() {
        return Stream.of(
                Arguments.of(List.of(), "weft: nothing to serve"),
                Arguments.of(List.of("--port"), "weft: --port needs a value"),
                Arguments.of(List.of("--port", "http", "WAR"), "weft: --port needs a number from 0 to 65535, not \"http\""),
                Arguments.of(List.of("--port", "65536", "WAR"), "weft: --port needs a number from 0 to 65535"),
                Arguments.of(List.of("--port", "-1", "WAR"), "weft: --port needs a number from 0 to 65535"),
                Arguments.of(List.of("--host", "", "WAR"), "weft: --host needs an address"),
                // .invalid never resolves (RFC 6761).
                Arguments.of(List.of("--host", "no-such-host.invalid", "WAR"),
                        "weft: --host no-such-host.invalid: no such address or host name"),
                Arguments.of(List.of("--verbose", "WAR"), "weft: unknown option --verbose"),
                Arguments.of(List.of("--help=yes"), "weft: --help takes no value"),
                Arguments.of(List.of("missing.war"), "weft: missing.war: no such file or folder"),
                Arguments.of(List.of("NOTES"), "is not a WAR file"),
                Arguments.of(List.of("--work", "WEBAPPS", "WEBAPPS"), "is in the webapps folder"),
                Arguments.of(List.of("--work", "WEBAPPS/work", "WEBAPPS"), "is in the webapps folder"));
    }

    @ParameterizedTest
    @MethodSource("badCommandLines")
    void aBadCommandLineIsOneLineOnStderrAndStatus2(List<String> args, String expected) throws IOException {
        Path notes = Files.writeString(dir.resolve("notes.txt"), "hello");
        String[] argv = args.stream()
                .map(a -> a.replace("WEBAPPS", webapps.toString()).replace("WAR", war.toString())
                        .replace("NOTES", notes.toString()))
                .toArray(String[]::new);
        assertEquals(2, Main.run(argv, out, err));
        assertEquals("", out());
        List<String> lines = err().lines().toList();
        assertEquals(1, lines.size(), err());
        assertTrue(lines.getFirst().contains(expected), lines.getFirst());
        assertTrue(lines.getFirst().startsWith("weft: ") && lines.getFirst().endsWith(" (try --help)"), lines.getFirst());
    }

    @Test
    void aDoubleDashEndsTheOptions() throws Exception {
        Path dashed = Wars.writeWar(dir.resolve("--odd.war"), "odd");
        Main.Options o = Main.parse("--port", "0", "--", dashed.toString());
        assertEquals(List.of(dashed), o.apps());
    }

    // ---- Serving, in this JVM ----

    @Test
    void servesAListOfWarsAndFoldersAtTheirNamesPaths() throws Exception {
        Path versioned = Wars.writeWar(dir.resolve("blog##v2.war"), "blog");
        Main main = new Main(Main.parse("--port", "0", "--host", "127.0.0.1", "--work", dir.resolve("work").toString(),
                war.toString(), versioned.toString(), exploded.toString()), out, err);
        assertEquals(0, main.start());
        int port = main.address().getPort();
        try (Http http = new Http(port)) {
            assertEquals("200 hello from shop #1", http.fetch("/shop/hello"));
            assertEquals("200 hello from blog #1", http.fetch("/blog/hello"));
            assertEquals("200 hello from docs #1", http.fetch("/docs/hello"));
        } finally {
            main.stop();
        }
        String log = out();
        assertTrue(log.startsWith("Weft on http://127.0.0.1:" + port + "/ (work folder "), log);
        // A line per application: path, URL, source and deploy time.
        assertTrue(Pattern.compile("(?m)^  /shop +http://127\\.0\\.0\\.1:" + port + "/shop/ +from shop\\.war in \\d+ ms$")
                .matcher(log).find(), log);
        assertTrue(Pattern.compile("(?m)^  /blog +http://127\\.0\\.0\\.1:" + port + "/blog/ +from blog##v2\\.war in \\d+ ms$")
                .matcher(log).find(), log);
        assertTrue(Pattern.compile("(?m)^Started in \\d+ ms: 3 applications\\. Stop with Ctrl-C\\.$").matcher(log).find(), log);
        assertTrue(log.endsWith("Stopped." + System.lineSeparator()), log);
        assertEquals("", err());
        assertTrue(Files.isDirectory(dir.resolve("work/shop")), "WARs are unpacked in the work folder");
    }

    @Test
    void aBrokenWarIsOneLineAndTheOthersAreServed() throws Exception {
        Path broken = Files.write(dir.resolve("broken.war"), Wars.brokenWar());
        Main main = new Main(Main.parse("--port", "0", "--host", "127.0.0.1", "--work", dir.resolve("work").toString(),
                broken.toString(), war.toString()), out, err);
        assertEquals(0, main.start());
        try (Http http = new Http(main.address().getPort())) {
            assertEquals("200 hello from shop #1", http.fetch("/shop/hello"));
            assertEquals(404, http.get("/broken/hello").statusCode());
        } finally {
            main.stop();
        }
        List<String> lines = err().lines().toList();
        assertEquals(1, lines.size(), err());
        assertTrue(lines.getFirst().startsWith("weft: FAILED /broken from " + broken + ": broken.war!/WEB-INF/web.xml:4: "),
                lines.getFirst());
        assertTrue(out().contains("1 application, 1 failed"), out());
    }

    @Test
    void nothingDeployedAndNothingWatchedIsStatus1() throws Exception {
        Path broken = Files.write(dir.resolve("broken.war"), Wars.brokenWar());
        String[] args = {"--port", "0", "--work", dir.resolve("work").toString(), broken.toString()};
        assertEquals(1, Main.run(args, out, err));
        List<String> lines = err().lines().toList();
        assertEquals(2, lines.size(), err());
        assertTrue(lines.get(0).startsWith("weft: FAILED /broken from "), lines.get(0));
        assertEquals("weft: no application could be deployed; stopping", lines.get(1));
    }

    @Test
    void aWatchedFolderIsReportedLikeTheListedApplications() throws Exception {
        Wars.writeWar(webapps.resolve("ROOT.war"), "root");
        Files.write(webapps.resolve("broken.war"), Wars.brokenWar());
        Main main = new Main(Main.parse("--port", "0", "--work", dir.resolve("work").toString(), webapps.toString(),
                war.toString()), out, err);
        assertEquals(0, main.start());
        int port = main.address().getPort();
        try (Http http = new Http(port)) {
            assertEquals("200 hello from root #1", http.fetch("/hello"));
            assertEquals("200 hello from shop #1", http.fetch("/shop/hello"));
        } finally {
            main.stop();
        }
        String log = out();
        assertTrue(log.startsWith("Weft on http://localhost:" + port + "/ "), log);
        assertTrue(Pattern.compile("(?m)^  / +http://localhost:" + port + "/ +from ROOT\\.war in \\d+ ms$").matcher(log).find(), log);
        assertTrue(log.contains("Watching " + webapps.toAbsolutePath() + " for applications"), log);
        assertTrue(log.contains(": 2 applications, 1 failed."), log);
        List<String> lines = err().lines().toList();
        assertEquals(1, lines.size(), err());
        assertTrue(lines.getFirst().startsWith("weft: FAILED /broken from " + webapps.resolve("broken.war").toAbsolutePath()
                + ": broken.war!/WEB-INF/web.xml:4: "), lines.getFirst());
    }

    @Test
    void anEmptyWatchedFolderKeepsRunningAndPicksUpWhatArrives() throws Exception {
        Main main = new Main(Main.parse("--port", "0", "--work", dir.resolve("work").toString(), webapps.toString()), out, err);
        assertEquals(0, main.start());
        try (Http http = new Http(main.address().getPort())) {
            assertTrue(out().contains("Started in ") && out().contains(": 0 applications."), out());
            Wars.writeWar(webapps.resolve("late.war"), "late");
            String[] last = {""};
            Http.await("late.war to be served", () -> (last[0] = http.fetch("/late/hello")).equals("200 hello from late #1"),
                    () -> last[0]);
        } finally {
            main.stop();
        }
        assertTrue(out().contains("  undeployed /late"), out());
    }

    @Test
    void aPortInUseIsStatus1() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Main main = new Main(Main.parse("--port", String.valueOf(taken.getLocalPort()), "--host", "127.0.0.1",
                    "--work", dir.resolve("work").toString(), war.toString()), out, err);
            assertEquals(1, main.start());
        }
        List<String> lines = err().lines().toList();
        assertEquals(1, lines.size(), err());
        assertTrue(lines.getFirst().startsWith("weft: cannot listen on "), lines.getFirst());
    }

    // ---- The real thing ----

    @Test
    void aChildJvmServesAWarAndExits0OnSigterm() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder pb = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "--port", "0", "--host", "127.0.0.1", "--work", dir.resolve("work").toString(),
                war.toString());
        // Files, not pipes: a pipe read while the process exits can fail with "Stream closed".
        Path stdout = dir.resolve("stdout.txt");
        Path stderr = dir.resolve("stderr.txt");
        pb.redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
        Process p = pb.start();
        try {
            Http.await("the child to start", () -> read(stdout).contains("\nStarted in ") || !p.isAlive(),
                    () -> read(stdout) + read(stderr));
            String started = read(stdout);
            assertTrue(p.isAlive(), started + read(stderr));
            Matcher m = Pattern.compile("^Weft on http://127\\.0\\.0\\.1:(\\d+)/").matcher(started);
            assertTrue(m.find(), started);
            int port = Integer.parseInt(m.group(1));
            assertTrue(Pattern.compile("(?m)^  /shop +http://127\\.0\\.0\\.1:" + port + "/shop/ +from shop\\.war in \\d+ ms$")
                    .matcher(started).find(), started);
            try (Http http = new Http(port)) {
                assertEquals("200 hello from shop #1", http.fetch("/shop/hello"));
            }

            p.destroy(); // SIGTERM
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the process ended");
            String all = read(stdout);
            assertEquals(0, p.exitValue(), all + read(stderr));
            assertTrue(all.contains("\nShutting down: finishing requests in flight (up to 10 s)\n  undeployed /shop\nStopped.\n"),
                    all + read(stderr));
        } finally {
            p.destroyForcibly();
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void parseRejectsWhatRunWouldReject() {
        assertThrows(Main.UsageException.class, () -> Main.parse("--port", "x", war.toString()));
    }
}
