package io.siplb.netty.dns;

import io.siplb.hash.Backend;
import io.siplb.hash.BackendState;
import io.siplb.hash.BackendView;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SrvStandbyTest {

    private static final String POOL = "_sip._udp.pool.example.com";
    private final List<SrvBackend> srv = List.of(
            srv("p1", 10, POOL), srv("p2", 10, POOL), srv("f1", 20, POOL), srv("g1", 30, POOL));
    private final Backend fixed = new Backend("static", "10.0.9.9", 5060, "UDP", 1);
    private final SrvStandby standby = new SrvStandby(srv, null);

    @Test
    void fallbackPrioritiesStandByWhileAnyPreferredTargetIsUp() {
        BackendView routed = standby.apply(view(Map.of("p1", BackendState.DOWN)));

        assertThat(routed.state("p2")).isEqualTo(BackendState.UP);
        assertThat(routed.state("f1")).isEqualTo(BackendState.DRAINING);
        assertThat(routed.state("g1")).isEqualTo(BackendState.DRAINING);
        assertThat(routed.state("static")).isEqualTo(BackendState.UP);
    }

    @Test
    void theNextPriorityTakesNewUsersWhenEveryPreferredTargetIsDownAndStandsByAgainAfter() {
        BackendView failed = standby.apply(view(Map.of("p1", BackendState.DOWN, "p2", BackendState.DOWN)));
        assertThat(failed.state("f1")).isEqualTo(BackendState.UP);
        assertThat(failed.state("g1")).isEqualTo(BackendState.DRAINING);

        BackendView back = standby.apply(view(Map.of("p1", BackendState.DOWN)));
        assertThat(back.state("f1")).isEqualTo(BackendState.DRAINING); // its dialogs continue, no new users
        assertThat(back.state("p2")).isEqualTo(BackendState.UP);
    }

    @Test
    void drainedOrDownBackendsKeepTheirStateAndAViewWithOnePriorityIsUntouched() {
        BackendView v = view(Map.of("f1", BackendState.DOWN));
        assertThat(standby.apply(v).state("f1")).isEqualTo(BackendState.DOWN);

        SrvStandby single = new SrvStandby(List.of(srv("p1", 10, POOL), srv("p2", 10, POOL)), null);
        BackendView all = view(Map.of());
        assertThat(single.apply(all)).isSameAs(all);
        assertThat(single.hasFallbacks()).isFalse();
        assertThat(standby.hasFallbacks()).isTrue();
    }

    @Test
    void prioritiesCompareWithinOneSrvEntryOnly() {
        SrvStandby two = new SrvStandby(List.of(srv("p1", 10, POOL), srv("q1", 50, "_sip._udp.other.example.com")), null);
        BackendView v = BackendView.of(List.of(backend("p1"), backend("q1")));
        assertThat(two.apply(v).state("q1")).isEqualTo(BackendState.UP);
    }

    private BackendView view(Map<String, BackendState> states) {
        List<Backend> all = new ArrayList<>();
        for (SrvBackend s : srv) {
            all.add(s.backend());
        }
        all.add(fixed);
        return BackendView.of(all).withStates(states);
    }

    private static Backend backend(String id) {
        return new Backend(id, "10.0.0." + (id.hashCode() & 0x7f), 5060, "UDP", 1);
    }

    private static SrvBackend srv(String id, int priority, String group) {
        return new SrvBackend(backend(id), priority, group);
    }
}
