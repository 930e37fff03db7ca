package io.siplb.config;

import static java.util.Objects.requireNonNull;

/**
 * One thing wrong with a configuration, located as precisely as the source allows.
 *
 * <p>{@link #toString()} renders it the way compilers do, so editors can jump to it:
 * {@code siplb.yaml:12:9: health.timeout: 2s (expected: less than interval 1s, …)}.
 * Parts that are unknown are left out.
 *
 * @param file    the file name or source name given to the loader; "" when none
 * @param line    1-based line, 0 when unknown
 * @param column  1-based column, 0 when unknown
 * @param keyPath where in the configuration, e.g. {@code backends[1].uri}; "" for the whole file
 * @param message what is wrong and what was expected
 */
public record ConfigProblem(String file, int line, int column, String keyPath, String message) {

    public ConfigProblem {
        requireNonNull(file, "file");
        requireNonNull(keyPath, "keyPath");
        requireNonNull(message, "message");
    }

    /** A problem with a key path but no source position (from {@link ConfigValidator}). */
    public static ConfigProblem at(String keyPath, String message) {
        return new ConfigProblem("", 0, 0, keyPath, message);
    }

    /** A copy placed in a file at a line and column. */
    public ConfigProblem locatedAt(String file, int line, int column) {
        return new ConfigProblem(file, line, column, keyPath, message);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        if (!file.isEmpty()) {
            sb.append(file);
            if (line > 0) {
                sb.append(':').append(line);
                if (column > 0) {
                    sb.append(':').append(column);
                }
            }
            sb.append(": ");
        }
        if (!keyPath.isEmpty()) {
            sb.append(keyPath).append(": ");
        }
        return sb.append(message).toString();
    }
}
