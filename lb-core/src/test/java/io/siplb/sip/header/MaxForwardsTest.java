package io.siplb.sip.header;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class MaxForwardsTest {

    private static int maxForwards(String text) {
        return Wire.parse(MaxForwards::parse, text);
    }

    @ParameterizedTest
    @CsvSource({"70, 70", "0, 0", "255, 255", "0068, 68", "00000000000000000001, 1"})
    void readsTheNumber(String text, int expected) {
        assertThat(maxForwards(text)).isEqualTo(expected);
    }

    @Test
    void allowsSurroundingWhiteSpace() {
        assertThat(maxForwards("  70 \n ")).isEqualTo(70);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "256", "99999999999999999999", "-1", "7 0", "70a", "+70", "0x10"})
    void isMinusOneWhenMalformedOrOutOfRange(String text) {
        assertThat(maxForwards(text)).isEqualTo(-1);
    }
}
