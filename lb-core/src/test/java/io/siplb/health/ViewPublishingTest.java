package io.siplb.health;

import static io.siplb.health.ProbeWorld.A;
import static io.siplb.health.ProbeWorld.B;
import static io.siplb.health.ProbeWorld.C;
import static io.siplb.health.ProbeWorld.PLAIN;
import static org.assertj.core.api.Assertions.assertThat;

import io.siplb.hash.BackendView;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ViewPublishingTest {

    @Test
    void keepsTheSameViewWhileNothingChanges() {
        ProbeWorld world = new ProbeWorld(PLAIN, A, B, C).started();
        BackendView before = world.tracker.view();

        world.lose("b", 1).runFor(Duration.ofSeconds(10));

        assertThat(world.tracker.view()).isSameAs(before);
    }

    @Test
    void publishesANewViewWhenARoutingStateChanges() {
        ProbeWorld world = new ProbeWorld(PLAIN, A, B, C).started();
        BackendView before = world.tracker.view();

        world.dies("b").runFor(Duration.ofSeconds(3));

        assertThat(world.tracker.view()).isNotSameAs(before);
        assertThat(world.tracker.view().version()).isGreaterThan(before.version());
    }

    @Test
    void keepsTheSameViewWhenOnlyTheShownStateChanges() {
        ProbeWorld world = new ProbeWorld(PLAIN, A, B, C).started();
        world.dies("b").runFor(Duration.ofSeconds(3));
        BackendView before = world.tracker.view();

        world.retryAfter("b", 30); // DOWN stays DOWN for routing

        assertThat(world.tracker.view()).isSameAs(before);
    }
}
