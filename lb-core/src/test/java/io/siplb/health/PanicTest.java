package io.siplb.health;

import static io.siplb.health.ProbeWorld.A;
import static io.siplb.health.ProbeWorld.B;
import static io.siplb.health.ProbeWorld.C;
import static io.siplb.health.ProbeWorld.D;
import static io.siplb.health.ProbeWorld.PLAIN;
import static org.assertj.core.api.Assertions.assertThat;

import io.siplb.hash.BackendState;
import io.siplb.health.HealthEvent.PanicChanged;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class PanicTest {

    private static final Duration LONG_ENOUGH = Duration.ofSeconds(5);

    @Test
    void routesAsIfAllWereUpInPanic() {
        ProbeWorld world = new ProbeWorld(PLAIN, A, B, C).started();

        world.dies("b").dies("c").runFor(LONG_ENOUGH);

        assertThat(world.tracker.panic()).isTrue();
        assertThat(world.tracker.view().count(BackendState.UP)).isEqualTo(3);
        assertThat(world.state("b")).isEqualTo(HealthState.DOWN);
    }

    @Test
    void saysSoOnceWhenEnteringAndOnceWhenLeavingPanic() {
        ProbeWorld world = new ProbeWorld(PLAIN, A, B, C).started();

        world.dies("b").dies("c").runFor(LONG_ENOUGH);
        world.revives("c").runFor(LONG_ENOUGH);

        assertThat(world.events).filteredOn(e -> e instanceof PanicChanged).map(Object::toString).containsExactly(
                "health panic: 1 of 3 backends up, below 50%; routing to all of them as if they were up",
                "health panic over: 2 of 3 backends up; routing by health again");
        assertThat(world.tracker.view().state("b")).isEqualTo(BackendState.DOWN);
    }

    @Test
    void doesNotPanicWithHalfTheBackendsUp() {
        ProbeWorld world = new ProbeWorld(PLAIN, A, B, C, D).started();

        world.dies("c").dies("d").runFor(LONG_ENOUGH);

        assertThat(world.tracker.panic()).isFalse();
        assertThat(world.tracker.view().count(BackendState.UP)).isEqualTo(2);
    }

    @Test
    void startsInPanicWhileEveryBackendIsProbing() {
        ProbeWorld world = new ProbeWorld(PLAIN, A, B, C);

        assertThat(world.tracker.panic()).isTrue();
        assertThat(world.tracker.view().count(BackendState.UP)).isEqualTo(3);
    }

    @Test
    void neverPanicsWithAThresholdOfZero() {
        ProbeWorld world = new ProbeWorld(PLAIN.withPanicThreshold(0), A, B, C).started();

        world.dies("a").dies("b").dies("c").runFor(LONG_ENOUGH);

        assertThat(world.tracker.panic()).isFalse();
        assertThat(world.tracker.view().count(BackendState.DOWN)).isEqualTo(3);
    }

    @Test
    void leavesDrainedBackendsOutOfThePanicCount() {
        ProbeWorld world = new ProbeWorld(PLAIN, A, B, C, D).started();

        world.drain("a");
        world.drain("b");
        world.dies("c").runFor(LONG_ENOUGH);

        assertThat(world.tracker.panic()).isFalse();
    }

    @Test
    void keepsDrainedBackendsDrainingInPanic() {
        ProbeWorld world = new ProbeWorld(PLAIN, A, B, C).started();
        world.drain("a");

        world.dies("b").dies("c").runFor(LONG_ENOUGH);

        assertThat(world.tracker.panic()).isTrue();
        assertThat(world.tracker.view().state("a")).isEqualTo(BackendState.DRAINING);
        assertThat(world.tracker.view().state("b")).isEqualTo(BackendState.UP);
    }
}
