package io.siplb.route;

/** Why a message was dropped; the metric label. */
public enum DropReason {
    /** Could not be parsed well enough to answer. */
    MALFORMED,
    /** A response whose top Via is not one siplb wrote (RFC 3261 §16.7: not ours to forward). */
    NOT_OUR_VIA,
    /** A response with our Via but nothing below it. */
    NO_NEXT_HOP,
    /** A response whose next hop is not an address siplb may send to (broadcast, unspecified). */
    BAD_NEXT_HOP,
    /** The next hop's transport is one siplb does not speak. */
    UNSUPPORTED_TRANSPORT,
    /** A response for a TCP/TLS flow whose connection is gone. */
    FLOW_GONE,
    /** An ACK for a response siplb generated itself: it ends there (RFC 3261 §17.2.1). */
    ACK_FOR_LOCAL_RESPONSE,
    /** A request that would be answered with an error, but it is an ACK, which is never answered. */
    ACK_NOT_ROUTABLE,
    /** An invalid message that is a response: responses are never answered. */
    INVALID_RESPONSE,
    /**
     * The response to a REGISTER replica (the copy for the AOR's second choice): it ends at
     * siplb, the client gets the home proxy's answer only. Not a fault; a non-2xx final one is
     * counted as a replica failure as well.
     */
    REPLICA_RESPONSE
}
