package io.siplb.route;

import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;
import com.google.common.net.InetAddresses;
import io.siplb.hash.AorHasher;
import io.siplb.hash.Backend;
import io.siplb.hash.BackendView;
import io.siplb.hash.HomeProxySelector;
import io.siplb.sip.header.SipUri;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * One immutable snapshot of what routing needs to know about the backends: their states, the
 * AOR → home proxy selector, and lookups by address (which side a message came from, which
 * backend a Route names). The runtime publishes a new one with a single atomic swap whenever
 * health or configuration changes; a message is routed against one snapshot from start to end.
 *
 * <p>It also names the backends in <em>recovery hold-down</em> (DESIGN "Home-proxy failure"): a
 * home proxy that came back from DOWN takes REGISTERs at once, but terminating requests for its
 * users keep going to their next choice until the hold-down ends, because a restarted registrar
 * knows nobody until its users have registered again. The runtime decides when a hold-down
 * starts and ends (it owns the clock); the view only carries the ids.
 */
public final class RoutingView {

    private final HomeProxySelector selector;
    /** Backends by host (lower case; an IP literal in its one canonical spelling), then port. */
    private final Map<String, HostBackends> byHost;
    /** Backends by IP, then port: which side a message came from. */
    private final Map<InetAddress, HostBackends> byIp;
    /** Where each backend (by id) is sent to: built once per view, not once per message. */
    private final Map<String, Target> targetById;
    private final Set<String> heldDown;

    private RoutingView(HomeProxySelector selector, Set<String> heldDown) {
        this.selector = selector;
        this.heldDown = heldDown;
        Map<String, Map<Integer, Backend>> hosts = new HashMap<>();
        Map<InetAddress, Map<Integer, Backend>> ips = new HashMap<>();
        Map<String, Target> targets = new HashMap<>();
        for (Backend b : selector.view().backends()) {
            hosts.computeIfAbsent(canonicalHost(b.host()), any -> new HashMap<>()).put(b.port(), b);
            if (InetAddresses.isInetAddress(b.host())) {
                InetAddress ip = InetAddresses.forString(b.host());
                ips.computeIfAbsent(ip, any -> new HashMap<>()).put(b.port(), b);
                targets.put(b.id(), new Target(Transport.valueOf(b.transport()), new InetSocketAddress(ip, b.port()), 0));
            }
        }
        ImmutableMap.Builder<String, HostBackends> byHost = ImmutableMap.builder();
        hosts.forEach((host, ports) -> byHost.put(host, new HostBackends(ports)));
        this.byHost = byHost.build();
        this.targetById = ImmutableMap.copyOf(targets);
        ImmutableMap.Builder<InetAddress, HostBackends> frozen = ImmutableMap.builder();
        ips.forEach((ip, ports) -> frozen.put(ip, new HostBackends(ports)));
        this.byIp = frozen.build();
    }

    public static RoutingView of(BackendView backends) {
        return new RoutingView(HomeProxySelector.rendezvous(requireNonNull(backends, "backends")), Set.of());
    }

    /**
     * A view over new states or backends, reusing the ranking when only states changed; the
     * hold-downs stay.
     */
    public RoutingView withBackends(BackendView backends) {
        return new RoutingView(selector.withView(backends), heldDown);
    }

    /** The same view with these backends (ids) in recovery hold-down; ids not in the view are harmless. */
    public RoutingView withHeldDown(Set<String> backendIds) {
        Set<String> ids = ImmutableSet.copyOf(backendIds);
        return ids.equals(heldDown) ? this : new RoutingView(selector, ids);
    }

    /** The backends (ids) in recovery hold-down. */
    public Set<String> heldDown() {
        return heldDown;
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
        HostBackends ports = byIp.get(source.remote().getAddress());
        if (ports == null) {
            return Side.OUTSIDE;
        }
        if (source.transport().isStream() || ports.at(source.remote().getPort()) != null) {
            return Side.INSIDE;
        }
        return Side.OUTSIDE;
    }

    /**
     * Where a request for {@code backend} goes: its transport and address, on any connection.
     * The runtime resolves host names at start, so every backend of a view has an IP literal.
     */
    public Target targetOf(Backend backend) {
        Target target = targetById.get(backend.id());
        if (target == null) {
            throw new IllegalArgumentException("backend " + backend.id() + ": host '" + backend.host()
                    + "' (expected: an IP literal in this view)");
        }
        return target;
    }

    /** The backend at {@code address}, or null. */
    public Backend backendAt(InetSocketAddress address) {
        HostBackends ports = byIp.get(address.getAddress());
        return ports == null ? null : ports.at(address.getPort());
    }

    /** The backend a Route URI names (host and port, default 5060), or null. */
    public Backend backendNamed(SipUri uri) {
        if (uri.host() == null) {
            return null;
        }
        int port = uri.port() > 0 ? uri.port() : uri.scheme() == SipUri.Scheme.SIPS ? 5061 : 5060;
        String host = NextHop.stripBrackets(uri.host()).toLowerCase(Locale.ROOT); // no copy when already lower case
        // every in-dialog request from a client asks: look the host up as written first, which
        // is how a backend's own Record-Route writes it, and spell an IP literal the one
        // canonical way (a new string) only when that misses
        HostBackends named = byHost.get(host);
        if (named == null && InetAddresses.isInetAddress(host)) {
            named = byHost.get(InetAddresses.toAddrString(InetAddresses.forString(host)));
        }
        return named == null ? null : named.at(port);
    }

    /** The home proxy of a normalised AOR ({@link io.siplb.sip.header.SipUri#aor()}), or null when no backend is up. */
    public Backend select(String aor) {
        return selector.select(AorHasher.fingerprint(aor));
    }

    /**
     * The AOR's second choice, where a REGISTER replica goes: the backend that would become its
     * home if the home went down; {@code null} when fewer than two backends are up.
     */
    public Backend secondChoice(String aor) {
        return selector.select(AorHasher.fingerprint(aor), 1);
    }

    /**
     * The backend for a terminating request (one routed by its Request-URI): the home proxy,
     * unless it is in recovery hold-down; then the AOR's next choice that is not, which has its
     * registration as a replica or from a REGISTER during the outage. When every backend that
     * is up is held down, the home.
     */
    public Backend selectTerminating(String aor) {
        long hash = AorHasher.fingerprint(aor);
        Backend home = selector.select(hash);
        if (home == null || !heldDown.contains(home.id())) {
            return home;
        }
        for (int rank = 1; ; rank++) { // ends: select returns null past the last backend up
            Backend next = selector.select(hash, rank);
            if (next == null) {
                return home;
            }
            if (!heldDown.contains(next.id())) {
                return next;
            }
        }
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

    private static String canonicalHost(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (InetAddresses.isInetAddress(h)) {
            h = InetAddresses.toAddrString(InetAddresses.forString(h)); // one spelling per address
        }
        return h;
    }

    /** The backends of one host or IP, by port: sorted ports, searched without boxing. */
    private static final class HostBackends {
        private final int[] ports;
        private final Backend[] backends;

        HostBackends(Map<Integer, Backend> byPort) {
            ports = byPort.keySet().stream().mapToInt(Integer::intValue).sorted().toArray();
            backends = new Backend[ports.length];
            for (int i = 0; i < ports.length; i++) {
                backends[i] = byPort.get(ports[i]);
            }
        }

        Backend at(int port) {
            int i = Arrays.binarySearch(ports, port);
            return i >= 0 ? backends[i] : null;
        }
    }
}
