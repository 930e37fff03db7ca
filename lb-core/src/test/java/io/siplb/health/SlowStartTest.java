package io.siplb.health;

import static io.siplb.health.ProbeWorld.A;
import static io.siplb.health.ProbeWorld.B;
import static io.siplb.health.ProbeWorld.C;
import static io.siplb.health.ProbeWorld.PLAIN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SlowStartTest {

    private static final HealthPolicy SLOW = PLAIN.withSlowStart(Duration.ofSeconds(30));

    @Test
    void rampsAReturningBackendOverTheSlowStartDuration() {
        ProbeWorld world = new ProbeWorld(SLOW, A, B, C).started();
        world.dies("b").runFor(Duration.ofSeconds(3));
        world.revives("b").runUntil("b", HealthState.UP, Duration.ofSeconds(5));

        world.runFor(Duration.ofSeconds(15));
        assertThat(world.tracker.status("b").slowStartFactor()).isCloseTo(0.5, within(0.01));
        world.runFor(Duration.ofSeconds(15));

        assertThat(world.tracker.status("b").slowStartFactor()).isEqualTo(1.0);
    }

    @Test
    void startsTheRampAtATenthNotAtNothing() {
        ProbeWorld world = new ProbeWorld(SLOW, A, B, C).started();
        world.dies("b").runFor(Duration.ofSeconds(3));

        world.revives("b").runUntil("b", HealthState.UP, Duration.ofSeconds(5));

        assertThat(world.tracker.status("b").slowStartFactor()).isEqualTo(BackendHealth.SLOW_START_MIN_FACTOR);
    }

    @Test
    void doesNotRampANewBackend() {
        ProbeWorld world = new ProbeWorld(SLOW, A, B, C).started();

        assertThat(world.tracker.status("a").slowStartFactor()).isEqualTo(1.0);
    }

    @Test
    void doesNotRampWhenSlowStartIsOff() {
        ProbeWorld world = new ProbeWorld(PLAIN, A, B, C).started();
        world.dies("b").runFor(Duration.ofSeconds(3));

        world.revives("b").runUntil("b", HealthState.UP, Duration.ofSeconds(5));

        assertThat(world.tracker.status("b").slowStartFactor()).isEqualTo(1.0);
    }
}
