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
 * @param replicateRegisters   send each REGISTER from outside to its home proxy and a marked copy
 *                             to the AOR's second choice ({@link Replicate})
 * @param replicaMarker        the name of the header that marks a replica ({@value #DEFAULT_REPLICA_MARKER}
 *                             by default; value {@code 1}). Removed from every request from outside,
 *                             replication on or off: a registrar trusts it from siplb's address,
 *                             and every client's REGISTER arrives from that address too
 */
public record RouterConfig(LocalAddresses local, Set<String> domains, boolean forceRport,
                           boolean outboundFromBackends, boolean recordRoute, int retryAfterSeconds,
                           boolean replicateRegisters, String replicaMarker) {

    public static final int DEFAULT_RETRY_AFTER_SECONDS = 5;
    public static final String DEFAULT_REPLICA_MARKER = "X-Siplb-Replica";

    public RouterConfig {
        requireNonNull(local, "local");
        ImmutableSet.Builder<String> lower = ImmutableSet.builder();
        for (String d : domains) {
            lower.add(d.toLowerCase(Locale.ROOT));
        }
        domains = lower.build();
        checkArgument(retryAfterSeconds >= 0, "retryAfterSeconds: %s (expected: >= 0)", retryAfterSeconds);
        replicaMarker = replicaMarker == null ? DEFAULT_REPLICA_MARKER : replicaMarker;
        checkArgument(isToken(replicaMarker), "replicaMarker: '%s' (expected: a header name like %s)",
                replicaMarker, DEFAULT_REPLICA_MARKER);
    }

    /** Without replication, the default marker. */
    public RouterConfig(LocalAddresses local, Set<String> domains, boolean forceRport,
                        boolean outboundFromBackends, boolean recordRoute, int retryAfterSeconds) {
        this(local, domains, forceRport, outboundFromBackends, recordRoute, retryAfterSeconds, false, null);
    }

    /** A copy with REGISTER replication on or off. */
    public RouterConfig withReplication(boolean replicateRegisters) {
        return new RouterConfig(local, domains, forceRport, outboundFromBackends, recordRoute, retryAfterSeconds,
                replicateRegisters, replicaMarker);
    }

    /** A header name: letters, digits and '-' (a subset of RFC 3261 token), 1..64 characters. */
    private static boolean isToken(String name) {
        if (name.isEmpty() || name.length() > 64) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    /** Defaults: no forced rport, no outbound routing from backends, record-routing on. */
    public static RouterConfig of(LocalAddresses local, Set<String> domains) {
        return new RouterConfig(local, domains, false, false, true, DEFAULT_RETRY_AFTER_SECONDS);
    }

    public boolean servesDomain(String host) {
        return host != null && domains.contains(host.toLowerCase(Locale.ROOT));
    }
}
