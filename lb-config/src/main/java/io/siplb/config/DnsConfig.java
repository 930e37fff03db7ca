package io.siplb.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How siplb resolves DNS SRV backends ({@code dns:} in the configuration; used only when a
 * backend entry is {@code srv:}).
 *
 * <table>
 *   <caption>dns keys</caption>
 *   <tr><th>key</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>servers</td><td>[] = the system's ({@code /etc/resolv.conf})</td><td>name servers
 *       to ask, {@code host} or {@code host:port} (port 53 when absent), tried in order</td></tr>
 *   <tr><td>min-ttl</td><td>5s</td><td>floor of the refresh interval (1s ~ 1h): a record with a
 *       shorter TTL is asked for again after this long, not sooner</td></tr>
 *   <tr><td>max-ttl</td><td>1h</td><td>cap of the refresh interval ({@code min-ttl} ~ 1d)</td></tr>
 *   <tr><td>timeout</td><td>5s</td><td>one query without an answer fails after this long
 *       (100ms ~ 1m)</td></tr>
 * </table>
 *
 * @param servers name servers with their ports; empty = the system's
 */
public record DnsConfig(List<HostPort> servers, Duration minTtl, Duration maxTtl, Duration timeout) {

    /** The port of a server written without one. */
    public static final int DEFAULT_PORT = 53;
    public static final Duration DEFAULT_MIN_TTL = Duration.ofSeconds(5);
    public static final Duration DEFAULT_MAX_TTL = Duration.ofHours(1);
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    /** The system's name servers, default TTL bounds and timeout. */
    public static final DnsConfig DEFAULTS = new DnsConfig(List.of(), null, null, null);

    /** Applies defaults (port 53, the durations) and validates. */
    public DnsConfig {
        List<HostPort> withPorts = new ArrayList<>();
        String notIp = null;
        if (servers != null) {
            for (HostPort s : servers) {
                withPorts.add(s.hasPort() ? s : HostPort.of(s.host(), DEFAULT_PORT));
                if (notIp == null && !com.google.common.net.InetAddresses.isInetAddress(s.host().replaceFirst("%.*", ""))) {
                    notIp = s.host();
                }
            }
        }
        servers = List.copyOf(withPorts);
        minTtl = minTtl == null ? DEFAULT_MIN_TTL : minTtl;
        maxTtl = maxTtl == null ? DEFAULT_MAX_TTL : maxTtl;
        timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
        boolean minOk = minTtl.compareTo(Duration.ofSeconds(1)) >= 0 && minTtl.compareTo(Duration.ofHours(1)) <= 0;
        new FieldChecks()
                .check(notIp == null, "servers", "'%s' (expected: IP addresses of name servers)", notIp)
                .check(minOk, "min-ttl", "%s (expected: 1s ~ 1h)", Durations.format(minTtl))
                .check(!minOk || (maxTtl.compareTo(minTtl) >= 0 && maxTtl.compareTo(Duration.ofDays(1)) <= 0),
                        "max-ttl", "%s (expected: min-ttl (%s) ~ 1d)", Durations.format(maxTtl),
                        Durations.format(minTtl))
                .check(timeout.compareTo(Duration.ofMillis(100)) >= 0 && timeout.compareTo(Duration.ofMinutes(1)) <= 0,
                        "timeout", "%s (expected: 100ms ~ 1m)", Durations.format(timeout))
                .throwIfAny();
    }

    /** A server as written: {@code host} or {@code host:port}, IPv6 in brackets. */
    public static HostPort server(String text) {
        HostPort hp = HostPort.parseWithOptionalPort(text);
        if (!com.google.common.net.InetAddresses.isInetAddress(hp.host().replaceFirst("%.*", ""))) {
            throw new IllegalArgumentException("'" + text
                    + "' (expected: an IP address with an optional port, like 127.0.0.1:5353 or [::1]:53)");
        }
        return hp;
    }
}
