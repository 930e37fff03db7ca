package io.siplb.netty.ops;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The metric names a PromQL expression reads: identifiers that are not functions (followed by
 * '('), keywords, label names inside {@code {…}} or grouping lists ({@code by (…)}), strings,
 * durations in {@code […]} or Grafana variables ({@code $x}). Enough for siplb's dashboards and
 * rules; not a full PromQL parser.
 */
final class PromQl {

    private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left",
            "group_right", "and", "or", "unless", "bool", "offset", "inf", "nan",
            // aggregation operators: "sum by (x) (...)" puts the grouping between the name and '('
            "sum", "min", "max", "avg", "group", "stddev", "stdvar", "count", "count_values", "bottomk",
            "topk", "quantile", "limitk", "limit_ratio");
    private static final Set<String> GROUPING = Set.of("by", "without", "on", "ignoring", "group_left", "group_right");

    private PromQl() {}

    static Set<String> metricNames(String expr) {
        Set<String> names = new LinkedHashSet<>();
        int i = 0;
        int n = expr.length();
        String previousWord = "";
        while (i < n) {
            char c = expr.charAt(i);
            if (c == '"' || c == '\'' || c == '`') {
                i = skipString(expr, i);
            } else if (c == '{') {
                i = skipTo(expr, i, '}');
            } else if (c == '[') {
                i = skipTo(expr, i, ']');
            } else if (c == '$') {
                i++;
                while (i < n && (Character.isLetterOrDigit(expr.charAt(i)) || expr.charAt(i) == '_')) {
                    i++;
                }
            } else if (c == '(' && GROUPING.contains(previousWord)) {
                i = skipTo(expr, i, ')');
                previousWord = "";
            } else if (Character.isLetter(c) || c == '_' || c == ':') {
                int start = i;
                while (i < n && (Character.isLetterOrDigit(expr.charAt(i)) || expr.charAt(i) == '_' || expr.charAt(i) == ':')) {
                    i++;
                }
                String word = expr.substring(start, i);
                int j = i;
                while (j < n && Character.isWhitespace(expr.charAt(j))) {
                    j++;
                }
                boolean function = j < n && expr.charAt(j) == '(';
                if (!function && !KEYWORDS.contains(word.toLowerCase())) {
                    names.add(word);
                }
                previousWord = word.toLowerCase();
                continue;
            } else if (Character.isDigit(c) || c == '.') {
                // a number (1, 0.95, 1e3) or a duration (5m)
                while (i < n && (Character.isLetterOrDigit(expr.charAt(i)) || expr.charAt(i) == '.')) {
                    i++;
                }
            } else {
                i++;
            }
            if (!Character.isWhitespace(c)) {
                previousWord = c == '(' ? "" : previousWord;
            }
        }
        return names;
    }

    private static int skipString(String s, int i) {
        char quote = s.charAt(i++);
        while (i < s.length() && s.charAt(i) != quote) {
            i += s.charAt(i) == '\\' ? 2 : 1;
        }
        return i + 1;
    }

    private static int skipTo(String s, int i, char close) {
        while (i < s.length() && s.charAt(i) != close) {
            if (s.charAt(i) == '"') {
                i = skipString(s, i);
            } else {
                i++;
            }
        }
        return i + 1;
    }
}
