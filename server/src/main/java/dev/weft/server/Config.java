package dev.weft.server;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * The server's settings: each key's default, overridden by the configuration file, overridden by
 * the command line. Every value is parsed and checked when loaded, and so is every combination
 * that cannot work, so a mistake stops Weft at startup with one line naming it.
 *
 * <p>The file is a Java properties file: {@code --config FILE}, else {@code weft.properties} in
 * the current folder when there is one. Relative paths in it are relative to its own folder;
 * relative paths on the command line are relative to the current folder. An empty value stands
 * for the default.
 */
final class Config {
    static final String DEFAULT_FILE = "weft.properties";

    private final Map<Setting<?>, Object> values;
    private final Map<Setting<?>, String> origins;
    private final Path file;

    private Config(Map<Setting<?>, Object> values, Map<Setting<?>, String> origins, Path file) {
        this.values = values;
        this.origins = origins;
        this.file = file;
    }

    /** Every key at its default. */
    static Config defaults() {
        Map<Setting<?>, Object> values = new HashMap<>();
        for (Setting<?> s : Settings.ALL) {
            values.put(s, s.defaultValue);
        }
        return new Config(values, new HashMap<>(), null);
    }

    /** The value of {@code s}. */
    @SuppressWarnings("unchecked")
    <T> T get(Setting<T> s) {
        return (T) values.get(s);
    }

    /** Where the value of {@code s} came from: {@code file:line}, {@code command line}, or null for the default. */
    String origin(Setting<?> s) {
        return origins.get(s);
    }

    /** The configuration file read, or null. */
    Path file() {
        return file;
    }

    /** Whether nothing was named to serve, so the bundled examples are. */
    boolean servesExamples() {
        return get(Settings.WEBAPPS).isEmpty();
    }

    /** The same settings with {@code s} set to {@code value}; checked like the rest. */
    <T> Config with(Setting<T> s, T value) throws ConfigException {
        Map<Setting<?>, Object> v = new HashMap<>(values);
        v.put(s, value);
        Map<Setting<?>, String> o = new HashMap<>(origins);
        o.put(s, "code");
        Config c = new Config(v, o, file);
        c.check();
        return c;
    }

    /**
     * The settings for a parsed command line: the file it names (or {@code weft.properties} in
     * {@code cwd}), then its flags, then its paths.
     */
    static Config load(CommandLine cl, Path cwd) throws ConfigException {
        Map<Setting<?>, Object> values = new HashMap<>();
        Map<Setting<?>, String> origins = new HashMap<>();
        for (Setting<?> s : Settings.ALL) {
            values.put(s, s.defaultValue);
        }
        Path file = cl.configFile();
        if (file != null) {
            file = cwd.resolve(file);
            if (!Files.isRegularFile(file)) {
                throw new ConfigException("--config " + cl.configFile() + ": no such file");
            }
        } else if (Files.isRegularFile(cwd.resolve(DEFAULT_FILE))) {
            file = cwd.resolve(DEFAULT_FILE);
        }
        if (file != null) {
            readFile(file, values, origins);
        }
        for (Map.Entry<Setting<?>, String> f : cl.flags().entrySet()) {
            Setting<?> s = f.getKey();
            try {
                values.put(s, f.getValue().isBlank() ? s.defaultValue : s.parse(f.getValue(), cwd));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(s.flag() + " " + quote(f.getValue()) + ": expected " + e.getMessage());
            }
            origins.put(s, "command line");
        }
        if (!cl.paths().isEmpty()) {
            List<Path> paths = new ArrayList<>();
            for (String p : cl.paths()) {
                try {
                    Path path = Values.path(p, cwd);
                    checkServable(path, p);
                    paths.add(path);
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(p + ": expected " + e.getMessage());
                }
            }
            values.put(Settings.WEBAPPS, List.copyOf(paths));
            origins.put(Settings.WEBAPPS, "command line");
        }
        Config c = new Config(values, origins, file);
        if (cl.paths().isEmpty() && c.origin(Settings.WEBAPPS) != null) {
            for (Path p : c.get(Settings.WEBAPPS)) {
                checkServable(p, c.name(Settings.WEBAPPS) + ": " + p);
            }
        }
        c.check();
        return c;
    }

    private static void readFile(Path file, Map<Setting<?>, Object> values, Map<Setting<?>, String> origins)
            throws ConfigException {
        Properties props = new Properties();
        List<String> lines;
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            props.load(r);
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigException(file + ": cannot read: " + e.getMessage());
        }
        Path base = file.toAbsolutePath().getParent();
        // In file order, so the first mistake in the file is the one reported.
        List<String> keys = new ArrayList<>(props.stringPropertyNames());
        keys.sort((a, b) -> Integer.compare(lineOf(lines, a), lineOf(lines, b)));
        for (String key : keys) {
            String where = file + ":" + lineOf(lines, key);
            Setting<?> s = Settings.byKey(key);
            if (s == null) {
                String guess = Settings.closestKey(key);
                throw new ConfigException(where + ": unknown key " + key + (guess != null ? " (did you mean " + guess + "?)" : ""));
            }
            String text = props.getProperty(key);
            try {
                values.put(s, text.isBlank() ? s.defaultValue : s.parse(text, base));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(where + ": " + key + " = " + quote(text) + ": expected " + e.getMessage());
            }
            origins.put(s, where);
        }
    }

    /** The line where {@code key} is set, 1-based; 0 when it cannot be told (an escaped key, say). */
    private static int lineOf(List<String> lines, String key) {
        int found = 0;
        boolean continued = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).stripLeading();
            boolean startsEntry = !continued && !line.isEmpty() && line.charAt(0) != '#' && line.charAt(0) != '!';
            if (startsEntry && line.startsWith(key)
                    && (line.length() == key.length() || "=: \t\f".indexOf(line.charAt(key.length())) >= 0)) {
                found = i + 1; // the last one wins, as in Properties
            }
            continued = !line.isEmpty() && line.charAt(0) != '#' && line.charAt(0) != '!' && endsInContinuation(line);
        }
        return found;
    }

    private static boolean endsInContinuation(String line) {
        int backslashes = 0;
        for (int i = line.length() - 1; i >= 0 && line.charAt(i) == '\\'; i--) {
            backslashes++;
        }
        return backslashes % 2 == 1;
    }

    private static void checkServable(Path p, String label) throws ConfigException {
        if (Files.isDirectory(p)) {
            return; // an exploded WAR (it has WEB-INF) or a webapps folder
        }
        if (Files.isRegularFile(p)) {
            if (!p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".war")) {
                throw new ConfigException(label + ": not a WAR file (its name does not end in .war)");
            }
            return;
        }
        throw new ConfigException(label + ": no such file or folder");
    }

    /** Combinations that cannot work, named by the keys involved. */
    private void check() throws ConfigException {
        Integer tlsPort = get(Settings.TLS_PORT);
        boolean pem = get(Settings.TLS_CERT) != null || get(Settings.TLS_KEY) != null;
        boolean store = get(Settings.TLS_KEYSTORE) != null;
        if (tlsPort == null) {
            for (Setting<?> s : List.of(Settings.TLS_CERT, Settings.TLS_KEY, Settings.TLS_KEYSTORE, Settings.TLS_CLIENT_CA,
                    Settings.TLS_HOST, Settings.TLS_KEYSTORE_PASSWORD)) {
                if (get(s) != null) {
                    throw new ConfigException(name(s) + " is set but tls.port is off (set tls.port to serve HTTPS)");
                }
            }
        } else {
            if (pem && store) {
                throw new ConfigException(name(Settings.TLS_KEYSTORE) + " and tls.cert/tls.key are both set: use one or the other");
            }
            if (!pem && !store) {
                throw new ConfigException(name(Settings.TLS_PORT) + " is set: it needs tls.cert and tls.key, or tls.keystore");
            }
            if (pem && (get(Settings.TLS_CERT) == null || get(Settings.TLS_KEY) == null)) {
                throw new ConfigException(name(get(Settings.TLS_CERT) == null ? Settings.TLS_KEY : Settings.TLS_CERT)
                        + " is set: it needs " + (get(Settings.TLS_CERT) == null ? "tls.cert" : "tls.key") + " too");
            }
            for (Setting<Path> s : List.of(Settings.TLS_CERT, Settings.TLS_KEY, Settings.TLS_KEYSTORE, Settings.TLS_CLIENT_CA)) {
                Path p = get(s);
                if (p != null && !Files.isReadable(p)) {
                    throw new ConfigException(name(s) + " " + p + ": no such file, or not readable");
                }
            }
            if (!get(Settings.TLS_CLIENT_AUTH).equals("none") && get(Settings.TLS_CLIENT_CA) == null) {
                throw new ConfigException(name(Settings.TLS_CLIENT_AUTH) + " " + get(Settings.TLS_CLIENT_AUTH)
                        + " needs tls.client-ca, the CAs client certificates are checked against");
            }
            int port = get(Settings.PORT);
            String host = get(Settings.HOST);
            String tlsHost = get(Settings.TLS_HOST) != null ? get(Settings.TLS_HOST) : host;
            if (port != 0 && port == tlsPort && java.util.Objects.equals(host, tlsHost)) {
                throw new ConfigException(name(Settings.TLS_PORT) + " " + tlsPort + " is the HTTP port too: pick another");
            }
            for (String p : get(Settings.TLS_PROTOCOLS)) {
                if (!p.startsWith("TLSv1")) {
                    throw new ConfigException(name(Settings.TLS_PROTOCOLS) + ": " + p + " is not a TLS version (such as TLSv1.3)");
                }
            }
        }
        if (get(Settings.TLS_CLIENT_CA) != null && get(Settings.TLS_CLIENT_AUTH).equals("none")) {
            throw new ConfigException(name(Settings.TLS_CLIENT_CA) + " is set but tls.client-auth is none");
        }
        Path work = get(Settings.WORK);
        if (work != null) {
            if (Files.exists(work) && !Files.isDirectory(work)) {
                throw new ConfigException(name(Settings.WORK) + " " + work + " is a file, not a folder");
            }
            for (Path p : get(Settings.WEBAPPS)) {
                if (p.toAbsolutePath().normalize().equals(work.toAbsolutePath().normalize())) {
                    throw new ConfigException(name(Settings.WORK) + " " + work + " is a folder to serve; unpack somewhere else");
                }
            }
        }
        String log = get(Settings.ACCESS_LOG);
        if (log != null && !log.equals("stdout")) {
            Path p = Path.of(log);
            if (Files.isDirectory(p)) {
                throw new ConfigException(name(Settings.ACCESS_LOG) + " " + log + " is a folder; name a file in it");
            }
        }
    }

    /** A key with where it was set, for messages: {@code tls.port (weft.properties:3)}. */
    private String name(Setting<?> s) {
        String o = origins.get(s);
        if (o == null) {
            return s.key;
        }
        return o.equals("command line") ? s.flag() : s.key + " (" + o + ")";
    }

    /** The settings as a properties file, a line per key. */
    String print() {
        StringBuilder b = new StringBuilder();
        b.append("# Weft settings: defaults");
        if (file != null) {
            b.append(", ").append(file);
        }
        if (origins.containsValue("command line")) {
            b.append(", command line");
        }
        b.append('\n');
        String group = null;
        for (Setting<?> s : Settings.ALL) {
            if (!s.group.equals(group)) {
                group = s.group;
                b.append("\n# ").append(group).append('\n');
            }
            Object v = values.get(s);
            String text = v == null ? "" : s.print(v);
            if (v == null && (s == Settings.ACCESS_LOG || s == Settings.TLS_PORT)) {
                text = "off";
            }
            if (origins.get(s) != null) {
                b.append("# from ").append(origins.get(s)).append('\n');
            }
            b.append(s.key).append('=').append(text.replace("\\", "\\\\")).append('\n');
        }
        return b.toString();
    }

    private static String quote(String s) {
        return "\"" + s.replace("\"", "\\\"") + "\"";
    }
}
