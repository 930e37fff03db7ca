package io.siplb.health;

import static java.util.Objects.requireNonNull;

import io.siplb.hash.Backend;
import java.time.Duration;

/**
 * What the admin API ({@code GET /backends}) and the gauges show about one backend: a snapshot,
 * immutable. Times are in the tracker's {@code nanoTime} clock; the runtime converts
 * {@code sinceNanos} to wall-clock time with its own offset.
 *
 * @param backend             the backend as configured
 * @param state               its health
 * @param sinceNanos          when it entered {@code state}
 * @param drained             true when the operator drained it (its state shows {@link HealthState#DRAINING}
 *                            while healthy, its health otherwise)
 * @param lastStatusCode      the last probe reply's status code, 0 before the first reply
 * @param lastRoundTripNanos  the last probe reply's round-trip time, -1 before the first reply
 * @param slowStartFactor     0.1 ~ 1: the share of its weight a returning backend should get
 *                            while slow start ramps it (1 when slow start is off or over)
 */
public record BackendStatus(Backend backend, HealthState state, long sinceNanos, boolean drained,
                            int lastStatusCode, long lastRoundTripNanos, double slowStartFactor) {

    public BackendStatus {
        requireNonNull(backend, "backend");
        requireNonNull(state, "state");
    }

    /** The last probe round-trip time, or {@code null} before the first reply. */
    public Duration lastRoundTrip() {
        return lastRoundTripNanos < 0 ? null : Duration.ofNanos(lastRoundTripNanos);
    }
}
