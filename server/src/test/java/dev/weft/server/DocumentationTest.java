package dev.weft.server;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The documentation and --help name every setting with its default, so neither drifts from the code. */
class DocumentationTest {

    @Test
    void theReadmeHasARowForEveryKeyWithItsDefault() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        for (Setting<?> s : Settings.ALL) {
            String row = "| `" + s.key + "` | `" + s.flag() + (s.isBoolean() ? "" : " " + s.valueName) + "` | ";
            int at = readme.indexOf(row);
            assertTrue(at >= 0, "server/README.md has no row for " + s.key + ": " + row);
            String rest = readme.substring(at + row.length(), readme.indexOf('\n', at));
            assertTrue(rest.startsWith(s.defaultText) || rest.startsWith("`" + s.defaultText + "`"),
                    "server/README.md gives " + s.key + " the default " + s.defaultText + ": " + rest);
        }
    }

    @Test
    void helpListsEveryFlagWithItsDefault() {
        String help = Help.text();
        for (Setting<?> s : Settings.ALL) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\n  " + java.util.regex.Pattern.quote(
                    s.flag() + (s.isBoolean() ? "" : " " + s.valueName)) + "[ \n]").matcher(help);
            assertTrue(m.find(), s.flag() + " in\n" + help);
            int at = m.start();
            int next = help.indexOf("\n  --", at + 3);
            String entry = help.substring(at, next < 0 ? help.length() : next).replaceAll("\\s+", " ");
            assertTrue(entry.contains("[" + s.defaultText + "]"), s.flag() + " with its default: " + entry);
        }
        assertTrue(help.contains("--config FILE") && help.contains("--print-config") && help.contains("--version"));
        assertTrue(help.contains("143"), "exit statuses are listed");
    }

    @Test
    void theRepositoryReadmeStartsWithTheLauncher() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        int firstBlock = readme.indexOf("```\n");
        assertTrue(readme.startsWith("./weft\n", firstBlock + 4), "the first command of README.md is ./weft");
    }
}
