package io.siplb.config;

import static java.util.Objects.requireNonNull;

/**
 * A host and an optional port, as in {@code advertise: 203.0.113.10:5060},
 * {@code admin.listen: 127.0.0.1:8080} or an alias ({@code sip.example.com}).
 *
 * <p>{@code host} is canonical and written without brackets: an IP literal in its shortest
 * form ({@code ::1}), or a lower-case host name. {@link #toString()} puts the brackets back
 * ({@code [::1]:5060}). {@code port} is {@link #NO_PORT} when none was written.
 *
 * @param host IP address or host name, canonical, without brackets
 * @param port 1 ~ 65535, or {@link #NO_PORT}
 */
public record HostPort(String host, int port) {

    /** The port of a {@code HostPort} written without one. */
    public static final int NO_PORT = -1;

    /** Canonicalizes {@code host} and validates both parts; throws {@link IllegalArgumentException}. */
    public HostPort {
        requireNonNull(host, "host");
        String stripped = host.length() > 1 && host.startsWith("[") && host.endsWith("]")
                ? host.substring(1, host.length() - 1) : host;
        String canonical = Hosts.canonical(stripped);
        new FieldChecks()
                .check(canonical != null, "host", "'%s' (expected: an IP address or a host name)", host)
                .check(port == NO_PORT || (port >= 1 && port <= 65535), "port",
                        "%s (expected: 1 ~ 65535)", port)
                .throwIfAny();
        host = canonical;
    }

    /** A host with a port. */
    public static HostPort of(String host, int port) {
        return new HostPort(host, port);
    }

    /**
     * Parses {@code host:port}, with brackets around an IPv6 address ({@code [::1]:5060});
     * the port is required.
     *
     * @throws IllegalArgumentException saying what was expected
     */
    public static HostPort parse(String text) {
        return parse(text, true, "host:port like 127.0.0.1:8080 or [::1]:8080", NO_PORT);
    }

    /** Parses {@code host} or {@code host:port}; a missing port is {@link #NO_PORT}. */
    public static HostPort parseWithOptionalPort(String text) {
        return parse(text, false, "host or host:port like 203.0.113.10 or sip.example.com:5060",
                NO_PORT);
    }

    /**
     * The shared {@code host[:port]} parser. {@code expected} is the example put in error
     * messages; {@code defaultPort} is used when the port is absent and not required.
     */
    static HostPort parse(String text, boolean portRequired, String expected, int defaultPort) {
        requireNonNull(text, "text");
        String host;
        String port = null;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0) {
                throw invalid(text, expected);
            }
            host = text.substring(1, close);
            String rest = text.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw invalid(text, expected);
                }
                port = rest.substring(1);
            }
            if (!Hosts.isIpv6(host)) {
                throw invalid(text, "brackets only around an IPv6 address; " + expected);
            }
        } else {
            int colon = text.indexOf(':');
            if (colon >= 0 && text.indexOf(':', colon + 1) >= 0) {
                throw invalid(text, "brackets around an IPv6 address, like [::1]:5060");
            }
            host = colon < 0 ? text : text.substring(0, colon);
            port = colon < 0 ? null : text.substring(colon + 1);
        }
        String canonical = Hosts.canonical(host);
        if (canonical == null) {
            throw invalid(text, expected);
        }
        int portNumber;
        if (port == null) {
            if (portRequired) {
                throw new IllegalArgumentException(
                        "'" + text + "' has no port (expected: " + expected + ")");
            }
            portNumber = defaultPort;
        } else {
            portNumber = parsePort(port);
            if (portNumber < 0) {
                throw new IllegalArgumentException(
                        "'" + text + "' has an invalid port (expected: " + expected
                                + ", port 1 ~ 65535)");
            }
        }
        return new HostPort(canonical, portNumber);
    }

    /** 1 ~ 65535 in decimal digits, or -1. */
    private static int parsePort(String digits) {
        if (digits.isEmpty() || digits.length() > 5) {
            return -1;
        }
        for (int i = 0; i < digits.length(); i++) {
            if (digits.charAt(i) < '0' || digits.charAt(i) > '9') {
                return -1;
            }
        }
        int port = Integer.parseInt(digits);
        return port >= 1 && port <= 65535 ? port : -1;
    }

    private static IllegalArgumentException invalid(String text, String expected) {
        return new IllegalArgumentException("'" + text + "' (expected: " + expected + ")");
    }

    /** Whether a port was given. */
    public boolean hasPort() {
        return port != NO_PORT;
    }

    /** Whether the host is an IPv6 literal. */
    public boolean ipv6() {
        return Hosts.isIpv6(host);
    }

    /** The host as written in a URI or Via: IPv6 literals in brackets. */
    public String uriHost() {
        return Hosts.uriHost(host);
    }

    /** A copy with another port. */
    public HostPort withPort(int port) {
        return new HostPort(host, port);
    }

    /** {@code host:port} ({@code [::1]:5060} for IPv6), or just the host when there is no port. */
    @Override
    public String toString() {
        return hasPort() ? uriHost() + ":" + port : uriHost();
    }
}
