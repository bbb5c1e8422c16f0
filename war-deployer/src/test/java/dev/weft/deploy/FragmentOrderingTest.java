package dev.weft.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.deploy.WebDescriptor.AbsoluteOrdering;
import dev.weft.deploy.WebDescriptor.RelativeOrdering;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Servlet 6.1 §8.2.2. Fragments are written {@code "A after(others C) before(B)"}, {@code -} for
 * an unnamed one, separated by {@code ;} in discovery order; results list names the same way,
 * {@code |} separating the orders the spec allows.
 */
class FragmentOrderingTest {

    static Stream<Arguments> relative() {
        return Stream.of(
                // The spec's own examples, in the discovery order it lists them.
                Arguments.of("spec: MyFragment1/2/3",
                        "MyFragment1 after(MyFragment2); MyFragment2; MyFragment3 before(others)",
                        "MyFragment3,MyFragment2,MyFragment1"),
                Arguments.of("spec: example 1",
                        "A after(others C); B before(others); C after(others); D; E; F before(others B)",
                        "F,B,D,E,C,A"),
                Arguments.of("spec: example 2",
                        "- after(others) before(C); B before(others); C; D after(others); E before(others); F",
                        "B,E,F,-,C,D | B,E,F,-,D,C | E,B,F,-,C,D | E,B,F,-,D,C | E,B,F,D,-,C | B,E,F,D,-,C"),
                Arguments.of("spec: example 3",
                        "A after(B); B; C before(others); D",
                        "C,B,D,A | C,D,B,A | C,B,A,D"),
                // And the corners between them.
                Arguments.of("no ordering keeps discovery order", "C; A; B", "C,A,B"),
                Arguments.of("unnamed fragments", "-; A; -", "-,A,-"),
                Arguments.of("names without fragments constrain nothing", "A before(Z) after(Y); B after(X)", "A,B"),
                Arguments.of("before-others fragments keep discovery order", "A; B before(others); C before(others)",
                        "B,C,A"),
                Arguments.of("after-others fragments keep discovery order", "A after(others); B after(others); C",
                        "C,A,B"),
                Arguments.of("before by name", "A; B before(A)", "B,A"),
                Arguments.of("after by name", "A after(B); B", "B,A"),
                Arguments.of("a chain", "A after(B); B after(C); C", "C,B,A"),
                Arguments.of("before others, after a name", "A before(others) after(B); B; C", "B,A,C"),
                Arguments.of("what a before-others fragment waits for is pulled forward",
                        "Z; Y; X before(others) after(Y)", "Y,X,Z"),
                Arguments.of("what follows an after-others fragment is held back",
                        "X after(others) before(W); Z; W", "Z,X,W"),
                Arguments.of("others and names in one element", "A; B before(others A); C", "B,A,C"),
                Arguments.of("an unnamed fragment ordered by name", "A; - before(A)", "-,A"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("relative")
    void relativeOrdering(String label, String fragments, String allowed) throws DescriptorException {
        FragmentOrdering.Result r = FragmentOrdering.order((AbsoluteOrdering) null, fragments(fragments));
        assertTrue(alternatives(allowed).contains(names(r.ordered())), () -> names(r.ordered()) + " not in " + allowed);
        assertEquals(List.of(), r.excluded());
    }

    static Stream<Arguments> everyDiscoveryOrder() {
        return Stream.of(
                Arguments.of("spec: MyFragment1/2/3",
                        "MyFragment1 after(MyFragment2); MyFragment2; MyFragment3 before(others)",
                        "MyFragment3,MyFragment2,MyFragment1"),
                // The spec lists one order; D and E have no constraint between them, so both go.
                Arguments.of("spec: example 1",
                        "A after(others C); B before(others); C after(others); D; E; F before(others B)",
                        "F,B,D,E,C,A | F,B,E,D,C,A"),
                Arguments.of("spec: example 2",
                        "- after(others) before(C); B before(others); C; D after(others); E before(others); F",
                        "B,E,F,-,C,D | B,E,F,-,D,C | E,B,F,-,C,D | E,B,F,-,D,C | E,B,F,D,-,C | B,E,F,D,-,C"),
                Arguments.of("spec: example 3", "A after(B); B; C before(others); D", "C,B,D,A | C,D,B,A | C,B,A,D"));
    }

    /** The spec's results do not depend on the order the container happens to find the jars in. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("everyDiscoveryOrder")
    void specExamplesInEveryDiscoveryOrder(String label, String fragments, String allowed) throws DescriptorException {
        Set<String> ok = alternatives(allowed);
        List<WebDescriptor> all = fragments(fragments);
        int count = 0;
        for (List<WebDescriptor> permutation : permutations(all)) {
            String order = names(FragmentOrdering.order((AbsoluteOrdering) null, permutation).ordered());
            assertTrue(ok.contains(order), () -> "discovered as " + names(permutation) + ": " + order);
            count++;
        }
        assertTrue(count > 1);
    }

    static Stream<Arguments> absolute() {
        return Stream.of(
                Arguments.of("spec: MyFragment3, MyFragment2", "MyFragment3 MyFragment2",
                        "MyFragment1 after(MyFragment2); MyFragment2; MyFragment3 before(others)",
                        "MyFragment3,MyFragment2", "MyFragment1"),
                Arguments.of("others in the middle", "a others c", "b; c; -; a; d", "a,b,-,d,c", ""),
                Arguments.of("others first", "others a", "a; b", "b,a", ""),
                Arguments.of("others last", "a others", "b; a", "a,b", ""),
                Arguments.of("without others the rest is excluded", "a", "-; a; b", "a", "-,b"),
                Arguments.of("a name with no fragment is skipped", "z a", "a", "a", ""),
                Arguments.of("empty absolute ordering excludes all", "", "a; b", "", "a,b"),
                Arguments.of("only others keeps discovery order", "others", "b; -; a", "b,-,a", ""),
                Arguments.of("two fragments of one name stand together", "a others", "a; b; a", "a,a,b", ""),
                Arguments.of("relative orderings are ignored", "b a", "a before(b); b", "b,a", ""),
                Arguments.of("even cyclic ones", "others", "a before(b); b before(a)", "a,b", ""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("absolute")
    void absoluteOrdering(String label, String absolute, String fragments, String ordered, String excluded)
            throws DescriptorException {
        List<String> entries = absolute.isBlank() ? List.of() : List.of(absolute.trim().split(" +"));
        List<String> names = entries.stream().filter(e -> !e.equals("others")).toList();
        int others = entries.indexOf("others");
        AbsoluteOrdering a = new AbsoluteOrdering(names, others, new DescriptorSource("WEB-INF/web.xml", 9));
        FragmentOrdering.Result r = FragmentOrdering.order(a, fragments(fragments));
        assertEquals(ordered, names(r.ordered()));
        assertEquals(excluded, names(r.excluded()));
    }

    @Test
    void theWebXmlsAbsoluteOrderingIsUsedWhenItHasOne() throws DescriptorException {
        WebDescriptor webXml = DescriptorFixtures.webXml("<absolute-ordering><name>b</name></absolute-ordering>");
        List<WebDescriptor> fragments = fragments("a; b");
        assertEquals("b", names(FragmentOrdering.order(webXml, fragments).ordered()));
        assertEquals("a,b", names(FragmentOrdering.order(DescriptorFixtures.webXml(""), fragments).ordered()));
        assertEquals("a,b", names(FragmentOrdering.order((WebDescriptor) null, fragments).ordered()));
    }

    @Test
    void duplicateNamesAreAnErrorUnderRelativeOrdering() {
        DescriptorException e = assertThrows(DescriptorException.class,
                () -> FragmentOrdering.order((AbsoluteOrdering) null, fragments("a; b; a")));
        assertEquals("WEB-INF/lib/f2.jar!/META-INF/web-fragment.xml:2: web fragment name \"a\" is also the name "
                + "of WEB-INF/lib/f0.jar!/META-INF/web-fragment.xml:2; names must be unique, unless web.xml has an "
                + "<absolute-ordering>", e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "two fragments|A before(B); B before(A)|1|\"B\" (f1) must come before \"A\" (f0), which must come before "
                + "\"B\" (f1)",
        "three fragments|A after(C); B after(A); C after(B); D|1|\"B\" (f1) must come before \"C\" (f2), which "
                + "must come before \"A\" (f0), which must come before \"B\" (f1)",
        "itself|X; A before(A)|1|\"A\" (f1) must come before \"A\" (f1)",
        "through an unnamed fragment|A before(B); B; - after(B) before(A)|2|\"B\" (f1) must come before an "
                + "unnamed fragment (f2), which must come before \"A\" (f0), which must come before \"B\" (f1)"})
    void cyclesAreAnErrorThatShowsTheCycle(String label, String fragments, int at, String cycle) {
        DescriptorException e = assertThrows(DescriptorException.class,
                () -> FragmentOrdering.order((AbsoluteOrdering) null, fragments(fragments)));
        String expanded = cycle.replaceAll("\\((f\\d)\\)", "(WEB-INF/lib/$1.jar!/META-INF/web-fragment.xml)");
        DescriptorSource ordering = new DescriptorSource("WEB-INF/lib/f" + at + ".jar!/META-INF/web-fragment.xml", 5);
        assertEquals(ordering + ": web fragment ordering has a cycle: " + expanded
                + "; fix the <ordering> elements or give web.xml an <absolute-ordering>", e.getMessage());
    }

    @Test
    void aWebXmlIsNotAFragment() {
        assertThrows(IllegalArgumentException.class,
                () -> FragmentOrdering.order((AbsoluteOrdering) null, List.of(DescriptorFixtures.webXml(""))));
    }

    @Test
    void parsedFragmentsOrderAsDeclared() throws DescriptorException {
        WebDescriptor security = DescriptorFixtures.resource("web-fragment-3.0.xml").descriptor(); // before others
        WebDescriptor metrics = DescriptorFixtures.resource("web-fragment-4.0.xml").descriptor(); // after security, others
        WebDescriptor ws = DescriptorFixtures.resource("web-fragment-6.1.xml").descriptor(); // no ordering
        FragmentOrdering.Result r = FragmentOrdering.order((AbsoluteOrdering) null, List.of(metrics, ws, security));
        assertEquals("security,websocket,metrics", names(r.ordered()));
    }

    // ---- The notation ----

    private static final Pattern CLAUSE = Pattern.compile("(before|after)\\(([^)]*)\\)");

    static List<WebDescriptor> fragments(String spec) {
        List<WebDescriptor> out = new ArrayList<>();
        String[] parts = spec.split(";");
        for (int i = 0; i < parts.length; i++) {
            out.add(fragment(parts[i].trim(), "WEB-INF/lib/f" + i + ".jar!/META-INF/web-fragment.xml"));
        }
        return out;
    }

    static WebDescriptor fragment(String spec, String file) {
        String name = spec.split(" ")[0];
        WebDescriptor.Builder b = new WebDescriptor.Builder(WebDescriptor.Kind.WEB_FRAGMENT,
                new DescriptorSource(file, 2), "6.1");
        b.name = name.equals("-") ? null : name;
        List<String> before = new ArrayList<>();
        List<String> after = new ArrayList<>();
        boolean beforeOthers = false;
        boolean afterOthers = false;
        boolean any = false;
        Matcher m = CLAUSE.matcher(spec);
        while (m.find()) {
            any = true;
            boolean isBefore = m.group(1).equals("before");
            for (String n : m.group(2).trim().split(" +")) {
                if (n.equals("others")) {
                    if (isBefore) {
                        beforeOthers = true;
                    } else {
                        afterOthers = true;
                    }
                } else if (!n.isEmpty()) {
                    (isBefore ? before : after).add(n);
                }
            }
        }
        if (any) {
            b.ordering = new RelativeOrdering(before, beforeOthers, after, afterOthers, new DescriptorSource(file, 5));
        }
        return b.build();
    }

    static String names(List<WebDescriptor> fragments) {
        return fragments.stream().map(f -> f.name() == null ? "-" : f.name()).collect(Collectors.joining(","));
    }

    static Set<String> alternatives(String allowed) {
        return Arrays.stream(allowed.split("\\|")).map(String::trim).collect(Collectors.toSet());
    }

    static <T> List<List<T>> permutations(List<T> items) {
        if (items.size() <= 1) {
            return List.of(items);
        }
        List<List<T>> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            List<T> rest = new ArrayList<>(items);
            T head = rest.remove(i);
            for (List<T> tail : permutations(rest)) {
                List<T> p = new ArrayList<>();
                p.add(head);
                p.addAll(tail);
                out.add(p);
            }
        }
        return out;
    }
}
