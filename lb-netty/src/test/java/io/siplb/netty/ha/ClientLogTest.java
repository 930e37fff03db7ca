package io.siplb.netty.ha;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The client's view of a takeover, from the S/A/L lines of the ha scenarios (as SIPp prints them). */
class ClientLogTest {

    private static final long T0 = 1_795_646_825_000_000L;

    private static String line(char kind, int call, long micros) {
        return kind + " " + call + " " + (micros / 1_000_000) + ".000000 " + (micros % 1_000_000) + ".000000";
    }

    @Test
    void theOutageIsTheLongestSilenceBetweenAnswersAfterTheFailure() {
        ClientLog log = ClientLog.parse(List.of(
                line('S', 1, T0), line('A', 1, T0 + 1_000),
                line('S', 2, T0 + 10_000), line('L', 2, T0 + 2_010_000),
                line('S', 3, T0 + 20_000), line('L', 3, T0 + 2_020_000),
                line('S', 4, T0 + 330_000), line('A', 4, T0 + 331_000),
                line('S', 5, T0 + 340_000), line('A', 5, T0 + 341_000)));

        assertThat(log.gapMillisAfter(T0 + 5_000)).isEqualTo(330);
        assertThat(log.lost()).isEqualTo(2);
        assertThat(log.lostSentFrom(T0 + 15_000)).isEqualTo(1);
        assertThat(log.answeredAfter(T0 + 5_000)).isEqualTo(2);
        assertThat(log.unaccounted()).isZero();
        assertThat(log.sendGapMillisAfter(T0 + 5_000)).isEqualTo(310);
    }

    @Test
    void answersThatNeverResumeMakeTheOutageRunToTheLastRequest() {
        ClientLog log = ClientLog.parse(List.of(
                line('S', 1, T0), line('A', 1, T0 + 1_000),
                line('S', 2, T0 + 500_000), line('L', 2, T0 + 2_500_000)));

        assertThat(log.gapMillisAfter(T0 + 100_000)).isEqualTo(499);
    }

    @Test
    void linesOfOtherShapesAreIgnored() {
        ClientLog log = ClientLog.parse(List.of("INVITE | x | y | z", "", line('S', 1, T0)));

        assertThat(log.sent()).isEqualTo(1);
        assertThat(log.unaccounted()).isEqualTo(1);
    }
}
