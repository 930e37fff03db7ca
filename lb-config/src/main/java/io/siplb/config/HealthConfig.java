package io.siplb.config;

import java.time.Duration;

/**
 * Health checking of the backends: active SIP OPTIONS probes and the policy that turns probe
 * results and passive signals into routing states ({@code health:} in the configuration). The
 * defaults are those of lb-core's {@code io.siplb.health.HealthPolicy}, which documents why.
 *
 * <table>
 *   <caption>health keys</caption>
 *   <tr><th>key</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>enabled</td><td>true</td><td>{@code false}: no probing, passive signals and
 *       Retry-After ignored, every backend counts as up (drain still works)</td></tr>
 *   <tr><td>interval</td><td>1s</td><td>time between two probes of one backend (1ms ~ 1h)</td></tr>
 *   <tr><td>timeout</td><td>500ms</td><td>a probe unanswered for this long failed; must be
 *       less than {@code interval}, so that probes of one backend never overlap</td></tr>
 *   <tr><td>jitter</td><td>0.1</td><td>each interval is shortened by a pseudo-random share up
 *       to this fraction (0 ~ 0.5), so probes do not go out in bursts</td></tr>
 *   <tr><td>rise</td><td>2</td><td>consecutive alive replies that bring a new or down backend
 *       up (1 ~ 100)</td></tr>
 *   <tr><td>fall</td><td>2</td><td>consecutive failed probes that take an up backend down
 *       (1 ~ 100)</td></tr>
 *   <tr><td>alive-codes</td><td>200-699</td><td>final replies to OPTIONS that prove a proxy
 *       alive: codes and ranges, {@code "200-299,404"}; many registrars answer OPTIONS with 404
 *       or 401, which still proves them up</td></tr>
 *   <tr><td>panic-threshold</td><td>0.5</td><td>when fewer than this share of the backends
 *       that are not drained is up, route as if all were (0 ~ 1, 1 excluded; 0 = never)</td></tr>
 *   <tr><td>max-passive-eject-share</td><td>0.333…</td><td>most backends that ICMP/TCP errors
 *       and 503 Retry-After may hold out at once, as a share of all (at least one; 0 =
 *       none)</td></tr>
 *   <tr><td>max-retry-after</td><td>60s</td><td>cap on how long a 503 with Retry-After takes a
 *       backend out (0s ~ 1d; 0s = ignore Retry-After)</td></tr>
 *   <tr><td>slow-start</td><td>0s</td><td>ramp for a returning backend (0s ~ 1h; 0s = off)</td></tr>
 * </table>
 *
 * <p>The constructor replaces a {@code null} duration or code list by its default and rejects
 * values out of range, listing every broken rule in one {@link IllegalArgumentException}.
 * {@code aliveCodes} is kept in its canonical written form (spaces removed); lb-netty's
 * {@code Assembly} parses it into the core's reply-code set.
 */
public record HealthConfig(boolean enabled, Duration interval, Duration timeout, double jitter, int rise,
                           int fall, String aliveCodes, double panicThreshold, double maxPassiveEjectShare,
                           Duration maxRetryAfter, Duration slowStart) {

    public static final boolean DEFAULT_ENABLED = true;
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(500);
    public static final double DEFAULT_JITTER = 0.1;
    public static final int DEFAULT_RISE = 2;
    public static final int DEFAULT_FALL = 2;
    public static final String DEFAULT_ALIVE_CODES = "200-699";
    public static final double DEFAULT_PANIC_THRESHOLD = 0.5;
    public static final double DEFAULT_MAX_PASSIVE_EJECT_SHARE = 1.0 / 3;
    public static final Duration DEFAULT_MAX_RETRY_AFTER = Duration.ofSeconds(60);
    public static final Duration DEFAULT_SLOW_START = Duration.ZERO;

    /** Largest {@code rise} and {@code fall}. */
    public static final int MAX_THRESHOLD = 100;
    private static final Duration MAX_INTERVAL = Duration.ofHours(1);
    private static final Duration MAX_RETRY_AFTER_CAP = Duration.ofDays(1);

    /** Every key at its default. */
    public static final HealthConfig DEFAULTS = new HealthConfig(
            DEFAULT_ENABLED, DEFAULT_INTERVAL, DEFAULT_TIMEOUT, DEFAULT_RISE, DEFAULT_FALL);

    /** Applies defaults and validates. */
    public HealthConfig {
        interval = interval == null ? DEFAULT_INTERVAL : interval;
        timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
        aliveCodes = aliveCodes == null ? DEFAULT_ALIVE_CODES : aliveCodes.replace(" ", "");
        maxRetryAfter = maxRetryAfter == null ? DEFAULT_MAX_RETRY_AFTER : maxRetryAfter;
        slowStart = slowStart == null ? DEFAULT_SLOW_START : slowStart;
        boolean intervalOk = interval.compareTo(Duration.ofMillis(1)) >= 0 && interval.compareTo(MAX_INTERVAL) <= 0;
        boolean timeoutOk = timeout.compareTo(Duration.ZERO) > 0;
        String codesProblem = aliveCodesProblem(aliveCodes);
        new FieldChecks()
                .check(intervalOk, "interval", "%s (expected: 1ms ~ 1h)", Durations.format(interval))
                .check(timeoutOk, "timeout", "%s (expected: more than 0s)", Durations.format(timeout))
                .check(!intervalOk || !timeoutOk || timeout.compareTo(interval) < 0, "timeout",
                        "%s (expected: less than interval %s, so that probes do not overlap)",
                        Durations.format(timeout), Durations.format(interval))
                .check(jitter >= 0 && jitter <= 0.5, "jitter", "%s (expected: 0 ~ 0.5)", jitter)
                .check(rise >= 1 && rise <= MAX_THRESHOLD, "rise", "%s (expected: 1 ~ %s)", rise, MAX_THRESHOLD)
                .check(fall >= 1 && fall <= MAX_THRESHOLD, "fall", "%s (expected: 1 ~ %s)", fall, MAX_THRESHOLD)
                .check(codesProblem == null, "alive-codes", "%s", codesProblem)
                .check(panicThreshold >= 0 && panicThreshold < 1, "panic-threshold",
                        "%s (expected: 0 ~ 1, 1 excluded; 0 = never panic)", panicThreshold)
                .check(maxPassiveEjectShare >= 0 && maxPassiveEjectShare <= 1, "max-passive-eject-share",
                        "%s (expected: 0 ~ 1)", maxPassiveEjectShare)
                .check(!maxRetryAfter.isNegative() && maxRetryAfter.compareTo(MAX_RETRY_AFTER_CAP) <= 0,
                        "max-retry-after", "%s (expected: 0s ~ 1d; 0s = ignore Retry-After)",
                        Durations.format(maxRetryAfter))
                .check(!slowStart.isNegative() && slowStart.compareTo(MAX_INTERVAL) <= 0, "slow-start",
                        "%s (expected: 0s ~ 1h; 0s = off)", Durations.format(slowStart))
                .throwIfAny();
    }

    /** The five basic keys; the policy keys at their defaults. */
    public HealthConfig(boolean enabled, Duration interval, Duration timeout, int rise, int fall) {
        this(enabled, interval, timeout, DEFAULT_JITTER, rise, fall, DEFAULT_ALIVE_CODES,
                DEFAULT_PANIC_THRESHOLD, DEFAULT_MAX_PASSIVE_EJECT_SHARE, DEFAULT_MAX_RETRY_AFTER,
                DEFAULT_SLOW_START);
    }

    public HealthConfig withEnabled(boolean enabled) {
        return new HealthConfig(enabled, interval, timeout, jitter, rise, fall, aliveCodes, panicThreshold,
                maxPassiveEjectShare, maxRetryAfter, slowStart);
    }

    public HealthConfig withInterval(Duration interval) {
        return new HealthConfig(enabled, interval, timeout, jitter, rise, fall, aliveCodes, panicThreshold,
                maxPassiveEjectShare, maxRetryAfter, slowStart);
    }

    public HealthConfig withTimeout(Duration timeout) {
        return new HealthConfig(enabled, interval, timeout, jitter, rise, fall, aliveCodes, panicThreshold,
                maxPassiveEjectShare, maxRetryAfter, slowStart);
    }

    public HealthConfig withJitter(double jitter) {
        return new HealthConfig(enabled, interval, timeout, jitter, rise, fall, aliveCodes, panicThreshold,
                maxPassiveEjectShare, maxRetryAfter, slowStart);
    }

    public HealthConfig withRise(int rise) {
        return new HealthConfig(enabled, interval, timeout, jitter, rise, fall, aliveCodes, panicThreshold,
                maxPassiveEjectShare, maxRetryAfter, slowStart);
    }

    public HealthConfig withFall(int fall) {
        return new HealthConfig(enabled, interval, timeout, jitter, rise, fall, aliveCodes, panicThreshold,
                maxPassiveEjectShare, maxRetryAfter, slowStart);
    }

    public HealthConfig withAliveCodes(String aliveCodes) {
        return new HealthConfig(enabled, interval, timeout, jitter, rise, fall, aliveCodes, panicThreshold,
                maxPassiveEjectShare, maxRetryAfter, slowStart);
    }

    public HealthConfig withPanicThreshold(double panicThreshold) {
        return new HealthConfig(enabled, interval, timeout, jitter, rise, fall, aliveCodes, panicThreshold,
                maxPassiveEjectShare, maxRetryAfter, slowStart);
    }

    public HealthConfig withMaxPassiveEjectShare(double maxPassiveEjectShare) {
        return new HealthConfig(enabled, interval, timeout, jitter, rise, fall, aliveCodes, panicThreshold,
                maxPassiveEjectShare, maxRetryAfter, slowStart);
    }

    public HealthConfig withMaxRetryAfter(Duration maxRetryAfter) {
        return new HealthConfig(enabled, interval, timeout, jitter, rise, fall, aliveCodes, panicThreshold,
                maxPassiveEjectShare, maxRetryAfter, slowStart);
    }

    public HealthConfig withSlowStart(Duration slowStart) {
        return new HealthConfig(enabled, interval, timeout, jitter, rise, fall, aliveCodes, panicThreshold,
                maxPassiveEjectShare, maxRetryAfter, slowStart);
    }

    /**
     * What is wrong with a reply-code list ({@code "200-299,404"}: final codes 200 ~ 699 and
     * ranges {@code from-to} with {@code from <= to}), or {@code null} when it is fine. The same
     * grammar as the core's {@code ReplyCodes.parse}, checked here so that {@code check-config}
     * names the line.
     */
    static String aliveCodesProblem(String text) {
        if (text.isEmpty()) {
            return "'' (expected: final response codes and ranges like 200-299,404)";
        }
        for (String item : text.split(",", -1)) {
            int dash = item.indexOf('-');
            int from = code(dash < 0 ? item : item.substring(0, dash));
            int to = dash < 0 ? from : code(item.substring(dash + 1));
            if (from < 0 || to < 0) {
                return "'" + text + "': '" + item + "' (expected: a final response code 200 ~ 699 or a range "
                        + "like 200-299)";
            }
            if (from > to) {
                return "'" + text + "': range " + item + " (expected: from <= to)";
            }
        }
        return null;
    }

    /** A final response code 200 ~ 699 written as three digits, or -1. */
    private static int code(String s) {
        if (s.length() != 3 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return -1;
        }
        int c = Integer.parseInt(s);
        return c >= 200 && c <= 699 ? c : -1;
    }
}
