package io.siplb.hash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * What every {@link HomeProxySelector} must do, as default test methods: a test class
 * implements this with its factory and inherits the tests (the SUPSI
 * {@code ConsistentHashContract} pattern). Balance and disruption figures over a million AORs
 * live in {@link HomeProxySelectorProperties}.
 */
interface HomeProxySelectorContract {

    HomeProxySelector create(BackendView view);

    static BackendView view(int n) {
        List<Backend> backends = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            backends.add(Backend.of("10.0.0." + (i + 1), 5060).withId("proxy-" + i));
        }
        return BackendView.of(backends);
    }

    static long[] aors(int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        long[] out = new long[count];
        for (int i = 0; i < count; i++) {
            out[i] = random.nextLong();
        }
        return out;
    }

    @Test
    default void givesTheSameBackendForTheSameAorEveryTime() {
        HomeProxySelector a = create(view(5));
        HomeProxySelector b = create(view(5));

        for (long aor : aors(10_000, 1)) {
            assertThat(a.select(aor)).isSameAs(a.select(aor)).isEqualTo(b.select(aor));
        }
    }

    @Test
    default void usesEveryBackend() {
        HomeProxySelector selector = create(view(5));
        Set<Backend> used = new HashSet<>();

        for (long aor : aors(1_000, 2)) {
            used.add(selector.select(aor));
        }

        assertThat(used).containsExactlyInAnyOrderElementsOf(selector.view().backends());
    }

    @Test
    default void answersNullWhenTheViewIsEmpty() {
        HomeProxySelector selector = create(BackendView.of(List.of()));

        assertThat(selector.select(42)).isNull();
        assertThat(selector.selectExisting(42)).isNull();
        assertThat(selector.preferenceList(42)).isEmpty();
    }

    @Test
    default void answersNullWhenNoBackendIsUp() {
        BackendView view = view(3)
                .withState("proxy-0", BackendState.DOWN)
                .withState("proxy-1", BackendState.DOWN)
                .withState("proxy-2", BackendState.DRAINING);
        HomeProxySelector selector = create(view);

        for (long aor : aors(1_000, 3)) {
            assertThat(selector.select(aor)).isNull();
            assertThat(selector.selectExisting(aor).id()).isEqualTo("proxy-2");
        }
    }

    @Test
    default void neverSelectsABackendThatIsNotUp() {
        BackendView view = view(6).withState("proxy-1", BackendState.DOWN).withState("proxy-4", BackendState.DRAINING);
        HomeProxySelector selector = create(view);

        for (long aor : aors(10_000, 4)) {
            for (int rank = 0; rank < 4; rank++) {
                assertThat(view.state(selector.select(aor, rank).id())).isEqualTo(BackendState.UP);
            }
            assertThat(selector.select(aor, 4)).isNull();
        }
    }

    @Test
    default void ranksOfOneAorAreDistinctBackends() {
        HomeProxySelector selector = create(view(7));

        for (long aor : aors(2_000, 5)) {
            Set<Backend> seen = new HashSet<>();
            for (int rank = 0; rank < 7; rank++) {
                assertThat(seen.add(selector.select(aor, rank))).isTrue();
            }
            assertThat(selector.select(aor, 7)).isNull();
        }
    }

    @Test
    default void secondChoiceIsWhereTheAorGoesWhenItsHomeFails() {
        BackendView view = view(8);
        HomeProxySelector selector = create(view);

        for (long aor : aors(2_000, 6)) {
            Backend home = selector.select(aor);
            HomeProxySelector withoutHome = selector.withView(view.withState(home.id(), BackendState.DOWN));

            assertThat(withoutHome.select(aor)).isEqualTo(selector.select(aor, 1));
        }
    }

    @Test
    default void drainingBackendTakesNoNewAorsButKeepsItsExistingOnes() {
        BackendView view = view(5);
        HomeProxySelector before = create(view);
        HomeProxySelector draining = before.withView(view.withState("proxy-3", BackendState.DRAINING));

        for (long aor : aors(5_000, 7)) {
            assertThat(draining.select(aor).id()).isNotEqualTo("proxy-3");
            assertThat(draining.selectExisting(aor)).isEqualTo(before.select(aor));
        }
    }

    @Test
    default void preferenceListHoldsEveryBackendOnceStartingWithTheHome() {
        HomeProxySelector selector = create(view(6));

        for (long aor : aors(500, 8)) {
            List<Backend> order = selector.preferenceList(aor);

            assertThat(order).containsExactlyInAnyOrderElementsOf(selector.view().backends());
            assertThat(order.get(0)).isEqualTo(selector.select(aor));
            assertThat(order.get(1)).isEqualTo(selector.select(aor, 1));
        }
    }

    @Test
    default void rejectsANegativeRank() {
        HomeProxySelector selector = create(view(2));

        assertThatIllegalArgumentException().isThrownBy(() -> selector.select(1, -1))
                .withMessage("rank: -1 (expected: >= 0)");
    }

    @Test
    default void answersForTheViewItWasGiven() {
        BackendView view = view(3);
        BackendView changed = view.withState("proxy-1", BackendState.DOWN);

        assertThat(create(view).view()).isSameAs(view);
        assertThat(create(view).withView(changed).view()).isSameAs(changed);
    }

    @Test
    default void returnsBackendsWithTheNewViewsAddresses() {
        BackendView view = view(1);
        Backend moved = new Backend("proxy-0", "10.9.9.9", 5070, "TCP", 1);

        HomeProxySelector selector = create(view).withView(BackendView.of(List.of(moved)));

        assertThat(selector.select(99)).isSameAs(moved);
    }
}
