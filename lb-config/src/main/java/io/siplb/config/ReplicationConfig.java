package io.siplb.config;

import java.time.Duration;

/**
 * Keeping every user reachable when a home proxy dies or comes back ({@code routing.replication:}
 * in the configuration; DESIGN.md "Home-proxy failure without losing reachability",
 * docs/replication.md).
 *
 * <table>
 *   <caption>routing.replication keys</caption>
 *   <tr><th>key</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>enabled</td><td>false</td><td>send every REGISTER from outside to the AOR's home proxy
 *       and a copy, marked, to its second choice (the proxy that takes over when the home dies);
 *       the copy's response is absorbed by siplb. The registrars must accept the copy
 *       ({@code deploy/kamailio/})</td></tr>
 *   <tr><td>marker</td><td>X-Siplb-Replica</td><td>the header ({@code NAME: 1}) that marks the copy;
 *       the registrars trust it only from siplb's address. siplb removes it from every request
 *       from outside, replication on or off</td></tr>
 *   <tr><td>hold-down</td><td>3600s</td><td>with replication on: how long a home proxy back from
 *       DOWN gets only REGISTERs, while terminating requests for its users still go to their
 *       second choice. At least the longest registration interval of the clients; {@code 0s}:
 *       no hold-down</td></tr>
 * </table>
 *
 * @param enabled  REGISTER replication on
 * @param marker   the marker header's name
 * @param holdDown the recovery hold-down, {@link Duration#ZERO} for none
 */
public record ReplicationConfig(boolean enabled, String marker, Duration holdDown) {

    public static final boolean DEFAULT_ENABLED = false;
    public static final String DEFAULT_MARKER = "X-Siplb-Replica";
    /** The common registration interval (RFC 3261 §10.2.1.1 suggests 3600 s). */
    public static final Duration DEFAULT_HOLD_DOWN = Duration.ofSeconds(3600);
    public static final Duration MAX_HOLD_DOWN = Duration.ofDays(1);

    /** Every key at its default. */
    public static final ReplicationConfig DEFAULTS =
            new ReplicationConfig(DEFAULT_ENABLED, DEFAULT_MARKER, DEFAULT_HOLD_DOWN);

    /** Applies the defaults and validates. */
    public ReplicationConfig {
        marker = marker == null ? DEFAULT_MARKER : marker;
        holdDown = holdDown == null ? DEFAULT_HOLD_DOWN : holdDown;
        new FieldChecks()
                .check(isHeaderName(marker), "marker",
                        "'%s' (expected: a header name of letters, digits and '-', like %s)", marker, DEFAULT_MARKER)
                .check(!holdDown.isNegative() && holdDown.compareTo(MAX_HOLD_DOWN) <= 0, "hold-down",
                        "%s (expected: 0s ~ %s)", Durations.format(holdDown), Durations.format(MAX_HOLD_DOWN))
                .throwIfAny();
    }

    /** The hold-down that applies: none when replication is off (the second choice would not know the users). */
    public Duration effectiveHoldDown() {
        return enabled ? holdDown : Duration.ZERO;
    }

    public ReplicationConfig withEnabled(boolean enabled) {
        return new ReplicationConfig(enabled, marker, holdDown);
    }

    public ReplicationConfig withHoldDown(Duration holdDown) {
        return new ReplicationConfig(enabled, marker, holdDown);
    }

    private static boolean isHeaderName(String s) {
        if (s.isEmpty() || s.length() > 64) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-')) {
                return false;
            }
        }
        return true;
    }
}
