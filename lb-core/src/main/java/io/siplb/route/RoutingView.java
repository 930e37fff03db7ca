package io.siplb.route;

import com.google.common.collect.ImmutableMap;
import com.google.common.net.InetAddresses;
import io.siplb.hash.AorHasher;
import io.siplb.hash.Backend;
import io.siplb.hash.BackendView;
import io.siplb.hash.HomeProxySelector;
import io.siplb.sip.header.SipUri;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * One immutable snapshot of what routing needs to know about the backends: their states, the
 * AOR → home proxy selector, and lookups by address (which side a message came from, which
 * backend a Route names). The runtime publishes a new one with a single atomic swap whenever
 * health or configuration changes; a message is routed against one snapshot from start to end.
 */
public final class RoutingView {

    private final HomeProxySelector selector;
    private final Map<String, Backend> byHostPort;
    private final Map<InetAddress, Map<Integer, Backend>> byIp;

    private RoutingView(HomeProxySelector selector) {
        this.selector = selector;
        Map<String, Backend> hostPorts = new HashMap<>();
        Map<InetAddress, Map<Integer, Backend>> ips = new HashMap<>();
        for (Backend b : selector.view().backends()) {
            hostPorts.put(key(b.host(), b.port()), b);
            if (InetAddresses.isInetAddress(b.host())) {
                ips.computeIfAbsent(InetAddresses.forString(b.host()), ip -> new HashMap<>()).put(b.port(), b);
            }
        }
        this.byHostPort = ImmutableMap.copyOf(hostPorts);
        ImmutableMap.Builder<InetAddress, Map<Integer, Backend>> frozen = ImmutableMap.builder();
        ips.forEach((ip, ports) -> frozen.put(ip, ImmutableMap.copyOf(ports)));
        this.byIp = frozen.build();
    }

    public static RoutingView of(BackendView backends) {
        return new RoutingView(HomeProxySelector.rendezvous(requireNonNull(backends, "backends")));
    }

    /** A view over new states or backends, reusing the ranking when only states changed. */
    public RoutingView withBackends(BackendView backends) {
        return new RoutingView(selector.withView(backends));
    }

    public BackendView backends() {
        return selector.view();
    }

    public HomeProxySelector selector() {
        return selector;
    }

    /**
     * Inside when the source is a backend: its address and port for UDP (backends send from the
     * port they listen on), its address alone for TCP/TLS (connections come from any port).
     */
    public Side sideOf(Source source) {
        Map<Integer, Backend> ports = byIp.get(source.remote().getAddress());
        if (ports == null) {
            return Side.OUTSIDE;
        }
        if (source.transport().isStream() || ports.containsKey(source.remote().getPort())) {
            return Side.INSIDE;
        }
        return Side.OUTSIDE;
    }

    /** The backend at {@code address}, or null. */
    public Backend backendAt(InetSocketAddress address) {
        Map<Integer, Backend> ports = byIp.get(address.getAddress());
        return ports == null ? null : ports.get(address.getPort());
    }

    /** The backend a Route URI names (host and port, default 5060), or null. */
    public Backend backendNamed(SipUri uri) {
        if (uri.host() == null) {
            return null;
        }
        int port = uri.port() > 0 ? uri.port() : uri.scheme() == SipUri.Scheme.SIPS ? 5061 : 5060;
        return byHostPort.get(key(NextHop.stripBrackets(uri.host()), port));
    }

    /** The home proxy of a normalised AOR ({@link io.siplb.sip.header.SipUri#aor()}), or null when no backend is up. */
    public Backend select(String aor) {
        return selector.select(AorHasher.fingerprint(aor));
    }

    /**
     * Like {@link #select}, but a draining backend still counts: for traffic that belongs to
     * where the AOR already is (a CANCEL, an ACK).
     */
    public Backend selectExisting(String aor) {
        return selector.selectExisting(AorHasher.fingerprint(aor));
    }

    /** The backend with this id, or null when the view has none. */
    public Backend backendWithId(String id) {
        int i = selector.view().indexOf(id);
        return i < 0 ? null : selector.view().backend(i);
    }

    private static String key(String host, int port) {
        String h = host.toLowerCase(Locale.ROOT);
        if (InetAddresses.isInetAddress(h)) {
            h = InetAddresses.toAddrString(InetAddresses.forString(h)); // one spelling per address
        }
        return h + ':' + port;
    }
}
