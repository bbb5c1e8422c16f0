package dev.weft.servlet;

import jakarta.servlet.descriptor.JspConfigDescriptor;
import jakarta.servlet.descriptor.JspPropertyGroupDescriptor;
import jakarta.servlet.descriptor.TaglibDescriptor;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * An application's {@code <jsp-config>} (Servlet 6.1 §14.4.21, JSP 4.0 §3.3), as
 * {@link jakarta.servlet.ServletContext#getJspConfigDescriptor()} returns it: the taglib mappings and
 * the JSP property groups. Set it with {@link WebApp#setJspConfigDescriptor}; the JSP engine reads it.
 */
public record JspConfiguration(List<Taglib> taglibs, List<PropertyGroup> propertyGroups) implements JspConfigDescriptor {
    public JspConfiguration {
        taglibs = List.copyOf(taglibs);
        propertyGroups = List.copyOf(propertyGroups);
    }

    @Override
    public Collection<TaglibDescriptor> getTaglibs() {
        // A fresh collection each time: the API lets callers modify what they get without touching the application.
        return new ArrayList<>(taglibs);
    }

    @Override
    public Collection<JspPropertyGroupDescriptor> getJspPropertyGroups() {
        return new ArrayList<>(propertyGroups);
    }

    /** A {@code <taglib>}: a tag library URI and the TLD (or jar) it stands for. */
    public record Taglib(String uri, String location) implements TaglibDescriptor {
        public Taglib {
            Objects.requireNonNull(uri, "uri");
            Objects.requireNonNull(location, "location");
        }

        @Override
        public String getTaglibURI() {
            return uri;
        }

        @Override
        public String getTaglibLocation() {
            return location;
        }
    }

    /**
     * A {@code <jsp-property-group>}. A setting left out of the descriptor is null, and the getters the
     * API defines answer null for it, so that the JSP engine can tell "not set" from "false".
     */
    public record PropertyGroup(
            List<String> urlPatterns,
            Boolean elIgnored,
            Boolean errorOnElNotFound,
            String pageEncoding,
            Boolean scriptingInvalid,
            Boolean isXml,
            List<String> includePreludes,
            List<String> includeCodas,
            Boolean deferredSyntaxAllowedAsLiteral,
            Boolean trimDirectiveWhitespaces,
            String defaultContentType,
            String buffer,
            Boolean errorOnUndeclaredNamespace) implements JspPropertyGroupDescriptor {
        public PropertyGroup {
            urlPatterns = List.copyOf(urlPatterns);
            includePreludes = List.copyOf(includePreludes);
            includeCodas = List.copyOf(includeCodas);
        }

        /** A group that only names its url-patterns, every setting left to the page and the defaults. */
        public static PropertyGroup of(String... urlPatterns) {
            return new PropertyGroup(List.of(urlPatterns), null, null, null, null, null, List.of(), List.of(), null,
                    null, null, null, null);
        }

        private static String text(Boolean b) {
            return b == null ? null : b.toString();
        }

        @Override
        public Collection<String> getUrlPatterns() {
            return new ArrayList<>(urlPatterns);
        }

        @Override
        public String getElIgnored() {
            return text(elIgnored);
        }

        @Override
        public String getErrorOnELNotFound() {
            return text(errorOnElNotFound);
        }

        @Override
        public String getPageEncoding() {
            return pageEncoding;
        }

        @Override
        public String getScriptingInvalid() {
            return text(scriptingInvalid);
        }

        @Override
        public String getIsXml() {
            return text(isXml);
        }

        @Override
        public Collection<String> getIncludePreludes() {
            return new ArrayList<>(includePreludes);
        }

        @Override
        public Collection<String> getIncludeCodas() {
            return new ArrayList<>(includeCodas);
        }

        @Override
        public String getDeferredSyntaxAllowedAsLiteral() {
            return text(deferredSyntaxAllowedAsLiteral);
        }

        @Override
        public String getTrimDirectiveWhitespaces() {
            return text(trimDirectiveWhitespaces);
        }

        @Override
        public String getDefaultContentType() {
            return defaultContentType;
        }

        @Override
        public String getBuffer() {
            return buffer;
        }

        @Override
        public String getErrorOnUndeclaredNamespace() {
            return text(errorOnUndeclaredNamespace);
        }
    }
}
