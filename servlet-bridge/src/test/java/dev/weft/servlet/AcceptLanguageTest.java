package dev.weft.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AcceptLanguageTest {

    /** One row: the field value, and the locales' language tags joined by {@code |}. */
    private static Arguments row(String header, String expected) {
        return Arguments.of(header, expected);
    }

    static Stream<Arguments> parse() {
        return Stream.of(
                row(null, ""),
                row("", ""),
                row("  ", ""),
                row("en", "en"),
                row("en-US", "en-US"),
                row("en-us", "en-US"),
                row("EN-GB", "en-GB"),
                row("da, en-gb;q=0.8, en;q=0.7", "da|en-GB|en"),
                // Sorted by weight, most preferred first.
                row("en;q=0.1, fr;q=0.9, de;q=0.5", "fr|de|en"),
                row("en;q=0.5, fr", "fr|en"),
                // Equal weights keep the order sent.
                row("de, fr, en", "de|fr|en"),
                row("de;q=0.5, fr;q=0.5, en;q=0.5, it", "it|de|fr|en"),
                row("ab-cd;q=0.5, xx;q=1, zz", "xx|zz|ab-CD"),
                // forLanguageTag cannot place a one-letter language, so that entry goes.
                row("a-b, fr", "fr"),
                // q=0 means "not acceptable"; '*' names no particular locale.
                row("en, fr;q=0", "en"),
                row("fr;q=0.000, en;q=0.001", "en"),
                row("*", ""),
                row("*;q=0.5, de", "de"),
                row("de, *", "de"),
                // qvalue syntax: at most three decimals, at most 1, case-insensitive "q".
                row("en;q=1.000, fr;q=0.999", "en|fr"),
                row("en;Q=0.5, fr;q=0.6", "fr|en"),
                row("en;q=1.", "en"),
                row("en;q=0., fr", "fr"),
                row("en;q=1.001, fr", "fr"),
                row("en;q=2, fr", "fr"),
                row("en;q=0.1234, fr", "fr"),
                row("en;q=.5, fr", "fr"),
                row("en;q=-1, fr", "fr"),
                row("en;q=, fr", "fr"),
                row("en;q=abc, fr", "fr"),
                row("en;q = 0.5, fr", "fr"),
                // OWS around the separators.
                row("en ; q=0.5 ,\tfr\t", "fr|en"),
                row(" , ,en,,", "en"),
                // Parameters other than q, or extra ones, make the entry malformed.
                row("en;level=1, fr", "fr"),
                row("en;q=0.5;q=0.6, fr", "fr"),
                row("en;, fr", "fr"),
                // Not language ranges: skipped, the rest kept.
                row("en_US, fr", "fr"),
                row("123, fr", "fr"),
                row("en-, fr", "fr"),
                row("-en, fr", "fr"),
                row("en--us, fr", "fr"),
                row("toolonglang, fr", "fr"),
                row("en-toolongsub, fr", "fr"),
                row("\u00e9n, fr", "fr"),
                row("x-private, fr", "fr"),
                row("en US, fr", "fr"),
                // Longer tags.
                row("zh-Hant-TW, sr-Latn", "zh-Hant-TW|sr-Latn"),
                row("de-CH-1996", "de-CH-1996"),
                row("es-419", "es-419"),
                // Duplicates appear once, at their best weight.
                row("en;q=0.2, fr;q=0.5, en", "en|fr"),
                row("en-US, en-us", "en-US"));
    }

    @ParameterizedTest
    @MethodSource
    void parse(String header, String expected) {
        String actual = AcceptLanguage.parse(header).stream().map(Locale::toLanguageTag)
                .collect(Collectors.joining("|"));
        assertEquals(expected, actual, header);
    }
}
