package io.siplb.health;

import static io.siplb.health.ProbeWorld.A;
import static io.siplb.health.ProbeWorld.B;
import static io.siplb.health.ProbeWorld.C;
import static io.siplb.health.ProbeWorld.D;
import static io.siplb.health.ProbeWorld.E;
import static io.siplb.health.ProbeWorld.F;
import static io.siplb.health.ProbeWorld.PLAIN;
import static org.assertj.core.api.Assertions.assertThat;

import io.siplb.hash.BackendState;
import io.siplb.health.HealthEvent.Reason;
import io.siplb.health.HealthEvent.StateChanged;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class PassiveDetectionTest {

    @Test
    void makesAnUpBackendSuspectAtOnceOnPortUnreachable() {
        ProbeWorld world = new ProbeWorld(PLAIN, A, B, C).started();

        world.signal("b", PassiveSignal.PORT_UNREACHABLE);

        assertThat(world.state("b")).isEqualTo(HealthState.SUSPECT);
        assertThat(world.tracker.view().state("b")).isEqualTo(BackendState.DOWN);
        assertThat(world.changesOf("b")).singleElement().hasToString(
                "backend b (10.0.0.2:5060/UDP): UP -> SUSPECT, passive signal: ICMP port unreachable; probing now");
    }

    @Test
    void probesASuspectBackendImmediately() {
        ProbeWorld world = new ProbeWorld(PLAIN, A, B, C).started();

        world.signal("b", PassiveSignal.CONNECTION_REFUSED);

        assertThat(world.tracker.nanosUntilNextDeadline()).isZero();
        assertThat(world.tracker.takeDueProbes()).extracting(p -> p.backend().id()).containsExactly("b");
    }

    @Test
    void clearsSuspicionWhenTheProbeIsAnswered() {
        ProbeWorld world = new ProbeWorld(PLAIN, A, B, C).started();

        world.signal("b", PassiveSignal.CONNECTION_RESET);
        world.runFor(Duration.ofMillis(20));

        assertThat(world.state("b")).isEqualTo(HealthState.UP);
        assertThat(world.changesOf("b")).last().returns(Reason.SUSPICION_CLEARED, StateChanged::reason);
    }

    @Test
    void takesASuspectBackendDownWhenItsProbeTimesOut() {
        ProbeWorld world = new ProbeWorld(PLAIN, A, B, C).started();
        world.dies("b");

        world.signal("b", PassiveSignal.PORT_UNREACHABLE);
        Duration took = world.runUntil("b", HealthState.DOWN, Duration.ofSeconds(5));

        assertThat(took).isLessThanOrEqualTo(PLAIN.timeout());
        assertThat(world.changesOf("b")).last().returns(Reason.SUSPICION_CONFIRMED, StateChanged::reason);
    }

    @Test
    void abandonsTheProbeInFlightWhenSuspicionArrives() {
        ProbeWorld.FakeClock clock = new ProbeWorld.FakeClock(0);
        HealthTracker tracker = HealthTracker.create(PLAIN.withRise(1), List.of(A, B, C), clock, 1);
        tracker.takeDueProbes().forEach(p -> tracker.onProbeResult(p, ProbeResult.reply(200)));
        clock.advance(Duration.ofSeconds(1));
        Probe before = tracker.takeDueProbes().stream().filter(p -> p.backend().equals(B)).findFirst().orElseThrow();

        tracker.onPassiveSignal("b", PassiveSignal.PORT_UNREACHABLE);

        assertThat(tracker.onProbeResult(before, ProbeResult.reply(200))).isEmpty();
        assertThat(tracker.status("b").state()).isEqualTo(HealthState.SUSPECT);
    }

    @Test
    void neverEjectsMoreThanTheConfiguredShareOnPassiveSignals() {
        ProbeWorld world = new ProbeWorld(PLAIN, A, B, C, D, E, F).started();

        for (String id : List.of("a", "b", "c", "d", "e", "f")) {
            world.signal(id, PassiveSignal.HOST_UNREACHABLE);
        }

        // a third of six
        assertThat(world.tracker.statuses()).filteredOn(s -> s.state() == HealthState.SUSPECT).hasSize(2);
        assertThat(world.tracker.view().count(BackendState.UP)).isEqualTo(4);
    }

    @Test
    void stillProbesAtOnceABackendTheEjectionLimitKeptIn() {
        ProbeWorld world = new ProbeWorld(PLAIN, A, B, C).started();
        world.signal("a", PassiveSignal.PORT_UNREACHABLE);
        world.tracker.takeDueProbes();

        world.signal("b", PassiveSignal.PORT_UNREACHABLE);

        assertThat(world.state("b")).isEqualTo(HealthState.UP);
        assertThat(world.tracker.takeDueProbes()).extracting(p -> p.backend().id()).containsExactly("b");
    }

    @Test
    void ejectsNothingPassivelyWhenTheShareIsZero() {
        ProbeWorld world = new ProbeWorld(PLAIN.withMaxPassiveEjectShare(0), A, B, C).started();

        world.signal("b", PassiveSignal.PORT_UNREACHABLE);

        assertThat(world.state("b")).isEqualTo(HealthState.UP);
    }

    @Test
    void breaksTheRunOfAliveRepliesOfADownBackend() {
        ProbeWorld world = new ProbeWorld(PLAIN, A, B, C).started();
        world.dies("b").runFor(Duration.ofSeconds(3));
        world.revives("b").runFor(Duration.ofMillis(1100)); // one alive reply of the two needed

        world.signal("b", PassiveSignal.CONNECTION_REFUSED);
        world.runFor(Duration.ofSeconds(1)); // a second alive reply

        assertThat(world.state("b")).isEqualTo(HealthState.DOWN);
    }

    @Test
    void ignoresSignalsAboutUnknownBackends() {
        ProbeWorld world = new ProbeWorld(PLAIN, A, B, C).started();

        assertThat(world.tracker.onPassiveSignal("zz", PassiveSignal.PORT_UNREACHABLE)).isEmpty();
    }
}
