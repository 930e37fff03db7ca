package io.siplb.route;

import com.google.common.collect.ImmutableSet;

import java.util.Locale;
import java.util.Set;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

/**
 * The host:port pairs that mean "siplb itself": the advertised address, the listen addresses,
 * the VIP and any configured aliases. A Route or Request-URI naming one of them is ours.
 *
 * <p>Hosts are compared case-insensitively as written; IPv6 hosts are kept with brackets,
 * as they appear in SIP URIs (RFC 5118 §4.1). A URI without a port means 5060 (5061 for sips).
 *
 * <p>TLS clients may reach siplb at another address than the rest (port 5061, or a host name their
 * certificate check accepts): {@link #withTls} sets it, and {@link #advertisedHost(Transport)} /
 * {@link #advertisedPort(Transport)} give the address to write for each transport.
 */
public final class LocalAddresses {

    private final Set<String> hostPorts;
    private final Set<String> hosts;
    private final String advertisedHost;
    private final int advertisedPort;
    private final String tlsHost;
    private final int tlsPort;
    /**
     * The same entries for {@link #isLocal}, which runs for every response and every Route: a
     * handful of them, compared in place (no lower-cased copy, no "host:port" key per call).
     */
    private final String[] hostOfPair;
    private final int[] portOfPair;
    private final String[] anyPortHosts;

    private LocalAddresses(String advertisedHost, int advertisedPort, Set<String> hostPorts, Set<String> hosts,
                           String tlsHost, int tlsPort) {
        this.advertisedHost = advertisedHost;
        this.advertisedPort = advertisedPort;
        this.hostPorts = hostPorts;
        this.hosts = hosts;
        this.tlsHost = tlsHost;
        this.tlsPort = tlsPort;
        this.hostOfPair = new String[hostPorts.size()];
        this.portOfPair = new int[hostPorts.size()];
        int i = 0;
        for (String key : hostPorts) {
            int colon = key.lastIndexOf(':');
            hostOfPair[i] = key.substring(0, colon);
            portOfPair[i++] = Integer.parseInt(key.substring(colon + 1));
        }
        this.anyPortHosts = hosts.toArray(new String[0]);
    }

    /**
     * @param advertisedHost host written into our Via, Record-Route and Path (IPv6 in brackets)
     * @param advertisedPort its port
     * @param others         more "host:port" or "host" entries that are us (listen addresses, VIP, aliases);
     *                       a bare host matches any port
     */
    public static LocalAddresses of(String advertisedHost, int advertisedPort, Iterable<String> others) {
        requireNonNull(advertisedHost, "advertisedHost");
        checkArgument(advertisedPort > 0 && advertisedPort <= 65535,
                "advertisedPort: %s (expected: 1 ~ 65535)", advertisedPort);
        ImmutableSet.Builder<String> hostPorts = ImmutableSet.builder();
        ImmutableSet.Builder<String> hosts = ImmutableSet.builder();
        hostPorts.add(key(advertisedHost, advertisedPort));
        for (String other : others) {
            int portSep = portSeparator(other);
            if (portSep > 0) {
                hostPorts.add(key(other.substring(0, portSep), Integer.parseInt(other.substring(portSep + 1))));
            } else {
                hosts.add(other.toLowerCase(Locale.ROOT));
            }
        }
        String host = advertisedHost.toLowerCase(Locale.ROOT);
        return new LocalAddresses(host, advertisedPort, hostPorts.build(), hosts.build(), host, advertisedPort);
    }

    /**
     * A copy in which TLS clients are told {@code host:port} (the TLS listener, RFC 3261 §19.1.2:
     * 5061 by default), which also counts as local.
     */
    public LocalAddresses withTls(String host, int port) {
        requireNonNull(host, "host");
        checkArgument(port > 0 && port <= 65535, "port: %s (expected: 1 ~ 65535)", port);
        Set<String> withTls = ImmutableSet.<String>builder().addAll(hostPorts).add(key(host, port)).build();
        return new LocalAddresses(advertisedHost, advertisedPort, withTls, hosts, host.toLowerCase(Locale.ROOT), port);
    }

    /** The host written into headers a peer on {@code transport} reads (Record-Route, our Via). */
    public String advertisedHost(Transport transport) {
        return transport == Transport.TLS ? tlsHost : advertisedHost;
    }

    /** The port written next to {@link #advertisedHost(Transport)}. */
    public int advertisedPort(Transport transport) {
        return transport == Transport.TLS ? tlsPort : advertisedPort;
    }

    public String advertisedHost() {
        return advertisedHost;
    }

    public int advertisedPort() {
        return advertisedPort;
    }

    /** "host:port" as written in our headers. */
    public String advertisedHostPort() {
        return advertisedHost + ':' + advertisedPort;
    }

    /**
     * True when {@code host}/{@code port} names siplb.
     *
     * @param port the port, or -1 when the URI or Via gave none (then {@code defaultPort} applies)
     */
    public boolean isLocal(String host, int port, int defaultPort) {
        if (host == null) {
            return false;
        }
        for (String h : anyPortHosts) {
            if (h.equalsIgnoreCase(host)) {
                return true;
            }
        }
        int p = port < 0 ? defaultPort : port;
        for (int i = 0; i < portOfPair.length; i++) {
            // entries are lower case; equalsIgnoreCase compares as toLowerCase(Locale.ROOT) would for host names
            if (portOfPair[i] == p && hostOfPair[i].equalsIgnoreCase(host)) {
                return true;
            }
        }
        return false;
    }

    /** Index of the ':' before a port in "host:port" or "[v6]:port", else -1. */
    private static int portSeparator(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (hostPort.startsWith("[")) {
            return colon > hostPort.indexOf(']') ? colon : -1;
        }
        return colon > 0 && hostPort.indexOf(':') == colon ? colon : -1;
    }

    private static String key(String host, int port) {
        return host.toLowerCase(Locale.ROOT) + ':' + port;
    }

    @Override
    public String toString() {
        return "LocalAddresses" + hostPorts + hosts;
    }
}
