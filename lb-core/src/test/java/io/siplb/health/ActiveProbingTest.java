package io.siplb.health;

import static io.siplb.health.ProbeWorld.A;
import static io.siplb.health.ProbeWorld.B;
import static io.siplb.health.ProbeWorld.C;
import static io.siplb.health.ProbeWorld.PLAIN;
import static org.assertj.core.api.Assertions.assertThat;

import io.siplb.hash.BackendState;
import io.siplb.health.HealthEvent.Reason;
import io.siplb.health.HealthEvent.StateChanged;
import io.siplb.health.ProbeWorld.Answer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ActiveProbingTest {

    @Test
    void startsEveryBackendProbing() {
        ProbeWorld world = new ProbeWorld(PLAIN, A, B, C);

        assertThat(world.tracker.statuses()).extracting(BackendStatus::state).containsOnly(HealthState.PROBING);
    }

    @Test
    void bringsANewBackendUpAfterRiseAliveReplies() {
        ProbeWorld world = new ProbeWorld(PLAIN, A, B, C);

        world.runFor(Duration.ofMillis(500));
        assertThat(world.state("a")).isEqualTo(HealthState.PROBING);
        world.runFor(Duration.ofMillis(600));

        assertThat(world.state("a")).isEqualTo(HealthState.UP);
        assertThat(world.changesOf("a")).singleElement()
                .returns(Reason.PROBES_SUCCEEDED, StateChanged::reason);
    }

    @Test
    void marksABackendDownAfterFallConsecutiveTimeouts() {
        ProbeWorld world = new ProbeWorld(PLAIN, A, B, C).started();

        world.dies("b").runFor(PLAIN.detectionBound());

        assertThat(world.state("b")).isEqualTo(HealthState.DOWN);
        assertThat(world.tracker.view().state("b")).isEqualTo(BackendState.DOWN);
        assertThat(world.changesOf("b")).singleElement()
                .returns(HealthState.UP, StateChanged::from)
                .returns(Reason.PROBES_FAILED, StateChanged::reason)
                .returns("2 in a row, last: timeout after 500ms", StateChanged::detail);
    }

    @Test
    void keepsABackendUpAfterFewerThanFallFailures() {
        ProbeWorld world = new ProbeWorld(PLAIN, A, B, C).started();

        world.dies("b").runFor(Duration.ofMillis(1600)); // one probe timed out, the next still in flight

        assertThat(world.state("b")).isEqualTo(HealthState.UP);
    }

    @Test
    void doesNotFlapOnOneLostProbe() {
        ProbeWorld world = new ProbeWorld(PLAIN, A, B, C).started();

        world.lose("b", 1).runFor(Duration.ofSeconds(10));

        assertThat(world.changesOf("b")).isEmpty();
    }

    @Test
    void needsFallFailuresInARowNotInTotal() {
        ProbeWorld world = new ProbeWorld(PLAIN, A, B, C).started();

        for (int i = 0; i < 5; i++) {
            world.lose("b", 1).runFor(Duration.ofSeconds(2)); // lost, answered, lost, answered...
        }

        assertThat(world.changesOf("b")).isEmpty();
    }

    @Test
    void bringsABackendBackAfterRiseSuccesses() {
        ProbeWorld world = new ProbeWorld(PLAIN, A, B, C).started();
        world.dies("b").runFor(Duration.ofSeconds(3));

        world.revives("b").runFor(PLAIN.interval().multipliedBy(PLAIN.rise()).plus(PLAIN.timeout()));

        assertThat(world.state("b")).isEqualTo(HealthState.UP);
        assertThat(world.changesOf("b")).extracting(StateChanged::to)
                .containsExactly(HealthState.DOWN, HealthState.UP);
    }

    @Test
    void keepsADownBackendDownAfterFewerThanRiseSuccesses() {
        ProbeWorld world = new ProbeWorld(PLAIN.withRise(3), A, B, C).started();
        world.dies("b").runFor(Duration.ofSeconds(3));

        world.revives("b").runFor(Duration.ofMillis(2100)); // two alive replies

        assertThat(world.state("b")).isEqualTo(HealthState.DOWN);
    }

    @Test
    void countsA404AsAliveByDefault() {
        ProbeWorld world = new ProbeWorld(PLAIN, A).answer("a", Answer.reply(404));

        world.runFor(Duration.ofSeconds(5));

        assertThat(world.state("a")).isEqualTo(HealthState.UP);
    }

    @Test
    void countsA401ChallengeAsAliveByDefault() {
        ProbeWorld world = new ProbeWorld(PLAIN, A).answer("a", Answer.reply(401));

        world.runFor(Duration.ofSeconds(5));

        assertThat(world.state("a")).isEqualTo(HealthState.UP);
    }

    @Test
    void countsA404AsAFailureWhenOnlySuccessIsAlive() {
        ProbeWorld world = new ProbeWorld(PLAIN.withAliveCodes(ReplyCodes.SUCCESS), A, B, C).started();

        world.answer("b", Answer.reply(404)).runFor(Duration.ofSeconds(3));

        assertThat(world.state("b")).isEqualTo(HealthState.DOWN);
        assertThat(world.changesOf("b").get(0).detail())
                .isEqualTo("2 in a row, last: reply 404 (not an alive code: 200-299)");
    }

    @Test
    void countsAnUnreachableProbeAsAFailure() {
        ProbeWorld world = new ProbeWorld(PLAIN, A, B, C).started();

        world.answer("b", Answer.unreachable()).runFor(Duration.ofSeconds(2));

        assertThat(world.state("b")).isEqualTo(HealthState.DOWN);
    }

    @Test
    void recordsTheRoundTripTimeAndCodeOfTheLastReply() {
        ProbeWorld world = new ProbeWorld(PLAIN, A).answer("a", Answer.reply(404).after(Duration.ofMillis(37)));

        world.runFor(Duration.ofSeconds(3));

        BackendStatus status = world.tracker.status("a");
        assertThat(status.lastRoundTrip()).isEqualTo(Duration.ofMillis(37));
        assertThat(status.lastStatusCode()).isEqualTo(404);
    }

    @Test
    void recordsWhenTheStateBegan() {
        ProbeWorld world = new ProbeWorld(PLAIN, A, B, C).started();
        world.dies("b").runFor(Duration.ofSeconds(3));

        StateChanged down = world.changesOf("b").get(0);

        assertThat(world.tracker.status("b").sinceNanos()).isEqualTo(down.atNanos());
    }

    @Test
    void ignoresAReplyToAProbeThatAlreadyTimedOut() {
        ProbeWorld.FakeClock clock = new ProbeWorld.FakeClock(0);
        HealthTracker tracker = HealthTracker.create(PLAIN.withRise(1), List.of(A), clock, 1);
        Probe late = tracker.takeDueProbes().get(0);
        clock.advance(Duration.ofMillis(500));
        tracker.tick();

        List<HealthEvent> events = tracker.onProbeResult(late, ProbeResult.reply(200));

        assertThat(events).isEmpty();
        assertThat(tracker.status("a").state()).isEqualTo(HealthState.PROBING);
    }

    @Test
    void neverHasTwoProbesOfOneBackendInFlight() {
        ProbeWorld.FakeClock clock = new ProbeWorld.FakeClock(0);
        HealthTracker tracker = HealthTracker.create(PLAIN, List.of(A), clock, 1);
        assertThat(tracker.takeDueProbes()).hasSize(1);

        clock.advance(Duration.ofMillis(499));

        assertThat(tracker.takeDueProbes()).isEmpty();
        assertThat(tracker.nanosUntilNextDeadline()).isEqualTo(Duration.ofMillis(1).toNanos());
    }

    @Test
    void probesOncePerIntervalWithoutJitter() {
        ProbeWorld world = new ProbeWorld(PLAIN, A);

        world.runFor(Duration.ofMillis(4500));

        assertThat(world.sentAt).extracting(t -> (t - world.sentAt.get(0)) / 1_000_000)
                .containsExactly(0L, 1000L, 2000L, 3000L, 4000L);
    }

    @Test
    void shortensEachIntervalByAtMostTheJitter() {
        ProbeWorld world = new ProbeWorld(PLAIN.withJitter(0.2), A);

        world.runFor(Duration.ofSeconds(60));

        for (int i = 1; i < world.sentAt.size(); i++) {
            long gapMs = (world.sentAt.get(i) - world.sentAt.get(i - 1)) / 1_000_000;
            assertThat(gapMs).isBetween(800L, 1000L);
        }
    }

    @Test
    void jittersTheSameWayForTheSameSeedAndDifferentlyForAnother() {
        HealthPolicy jittery = PLAIN.withJitter(0.3);
        ProbeWorld one = new ProbeWorld(jittery, 0, 7, A).started();
        ProbeWorld same = new ProbeWorld(jittery, 0, 7, A).started();
        ProbeWorld other = new ProbeWorld(jittery, 0, 8, A).started();

        assertThat(same.sentAt).isEqualTo(one.sentAt);
        assertThat(other.sentAt).isNotEqualTo(one.sentAt);
    }

    @Test
    void sendsTheNextProbeRightAfterATimeoutLongerThanTheJitteredInterval() {
        HealthPolicy tight = PLAIN.withJitter(0.5).withTimeout(Duration.ofMillis(900));
        ProbeWorld world = new ProbeWorld(tight, A).dies("a");

        world.runFor(Duration.ofSeconds(30));

        for (int i = 1; i < world.sentAt.size(); i++) {
            long gapMs = (world.sentAt.get(i) - world.sentAt.get(i - 1)) / 1_000_000;
            assertThat(gapMs).isBetween(900L, 1000L);
        }
    }

    @Test
    void returnsOneLogLineEventPerTransition() {
        ProbeWorld world = new ProbeWorld(PLAIN, A, B, C).started();

        world.dies("b").runFor(Duration.ofSeconds(3));

        assertThat(world.changesOf("b")).singleElement().hasToString(
                "backend b (10.0.0.2:5060/UDP): UP -> DOWN, probes failed: 2 in a row, last: timeout after 500ms");
    }
}
