package io.siplb.health;

import static io.siplb.health.ProbeWorld.A;
import static io.siplb.health.ProbeWorld.B;
import static io.siplb.health.ProbeWorld.C;
import static io.siplb.health.ProbeWorld.PLAIN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.siplb.hash.BackendState;
import io.siplb.health.HealthEvent.StateChanged;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DrainTest {

    @Test
    void drainingTakesNoNewAorsButKeepsExistingTraffic() {
        ProbeWorld world = new ProbeWorld(PLAIN, A, B, C).started();

        world.drain("b");

        assertThat(world.state("b")).isEqualTo(HealthState.DRAINING);
        BackendState routing = world.tracker.view().state("b");
        assertThat(routing).isEqualTo(BackendState.DRAINING);
        assertThat(routing.acceptsNew()).isFalse();
        assertThat(routing.acceptsExisting()).isTrue();
    }

    @Test
    void undrainingBringsItBackUp() {
        ProbeWorld world = new ProbeWorld(PLAIN, A, B, C).started();
        world.drain("b");

        world.undrain("b");

        assertThat(world.state("b")).isEqualTo(HealthState.UP);
        assertThat(world.tracker.view().state("b")).isEqualTo(BackendState.UP);
    }

    @Test
    void aDrainedBackendThatDiesIsDownAndComesBackDraining() {
        ProbeWorld world = new ProbeWorld(PLAIN, A, B, C).started();
        world.drain("b");

        world.dies("b").runFor(Duration.ofSeconds(3));
        world.revives("b").runFor(Duration.ofSeconds(3));

        assertThat(world.changesOf("b")).extracting(StateChanged::to)
                .containsExactly(HealthState.DRAINING, HealthState.DOWN, HealthState.DRAINING);
        assertThat(world.tracker.status("b").drained()).isTrue();
    }

    @Test
    void drainingTwiceChangesNothing() {
        ProbeWorld world = new ProbeWorld(PLAIN, A, B, C).started();
        world.drain("b");

        assertThat(world.tracker.drain("b")).isEmpty();
    }

    @Test
    void rejectsDrainingAnUnknownBackend() {
        ProbeWorld world = new ProbeWorld(PLAIN, A, B, C);

        assertThatIllegalArgumentException().isThrownBy(() -> world.tracker.drain("zz"))
                .withMessage("backend: 'zz' (expected: one of the configured backend ids)");
    }
}
