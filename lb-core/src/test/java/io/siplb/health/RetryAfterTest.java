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
import org.junit.jupiter.api.Test;

class RetryAfterTest {

    @Test
    void takesABackendOutForItsRetryAfter() {
        ProbeWorld world = new ProbeWorld(PLAIN, A, B, C).started();

        world.retryAfter("b", 30);
        world.runFor(Duration.ofSeconds(29));
        assertThat(world.state("b")).isEqualTo(HealthState.UNAVAILABLE);
        assertThat(world.tracker.view().state("b")).isEqualTo(BackendState.DOWN);
        world.runFor(Duration.ofSeconds(1));

        assertThat(world.state("b")).isEqualTo(HealthState.UP);
        assertThat(world.changesOf("b")).extracting(StateChanged::reason)
                .containsExactly(Reason.RETRY_AFTER, Reason.RETRY_AFTER_ELAPSED);
    }

    @Test
    void capsRetryAfterAtTheConfiguredMaximum() {
        ProbeWorld world = new ProbeWorld(PLAIN, A, B, C).started();

        world.retryAfter("b", 3600);
        world.runFor(HealthPolicy.DEFAULT_MAX_RETRY_AFTER);

        assertThat(world.state("b")).isEqualTo(HealthState.UP);
        assertThat(world.changesOf("b").get(0).detail()).isEqualTo("3600s, capped to 1m");
    }

    @Test
    void honoursRetryAfterOnAProbeReply() {
        ProbeWorld world = new ProbeWorld(PLAIN, A, B, C).started();

        world.answer("b", Answer.reply(503).withRetryAfter(20)).runFor(Duration.ofMillis(1100));

        assertThat(world.state("b")).isEqualTo(HealthState.UNAVAILABLE);
    }

    @Test
    void countsA503WithoutRetryAfterAsAnAliveReply() {
        ProbeWorld world = new ProbeWorld(PLAIN, A, B, C).started();

        world.answer("b", Answer.reply(503)).runFor(Duration.ofSeconds(5));

        assertThat(world.changesOf("b")).isEmpty();
    }

    @Test
    void extendsButNeverShortensARunningRetryAfter() {
        ProbeWorld world = new ProbeWorld(PLAIN, A, B, C).started();
        world.retryAfter("b", 30);

        world.retryAfter("b", 5);
        world.runFor(Duration.ofSeconds(10));
        assertThat(world.state("b")).isEqualTo(HealthState.UNAVAILABLE);
        world.retryAfter("b", 40);
        world.runFor(Duration.ofSeconds(39));

        assertThat(world.state("b")).isEqualTo(HealthState.UNAVAILABLE);
    }

    @Test
    void keepsProbingAnUnavailableBackendAndNoticesItDie() {
        ProbeWorld world = new ProbeWorld(PLAIN, A, B, C).started();
        world.retryAfter("b", 30);

        world.dies("b").runFor(Duration.ofSeconds(3));

        assertThat(world.state("b")).isEqualTo(HealthState.DOWN);
    }

    @Test
    void ignoresRetryAfterWhenTheCapIsZero() {
        ProbeWorld world = new ProbeWorld(PLAIN.withMaxRetryAfter(Duration.ZERO), A, B, C).started();

        world.retryAfter("b", 30);

        assertThat(world.state("b")).isEqualTo(HealthState.UP);
    }

    @Test
    void countsRetryAfterTowardThePassiveEjectionLimit() {
        ProbeWorld world = new ProbeWorld(PLAIN, A, B, C).started();
        world.signal("a", PassiveSignal.PORT_UNREACHABLE);

        world.retryAfter("b", 30);

        assertThat(world.state("b")).isEqualTo(HealthState.UP);
    }
}
