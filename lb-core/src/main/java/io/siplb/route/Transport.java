package io.siplb.route;

/**
 * The transports siplb speaks. Names are the upper-case Via transport tokens
 * (RFC 3261 §20.42), so {@code Transport.valueOf(via.transport())} works for them.
 */
public enum Transport {
    UDP,
    TCP,
    TLS;

    /** True for connection-oriented transports, whose flows name a connection. */
    public boolean isStream() {
        return this != UDP;
    }

    /** The transport for a Via token, or {@code null} when siplb does not speak it (SCTP, WS, ...). */
    public static Transport fromToken(String token) {
        if (token == null) {
            return null;
        }
        switch (token.length()) {
            case 3:
                if (token.equalsIgnoreCase("UDP")) {
                    return UDP;
                }
                if (token.equalsIgnoreCase("TCP")) {
                    return TCP;
                }
                if (token.equalsIgnoreCase("TLS")) {
                    return TLS;
                }
                return null;
            default:
                return null;
        }
    }
}
