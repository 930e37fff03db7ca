package io.siplb.route;

/**
 * What to do with one message: the value {@link Router} and {@link ResponseRouter} return.
 * The pipeline carries it out and knows nothing else about SIP routing.
 */
public sealed interface Decision permits Forward, Replicate, Respond, Drop {}
