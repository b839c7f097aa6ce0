package io.sparkmdn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The packages of the application and the bench depend on each other without a cycle, so each can be read on its
 * own; the application names no bench code (the bench is no part of it).
 */
class PackageDependenciesTest {

    private static final Path APPLICATION = Path.of("src/main/java/io/sparkmdn");
    private static final Path BENCH = Path.of("src/bench/java/io/sparkmdn");
    private static final Pattern USE = Pattern.compile("\\bio\\.sparkmdn\\.([a-z]+)\\.[A-Z]");
    private static final Pattern COMMENT = Pattern.compile("/\\*.*?\\*/|//[^\n]*", Pattern.DOTALL);

    /**
     * Package → the other packages of ours its code under {@code sources} names (imports, qualified names and
     * strings such as a class name to load; not comments).
     */
    static Map<String, Set<String>> dependencies(Path sources) {
        Map<String, Set<String>> graph = new TreeMap<>();
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String pkg = sources.relativize(file.getParent()).toString().replace('/', '.');
                Set<String> uses = graph.computeIfAbsent(pkg, p -> new TreeSet<>());
                Matcher m = USE.matcher(COMMENT.matcher(Files.readString(file)).replaceAll(" "));
                while (m.find()) {
                    if (!m.group(1).equals(pkg)) {
                        uses.add(m.group(1));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return graph;
    }

    /** A cycle through {@code graph}, as the packages in order, or an empty list. */
    static List<String> cycle(Map<String, Set<String>> graph) {
        Map<String, Integer> state = new TreeMap<>(); // 1 on the path, 2 done
        for (String start : graph.keySet()) {
            List<String> path = new ArrayList<>();
            if (visit(start, graph, state, path)) {
                return path;
            }
        }
        return List.of();
    }

    private static boolean visit(String pkg, Map<String, Set<String>> graph, Map<String, Integer> state,
                                 List<String> path) {
        Integer s = state.get(pkg);
        if (s != null && s == 2) {
            return false;
        }
        path.add(pkg);
        if (s != null && s == 1) {
            path.subList(0, path.indexOf(pkg)).clear();
            return true;
        }
        state.put(pkg, 1);
        for (String next : graph.getOrDefault(pkg, Set.of())) {
            if (visit(next, graph, state, path)) {
                return true;
            }
        }
        state.put(pkg, 2);
        path.remove(path.size() - 1);
        return false;
    }

    @Test
    void thePackagesFormNoCycle() {
        Map<String, Set<String>> graph = dependencies(APPLICATION);
        assertTrue(graph.containsKey("train") && graph.containsKey("model"), "sources found: " + graph.keySet());
        Map<String, Set<String>> bench = dependencies(BENCH);
        assertEquals(Set.of("bench"), bench.keySet(), "the bench's packages");
        graph.putAll(bench);
        assertEquals(List.of(), cycle(graph), "packages in a cycle; the graph: " + graph);
    }

    @Test
    void theApplicationNamesNoBenchCode() {
        dependencies(APPLICATION).forEach((pkg, uses) ->
                assertFalse(uses.contains("bench"), "io.sparkmdn." + pkg + " names io.sparkmdn.bench"));
    }

    @Test
    void theCycleFinderFindsOne() {
        List<String> found = cycle(Map.of("a", Set.of("b"), "b", Set.of("c"), "c", Set.of("a"), "d", Set.of("a")));
        assertEquals(4, found.size(), found.toString());
        assertEquals(found.get(0), found.get(3), "a cycle ends where it starts: " + found);
        assertEquals(Set.of("a", "b", "c"), new TreeSet<>(found));
        assertEquals(List.of(), cycle(Map.of("a", Set.of("b"), "b", Set.of("c"), "c", Set.of())));
    }
}
