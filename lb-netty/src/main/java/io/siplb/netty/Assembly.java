package io.siplb.netty;

import com.google.common.net.InetAddresses;
import io.siplb.config.BackendConfig;
import io.siplb.config.HealthConfig;
import io.siplb.config.HostPort;
import io.siplb.config.LimitsConfig;
import io.siplb.config.ListenAddress;
import io.siplb.config.SiplbConfig;
import io.siplb.config.VrrpConfig;
import io.siplb.hash.Backend;
import io.siplb.hash.BackendView;
import io.siplb.health.HealthPolicy;
import io.siplb.health.ReplyCodes;
import io.siplb.route.ConnectionLiveness;
import io.siplb.route.FlowTokenCodec;
import io.siplb.route.LocalAddresses;
import io.siplb.route.ResponseRouter;
import io.siplb.route.Router;
import io.siplb.route.RouterConfig;
import io.siplb.route.RoutingView;
import io.siplb.route.ViaBranch;
import io.siplb.sip.SipLimits;
import io.siplb.vrrp.VrrpParameters;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * Maps the configuration records of lb-config onto lb-core's objects, so that YAML never reaches
 * the core (DESIGN "Modules"). Cheap and free of I/O except the one DNS lookup per backend
 * configured by host name; the CLI's {@code hash} and {@code decode-token} use it too, so they
 * compute exactly what the running server computes.
 *
 * <p>Backends configured by host name are resolved here, once: the core matches backends by IP
 * (which side a message came from) and sends to IP literals. A backend that must follow DNS
 * changes needs a reload.
 */
public final class Assembly {

    private final SiplbConfig config;
    private final SipLimits limits;
    private final LocalAddresses local;
    private final RouterConfig routerConfig;
    private final FlowTokenCodec tokens;
    private final ViaBranch branches;
    private final BackendView backends;

    private Assembly(SiplbConfig config) {
        this.config = config;
        this.limits = limits(config.limits());
        this.local = localAddresses(config);
        this.routerConfig = new RouterConfig(local, Set.copyOf(config.domains()), config.routing().forceRport(),
                config.routing().outboundFromBackends(), config.routing().recordRoute(),
                RouterConfig.DEFAULT_RETRY_AFTER_SECONDS, config.routing().replication().enabled(),
                config.routing().replication().marker());
        byte[] secret = config.flowToken().secret();
        // One shared secret for both: ViaBranch derives its own keys from it ("siplb via branch").
        this.tokens = FlowTokenCodec.of(secret);
        this.branches = new ViaBranch(secret);
        this.backends = BackendView.of(backends(config.backends()));
    }

    /**
     * The core objects for {@code config}.
     *
     * @throws IllegalArgumentException when a backend host name does not resolve
     */
    public static Assembly of(SiplbConfig config) {
        return new Assembly(requireNonNull(config, "config"));
    }

    public SiplbConfig config() {
        return config;
    }

    public SipLimits limits() {
        return limits;
    }

    public LocalAddresses localAddresses() {
        return local;
    }

    public RouterConfig routerConfig() {
        return routerConfig;
    }

    public FlowTokenCodec flowTokens() {
        return tokens;
    }

    public ViaBranch viaBranch() {
        return branches;
    }

    /** Every configured backend, all {@code UP} (health probing publishes changes later). */
    public BackendView backendView() {
        return backends;
    }

    /** The first routing snapshot. */
    public RoutingView routingView() {
        return RoutingView.of(backends);
    }

    public Router router(ConnectionLiveness connections) {
        return new Router(routerConfig, tokens, branches, connections);
    }

    public ResponseRouter responseRouter() {
        return new ResponseRouter(local, branches);
    }

    /** The recovery hold-down of a backend back from DOWN: zero when replication is off or it is set to 0s. */
    public java.time.Duration holdDown() {
        return config.routing().replication().effectiveHoldDown();
    }

    /** The health checking policy of the configuration. */
    public HealthPolicy healthPolicy() {
        return healthPolicy(config.health());
    }

    /** lb-config's {@code health:} section onto lb-core's policy (the same keys and defaults). */
    static HealthPolicy healthPolicy(HealthConfig h) {
        return new HealthPolicy(h.enabled(), h.interval(), h.timeout(), h.jitter(), h.rise(), h.fall(),
                ReplyCodes.parse(h.aliveCodes()), h.panicThreshold(), h.maxPassiveEjectShare(),
                h.maxRetryAfter(), h.slowStart());
    }

    /**
     * lb-config's {@code vrrp:} section onto lb-core's parameters, with {@code primary}, the
     * interface's first IPv4 address (looked up by the VRRP speaker: the only part that needs
     * the host); {@code null} when no {@code vrrp:} is configured.
     */
    public VrrpParameters vrrpParameters(InetAddress primary) {
        VrrpConfig v = config.vrrp();
        return v == null ? null : new VrrpParameters(v.vrid(), v.priority(), v.advertIntervalCentis(), v.preempt(),
                requireNonNull(primary, "primary"), v.vips());
    }

    static SipLimits limits(LimitsConfig c) {
        return new SipLimits(c.maxMessageBytes(), c.maxHeaders(), c.maxLineBytes());
    }

    /**
     * The advertised address first, then every listen address that is not a wildcard, then the
     * aliases ({@code host} alone matches any port), and the TLS address ({@link #tlsAdvertise}).
     * Hosts are written as in a SIP URI: IPv6 in brackets (RFC 5118 §4.1), as the core compares them.
     */
    static LocalAddresses localAddresses(SiplbConfig config) {
        HostPort advertise = config.advertise();
        Set<String> others = new LinkedHashSet<>();
        for (ListenAddress listen : config.listen()) {
            if (!listen.wildcard()) {
                others.add(listen.hostPort().toString());
            }
        }
        for (HostPort alias : config.aliases()) {
            others.add(alias.toString());
        }
        LocalAddresses local = LocalAddresses.of(advertise.uriHost(), advertise.port(), others);
        HostPort tls = tlsAdvertise(config);
        return tls == null ? local : local.withTls(tls.uriHost(), tls.port());
    }

    /**
     * What TLS clients are told in their Record-Route entry and our Via: {@code tls.advertise}, else
     * the advertised host with the first {@code tls://} listener's port; null without TLS.
     */
    static HostPort tlsAdvertise(SiplbConfig config) {
        if (config.tls() == null) {
            return null;
        }
        if (config.tls().advertise() != null) {
            return config.tls().advertise();
        }
        for (ListenAddress listen : config.listen()) {
            if (listen.transport() == io.siplb.config.Transport.TLS) {
                return HostPort.of(config.advertise().host(), listen.port());
            }
        }
        return null;
    }

    static List<Backend> backends(List<BackendConfig> configs) {
        List<Backend> backends = new ArrayList<>(configs.size());
        for (BackendConfig b : configs) {
            backends.add(new Backend(b.id(), resolve(b), b.port(), b.transport().name(), b.weight()));
        }
        return backends;
    }

    /** An IP literal as is; a host name resolved once, at start-up (never on an event loop). */
    private static String resolve(BackendConfig b) {
        if (InetAddresses.isInetAddress(b.host())) {
            return b.host();
        }
        try {
            return InetAddresses.toAddrString(InetAddress.getByName(b.host()));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("backends: " + b.id() + ": host '" + b.host()
                    + "' does not resolve (expected: an IP address or a resolvable host name)", e);
        }
    }
}
