package io.siplb.health;

/**
 * Evidence about a backend seen on ordinary traffic (or on a probe's own connection), not on
 * a probe reply. Each one makes an up backend {@link HealthState#SUSPECT} at once, within the
 * {@link HealthPolicy#maxPassiveEjectShare() ejection limit}, and asks for an immediate probe;
 * the probe decides.
 */
public enum PassiveSignal {
    /** ICMP destination unreachable, port unreachable (type 3 code 3; ICMPv6 type 1 code 4) for a UDP send. */
    PORT_UNREACHABLE("ICMP port unreachable"),
    /** ICMP host or network unreachable (type 3 code 0/1; ICMPv6 type 1 code 0/3). */
    HOST_UNREACHABLE("ICMP host unreachable"),
    /** A TCP or TLS connect answered with RST. */
    CONNECTION_REFUSED("connection refused"),
    /** An established TCP or TLS connection reset by the backend. */
    CONNECTION_RESET("connection reset"),
    /** A TCP connect that got no answer within the connect timeout. */
    CONNECT_TIMEOUT("connect timed out");

    private final String description;

    PassiveSignal(String description) {
        this.description = description;
    }

    /** For the log line: {@code "ICMP port unreachable"}. */
    public String description() {
        return description;
    }
}
