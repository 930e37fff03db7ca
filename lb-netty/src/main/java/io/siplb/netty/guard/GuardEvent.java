package io.siplb.netty.guard;

/** What flood protection did; the {@code event} label of {@code siplb_guard_events_total}. */
public enum GuardEvent {
    /** A client connection closed at once: its source already has {@code max-connections-per-source}. */
    CONNECTION_REFUSED_PER_SOURCE,
    /** A client connection closed at once: {@code max-connections} client connections are open. */
    CONNECTION_REFUSED_TOTAL,
    /** A client connection closed at once: its source is banned. */
    CONNECTION_REFUSED_BANNED,
    /** A client connection closed after {@code idle-timeout} without a byte. */
    IDLE_CLOSED,
    /** A TLS connection closed because its handshake did not finish within {@code handshake-timeout}. */
    HANDSHAKE_TIMEOUT,
    /** A datagram dropped: its source is over its rate. */
    RATE_LIMITED_DROPPED,
    /** A request over TCP/TLS answered 503 with Retry-After: its source is over its rate. */
    RATE_LIMITED_ANSWERED,
    /** A source banned (refused {@code ban-after} times in a row). */
    BANNED,
    /** A message dropped (or its connection closed) because its source is banned. */
    BANNED_DROPPED,
    /** A request from a scanner (its User-Agent is in {@code scanner-user-agents}) dropped silently. */
    SCANNER_DROPPED,
    /**
     * A datagram dropped before parsing because siplb is behind and its source is not one a
     * backend accepted lately (a flood from many sources, see {@link Guard}).
     */
    OVERLOAD_DROPPED
}
