package dev.weft.server;

import java.nio.file.Path;
import java.util.function.Function;

/**
 * One configuration key: its name in {@code weft.properties}, the flag that sets it on the command
 * line ({@code --} and the key with dots as dashes), what it holds, its default and its meaning.
 * Help, the printed configuration and the documentation table all come from these.
 *
 * @param <T> the parsed value; null stands for "not set" where the default says so
 */
final class Setting<T> {
    final String key;
    final String group;
    final String valueName;
    final T defaultValue;
    final String defaultText;
    final String help;
    private final Values.Parser<T> parser;
    private final Function<T, String> printer;

    Setting(String key, String group, String valueName, Values.Parser<T> parser, T defaultValue, String defaultText,
            Function<T, String> printer, String help) {
        this.key = key;
        this.group = group;
        this.valueName = valueName;
        this.parser = parser;
        this.defaultValue = defaultValue;
        this.defaultText = defaultText;
        this.printer = printer;
        this.help = help;
    }

    /** The command-line flag: {@code access-log.max-size} is {@code --access-log-max-size}. */
    String flag() {
        return "--" + key.replace('.', '-');
    }

    boolean isBoolean() {
        return defaultValue instanceof Boolean;
    }

    /** The value {@code text} stands for; throws IllegalArgumentException saying what was expected. */
    T parse(String text, Path base) {
        return parser.parse(text, base);
    }

    /** {@code value} as it would be written in the configuration file. */
    String print(Object value) {
        @SuppressWarnings("unchecked")
        T v = (T) value;
        return v == null ? "" : printer.apply(v);
    }

    @Override
    public String toString() {
        return key;
    }
}
