package io.siplb.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class HealthPolicyTest {

    @Test
    void defaultsToTheDocumentedValues() {
        HealthPolicy p = HealthPolicy.DEFAULTS;

        assertThat(p.enabled()).isTrue();
        assertThat(p.interval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(p.timeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(p.jitter()).isEqualTo(0.1);
        assertThat(p.rise()).isEqualTo(2);
        assertThat(p.fall()).isEqualTo(2);
        assertThat(p.aliveCodes()).isEqualTo(ReplyCodes.ANY_FINAL);
        assertThat(p.panicThreshold()).isEqualTo(0.5);
        assertThat(p.maxPassiveEjectShare()).isEqualTo(1.0 / 3);
        assertThat(p.maxRetryAfter()).isEqualTo(Duration.ofSeconds(60));
        assertThat(p.slowStart()).isZero();
    }

    @Test
    void boundsDetectionByIntervalTimesFallPlusTimeout() {
        assertThat(HealthPolicy.DEFAULTS.detectionBound()).isEqualTo(Duration.ofMillis(2500));
    }

    @Test
    void rejectsATimeoutNotShorterThanTheInterval() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> HealthPolicy.DEFAULTS.withTimeout(Duration.ofSeconds(1)))
                .withMessage("timeout: 1s (expected: more than 0s and less than interval 1s, "
                        + "so that probes of one backend do not overlap)");
    }

    @Test
    void rejectsJitterAboveOneHalf() {
        assertThatIllegalArgumentException().isThrownBy(() -> HealthPolicy.DEFAULTS.withJitter(0.6))
                .withMessage("jitter: 0.6 (expected: 0 ~ 0.5)");
    }

    @Test
    void rejectsARiseOfZero() {
        assertThatIllegalArgumentException().isThrownBy(() -> HealthPolicy.DEFAULTS.withRise(0))
                .withMessage("rise: 0 (expected: 1 ~ 100)");
    }

    @Test
    void rejectsAPanicThresholdOfOne() {
        assertThatIllegalArgumentException().isThrownBy(() -> HealthPolicy.DEFAULTS.withPanicThreshold(1))
                .withMessage("panicThreshold: 1.0 (expected: 0 ~ 1, 1 excluded; 0 = never panic)");
    }

    @Test
    void rejectsANegativeSlowStart() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> HealthPolicy.DEFAULTS.withSlowStart(Duration.ofSeconds(-1)))
                .withMessage("slowStart: PT-1S (expected: 0s ~ 1h; 0s = off)");
    }

    @Test
    void letsPassiveSignalsEjectAThirdButAlwaysAtLeastOne() {
        HealthPolicy p = HealthPolicy.DEFAULTS;

        assertThat(p.maxPassiveEjections(1)).isEqualTo(1);
        assertThat(p.maxPassiveEjections(2)).isEqualTo(1);
        assertThat(p.maxPassiveEjections(6)).isEqualTo(2);
        assertThat(p.maxPassiveEjections(10)).isEqualTo(3);
        assertThat(p.withMaxPassiveEjectShare(0).maxPassiveEjections(10)).isZero();
    }
}
