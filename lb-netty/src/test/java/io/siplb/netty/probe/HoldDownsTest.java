package io.siplb.netty.probe;

import static org.assertj.core.api.Assertions.assertThat;

import io.siplb.hash.Backend;
import io.siplb.health.HealthEvent;
import io.siplb.health.HealthState;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class HoldDownsTest {

    private final AtomicLong now = new AtomicLong(1_000);
    private final HoldDowns holdDowns = new HoldDowns(Duration.ofSeconds(10), now::get);
    private final Backend b = new Backend("b", "10.0.0.2", 5060, "UDP", 1);

    private HealthEvent change(HealthState from, HealthState to) {
        return new HealthEvent.StateChanged(b, from, to, HealthEvent.Reason.values()[0], "", now.get());
    }

    @Test
    void holdsDownABackendBackFromDownUntilTheDurationHasPassed() {
        holdDowns.observe(List.of(change(HealthState.DOWN, HealthState.UP)));
        now.addAndGet(Duration.ofSeconds(10).toNanos() - 1);
        assertThat(holdDowns.active()).containsExactly("b");
        now.addAndGet(1);
        assertThat(holdDowns.active()).isEmpty();
    }

    @Test
    void doesNotHoldDownABackendSeenForTheFirstTime() {
        holdDowns.observe(List.of(change(HealthState.PROBING, HealthState.UP)));
        assertThat(holdDowns.active()).isEmpty();
    }

    @Test
    void doesNotHoldDownABackendWhoseSuspicionCleared() {
        holdDowns.observe(List.of(change(HealthState.SUSPECT, HealthState.UP)));
        assertThat(holdDowns.active()).isEmpty();
    }

    @Test
    void wakesTheLoopWhenTheHoldDownEnds() {
        holdDowns.observe(List.of(change(HealthState.DOWN, HealthState.UP)));
        assertThat(holdDowns.earlierDeadline(Long.MAX_VALUE)).isEqualTo(Duration.ofSeconds(10).toNanos());
    }

    @Test
    void holdsNothingDownWhenTheDurationIsZero() {
        HoldDowns off = new HoldDowns(Duration.ZERO, now::get);
        off.observe(List.of(change(HealthState.DOWN, HealthState.UP)));
        assertThat(off.active()).isEmpty();
    }
}
