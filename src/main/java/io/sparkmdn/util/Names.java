package io.sparkmdn.util;

import java.util.Collection;
import java.util.Locale;

/** Suggestions for a mistyped name (a column, a configuration key): the one name a typo most likely meant. */
public final class Names {

    private Names() {
    }

    /**
     * The candidate within edit distance 2 of {@code name}, ignoring case, when exactly one is closest and it is
     * nearer than {@code name} is long; null otherwise (no suggestion is better than a wrong one).
     */
    public static String nearest(String name, Collection<String> candidates) {
        String best = null;
        int bestDistance = 3;
        boolean tie = false;
        for (String candidate : candidates) {
            int d = editDistance(name.toLowerCase(Locale.ROOT), candidate.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                best = candidate;
                bestDistance = d;
                tie = false;
            } else if (d == bestDistance) {
                tie = true;
            }
        }
        return tie || best == null || bestDistance >= name.length() ? null : best;
    }

    /** Levenshtein distance: the fewest single-character insertions, deletions and substitutions from a to b. */
    public static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
