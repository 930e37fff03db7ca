package io.siplb.health;

import static java.util.Objects.requireNonNull;

import io.siplb.hash.Backend;

/**
 * Something that changed, for one log line and a metric: the tracker returns these from every
 * input that changed anything, and nothing otherwise. {@link #toString()} is the log line.
 */
public sealed interface HealthEvent permits HealthEvent.StateChanged, HealthEvent.PanicChanged {

    /** When it happened, in the tracker's {@code nanoTime} clock. */
    long atNanos();

    /** Why a backend's state changed. */
    enum Reason {
        /** {@code rise} consecutive alive replies. */
        PROBES_SUCCEEDED("probes succeeded"),
        /** {@code fall} consecutive failed probes. */
        PROBES_FAILED("probes failed"),
        /** A passive signal made an up backend suspect. */
        PASSIVE_SIGNAL("passive signal"),
        /** The probe after a passive signal was answered. */
        SUSPICION_CLEARED("suspicion cleared"),
        /** The probe after a passive signal failed. */
        SUSPICION_CONFIRMED("suspicion confirmed"),
        /** A 503 with Retry-After (RFC 3261 §21.5.4). */
        RETRY_AFTER("503 Retry-After"),
        /** The (capped) Retry-After time is over. */
        RETRY_AFTER_ELAPSED("Retry-After elapsed"),
        /** The operator drained the backend. */
        DRAINED("drained"),
        /** The operator undrained the backend. */
        UNDRAINED("undrained"),
        /** Health checking was turned off by a reload: every backend counts as up. */
        HEALTH_DISABLED("health checking disabled");

        private final String text;

        Reason(String text) {
            this.text = text;
        }

        /** For the log line. */
        public String text() {
            return text;
        }
    }

    /**
     * A backend's {@link HealthState} changed.
     *
     * @param detail the evidence, for the log line ({@code "2 in a row, last: timeout after 500ms"})
     */
    record StateChanged(Backend backend, HealthState from, HealthState to, Reason reason, String detail,
                        long atNanos) implements HealthEvent {

        public StateChanged {
            requireNonNull(backend, "backend");
            requireNonNull(from, "from");
            requireNonNull(to, "to");
            requireNonNull(reason, "reason");
            requireNonNull(detail, "detail");
        }

        /** {@code backend b (10.0.0.2:5060/UDP): UP -> DOWN, probes failed: 2 in a row, last: timeout after 500ms}. */
        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder("backend ").append(backend.id())
                    .append(" (").append(backend.host().indexOf(':') >= 0 ? "[" + backend.host() + "]" : backend.host())
                    .append(':').append(backend.port()).append('/').append(backend.transport()).append("): ")
                    .append(from).append(" -> ").append(to).append(", ").append(reason.text());
            return detail.isEmpty() ? sb.toString() : sb.append(": ").append(detail).toString();
        }
    }

    /**
     * Routing entered or left panic: fewer than {@link HealthPolicy#panicThreshold()} of the
     * backends that are not drained are up, so routing treats them all as up.
     *
     * @param panic    true when entering panic
     * @param up       backends up (and not drained)
     * @param eligible backends not drained
     */
    record PanicChanged(boolean panic, int up, int eligible, double threshold, long atNanos) implements HealthEvent {

        @Override
        public String toString() {
            String counts = up + " of " + eligible + " backends up";
            return panic
                    ? "health panic: " + counts + ", below " + Math.round(threshold * 100)
                            + "%; routing to all of them as if they were up"
                    : "health panic over: " + counts + "; routing by health again";
        }
    }
}
