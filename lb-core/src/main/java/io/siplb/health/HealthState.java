package io.siplb.health;

import io.siplb.hash.BackendState;

/**
 * A backend's health as the operator sees it (logs, {@code GET /backends}). Richer than the
 * {@link BackendState} routing uses; {@link #routing()} maps one onto the other.
 *
 * <p>In Kamailio dispatcher terms: {@link #UP} is "active", {@link #DOWN} is "inactive,
 * probing", {@link #PROBING} is "trying" before the first verdict, {@link #DRAINING} is closest
 * to "disabled" but keeps the backend's existing traffic.
 */
public enum HealthState {
    /** Added (at start or by a reload) and not yet proven alive by {@code rise} replies. Not routed. */
    PROBING,
    /** Proven alive and not held out. Routed. */
    UP,
    /**
     * Was up; a passive signal (ICMP unreachable, TCP refused or reset) arrived and an immediate
     * probe is deciding. Not routed while it decides: the next probe's reply brings it back up,
     * its failure takes it down.
     */
    SUSPECT,
    /**
     * Answered 503 with Retry-After (RFC 3261 §21.5.4: forward no other requests to it for that
     * long); back when the capped time elapses. Not routed, but still probed.
     */
    UNAVAILABLE,
    /** Drained by the operator and healthy: no new AORs, the AORs it has still reach it. */
    DRAINING,
    /** {@code fall} probes failed, or a suspicion was confirmed. Not routed. */
    DOWN;

    /** What the hash sees: {@link BackendState#UP UP}, {@link BackendState#DRAINING DRAINING} or else {@link BackendState#DOWN DOWN}. */
    public BackendState routing() {
        return switch (this) {
            case UP -> BackendState.UP;
            case DRAINING -> BackendState.DRAINING;
            case PROBING, SUSPECT, UNAVAILABLE, DOWN -> BackendState.DOWN;
        };
    }
}
