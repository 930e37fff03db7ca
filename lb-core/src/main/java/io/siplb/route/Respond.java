package io.siplb.route;

import java.util.List;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

/**
 * Answer the request locally with {@code status} (RFC 3261 §8.2.6 / §16.3), sent back to
 * where the request came from.
 *
 * @param status       the status code, 200..699
 * @param reason       the reason phrase
 * @param extraHeaders whole header lines without CRLF, e.g. {@code "Retry-After: 5"}
 */
public record Respond(int status, String reason, List<String> extraHeaders) implements Decision {
    public Respond {
        checkArgument(status >= 200 && status <= 699, "status: %s (expected: 200 ~ 699)", status);
        requireNonNull(reason, "reason");
        extraHeaders = List.copyOf(extraHeaders);
    }

    public static Respond of(int status, String reason) {
        return new Respond(status, reason, List.of());
    }
}
