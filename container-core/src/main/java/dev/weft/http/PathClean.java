package dev.weft.http;

/**
 * The canonical form of a request path, as {@link ServeMux} redirects to: Go's {@code path.Clean}
 * applied to a rooted path, keeping a trailing slash.
 *
 * <p>Repeated slashes collapse to one, {@code .} segments go, each {@code ..} removes the segment
 * before it (and is dropped at the root), a missing leading {@code /} is added, and the empty path
 * becomes {@code /}. Works on the escaped path: {@code %2E} is not a dot.
 */
final class PathClean {
    private PathClean() {}

    /** The cleaned path; {@code p} itself when it is already clean, so callers may compare by identity. */
    static String clean(String p) {
        if (p.isEmpty()) {
            return "/";
        }
        if (isClean(p)) {
            return p;
        }
        int n = p.length();
        StringBuilder out = new StringBuilder(n + 1).append('/');
        int i = 0;
        while (i < n) {
            if (p.charAt(i) == '/') {
                i++;
                continue;
            }
            int end = p.indexOf('/', i);
            if (end < 0) {
                end = n;
            }
            int len = end - i;
            if (len == 1 && p.charAt(i) == '.') {
                // "." names the current directory: drop it.
            } else if (len == 2 && p.charAt(i) == '.' && p.charAt(i + 1) == '.') {
                // ".." drops the previous segment; at the root there is none to drop.
                if (out.length() > 1) {
                    int slash = out.lastIndexOf("/");
                    out.setLength(slash == 0 ? 1 : slash);
                }
            } else {
                if (out.length() > 1) {
                    out.append('/');
                }
                out.append(p, i, end);
            }
            i = end;
        }
        if (p.charAt(n - 1) == '/' && out.length() > 1) {
            out.append('/');
        }
        return out.toString();
    }

    /** Rooted, with no empty, {@code .} or {@code ..} segment except a final empty one. */
    static boolean isClean(String p) {
        int n = p.length();
        if (n == 0 || p.charAt(0) != '/') {
            return false;
        }
        int start = 1;
        while (start < n) {
            int end = p.indexOf('/', start);
            if (end < 0) {
                end = n;
            }
            int len = end - start;
            if (len == 0) {
                return false; // "//"
            }
            if (p.charAt(start) == '.' && (len == 1 || (len == 2 && p.charAt(start + 1) == '.'))) {
                return false;
            }
            start = end + 1;
        }
        return true;
    }
}
