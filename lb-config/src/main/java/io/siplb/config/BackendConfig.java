package io.siplb.config;

import static java.util.Objects.requireNonNull;

import java.util.Locale;

/**
 * One home proxy that siplb balances over ({@code backends[]} in the configuration):
 *
 * <pre>{@code
 * backends:
 *   - id: a
 *     uri: sip:10.0.0.11:5060;transport=tcp
 *     weight: 1
 * }</pre>
 *
 * <p>The {@code id} names the backend in metrics, logs and the admin API, and is what
 * consistent hashing keys on, so that changing a backend's address does not move its users.
 * The URI is parsed into host, port and transport ({@code sip:host[:port][;transport=udp|tcp|tls]},
 * no user part, no other parameters); the port defaults to 5060 (5061 with
 * {@code transport=tls}, RFC 3261 §19.1.2) and the transport to UDP.
 *
 * @param id        1 ~ 64 characters of letters, digits, {@code .}, {@code _}, {@code -},
 *                  starting with a letter or digit
 * @param host      IP address or host name, canonical, without brackets
 * @param port      1 ~ 65535
 * @param transport how siplb sends to this backend
 * @param weight    share of users relative to the other backends, 1 ~ {@value #MAX_WEIGHT}
 */
public record BackendConfig(String id, String host, int port, Transport transport, int weight) {

    /** Weight of a backend whose configuration gives none. */
    public static final int DEFAULT_WEIGHT = 1;
    /** Largest weight; a 1000:1 ratio between two backends is far more than anyone needs. */
    public static final int MAX_WEIGHT = 1000;

    private static final String EXPECTED_URI = "sip:host[:port][;transport=udp|tcp|tls]";

    /** Validates; throws {@link IllegalArgumentException} listing every broken rule. */
    public BackendConfig {
        requireNonNull(id, "id");
        requireNonNull(host, "host");
        requireNonNull(transport, "transport");
        HostPort hostPort = new HostPort(host, port);
        host = hostPort.host();
        new FieldChecks()
                .check(validId(id), "id",
                        "'%s' (expected: 1 ~ 64 letters, digits, '.', '_' or '-', "
                                + "starting with a letter or digit)", id)
                .check(port != HostPort.NO_PORT, "port", "%s (expected: 1 ~ 65535)", port)
                .check(weight >= 1 && weight <= MAX_WEIGHT, "weight",
                        "%s (expected: 1 ~ %s)", weight, MAX_WEIGHT)
                .throwIfAny();
    }

    /** A backend with the default weight; see {@link #of(String, String, int)}. */
    public static BackendConfig of(String id, String uri) {
        return of(id, uri, DEFAULT_WEIGHT);
    }

    /**
     * A backend from its id, its SIP URI as written in the configuration, and its weight.
     *
     * @throws IllegalArgumentException when the URI or another field is invalid
     */
    public static BackendConfig of(String id, String uri, int weight) {
        SipTarget target = parseUri(uri);
        return new BackendConfig(id, target.host(), target.port(), target.transport(), weight);
    }

    /** A copy with another weight. */
    public BackendConfig withWeight(int weight) {
        return new BackendConfig(id, host, port, transport, weight);
    }

    /** The address as a {@code HostPort}. */
    public HostPort hostPort() {
        return new HostPort(host, port);
    }

    /**
     * The canonical URI, {@code sip:10.0.0.11:5060;transport=tcp}: always with the port, and
     * with the transport parameter unless it is UDP.
     */
    public String uri() {
        return "sip:" + Hosts.uriHost(host) + ":" + port
                + (transport == Transport.UDP ? "" : ";transport=" + transport.scheme());
    }

    /** The parts of a backend URI. */
    record SipTarget(String host, int port, Transport transport) {}

    /**
     * The tiny SIP URI parse of a backend: {@code sip:host[:port][;transport=udp|tcp|tls]}
     * (scheme and parameter names case-insensitive, RFC 3261 §19.1.4).
     */
    static SipTarget parseUri(String uri) {
        requireNonNull(uri, "uri");
        if (!uri.regionMatches(true, 0, "sip:", 0, 4)) {
            throw new IllegalArgumentException("'" + uri + "' (expected: " + EXPECTED_URI + ")");
        }
        String rest = uri.substring(4);
        if (rest.indexOf('@') >= 0) {
            throw new IllegalArgumentException(
                    "'" + uri + "' has a user part (expected: " + EXPECTED_URI + ")");
        }
        String[] parts = rest.split(";", -1);
        Transport transport = Transport.UDP;
        for (int i = 1; i < parts.length; i++) {
            String param = parts[i];
            int eq = param.indexOf('=');
            String name = eq < 0 ? param : param.substring(0, eq);
            if (!name.equalsIgnoreCase("transport") || eq < 0) {
                throw new IllegalArgumentException("'" + uri + "' has an unsupported parameter '"
                        + param + "' (expected: " + EXPECTED_URI + ")");
            }
            transport = Transport.fromName(param.substring(eq + 1).toLowerCase(Locale.ROOT));
            if (transport == null) {
                throw new IllegalArgumentException("'" + uri + "' has an unknown transport '"
                        + param.substring(eq + 1) + "' (expected: udp, tcp or tls)");
            }
        }
        HostPort hostPort;
        try {
            hostPort = HostPort.parse(parts[0], false, EXPECTED_URI, transport.defaultPort());
        } catch (IllegalArgumentException e) {
            String hint = e.getMessage().substring(e.getMessage().indexOf("(expected:"));
            throw new IllegalArgumentException("'" + uri + "' " + hint, e);
        }
        return new SipTarget(hostPort.host(), hostPort.port(), transport);
    }

    private static boolean validId(String id) {
        if (id.isEmpty() || id.length() > 64 || !Character.isLetterOrDigit(id.charAt(0))) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
