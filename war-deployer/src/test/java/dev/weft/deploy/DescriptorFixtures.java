package dev.weft.deploy;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Parsing helpers shared by the descriptor tests. */
final class DescriptorFixtures {
    static final String JAKARTAEE_ROOT = "<web-app xmlns=\"https://jakarta.ee/xml/ns/jakartaee\" version=\"6.1\">";
    static final String FRAGMENT_ROOT = "<web-fragment xmlns=\"https://jakarta.ee/xml/ns/jakartaee\" version=\"6.1\">";

    private DescriptorFixtures() {
    }

    /** A parse and the warnings it gave. */
    record Parsed(WebDescriptor descriptor, List<String> warnings) {
    }

    static Parsed resource(String name) {
        List<String> warnings = new ArrayList<>();
        try (InputStream in = DescriptorFixtures.class.getResourceAsStream("/descriptors/" + name)) {
            assertNotNull(in, name);
            return new Parsed(new DescriptorParser(warnings::add).parse(in, name), warnings);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (DescriptorException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    static Parsed parse(String xml, String file) {
        List<String> warnings = new ArrayList<>();
        try {
            return new Parsed(new DescriptorParser(warnings::add).parse(stream(xml), file), warnings);
        } catch (DescriptorException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    static DescriptorException fails(String xml, String file) {
        return assertThrows(DescriptorException.class, () -> new DescriptorParser(w -> { }).parse(stream(xml), file));
    }

    /** A web.xml whose root is on line 1, so the body's first line is line 2. */
    static WebDescriptor webXml(String body) {
        return parse(JAKARTAEE_ROOT + "\n" + body + "\n</web-app>\n", "WEB-INF/web.xml").descriptor();
    }

    /** A web-fragment.xml whose root is on line 1, so the body's first line is line 2. */
    static WebDescriptor fragment(String file, String body) {
        return parse(FRAGMENT_ROOT + "\n" + body + "\n</web-fragment>\n", file).descriptor();
    }

    static InputStream stream(String xml) {
        return new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8));
    }
}
