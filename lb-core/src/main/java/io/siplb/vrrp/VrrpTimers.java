package io.siplb.vrrp;

import static com.google.common.base.Preconditions.checkArgument;

/**
 * The timer arithmetic of RFC 5798 §6.1, in nanoseconds.
 *
 * <p>The RFC states the values in centiseconds; computing in whole centiseconds would
 * truncate Skew_Time (priority 100 at 10 cs: 6 cs instead of 6.09), so we compute in
 * nanoseconds, as keepalived does in microseconds. At 100 cs and priority 100, Skew_Time is
 * 609.375 ms and Master_Down_Interval 3.609 s, the figures the ha-lab measured.
 */
public final class VrrpTimers {

    private static final long NANOS_PER_CENTI = 10_000_000L;

    private VrrpTimers() {
    }

    /** Centiseconds as nanoseconds. */
    public static long centisToNanos(int centis) {
        return centis * NANOS_PER_CENTI;
    }

    /**
     * Skew_Time = ((256 − priority) × Master_Adver_Interval) / 256: the lower the priority,
     * the longer a backup waits, so the best backup takes over first.
     */
    public static long skewTimeNanos(int priority, int masterAdverIntervalCentis) {
        checkArgument(priority >= 0 && priority <= 255, "priority: %s (expected: 0 ~ 255)", priority);
        checkArgument(masterAdverIntervalCentis >= 1, "masterAdverIntervalCentis: %s (expected: >= 1)",
                masterAdverIntervalCentis);
        return (256 - priority) * centisToNanos(masterAdverIntervalCentis) / 256;
    }

    /** Master_Down_Interval = 3 × Master_Adver_Interval + Skew_Time. */
    public static long masterDownIntervalNanos(int priority, int masterAdverIntervalCentis) {
        return 3 * centisToNanos(masterAdverIntervalCentis) + skewTimeNanos(priority, masterAdverIntervalCentis);
    }
}
