package io.siplb.config;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;

/**
 * The whole siplb configuration, one record per concern. Read it with {@link ConfigLoader};
 * {@code deploy/siplb.example.yaml} documents every key for operators.
 *
 * <table>
 *   <caption>top-level keys</caption>
 *   <tr><th>key</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>listen</td><td>required</td><td>SIP listen addresses, {@code udp://host:port},
 *       {@code tcp://…}, {@code tls://…}; see {@link ListenAddress}</td></tr>
 *   <tr><td>advertise</td><td>first listen address</td><td>host:port written into our Via,
 *       Record-Route and Path; must be set when that address is a wildcard</td></tr>
 *   <tr><td>domains</td><td>[]</td><td>domains we serve: a request whose From is in one of them
 *       is originating and hashed by From; an inside request for one is handed to the
 *       user's home proxy</td></tr>
 *   <tr><td>aliases</td><td>[]</td><td>other hosts ({@code host} or {@code host:port}) that mean
 *       "us" in a Route or Request-URI, e.g. the VIP or a DNS name; an alias without a port
 *       matches any of our ports</td></tr>
 *   <tr><td>backends</td><td>required</td><td>the home proxies; see {@link BackendConfig}; an
 *       entry {@code srv: _sip._udp.pool.example.com} names a DNS SRV record instead (kept apart
 *       in {@link #srvBackends()}; see {@link SrvBackendConfig})</td></tr>
 *   <tr><td>dns</td><td>see {@link DnsConfig}</td><td>resolving SRV backends</td></tr>
 *   <tr><td>health</td><td>see {@link HealthConfig}</td><td>OPTIONS probing</td></tr>
 *   <tr><td>flow-token</td><td>required</td><td>see {@link FlowTokenConfig}</td></tr>
 *   <tr><td>admin</td><td>see {@link AdminConfig}</td><td>admin HTTP listener</td></tr>
 *   <tr><td>limits</td><td>see {@link LimitsConfig}</td><td>message size limits</td></tr>
 *   <tr><td>routing</td><td>see {@link RoutingConfig}</td><td>routing switches</td></tr>
 *   <tr><td>logging</td><td>see {@link LoggingConfig}</td><td>log line format</td></tr>
 *   <tr><td>shutdown</td><td>see {@link ShutdownConfig}</td><td>drain on SIGTERM</td></tr>
 *   <tr><td>vrrp</td><td>absent: no speaker</td><td>the built-in VRRPv3 speaker; see
 *       {@link VrrpConfig}</td></tr>
 *   <tr><td>tls</td><td>absent: no TLS</td><td>certificates for the {@code tls://} listeners; see
 *       {@link TlsConfig}</td></tr>
 * </table>
 *
 * <p>The constructor copies the lists, fills in defaults ({@code null} sections become their
 * {@code DEFAULTS}, a {@code null} advertise becomes the first listen address) and checks
 * each value. Rules that span records (at least one listen address and one backend, no
 * duplicates, a usable advertise address) are {@link ConfigValidator}'s; a configuration
 * from {@link ConfigLoader} has passed them.
 */
public record SiplbConfig(
        List<ListenAddress> listen,
        HostPort advertise,
        List<String> domains,
        List<HostPort> aliases,
        List<BackendConfig> backends,
        HealthConfig health,
        FlowTokenConfig flowToken,
        AdminConfig admin,
        LimitsConfig limits,
        RoutingConfig routing,
        LoggingConfig logging,
        ShutdownConfig shutdown,
        VrrpConfig vrrp,
        List<SrvBackendConfig> srvBackends,
        DnsConfig dns,
        TlsConfig tls) {

    /** Applies defaults and checks each value. */
    public SiplbConfig {
        listen = listen == null ? List.of() : List.copyOf(listen);
        srvBackends = srvBackends == null ? List.of() : List.copyOf(srvBackends);
        dns = dns == null ? DnsConfig.DEFAULTS : dns;
        aliases = aliases == null ? List.of() : List.copyOf(aliases);
        backends = backends == null ? List.of() : List.copyOf(backends);
        requireNonNull(flowToken, "flowToken");
        health = health == null ? HealthConfig.DEFAULTS : health;
        admin = admin == null ? AdminConfig.DEFAULTS : admin;
        limits = limits == null ? LimitsConfig.DEFAULTS : limits;
        routing = routing == null ? RoutingConfig.DEFAULTS : routing;
        logging = logging == null ? LoggingConfig.DEFAULTS : logging;
        shutdown = shutdown == null ? ShutdownConfig.DEFAULTS : shutdown;
        if (advertise == null && !listen.isEmpty()) {
            advertise = listen.get(0).hostPort();
        }
        FieldChecks checks = new FieldChecks();
        if (advertise != null) {
            checks.check(advertise.hasPort(), "advertise",
                    "'%s' has no port (expected: host:port like 203.0.113.10:5060)", advertise);
        }
        List<String> canonicalDomains = new ArrayList<>(domains == null ? 0 : domains.size());
        if (domains != null) {
            for (String domain : domains) {
                String canonical = Hosts.canonical(requireNonNull(domain, "domain"));
                checks.check(canonical != null, "domains",
                        "'%s' (expected: a domain name like example.com)", domain);
                canonicalDomains.add(canonical == null ? domain : canonical);
            }
        }
        checks.throwIfAny();
        domains = List.copyOf(canonicalDomains);
    }

    /** The configuration before {@code logging} and {@code shutdown} existed: both at their defaults. */
    public SiplbConfig(List<ListenAddress> listen, HostPort advertise, List<String> domains,
                       List<HostPort> aliases, List<BackendConfig> backends, HealthConfig health,
                       FlowTokenConfig flowToken, AdminConfig admin, LimitsConfig limits,
                       RoutingConfig routing) {
        this(listen, advertise, domains, aliases, backends, health, flowToken, admin, limits, routing,
                null, null, null);
    }

    /** The configuration before {@code vrrp} existed: no VRRP speaker. */
    public SiplbConfig(List<ListenAddress> listen, HostPort advertise, List<String> domains,
                       List<HostPort> aliases, List<BackendConfig> backends, HealthConfig health,
                       FlowTokenConfig flowToken, AdminConfig admin, LimitsConfig limits,
                       RoutingConfig routing, LoggingConfig logging, ShutdownConfig shutdown) {
        this(listen, advertise, domains, aliases, backends, health, flowToken, admin, limits, routing,
                logging, shutdown, null);
    }

    /** The configuration before DNS SRV backends existed: none, and the default {@code dns}. */
    public SiplbConfig(List<ListenAddress> listen, HostPort advertise, List<String> domains,
                       List<HostPort> aliases, List<BackendConfig> backends, HealthConfig health,
                       FlowTokenConfig flowToken, AdminConfig admin, LimitsConfig limits,
                       RoutingConfig routing, LoggingConfig logging, ShutdownConfig shutdown, VrrpConfig vrrp) {
        this(listen, advertise, domains, aliases, backends, health, flowToken, admin, limits, routing,
                logging, shutdown, vrrp, null, null);
    }

    /** The configuration before {@code tls} existed: no TLS. */
    public SiplbConfig(List<ListenAddress> listen, HostPort advertise, List<String> domains,
                       List<HostPort> aliases, List<BackendConfig> backends, HealthConfig health,
                       FlowTokenConfig flowToken, AdminConfig admin, LimitsConfig limits,
                       RoutingConfig routing, LoggingConfig logging, ShutdownConfig shutdown, VrrpConfig vrrp,
                       List<SrvBackendConfig> srvBackends, DnsConfig dns) {
        this(listen, advertise, domains, aliases, backends, health, flowToken, admin, limits, routing,
                logging, shutdown, vrrp, srvBackends, dns, null);
    }

    /** A configuration with the given required parts and every other key at its default. */
    public static SiplbConfig of(List<ListenAddress> listen, List<BackendConfig> backends,
                                 FlowTokenConfig flowToken) {
        return new SiplbConfig(listen, null, List.of(), List.of(), backends, null, flowToken,
                null, null, null, null, null, null, null, null, null);
    }

    /**
     * A copy with other listen addresses. The advertise address is kept, even when it was
     * derived from the old first listen address; {@code withAdvertise(null)} derives it again.
     */
    public SiplbConfig withListen(List<ListenAddress> listen) {
        return new SiplbConfig(listen, advertise, domains, aliases, backends, health, flowToken,
                admin, limits, routing, logging, shutdown, vrrp, srvBackends, dns, tls);
    }

    public SiplbConfig withAdvertise(HostPort advertise) {
        return new SiplbConfig(listen, advertise, domains, aliases, backends, health, flowToken,
                admin, limits, routing, logging, shutdown, vrrp, srvBackends, dns, tls);
    }

    public SiplbConfig withDomains(List<String> domains) {
        return new SiplbConfig(listen, advertise, domains, aliases, backends, health, flowToken,
                admin, limits, routing, logging, shutdown, vrrp, srvBackends, dns, tls);
    }

    public SiplbConfig withAliases(List<HostPort> aliases) {
        return new SiplbConfig(listen, advertise, domains, aliases, backends, health, flowToken,
                admin, limits, routing, logging, shutdown, vrrp, srvBackends, dns, tls);
    }

    public SiplbConfig withBackends(List<BackendConfig> backends) {
        return new SiplbConfig(listen, advertise, domains, aliases, backends, health, flowToken,
                admin, limits, routing, logging, shutdown, vrrp, srvBackends, dns, tls);
    }

    public SiplbConfig withHealth(HealthConfig health) {
        return new SiplbConfig(listen, advertise, domains, aliases, backends, health, flowToken,
                admin, limits, routing, logging, shutdown, vrrp, srvBackends, dns, tls);
    }

    public SiplbConfig withFlowToken(FlowTokenConfig flowToken) {
        return new SiplbConfig(listen, advertise, domains, aliases, backends, health, flowToken,
                admin, limits, routing, logging, shutdown, vrrp, srvBackends, dns, tls);
    }

    public SiplbConfig withAdmin(AdminConfig admin) {
        return new SiplbConfig(listen, advertise, domains, aliases, backends, health, flowToken,
                admin, limits, routing, logging, shutdown, vrrp, srvBackends, dns, tls);
    }

    public SiplbConfig withLimits(LimitsConfig limits) {
        return new SiplbConfig(listen, advertise, domains, aliases, backends, health, flowToken,
                admin, limits, routing, logging, shutdown, vrrp, srvBackends, dns, tls);
    }

    public SiplbConfig withRouting(RoutingConfig routing) {
        return new SiplbConfig(listen, advertise, domains, aliases, backends, health, flowToken,
                admin, limits, routing, logging, shutdown, vrrp, srvBackends, dns, tls);
    }

    public SiplbConfig withLogging(LoggingConfig logging) {
        return new SiplbConfig(listen, advertise, domains, aliases, backends, health, flowToken,
                admin, limits, routing, logging, shutdown, vrrp, srvBackends, dns, tls);
    }

    public SiplbConfig withShutdown(ShutdownConfig shutdown) {
        return new SiplbConfig(listen, advertise, domains, aliases, backends, health, flowToken,
                admin, limits, routing, logging, shutdown, vrrp, srvBackends, dns, tls);
    }

    /** A copy with other DNS SRV backend entries. */
    public SiplbConfig withSrvBackends(List<SrvBackendConfig> srvBackends) {
        return new SiplbConfig(listen, advertise, domains, aliases, backends, health, flowToken,
                admin, limits, routing, logging, shutdown, vrrp, srvBackends, dns, tls);
    }

    /** A copy with another {@code dns:} section ({@code null}: the defaults). */
    public SiplbConfig withDns(DnsConfig dns) {
        return new SiplbConfig(listen, advertise, domains, aliases, backends, health, flowToken,
                admin, limits, routing, logging, shutdown, vrrp, srvBackends, dns, tls);
    }

    /** A copy with another VRRP section ({@code null}: no speaker). */
    public SiplbConfig withVrrp(VrrpConfig vrrp) {
        return new SiplbConfig(listen, advertise, domains, aliases, backends, health, flowToken,
                admin, limits, routing, logging, shutdown, vrrp, srvBackends, dns, tls);
    }

    /** A copy with another {@code tls:} section ({@code null}: no TLS). */
    public SiplbConfig withTls(TlsConfig tls) {
        return new SiplbConfig(listen, advertise, domains, aliases, backends, health, flowToken,
                admin, limits, routing, logging, shutdown, vrrp, srvBackends, dns, tls);
    }
}
