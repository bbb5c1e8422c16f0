package dev.weft.server;

/** The text of {@code weft --help}, with every setting from {@link Settings}. */
final class Help {
    private Help() {}

    private static final int WIDTH = 100;
    private static final int COLUMN = 34;

    static String text() {
        StringBuilder b = new StringBuilder();
        b.append("""
                Usage: weft [OPTION]... [APP.war | EXPLODED_DIR | WEBAPPS_DIR]...

                Serves Jakarta Servlet applications with Weft. With nothing to serve named (here or in the
                configuration file), serves the bundled examples: http://localhost:8080/ links them all.

                  APP.war        a WAR file, at the context path its name gives: ROOT.war at /, shop.war at
                                 /shop, shop##v2.war at /shop (## starts a version), a#b.war at /a/b
                  EXPLODED_DIR   a folder with a WEB-INF folder in it: an unpacked WAR, named the same way
                  WEBAPPS_DIR    any other folder: every name.war and name/ in it is served, and the folder
                                 is watched: applications added, changed or removed are deployed, redeployed
                                 or undeployed within seconds

                Commands:
                  -h, --help                      show this help and exit
                  --version                       print the version and exit
                  --print-config                  print the settings in effect, as a configuration file, and exit
                  --config FILE                   read settings from FILE, a Java properties file (default:
                                                  weft.properties in the current folder, if there is one)

                Every setting below is a flag here and a key in the configuration file; flags win over
                the file. The key is the flag without its dashes, with a dot after its group:
                --port is port, --tls-port is tls.port, --timeout-read-header is timeout.read-header
                (--tls.port works as a flag too). A flag takes its value as --flag VALUE or
                --flag=VALUE; a true/false flag alone means true, and --no-FLAG means false.
                Durations are written 250ms, 30s, 5m, 2h or 0 for none; sizes 8192, 8KiB, 1MiB.
                Defaults are in brackets.
                """);
        String group = null;
        for (Setting<?> s : Settings.ALL) {
            if (!s.group.equals(group)) {
                group = s.group;
                b.append('\n').append(group).append(":\n");
            }
            String left = "  " + s.flag() + (s.isBoolean() ? "" : " " + s.valueName);
            String right = s.help + " [" + s.defaultText + "]";
            append(b, left, right);
        }
        b.append("""

                Signals and exit status:
                  SIGTERM or SIGINT (Ctrl-C) stops gracefully: listeners close at once, requests in flight
                  get up to drain-time to finish, then connections close and applications are undeployed.
                  A second signal stops at once.
                  0    stopped by a signal (or after a graceful stop)
                  1    could not start: a port in use, a work folder that cannot be made, nothing deployable
                  2    a bad command line or configuration: the message names the flag or key and its value
                  130  a second SIGINT cut a graceful stop short (143 for SIGTERM: 128 + the signal's number)
                """);
        return b.toString();
    }

    /** Two columns, the right one wrapped at {@link #WIDTH}. */
    private static void append(StringBuilder b, String left, String right) {
        b.append(left);
        int col = left.length();
        if (col >= COLUMN - 1) {
            b.append('\n');
            col = 0;
        }
        b.append(" ".repeat(COLUMN - col));
        col = COLUMN;
        boolean first = true;
        for (String word : right.split(" ")) {
            if (!first && col + 1 + word.length() > WIDTH) {
                b.append('\n').append(" ".repeat(COLUMN));
                col = COLUMN;
                first = true;
            }
            if (!first) {
                b.append(' ');
                col++;
            }
            b.append(word);
            col += word.length();
            first = false;
        }
        b.append('\n');
    }
}
