package io.siplb.netty.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class SippStatsTest {
    private static final String HEADER = "StartTime;TotalCallCreated;SuccessfulCall(C);FailedCall(C);"
            + "Retransmissions(C);FailedUnexpectedMessage(C);FailedTimeoutOnRecv(C);OutOfCallMsgs(C);";

    @Test
    void readsTheCumulativeCountersOfTheLastCompleteLine() {
        SippStats s = SippStats.parse(List.of(HEADER,
                "t0;10;9;1;0;0;1;0;",
                "t1;20;18;2;3;1;1;4;",
                "t2;2"), "fixture");

        assertThat(s.created()).isEqualTo(20);
        assertThat(s.successful()).isEqualTo(18);
        assertThat(s.failed()).isEqualTo(2);
        assertThat(s.retransmissions()).isEqualTo(3);
        assertThat(s.unexpected()).isEqualTo(1);
        assertThat(s.timeouts()).isEqualTo(1);
        assertThat(s.outOfCall()).isEqualTo(4);
    }

    @Test
    void reportsAMissingColumnAsMinusOneSoNoAssertionPassesByAccident() {
        SippStats s = SippStats.parse(List.of("TotalCallCreated;", "5;"), "fixture");

        assertThat(s.created()).isEqualTo(5);
        assertThat(s.successful()).isEqualTo(-1);
    }

    @Test
    void refusesAFileWithoutData() {
        assertThatThrownBy(() -> SippStats.parse(List.of(HEADER), "empty.csv"))
                .hasMessageContaining("empty.csv");
    }
}
