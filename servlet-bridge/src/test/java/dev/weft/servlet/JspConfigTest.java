package dev.weft.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.servlet.ServletRegistration;
import jakarta.servlet.descriptor.JspConfigDescriptor;
import jakarta.servlet.descriptor.JspPropertyGroupDescriptor;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The JSP parts of the ServletContext that do not need a JSP engine: the {@code <jsp-config>} as
 * {@link JspConfigDescriptor}, and {@code addJspFile}, which registers Jasper's servlet by name and
 * refuses when the application's class loader cannot load it (Jasper is not on this module's class
 * path).
 */
class JspConfigTest {
    static JspConfiguration sample() {
        return new JspConfiguration(
                List.of(new JspConfiguration.Taglib("urn:t", "/WEB-INF/t.tld")),
                List.of(new JspConfiguration.PropertyGroup(List.of("/raw/*", "*.page"), true, null, "UTF-8", false,
                        null, List.of("/WEB-INF/pre.jspf"), List.of(), null, true, "text/plain", "16kb", null),
                        JspConfiguration.PropertyGroup.of("*.jspf")));
    }

    @Test
    void noJspConfigUnlessSet() {
        assertNull(new WebApp("/a").getJspConfigDescriptor());
    }

    @Test
    void theDescriptorIsWhatWasSet() {
        WebApp app = new WebApp("/a");
        JspConfiguration c = sample();
        app.setJspConfigDescriptor(c);
        JspConfigDescriptor d = app.getJspConfigDescriptor();
        assertSame(c, d);
        assertEquals("urn:t", d.getTaglibs().iterator().next().getTaglibURI());
        assertEquals("/WEB-INF/t.tld", d.getTaglibs().iterator().next().getTaglibLocation());
        JspPropertyGroupDescriptor g = d.getJspPropertyGroups().iterator().next();
        assertEquals(List.of("/raw/*", "*.page"), List.copyOf(g.getUrlPatterns()));
        assertEquals("true", g.getElIgnored());
        assertEquals("false", g.getScriptingInvalid());
        assertNull(g.getIsXml(), "a setting the descriptor leaves out is null, not false");
        assertNull(g.getErrorOnELNotFound());
        assertEquals("UTF-8", g.getPageEncoding());
        assertEquals(List.of("/WEB-INF/pre.jspf"), List.copyOf(g.getIncludePreludes()));
        assertTrue(g.getIncludeCodas().isEmpty());
        assertEquals("true", g.getTrimDirectiveWhitespaces());
        assertEquals("text/plain", g.getDefaultContentType());
        assertEquals("16kb", g.getBuffer());
        JspPropertyGroupDescriptor bare = List.copyOf(d.getJspPropertyGroups()).get(1);
        assertEquals(List.of("*.jspf"), List.copyOf(bare.getUrlPatterns()));
        assertNull(bare.getElIgnored());
        assertNull(bare.getPageEncoding());
    }

    @Test
    void callersCannotChangeTheApplicationsConfiguration() {
        WebApp app = new WebApp("/a");
        app.setJspConfigDescriptor(sample());
        app.getJspConfigDescriptor().getTaglibs().clear();
        app.getJspConfigDescriptor().getJspPropertyGroups().iterator().next().getUrlPatterns().clear();
        assertEquals(1, app.getJspConfigDescriptor().getTaglibs().size());
        assertEquals(2, app.getJspConfigDescriptor().getJspPropertyGroups().iterator().next().getUrlPatterns().size());
    }

    @Test
    void theDescriptorIsFixedOnceStarted() throws Exception {
        WebApp app = new WebApp("/a");
        try (Deployed d = Deployed.start(app)) {
            assertThrows(IllegalStateException.class, () -> app.setJspConfigDescriptor(sample()));
        }
    }

    @Test
    void addJspFileWithoutJasperSaysSo() {
        WebApp app = new WebApp("/a");
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> app.addJspFile("page", "/page.jsp"));
        assertTrue(e.getMessage().contains("JSP support is not installed"), e.getMessage());
        assertTrue(e.getMessage().contains(WebApp.JSP_SERVLET_CLASS), e.getMessage());
        assertNull(app.getServletRegistration("page"), "nothing is registered");
    }

    @Test
    void addJspFileChecksItsArguments() {
        WebApp app = new WebApp("/a");
        assertThrows(IllegalArgumentException.class, () -> app.addJspFile("", "/page.jsp"));
        assertThrows(IllegalArgumentException.class, () -> app.addJspFile(null, "/page.jsp"));
        assertThrows(IllegalArgumentException.class, () -> app.addJspFile("page", "page.jsp"));
        assertThrows(IllegalArgumentException.class, () -> app.addJspFile("page", null));
    }

    @Test
    void addJspFileRegistersJaspersServletByName() throws Exception {
        WebApp app = new WebApp("/a");
        app.setClassLoader(new StubJasperLoader());
        ServletRegistration.Dynamic r = app.addJspFile("page", "/WEB-INF/page.jsp");
        assertEquals(WebApp.JSP_SERVLET_CLASS, r.getClassName());
        assertEquals("/WEB-INF/page.jsp", r.getInitParameter("jspFile"));
        assertSame(r, app.getServletRegistration("page"));
        assertNull(app.addJspFile("page", "/other.jsp"), "a servlet of that name exists");
    }

    @Test
    void addJspFileOnlyWhileTheApplicationIsBeingConfigured() throws Exception {
        WebApp app = new WebApp("/a");
        app.setClassLoader(new StubJasperLoader());
        try (Deployed d = Deployed.start(app)) {
            assertThrows(IllegalStateException.class, () -> app.addJspFile("late", "/late.jsp"));
        }
    }

    /**
     * Loads an empty abstract class by Jasper's servlet's name, so that the application's class
     * loader can load it, which is all addJspFile asks before registering it by name.
     */
    static final class StubJasperLoader extends ClassLoader {
        StubJasperLoader() {
            super(JspConfigTest.class.getClassLoader());
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            if (!name.equals(WebApp.JSP_SERVLET_CLASS)) {
                throw new ClassNotFoundException(name);
            }
            byte[] b = emptyAbstractClass(name.replace('.', '/'), "jakarta/servlet/GenericServlet");
            return defineClass(name, b, 0, b.length);
        }

        /** A class file with a name and a superclass and nothing else (no constructor: it is never made). */
        private static byte[] emptyAbstractClass(String internalName, String superName) {
            try {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                DataOutputStream out = new DataOutputStream(bytes);
                out.writeInt(0xCAFEBABE);
                out.writeShort(0); // minor
                out.writeShort(65); // Java 21
                out.writeShort(5); // constant pool count + 1
                out.writeByte(7); // #1 Class #2
                out.writeShort(2);
                out.writeByte(1); // #2 Utf8
                out.writeUTF(internalName);
                out.writeByte(7); // #3 Class #4
                out.writeShort(4);
                out.writeByte(1); // #4 Utf8
                out.writeUTF(superName);
                out.writeShort(0x0001 | 0x0020 | 0x0400); // public super abstract
                out.writeShort(1); // this
                out.writeShort(3); // super
                out.writeShort(0); // interfaces
                out.writeShort(0); // fields
                out.writeShort(0); // methods
                out.writeShort(0); // attributes
                return bytes.toByteArray();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
