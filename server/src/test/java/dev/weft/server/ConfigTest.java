package dev.weft.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Settings from defaults, the file and flags; every mistake is one line naming what is wrong. */
class ConfigTest {
    @TempDir
    Path dir;

    private Config load(String... args) throws ConfigException {
        return Config.load(CommandLine.parse(args), dir);
    }

    private String error(String... args) {
        return assertThrows(ConfigException.class, () -> load(args)).getMessage();
    }

    private Path file(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
        return p;
    }

    @Test
    void defaultsServeTheExamplesOn8080() throws Exception {
        Config c = load();
        assertEquals(8080, c.get(Settings.PORT));
        assertNull(c.get(Settings.HOST));
        assertNull(c.get(Settings.TLS_PORT));
        assertEquals(Duration.ofSeconds(20), c.get(Settings.READ_HEADER_TIMEOUT));
        assertEquals(Duration.ofSeconds(20), c.get(Settings.DRAIN_TIME));
        assertEquals(8 << 10, c.get(Settings.MAX_REQUEST_LINE));
        assertEquals(-1L, c.get(Settings.MAX_BODY));
        assertEquals("combined", c.get(Settings.ACCESS_LOG_PATTERN));
        assertNull(c.get(Settings.ACCESS_LOG));
        assertTrue(c.servesExamples());
        assertNull(c.file());
        for (Setting<?> s : Settings.ALL) {
            assertNull(c.origin(s), s.key);
        }
    }

    @Test
    void theFileIsReadAndFlagsWinOverIt() throws Exception {
        Path f = file("conf/weft.properties", """
                # a comment
                port = 9090
                timeout.idle: 2m
                max-body=10MiB
                keep-alive=off
                access-log=logs/access.log
                """);
        Config c = load("--config", f.toString(), "--timeout-idle", "45s", "--max-header-count=50");
        assertEquals(9090, c.get(Settings.PORT));
        assertEquals(Duration.ofSeconds(45), c.get(Settings.IDLE_TIMEOUT));
        assertEquals(10L << 20, c.get(Settings.MAX_BODY));
        assertFalse(c.get(Settings.KEEP_ALIVE));
        assertEquals(50, c.get(Settings.MAX_HEADER_COUNT));
        // Relative paths in the file are relative to the file's folder.
        assertEquals(dir.resolve("conf/logs/access.log").toString(), c.get(Settings.ACCESS_LOG));
        assertEquals(f + ":2", c.origin(Settings.PORT));
        assertEquals("command line", c.origin(Settings.IDLE_TIMEOUT));
    }

    @Test
    void weftPropertiesInTheCurrentFolderIsReadByItself() throws Exception {
        file("weft.properties", "port=7070\n");
        Config c = load();
        assertEquals(7070, c.get(Settings.PORT));
        assertEquals(dir.resolve("weft.properties"), c.file());
    }

    @Test
    void booleanFlagsAloneAndNegated() throws Exception {
        assertTrue(load("--keep-alive").get(Settings.KEEP_ALIVE));
        assertFalse(load("--no-keep-alive").get(Settings.KEEP_ALIVE));
        assertFalse(load("--keep-alive=no").get(Settings.KEEP_ALIVE));
        assertFalse(load("--no-jmx").get(Settings.JMX));
    }

    @Test
    void keysWorkAsFlagsToo() throws Exception {
        assertEquals(Duration.ofSeconds(3), load("--timeout.read-header", "3s").get(Settings.READ_HEADER_TIMEOUT));
        assertEquals(Duration.ofSeconds(3), load("--timeout-read-header=3s").get(Settings.READ_HEADER_TIMEOUT));
    }

    @Test
    void pathsGivenAsArgumentsAreServedInsteadOfTheExamples() throws Exception {
        Files.createDirectories(dir.resolve("webapps"));
        file("shop.war", "not really a zip, but a file named .war");
        file("weft.properties", "webapps=elsewhere-that-is-ignored\n");
        Config c = load("--port", "9090", "webapps", "shop.war");
        assertEquals(List.of(dir.resolve("webapps"), dir.resolve("shop.war")), c.get(Settings.WEBAPPS));
        assertFalse(c.servesExamples());
    }

    /** One row per mistake: the arguments, and what the one-line message must say. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            --prot 9090                              | unknown option --prot (did you mean --port?)
            --port abc                               | --port "abc": expected a port from 0 to 65535
            --port 70000                             | --port "70000": expected a port from 0 to 65535
            --port                                   | --port needs a value
            --timeout-read 5min                      | --timeout-read "5min": expected a duration such as 250ms, 30s, 5m or 2h
            --max-request-line 8                     | --max-request-line "8": expected a size from 16 to 1GiB
            --max-body lots                          | --max-body "lots": expected a size in bytes such as 8192, 8KiB, 1MiB or 1GiB
            --keep-alive=maybe                       | --keep-alive "maybe": expected true or false
            --tls-client-auth sometimes              | --tls-client-auth "sometimes": expected one of none, want, need
            --session-timeout 90s                    | --session-timeout "90s": expected whole minutes
            --access-log-pattern %h-%Z               | --access-log-pattern "%h-%Z": expected a known code at position 4, not %Z
            --log-level loud                         | --log-level "loud": expected one of error, warn, info, debug, trace
            --help=yes                               | --help takes no value
            nowhere.war                              | nowhere.war: no such file or folder
            --tls-cert c.pem                         | --tls-cert is set but tls.port is off
            --tls-port 8443                          | --tls-port is set: it needs tls.cert and tls.key, or tls.keystore
            -x                                       | unknown option -x
            """)
    void mistakesAreOneLineNamingTheFlagAndValue(String args, String expected) {
        String message = error(args.trim().split("\\s+"));
        assertTrue(message.startsWith(expected.trim()), message);
        assertFalse(message.contains("\n"), message);
    }

    @Test
    void aFileMistakeNamesTheFileAndLine() throws Exception {
        Path f = file("weft.properties", """
                port=8081

                # timeouts
                timeout.read = five minutes
                """);
        assertEquals(f + ":4: timeout.read = \"five minutes\": expected a duration such as 250ms, 30s, 5m or 2h (0 for none)",
                error());
        file("weft.properties", "port=8081\nprot=8082\n");
        assertEquals(f + ":2: unknown key prot (did you mean port?)", error());
        file("weft.properties", "port=8081\nsomething.else=1\n");
        assertEquals(f + ":2: unknown key something.else", error());
    }

    @Test
    void theFirstMistakeInTheFileIsTheOneReported() throws Exception {
        Path f = file("weft.properties", "max-body=x\nport=y\n");
        assertTrue(error().startsWith(f + ":1: max-body"));
    }

    @Test
    void aMissingConfigFileIsAnError() {
        assertEquals("--config nope.properties: no such file", error("--config", "nope.properties"));
    }

    @Test
    void tlsNeedsACertificateAndKeyOrAKeyStore() throws Exception {
        file("c.pem", "x");
        file("k.pem", "x");
        file("s.p12", "x");
        assertTrue(error("--tls-port", "0", "--tls-cert", "c.pem").startsWith("--tls-cert is set: it needs tls.key too"));
        assertTrue(error("--tls-port", "0", "--tls-cert", "c.pem", "--tls-key", "k.pem", "--tls-keystore", "s.p12")
                .startsWith("--tls-keystore and tls.cert/tls.key are both set"));
        assertTrue(error("--tls-port", "0", "--tls-cert", "c.pem", "--tls-key", "missing.pem")
                .startsWith("--tls-key " + dir.resolve("missing.pem") + ": no such file"));
        assertTrue(error("--tls-port", "8080", "--tls-keystore", "s.p12").startsWith("--tls-port 8080 is the HTTP port too"));
        assertTrue(error("--tls-port", "8443", "--tls-keystore", "s.p12", "--tls-client-auth", "need")
                .startsWith("--tls-client-auth need needs tls.client-ca"));
        Config ok = load("--tls-port", "8443", "--tls-cert", "c.pem", "--tls-key", "k.pem");
        assertEquals(8443, ok.get(Settings.TLS_PORT));
        assertEquals(dir.resolve("c.pem"), ok.get(Settings.TLS_CERT));
    }

    @Test
    void theWorkFolderCannotBeAFolderToServe() throws Exception {
        Files.createDirectories(dir.resolve("webapps"));
        assertTrue(error("--work", "webapps", "webapps").contains("is a folder to serve"));
    }

    @Test
    void printedSettingsLoadBackToTheSameValues() throws Exception {
        Config c = load("--port", "9091", "--timeout-write", "90s", "--max-body", "1MiB", "--access-log", "stdout",
                "--tls-protocols", "TLSv1.3");
        Path printed = file("printed.properties", c.print());
        Config again = load("--config", printed.toString());
        for (Setting<?> s : Settings.ALL) {
            assertEquals(c.get(s), again.get(s), s.key);
        }
    }

    @Test
    void sizesAndDurationsAreWrittenTheWayTheyAreRead() {
        assertEquals(8192, Values.size("8KiB"));
        assertEquals(8192, Values.size("8k"));
        assertEquals(1 << 20, Values.size("1 MiB"));
        assertEquals(3L << 30, Values.size("3G"));
        assertEquals("8KiB", Values.sizeText(8192));
        assertEquals("1000", Values.sizeText(1000));
        assertEquals(Duration.ofMillis(250), Values.duration("250ms"));
        assertEquals(Duration.ofHours(2), Values.duration("2h"));
        assertEquals(Duration.ZERO, Values.duration("0"));
        assertEquals("90s", Values.text(Duration.ofSeconds(90)));
        assertEquals("2m", Values.text(Duration.ofSeconds(120)));
        assertThrows(IllegalArgumentException.class, () -> Values.duration("-5s"));
        assertThrows(IllegalArgumentException.class, () -> Values.size("99999999999999999999"));
    }
}
