package io.siplb.config;

import java.util.Collection;
import java.util.Locale;

/** Finds the valid key an operator probably meant (Levenshtein distance; small own function). */
final class KeySuggester {

    private KeySuggester() {}

    /**
     * Returns the candidate nearest to {@code key}, or {@code null} when none is close enough
     * to be a likely typo: at most 1 edit for keys of up to 3 characters, 2 up to 6, else 3.
     * Ties go to the earlier candidate, so suggestions are stable.
     */
    static String nearest(String key, Collection<String> candidates) {
        int limit = key.length() <= 3 ? 1 : key.length() <= 6 ? 2 : 3;
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int d = distance(key.toLowerCase(Locale.ROOT), candidate);
            if (d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        return bestDistance <= limit ? best : null;
    }

    /** Levenshtein distance: insertions, deletions and substitutions each cost 1. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
