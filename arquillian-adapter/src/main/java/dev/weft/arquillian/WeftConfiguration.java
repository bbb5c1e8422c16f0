package dev.weft.arquillian;

import dev.weft.http.Limits;
import dev.weft.http.Server;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.arquillian.container.spi.ConfigurationException;
import org.jboss.arquillian.container.spi.client.container.ContainerConfiguration;

/**
 * The settings of a {@link WeftContainer}, read from {@code <container qualifier="weft">} in
 * {@code arquillian.xml} by {@link #apply}. Unlike Arquillian's default mapping, which only logs
 * properties it does not know, a misspelt property or a value that does not parse is an error
 * naming the property: a test run against a server configured otherwise than asked is worse than
 * one that does not start. The README of this module lists every property with its default.
 */
public final class WeftConfiguration implements ContainerConfiguration {
    /** Whether clients present certificates over HTTPS. */
    public enum ClientAuth { NONE, WANT, NEED }

    /** One user of the default realm, with a plain password. */
    public record User(String name, String password, List<String> roles) {}

    private String bindAddress = "127.0.0.1";
    private int httpPort;
    private int httpsPort = -1;
    private Path keyStore;
    private String keyStorePassword = "";
    private Path trustStore;
    private String trustStorePassword = "";
    private ClientAuth clientAuth;
    private Path workFolder;
    private final List<User> users = new ArrayList<>();
    private Path usersFile;
    private boolean crossContext;
    private Duration readHeaderTimeout = Server.Builder.DEFAULT_READ_HEADER_TIMEOUT;
    private Duration readTimeout = Server.Builder.DEFAULT_READ_TIMEOUT;
    private Duration writeTimeout = Server.Builder.DEFAULT_WRITE_TIMEOUT;
    private Duration idleTimeout = Server.Builder.DEFAULT_IDLE_TIMEOUT;
    private Duration shutdownTimeout = Duration.ofSeconds(5);
    private int maxConnections = Server.Builder.DEFAULT_MAX_CONNECTIONS;
    private int maxRequestLineBytes = Limits.DEFAULT.maxRequestLineBytes();
    private int maxHeaderBytes = Limits.DEFAULT.maxHeaderBytes();
    private int maxHeaderCount = Limits.DEFAULT.maxHeaderCount();
    private long maxBodyBytes = Limits.DEFAULT.maxBodyBytes();

    /** Every property, by its name in arquillian.xml, with how its text is read. */
    private static final Map<String, BiConsumer<WeftConfiguration, Value>> PROPERTIES = new LinkedHashMap<>();

    static {
        PROPERTIES.put("bindAddress", (c, v) -> c.bindAddress = v.nonEmpty());
        PROPERTIES.put("httpPort", (c, v) -> c.httpPort = v.port(false));
        PROPERTIES.put("httpsPort", (c, v) -> c.httpsPort = v.port(true));
        PROPERTIES.put("keyStore", (c, v) -> c.keyStore = v.path());
        PROPERTIES.put("keyStorePassword", (c, v) -> c.keyStorePassword = v.text);
        PROPERTIES.put("trustStore", (c, v) -> c.trustStore = v.path());
        PROPERTIES.put("trustStorePassword", (c, v) -> c.trustStorePassword = v.text);
        PROPERTIES.put("clientAuth", (c, v) -> c.clientAuth = v.clientAuth());
        PROPERTIES.put("workFolder", (c, v) -> c.workFolder = v.path());
        PROPERTIES.put("users", (c, v) -> c.users.addAll(v.users()));
        PROPERTIES.put("usersFile", (c, v) -> c.usersFile = v.path());
        PROPERTIES.put("crossContext", (c, v) -> c.crossContext = v.bool());
        PROPERTIES.put("readHeaderTimeout", (c, v) -> c.readHeaderTimeout = v.duration());
        PROPERTIES.put("readTimeout", (c, v) -> c.readTimeout = v.duration());
        PROPERTIES.put("writeTimeout", (c, v) -> c.writeTimeout = v.duration());
        PROPERTIES.put("idleTimeout", (c, v) -> c.idleTimeout = v.duration());
        PROPERTIES.put("shutdownTimeout", (c, v) -> c.shutdownTimeout = v.duration());
        PROPERTIES.put("maxConnections", (c, v) -> c.maxConnections = (int) v.number(0, Integer.MAX_VALUE));
        PROPERTIES.put("maxRequestLineBytes", (c, v) -> c.maxRequestLineBytes = (int) v.number(16, Integer.MAX_VALUE));
        PROPERTIES.put("maxHeaderBytes", (c, v) -> c.maxHeaderBytes = (int) v.number(64, Integer.MAX_VALUE));
        PROPERTIES.put("maxHeaderCount", (c, v) -> c.maxHeaderCount = (int) v.number(1, Integer.MAX_VALUE));
        PROPERTIES.put("maxBodyBytes", (c, v) -> c.maxBodyBytes = v.number(-1, Long.MAX_VALUE));
    }

    /** The names of every property, in the order the README lists them. */
    public static List<String> propertyNames() {
        return List.copyOf(PROPERTIES.keySet());
    }

    /**
     * Sets the properties of {@code <container qualifier="...">}.
     *
     * @throws ConfigurationException for an unknown property or a value that does not parse
     */
    public WeftConfiguration apply(String qualifier, Map<String, String> properties) {
        for (Map.Entry<String, String> e : properties.entrySet()) {
            String where = "<container qualifier=\"" + qualifier + "\"> property \"" + e.getKey() + "\"";
            BiConsumer<WeftConfiguration, Value> setter = PROPERTIES.get(e.getKey());
            if (setter == null) {
                throw new ConfigurationException(where + " is not a Weft property; known properties: "
                        + String.join(", ", PROPERTIES.keySet()));
            }
            setter.accept(this, new Value(where, e.getValue() == null ? "" : e.getValue().strip()));
        }
        return this;
    }

    @Override
    public void validate() throws ConfigurationException {
        if (httpsPort >= 0 && keyStore == null) {
            throw new ConfigurationException("httpsPort is set but keyStore is not: HTTPS needs a PKCS#12 key store");
        }
        if (httpsPort >= 0 && httpsPort != 0 && httpsPort == httpPort) {
            throw new ConfigurationException("httpPort and httpsPort are both " + httpPort);
        }
        if (httpsPort < 0 && (keyStore != null || trustStore != null)) {
            throw new ConfigurationException("keyStore or trustStore is set but httpsPort is not: set httpsPort (0 picks a free one)");
        }
        if (clientAuth != null && clientAuth != ClientAuth.NONE && trustStore == null) {
            throw new ConfigurationException("clientAuth " + clientAuth.name().toLowerCase(Locale.ROOT)
                    + " needs a trustStore holding the certificates that issue client certificates");
        }
    }

    // ---- Reading values ----

    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)");
    private static final Pattern USER = Pattern.compile("([^=\\s]+)\\s*=\\s*([^,]*)((?:,[^,]*)*)");

    /** The text of one property, and where it came from for messages. */
    private record Value(String where, String text) {
        private ConfigurationException bad(String expected) {
            return new ConfigurationException(where + ": \"" + text + "\" is not " + expected);
        }

        String nonEmpty() {
            if (text.isEmpty()) {
                throw bad("an address");
            }
            return text;
        }

        int port(boolean allowOff) {
            return (int) number(allowOff ? -1 : 0, 65535);
        }

        long number(long min, long max) {
            try {
                long n = Long.parseLong(text);
                if (n >= min && n <= max) {
                    return n;
                }
            } catch (NumberFormatException ignored) {
                // said below
            }
            throw bad("a whole number from " + min + " to " + (max == Integer.MAX_VALUE || max == Long.MAX_VALUE ? "any" : max));
        }

        boolean bool() {
            return switch (text.toLowerCase(Locale.ROOT)) {
                case "true" -> true;
                case "false" -> false;
                default -> throw bad("true or false");
            };
        }

        Path path() {
            if (text.isEmpty()) {
                throw bad("a path");
            }
            try {
                return Path.of(text);
            } catch (InvalidPathException e) {
                throw bad("a path (" + e.getReason() + ")");
            }
        }

        ClientAuth clientAuth() {
            try {
                return ClientAuth.valueOf(text.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw bad("none, want or need");
            }
        }

        /** {@code 500ms}, {@code 20s}, {@code 5m}, {@code 1h}, or ISO-8601 such as {@code PT20S}; 0 for none. */
        Duration duration() {
            if (text.equals("0")) {
                return Duration.ZERO;
            }
            Matcher m = DURATION.matcher(text);
            try {
                if (m.matches()) {
                    long n = Long.parseLong(m.group(1));
                    return switch (m.group(2)) {
                        case "ms" -> Duration.ofMillis(n);
                        case "s" -> Duration.ofSeconds(n);
                        case "m" -> Duration.ofMinutes(n);
                        default -> Duration.ofHours(n);
                    };
                }
                Duration d = Duration.parse(text);
                if (!d.isNegative()) {
                    return d;
                }
            } catch (DateTimeParseException | ArithmeticException ignored) {
                // said below
            }
            throw bad("a duration such as 500ms, 20s, 5m, 1h or PT20S");
        }

        /** One user a line (or separated by ';'): {@code name = password, role, role}. */
        List<User> users() {
            List<User> list = new ArrayList<>();
            for (String line : text.split("[\\r\\n;]+")) {
                String l = line.strip();
                if (l.isEmpty() || l.startsWith("#")) {
                    continue;
                }
                Matcher m = USER.matcher(l);
                if (!m.matches()) {
                    throw new ConfigurationException(where + ": \"" + l + "\" is not a user: write name = password, role, role");
                }
                List<String> roles = new ArrayList<>();
                for (String r : m.group(3).split(",")) {
                    if (!r.isBlank()) {
                        roles.add(r.strip());
                    }
                }
                list.add(new User(m.group(1), m.group(2).strip(), List.copyOf(roles)));
            }
            return list;
        }
    }

    // ---- Getters and setters, for configuring in code ----

    public String getBindAddress() {
        return bindAddress;
    }

    public void setBindAddress(String bindAddress) {
        this.bindAddress = bindAddress;
    }

    public int getHttpPort() {
        return httpPort;
    }

    public void setHttpPort(int httpPort) {
        this.httpPort = httpPort;
    }

    /** -1 when HTTPS is off. */
    public int getHttpsPort() {
        return httpsPort;
    }

    public void setHttpsPort(int httpsPort) {
        this.httpsPort = httpsPort;
    }

    public Path getKeyStore() {
        return keyStore;
    }

    public void setKeyStore(Path keyStore) {
        this.keyStore = keyStore;
    }

    public String getKeyStorePassword() {
        return keyStorePassword;
    }

    public void setKeyStorePassword(String keyStorePassword) {
        this.keyStorePassword = keyStorePassword;
    }

    public Path getTrustStore() {
        return trustStore;
    }

    public void setTrustStore(Path trustStore) {
        this.trustStore = trustStore;
    }

    public String getTrustStorePassword() {
        return trustStorePassword;
    }

    public void setTrustStorePassword(String trustStorePassword) {
        this.trustStorePassword = trustStorePassword;
    }

    /** WANT when a trust store is set and nothing else was asked, else NONE. */
    public ClientAuth getClientAuth() {
        return clientAuth != null ? clientAuth : trustStore != null ? ClientAuth.WANT : ClientAuth.NONE;
    }

    public void setClientAuth(ClientAuth clientAuth) {
        this.clientAuth = clientAuth;
    }

    /** Null: a new temporary folder, deleted when the container stops. */
    public Path getWorkFolder() {
        return workFolder;
    }

    public void setWorkFolder(Path workFolder) {
        this.workFolder = workFolder;
    }

    public List<User> getUsers() {
        return List.copyOf(users);
    }

    public void addUser(String name, String password, String... roles) {
        users.add(new User(name, password, List.of(roles)));
    }

    public Path getUsersFile() {
        return usersFile;
    }

    public void setUsersFile(Path usersFile) {
        this.usersFile = usersFile;
    }

    public boolean isCrossContext() {
        return crossContext;
    }

    public void setCrossContext(boolean crossContext) {
        this.crossContext = crossContext;
    }

    public Duration getReadHeaderTimeout() {
        return readHeaderTimeout;
    }

    public void setReadHeaderTimeout(Duration readHeaderTimeout) {
        this.readHeaderTimeout = readHeaderTimeout;
    }

    public Duration getReadTimeout() {
        return readTimeout;
    }

    public void setReadTimeout(Duration readTimeout) {
        this.readTimeout = readTimeout;
    }

    public Duration getWriteTimeout() {
        return writeTimeout;
    }

    public void setWriteTimeout(Duration writeTimeout) {
        this.writeTimeout = writeTimeout;
    }

    public Duration getIdleTimeout() {
        return idleTimeout;
    }

    public void setIdleTimeout(Duration idleTimeout) {
        this.idleTimeout = idleTimeout;
    }

    public Duration getShutdownTimeout() {
        return shutdownTimeout;
    }

    public void setShutdownTimeout(Duration shutdownTimeout) {
        this.shutdownTimeout = shutdownTimeout;
    }

    public int getMaxConnections() {
        return maxConnections;
    }

    public void setMaxConnections(int maxConnections) {
        this.maxConnections = maxConnections;
    }

    /** The size limits of the server, from the properties that set them. */
    public Limits limits() {
        return new Limits(maxRequestLineBytes, maxHeaderBytes, maxHeaderCount, maxBodyBytes,
                Limits.DEFAULT.maxChunkLineBytes(), Limits.DEFAULT.maxChunkExtensionBytes(), Limits.DEFAULT.maxTrailerBytes());
    }

    public void setMaxRequestLineBytes(int n) {
        this.maxRequestLineBytes = n;
    }

    public void setMaxHeaderBytes(int n) {
        this.maxHeaderBytes = n;
    }

    public void setMaxHeaderCount(int n) {
        this.maxHeaderCount = n;
    }

    public void setMaxBodyBytes(long n) {
        this.maxBodyBytes = n;
    }
}
