package io.siplb.config;

import java.util.List;

/**
 * A configuration that cannot be used, with every problem found in it (not just the first).
 * The message lists them one per line, each naming file, line, column and key.
 *
 * <p>It never wraps an exception of the YAML library: syntax errors are turned into
 * {@link ConfigProblem}s with their position, so callers depend on lb-config alone, and no
 * snippet of the file (which may hold the flow-token secret) leaks through a cause.
 */
public final class ConfigException extends RuntimeException {

    private final transient List<ConfigProblem> problems;

    /** @param problems at least one */
    public ConfigException(List<ConfigProblem> problems) {
        super(render(problems));
        this.problems = List.copyOf(problems);
    }

    /** Every problem found, in the order of the file (then cross-record rules). */
    public List<ConfigProblem> problems() {
        return problems;
    }

    private static String render(List<ConfigProblem> problems) {
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("problems: [] (expected: at least one)");
        }
        if (problems.size() == 1) {
            return problems.get(0).toString();
        }
        StringBuilder sb = new StringBuilder().append(problems.size()).append(" configuration problems:");
        for (ConfigProblem p : problems) {
            sb.append("\n  ").append(p);
        }
        return sb.toString();
    }
}
