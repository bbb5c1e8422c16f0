package dev.weft.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * On Java 21 a virtual thread that blocks inside {@code synchronized} pins its carrier, so Weft's
 * own main sources use locks instead. This fails on any {@code synchronized} keyword in the main
 * sources under {@code dev/weft} of any module but this one, unless it is on the allow-list
 * below with the reason it cannot block. Comments, strings and text blocks are not code and are
 * skipped.
 */
class SynchronizedKeywordTest {
    /** File (from the repository root) to the number of uses allowed there, and why. */
    static final Map<String, Allowed> ALLOWED = Map.of(
            "container-core/src/main/java/dev/weft/http/HttpException.java", new Allowed(1,
                    "overrides Throwable.fillInStackTrace, itself synchronized, and returns at once"));

    record Allowed(int count, String why) {}

    private static final Pattern KEYWORD = Pattern.compile("\\bsynchronized\\b");

    @Test
    void noSynchronizedInWeftMainSources() throws IOException {
        Path root = repositoryRoot();
        Map<String, List<Integer>> found = new TreeMap<>();
        int files = 0;
        try (Stream<Path> modules = Files.list(root)) {
            for (Path module : modules.filter(Files::isDirectory).sorted().toList()) {
                Path src = module.resolve("src/main/java/dev/weft");
                if (module.getFileName().toString().equals("benchmarks") || !Files.isDirectory(src)) {
                    continue;
                }
                try (Stream<Path> java = Files.walk(src)) {
                    for (Path f : java.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                        files++;
                        List<Integer> lines = keywordLines(Files.readString(f));
                        if (!lines.isEmpty()) {
                            found.put(root.relativize(f).toString().replace('\\', '/'), lines);
                        }
                    }
                }
            }
        }
        assertTrue(files > 50, "found only " + files + " source files under " + root);
        List<String> problems = new ArrayList<>();
        found.forEach((file, lines) -> {
            Allowed a = ALLOWED.get(file);
            if (a == null || lines.size() > a.count()) {
                problems.add(file + " lines " + lines);
            }
        });
        System.out.printf("synchronized: %d files scanned; allowed: %s%n", files, found);
        if (!problems.isEmpty()) {
            fail("synchronized in Weft's main sources (a virtual thread blocking inside pins its carrier on"
                    + " Java 21; use a ReentrantLock, or add it to the allow-list with the reason it cannot block):\n  "
                    + String.join("\n  ", problems));
        }
    }

    @Test
    void theScannerSkipsCommentsAndStrings() {
        String src = """
                // synchronized in a line comment
                /* synchronized in a block comment */
                class A {
                    String s = "synchronized";
                    char c = '"';
                    String t = \"""
                        synchronized in a text block
                        \""";
                    void f() { synchronized (this) { } }
                    synchronized void g() { }
                    int synchronizedCount;
                }
                """;
        assertTrue(keywordLines(src).equals(List.of(9, 10)), () -> "found " + keywordLines(src));
    }

    private static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("container-core/src/main/java"))) {
                return p;
            }
        }
        throw new IllegalStateException("no repository root above " + dir);
    }

    /** The lines (from 1) where the keyword appears in code. */
    static List<Integer> keywordLines(String src) {
        String code = stripNonCode(src);
        List<Integer> lines = new ArrayList<>();
        Matcher m = KEYWORD.matcher(code);
        while (m.find()) {
            int line = 1;
            for (int i = 0; i < m.start(); i++) {
                if (code.charAt(i) == '\n') {
                    line++;
                }
            }
            lines.add(line);
        }
        return lines;
    }

    /** Blanks comments, string and char literals and text blocks, keeping line breaks. */
    static String stripNonCode(String s) {
        StringBuilder out = new StringBuilder(s.length());
        int i = 0;
        int n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            if (c == '/' && i + 1 < n && s.charAt(i + 1) == '/') {
                while (i < n && s.charAt(i) != '\n') {
                    out.append(' ');
                    i++;
                }
            } else if (c == '/' && i + 1 < n && s.charAt(i + 1) == '*') {
                int end = s.indexOf("*/", i + 2);
                end = end < 0 ? n : end + 2;
                blank(s, i, end, out);
                i = end;
            } else if (s.startsWith("\"\"\"", i)) {
                int j = i + 3;
                while (j < n && !s.startsWith("\"\"\"", j)) {
                    j += s.charAt(j) == '\\' ? 2 : 1;
                }
                int end = Math.min(n, j + 3);
                blank(s, i, end, out);
                i = end;
            } else if (c == '"' || c == '\'') {
                int j = i + 1;
                while (j < n && s.charAt(j) != c && s.charAt(j) != '\n') {
                    j += s.charAt(j) == '\\' ? 2 : 1;
                }
                int end = Math.min(n, j + 1);
                blank(s, i, end, out);
                i = end;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private static void blank(String s, int from, int to, StringBuilder out) {
        for (int k = from; k < to; k++) {
            out.append(s.charAt(k) == '\n' ? '\n' : ' ');
        }
    }
}
