package io.siplb.netty.probe;

import io.siplb.health.HealthEvent;
import io.siplb.health.HealthState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

import static java.util.Objects.requireNonNull;

/**
 * The recovery hold-downs (DESIGN "Home-proxy failure without losing reachability"): when a home
 * proxy comes back from {@link HealthState#DOWN DOWN} (its probes failed: it may have restarted
 * and lost every registration), terminating requests for its users keep going to their second
 * choice for one registration interval, while REGISTERs reach it at once and refill it. The ids
 * go into the published {@link io.siplb.route.RoutingView#withHeldDown RoutingView}; lb-core
 * routes by them.
 *
 * <p>Only DOWN → UP starts one: a backend seen for the first time (PROBING → UP at start or after a
 * reload), a cleared suspicion or an expired Retry-After did not lose its memory. The clock is
 * injected (monotonic nanoseconds). Not thread-safe: confined to the health loop.
 */
final class HoldDowns {

    private static final Logger log = LoggerFactory.getLogger(HoldDowns.class);

    private final long durationNanos;
    private final LongSupplier nanoClock;
    /** Backend id → end of its hold-down (clock nanoseconds). */
    private final Map<String, Long> ends = new HashMap<>();

    HoldDowns(Duration duration, LongSupplier nanoClock) {
        this.durationNanos = requireNonNull(duration, "duration").toNanos();
        this.nanoClock = requireNonNull(nanoClock, "nanoClock");
    }

    /** Starts a hold-down for every backend that these events bring back from DOWN. */
    void observe(List<HealthEvent> events) {
        if (durationNanos <= 0) {
            return;
        }
        for (HealthEvent e : events) {
            if (e instanceof HealthEvent.StateChanged s && s.from() == HealthState.DOWN
                    && (s.to() == HealthState.UP || s.to() == HealthState.DRAINING)) {
                ends.put(s.backend().id(), nanoClock.getAsLong() + durationNanos);
                log.info("backend {} back from DOWN: recovery hold-down for {} s (REGISTERs go to it, "
                        + "terminating requests to its users' next choice)", s.backend().id(), durationNanos / 1_000_000_000L);
            }
        }
    }

    /** The backends held down now; the ones whose hold-down ended are let go (one log line each). */
    Set<String> active() {
        long now = nanoClock.getAsLong();
        for (Iterator<Map.Entry<String, Long>> it = ends.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Long> e = it.next();
            if (now - e.getValue() >= 0) {
                it.remove();
                log.info("backend {}: recovery hold-down over, terminating requests go to it again", e.getKey());
            }
        }
        return Set.copyOf(ends.keySet());
    }

    /** The sooner of {@code otherNanos} (a delay from now) and the end of the next hold-down. */
    long earlierDeadline(long otherNanos) {
        long now = nanoClock.getAsLong();
        long earliest = otherNanos;
        for (long end : ends.values()) {
            earliest = Math.min(earliest, Math.max(0, end - now));
        }
        return earliest;
    }
}
