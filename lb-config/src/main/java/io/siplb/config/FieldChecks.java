package io.siplb.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects every violated rule of one record before throwing, so that an operator sees all
 * mistakes of a section at once. Field names are the YAML keys ({@code max-line-bytes}),
 * which lets the loader point each problem at its own line.
 */
final class FieldChecks {

    private List<InvalidFieldsException.Violation> violations;

    FieldChecks check(boolean ok, String field, String format, Object... args) {
        if (!ok) {
            if (violations == null) {
                violations = new ArrayList<>(2);
            }
            violations.add(new InvalidFieldsException.Violation(field, String.format(format, args)));
        }
        return this;
    }

    /** Throws an {@link InvalidFieldsException} listing every failed check, if any failed. */
    void throwIfAny() {
        if (violations != null) {
            throw new InvalidFieldsException(violations);
        }
    }
}
