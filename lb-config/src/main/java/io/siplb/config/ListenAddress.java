package io.siplb.config;

import static java.util.Objects.requireNonNull;

/**
 * One SIP listen address, written {@code transport://host:port} in the configuration:
 * {@code udp://0.0.0.0:5060}, {@code tcp://[::1]:5060}, {@code tls://203.0.113.10:5061}.
 * The port may be left out; it then defaults per transport (5060, or 5061 for TLS,
 * RFC 3261 §19.1.2).
 *
 * <p>{@code host} is canonical and without brackets (see {@link HostPort}); the wildcards
 * {@code 0.0.0.0} and {@code ::} are allowed here, but then {@code advertise} must be set.
 *
 * @param transport how SIP arrives on this address
 * @param host      IP address or host name to bind, canonical, without brackets
 * @param port      1 ~ 65535
 */
public record ListenAddress(Transport transport, String host, int port) {

    private static final String EXPECTED =
            "transport://host:port like udp://0.0.0.0:5060 or udp://[::1]:5060, "
                    + "transport udp, tcp or tls";

    /** Canonicalizes the host and validates; throws {@link IllegalArgumentException}. */
    public ListenAddress {
        requireNonNull(transport, "transport");
        requireNonNull(host, "host");
        HostPort hostPort = new HostPort(host, port);
        host = hostPort.host();
        new FieldChecks()
                .check(port != HostPort.NO_PORT, "port", "%s (expected: 1 ~ 65535)", port)
                .throwIfAny();
    }

    /**
     * Parses {@code udp://host[:port]}, {@code tcp://…} or {@code tls://…}, with brackets
     * around an IPv6 address.
     *
     * @throws IllegalArgumentException saying what was expected
     */
    public static ListenAddress parse(String text) {
        requireNonNull(text, "text");
        int separator = text.indexOf("://");
        if (separator < 0) {
            throw new IllegalArgumentException("'" + text + "' (expected: " + EXPECTED + ")");
        }
        Transport transport = Transport.fromName(text.substring(0, separator));
        if (transport == null) {
            throw new IllegalArgumentException("'" + text + "' has an unknown transport '"
                    + text.substring(0, separator) + "' (expected: udp, tcp or tls)");
        }
        String rest = text.substring(separator + 3);
        HostPort hostPort;
        try {
            hostPort = HostPort.parse(rest, false, EXPECTED, transport.defaultPort());
        } catch (IllegalArgumentException e) {
            // Re-word around the whole address the operator wrote, keeping the specific hint.
            String hint = e.getMessage().substring(e.getMessage().indexOf("(expected:"));
            throw new IllegalArgumentException("'" + text + "' " + hint, e);
        }
        return new ListenAddress(transport, hostPort.host(), hostPort.port());
    }

    /** Whether the host is an IPv6 literal. */
    public boolean ipv6() {
        return Hosts.isIpv6(host);
    }

    /** Whether this binds to every address (0.0.0.0 or ::) rather than one. */
    public boolean wildcard() {
        return Hosts.isWildcard(host);
    }

    /** The host and port, e.g. for the default {@code advertise}. */
    public HostPort hostPort() {
        return new HostPort(host, port);
    }

    /** The configuration form, {@code udp://[::1]:5060}; {@link #parse} reads it back. */
    @Override
    public String toString() {
        return transport.scheme() + "://" + Hosts.uriHost(host) + ":" + port;
    }
}
