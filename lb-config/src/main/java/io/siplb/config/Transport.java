package io.siplb.config;

import java.util.Locale;

/**
 * A SIP transport as written in the configuration: the scheme of a {@code listen} address
 * ({@code udp://…}) or the {@code transport} parameter of a backend URI.
 *
 * <p>lb-config has its own enum so that it stays independent of lb-core; lb-netty's
 * {@code Assembly} maps it to the core's transport type.
 */
public enum Transport {
    UDP(5060),
    TCP(5060),
    /** TLS over TCP; its default port is 5061 (RFC 3261 §19.1.2, RFC 3263 §4.2). */
    TLS(5061);

    private final int defaultPort;

    Transport(int defaultPort) {
        this.defaultPort = defaultPort;
    }

    /** The port a SIP URI or listen address without a port means on this transport. */
    public int defaultPort() {
        return defaultPort;
    }

    /** The lower-case name used in the configuration ({@code udp}, {@code tcp}, {@code tls}). */
    public String scheme() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Returns the transport named {@code name} (case-insensitive), or {@code null} when none is. */
    static Transport fromName(String name) {
        for (Transport t : values()) {
            if (t.name().equalsIgnoreCase(name)) {
                return t;
            }
        }
        return null;
    }
}
