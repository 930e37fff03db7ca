package io.siplb.config;

/**
 * Switches of the routing rules ({@code routing:} in the configuration; see DESIGN.md,
 * "Routing rules").
 *
 * <table>
 *   <caption>routing keys</caption>
 *   <tr><th>key</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>force-rport</td><td>false</td><td>add {@code rport=} to a client's Via even when the
 *       client did not ask for it (RFC 3581 §4 only requires it for an empty {@code rport});
 *       for clients behind NAT that do not know RFC 3581</td></tr>
 *   <tr><td>outbound-from-backends</td><td>false</td><td>let a home proxy send requests through
 *       siplb to destinations outside the served domains (carriers, other domains); off, such
 *       requests are refused with 403 so siplb is not an open relay</td></tr>
 *   <tr><td>record-route</td><td>true</td><td>insert our Record-Route (with the flow token) in
 *       dialog-creating requests, so in-dialog requests come back through siplb to the
 *       client's flow (RFC 3261 §16.6 step 4); turn off only when no client is behind NAT</td></tr>
 *   <tr><td>replication</td><td>off</td><td>REGISTER replication and recovery hold-down; see
 *       {@link ReplicationConfig}</td></tr>
 * </table>
 */
public record RoutingConfig(boolean forceRport, boolean outboundFromBackends, boolean recordRoute,
                            ReplicationConfig replication) {

    public static final boolean DEFAULT_FORCE_RPORT = false;
    public static final boolean DEFAULT_OUTBOUND_FROM_BACKENDS = false;
    public static final boolean DEFAULT_RECORD_ROUTE = true;

    /** Every key at its default. */
    public static final RoutingConfig DEFAULTS = new RoutingConfig(
            DEFAULT_FORCE_RPORT, DEFAULT_OUTBOUND_FROM_BACKENDS, DEFAULT_RECORD_ROUTE);

    /** A {@code null} replication section is the defaults (off). */
    public RoutingConfig {
        replication = replication == null ? ReplicationConfig.DEFAULTS : replication;
    }

    /** The switches before replication existed: replication off. */
    public RoutingConfig(boolean forceRport, boolean outboundFromBackends, boolean recordRoute) {
        this(forceRport, outboundFromBackends, recordRoute, null);
    }

    public RoutingConfig withForceRport(boolean forceRport) {
        return new RoutingConfig(forceRport, outboundFromBackends, recordRoute, replication);
    }

    public RoutingConfig withOutboundFromBackends(boolean outboundFromBackends) {
        return new RoutingConfig(forceRport, outboundFromBackends, recordRoute, replication);
    }

    public RoutingConfig withRecordRoute(boolean recordRoute) {
        return new RoutingConfig(forceRport, outboundFromBackends, recordRoute, replication);
    }

    public RoutingConfig withReplication(ReplicationConfig replication) {
        return new RoutingConfig(forceRport, outboundFromBackends, recordRoute, replication);
    }
}
