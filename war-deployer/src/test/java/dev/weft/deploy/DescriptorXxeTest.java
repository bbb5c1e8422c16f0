package dev.weft.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.deploy.DescriptorFixtures.Parsed;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A descriptor is untrusted input from a WAR: it must not read local files, fetch URLs or blow up
 * memory through entities, yet a 2.3 descriptor's DOCTYPE must still parse.
 */
class DescriptorXxeTest {
    private static final String SECRET = "TOP-SECRET-7f3a";

    @TempDir
    static Path dir;
    static Path secret;
    static Path dtd;

    @BeforeAll
    static void files() throws IOException {
        secret = Files.writeString(dir.resolve("secret.txt"), SECRET);
        // Were this DTD read, it would declare an entity the document uses, and a default for the
        // metadata-complete attribute that would turn annotation scanning off.
        dtd = Files.writeString(dir.resolve("evil.dtd"), """
                <!ENTITY injected "FROM-THE-DTD">
                <!ATTLIST web-app metadata-complete CDATA "true">
                <!ENTITY %% nested SYSTEM "%s">
                """.formatted(secret.toUri()));
    }

    @Test
    void externalGeneralEntityIsNotExpanded() {
        Parsed p = DescriptorFixtures.parse("""
                <?xml version="1.0"?>
                <!DOCTYPE web-app [
                  <!ENTITY xxe SYSTEM "%s">
                ]>
                <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.1">
                  <display-name>before &xxe; after</display-name>
                  <context-param><param-name>p</param-name><param-value>&xxe;</param-value></context-param>
                </web-app>
                """.formatted(secret.toUri()), "WEB-INF/web.xml");
        WebDescriptor d = p.descriptor();
        assertEquals("before after", d.displayName());
        assertEquals("", d.contextParam("p"));
        assertTrue(p.warnings().contains("WEB-INF/web.xml:6: entity reference &xxe; is not expanded"), p.warnings()::toString);
        assertTrue(p.warnings().getFirst().contains("external entity xxe"), p.warnings()::toString);
        assertFalse(p.warnings().toString().contains(SECRET));
    }

    @Test
    void externalDtdIsNotRead() {
        Parsed p = DescriptorFixtures.parse("""
                <?xml version="1.0"?>
                <!DOCTYPE web-app SYSTEM "%s">
                <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.1">
                  <display-name>[&injected;]</display-name>
                </web-app>
                """.formatted(dtd.toUri()), "WEB-INF/web.xml");
        assertEquals("[]", p.descriptor().displayName());
        assertFalse(p.descriptor().metadataComplete(), "the DTD's attribute default must not apply");
        assertEquals(List.of("WEB-INF/web.xml:4: entity reference &injected; is not expanded"), p.warnings());
    }

    @Test
    void missingExternalDtdIsNotAnError() {
        // Reading it would fail: the file does not exist.
        Path missing = dir.resolve("no-such-dir/web-app_2_3.dtd");
        WebDescriptor d = DescriptorFixtures.parse("""
                <!DOCTYPE web-app PUBLIC "-//Sun Microsystems, Inc.//DTD Web Application 2.3//EN" "%s">
                <web-app><display-name>old</display-name></web-app>
                """.formatted(missing.toUri()), "WEB-INF/web.xml").descriptor();
        assertEquals("2.3", d.version());
        assertEquals("old", d.displayName());
    }

    @Test
    void externalParameterEntityIsNotRead() {
        String doctype = """
                <!DOCTYPE web-app [
                  <!ENTITY %% remote SYSTEM "%s">
                  %%remote;
                ]>
                """.formatted(dtd.toUri());
        Parsed p = DescriptorFixtures.parse(doctype + """
                <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.1">
                  <display-name>plain</display-name>
                </web-app>
                """, "WEB-INF/web.xml");
        assertEquals("plain", p.descriptor().displayName());
        assertFalse(p.descriptor().metadataComplete(), "the DTD's attribute default must not apply");

        // Had the DTD been read, the entity would be declared.
        DescriptorException e = DescriptorFixtures.fails(doctype + """
                <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.1">
                  <display-name>[&injected;]</display-name>
                </web-app>
                """, "WEB-INF/web.xml");
        assertTrue(e.getMessage().startsWith("WEB-INF/web.xml:6: malformed XML: "), e.getMessage());
        assertTrue(e.getMessage().contains("injected"), e.getMessage());
    }

    @Test
    void nothingIsFetchedOverTheNetwork() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            String base = "http://127.0.0.1:" + server.getLocalPort();
            assertTimeoutPreemptively(Duration.ofSeconds(10), () -> DescriptorFixtures.parse("""
                    <?xml version="1.0"?>
                    <!DOCTYPE web-app PUBLIC "-//Sun Microsystems, Inc.//DTD Web Application 2.3//EN" "%1$s/web.dtd" [
                      <!ENTITY %% p SYSTEM "%1$s/p.dtd">
                      %%p;
                      <!ENTITY g SYSTEM "%1$s/g.txt">
                    ]>
                    <web-app xmlns:xi="http://www.w3.org/2001/XInclude">
                      <display-name>&g;</display-name>
                      <xi:include href="%1$s/include.xml"/>
                    </web-app>
                    """.formatted(base), "WEB-INF/web.xml"));
            server.setSoTimeout(300);
            assertThrows(SocketTimeoutException.class, server::accept, "the parser connected to " + base);
        }
    }

    @Test
    void xincludeIsNotProcessed() {
        Parsed p = DescriptorFixtures.parse("""
                <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.1"
                         xmlns:xi="http://www.w3.org/2001/XInclude">
                  <xi:include href="%s" parse="text"/>
                </web-app>
                """.formatted(secret.toUri()), "WEB-INF/web.xml");
        assertNull(p.descriptor().displayName());
        assertFalse(p.warnings().toString().contains(SECRET));
        assertEquals(List.of("WEB-INF/web.xml:3: ignoring <include> in namespace http://www.w3.org/2001/XInclude "
                + "inside <web-app>"), p.warnings());
    }

    @Test
    void entityExpansionBombIsRefusedQuickly() {
        StringBuilder doctype = new StringBuilder("<!DOCTYPE web-app [\n<!ENTITY l0 \"lol\">\n");
        for (int i = 1; i <= 9; i++) {
            doctype.append("<!ENTITY l").append(i).append(" \"").append(("&l" + (i - 1) + ";").repeat(10))
                    .append("\">\n");
        }
        doctype.append("]>\n");
        String xml = doctype + "<web-app><display-name>&l9;</display-name></web-app>";
        DescriptorException e = assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> DescriptorFixtures.fails(xml, "WEB-INF/web.xml"));
        assertTrue(e.getMessage().startsWith("WEB-INF/web.xml:"), e.getMessage());
        // JAXP00010001: the entity expansion limit; the code, unlike the text, is the same in every locale.
        assertTrue(e.getMessage().contains("malformed XML:") && e.getMessage().contains("JAXP00010001"),
                e.getMessage());
    }

    @Test
    void aHarmlessInternalEntityStillWorks() {
        WebDescriptor d = DescriptorFixtures.parse("""
                <!DOCTYPE web-app [ <!ENTITY app "Shop"> ]>
                <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.1">
                  <display-name>&app; &amp; more</display-name>
                </web-app>
                """, "WEB-INF/web.xml").descriptor();
        assertEquals("Shop & more", d.displayName());
    }
}
