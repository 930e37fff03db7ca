package io.siplb.config;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Thrown by record constructors when fields break their rules. Callers see an
 * {@link IllegalArgumentException} whose message lists every violation
 * ({@code "rise: 0 (expected: >= 1); fall: 0 (expected: >= 1)"}); the loader reads the
 * violations one by one to give each its own line and key path.
 */
final class InvalidFieldsException extends IllegalArgumentException {

    /** One violated rule: the YAML key of the field and what was wrong with it. */
    record Violation(String field, String message) {
        @Override
        public String toString() {
            return field + ": " + message;
        }
    }

    private final transient List<Violation> violations;

    InvalidFieldsException(List<Violation> violations) {
        super(violations.stream().map(Violation::toString).collect(Collectors.joining("; ")));
        this.violations = List.copyOf(violations);
    }

    List<Violation> violations() {
        return violations;
    }
}
