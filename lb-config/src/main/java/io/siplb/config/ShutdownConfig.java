package io.siplb.config;

import java.time.Duration;

/**
 * What siplb does on SIGTERM ({@code shutdown:} in the configuration).
 *
 * <table>
 *   <caption>shutdown keys</caption>
 *   <tr><th>key</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>grace</td><td>5s</td><td>how long siplb drains before it closes its sockets:
 *       {@code /health} answers 503 at once, new initial requests are answered 503 with
 *       Retry-After, while responses and in-dialog requests are still relayed until no
 *       forwarded request awaits its final response or the grace is over. {@code 0s}: close
 *       at once</td></tr>
 * </table>
 *
 * @param grace the longest drain
 */
public record ShutdownConfig(Duration grace) {

    public static final Duration DEFAULT_GRACE = Duration.ofSeconds(5);
    /** Longer than systemd's default stop timeout (90s) would only get siplb killed. */
    public static final Duration MAX_GRACE = Duration.ofSeconds(60);

    /** Every key at its default. */
    public static final ShutdownConfig DEFAULTS = new ShutdownConfig(DEFAULT_GRACE);

    /** Applies the default and validates. */
    public ShutdownConfig {
        grace = grace == null ? DEFAULT_GRACE : grace;
        new FieldChecks()
                .check(!grace.isNegative() && grace.compareTo(MAX_GRACE) <= 0, "grace",
                        "%s (expected: 0s ~ %s)", Durations.format(grace), Durations.format(MAX_GRACE))
                .throwIfAny();
    }
}
