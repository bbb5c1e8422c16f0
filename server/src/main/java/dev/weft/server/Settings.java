package dev.weft.server;

import dev.weft.http.Limits;
import dev.weft.http.Server;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Every configuration key the server knows, in the order help and the documentation list them.
 * A key not listed here is an error, wherever it is written.
 */
final class Settings {
    private Settings() {}

    private static final String LISTEN = "Listening";
    private static final String TLS = "TLS (HTTPS)";
    private static final String TIMEOUTS = "Timeouts";
    private static final String LIMITS = "Limits";
    private static final String APPS = "Applications";
    private static final String SESSIONS = "Sessions";
    private static final String LOG_GROUP = "Access log";
    private static final String OBSERVE = "Logging and monitoring";

    // ---- Listening ----

    static final Setting<String> HOST = new Setting<>("host", LISTEN, "ADDRESS", Values.strings(), null,
            "all addresses", s -> s, "the address to listen on for HTTP (and HTTPS unless tls.host is set)");
    static final Setting<Integer> PORT = new Setting<>("port", LISTEN, "N", Values.ports(), 8080, "8080",
            String::valueOf, "the HTTP port; 0 picks a free one (the log tells which)");
    static final Setting<Boolean> KEEP_ALIVE = bool("keep-alive", LISTEN, true,
            "reuse connections between requests (HTTP keep-alive)");
    static final Setting<Integer> MAX_CONNECTIONS = new Setting<>("max-connections", LISTEN, "N",
            Values.ints(0, Integer.MAX_VALUE), Server.Builder.DEFAULT_MAX_CONNECTIONS, "10000", String::valueOf,
            "the most connections open at once, 0 for no limit; at the limit new ones wait in the kernel's backlog");

    // ---- TLS ----

    static final Setting<Integer> TLS_PORT = new Setting<>("tls.port", TLS, "N", Values.portsOrOff(), null, "off",
            String::valueOf, "the HTTPS port, or off for no HTTPS; needs tls.cert and tls.key, or tls.keystore");
    static final Setting<String> TLS_HOST = new Setting<>("tls.host", TLS, "ADDRESS", Values.strings(), null,
            "the value of host", s -> s, "the address to listen on for HTTPS");
    static final Setting<Path> TLS_CERT = path("tls.cert", TLS, "the certificate chain, a PEM file (leaf first)");
    static final Setting<Path> TLS_KEY = path("tls.key", TLS, "the private key of tls.cert, a PEM file (PKCS#8, PKCS#1 or SEC1)");
    static final Setting<Path> TLS_KEYSTORE = path("tls.keystore", TLS,
            "a PKCS#12 key store instead of tls.cert and tls.key; every key entry in it is served, chosen by SNI");
    static final Setting<String> TLS_KEYSTORE_PASSWORD = new Setting<>("tls.keystore-password", TLS, "TEXT",
            Values.strings(), null, "none", s -> s, "the key store's password");
    static final Setting<List<String>> TLS_PROTOCOLS = new Setting<>("tls.protocols", TLS, "LIST", Values.lists(),
            List.of("TLSv1.3", "TLSv1.2"), "TLSv1.3,TLSv1.2", l -> String.join(",", l),
            "the TLS versions offered, comma-separated");
    static final Setting<String> TLS_CLIENT_AUTH = new Setting<>("tls.client-auth", TLS, "MODE",
            Values.oneOf("none", "want", "need"), "none", "none", s -> s,
            "client certificates: none, want (asked for) or need (required); issued by tls.client-ca");
    static final Setting<Path> TLS_CLIENT_CA = path("tls.client-ca", TLS,
            "the CAs client certificates must be issued by, a PEM file of certificates");
    static final Setting<Duration> TLS_HANDSHAKE_TIMEOUT = new Setting<>("tls.handshake-timeout", TLS, "DURATION",
            Values.durations(), null, "the value of timeout.read-header", Values::text,
            "the most time for a TLS handshake");

    // ---- Timeouts ----

    static final Setting<Duration> READ_HEADER_TIMEOUT = duration("timeout.read-header",
            Server.Builder.DEFAULT_READ_HEADER_TIMEOUT,
            "reading a request's line and header fields; a slow head gets 408 (0: the value of timeout.read)");
    static final Setting<Duration> READ_TIMEOUT = duration("timeout.read", Server.Builder.DEFAULT_READ_TIMEOUT,
            "reading a whole request, body included");
    static final Setting<Duration> WRITE_TIMEOUT = duration("timeout.write", Server.Builder.DEFAULT_WRITE_TIMEOUT,
            "from the end of a request's head to the end of its response");
    static final Setting<Duration> IDLE_TIMEOUT = duration("timeout.idle", Server.Builder.DEFAULT_IDLE_TIMEOUT,
            "a kept-alive connection waiting for its next request (0: the value of timeout.read)");
    static final Setting<Duration> DRAIN_TIME = new Setting<>("drain-time", TIMEOUTS, "DURATION", Values.durations(),
            Duration.ofSeconds(20), "20s", Values::text,
            "on SIGTERM or SIGINT, how long requests in flight may take to finish before their connections are closed");

    // ---- Limits ----

    static final Setting<Long> MAX_REQUEST_LINE = size("max-request-line", 16, 1L << 30,
            Limits.DEFAULT.maxRequestLineBytes(), "the longest request line (414)");
    static final Setting<Long> MAX_HEADER_BYTES = size("max-header-bytes", 64, 1L << 30,
            Limits.DEFAULT.maxHeaderBytes(), "request line and header fields together (431)");
    static final Setting<Integer> MAX_HEADER_COUNT = new Setting<>("max-header-count", LIMITS, "N",
            Values.ints(1, 100_000), Limits.DEFAULT.maxHeaderCount(), String.valueOf(Limits.DEFAULT.maxHeaderCount()),
            String::valueOf, "the most header fields in a request (431)");
    static final Setting<Long> MAX_BODY = new Setting<>("max-body", LIMITS, "SIZE", Values.sizesOrNone(0), -1L,
            "none", Values::sizeText, "the largest request body, or none (413)");
    static final Setting<Long> MAX_CHUNK_LINE = size("max-chunk-line", 16, 1L << 30,
            Limits.DEFAULT.maxChunkLineBytes(), "one chunk-size line of a chunked body, extensions included (400)");
    static final Setting<Long> MAX_CHUNK_EXTENSIONS = size("max-chunk-extensions", 0, 1L << 30,
            Limits.DEFAULT.maxChunkExtensionBytes(), "chunk extensions over a whole chunked body (400)");
    static final Setting<Long> MAX_TRAILER = size("max-trailer", 0, 1L << 30,
            Limits.DEFAULT.maxTrailerBytes(), "the trailer section of a chunked body (431)");

    // ---- Applications ----

    static final Setting<List<Path>> WEBAPPS = new Setting<>("webapps", APPS, "PATHS", Values.pathLists(), List.of(),
            "none: the bundled examples", l -> l.stream().map(Path::toString).collect(Collectors.joining(",")),
            "what to serve, comma-separated: WAR files, exploded WAR folders and webapps folders (watched); "
                    + "paths given as arguments replace these");
    static final Setting<Path> WORK = new Setting<>("work", APPS, "FOLDER", Values.paths(), null,
            "weft-work-USER-PORT in java.io.tmpdir", Path::toString,
            "where WAR files are unpacked, a folder per application; kept between runs");
    static final Setting<Duration> POLL_INTERVAL = new Setting<>("webapps.poll-interval", APPS, "DURATION",
            Values.durationsAtLeast(Duration.ofMillis(10)), Duration.ofSeconds(1), "1s", Values::text,
            "how often webapps folders are looked at for new, changed and removed applications");
    static final Setting<Integer> STABLE_POLLS = new Setting<>("webapps.stable-polls", APPS, "N", Values.ints(1, 1000),
            2, "2", String::valueOf, "how many looks in a row a change must hold still before it is deployed");

    // ---- Sessions ----

    static final Setting<Duration> SESSION_TIMEOUT = new Setting<>("session.timeout", SESSIONS, "DURATION",
            (t, base) -> {
                Duration d = Values.duration(t);
                if (d.toSeconds() % 60 != 0 || d.toMinutes() > Integer.MAX_VALUE) {
                    throw new IllegalArgumentException("whole minutes, such as 30m or 2h (0 for never)");
                }
                return d;
            }, Duration.ofMinutes(30), "30m", Values::text,
            "how long an unused session lives, for applications whose web.xml sets none (0: forever)");
    static final Setting<String> SESSION_COOKIE = new Setting<>("session.cookie-name", SESSIONS, "NAME",
            (t, base) -> {
                String s = t.trim();
                if (s.isEmpty() || !s.chars().allMatch(c -> c > 32 && c < 127 && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0)) {
                    throw new IllegalArgumentException("a cookie name (letters, digits and !#$%&'*+-.^_`|~)");
                }
                return s;
            }, "JSESSIONID", "JSESSIONID", s -> s, "the session cookie's name, unless web.xml sets one");
    static final Setting<Boolean> SESSION_COOKIE_SECURE = bool("session.cookie-secure", SESSIONS, false,
            "mark session cookies Secure even on plain HTTP (behind a proxy that speaks HTTPS)");
    static final Setting<Duration> SESSION_SWEEP = new Setting<>("session.sweep-interval", SESSIONS, "DURATION",
            Values.durationsAtLeast(Duration.ofMillis(10)), Duration.ofSeconds(30), "30s", Values::text,
            "how often expired sessions are looked for");

    // ---- Access log ----

    static final Setting<String> ACCESS_LOG = new Setting<>("access-log", LOG_GROUP, "FILE",
            (t, base) -> switch (t.trim()) {
                case "", "off" -> null;
                case "stdout", "-" -> "stdout";
                default -> Values.path(t.trim(), base).toString();
            }, null, "off", s -> s, "where to log requests: a file, stdout, or off");
    static final Setting<String> ACCESS_LOG_PATTERN = new Setting<>("access-log.pattern", LOG_GROUP, "PATTERN",
            (t, base) -> {
                AccessLogFormat.compile(t.trim()); // throws, saying what is wrong
                return t.trim();
            }, "combined", "combined", s -> s,
            "combined (NCSA), common, or a pattern of %-codes such as '%h %t \"%r\" %s %b %D'");
    static final Setting<Boolean> ACCESS_LOG_DAILY = bool("access-log.rotate-daily", LOG_GROUP, true,
            "start a new file at midnight; the old one gets its date: access.2025-01-31.log");
    static final Setting<Long> ACCESS_LOG_MAX_SIZE = new Setting<>("access-log.max-size", LOG_GROUP, "SIZE",
            Values.sizesOrNone(1024), -1L, "none", Values::sizeText,
            "start a new file when the current one would grow past this (access.2025-01-31.1.log, ...)");
    static final Setting<Integer> ACCESS_LOG_MAX_FILES = new Setting<>("access-log.max-files", LOG_GROUP, "N",
            Values.ints(0, 100_000), 0, "0", String::valueOf, "how many rotated files to keep, 0 for all");
    static final Setting<Integer> ACCESS_LOG_QUEUE = new Setting<>("access-log.queue", LOG_GROUP, "N",
            Values.ints(1, 10_000_000), 16384, "16384", String::valueOf,
            "lines waiting for the disk; when full, lines are dropped and counted, never waited for");

    // ---- Logging and monitoring ----

    static final Setting<String> LOG_LEVEL = new Setting<>("log.level", OBSERVE, "LEVEL",
            Values.oneOf("error", "warn", "info", "debug", "trace"), "info", "info", s -> s,
            "the server log's level: error, warn, info, debug or trace");
    static final Setting<Boolean> JMX = bool("jmx", OBSERVE, true,
            "register MBeans dev.weft:type=Server and dev.weft:type=WebApp,context=PATH");

    /** Every key, in the order they are documented. */
    static final List<Setting<?>> ALL = List.of(
            HOST, PORT, KEEP_ALIVE, MAX_CONNECTIONS,
            TLS_PORT, TLS_HOST, TLS_CERT, TLS_KEY, TLS_KEYSTORE, TLS_KEYSTORE_PASSWORD, TLS_PROTOCOLS,
            TLS_CLIENT_AUTH, TLS_CLIENT_CA, TLS_HANDSHAKE_TIMEOUT,
            READ_HEADER_TIMEOUT, READ_TIMEOUT, WRITE_TIMEOUT, IDLE_TIMEOUT, DRAIN_TIME,
            MAX_REQUEST_LINE, MAX_HEADER_BYTES, MAX_HEADER_COUNT, MAX_BODY, MAX_CHUNK_LINE, MAX_CHUNK_EXTENSIONS,
            MAX_TRAILER,
            WEBAPPS, WORK, POLL_INTERVAL, STABLE_POLLS,
            SESSION_TIMEOUT, SESSION_COOKIE, SESSION_COOKIE_SECURE, SESSION_SWEEP,
            ACCESS_LOG, ACCESS_LOG_PATTERN, ACCESS_LOG_DAILY, ACCESS_LOG_MAX_SIZE, ACCESS_LOG_MAX_FILES,
            ACCESS_LOG_QUEUE,
            LOG_LEVEL, JMX);

    static Setting<?> byKey(String key) {
        for (Setting<?> s : ALL) {
            if (s.key.equals(key)) {
                return s;
            }
        }
        return null;
    }

    /** The setting of {@code --tls-port}, or of {@code --tls.port}, its key as a flag. */
    static Setting<?> byFlag(String flag) {
        for (Setting<?> s : ALL) {
            if (s.flag().equals(flag) || flag.equals("--" + s.key)) {
                return s;
            }
        }
        return null;
    }

    /** The key closest to a misspelt one, or null when none is close. */
    static String closestKey(String key) {
        Setting<?> s = closest(key, false);
        return s == null ? null : s.key;
    }

    /** The flag closest to a misspelt one, or null when none is close. */
    static String closestFlag(String flag) {
        Setting<?> s = closest(flag, true);
        return s == null ? null : s.flag();
    }

    private static Setting<?> closest(String name, boolean flag) {
        Setting<?> best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (Setting<?> s : ALL) {
            int d = distance(name, flag ? s.flag() : s.key);
            if (d < bestDistance) {
                bestDistance = d;
                best = s;
            }
        }
        return bestDistance <= Math.max(2, name.length() / 4) ? best : null;
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    private static Setting<Boolean> bool(String key, String group, boolean dflt, String help) {
        return new Setting<>(key, group, "BOOL", Values.booleans(), dflt, String.valueOf(dflt), String::valueOf, help);
    }

    private static Setting<Path> path(String key, String group, String help) {
        return new Setting<>(key, group, "FILE", Values.paths(), null, "none", Path::toString, help);
    }

    private static Setting<Duration> duration(String key, Duration dflt, String help) {
        return new Setting<>(key, TIMEOUTS, "DURATION", Values.durations(), Objects.requireNonNull(dflt),
                Values.text(dflt), Values::text, help);
    }

    private static Setting<Long> size(String key, long min, long max, long dflt, String help) {
        return new Setting<>(key, LIMITS, "SIZE", Values.sizes(min, max), dflt, Values.sizeText(dflt),
                Values::sizeText, help);
    }
}
