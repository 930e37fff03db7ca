package io.siplb.health;

import io.siplb.hash.Backend;
import io.siplb.health.HealthEvent.Reason;
import io.siplb.health.HealthEvent.StateChanged;

/**
 * One backend's health state machine. Mutable and confined to the {@link HealthTracker} that
 * owns it; every method takes the current time and returns the {@link StateChanged} event when
 * the backend's {@link HealthState} changed, {@code null} otherwise.
 *
 * <p>The state is derived from three independent parts, so that an overlay never loses what
 * the probes know:
 * <ul>
 *   <li><b>health</b>, what probes and passive signals say: {@code PROBING} → {@code UP} after
 *       {@code rise} alive replies; {@code UP} → {@code DOWN} after {@code fall} failed probes;
 *       {@code DOWN} → {@code UP} after {@code rise} alive replies; {@code UP} → {@code SUSPECT}
 *       on a passive signal, then {@code UP} on the next alive reply or {@code DOWN} on the next
 *       failed probe (the signal and the failed probe are two independent pieces of evidence,
 *       so {@code fall} does not apply);
 *   <li><b>unavailable until</b>, set by a 503 with Retry-After;
 *   <li><b>drained</b>, set by the operator.
 * </ul>
 * The shown state is health when the backend is {@code PROBING} or {@code DOWN}, else
 * {@code UNAVAILABLE} while a Retry-After runs, else {@code SUSPECT}, else {@code DRAINING} when
 * drained, else {@code UP}. A drained backend that dies therefore shows {@code DOWN}, and comes
 * back as {@code DRAINING}, not {@code UP}.
 */
final class BackendHealth {

    /** Slow start begins at this share of the weight: a returning backend is never given nothing. */
    static final double SLOW_START_MIN_FACTOR = 0.1;

    private final Backend backend;
    private final HealthPolicy policy;

    private HealthState health;
    private int successes;
    private int failures;
    private boolean drained;
    private boolean unavailable;
    private long unavailableUntil;

    private HealthState state;
    private long since;
    private int lastStatusCode;
    private long lastRoundTripNanos = -1;
    private boolean ramping;
    private long rampStart;

    BackendHealth(Backend backend, HealthPolicy policy, long now) {
        this.backend = backend;
        this.policy = policy;
        this.health = policy.enabled() ? HealthState.PROBING : HealthState.UP;
        this.state = shown();
        this.since = now;
    }

    private BackendHealth(Backend backend, HealthPolicy policy, BackendHealth from) {
        this.backend = backend;
        this.policy = policy;
        this.health = from.health;
        this.successes = from.successes;
        this.failures = from.failures;
        this.drained = from.drained;
        this.unavailable = from.unavailable;
        this.unavailableUntil = from.unavailableUntil;
        this.state = from.state;
        this.since = from.since;
        this.lastStatusCode = from.lastStatusCode;
        this.lastRoundTripNanos = from.lastRoundTripNanos;
        this.ramping = from.ramping;
        this.rampStart = from.rampStart;
    }

    /** An independent copy for {@code backend} (same id and address, maybe another weight) under {@code policy}. */
    BackendHealth copy(Backend backend, HealthPolicy policy) {
        return new BackendHealth(backend, policy, this);
    }

    Backend backend() {
        return backend;
    }

    HealthState state() {
        return state;
    }

    boolean drained() {
        return drained;
    }

    /** True when probes say it is up (whatever the overlays): a passive signal can make it suspect. */
    boolean healthUp() {
        return health == HealthState.UP;
    }

    boolean unavailable() {
        return unavailable;
    }

    long unavailableUntil() {
        return unavailableUntil;
    }

    /** True when it is out of routing because of a passive signal or a Retry-After, which {@code maxPassiveEjectShare} limits. */
    boolean passivelyEjected() {
        return state == HealthState.SUSPECT || state == HealthState.UNAVAILABLE;
    }

    /** A final reply to a probe; {@code alive} when its code is one of the policy's alive codes. */
    StateChanged replied(ProbeResult reply, long roundTripNanos, boolean alive, long now) {
        lastStatusCode = reply.statusCode();
        lastRoundTripNanos = roundTripNanos;
        if (!alive) {
            return failed(reply, roundTripNanos, now);
        }
        switch (health) {
            case PROBING, DOWN -> {
                failures = 0;
                if (++successes >= policy.rise()) {
                    successes = 0;
                    health = HealthState.UP;
                    return settle(Reason.PROBES_SUCCEEDED,
                            inARow(policy.rise(), reply.statusCode() + " in " + HealthPolicy.formatNanos(roundTripNanos)), now);
                }
                return null;
            }
            case SUSPECT -> {
                failures = 0;
                health = HealthState.UP;
                return settle(Reason.SUSPICION_CLEARED,
                        "probe answered " + reply.statusCode() + " in " + HealthPolicy.formatNanos(roundTripNanos), now);
            }
            default -> {
                failures = 0;
                return null;
            }
        }
    }

    /** A probe timed out, could not be sent, or got a reply that is not an alive code. */
    StateChanged failed(ProbeResult result, long elapsedNanos, long now) {
        switch (health) {
            case PROBING, UP -> {
                successes = 0;
                if (++failures >= policy.fall()) {
                    failures = 0;
                    health = HealthState.DOWN;
                    return settle(Reason.PROBES_FAILED, inARow(policy.fall(), describe(result, elapsedNanos)), now);
                }
                return null;
            }
            case SUSPECT -> {
                failures = 0;
                health = HealthState.DOWN;
                return settle(Reason.SUSPICION_CONFIRMED, "probe " + describe(result, elapsedNanos), now);
            }
            default -> {
                successes = 0;
                return null;
            }
        }
    }

    /**
     * A passive signal. An up backend becomes suspect when {@code mayEject} (the tracker's
     * ejection limit allows it); a probing or down one only loses its run of alive replies.
     */
    StateChanged signalled(PassiveSignal signal, boolean mayEject, long now) {
        switch (health) {
            case UP -> {
                if (!mayEject) {
                    return null;
                }
                failures = 0;
                health = HealthState.SUSPECT;
                return settle(Reason.PASSIVE_SIGNAL, signal.description() + "; probing now", now);
            }
            case PROBING, DOWN -> {
                successes = 0;
                return null;
            }
            default -> {
                return null;
            }
        }
    }

    /**
     * A 503 with Retry-After: out for {@code nanos} (already capped), or longer when an earlier
     * Retry-After runs longer. A new hold-out needs {@code mayEject}; extending one does not.
     */
    StateChanged retryAfter(long nanos, long askedSeconds, boolean mayEject, long now) {
        long until = now + nanos;
        if (unavailable) {
            if (until - unavailableUntil > 0) {
                unavailableUntil = until;
            }
            return null;
        }
        if (!mayEject) {
            return null;
        }
        unavailable = true;
        unavailableUntil = until;
        String asked = askedSeconds + "s";
        String held = HealthPolicy.formatNanos(nanos);
        return settle(Reason.RETRY_AFTER, asked.equals(held) ? "out for " + held : asked + ", capped to " + held, now);
    }

    /** Ends a Retry-After hold-out whose time has come. */
    StateChanged expire(long now) {
        if (!unavailable || now - unavailableUntil < 0) {
            return null;
        }
        unavailable = false;
        return settle(Reason.RETRY_AFTER_ELAPSED, "", now);
    }

    StateChanged drain(long now) {
        if (drained) {
            return null;
        }
        drained = true;
        return settle(Reason.DRAINED, "by the operator", now);
    }

    StateChanged undrain(long now) {
        if (!drained) {
            return null;
        }
        drained = false;
        return settle(Reason.UNDRAINED, "by the operator", now);
    }

    /** Health checking turned off: up, no suspicion, no Retry-After; the drain stays. */
    StateChanged disable(long now) {
        health = HealthState.UP;
        successes = 0;
        failures = 0;
        unavailable = false;
        return settle(Reason.HEALTH_DISABLED, "", now);
    }

    BackendStatus status(long now) {
        return new BackendStatus(backend, state, since, drained, lastStatusCode, lastRoundTripNanos,
                slowStartFactor(now));
    }

    double slowStartFactor(long now) {
        long ramp = policy.slowStart().toNanos();
        if (!ramping || ramp == 0) {
            return 1;
        }
        double f = (double) (now - rampStart) / ramp;
        return f >= 1 ? 1 : Math.max(SLOW_START_MIN_FACTOR, f);
    }

    private HealthState shown() {
        if (health == HealthState.PROBING || health == HealthState.DOWN) {
            return health;
        }
        if (unavailable) {
            return HealthState.UNAVAILABLE;
        }
        if (health == HealthState.SUSPECT) {
            return HealthState.SUSPECT;
        }
        return drained ? HealthState.DRAINING : HealthState.UP;
    }

    private StateChanged settle(Reason reason, String detail, long now) {
        HealthState next = shown();
        if (next == state) {
            return null;
        }
        HealthState from = state;
        state = next;
        since = now;
        // slow start: a backend that comes back from down or from overload ramps up; one that
        // was only suspect (one probe long) or is new (it has no users to take back) does not
        boolean routedNow = next == HealthState.UP || next == HealthState.DRAINING;
        if (!routedNow) {
            ramping = false;
        } else if (from == HealthState.DOWN || from == HealthState.UNAVAILABLE) {
            ramping = true;
            rampStart = now;
        }
        return new StateChanged(backend, from, next, reason, detail, now);
    }

    private static String inARow(int n, String last) {
        return n == 1 ? last : n + " in a row, last: " + last;
    }

    private String describe(ProbeResult result, long elapsedNanos) {
        return switch (result.outcome()) {
            case REPLY -> "reply " + result.statusCode() + " (not an alive code: " + policy.aliveCodes() + ")";
            case TIMEOUT -> "timeout after " + HealthPolicy.formatNanos(elapsedNanos);
            case UNREACHABLE -> "unreachable";
        };
    }
}
