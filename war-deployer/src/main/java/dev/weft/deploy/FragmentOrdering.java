package dev.weft.deploy;

import dev.weft.deploy.WebDescriptor.AbsoluteOrdering;
import dev.weft.deploy.WebDescriptor.RelativeOrdering;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The order in which web fragments are processed (Servlet 6.1 §8.2.2).
 *
 * <p><b>Absolute ordering</b> ({@code <absolute-ordering>} in web.xml): the named fragments in the
 * order named (a name with no fragment is skipped), the fragments not named in place of {@code
 * <others/>}, and, without {@code <others/>}, the fragments not named are excluded. The fragments'
 * own {@code <ordering>} elements are ignored. Under absolute ordering two fragments may share a
 * name (the spec offers absolute ordering as the way out of that); both then stand at the name's
 * place.
 *
 * <p><b>Relative ordering</b> (no absolute ordering): each fragment's {@code <before>} and {@code
 * <after>} names are hard constraints, and {@code <before><others/>} and {@code
 * <after><others/>} move a fragment towards the start or the end. The order is a topological
 * order of the named constraints which, among the fragments free to go next, takes first one that
 * is (or must precede one that is) before-others, then one with no others preference, then
 * after-others, and otherwise keeps discovery order. Discovery order is therefore kept wherever no
 * ordering says otherwise. Two fragments with one name are an error, and so is a cycle.
 */
public final class FragmentOrdering {

    private FragmentOrdering() {
    }

    /**
     * The outcome: the fragments to process, in order, and those an absolute ordering leaves out
     * (their jars are not scanned for annotations or initializers).
     */
    public record Result(List<WebDescriptor> ordered, List<WebDescriptor> excluded) {
        public Result {
            ordered = List.copyOf(ordered);
            excluded = List.copyOf(excluded);
        }
    }

    /**
     * Orders {@code fragments} (in discovery order) by the web.xml's absolute ordering, or by
     * their relative orderings when it has none.
     *
     * @param webXml the web.xml; null when there is none
     */
    public static Result order(WebDescriptor webXml, List<WebDescriptor> fragments) throws DescriptorException {
        return order(webXml == null ? null : webXml.absoluteOrdering(), fragments);
    }

    /**
     * Orders {@code fragments} (in discovery order).
     *
     * @param absolute the web.xml's absolute ordering; null for relative ordering
     */
    public static Result order(AbsoluteOrdering absolute, List<WebDescriptor> fragments) throws DescriptorException {
        for (WebDescriptor f : fragments) {
            if (!f.isFragment()) {
                throw new IllegalArgumentException(f.source() + " is not a web-fragment.xml");
            }
        }
        return absolute != null ? absolute(absolute, fragments) : relative(fragments);
    }

    private static Result absolute(AbsoluteOrdering absolute, List<WebDescriptor> fragments) {
        Map<String, List<WebDescriptor>> byName = new HashMap<>();
        List<WebDescriptor> others = new ArrayList<>();
        Set<String> named = new LinkedHashSet<>(absolute.names());
        for (WebDescriptor f : fragments) {
            if (f.name() != null && named.contains(f.name())) {
                byName.computeIfAbsent(f.name(), n -> new ArrayList<>()).add(f);
            } else {
                others.add(f);
            }
        }
        List<WebDescriptor> ordered = new ArrayList<>();
        List<String> names = absolute.names();
        for (int i = 0; i <= names.size(); i++) {
            if (i == absolute.othersIndex()) {
                ordered.addAll(others);
            }
            if (i < names.size()) {
                ordered.addAll(byName.getOrDefault(names.get(i), List.of()));
            }
        }
        Set<WebDescriptor> in = Collections.newSetFromMap(new IdentityHashMap<>());
        in.addAll(ordered);
        List<WebDescriptor> excluded = new ArrayList<>();
        for (WebDescriptor f : fragments) {
            if (!in.contains(f)) {
                excluded.add(f);
            }
        }
        return new Result(ordered, excluded);
    }

    private static final int BEFORE_OTHERS = 0;
    private static final int NO_PREFERENCE = 1;
    private static final int AFTER_OTHERS = 2;

    private static Result relative(List<WebDescriptor> fragments) throws DescriptorException {
        int n = fragments.size();
        Map<String, Integer> index = new LinkedHashMap<>();
        boolean anyOrdering = false;
        for (int i = 0; i < n; i++) {
            WebDescriptor f = fragments.get(i);
            anyOrdering |= f.ordering() != null;
            if (f.name() == null) {
                continue;
            }
            Integer previous = index.putIfAbsent(f.name(), i);
            if (previous != null) {
                throw new DescriptorException(f.source(), "web fragment name \"" + f.name()
                        + "\" is also the name of " + fragments.get(previous).source()
                        + "; names must be unique, unless web.xml has an <absolute-ordering>");
            }
        }
        if (!anyOrdering) {
            return new Result(fragments, List.of());
        }

        int[] group = new int[n];
        List<Set<Integer>> next = new ArrayList<>();
        List<Set<Integer>> previous = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            next.add(new LinkedHashSet<>());
            previous.add(new LinkedHashSet<>());
        }
        for (int i = 0; i < n; i++) {
            RelativeOrdering o = fragments.get(i).ordering();
            if (o == null) {
                group[i] = NO_PREFERENCE;
                continue;
            }
            group[i] = o.beforeOthers() ? BEFORE_OTHERS : o.afterOthers() ? AFTER_OTHERS : NO_PREFERENCE;
            // A name with no fragment constrains nothing: the spec lets fragments name optional peers.
            for (String name : o.before()) {
                Integer j = index.get(name);
                if (j != null) {
                    next.get(i).add(j);
                    previous.get(j).add(i);
                }
            }
            for (String name : o.after()) {
                Integer j = index.get(name);
                if (j != null) {
                    next.get(j).add(i);
                    previous.get(i).add(j);
                }
            }
        }

        // A fragment that must precede a before-others one is pulled forward with it, and one that
        // must follow an after-others one is held back with it; otherwise "others" would be
        // satisfied only by luck of discovery order.
        int[] early = new int[n];
        int[] late = new int[n];
        for (int i = 0; i < n; i++) {
            early[i] = extreme(i, next, group, true);
            late[i] = extreme(i, previous, group, false);
        }

        int[] waitingFor = new int[n];
        for (int i = 0; i < n; i++) {
            waitingFor[i] = previous.get(i).size();
        }
        boolean[] placed = new boolean[n];
        List<WebDescriptor> ordered = new ArrayList<>(n);
        for (int step = 0; step < n; step++) {
            int pick = -1;
            for (int i = 0; i < n; i++) {
                if (placed[i] || waitingFor[i] > 0) {
                    continue;
                }
                if (pick < 0 || early[i] < early[pick] || (early[i] == early[pick] && late[i] < late[pick])) {
                    pick = i;
                }
            }
            if (pick < 0) {
                throw cycle(fragments, placed, previous);
            }
            placed[pick] = true;
            ordered.add(fragments.get(pick));
            for (int j : next.get(pick)) {
                waitingFor[j]--;
            }
        }
        return new Result(ordered, List.of());
    }

    /** The least (or greatest) group among {@code start} and every fragment reachable through {@code edges}. */
    private static int extreme(int start, List<Set<Integer>> edges, int[] group, boolean least) {
        int best = group[start];
        boolean[] seen = new boolean[group.length];
        Deque<Integer> todo = new ArrayDeque<>();
        todo.push(start);
        seen[start] = true;
        while (!todo.isEmpty()) {
            int i = todo.pop();
            best = least ? Math.min(best, group[i]) : Math.max(best, group[i]);
            for (int j : edges.get(i)) {
                if (!seen[j]) {
                    seen[j] = true;
                    todo.push(j);
                }
            }
        }
        return best;
    }

    /**
     * Every fragment left waits for another one left, so walking back along "must come after"
     * from any of them runs into a cycle; it is reported in forward order.
     */
    private static DescriptorException cycle(List<WebDescriptor> fragments, boolean[] placed,
            List<Set<Integer>> previous) {
        int start = 0;
        while (placed[start]) {
            start++;
        }
        List<Integer> path = new ArrayList<>();
        Map<Integer, Integer> at = new HashMap<>();
        int i = start;
        while (!at.containsKey(i)) {
            at.put(i, path.size());
            path.add(i);
            for (int p : previous.get(i)) {
                if (!placed[p]) {
                    i = p;
                    break;
                }
            }
        }
        List<Integer> loop = new ArrayList<>(path.subList(at.get(i), path.size()));
        Collections.reverse(loop);
        StringBuilder message = new StringBuilder("web fragment ordering has a cycle: ");
        message.append(describe(fragments.get(loop.getFirst())));
        for (int k = 1; k <= loop.size(); k++) {
            message.append(k == 1 ? " must come before " : ", which must come before ")
                    .append(describe(fragments.get(loop.get(k % loop.size()))));
        }
        message.append("; fix the <ordering> elements or give web.xml an <absolute-ordering>");
        // Point at an <ordering> in the cycle: the file to edit.
        DescriptorSource where = fragments.get(loop.getFirst()).source();
        for (int k : loop) {
            if (fragments.get(k).ordering() != null) {
                where = fragments.get(k).ordering().source();
                break;
            }
        }
        return new DescriptorException(where, message.toString());
    }

    private static String describe(WebDescriptor f) {
        return (f.name() != null ? "\"" + f.name() + "\"" : "an unnamed fragment") + " (" + f.source().file() + ")";
    }
}
