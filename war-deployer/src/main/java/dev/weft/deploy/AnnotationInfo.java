package dev.weft.deploy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One annotation as written in a class file, as plain data.
 *
 * <p>{@link #values} holds only the elements the class file names: defaults live in the annotation
 * type, which the scanner does not read, so callers supply them. Value types: {@code String},
 * {@code Integer}, {@code Long}, {@code Boolean}, {@code Byte}, {@code Short}, {@code Character},
 * {@code Float}, {@code Double}; an enum constant as its name ({@code "REQUEST"}); a class literal as
 * its name ({@code "com.example.Foo"}, {@code "int"}, {@code "java.lang.String[]"}); a nested
 * annotation as an {@code AnnotationInfo}; an array as an unmodifiable {@code List} of those.
 *
 * <p>The typed getters throw {@link IllegalArgumentException} when a value has the wrong type, the
 * class-file counterpart of {@code AnnotationTypeMismatchException}.
 *
 * @param type the annotation type's binary name
 * @param values element name to value, in class-file order
 */
public record AnnotationInfo(String type, Map<String, Object> values) {

    public AnnotationInfo {
        Objects.requireNonNull(type, "type");
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    public boolean has(String element) {
        return values.containsKey(element);
    }

    /** The raw value, or null when the class file does not name the element. */
    public Object value(String element) {
        return values.get(element);
    }

    public String string(String element, String defaultValue) {
        return typed(element, String.class, defaultValue);
    }

    public int intValue(String element, int defaultValue) {
        return typed(element, Integer.class, defaultValue);
    }

    public long longValue(String element, long defaultValue) {
        return typed(element, Long.class, defaultValue);
    }

    public boolean booleanValue(String element, boolean defaultValue) {
        return typed(element, Boolean.class, defaultValue);
    }

    /** An enum constant's name. */
    public String enumValue(String element, String defaultValue) {
        return typed(element, String.class, defaultValue);
    }

    /** A {@code String[]}, or an empty list when absent. */
    public List<String> strings(String element) {
        return list(element, String.class, List.of());
    }

    /** An enum array's constant names, or {@code defaultValue} when absent. */
    public List<String> enumValues(String element, List<String> defaultValue) {
        return list(element, String.class, defaultValue);
    }

    public Optional<AnnotationInfo> annotation(String element) {
        return Optional.ofNullable(typed(element, AnnotationInfo.class, null));
    }

    /** An annotation array, or an empty list when absent. */
    public List<AnnotationInfo> annotations(String element) {
        return list(element, AnnotationInfo.class, List.of());
    }

    private <T> T typed(String element, Class<T> type, T defaultValue) {
        Object v = values.get(element);
        if (v == null) {
            return defaultValue;
        }
        if (!type.isInstance(v)) {
            throw mismatch(element, type, v);
        }
        return type.cast(v);
    }

    private <T> List<T> list(String element, Class<T> type, List<T> defaultValue) {
        Object v = values.get(element);
        if (v == null) {
            return defaultValue;
        }
        // javac always writes arrays, but other compilers may write a lone element for a one-element array.
        List<?> raw = v instanceof List<?> l ? l : List.of(v);
        List<T> out = new ArrayList<>(raw.size());
        for (Object item : raw) {
            if (!type.isInstance(item)) {
                throw mismatch(element, type, item);
            }
            out.add(type.cast(item));
        }
        return List.copyOf(out);
    }

    private IllegalArgumentException mismatch(String element, Class<?> expected, Object actual) {
        return new IllegalArgumentException("@" + type + " element " + element + ": expected "
                + expected.getSimpleName() + ", found " + actual.getClass().getSimpleName() + " " + actual);
    }
}
