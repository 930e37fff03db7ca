package io.siplb.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {

    @Test
    void parsesEachUnit() {
        assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse("1s")).isEqualTo(Duration.ofSeconds(1));
        assertThat(Durations.parse("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(Durations.parse("1h")).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void rejectsMissingUnitUnknownUnitSpacesAndFractions() {
        assertThat(Durations.parse("500")).isNull();
        assertThat(Durations.parse("5d")).isNull();
        assertThat(Durations.parse("5 s")).isNull();
        assertThat(Durations.parse("1.5s")).isNull();
        assertThat(Durations.parse("-1s")).isNull();
        assertThat(Durations.parse("")).isNull();
        assertThat(Durations.parse("9999999999s")).isNull();
    }

    @Test
    void formatsWithTheLargestExactUnit() {
        assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
        assertThat(Durations.format(Duration.ofMillis(2000))).isEqualTo("2s");
        assertThat(Durations.format(Duration.ofSeconds(120))).isEqualTo("2m");
        assertThat(Durations.format(Duration.ZERO)).isEqualTo("0s");
    }
}
