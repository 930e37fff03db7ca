package io.siplb.config;

import java.time.Duration;

/**
 * Active health checking of the backends with SIP OPTIONS ({@code health:} in the configuration).
 *
 * <table>
 *   <caption>health keys</caption>
 *   <tr><th>key</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>enabled</td><td>true</td><td>{@code false}: no probing, every backend counts as up</td></tr>
 *   <tr><td>interval</td><td>1s</td><td>time between two probes of one backend</td></tr>
 *   <tr><td>timeout</td><td>500ms</td><td>a probe unanswered for this long failed; must be
 *       less than {@code interval}, so that probes of one backend never overlap</td></tr>
 *   <tr><td>rise</td><td>2</td><td>consecutive successes that bring a down backend up</td></tr>
 *   <tr><td>fall</td><td>2</td><td>consecutive failures that take an up backend down</td></tr>
 * </table>
 *
 * <p>The constructor replaces a {@code null} duration by its default and rejects values out
 * of range, listing every broken rule in one {@link IllegalArgumentException}.
 */
public record HealthConfig(boolean enabled, Duration interval, Duration timeout, int rise, int fall) {

    public static final boolean DEFAULT_ENABLED = true;
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(500);
    public static final int DEFAULT_RISE = 2;
    public static final int DEFAULT_FALL = 2;

    /** Every key at its default. */
    public static final HealthConfig DEFAULTS = new HealthConfig(
            DEFAULT_ENABLED, DEFAULT_INTERVAL, DEFAULT_TIMEOUT, DEFAULT_RISE, DEFAULT_FALL);

    /** Applies defaults and validates. */
    public HealthConfig {
        interval = interval == null ? DEFAULT_INTERVAL : interval;
        timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
        boolean intervalOk = interval.compareTo(Duration.ZERO) > 0;
        boolean timeoutOk = timeout.compareTo(Duration.ZERO) > 0;
        new FieldChecks()
                .check(intervalOk, "interval", "%s (expected: more than 0s)", Durations.format(interval))
                .check(timeoutOk, "timeout", "%s (expected: more than 0s)", Durations.format(timeout))
                .check(!intervalOk || !timeoutOk || timeout.compareTo(interval) < 0, "timeout",
                        "%s (expected: less than interval %s, so that probes do not overlap)",
                        Durations.format(timeout), Durations.format(interval))
                .check(rise >= 1, "rise", "%s (expected: >= 1)", rise)
                .check(fall >= 1, "fall", "%s (expected: >= 1)", fall)
                .throwIfAny();
    }

    public HealthConfig withEnabled(boolean enabled) {
        return new HealthConfig(enabled, interval, timeout, rise, fall);
    }

    public HealthConfig withInterval(Duration interval) {
        return new HealthConfig(enabled, interval, timeout, rise, fall);
    }

    public HealthConfig withTimeout(Duration timeout) {
        return new HealthConfig(enabled, interval, timeout, rise, fall);
    }

    public HealthConfig withRise(int rise) {
        return new HealthConfig(enabled, interval, timeout, rise, fall);
    }

    public HealthConfig withFall(int fall) {
        return new HealthConfig(enabled, interval, timeout, rise, fall);
    }
}
