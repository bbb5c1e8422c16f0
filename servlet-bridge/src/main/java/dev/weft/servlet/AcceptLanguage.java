package dev.weft.servlet;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;

/**
 * The {@code Accept-Language} request field (RFC 9110 §12.5.4) as the locales of
 * {@code ServletRequest.getLocales()}: most preferred first, equal weights in the order sent.
 * Entries that do not parse are skipped rather than failing the field, as clients are many and
 * their mistakes old.
 */
final class AcceptLanguage {
    private AcceptLanguage() {}

    private record Weighted(Locale locale, int q) {}

    /**
     * The locales {@code headerValue} asks for. {@code *} names no locale and q=0 means "not
     * this one", so both are left out; an absent, empty or wholly malformed field gives an empty
     * list, and the caller falls back to the server's default locale.
     */
    static List<Locale> parse(String headerValue) {
        if (headerValue == null) {
            return List.of();
        }
        List<Weighted> found = new ArrayList<>();
        for (String element : headerValue.split(",", -1)) {
            Weighted w = element(element);
            if (w != null) {
                found.add(w);
            }
        }
        // List.sort is stable, which keeps the client's order among equal weights.
        found.sort(Comparator.comparingInt(Weighted::q).reversed());
        LinkedHashSet<Locale> locales = new LinkedHashSet<>();
        for (Weighted w : found) {
            locales.add(w.locale());
        }
        return List.copyOf(locales);
    }

    /** language-range [ OWS ";" OWS "q=" qvalue ], or null if malformed, {@code *} or q=0. */
    private static Weighted element(String element) {
        int semi = element.indexOf(';');
        String range = strip(semi < 0 ? element : element.substring(0, semi));
        int q = 1000;
        if (semi >= 0) {
            String weight = strip(element.substring(semi + 1));
            if (weight.length() < 3 || (weight.charAt(0) != 'q' && weight.charAt(0) != 'Q')
                    || weight.charAt(1) != '=') {
                return null;
            }
            q = qvalue(weight.substring(2));
        }
        if (q <= 0 || !isLanguageRange(range)) {
            return null;
        }
        Locale locale = Locale.forLanguageTag(range);
        // forLanguageTag drops what it cannot place; a tag left without a language (say a
        // private-use "x-foo") cannot choose a resource bundle.
        if (locale.getLanguage().isEmpty()) {
            return null;
        }
        return new Weighted(locale, q);
    }

    /** qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] ), in thousandths; -1 if malformed. */
    private static int qvalue(String s) {
        if (s.isEmpty() || s.length() > 5 || (s.charAt(0) != '0' && s.charAt(0) != '1')) {
            return -1;
        }
        int q = (s.charAt(0) - '0') * 1000;
        if (s.length() > 1) {
            if (s.charAt(1) != '.') {
                return -1;
            }
            int scale = 100;
            for (int i = 2; i < s.length(); i++, scale /= 10) {
                char c = s.charAt(i);
                if (c < '0' || c > '9') {
                    return -1;
                }
                q += (c - '0') * scale;
            }
        }
        return q > 1000 ? -1 : q;
    }

    /** language-range = 1*8ALPHA *( "-" 1*8alphanum ), RFC 4647 §2.1; {@code *} is not one here. */
    private static boolean isLanguageRange(String s) {
        int subtagStart = 0;
        for (int i = 0; i <= s.length(); i++) {
            char c = i == s.length() ? '-' : s.charAt(i);
            if (c == '-') {
                int len = i - subtagStart;
                if (len < 1 || len > 8) {
                    return false;
                }
                subtagStart = i + 1;
            } else {
                boolean alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
                boolean digit = c >= '0' && c <= '9';
                // Digits only after the first subtag.
                if (!alpha && !(digit && subtagStart > 0)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Without leading and trailing OWS (SP and HTAB). */
    private static String strip(String s) {
        int from = 0;
        int to = s.length();
        while (from < to && (s.charAt(from) == ' ' || s.charAt(from) == '\t')) {
            from++;
        }
        while (to > from && (s.charAt(to - 1) == ' ' || s.charAt(to - 1) == '\t')) {
            to--;
        }
        return s.substring(from, to);
    }
}
