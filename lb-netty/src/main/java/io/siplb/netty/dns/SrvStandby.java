package io.siplb.netty.dns;

import io.siplb.hash.BackendState;
import io.siplb.hash.BackendView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * RFC 2782 priority as routing: within one SRV entry, a backend takes new users only while no
 * backend of a lower priority number is {@code UP}; the others are routed as
 * {@link BackendState#DRAINING DRAINING} ("standby": no new AORs or dialogs, their existing
 * dialogs continue, so users who moved to a fallback while the preferred targets were down
 * finish their calls there and return afterwards).
 *
 * <p>Applied to each view the health tracker publishes (on the health loop), so the fallback set
 * is a function of health alone and both nodes of a pair, seeing the same health, route alike.
 * Standby backends are probed like all others, so a fallback is known good before it is needed.
 * With health checking off every backend is up, and only the lowest priority is ever used. The
 * active priority of each entry is logged once per change.
 */
public final class SrvStandby implements UnaryOperator<BackendView> {

    private static final Logger log = LoggerFactory.getLogger(SrvStandby.class);

    /** Backend id → its group and priority. */
    private final Map<String, SrvBackend> byId = new HashMap<>();
    /** Group → the priority in use at the last call; confined to the health loop. */
    private final Map<String, Integer> active;

    /**
     * @param backends every SRV backend in the published set
     * @param previous the filter this one replaces (its logged state is carried over), or null
     */
    public SrvStandby(List<SrvBackend> backends, SrvStandby previous) {
        for (SrvBackend b : backends) {
            byId.put(b.backend().id(), b);
        }
        active = previous == null ? new TreeMap<>() : new TreeMap<>(previous.active);
    }

    /** Whether any group has more than one priority (else the filter never changes a view). */
    public boolean hasFallbacks() {
        Map<String, Integer> first = new HashMap<>();
        for (SrvBackend b : byId.values()) {
            Integer p = first.putIfAbsent(b.group(), b.priority());
            if (p != null && p != b.priority()) {
                return true;
            }
        }
        return false;
    }

    @Override
    public BackendView apply(BackendView view) {
        if (byId.isEmpty()) {
            return view;
        }
        Map<String, Integer> lowestUp = new TreeMap<>();
        for (int i = 0; i < view.size(); i++) {
            SrvBackend b = byId.get(view.backend(i).id());
            if (b != null && view.state(i) == BackendState.UP) {
                lowestUp.merge(b.group(), b.priority(), Math::min);
            }
        }
        Map<String, BackendState> standby = null;
        for (int i = 0; i < view.size(); i++) {
            SrvBackend b = byId.get(view.backend(i).id());
            if (b != null && view.state(i) == BackendState.UP && b.priority() > lowestUp.get(b.group())) {
                if (standby == null) {
                    standby = new HashMap<>();
                }
                standby.put(b.backend().id(), BackendState.DRAINING);
            }
        }
        for (Map.Entry<String, Integer> e : lowestUp.entrySet()) {
            Integer was = active.put(e.getKey(), e.getValue());
            if (was != null && !was.equals(e.getValue())) {
                if (e.getValue() > was) {
                    log.warn("SRV {}: no target of priority {} is up, new users go to priority {}",
                            e.getKey(), was, e.getValue());
                } else {
                    log.info("SRV {}: priority {} is up again, it takes new users (priority {} on standby)",
                            e.getKey(), e.getValue(), was);
                }
            }
        }
        return standby == null ? view : view.withStates(standby);
    }
}
