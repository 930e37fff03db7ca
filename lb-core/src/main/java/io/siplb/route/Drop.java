package io.siplb.route;

import static java.util.Objects.requireNonNull;

/** Send nothing; count {@code reason}. */
public record Drop(DropReason reason) implements Decision {
    public Drop {
        requireNonNull(reason, "reason");
    }

    private static final Drop[] BY_REASON = new Drop[DropReason.values().length];

    static {
        for (DropReason r : DropReason.values()) {
            BY_REASON[r.ordinal()] = new Drop(r);
        }
    }

    /** The shared instance for {@code reason}: dropping allocates nothing. */
    public static Drop of(DropReason reason) {
        return BY_REASON[reason.ordinal()];
    }
}
