package io.siplb.route;

/**
 * Tells the pure router whether a client's TCP/TLS connection still exists, so that a request
 * for a vanished flow gets 430 Flow Failed (RFC 5626 §5.3) instead of being sent nowhere.
 * The runtime's connection table implements it; tests pass a lambda.
 */
@FunctionalInterface
public interface ConnectionLiveness {

    /** Every connection counts as open: for tests and UDP-only setups. */
    ConnectionLiveness ALWAYS_OPEN = id -> true;

    boolean isOpen(long connectionId);
}
