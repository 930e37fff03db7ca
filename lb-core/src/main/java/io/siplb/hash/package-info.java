/**
 * Consistent hashing of AORs to home proxies (DESIGN "Consistent hashing").
 *
 * <p>{@link io.siplb.hash.AorHasher} turns a normalised AOR into a pinned 64-bit fingerprint;
 * {@link io.siplb.hash.BackendView} is an immutable snapshot of the backends and their
 * {@link io.siplb.hash.BackendState}s; {@link io.siplb.hash.HomeProxySelector#rendezvous}
 * builds the bucketed weighted rendezvous table that maps one to the other. The health side
 * publishes a new view, the routing side derives a selector from it with
 * {@link io.siplb.hash.HomeProxySelector#withView} and swaps it in atomically.
 */
package io.siplb.hash;
