package dev.weft.deploy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Builds the {@code fixtures.webapp} application as WAR bytes or as an exploded folder, with its
 * version in a context parameter (the servlet and filter answer with it) and in {@code version.txt}.
 */
final class Wars {
    private Wars() {}

    static final String PKG = "dev.weft.deploy.fixtures.webapp.";
    static final List<String> CLASSES = List.of(
            "HelloServlet", "Greeting", "Tone", "Visits", "GreetingFormat", "StampFilter", "AppListener",
            "RefusedToStart");

    static String className(String simpleName) {
        return PKG + simpleName;
    }

    static String webXml(String version) {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.1">
                  <display-name>hello %s</display-name>
                  <context-param><param-name>version</param-name><param-value>%s</param-value></context-param>
                </web-app>
                """.formatted(version, version);
    }

    /** Malformed at line 4: the context-param is never closed. */
    static final String BROKEN_WEB_XML = """
            <?xml version="1.0" encoding="UTF-8"?>
            <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.1">
              <context-param><param-name>version</param-name>
            </web-app>
            """;

    /** The application's files by path. */
    static Map<String, byte[]> entries(String webXml, String version) {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("WEB-INF/web.xml", webXml.getBytes(StandardCharsets.UTF_8));
        for (String c : CLASSES) {
            String entry = (PKG + c).replace('.', '/') + ".class";
            entries.put("WEB-INF/classes/" + entry, classBytes(entry));
        }
        entries.put("version.txt", ("version " + version + "\n").getBytes(StandardCharsets.UTF_8));
        return entries;
    }

    static byte[] war(String version) {
        return zip(entries(webXml(version), version));
    }

    static byte[] brokenWar() {
        return zip(entries(BROKEN_WEB_XML, "broken"));
    }

    /** Well formed, but its listener throws in contextInitialized. */
    static byte[] failingWar() {
        String webXml = webXml("failing").replace("</web-app>",
                "  <context-param><param-name>fail-on-start</param-name><param-value>true</param-value></context-param>\n</web-app>");
        return zip(entries(webXml, "failing"));
    }

    static Path writeWar(Path file, String version) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.write(file, war(version));
    }

    static Path explode(Path dir, String version) throws IOException {
        for (Map.Entry<String, byte[]> e : entries(webXml(version), version).entrySet()) {
            Path f = dir.resolve(e.getKey());
            Files.createDirectories(f.getParent());
            Files.write(f, e.getValue());
        }
        return dir;
    }

    static byte[] zip(Map<String, byte[]> entries) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** A fixture's class file, read as a resource: the test's own loader never loads the class. */
    private static byte[] classBytes(String entry) {
        try (InputStream in = Wars.class.getResourceAsStream("/" + entry)) {
            if (in == null) {
                throw new IllegalStateException("no compiled fixture " + entry);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
