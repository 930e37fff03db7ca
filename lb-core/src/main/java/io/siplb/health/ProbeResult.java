package io.siplb.health;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

/**
 * How one probe ended. Timeouts need not be reported: the tracker counts a probe unanswered
 * after {@link HealthPolicy#timeout()} as failed on its own {@link HealthTracker#tick() tick}.
 *
 * @param outcome           reply, timeout or unreachable
 * @param statusCode        the final response code for {@link Outcome#REPLY}, else 0
 * @param retryAfterSeconds the reply's Retry-After delta-seconds (RFC 3261 §20.33), or -1 when
 *                          absent (or not a reply)
 */
public record ProbeResult(Outcome outcome, int statusCode, long retryAfterSeconds) {

    /** How a probe ended. */
    public enum Outcome {
        /** A final response arrived. */
        REPLY,
        /** No final response within the timeout. */
        TIMEOUT,
        /** The probe could not be sent or its connection failed (ICMP error, TCP refused or reset). */
        UNREACHABLE
    }

    private static final ProbeResult TIMEOUT = new ProbeResult(Outcome.TIMEOUT, 0, -1);
    private static final ProbeResult UNREACHABLE = new ProbeResult(Outcome.UNREACHABLE, 0, -1);

    public ProbeResult {
        requireNonNull(outcome, "outcome");
        if (outcome == Outcome.REPLY) {
            checkArgument(statusCode >= ReplyCodes.MIN_FINAL && statusCode <= ReplyCodes.MAX_FINAL,
                    "statusCode: %s (expected: a final response %s ~ %s)",
                    statusCode, ReplyCodes.MIN_FINAL, ReplyCodes.MAX_FINAL);
        } else {
            checkArgument(statusCode == 0, "statusCode: %s (expected: 0 without a reply)", statusCode);
        }
        checkArgument(retryAfterSeconds >= -1, "retryAfterSeconds: %s (expected: >= 0, or -1 when absent)",
                retryAfterSeconds);
    }

    /** A final response without Retry-After. */
    public static ProbeResult reply(int statusCode) {
        return new ProbeResult(Outcome.REPLY, statusCode, -1);
    }

    /** A final response with a Retry-After of {@code retryAfterSeconds} (-1 when absent). */
    public static ProbeResult reply(int statusCode, long retryAfterSeconds) {
        return new ProbeResult(Outcome.REPLY, statusCode, retryAfterSeconds);
    }

    /** No reply in time. */
    public static ProbeResult timeout() {
        return TIMEOUT;
    }

    /** The probe's own send or connection failed. */
    public static ProbeResult unreachable() {
        return UNREACHABLE;
    }

    @Override
    public String toString() {
        return switch (outcome) {
            case REPLY -> retryAfterSeconds < 0 ? Integer.toString(statusCode)
                    : statusCode + " Retry-After " + retryAfterSeconds + "s";
            case TIMEOUT -> "timeout";
            case UNREACHABLE -> "unreachable";
        };
    }
}
