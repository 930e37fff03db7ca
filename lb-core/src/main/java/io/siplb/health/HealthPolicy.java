package io.siplb.health;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * How backends are probed and when their health changes what routing sees. Immutable; a
 * reload builds a new policy ({@link HealthTracker#withPolicy}).
 *
 * <table>
 *   <caption>health policy</caption>
 *   <tr><th>name</th><th>default</th><th>what it does</th></tr>
 *   <tr><td>{@code enabled}</td><td>{@value #DEFAULT_ENABLED}</td><td>{@code false}: nothing
 *       is probed, passive signals and Retry-After are ignored, every backend counts as up
 *       (drain still works)</td></tr>
 *   <tr><td>{@code interval}</td><td>1s</td><td>time between two probes of one backend; the
 *       jittered interval is never longer than this</td></tr>
 *   <tr><td>{@code timeout}</td><td>500ms</td><td>a probe unanswered this long failed; less than
 *       {@code interval}, so one backend never has two probes in flight</td></tr>
 *   <tr><td>{@code jitter}</td><td>{@value #DEFAULT_JITTER}</td><td>each interval is shortened
 *       by a deterministic pseudo-random share up to this fraction (0 ~ 0.5), so probes of many
 *       backends, and of the two nodes of a pair, do not go out in bursts</td></tr>
 *   <tr><td>{@code rise}</td><td>{@value #DEFAULT_RISE}</td><td>consecutive alive replies that
 *       bring a new or down backend up</td></tr>
 *   <tr><td>{@code fall}</td><td>{@value #DEFAULT_FALL}</td><td>consecutive failed probes
 *       (timeout, unreachable, or a reply not in {@code aliveCodes}) that take an up backend
 *       down; one lost probe never does with the default</td></tr>
 *   <tr><td>{@code aliveCodes}</td><td>200-699</td><td>final replies that prove the proxy
 *       alive; see {@link ReplyCodes}</td></tr>
 *   <tr><td>{@code panicThreshold}</td><td>{@value #DEFAULT_PANIC_THRESHOLD}</td><td>when fewer
 *       than this share of the backends that are not drained is up, route as if all of them
 *       were up (0 = never)</td></tr>
 *   <tr><td>{@code maxPassiveEjectShare}</td><td>1/3</td><td>most backends that passive signals
 *       and Retry-After may hold out of routing at once: {@code max(1, floor(share × n))}, or
 *       none when 0; beyond it a signal only triggers a probe</td></tr>
 *   <tr><td>{@code maxRetryAfter}</td><td>60s</td><td>cap on the time a 503 with Retry-After
 *       takes a backend out (0 = ignore Retry-After)</td></tr>
 *   <tr><td>{@code slowStart}</td><td>0s (off)</td><td>a backend returning from down or from
 *       Retry-After ramps its weight factor from 0.1 to 1 over this long</td></tr>
 * </table>
 *
 * <h2>Why these defaults</h2>
 * <ul>
 *   <li>1 s × fall 2 + 500 ms: a dead proxy is out within 2.5 s (the bound the issue's
 *       kill test measures), while a single lost UDP probe, which happens on any busy
 *       network, changes nothing.
 *   <li>Panic at one half (Envoy's healthy-panic default): losing most home proxies at once is
 *       far less likely than the probes being wrong (a firewall change, this node's own link,
 *       a full socket buffer). Below one half the survivors would carry more than twice their
 *       load; routing to every backend then fails only the users of the really dead ones, as
 *       if health checks were off, instead of answering 503 to everyone. With two backends,
 *       one survivor is exactly half and is not panic.
 *   <li>Passive ejection of at most a third, at least one (Envoy's outlier detection also
 *       ejects at least one host): an ICMP error is good evidence about one backend, but a
 *       burst of them (a router flapping, a stale NAT binding on this node) must not empty the
 *       pool before a probe has confirmed anything.
 *   <li>Retry-After capped at 60 s: RFC 3261 §21.5.4 asks us not to forward to the server for
 *       the time it names, but a proxy that misconfigures {@code Retry-After: 3600} on one
 *       request should not lose its users for an hour; an overloaded proxy that is still
 *       overloaded will say so again.
 * </ul>
 *
 * @param enabled              see the table
 * @param interval             1ms ~ 1h
 * @param timeout              more than 0, less than {@code interval}
 * @param jitter               0 ~ 0.5
 * @param rise                 1 ~ {@value #MAX_THRESHOLD}
 * @param fall                 1 ~ {@value #MAX_THRESHOLD}
 * @param aliveCodes           not null
 * @param panicThreshold       0 ~ 1 (1 excluded)
 * @param maxPassiveEjectShare 0 ~ 1
 * @param maxRetryAfter        0 ~ 1 day
 * @param slowStart            0 ~ 1h
 */
public record HealthPolicy(
        boolean enabled,
        Duration interval,
        Duration timeout,
        double jitter,
        int rise,
        int fall,
        ReplyCodes aliveCodes,
        double panicThreshold,
        double maxPassiveEjectShare,
        Duration maxRetryAfter,
        Duration slowStart) {

    public static final boolean DEFAULT_ENABLED = true;
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(500);
    public static final double DEFAULT_JITTER = 0.1;
    public static final int DEFAULT_RISE = 2;
    public static final int DEFAULT_FALL = 2;
    public static final ReplyCodes DEFAULT_ALIVE_CODES = ReplyCodes.ANY_FINAL;
    public static final double DEFAULT_PANIC_THRESHOLD = 0.5;
    public static final double DEFAULT_MAX_PASSIVE_EJECT_SHARE = 1.0 / 3;
    public static final Duration DEFAULT_MAX_RETRY_AFTER = Duration.ofSeconds(60);
    public static final Duration DEFAULT_SLOW_START = Duration.ZERO;

    /** Largest {@code rise} and {@code fall}: beyond it a threshold is a misunderstanding. */
    public static final int MAX_THRESHOLD = 100;

    // declared before DEFAULTS: the constructor that builds DEFAULTS reads them
    private static final Duration MAX_INTERVAL = Duration.ofHours(1);
    private static final Duration MAX_RETRY_AFTER_CAP = Duration.ofDays(1);

    /** Every value at its default. */
    public static final HealthPolicy DEFAULTS = new HealthPolicy(DEFAULT_ENABLED, DEFAULT_INTERVAL,
            DEFAULT_TIMEOUT, DEFAULT_JITTER, DEFAULT_RISE, DEFAULT_FALL, DEFAULT_ALIVE_CODES,
            DEFAULT_PANIC_THRESHOLD, DEFAULT_MAX_PASSIVE_EJECT_SHARE, DEFAULT_MAX_RETRY_AFTER,
            DEFAULT_SLOW_START);

    /** The defaults with health checking off: every backend up, nothing probed. */
    public static final HealthPolicy DISABLED = DEFAULTS.withEnabled(false);

    /** Validates; the message says what was expected. */
    public HealthPolicy {
        requireNonNull(interval, "interval");
        requireNonNull(timeout, "timeout");
        requireNonNull(aliveCodes, "aliveCodes");
        requireNonNull(maxRetryAfter, "maxRetryAfter");
        requireNonNull(slowStart, "slowStart");
        checkArgument(interval.compareTo(Duration.ofMillis(1)) >= 0 && interval.compareTo(MAX_INTERVAL) <= 0,
                "interval: %s (expected: 1ms ~ 1h)", format(interval));
        checkArgument(timeout.compareTo(Duration.ZERO) > 0 && timeout.compareTo(interval) < 0,
                "timeout: %s (expected: more than 0s and less than interval %s, so that probes of "
                        + "one backend do not overlap)", format(timeout), format(interval));
        checkArgument(jitter >= 0 && jitter <= 0.5, "jitter: %s (expected: 0 ~ 0.5)", jitter);
        checkArgument(rise >= 1 && rise <= MAX_THRESHOLD, "rise: %s (expected: 1 ~ %s)", rise, MAX_THRESHOLD);
        checkArgument(fall >= 1 && fall <= MAX_THRESHOLD, "fall: %s (expected: 1 ~ %s)", fall, MAX_THRESHOLD);
        checkArgument(panicThreshold >= 0 && panicThreshold < 1,
                "panicThreshold: %s (expected: 0 ~ 1, 1 excluded; 0 = never panic)", panicThreshold);
        checkArgument(maxPassiveEjectShare >= 0 && maxPassiveEjectShare <= 1,
                "maxPassiveEjectShare: %s (expected: 0 ~ 1)", maxPassiveEjectShare);
        checkArgument(!maxRetryAfter.isNegative() && maxRetryAfter.compareTo(MAX_RETRY_AFTER_CAP) <= 0,
                "maxRetryAfter: %s (expected: 0s ~ 1d; 0s = ignore Retry-After)", format(maxRetryAfter));
        checkArgument(!slowStart.isNegative() && slowStart.compareTo(MAX_INTERVAL) <= 0,
                "slowStart: %s (expected: 0s ~ 1h; 0s = off)", format(slowStart));
    }

    public HealthPolicy withEnabled(boolean enabled) {
        return new HealthPolicy(enabled, interval, timeout, jitter, rise, fall, aliveCodes,
                panicThreshold, maxPassiveEjectShare, maxRetryAfter, slowStart);
    }

    /** A copy with another interval and timeout (changed together: timeout must stay below interval). */
    public HealthPolicy withTiming(Duration interval, Duration timeout) {
        return new HealthPolicy(enabled, interval, timeout, jitter, rise, fall, aliveCodes,
                panicThreshold, maxPassiveEjectShare, maxRetryAfter, slowStart);
    }

    public HealthPolicy withInterval(Duration interval) {
        return withTiming(interval, timeout);
    }

    public HealthPolicy withTimeout(Duration timeout) {
        return withTiming(interval, timeout);
    }

    public HealthPolicy withJitter(double jitter) {
        return new HealthPolicy(enabled, interval, timeout, jitter, rise, fall, aliveCodes,
                panicThreshold, maxPassiveEjectShare, maxRetryAfter, slowStart);
    }

    public HealthPolicy withRise(int rise) {
        return new HealthPolicy(enabled, interval, timeout, jitter, rise, fall, aliveCodes,
                panicThreshold, maxPassiveEjectShare, maxRetryAfter, slowStart);
    }

    public HealthPolicy withFall(int fall) {
        return new HealthPolicy(enabled, interval, timeout, jitter, rise, fall, aliveCodes,
                panicThreshold, maxPassiveEjectShare, maxRetryAfter, slowStart);
    }

    public HealthPolicy withAliveCodes(ReplyCodes aliveCodes) {
        return new HealthPolicy(enabled, interval, timeout, jitter, rise, fall, aliveCodes,
                panicThreshold, maxPassiveEjectShare, maxRetryAfter, slowStart);
    }

    public HealthPolicy withPanicThreshold(double panicThreshold) {
        return new HealthPolicy(enabled, interval, timeout, jitter, rise, fall, aliveCodes,
                panicThreshold, maxPassiveEjectShare, maxRetryAfter, slowStart);
    }

    public HealthPolicy withMaxPassiveEjectShare(double maxPassiveEjectShare) {
        return new HealthPolicy(enabled, interval, timeout, jitter, rise, fall, aliveCodes,
                panicThreshold, maxPassiveEjectShare, maxRetryAfter, slowStart);
    }

    public HealthPolicy withMaxRetryAfter(Duration maxRetryAfter) {
        return new HealthPolicy(enabled, interval, timeout, jitter, rise, fall, aliveCodes,
                panicThreshold, maxPassiveEjectShare, maxRetryAfter, slowStart);
    }

    public HealthPolicy withSlowStart(Duration slowStart) {
        return new HealthPolicy(enabled, interval, timeout, jitter, rise, fall, aliveCodes,
                panicThreshold, maxPassiveEjectShare, maxRetryAfter, slowStart);
    }

    /**
     * The most backends out of {@code total} that passive signals and Retry-After may hold out
     * of routing at once: {@code max(1, floor(maxPassiveEjectShare × total))}, 0 when the share
     * is 0.
     */
    public int maxPassiveEjections(int total) {
        if (maxPassiveEjectShare == 0 || total == 0) {
            return 0;
        }
        // the epsilon keeps 1/3 × 6 at 2 although the double product is 1.9999999999999998
        return Math.max(1, (int) Math.floor(maxPassiveEjectShare * total + 1e-9));
    }

    /** The worst-case time from a backend's death to it leaving routing: {@code interval × fall + timeout}. */
    public Duration detectionBound() {
        return interval.multipliedBy(fall).plus(timeout);
    }

    /** {@code 1.5s}, {@code 500ms}, {@code 2m}: the form the configuration uses. */
    static String format(Duration d) {
        // toNanos overflows beyond 292 years; such a value is only ever reported as invalid
        return d.getSeconds() > Integer.MAX_VALUE || d.isNegative() ? d.toString() : formatNanos(d.toNanos());
    }

    static String formatNanos(long nanos) {
        if (nanos % 1_000_000 != 0) {
            return trim(nanos / 1e6) + "ms";
        }
        long ms = nanos / 1_000_000;
        if (ms < 1000) {
            return ms + "ms";
        }
        return ms % 60_000 == 0 ? ms / 60_000 + "m" : trim(ms / 1000.0) + "s";
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
