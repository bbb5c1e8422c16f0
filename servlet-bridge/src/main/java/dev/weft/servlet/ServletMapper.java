package dev.weft.servlet;

import jakarta.servlet.http.MappingMatch;
import java.util.HashMap;
import java.util.Map;

/**
 * Servlet mapping as the specification's mapping chapter (12.1, 12.2) has it: an exact match
 * first, then the longest path prefix ({@code /a/*}), then an extension ({@code *.jsp}), then the
 * default servlet ({@code /}); the empty pattern maps only the context root. Immutable; rebuilt
 * when the mappings change.
 */
final class ServletMapper {
    private final Map<String, ServletHolder> exact = new HashMap<>();
    private final Map<String, ServletHolder> prefix = new HashMap<>(); // "/a/b" for "/a/b/*", "" for "/*"
    private final Map<String, ServletHolder> extension = new HashMap<>();
    private ServletHolder root; // the "" pattern
    private ServletHolder defaultServlet; // the "/" pattern

    /** Adds {@code pattern}; throws if it is not a valid url-pattern or already mapped. */
    void add(String pattern, ServletHolder holder) {
        ServletHolder previous;
        if (pattern.isEmpty()) {
            previous = root;
            root = holder;
        } else if (pattern.equals("/")) {
            previous = defaultServlet;
            defaultServlet = holder;
        } else if (pattern.startsWith("*.")) {
            String ext = pattern.substring(2);
            if (ext.isEmpty() || ext.indexOf('/') >= 0 || ext.indexOf('*') >= 0) {
                throw new IllegalArgumentException("invalid url-pattern \"" + pattern + "\"");
            }
            previous = extension.put(ext, holder);
        } else if (pattern.startsWith("/") && pattern.endsWith("/*")) {
            String p = pattern.substring(0, pattern.length() - 2);
            if (p.indexOf('*') >= 0) {
                throw new IllegalArgumentException("invalid url-pattern \"" + pattern + "\"");
            }
            previous = prefix.put(p, holder);
        } else if (pattern.startsWith("/") && pattern.indexOf('*') < 0) {
            previous = exact.put(pattern, holder);
        } else {
            throw new IllegalArgumentException("invalid url-pattern \"" + pattern + "\"");
        }
        if (previous != null && previous != holder) {
            throw new IllegalArgumentException("url-pattern \"" + pattern + "\" is mapped to both servlet \""
                    + previous.getName() + "\" and servlet \"" + holder.getName() + "\"");
        }
    }

    /** Whether {@code pattern} is a valid url-pattern (Servlet 6.1 §12.2). */
    static boolean isValidPattern(String pattern) {
        if (pattern.isEmpty() || pattern.equals("/")) {
            return true;
        }
        if (pattern.startsWith("*.")) {
            String ext = pattern.substring(2);
            return !ext.isEmpty() && ext.indexOf('/') < 0 && ext.indexOf('*') < 0;
        }
        if (!pattern.startsWith("/")) {
            return false;
        }
        int star = pattern.indexOf('*');
        return star < 0 || (pattern.endsWith("/*") && star == pattern.length() - 1);
    }

    ServletHolder defaultServlet() {
        return defaultServlet;
    }

    /** Maps a context-relative, canonical path (starting with "/"), or returns null if nothing maps it. */
    Mapping map(String path) {
        if (path.equals("/") && root != null) {
            return new Mapping(root, "", "/", MappingMatch.CONTEXT_ROOT, "", "");
        }
        ServletHolder h = exact.get(path);
        if (h != null) {
            return new Mapping(h, path, null, MappingMatch.EXACT, path.substring(1), path);
        }
        if (!prefix.isEmpty()) {
            // Longest prefix first: the path itself, then each shorter one ending before a '/'.
            String p = path;
            while (true) {
                h = prefix.get(p);
                if (h != null) {
                    String info = path.length() > p.length() ? path.substring(p.length()) : null;
                    String value = info == null ? "" : info.substring(1);
                    return new Mapping(h, p, info, MappingMatch.PATH, value, p + "/*");
                }
                if (p.isEmpty()) {
                    break;
                }
                p = p.substring(0, p.lastIndexOf('/'));
            }
        }
        if (!extension.isEmpty()) {
            int slash = path.lastIndexOf('/');
            int dot = path.lastIndexOf('.');
            if (dot > slash) {
                String ext = path.substring(dot + 1);
                h = extension.get(ext);
                if (h != null) {
                    return new Mapping(h, path, null, MappingMatch.EXTENSION, path.substring(1, dot), "*." + ext);
                }
            }
        }
        if (defaultServlet != null) {
            return new Mapping(defaultServlet, path, null, MappingMatch.DEFAULT, "", "/");
        }
        return null;
    }

    /** Whether a filter's url-pattern matches a context-relative path (Servlet 6.1 §12.2). */
    static boolean filterMatches(String pattern, String path, Mapping mapping) {
        if (pattern.equals("/*")) {
            return true;
        }
        if (pattern.equals("/")) {
            return mapping != null && mapping.mappingMatch() == MappingMatch.DEFAULT;
        }
        if (pattern.isEmpty()) {
            return path.equals("/");
        }
        if (pattern.startsWith("*.")) {
            int slash = path.lastIndexOf('/');
            int dot = path.lastIndexOf('.');
            return dot > slash && path.regionMatches(dot + 1, pattern, 2, pattern.length() - 2)
                    && path.length() - dot - 1 == pattern.length() - 2;
        }
        if (pattern.endsWith("/*")) {
            int n = pattern.length() - 2;
            return path.regionMatches(0, pattern, 0, n) && (path.length() == n || path.charAt(n) == '/');
        }
        return pattern.equals(path);
    }
}
