package io.siplb.vrrp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class VrrpTimersTest {

    @Test
    void skewTimeIsTheShareOfTheIntervalLeftAbovePriority() {
        // (256 - 100) / 256 of one second: the 0.609 s the ha-lab measured for a graceful stop.
        assertThat(VrrpTimers.skewTimeNanos(100, 100)).isEqualTo(609_375_000L);
    }

    @Test
    void skewTimeKeepsSubCentisecondResolution() {
        // Whole centiseconds would give 6 cs.
        assertThat(VrrpTimers.skewTimeNanos(100, 10)).isEqualTo(60_937_500L);
    }

    @Test
    void higherPrioritySkewsLess() {
        assertThat(VrrpTimers.skewTimeNanos(255, 100)).isEqualTo(3_906_250L);
        assertThat(VrrpTimers.skewTimeNanos(1, 100)).isEqualTo(996_093_750L);
    }

    @Test
    void masterDownIntervalIsThreeIntervalsPlusSkewTime() {
        // 3.609 s: the gap between the master's last and the backup's first advert in the lab capture.
        assertThat(VrrpTimers.masterDownIntervalNanos(100, 100)).isEqualTo(3_609_375_000L);
        assertThat(VrrpTimers.masterDownIntervalNanos(100, 10)).isEqualTo(360_937_500L);
    }
}
