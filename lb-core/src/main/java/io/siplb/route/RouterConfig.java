package io.siplb.route;

import com.google.common.collect.ImmutableSet;

import java.util.Locale;
import java.util.Set;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

/**
 * What the routing decisions depend on besides the message and the backend view.
 *
 * @param local                addresses that are siplb itself
 * @param domains              domains siplb serves (lower case): a From in one of them is originating
 * @param forceRport           fill {@code rport} even when the client did not ask (RFC 3581 §4 for broken NATs)
 * @param outboundFromBackends let backends send requests to destinations that are not siplb's users
 * @param recordRoute          record-route dialog-creating requests (needed for NAT traversal; on by default)
 * @param retryAfterSeconds    the Retry-After of a 503 when no backend is up
 */
public record RouterConfig(LocalAddresses local, Set<String> domains, boolean forceRport,
                           boolean outboundFromBackends, boolean recordRoute, int retryAfterSeconds) {

    public static final int DEFAULT_RETRY_AFTER_SECONDS = 5;

    public RouterConfig {
        requireNonNull(local, "local");
        ImmutableSet.Builder<String> lower = ImmutableSet.builder();
        for (String d : domains) {
            lower.add(d.toLowerCase(Locale.ROOT));
        }
        domains = lower.build();
        checkArgument(retryAfterSeconds >= 0, "retryAfterSeconds: %s (expected: >= 0)", retryAfterSeconds);
    }

    /** Defaults: no forced rport, no outbound routing from backends, record-routing on. */
    public static RouterConfig of(LocalAddresses local, Set<String> domains) {
        return new RouterConfig(local, domains, false, false, true, DEFAULT_RETRY_AFTER_SECONDS);
    }

    public boolean servesDomain(String host) {
        return host != null && domains.contains(host.toLowerCase(Locale.ROOT));
    }
}
