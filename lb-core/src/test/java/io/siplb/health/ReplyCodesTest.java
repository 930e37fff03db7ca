package io.siplb.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

class ReplyCodesTest {

    @Test
    void anyFinalHoldsEveryFinalCodeAndNoProvisionalOne() {
        assertThat(ReplyCodes.ANY_FINAL.contains(200)).isTrue();
        assertThat(ReplyCodes.ANY_FINAL.contains(404)).isTrue();
        assertThat(ReplyCodes.ANY_FINAL.contains(699)).isTrue();
        assertThat(ReplyCodes.ANY_FINAL.contains(180)).isFalse();
        assertThat(ReplyCodes.ANY_FINAL.contains(700)).isFalse();
    }

    @Test
    void parsesCodesAndRanges() {
        ReplyCodes codes = ReplyCodes.parse("200-299, 404,401");

        assertThat(codes).isEqualTo(ReplyCodes.range(200, 299).union(ReplyCodes.of(401, 404)));
        assertThat(codes.contains(403)).isFalse();
    }

    @Test
    void printsTheConfigurationFormWithRangesCollapsed() {
        assertThat(ReplyCodes.parse("404,200-299,401,402,403")).hasToString("200-299,401-404");
    }

    @Test
    void rejectsAProvisionalCode() {
        assertThatIllegalArgumentException().isThrownBy(() -> ReplyCodes.of(100))
                .withMessage("reply code: 100 (expected: a final response 200 ~ 699)");
    }

    @Test
    void rejectsSomethingThatIsNotACode() {
        assertThatIllegalArgumentException().isThrownBy(() -> ReplyCodes.parse("2xx"))
                .withMessage("reply codes: '2xx' has '2xx' (expected: codes or ranges such as 200-299,404)");
    }

    @Test
    void rejectsABackwardRange() {
        assertThatIllegalArgumentException().isThrownBy(() -> ReplyCodes.parse("299-200"))
                .withMessage("reply codes: '299-200' has range 299-200 (expected: from <= to)");
    }
}
