package dev.weft.arquillian;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.http.Limits;
import dev.weft.http.Server;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.arquillian.config.descriptor.api.ArquillianDescriptor;
import org.jboss.arquillian.config.descriptor.api.ContainerDef;
import org.jboss.arquillian.container.spi.ConfigurationException;
import org.jboss.shrinkwrap.descriptor.api.Descriptors;
import org.junit.jupiter.api.Test;

/** Reading {@code <container qualifier="weft">}: every kind of value, and every way to get one wrong. */
class WeftConfigurationTest {
    private static WeftConfiguration of(String... nameValues) {
        Map<String, String> props = new LinkedHashMap<>();
        for (int i = 0; i < nameValues.length; i += 2) {
            props.put(nameValues[i], nameValues[i + 1]);
        }
        WeftConfiguration c = new WeftConfiguration().apply("weft", props);
        c.validate();
        return c;
    }

    private static String error(String... nameValues) {
        return assertThrows(ConfigurationException.class, () -> of(nameValues)).getMessage();
    }

    @Test
    void defaults() {
        WeftConfiguration c = of();
        assertEquals("127.0.0.1", c.getBindAddress());
        assertEquals(0, c.getHttpPort());
        assertEquals(-1, c.getHttpsPort());
        assertNull(c.getWorkFolder());
        assertEquals(List.of(), c.getUsers());
        assertFalse(c.isCrossContext());
        assertEquals(WeftConfiguration.ClientAuth.NONE, c.getClientAuth());
        assertEquals(Server.Builder.DEFAULT_READ_HEADER_TIMEOUT, c.getReadHeaderTimeout());
        assertEquals(Server.Builder.DEFAULT_IDLE_TIMEOUT, c.getIdleTimeout());
        assertEquals(Duration.ofSeconds(5), c.getShutdownTimeout());
        assertEquals(Server.Builder.DEFAULT_MAX_CONNECTIONS, c.getMaxConnections());
        assertEquals(Limits.DEFAULT, c.limits());
    }

    @Test
    void everyKindOfValue() {
        WeftConfiguration c = of(
                "bindAddress", "0.0.0.0", "httpPort", " 8081 ", "httpsPort", "0",
                "keyStore", "server.p12", "keyStorePassword", "pw", "trustStore", "cas.p12", "clientAuth", "NEED",
                "workFolder", "target/work", "crossContext", "TRUE",
                "readHeaderTimeout", "500ms", "readTimeout", "20s", "writeTimeout", "5m", "idleTimeout", "PT1M30S",
                "shutdownTimeout", "0", "maxConnections", "0", "maxRequestLineBytes", "4096", "maxHeaderBytes", "65536",
                "maxHeaderCount", "50", "maxBodyBytes", "1048576",
                "users", """
                        # the default realm
                        alice = wonder=land, admin, user
                        bob = builder
                        """ + "; carol = c,  user ");
        assertEquals("0.0.0.0", c.getBindAddress());
        assertEquals(8081, c.getHttpPort());
        assertEquals(0, c.getHttpsPort());
        assertEquals(Path.of("server.p12"), c.getKeyStore());
        assertEquals(WeftConfiguration.ClientAuth.NEED, c.getClientAuth());
        assertEquals(Path.of("target/work"), c.getWorkFolder());
        assertTrue(c.isCrossContext());
        assertEquals(Duration.ofMillis(500), c.getReadHeaderTimeout());
        assertEquals(Duration.ofSeconds(20), c.getReadTimeout());
        assertEquals(Duration.ofMinutes(5), c.getWriteTimeout());
        assertEquals(Duration.ofSeconds(90), c.getIdleTimeout());
        assertEquals(Duration.ZERO, c.getShutdownTimeout());
        assertEquals(0, c.getMaxConnections());
        assertEquals(new Limits(4096, 65536, 50, 1 << 20, Limits.DEFAULT.maxChunkLineBytes(),
                Limits.DEFAULT.maxChunkExtensionBytes(), Limits.DEFAULT.maxTrailerBytes()), c.limits());
        assertEquals(List.of(
                new WeftConfiguration.User("alice", "wonder=land", List.of("admin", "user")),
                new WeftConfiguration.User("bob", "builder", List.of()),
                new WeftConfiguration.User("carol", "c", List.of("user"))), c.getUsers());
    }

    @Test
    void trustStoreAsksForClientCertificatesUnlessToldOtherwise() {
        assertEquals(WeftConfiguration.ClientAuth.WANT,
                of("httpsPort", "0", "keyStore", "k.p12", "trustStore", "t.p12").getClientAuth());
        assertEquals(WeftConfiguration.ClientAuth.NONE,
                of("httpsPort", "0", "keyStore", "k.p12", "trustStore", "t.p12", "clientAuth", "none").getClientAuth());
    }

    @Test
    void unknownPropertyIsAnErrorThatListsTheKnownOnes() {
        String message = error("httpPort", "0", "htpsPort", "8443");
        assertTrue(message.startsWith("<container qualifier=\"weft\"> property \"htpsPort\" is not a Weft property; known properties: "
                + "bindAddress, httpPort, httpsPort,"), message);
        assertTrue(message.contains("maxBodyBytes"), message);
    }

    @Test
    void valuesThatDoNotParseAreErrorsNamingTheProperty() {
        assertEquals("<container qualifier=\"weft\"> property \"httpPort\": \"eighty\" is not a whole number from 0 to 65535",
                error("httpPort", "eighty"));
        assertEquals("<container qualifier=\"weft\"> property \"httpPort\": \"70000\" is not a whole number from 0 to 65535",
                error("httpPort", "70000"));
        assertEquals("<container qualifier=\"weft\"> property \"httpPort\": \"-1\" is not a whole number from 0 to 65535",
                error("httpPort", "-1"));
        assertEquals("<container qualifier=\"weft\"> property \"crossContext\": \"yes\" is not true or false",
                error("crossContext", "yes"));
        assertEquals("<container qualifier=\"weft\"> property \"readTimeout\": \"30\" is not a duration such as 500ms, 20s, 5m, 1h or PT20S",
                error("readTimeout", "30"));
        assertEquals("<container qualifier=\"weft\"> property \"idleTimeout\": \"-PT1S\" is not a duration such as 500ms, 20s, 5m, 1h or PT20S",
                error("idleTimeout", "-PT1S"));
        assertEquals("<container qualifier=\"weft\"> property \"clientAuth\": \"maybe\" is not none, want or need",
                error("clientAuth", "maybe"));
        assertEquals("<container qualifier=\"weft\"> property \"maxHeaderCount\": \"0\" is not a whole number from 1 to any",
                error("maxHeaderCount", "0"));
        assertEquals("<container qualifier=\"weft\"> property \"users\": \"alice: secret\" is not a user: write name = password, role, role",
                error("users", "alice: secret"));
        assertEquals("<container qualifier=\"weft\"> property \"bindAddress\": \"\" is not an address", error("bindAddress", " "));
        assertEquals("<container qualifier=\"weft\"> property \"workFolder\": \"\" is not a path", error("workFolder", ""));
    }

    @Test
    void settingsThatDoNotGoTogether() {
        assertEquals("httpsPort is set but keyStore is not: HTTPS needs a PKCS#12 key store", error("httpsPort", "8443"));
        assertEquals("keyStore or trustStore is set but httpsPort is not: set httpsPort (0 picks a free one)",
                error("keyStore", "k.p12"));
        assertEquals("clientAuth need needs a trustStore holding the certificates that issue client certificates",
                error("httpsPort", "0", "keyStore", "k.p12", "clientAuth", "need"));
        assertEquals("httpPort and httpsPort are both 8080",
                error("httpPort", "8080", "httpsPort", "8080", "keyStore", "k.p12"));
    }

    /** arquillian.xml as Arquillian reads it, through the container's own mapper. */
    private static WeftConfiguration fromXml(String properties) {
        ArquillianDescriptor descriptor = Descriptors.importAs(ArquillianDescriptor.class).fromString("""
                <arquillian xmlns="http://jboss.org/schema/arquillian">
                  <container qualifier="weft-it" default="true">
                    <configuration>
                """ + properties + """
                    </configuration>
                  </container>
                </arquillian>
                """);
        ContainerDef def = descriptor.getContainers().getFirst();
        WeftConfiguration c = new WeftConfiguration();
        new WeftContainer().getConfigurationMapper().populateConfiguration(c, def);
        c.validate();
        return c;
    }

    @Test
    void readFromArquillianXml() {
        WeftConfiguration c = fromXml("""
                <property name="httpPort">0</property>
                <property name="users">
                  alice = wonderland, admin
                </property>
                <property name="idleTimeout">2s</property>
                """);
        assertEquals(List.of(new WeftConfiguration.User("alice", "wonderland", List.of("admin"))), c.getUsers());
        assertEquals(Duration.ofSeconds(2), c.getIdleTimeout());
    }

    @Test
    void misspeltPropertyInArquillianXmlNamesTheQualifier() {
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> fromXml("<property name=\"crosscontext\">true</property>"));
        assertTrue(e.getMessage().startsWith("<container qualifier=\"weft-it\"> property \"crosscontext\" is not a Weft property"),
                e.getMessage());
    }
}
