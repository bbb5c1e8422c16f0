package dev.weft.deploy;

import dev.weft.servlet.Resources;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * A web application's static resources (Servlet 6.1 §4.6, §10.5): its folder first, then the
 * {@code META-INF/resources} of the jars in {@code WEB-INF/lib}, as if those files were at the
 * root of the application. A path two jars have is the first jar's, in the order given.
 *
 * <p>The jars are indexed once, at deploy time, and not held open: a jar resource is read
 * through its {@code jar:} URL each time it is opened. Only indexed entries can be reached, so no
 * path can lead out of a jar's {@code META-INF/resources}.
 */
final class WebAppResources extends Resources {
    private static final String PREFIX = "META-INF/resources/";

    /** One file or directory from a jar. */
    private record Entry(Path jar, String name, boolean directory, long length, long lastModified) {}

    private final Resources folder;
    /** By context-relative path; directories end with {@code /}. */
    private final Map<String, Entry> entries;

    private WebAppResources(Resources folder, Map<String, Entry> entries) {
        this.folder = folder;
        this.entries = entries;
    }

    /**
     * The folder, then the {@code META-INF/resources} of {@code jars}; just the folder when no
     * jar has any.
     */
    static Resources of(Path root, List<Path> jars) throws IOException {
        Resources folder = Resources.folder(root);
        Map<String, Entry> entries = new HashMap<>();
        for (Path jar : jars) {
            try (JarFile jf = new JarFile(jar.toFile())) {
                for (Enumeration<JarEntry> en = jf.entries(); en.hasMoreElements(); ) {
                    JarEntry e = en.nextElement();
                    String name = e.getName();
                    if (!name.startsWith(PREFIX) || name.length() == PREFIX.length() || !safe(name)) {
                        continue;
                    }
                    String path = "/" + name.substring(PREFIX.length());
                    entries.putIfAbsent(path, new Entry(jar, name, e.isDirectory(), e.isDirectory() ? -1 : e.getSize(),
                            e.getTime()));
                    // Jars need not list their directories; every file's parents are directories.
                    for (int slash = path.lastIndexOf('/', path.length() - 2); slash > 0;
                            slash = path.lastIndexOf('/', slash - 1)) {
                        String dir = path.substring(0, slash + 1);
                        entries.putIfAbsent(dir, new Entry(jar, PREFIX + dir.substring(1), true, -1, e.getTime()));
                    }
                }
            }
        }
        return entries.isEmpty() ? folder : new WebAppResources(folder, Map.copyOf(entries));
    }

    /** No entry that could mean something else on another file system or in a URL. */
    private static boolean safe(String name) {
        if (name.indexOf('\\') >= 0 || name.indexOf('\0') >= 0 || name.contains("//")) {
            return false;
        }
        for (String segment : name.split("/")) {
            if (segment.equals("..") || segment.equals(".")) {
                return false;
            }
        }
        return true;
    }

    /** {@code /a/./b//c} as {@code /a/b/c}; null when it climbs above the root or is no path. */
    private static String normalize(String path) {
        if (path == null || !path.startsWith("/") || path.indexOf('\\') >= 0 || path.indexOf('\0') >= 0) {
            return null;
        }
        List<String> out = new ArrayList<>();
        for (String s : path.split("/")) {
            if (s.isEmpty() || s.equals(".")) {
                continue;
            }
            if (s.equals("..")) {
                if (out.isEmpty()) {
                    return null;
                }
                out.remove(out.size() - 1);
            } else {
                out.add(s);
            }
        }
        String p = "/" + String.join("/", out);
        return path.endsWith("/") && !p.equals("/") ? p + "/" : p;
    }

    private Entry entry(String path) {
        String p = normalize(path);
        if (p == null || p.equals("/")) {
            return null; // the root is the folder's
        }
        Entry e = entries.get(p);
        return e == null && !p.endsWith("/") ? entries.get(p + "/") : e;
    }

    @Override
    public Resource get(String path) {
        Resource r = folder.get(path);
        if (r != null) {
            return r;
        }
        Entry e = entry(path);
        if (e == null) {
            return null;
        }
        try {
            return new Resource(path, url(e), e.directory(), e.length(), e.lastModified(), null);
        } catch (MalformedURLException | URISyntaxException ex) {
            return null;
        }
    }

    private static URL url(Entry e) throws MalformedURLException, URISyntaxException {
        // The entry part of a jar: URL is decoded by the JDK, so it is encoded here.
        String entry = new URI(null, null, "/" + e.name(), null).getRawPath();
        return URI.create("jar:" + e.jar().toUri() + "!" + entry).toURL();
    }

    @Override
    public Set<String> list(String path) {
        Set<String> out = new TreeSet<>(folder.list(path));
        String p = normalize(path);
        if (p == null) {
            return out;
        }
        String dir = p.endsWith("/") ? p : p + "/";
        for (String candidate : entries.keySet()) {
            if (candidate.length() > dir.length() && candidate.startsWith(dir)) {
                String rest = candidate.substring(dir.length());
                int slash = rest.indexOf('/');
                if (slash < 0 || slash == rest.length() - 1) {
                    out.add(candidate);
                }
            }
        }
        return out;
    }

    @Override
    public Path realPath(String path) {
        // A file in a jar has no path of its own: the folder's path for it would name nothing.
        if (folder.get(path) == null && entry(path) != null) {
            return null;
        }
        return folder.realPath(path);
    }
}
