package dev.weft.http;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * HTTP header fields: a case-insensitive multimap that keeps the order of insertion, like Go's
 * {@code http.Header}. Names keep the case they were given; lookups ignore ASCII case.
 *
 * <p>Stored as two parallel arrays rather than a map: requests carry a handful of fields, a linear
 * scan over them beats hashing, and clearing for reuse costs nothing. Not thread-safe.
 */
public final class Headers {
    private String[] names;
    private String[] values;
    private int size;

    public Headers() {
        this(8);
    }

    public Headers(int capacity) {
        names = new String[Math.max(capacity, 1)];
        values = new String[names.length];
    }

    /** The first value of {@code name}, or null. */
    public String get(String name) {
        int i = indexOf(name, 0);
        return i < 0 ? null : values[i];
    }

    /** Every value of {@code name}, in order; empty if none. */
    public List<String> values(String name) {
        int i = indexOf(name, 0);
        if (i < 0) {
            return List.of();
        }
        int j = indexOf(name, i + 1);
        if (j < 0) {
            return List.of(values[i]);
        }
        List<String> out = new ArrayList<>(4);
        out.add(values[i]);
        for (; j >= 0; j = indexOf(name, j + 1)) {
            out.add(values[j]);
        }
        return out;
    }

    /** How many fields are named {@code name}. */
    public int count(String name) {
        int n = 0;
        for (int i = indexOf(name, 0); i >= 0; i = indexOf(name, i + 1)) {
            n++;
        }
        return n;
    }

    public boolean has(String name) {
        return indexOf(name, 0) >= 0;
    }

    /** Appends a field, keeping any existing fields of the same name. */
    public Headers add(String name, String value) {
        if (name == null || value == null) {
            throw new NullPointerException("header name and value must not be null");
        }
        if (size == names.length) {
            int cap = size * 2;
            names = Arrays.copyOf(names, cap);
            values = Arrays.copyOf(values, cap);
        }
        names[size] = name;
        values[size] = value;
        size++;
        return this;
    }

    /** Replaces every field named {@code name} with one field; the first keeps its position. */
    public Headers set(String name, String value) {
        if (value == null) {
            throw new NullPointerException("header value must not be null");
        }
        int i = indexOf(name, 0);
        if (i < 0) {
            return add(name, value);
        }
        values[i] = value;
        removeFrom(name, i + 1);
        return this;
    }

    /** Removes every field named {@code name}; returns whether there was one. */
    public boolean remove(String name) {
        int before = size;
        removeFrom(name, 0);
        return size != before;
    }

    public void clear() {
        Arrays.fill(names, 0, size, null);
        Arrays.fill(values, 0, size, null);
        size = 0;
    }

    /** The number of fields, counting repeated names once per field. */
    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    /** The name of the {@code i}-th field, in insertion order. */
    public String name(int i) {
        checkIndex(i);
        return names[i];
    }

    /** The value of the {@code i}-th field, in insertion order. */
    public String value(int i) {
        checkIndex(i);
        return values[i];
    }

    /** Distinct names, in order of first appearance, as first given. */
    public Set<String> names() {
        Set<String> seen = new LinkedHashSet<>();
        outer:
        for (int i = 0; i < size; i++) {
            for (String s : seen) {
                if (s.equalsIgnoreCase(names[i])) {
                    continue outer;
                }
            }
            seen.add(names[i]);
        }
        return Collections.unmodifiableSet(seen);
    }

    /** Calls {@code action} for every field, in order. */
    public void forEach(BiConsumer<String, String> action) {
        for (int i = 0; i < size; i++) {
            action.accept(names[i], values[i]);
        }
    }

    /**
     * Whether any value of {@code name}, read as a comma-separated list, holds {@code token}
     * (ignoring ASCII case), as for {@code Connection: close} or {@code Transfer-Encoding}.
     */
    public boolean hasToken(String name, String token) {
        for (int i = indexOf(name, 0); i >= 0; i = indexOf(name, i + 1)) {
            if (containsToken(values[i], token)) {
                return true;
            }
        }
        return false;
    }

    /** Copies every field of {@code other} into this one, after the existing fields. */
    public Headers addAll(Headers other) {
        for (int i = 0; i < other.size; i++) {
            add(other.names[i], other.values[i]);
        }
        return this;
    }

    public Headers copy() {
        Headers h = new Headers(Math.max(size, 1));
        h.addAll(this);
        return h;
    }

    static boolean containsToken(String list, String token) {
        int n = list.length();
        int start = 0;
        while (start <= n) {
            int comma = list.indexOf(',', start);
            int end = comma < 0 ? n : comma;
            int a = start;
            int b = end;
            while (a < b && isOws(list.charAt(a))) {
                a++;
            }
            while (b > a && isOws(list.charAt(b - 1))) {
                b--;
            }
            if (b - a == token.length() && list.regionMatches(true, a, token, 0, token.length())) {
                return true;
            }
            if (comma < 0) {
                break;
            }
            start = comma + 1;
        }
        return false;
    }

    private static boolean isOws(char c) {
        return c == ' ' || c == '\t';
    }

    private int indexOf(String name, int from) {
        for (int i = from; i < size; i++) {
            String n = names[i];
            if (n == name || (n.length() == name.length() && n.equalsIgnoreCase(name))) {
                return i;
            }
        }
        return -1;
    }

    private void removeFrom(String name, int from) {
        int w = from;
        for (int r = from; r < size; r++) {
            if (names[r].equalsIgnoreCase(name)) {
                continue;
            }
            names[w] = names[r];
            values[w] = values[r];
            w++;
        }
        Arrays.fill(names, w, size, null);
        Arrays.fill(values, w, size, null);
        size = w;
    }

    private void checkIndex(int i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException(i);
        }
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < size; i++) {
            sb.append(names[i]).append(": ").append(values[i]).append('\n');
        }
        return sb.toString();
    }
}
