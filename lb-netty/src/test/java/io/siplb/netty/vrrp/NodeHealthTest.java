package io.siplb.netty.vrrp;

import static org.assertj.core.api.Assertions.assertThat;

import io.siplb.hash.Backend;
import io.siplb.hash.BackendView;
import io.siplb.health.BackendStatus;
import io.siplb.health.HealthState;
import io.siplb.route.RoutingView;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** What makes a node unhealthy for VRRP and /health. */
class NodeHealthTest {

    private static final Backend A = new Backend("a", "10.0.0.11", 5060, "UDP", 1);
    private static final Backend B = new Backend("b", "10.0.0.12", 5060, "UDP", 1);
    private final AtomicBoolean ready = new AtomicBoolean(true);
    private final RoutingView allUp = RoutingView.of(BackendView.of(List.of(A, B)));

    private static BackendStatus status(Backend b, HealthState s) {
        return new BackendStatus(b, s, 0, false, 0, -1, 1);
    }

    @Test
    void readyNodeWithABackendUpIsHealthy() {
        assertThat(new NodeHealth(ready::get, () -> allUp).get()).isNull();
    }

    @Test
    void unboundListenersMakeItUnhealthy() {
        ready.set(false);

        assertThat(new NodeHealth(ready::get, () -> allUp).get()).startsWith("not serving");
    }

    @Test
    void theCheckersStatusesWinOverAPanicViewThatRoutesToAll() {
        AtomicReference<List<BackendStatus>> statuses = new AtomicReference<>(
                List.of(status(A, HealthState.DOWN), status(B, HealthState.PROBING)));
        NodeHealth health = new NodeHealth(ready::get, () -> allUp)
                .watchBackends(() -> CompletableFuture.completedFuture(statuses.get()));

        assertThat(health.get()).isEqualTo("no backend up");

        statuses.set(List.of(status(A, HealthState.DOWN), status(B, HealthState.SUSPECT)));
        health.get(); // asks again; the answer counts from the next call
        assertThat(health.get()).isNull();
    }

    @Test
    void drainingBackendsStillServe() {
        assertThat(NodeHealth.anyServing(List.of(status(A, HealthState.DRAINING), status(B, HealthState.DOWN))))
                .isTrue();
        assertThat(NodeHealth.anyServing(List.of(status(A, HealthState.UNAVAILABLE)))).isFalse();
    }
}
