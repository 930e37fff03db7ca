package io.siplb.config;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Flood protection and connection limits: the part of {@code limits:} that is about peers rather
 * than single messages. lb-netty's {@code io.siplb.netty.guard} enforces it on traffic from
 * outside (a configured backend is never limited).
 *
 * <table>
 *   <caption>flood-protection keys (under {@code limits:})</caption>
 *   <tr><th>key</th><th>default</th><th>what happens when exceeded</th></tr>
 *   <tr><td>max-connections</td><td>{@value #DEFAULT_MAX_CONNECTIONS}</td><td>a new TCP/TLS
 *       connection beyond this many open client connections is closed at once; counted</td></tr>
 *   <tr><td>max-connections-per-source</td><td>{@value #DEFAULT_MAX_CONNECTIONS_PER_SOURCE}</td>
 *       <td>the same, per source IP address</td></tr>
 *   <tr><td>idle-timeout</td><td>15m</td><td>a client connection that carries nothing (not even a
 *       CRLF keep-alive, RFC 5626 §4.4.1) for this long is closed; counted. {@code 0s}: never</td></tr>
 *   <tr><td>handshake-timeout</td><td>10s</td><td>a TLS connection whose handshake has not
 *       finished by then is closed; counted</td></tr>
 *   <tr><td>rate</td><td>{@value #DEFAULT_RATE}</td><td>messages per second one source IP address
 *       (an IPv6 /64) may send on average; 0 turns rate limiting off. Beyond it (after a burst
 *       of {@code burst}): over UDP the message is dropped (answering would amplify a flood with
 *       spoofed sources), over TCP/TLS a request is answered 503 with Retry-After; counted</td></tr>
 *   <tr><td>burst</td><td>{@value #DEFAULT_BURST}</td><td>messages a source may send at once
 *       above the rate</td></tr>
 *   <tr><td>ban-after</td><td>{@value #DEFAULT_BAN_AFTER}</td><td>a source whose messages are
 *       refused this many times in a row is banned: everything from it is dropped (and its
 *       connections closed) until {@code ban-duration} has passed; counted</td></tr>
 *   <tr><td>ban-duration</td><td>60s</td><td>how long a ban lasts; it expires by itself</td></tr>
 *   <tr><td>tracked-sources</td><td>{@value #DEFAULT_TRACKED_SOURCES}</td><td>slots of the
 *       fixed-size table that holds the sources' rate state (about 28 bytes each); the memory is
 *       bounded whatever the number of sources: when the table is full the least recently seen
 *       unbanned source gives way</td></tr>
 *   <tr><td>scanner-user-agents</td><td>friendly-scanner, sipvicious, …</td><td>a request whose
 *       User-Agent contains one of these (case-insensitive) is dropped silently and counted;
 *       {@code []} turns the check off</td></tr>
 * </table>
 */
public record GuardConfig(
        int maxConnections,
        int maxConnectionsPerSource,
        Duration idleTimeout,
        Duration handshakeTimeout,
        int rate,
        int burst,
        int banAfter,
        Duration banDuration,
        int trackedSources,
        List<String> scannerUserAgents) {

    public static final int DEFAULT_MAX_CONNECTIONS = 10_000;
    public static final int DEFAULT_MAX_CONNECTIONS_PER_SOURCE = 64;
    /** Above RFC 5626's keep-alive interval for connection-oriented transports. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(15);
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);
    /**
     * Generous: one source address may be a NAT with many phones behind it, which all
     * re-REGISTER at once after a failover.
     */
    public static final int DEFAULT_RATE = 200;
    public static final int DEFAULT_BURST = 400;
    public static final int DEFAULT_BAN_AFTER = 1000;
    public static final Duration DEFAULT_BAN_DURATION = Duration.ofSeconds(60);
    public static final int DEFAULT_TRACKED_SOURCES = 65_536;
    public static final int MIN_TRACKED_SOURCES = 64;
    public static final int MAX_TRACKED_SOURCES = 1 << 24;
    /** Tools that scan the Internet for SIP servers and guess passwords; none is a real phone. */
    public static final List<String> DEFAULT_SCANNER_USER_AGENTS = List.of(
            "friendly-scanner", "sipvicious", "sipcli", "vaxsipuseragent", "sip-scan", "sipscan", "iwar",
            "sundayddr", "pplsip", "smap", "sipptk");

    /** Every key at its default. */
    public static final GuardConfig DEFAULTS = new GuardConfig(DEFAULT_MAX_CONNECTIONS,
            DEFAULT_MAX_CONNECTIONS_PER_SOURCE, DEFAULT_IDLE_TIMEOUT, DEFAULT_HANDSHAKE_TIMEOUT, DEFAULT_RATE,
            DEFAULT_BURST, DEFAULT_BAN_AFTER, DEFAULT_BAN_DURATION, DEFAULT_TRACKED_SOURCES,
            DEFAULT_SCANNER_USER_AGENTS);

    /** Applies defaults for null durations and lists, lower-cases the user agents, validates. */
    public GuardConfig {
        idleTimeout = idleTimeout == null ? DEFAULT_IDLE_TIMEOUT : idleTimeout;
        handshakeTimeout = handshakeTimeout == null ? DEFAULT_HANDSHAKE_TIMEOUT : handshakeTimeout;
        banDuration = banDuration == null ? DEFAULT_BAN_DURATION : banDuration;
        scannerUserAgents = scannerUserAgents == null ? DEFAULT_SCANNER_USER_AGENTS
                : scannerUserAgents.stream().map(s -> s.toLowerCase(Locale.ROOT)).toList();
        FieldChecks checks = new FieldChecks()
                .check(maxConnections >= 1, "max-connections", "%s (expected: >= 1)", maxConnections)
                .check(maxConnectionsPerSource >= 1 && maxConnectionsPerSource <= maxConnections,
                        "max-connections-per-source", "%s (expected: 1 ~ max-connections %s)",
                        maxConnectionsPerSource, maxConnections)
                .check(!idleTimeout.isNegative(), "idle-timeout", "%s (expected: >= 0s)", Durations.format(idleTimeout))
                .check(handshakeTimeout.compareTo(Duration.ofMillis(100)) >= 0, "handshake-timeout",
                        "%s (expected: >= 100ms)", Durations.format(handshakeTimeout))
                .check(rate >= 0, "rate", "%s (expected: >= 0; 0 turns rate limiting off)", rate)
                .check(burst >= 1, "burst", "%s (expected: >= 1)", burst)
                .check(banAfter >= 1, "ban-after", "%s (expected: >= 1)", banAfter)
                .check(!banDuration.isNegative(), "ban-duration", "%s (expected: >= 0s)", Durations.format(banDuration))
                .check(trackedSources >= MIN_TRACKED_SOURCES && trackedSources <= MAX_TRACKED_SOURCES,
                        "tracked-sources", "%s (expected: %s ~ %s)", trackedSources, MIN_TRACKED_SOURCES,
                        MAX_TRACKED_SOURCES);
        for (String ua : scannerUserAgents) {
            checks.check(!ua.isBlank() && ua.chars().allMatch(c -> c >= 0x20 && c < 0x7f), "scanner-user-agents",
                    "'%s' (expected: printable ASCII, not blank)", ua);
        }
        checks.throwIfAny();
        scannerUserAgents = List.copyOf(scannerUserAgents);
    }

    /** Whether rate limiting is on. */
    public boolean rateLimited() {
        return rate > 0;
    }
}
