package io.siplb.hash;

import java.util.List;

/**
 * Chooses an AOR's home proxy: maps an {@link AorHasher} fingerprint to a backend of a
 * {@link BackendView}, consistently.
 *
 * <p>What an implementation guarantees (tested by {@code HomeProxySelectorContract}):
 * <ul>
 *   <li><b>Same input, same answer, on every node</b>: the mapping depends only on the set of
 *       (id, weight) pairs and the states, not on the order backends were listed in, the
 *       addresses, the JVM or the CPU. Both nodes of a VRRP pair therefore agree, which is what
 *       makes a takeover lossless (DESIGN principle 1).
 *   <li><b>Minimal disruption</b>: when a backend stops being eligible, only the AORs it had
 *       move, and they spread over the others in proportion to weight instead of piling onto a
 *       neighbour; when it becomes eligible again, exactly those AORs return.
 *   <li><b>Rank</b>: {@code select(h, 1)} is the AOR's second choice, the backend that would
 *       take it if its home went down. REGISTER replication sends a copy there (DESIGN "Home-proxy
 *       failure"), so the second choice already knows the user when it has to take over.
 *   <li><b>Cheap</b>: the single-choice lookups allocate nothing and take tens of nanoseconds.
 * </ul>
 *
 * <p>Implementations are immutable and thread-safe; a state change produces a new selector
 * through {@link #withView(BackendView)}, to be published with one atomic swap.
 */
public interface HomeProxySelector {

    /**
     * A bucketed weighted rendezvous (highest-random-weight) table over {@code view}; see
     * {@code RendezvousTable} for the layout and its costs.
     */
    static HomeProxySelector rendezvous(BackendView view) {
        return RendezvousTable.build(view);
    }

    /** The view this selector answers for. */
    BackendView view();

    /**
     * The home proxy of an AOR: its first choice that is {@link BackendState#UP UP}, or
     * {@code null} when none is (the caller answers 503).
     */
    default Backend select(long aorHash) {
        return select(aorHash, 0);
    }

    /**
     * The AOR's {@code rank}-th choice among the backends that are {@link BackendState#UP UP}
     * (0 = home, 1 = the one that would take over from it, ...), or {@code null} when fewer
     * than {@code rank + 1} are up. Different ranks of one AOR are different backends.
     *
     * @throws IllegalArgumentException when {@code rank < 0}
     */
    Backend select(long aorHash, int rank);

    /**
     * Like {@link #select(long)}, but a {@link BackendState#DRAINING DRAINING} backend still
     * counts: for traffic that belongs to where the AOR already is (a CANCEL or ACK whose INVITE
     * went there, a terminating request for a user still registered there), not for a new
     * assignment.
     */
    default Backend selectExisting(long aorHash) {
        return selectExisting(aorHash, 0);
    }

    /** Like {@link #select(long, int)}, counting {@link BackendState#DRAINING DRAINING} backends. */
    Backend selectExisting(long aorHash, int rank);

    /**
     * Every backend in the AOR's preference order, whatever its state. For diagnostics
     * ({@code siplb hash}, the admin API) and tests: it allocates and is slow.
     */
    List<Backend> preferenceList(long aorHash);

    /**
     * A selector for {@code view}. When only states (or addresses) changed, the ranking is
     * reused and this is cheap; a change of ids or weights builds a new ranking.
     */
    HomeProxySelector withView(BackendView view);
}
