package dev.weft.servlet;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Enumeration;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * A web application's static resources: a folder, a place on the class path, or nothing. Paths
 * are context-relative and start with {@code /}; no path ever resolves outside the base.
 */
public abstract class Resources {
    /** A resource: a file or a directory. */
    public record Resource(String path, URL url, boolean directory, long length, long lastModified, Path file) {
        public InputStream open() throws IOException {
            if (file != null) {
                return Files.newInputStream(file);
            }
            URLConnection c = url.openConnection();
            c.setUseCaches(false);
            return c.getInputStream();
        }
    }

    /** The resource at {@code path}, or null if there is none. */
    public abstract Resource get(String path);

    /** The entries directly under the directory {@code path}, directories ending with {@code /}. */
    public abstract Set<String> list(String path);

    /** The file system path of {@code path}, or null when resources are not files. */
    public abstract Path realPath(String path);

    public static Resources none() {
        return NONE;
    }

    public static Resources folder(Path root) {
        return new Folder(root);
    }

    /** Resources under {@code prefix} (such as {@code "static"}) on {@code loader}'s class path. */
    public static Resources classPath(ClassLoader loader, String prefix) {
        return new ClassPath(loader, prefix);
    }

    /**
     * Normalises a context-relative path: collapses {@code .} and {@code ..} and repeated slashes,
     * and returns null if it would climb above the root.
     */
    static String normalize(String path) {
        if (path == null || !path.startsWith("/")) {
            return null;
        }
        if (path.indexOf('\\') >= 0 || path.indexOf('\0') >= 0) {
            return null;
        }
        String[] segments = path.split("/", -1);
        String[] out = new String[segments.length];
        int n = 0;
        for (String s : segments) {
            if (s.isEmpty() || s.equals(".")) {
                continue;
            }
            if (s.equals("..")) {
                if (n == 0) {
                    return null;
                }
                n--;
            } else {
                out[n++] = s;
            }
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append('/').append(out[i]);
        }
        if (sb.isEmpty() || path.endsWith("/")) {
            sb.append('/');
        }
        return sb.toString();
    }

    private static final Resources NONE = new Resources() {
        @Override
        public Resource get(String path) {
            return null;
        }

        @Override
        public Set<String> list(String path) {
            return Set.of();
        }

        @Override
        public Path realPath(String path) {
            return null;
        }
    };

    private static final class Folder extends Resources {
        private final Path root;
        private final Path realRoot;

        Folder(Path root) {
            this.root = root.toAbsolutePath().normalize();
            Path real;
            try {
                real = this.root.toRealPath();
            } catch (IOException e) {
                real = this.root;
            }
            this.realRoot = real;
        }

        private Path resolve(String path) {
            String p = normalize(path);
            if (p == null) {
                return null;
            }
            Path f = root.resolve(p.substring(1)).normalize();
            if (!f.startsWith(root)) {
                return null;
            }
            return f;
        }

        @Override
        public Resource get(String path) {
            Path f = resolve(path);
            if (f == null) {
                return null;
            }
            try {
                BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
                // A symbolic link may point anywhere; only follow it if it stays inside the base.
                if (!f.toRealPath().startsWith(realRoot)) {
                    return null;
                }
                return new Resource(path, f.toUri().toURL(), a.isDirectory(), a.isDirectory() ? -1 : a.size(),
                        a.lastModifiedTime().toMillis(), f);
            } catch (IOException e) {
                return null;
            }
        }

        @Override
        public Set<String> list(String path) {
            Path f = resolve(path);
            if (f == null || !Files.isDirectory(f)) {
                return Set.of();
            }
            String base = normalize(path);
            String prefix = base.endsWith("/") ? base : base + "/";
            Set<String> out = new TreeSet<>();
            try (Stream<Path> s = Files.list(f)) {
                s.forEach(p -> out.add(prefix + p.getFileName() + (Files.isDirectory(p) ? "/" : "")));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return out;
        }

        @Override
        public Path realPath(String path) {
            return resolve(path == null || path.isEmpty() ? "/" : path.startsWith("/") ? path : "/" + path);
        }
    }

    private static final class ClassPath extends Resources {
        private final ClassLoader loader;
        private final String prefix;

        ClassPath(ClassLoader loader, String prefix) {
            this.loader = loader;
            String p = prefix == null ? "" : prefix;
            while (p.startsWith("/")) {
                p = p.substring(1);
            }
            while (p.endsWith("/")) {
                p = p.substring(0, p.length() - 1);
            }
            this.prefix = p;
        }

        private String name(String path) {
            String p = normalize(path);
            if (p == null) {
                return null;
            }
            String rel = p.substring(1);
            if (rel.endsWith("/")) {
                rel = rel.substring(0, rel.length() - 1);
            }
            return prefix.isEmpty() ? rel : rel.isEmpty() ? prefix : prefix + "/" + rel;
        }

        @Override
        public Resource get(String path) {
            String name = name(path);
            if (name == null || (name.isEmpty() && prefix.isEmpty())) {
                return null;
            }
            URL url = loader.getResource(name);
            if (url == null) {
                return null;
            }
            try {
                if (url.getProtocol().equals("file")) {
                    Path f = Path.of(url.toURI());
                    BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                    return new Resource(path, url, a.isDirectory(), a.isDirectory() ? -1 : a.size(),
                            a.lastModifiedTime().toMillis(), f);
                }
                // Jar connections share the JDK's cached JarFile: never close it here.
                URLConnection c = url.openConnection();
                if (c instanceof JarURLConnection jc) {
                    JarFile jar = jc.getJarFile();
                    JarEntry file = jar.getJarEntry(name);
                    if (file != null && !file.isDirectory()) {
                        return new Resource(path, url, false, file.getSize(), file.getTime(), null);
                    }
                    JarEntry dir = jar.getJarEntry(name + "/");
                    return new Resource(path, url, true, -1, dir != null ? dir.getTime() : 0, null);
                }
                return new Resource(path, url, false, c.getContentLengthLong(), c.getLastModified(), null);
            } catch (IOException | URISyntaxException e) {
                return null;
            }
        }

        @Override
        public Set<String> list(String path) {
            Resource r = get(path);
            if (r == null || !r.directory()) {
                return Set.of();
            }
            String base = normalize(path);
            String dirPrefix = base.endsWith("/") ? base : base + "/";
            Set<String> out = new TreeSet<>();
            try {
                if (r.file() != null) {
                    try (Stream<Path> s = Files.list(r.file())) {
                        s.forEach(p -> out.add(dirPrefix + p.getFileName() + (Files.isDirectory(p) ? "/" : "")));
                    }
                } else if (r.url().openConnection() instanceof JarURLConnection jc) {
                    String entryPrefix = name(path) + "/";
                    Enumeration<JarEntry> entries = jc.getJarFile().entries();
                    while (entries.hasMoreElements()) {
                        String n = entries.nextElement().getName();
                        if (n.startsWith(entryPrefix) && n.length() > entryPrefix.length()) {
                            String rest = n.substring(entryPrefix.length());
                            int slash = rest.indexOf('/');
                            out.add(dirPrefix + (slash < 0 ? rest : rest.substring(0, slash + 1)));
                        }
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return out;
        }

        @Override
        public Path realPath(String path) {
            return null;
        }
    }
}
