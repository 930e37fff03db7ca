package io.siplb.hash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BackendViewTest {

    private static final Backend A = Backend.of("10.0.0.1", 5060).withId("a");
    private static final Backend B = Backend.of("10.0.0.2", 5060).withId("b");
    private static final Backend C = Backend.of("10.0.0.3", 5060).withId("c");

    @Test
    void keepsBackendsInIdOrderWhateverTheInputOrder() {
        assertThat(BackendView.of(List.of(C, A, B)).backends()).containsExactly(A, B, C);
        assertThat(BackendView.of(List.of(C, A, B))).isEqualTo(BackendView.of(List.of(A, B, C)));
    }

    @Test
    void startsWithEveryBackendUpAtVersionZero() {
        BackendView view = BackendView.of(List.of(A, B));

        assertThat(view.version()).isZero();
        assertThat(view.count(BackendState.UP)).isEqualTo(2);
    }

    @Test
    void rejectsDuplicateIds() {
        assertThatIllegalArgumentException().isThrownBy(() -> BackendView.of(List.of(A, B, A.withWeight(3))))
                .withMessage("backends: duplicate id 'a' (expected: unique ids)");
    }

    @Test
    void withStateCopiesAndBumpsTheVersion() {
        BackendView view = BackendView.of(7, List.of(A, B));

        BackendView down = view.withState("b", BackendState.DOWN);

        assertThat(down.state("b")).isEqualTo(BackendState.DOWN);
        assertThat(down.version()).isEqualTo(8);
        assertThat(view.state("b")).isEqualTo(BackendState.UP);
    }

    @Test
    void withStateOfTheCurrentStateReturnsTheSameView() {
        BackendView view = BackendView.of(List.of(A, B));

        assertThat(view.withState("a", BackendState.UP)).isSameAs(view);
    }

    @Test
    void withStatesChangesSeveralInOneVersion() {
        BackendView view = BackendView.of(List.of(A, B, C))
                .withStates(Map.of("a", BackendState.DRAINING, "c", BackendState.DOWN));

        assertThat(view.version()).isEqualTo(1);
        assertThat(view.state(0)).isEqualTo(BackendState.DRAINING);
        assertThat(view.state(1)).isEqualTo(BackendState.UP);
        assertThat(view.state(2)).isEqualTo(BackendState.DOWN);
    }

    @Test
    void rejectsAStateForAnUnknownId() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> BackendView.of(List.of(A)).withState("z", BackendState.DOWN))
                .withMessage("id: 'z' (expected: one of the view's backends)");
    }

    @Test
    void indexOfFindsEachBackendAndMinusOneOtherwise() {
        BackendView view = BackendView.of(List.of(C, B, A));

        assertThat(view.indexOf("a")).isZero();
        assertThat(view.indexOf("c")).isEqualTo(2);
        assertThat(view.indexOf("bb")).isEqualTo(-1);
    }

    @Test
    void drainingAcceptsExistingButNotNewAors() {
        assertThat(BackendState.DRAINING.acceptsNew()).isFalse();
        assertThat(BackendState.DRAINING.acceptsExisting()).isTrue();
        assertThat(BackendState.DOWN.acceptsExisting()).isFalse();
    }

    @Test
    void ranksAlikeWhenOnlyStatesOrAddressesDiffer() {
        BackendView view = BackendView.of(List.of(A, B));

        assertThat(view.ranksLike(BackendView.of(List.of(A, B.withTransport("TCP"))).withState("a", BackendState.DOWN)))
                .isTrue();
        assertThat(view.ranksLike(BackendView.of(List.of(A, B.withWeight(2))))).isFalse();
        assertThat(view.ranksLike(BackendView.of(List.of(A, C)))).isFalse();
    }
}
