package io.siplb.health;

import static io.siplb.health.ProbeWorld.A;
import static io.siplb.health.ProbeWorld.B;
import static io.siplb.health.ProbeWorld.C;
import static io.siplb.health.ProbeWorld.PLAIN;
import static org.assertj.core.api.Assertions.assertThat;

import io.siplb.hash.BackendState;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class DisabledHealthTest {

    @Test
    void countsEveryBackendAsUpWhenDisabled() {
        ProbeWorld world = new ProbeWorld(HealthPolicy.DISABLED, A, B, C);

        assertThat(world.tracker.statuses()).extracting(BackendStatus::state).containsOnly(HealthState.UP);
        assertThat(world.tracker.view().count(BackendState.UP)).isEqualTo(3);
        assertThat(world.tracker.panic()).isFalse();
    }

    @Test
    void probesNothingWhenDisabled() {
        ProbeWorld world = new ProbeWorld(HealthPolicy.DISABLED, A, B, C);

        world.runFor(Duration.ofSeconds(10));

        assertThat(world.sent).isEmpty();
        assertThat(world.tracker.nanosUntilNextDeadline()).isEqualTo(HealthTracker.NO_DEADLINE);
    }

    @Test
    void ignoresPassiveSignalsAndRetryAfterWhenDisabled() {
        ProbeWorld world = new ProbeWorld(HealthPolicy.DISABLED, A, B, C);

        world.signal("a", PassiveSignal.PORT_UNREACHABLE);
        world.retryAfter("b", 30);

        assertThat(world.events).isEmpty();
    }

    @Test
    void stillDrainsWhenDisabled() {
        ProbeWorld world = new ProbeWorld(HealthPolicy.DISABLED, A, B, C);

        world.drain("a");

        assertThat(world.tracker.view().state("a")).isEqualTo(BackendState.DRAINING);
    }

    @Test
    void disablingByReloadBringsADownBackendUp() {
        ProbeWorld world = new ProbeWorld(PLAIN, A, B, C).started();
        world.dies("b").runFor(Duration.ofSeconds(3));

        HealthTracker reloaded = world.tracker.withPolicy(HealthPolicy.DISABLED);

        assertThat(reloaded.status("b").state()).isEqualTo(HealthState.UP);
        assertThat(reloaded.view().state("b")).isEqualTo(BackendState.UP);
    }

    @Test
    void enablingByReloadKeepsBackendsUpUntilProbesSayOtherwise() {
        ProbeWorld.FakeClock clock = new ProbeWorld.FakeClock(0);
        HealthTracker tracker = HealthTracker.create(HealthPolicy.DISABLED, List.of(A, B, C), clock, 1);

        HealthTracker reloaded = tracker.withPolicy(PLAIN);

        assertThat(reloaded.status("a").state()).isEqualTo(HealthState.UP);
        assertThat(reloaded.takeDueProbes()).hasSize(3);
    }
}
