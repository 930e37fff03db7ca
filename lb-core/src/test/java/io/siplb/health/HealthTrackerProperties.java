package io.siplb.health;

import static io.siplb.health.ProbeWorld.A;
import static io.siplb.health.ProbeWorld.B;
import static io.siplb.health.ProbeWorld.C;
import static io.siplb.health.ProbeWorld.D;
import static io.siplb.health.ProbeWorld.E;
import static io.siplb.health.ProbeWorld.F;
import static org.assertj.core.api.Assertions.assertThat;

import io.siplb.health.HealthEvent.StateChanged;
import io.siplb.health.ProbeWorld.Answer;
import java.time.Duration;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.From;

/**
 * The timing promises of the issue ("detection within interval × fall + timeout", "its users
 * return after rise probes", "detected within one interval through ICMP") and the passive
 * ejection limit, over random policies, seeds, reply times, clock origins (including ones that
 * wrap past {@code Long.MAX_VALUE}) and moments of death.
 */
class HealthTrackerProperties {

    @Property(tries = 300)
    void detectionTimeIsAtMostIntervalTimesFallPlusTimeout(
            @ForAll("policies") HealthPolicy policy, @ForAll long clockStart, @ForAll long seed,
            @ForAll @IntRange(max = 99) int rttPercentOfTimeout, @ForAll @IntRange(max = 5000) int diesAtPermille) {
        ProbeWorld world = risen(policy, clockStart, seed, rttPercentOfTimeout);
        world.runFor(fractionOfInterval(policy, diesAtPermille));

        long diedAt = world.now();
        world.dies("b").runFor(policy.detectionBound().plusMillis(1));

        StateChanged out = lastChangeOf(world, "b");
        assertThat(out.to()).isEqualTo(HealthState.DOWN);
        assertThat(Duration.ofNanos(out.atNanos() - diedAt)).isLessThanOrEqualTo(policy.detectionBound());
    }

    @Property(tries = 300)
    void recoveryTimeIsAtMostIntervalTimesRisePlusTimeout(
            @ForAll("policies") HealthPolicy policy, @ForAll long clockStart, @ForAll long seed,
            @ForAll @IntRange(max = 99) int rttPercentOfTimeout, @ForAll @IntRange(max = 5000) int revivesAtPermille) {
        ProbeWorld world = risen(policy, clockStart, seed, rttPercentOfTimeout);
        world.dies("b").runFor(policy.detectionBound());
        world.runFor(fractionOfInterval(policy, revivesAtPermille));
        Duration bound = policy.interval().multipliedBy(policy.rise()).plus(policy.timeout());

        long revivedAt = world.now();
        world.answer("b", Answer.reply(200).after(rtt(policy, rttPercentOfTimeout))).runFor(bound.plusMillis(1));

        StateChanged back = lastChangeOf(world, "b");
        assertThat(back.to()).isEqualTo(HealthState.UP);
        assertThat(Duration.ofNanos(back.atNanos() - revivedAt)).isLessThanOrEqualTo(bound);
    }

    @Property(tries = 300)
    void aPassiveSignalAboutADeadBackendTakesItOutWithinOneTimeout(
            @ForAll("policies") HealthPolicy policy, @ForAll long clockStart, @ForAll long seed,
            @ForAll @IntRange(max = 99) int rttPercentOfTimeout, @ForAll @IntRange(max = 999) int signalAtPermille) {
        ProbeWorld world = risen(policy.withFall(HealthPolicy.MAX_THRESHOLD), clockStart, seed, rttPercentOfTimeout);
        world.dies("b").runFor(fractionOfInterval(policy, signalAtPermille));

        long signalledAt = world.now();
        world.signal("b", PassiveSignal.PORT_UNREACHABLE);
        world.runFor(policy.timeout().plusMillis(1));

        StateChanged out = lastChangeOf(world, "b");
        assertThat(out.to()).isEqualTo(HealthState.DOWN);
        assertThat(Duration.ofNanos(out.atNanos() - signalledAt)).isLessThanOrEqualTo(policy.timeout());
    }

    @Property(tries = 200)
    void passiveEvidenceNeverHoldsOutMoreThanTheLimit(
            @ForAll @IntRange(max = 100) int sharePercent, @ForAll long seed,
            @ForAll @Size(max = 60) List<@From("inputs") Input> inputs) {
        HealthPolicy policy = ProbeWorld.PLAIN.withMaxPassiveEjectShare(sharePercent / 100.0);
        ProbeWorld world = new ProbeWorld(policy, 0, seed, A, B, C, D, E, F).started();
        int limit = policy.maxPassiveEjections(6);

        for (Input in : inputs) {
            String id = String.valueOf((char) ('a' + in.backend()));
            switch (in.kind()) {
                case 0 -> world.signal(id, PassiveSignal.values()[in.amount() % PassiveSignal.values().length]);
                case 1 -> world.retryAfter(id, 1 + in.amount());
                default -> world.runFor(Duration.ofMillis(in.amount() * 10L));
            }
            long held = world.tracker.statuses().stream()
                    .filter(s -> s.state() == HealthState.SUSPECT || s.state() == HealthState.UNAVAILABLE).count();
            assertThat(held).isLessThanOrEqualTo(limit);
        }
    }

    record Input(int kind, int backend, int amount) {
    }

    @Provide
    Arbitrary<Input> inputs() {
        return Combinators.combine(Arbitraries.integers().between(0, 2), Arbitraries.integers().between(0, 5),
                Arbitraries.integers().between(0, 200)).as(Input::new);
    }

    @Provide
    Arbitrary<HealthPolicy> policies() {
        Arbitrary<Integer> intervalMs = Arbitraries.integers().between(10, 5000);
        Arbitrary<Integer> timeoutPermille = Arbitraries.integers().between(1, 999);
        Arbitrary<Integer> jitterPercent = Arbitraries.integers().between(0, 50);
        Arbitrary<Integer> threshold = Arbitraries.integers().between(1, 5);
        return Combinators.combine(intervalMs, timeoutPermille, jitterPercent, threshold, threshold)
                .as((interval, timeout, jitter, rise, fall) -> HealthPolicy.DEFAULTS
                        .withTiming(Duration.ofMillis(interval), Duration.ofMillis(interval).multipliedBy(timeout).dividedBy(1000).plusNanos(1))
                        .withJitter(jitter / 100.0).withRise(rise).withFall(fall));
    }

    /** Three backends, all up, b answering after a random share of the timeout. */
    private static ProbeWorld risen(HealthPolicy policy, long clockStart, long seed, int rttPercent) {
        ProbeWorld world = new ProbeWorld(policy, clockStart, seed, A, B, C)
                .answer("b", Answer.reply(200).after(rtt(policy, rttPercent)));
        world.runFor(policy.interval().multipliedBy(policy.rise() + 1));
        assertThat(world.state("b")).isEqualTo(HealthState.UP);
        return world;
    }

    private static Duration rtt(HealthPolicy policy, int percentOfTimeout) {
        return policy.timeout().multipliedBy(percentOfTimeout).dividedBy(100);
    }

    private static Duration fractionOfInterval(HealthPolicy policy, int permille) {
        return policy.interval().multipliedBy(permille).dividedBy(1000);
    }

    private static StateChanged lastChangeOf(ProbeWorld world, String id) {
        List<StateChanged> changes = world.changesOf(id);
        assertThat(changes).isNotEmpty();
        return changes.get(changes.size() - 1);
    }
}
