package dev.weft.servlet;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * File extension to media type, for {@code ServletContext.getMimeType} and static content. One
 * built-in table of the types a container is expected to know (the common part of what Tomcat's
 * {@code conf/web.xml} maps, with the IANA or WHATWG type where they differ), shared by every
 * instance; each web application has its own instance for the {@code <mime-mapping>}s of its
 * descriptor and calls to {@link #add}, which take precedence over the table.
 */
public final class MimeTypes {

    private static final Map<String, String> DEFAULTS = Map.ofEntries(
            // Text and web documents
            Map.entry("html", "text/html"),
            Map.entry("htm", "text/html"),
            Map.entry("xhtml", "application/xhtml+xml"),
            Map.entry("xht", "application/xhtml+xml"),
            Map.entry("css", "text/css"),
            // RFC 9239: text/javascript is the one type for JavaScript, modules included.
            Map.entry("js", "text/javascript"),
            Map.entry("mjs", "text/javascript"),
            Map.entry("json", "application/json"),
            Map.entry("map", "application/json"),
            Map.entry("jsonld", "application/ld+json"),
            Map.entry("webmanifest", "application/manifest+json"),
            Map.entry("xml", "application/xml"),
            Map.entry("xsd", "application/xml"),
            Map.entry("xsl", "application/xml"),
            Map.entry("xslt", "application/xslt+xml"),
            Map.entry("dtd", "application/xml-dtd"),
            Map.entry("txt", "text/plain"),
            Map.entry("text", "text/plain"),
            Map.entry("conf", "text/plain"),
            Map.entry("log", "text/plain"),
            Map.entry("asc", "text/plain"),
            Map.entry("java", "text/x-java-source"),
            Map.entry("csv", "text/csv"),
            Map.entry("tsv", "text/tab-separated-values"),
            Map.entry("md", "text/markdown"),
            Map.entry("markdown", "text/markdown"),
            Map.entry("ics", "text/calendar"),
            Map.entry("vcf", "text/vcard"),
            Map.entry("vcard", "text/vcard"),
            Map.entry("vtt", "text/vtt"),
            Map.entry("yaml", "application/yaml"),
            Map.entry("yml", "application/yaml"),
            Map.entry("rss", "application/rss+xml"),
            Map.entry("atom", "application/atom+xml"),
            Map.entry("rdf", "application/rdf+xml"),
            Map.entry("mathml", "application/mathml+xml"),
            Map.entry("mml", "application/mathml+xml"),
            Map.entry("smil", "application/smil+xml"),
            Map.entry("smi", "application/smil+xml"),
            Map.entry("wsdl", "application/wsdl+xml"),
            Map.entry("sh", "application/x-sh"),
            Map.entry("sql", "application/sql"),
            Map.entry("tex", "application/x-tex"),
            Map.entry("latex", "application/x-latex"),

            // Images
            Map.entry("png", "image/png"),
            Map.entry("apng", "image/apng"),
            Map.entry("jpg", "image/jpeg"),
            Map.entry("jpeg", "image/jpeg"),
            Map.entry("jpe", "image/jpeg"),
            Map.entry("jfif", "image/jpeg"),
            Map.entry("gif", "image/gif"),
            Map.entry("bmp", "image/bmp"),
            Map.entry("ico", "image/vnd.microsoft.icon"),
            Map.entry("svg", "image/svg+xml"),
            Map.entry("svgz", "image/svg+xml"),
            Map.entry("webp", "image/webp"),
            Map.entry("avif", "image/avif"),
            Map.entry("heic", "image/heic"),
            Map.entry("heif", "image/heif"),
            Map.entry("jxl", "image/jxl"),
            Map.entry("jp2", "image/jp2"),
            Map.entry("tif", "image/tiff"),
            Map.entry("tiff", "image/tiff"),
            Map.entry("psd", "image/vnd.adobe.photoshop"),
            Map.entry("djvu", "image/vnd.djvu"),

            // Audio
            Map.entry("mp3", "audio/mpeg"),
            Map.entry("mpga", "audio/mpeg"),
            Map.entry("mp2", "audio/mpeg"),
            Map.entry("m4a", "audio/mp4"),
            Map.entry("aac", "audio/aac"),
            Map.entry("ogg", "audio/ogg"),
            Map.entry("oga", "audio/ogg"),
            Map.entry("opus", "audio/ogg"),
            Map.entry("spx", "audio/ogg"),
            Map.entry("weba", "audio/webm"),
            Map.entry("wav", "audio/wav"),
            Map.entry("flac", "audio/flac"),
            Map.entry("mid", "audio/midi"),
            Map.entry("midi", "audio/midi"),
            Map.entry("aif", "audio/x-aiff"),
            Map.entry("aiff", "audio/x-aiff"),
            Map.entry("aifc", "audio/x-aiff"),
            Map.entry("au", "audio/basic"),
            Map.entry("m3u", "audio/x-mpegurl"),
            Map.entry("pls", "audio/x-scpls"),
            Map.entry("wma", "audio/x-ms-wma"),

            // Video
            Map.entry("mp4", "video/mp4"),
            Map.entry("m4v", "video/mp4"),
            Map.entry("mpeg", "video/mpeg"),
            Map.entry("mpg", "video/mpeg"),
            Map.entry("mpe", "video/mpeg"),
            Map.entry("webm", "video/webm"),
            Map.entry("ogv", "video/ogg"),
            Map.entry("mov", "video/quicktime"),
            Map.entry("qt", "video/quicktime"),
            Map.entry("avi", "video/x-msvideo"),
            Map.entry("wmv", "video/x-ms-wmv"),
            Map.entry("asf", "video/x-ms-asf"),
            Map.entry("asx", "video/x-ms-asf"),
            Map.entry("flv", "video/x-flv"),
            Map.entry("mkv", "video/x-matroska"),
            Map.entry("3gp", "video/3gpp"),
            Map.entry("3g2", "video/3gpp2"),
            // MPEG transport stream (HLS segments), not TypeScript.
            Map.entry("ts", "video/mp2t"),
            Map.entry("m3u8", "application/vnd.apple.mpegurl"),

            // Fonts (RFC 8081)
            Map.entry("woff", "font/woff"),
            Map.entry("woff2", "font/woff2"),
            Map.entry("ttf", "font/ttf"),
            Map.entry("otf", "font/otf"),
            Map.entry("ttc", "font/collection"),
            Map.entry("eot", "application/vnd.ms-fontobject"),

            // Archives, packages and binaries
            Map.entry("zip", "application/zip"),
            Map.entry("gz", "application/gzip"),
            Map.entry("tgz", "application/gzip"),
            Map.entry("tar", "application/x-tar"),
            Map.entry("bz2", "application/x-bzip2"),
            Map.entry("bz", "application/x-bzip"),
            Map.entry("xz", "application/x-xz"),
            Map.entry("zst", "application/zstd"),
            Map.entry("z", "application/x-compress"),
            Map.entry("7z", "application/x-7z-compressed"),
            Map.entry("rar", "application/vnd.rar"),
            Map.entry("cpio", "application/x-cpio"),
            Map.entry("jar", "application/java-archive"),
            Map.entry("war", "application/java-archive"),
            Map.entry("ear", "application/java-archive"),
            Map.entry("class", "application/java-vm"),
            Map.entry("ser", "application/java-serialized-object"),
            Map.entry("jnlp", "application/x-java-jnlp-file"),
            Map.entry("wasm", "application/wasm"),
            Map.entry("bin", "application/octet-stream"),
            Map.entry("exe", "application/octet-stream"),
            Map.entry("dll", "application/octet-stream"),
            Map.entry("so", "application/octet-stream"),
            Map.entry("msi", "application/octet-stream"),
            Map.entry("dmg", "application/x-apple-diskimage"),
            Map.entry("iso", "application/x-iso9660-image"),
            Map.entry("deb", "application/vnd.debian.binary-package"),
            Map.entry("rpm", "application/x-rpm"),
            Map.entry("apk", "application/vnd.android.package-archive"),
            Map.entry("torrent", "application/x-bittorrent"),

            // Office and other documents
            Map.entry("pdf", "application/pdf"),
            Map.entry("ps", "application/postscript"),
            Map.entry("eps", "application/postscript"),
            Map.entry("ai", "application/postscript"),
            Map.entry("rtf", "application/rtf"),
            Map.entry("epub", "application/epub+zip"),
            Map.entry("dvi", "application/x-dvi"),
            Map.entry("doc", "application/msword"),
            Map.entry("dot", "application/msword"),
            Map.entry("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
            Map.entry("dotx", "application/vnd.openxmlformats-officedocument.wordprocessingml.template"),
            Map.entry("xls", "application/vnd.ms-excel"),
            Map.entry("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            Map.entry("xltx", "application/vnd.openxmlformats-officedocument.spreadsheetml.template"),
            Map.entry("ppt", "application/vnd.ms-powerpoint"),
            Map.entry("pps", "application/vnd.ms-powerpoint"),
            Map.entry("pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
            Map.entry("ppsx", "application/vnd.openxmlformats-officedocument.presentationml.slideshow"),
            Map.entry("potx", "application/vnd.openxmlformats-officedocument.presentationml.template"),
            Map.entry("odt", "application/vnd.oasis.opendocument.text"),
            Map.entry("ods", "application/vnd.oasis.opendocument.spreadsheet"),
            Map.entry("odp", "application/vnd.oasis.opendocument.presentation"),
            Map.entry("odg", "application/vnd.oasis.opendocument.graphics"),
            Map.entry("ott", "application/vnd.oasis.opendocument.text-template"),
            Map.entry("ots", "application/vnd.oasis.opendocument.spreadsheet-template"),
            Map.entry("otp", "application/vnd.oasis.opendocument.presentation-template"),
            Map.entry("otg", "application/vnd.oasis.opendocument.graphics-template"),

            // Certificates and keys
            Map.entry("crt", "application/x-x509-ca-cert"),
            Map.entry("cer", "application/pkix-cert"),
            Map.entry("der", "application/x-x509-ca-cert"),
            Map.entry("pem", "application/x-pem-file"),
            Map.entry("p12", "application/x-pkcs12"),
            Map.entry("pfx", "application/x-pkcs12"),
            Map.entry("crl", "application/pkix-crl"),

            // Geodata and 3D
            Map.entry("kml", "application/vnd.google-earth.kml+xml"),
            Map.entry("kmz", "application/vnd.google-earth.kmz"),
            Map.entry("gpx", "application/gpx+xml"),
            Map.entry("geojson", "application/geo+json"),
            Map.entry("gltf", "model/gltf+json"),
            Map.entry("glb", "model/gltf-binary"),
            Map.entry("obj", "model/obj"),
            Map.entry("stl", "model/stl"),
            Map.entry("usdz", "model/vnd.usdz+zip"),
            Map.entry("wrl", "model/vrml"),
            Map.entry("vrml", "model/vrml"));

    private final Map<String, String> overrides = new ConcurrentHashMap<>();

    /** A table with the built-in mappings only. */
    public MimeTypes() {}

    /**
     * The type for the extension of the file {@code path} names: what follows the last {@code .}
     * of its last segment, in any case. Null when there is none or it is not known.
     */
    public String forPath(String path) {
        if (path == null) {
            return null;
        }
        int dot = path.lastIndexOf('.');
        // A dot in a directory name ("/v1.2/readme") is not an extension.
        if (dot < 0 || dot < path.lastIndexOf('/')) {
            return null;
        }
        return forExtension(path.substring(dot + 1));
    }

    /** The type for {@code extension} (without the dot, in any case), or null if not known. */
    public String forExtension(String extension) {
        if (extension == null || extension.isEmpty()) {
            return null;
        }
        String key = extension.toLowerCase(Locale.ROOT);
        String type = overrides.get(key);
        return type != null ? type : DEFAULTS.get(key);
    }

    /**
     * Maps {@code extension} (a leading dot is ignored; any case) to {@code type} in this table
     * only, replacing a built-in or earlier mapping; the last mapping of an extension wins, as
     * for {@code <mime-mapping>}s in a deployment descriptor.
     */
    public void add(String extension, String type) {
        if (extension == null || type == null || type.isBlank()) {
            throw new IllegalArgumentException("extension and type are required");
        }
        String key = extension.startsWith(".") ? extension.substring(1) : extension;
        if (key.isEmpty() || key.indexOf('/') >= 0 || key.indexOf('.') >= 0) {
            throw new IllegalArgumentException("not a file extension: " + extension);
        }
        overrides.put(key.toLowerCase(Locale.ROOT), type.strip());
    }
}
