package dev.weft.server;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The command line, split into its parts and not yet checked against anything but itself: the
 * commands ({@code --help}, {@code --version}, {@code --print-config}), the configuration file,
 * one value per setting flag, and the paths to serve.
 *
 * <p>Every setting is a flag: {@code --KEY VALUE} or {@code --KEY=VALUE}, with the key's dots as
 * dashes. A boolean flag alone means true; {@code --no-KEY} means false.
 */
record CommandLine(boolean help, boolean version, boolean printConfig, Path configFile,
        Map<Setting<?>, String> flags, List<String> paths) {

    static CommandLine parse(String... args) throws ConfigException {
        boolean help = false;
        boolean version = false;
        boolean printConfig = false;
        Path config = null;
        Map<Setting<?>, String> flags = new LinkedHashMap<>();
        List<String> paths = new ArrayList<>();
        boolean optionsEnded = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (optionsEnded || !arg.startsWith("-") || arg.equals("-")) {
                if (arg.isEmpty()) {
                    throw new ConfigException("an empty argument is not a path");
                }
                paths.add(arg);
                continue;
            }
            if (arg.equals("--")) {
                optionsEnded = true;
                continue;
            }
            String name = arg;
            String value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            }
            switch (name) {
                case "-h", "--help" -> {
                    noValue(name, value);
                    help = true;
                    continue;
                }
                case "--version" -> {
                    noValue(name, value);
                    version = true;
                    continue;
                }
                case "--print-config" -> {
                    noValue(name, value);
                    printConfig = true;
                    continue;
                }
                case "--config" -> {
                    if (value == null) {
                        value = next(args, i++, name);
                    }
                    if (value.isBlank()) {
                        throw new ConfigException("--config needs a file, not an empty string");
                    }
                    try {
                        config = Path.of(value);
                    } catch (java.nio.file.InvalidPathException e) {
                        throw new ConfigException("--config " + value + " is not a valid path: " + e.getReason());
                    }
                    continue;
                }
                default -> {
                    // a setting, below
                }
            }
            Setting<?> s = Settings.byFlag(name);
            if (s == null && name.startsWith("--no-")) {
                Setting<?> negated = Settings.byFlag("--" + name.substring(5));
                if (negated != null && negated.isBoolean()) {
                    noValue(name, value);
                    flags.put(negated, "false");
                    continue;
                }
            }
            if (s == null) {
                String guess = name.startsWith("--") ? Settings.closestFlag(name) : null;
                throw new ConfigException("unknown option " + name + (guess != null ? " (did you mean " + guess + "?)" : ""));
            }
            if (value == null) {
                value = s.isBoolean() ? "true" : next(args, i++, name);
            }
            flags.put(s, value);
        }
        return new CommandLine(help, version, printConfig, config, flags, List.copyOf(paths));
    }

    private static void noValue(String name, String value) throws ConfigException {
        if (value != null) {
            throw new ConfigException(name + " takes no value");
        }
    }

    private static String next(String[] args, int i, String name) throws ConfigException {
        if (i + 1 >= args.length) {
            throw new ConfigException(name + " needs a value");
        }
        return args[i + 1];
    }
}
