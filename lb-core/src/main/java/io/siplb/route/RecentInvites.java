package io.siplb.route;

import com.google.common.base.Ticker;
import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;

import java.time.Duration;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

/**
 * Which backend recent initial INVITEs went to, keyed by the client's transaction (top Via
 * branch and sent-by), so that a CANCEL and the ACK of a non-2xx answer reach the backend that
 * got the INVITE even when the backend view changed in between (DESIGN.md routing rule 5). The
 * only state the router keeps: bounded in size and age (64 × T1 = 32 s, the INVITE transaction's
 * longest life, RFC 3261 §17.1.1.2), so memory is capped whatever the traffic. Losing an entry
 * only falls back to hashing, which gives the same backend unless the view changed.
 *
 * <p>Thread-safe; time comes from the injected ticker.
 */
public final class RecentInvites {

    public static final int DEFAULT_MAX_ENTRIES = 65_536;
    public static final Duration DEFAULT_TTL = Duration.ofSeconds(32);

    private final Cache<String, String> backendByTransaction;

    public RecentInvites(int maxEntries, Duration ttl, Ticker ticker) {
        checkArgument(maxEntries > 0, "maxEntries: %s (expected: > 0)", maxEntries);
        checkArgument(!ttl.isNegative() && !ttl.isZero(), "ttl: %s (expected: > 0)", ttl);
        this.backendByTransaction = CacheBuilder.newBuilder()
                .maximumSize(maxEntries)
                .expireAfterWrite(ttl)
                .ticker(requireNonNull(ticker, "ticker"))
                .build();
    }

    /** Defaults on the system clock. */
    public static RecentInvites withDefaults() {
        return new RecentInvites(DEFAULT_MAX_ENTRIES, DEFAULT_TTL, Ticker.systemTicker());
    }

    void remember(String transaction, String backendId) {
        backendByTransaction.put(transaction, backendId);
    }

    /** The backend the INVITE of {@code transaction} went to, or null when unknown or expired. */
    String backendOf(String transaction) {
        return backendByTransaction.getIfPresent(transaction);
    }
}
