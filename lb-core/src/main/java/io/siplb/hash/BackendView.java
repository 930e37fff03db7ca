package io.siplb.hash;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * An immutable snapshot of the backends and their {@link BackendState}s, with a version.
 *
 * <p>Backends are kept in canonical order (by id, comparing UTF-16 code units), so the order
 * they were configured in does not matter: two nodes with the same backend set build the same
 * view and therefore the same table. A change is a copy ({@link #withState}); the health
 * tracker publishes the copy and the routing side picks it up with one volatile read, so a
 * message is routed against one consistent snapshot.
 *
 * <p>The per-backend eligibility is kept as two {@code boolean[]} (accepts new AORs, accepts
 * existing AORs) indexed like {@link #backends()}, so a {@link HomeProxySelector} reads one
 * array element per candidate and a state change copies two small arrays.
 */
public final class BackendView {

    /**
     * The most backends a view may hold. The selector stores backend indices as 16-bit values
     * with one value reserved; a SIP service with more home proxies than this is not a fit.
     */
    public static final int MAX_BACKENDS = 65_535;

    private final long version;
    private final List<Backend> backends;
    private final BackendState[] states;
    // Package-private for RendezvousTable: read on the lookup path, never written after construction.
    final boolean[] acceptsNew;
    final boolean[] acceptsExisting;

    private BackendView(long version, List<Backend> backends, BackendState[] states) {
        this.version = version;
        this.backends = backends;
        this.states = states;
        this.acceptsNew = new boolean[states.length];
        this.acceptsExisting = new boolean[states.length];
        for (int i = 0; i < states.length; i++) {
            acceptsNew[i] = states[i].acceptsNew();
            acceptsExisting[i] = states[i].acceptsExisting();
        }
    }

    /** A view of version 0 with every backend {@link BackendState#UP UP}. */
    public static BackendView of(Collection<Backend> backends) {
        return of(0, backends);
    }

    /** A view with every backend {@link BackendState#UP UP}. */
    public static BackendView of(long version, Collection<Backend> backends) {
        requireNonNull(backends, "backends");
        checkArgument(version >= 0, "version: %s (expected: >= 0)", version);
        checkArgument(backends.size() <= MAX_BACKENDS,
                "backends: %s (expected: <= %s)", backends.size(), MAX_BACKENDS);
        List<Backend> sorted = new ArrayList<>(backends.size());
        for (Backend b : backends) {
            sorted.add(requireNonNull(b, "backends contains null"));
        }
        sorted.sort(Comparator.comparing(Backend::id));
        for (int i = 1; i < sorted.size(); i++) {
            checkArgument(!sorted.get(i).id().equals(sorted.get(i - 1).id()),
                    "backends: duplicate id '%s' (expected: unique ids)", sorted.get(i).id());
        }
        BackendState[] states = new BackendState[sorted.size()];
        Arrays.fill(states, BackendState.UP);
        return new BackendView(version, List.copyOf(sorted), states);
    }

    /** Increases when a copy is made; lets observers tell snapshots apart. */
    public long version() {
        return version;
    }

    /** The backends in canonical order (by id). */
    public List<Backend> backends() {
        return backends;
    }

    public int size() {
        return backends.size();
    }

    /** The backend at {@code index} of {@link #backends()}. */
    public Backend backend(int index) {
        return backends.get(index);
    }

    /** The index of the backend with this id in {@link #backends()}, or -1. */
    public int indexOf(String id) {
        requireNonNull(id, "id");
        int lo = 0;
        int hi = backends.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = backends.get(mid).id().compareTo(id);
            if (c < 0) {
                lo = mid + 1;
            } else if (c > 0) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -1;
    }

    /** The state of the backend at {@code index} of {@link #backends()}. */
    public BackendState state(int index) {
        return states[index];
    }

    /** The state of the backend with this id; throws when the id is unknown. */
    public BackendState state(String id) {
        return states[checkedIndexOf(id)];
    }

    /**
     * A copy with one backend's state changed and the version increased, or this view when the
     * state is already {@code state}.
     */
    public BackendView withState(String id, BackendState state) {
        requireNonNull(state, "state");
        int index = checkedIndexOf(id);
        if (states[index] == state) {
            return this;
        }
        BackendState[] copy = states.clone();
        copy[index] = state;
        return new BackendView(version + 1, backends, copy);
    }

    /**
     * A copy with several states changed at once and the version increased by one, or this
     * view when nothing changes. Ids not in the view are rejected.
     */
    public BackendView withStates(Map<String, BackendState> changes) {
        requireNonNull(changes, "changes");
        BackendState[] copy = states.clone();
        for (Map.Entry<String, BackendState> e : changes.entrySet()) {
            copy[checkedIndexOf(e.getKey())] = requireNonNull(e.getValue(), "state");
        }
        return Arrays.equals(copy, states) ? this : new BackendView(version + 1, backends, copy);
    }

    /** The number of backends in this state. */
    public int count(BackendState state) {
        int n = 0;
        for (BackendState s : states) {
            if (s == state) {
                n++;
            }
        }
        return n;
    }

    /**
     * True when {@code other} holds the same ids with the same weights in the same order: the
     * two views rank AORs identically and differ at most in states, addresses and version.
     */
    boolean ranksLike(BackendView other) {
        if (other.backends.size() != backends.size()) {
            return false;
        }
        for (int i = 0; i < backends.size(); i++) {
            Backend a = backends.get(i);
            Backend b = other.backends.get(i);
            if (a.weight() != b.weight() || !a.id().equals(b.id())) {
                return false;
            }
        }
        return true;
    }

    private int checkedIndexOf(String id) {
        int index = indexOf(id);
        checkArgument(index >= 0, "id: '%s' (expected: one of the view's backends)", id);
        return index;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BackendView v
                && v.version == version
                && v.backends.equals(backends)
                && Arrays.equals(v.states, states);
    }

    @Override
    public int hashCode() {
        return (Long.hashCode(version) * 31 + backends.hashCode()) * 31 + Arrays.hashCode(states);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("BackendView{version=").append(version).append(", ");
        for (int i = 0; i < backends.size(); i++) {
            Backend b = backends.get(i);
            sb.append(i == 0 ? "" : ", ").append(b.id()).append('=').append(states[i]);
            if (b.weight() != 1) {
                sb.append("(w").append(b.weight()).append(')');
            }
        }
        return sb.append('}').toString();
    }
}
