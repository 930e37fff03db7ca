package io.siplb.health;

import static io.siplb.health.ProbeWorld.A;
import static io.siplb.health.ProbeWorld.B;
import static io.siplb.health.ProbeWorld.C;
import static io.siplb.health.ProbeWorld.D;
import static io.siplb.health.ProbeWorld.PLAIN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.siplb.hash.BackendState;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReloadTest {

    private static ProbeWorld withBDown() {
        ProbeWorld world = new ProbeWorld(PLAIN, A, B, C, D).started();
        world.dies("b").runFor(Duration.ofSeconds(3));
        return world;
    }

    @Test
    void keepsStateOfUnchangedBackendsOnReload() {
        ProbeWorld world = withBDown();
        BackendStatus before = world.tracker.status("b");

        HealthTracker reloaded = world.tracker.withBackends(List.of(A, B, C));

        assertThat(reloaded.status("b")).isEqualTo(before);
        assertThat(reloaded.status("a").state()).isEqualTo(HealthState.UP);
        assertThat(reloaded.view().state("b")).isEqualTo(BackendState.DOWN);
    }

    @Test
    void startsANewBackendProbingAndOutOfRouting() {
        ProbeWorld world = new ProbeWorld(PLAIN, A, B, C).started();

        HealthTracker reloaded = world.tracker.withBackends(List.of(A, B, C, D));

        assertThat(reloaded.status("d").state()).isEqualTo(HealthState.PROBING);
        assertThat(reloaded.view().state("d")).isEqualTo(BackendState.DOWN);
    }

    @Test
    void startsAReaddressedBackendAfresh() {
        ProbeWorld world = new ProbeWorld(PLAIN, A, B, C).started();

        HealthTracker reloaded = world.tracker.withBackends(List.of(A, B.withTransport("TCP"), C));

        assertThat(reloaded.status("b").state()).isEqualTo(HealthState.PROBING);
    }

    @Test
    void keepsStateButTakesTheNewWeightOfAReweightedBackend() {
        ProbeWorld world = new ProbeWorld(PLAIN, A, B, C).started();

        HealthTracker reloaded = world.tracker.withBackends(List.of(A, B.withWeight(5), C));

        assertThat(reloaded.status("b").state()).isEqualTo(HealthState.UP);
        assertThat(reloaded.view().backend(reloaded.view().indexOf("b")).weight()).isEqualTo(5);
    }

    @Test
    void dropsRemovedBackendsAndIgnoresTheirLateReplies() {
        ProbeWorld.FakeClock clock = new ProbeWorld.FakeClock(0);
        HealthTracker tracker = HealthTracker.create(PLAIN, List.of(A, B, C), clock, 1);
        Probe toB = tracker.takeDueProbes().stream().filter(p -> p.backend().equals(B)).findFirst().orElseThrow();

        HealthTracker reloaded = tracker.withBackends(List.of(A, C));

        assertThat(reloaded.status("b")).isNull();
        assertThat(reloaded.onProbeResult(toB, ProbeResult.reply(200))).isEmpty();
    }

    @Test
    void acceptsTheReplyToAProbeSentBeforeTheReload() {
        ProbeWorld.FakeClock clock = new ProbeWorld.FakeClock(0);
        HealthTracker tracker = HealthTracker.create(PLAIN.withRise(1), List.of(A, B, C), clock, 1);
        Probe toA = tracker.takeDueProbes().get(0);

        HealthTracker reloaded = tracker.withBackends(List.of(A, B, C, D));
        reloaded.onProbeResult(toA, ProbeResult.reply(200));

        assertThat(reloaded.status("a").state()).isEqualTo(HealthState.UP);
    }

    @Test
    void keepsADrainAcrossAReload() {
        ProbeWorld world = new ProbeWorld(PLAIN, A, B, C).started();
        world.drain("c");

        HealthTracker reloaded = world.tracker.withBackends(List.of(A, B, C, D));

        assertThat(reloaded.status("c").state()).isEqualTo(HealthState.DRAINING);
    }

    @Test
    void leavesTheOldTrackerAsItWas() {
        ProbeWorld world = withBDown();
        HealthTracker old = world.tracker;
        HealthTracker reloaded = old.withBackends(List.of(A, B, C, D));

        reloaded.drain("a");

        assertThat(old.status("a").state()).isEqualTo(HealthState.UP);
    }

    @Test
    void publishesAViewOfAHigherVersion() {
        ProbeWorld world = withBDown();

        HealthTracker reloaded = world.tracker.withBackends(List.of(A, B, C, D));

        assertThat(reloaded.view().version()).isGreaterThan(world.tracker.view().version());
    }

    @Test
    void refusesDuplicateIdsAndKeepsTheOldTracker() {
        ProbeWorld world = new ProbeWorld(PLAIN, A, B, C).started();

        assertThatIllegalArgumentException().isThrownBy(
                () -> world.tracker.withBackends(List.of(A, B, B.withWeight(2))));
        assertThat(world.tracker.status("b").state()).isEqualTo(HealthState.UP);
    }
}
