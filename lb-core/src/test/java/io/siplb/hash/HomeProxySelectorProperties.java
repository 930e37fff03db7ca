package io.siplb.hash;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * The DESIGN "Consistent hashing" goals, measured. The million-AOR properties run on the real
 * (2^20-bucket) table with a fixed jqwik seed, so they sweep a few random backend sets yet give
 * the same verdict on every run; the structural properties run on small tables with random
 * seeds, where only exactness matters.
 *
 * <p>AOR fingerprints are a counter through MurmurHash3's finaliser, which is how real
 * fingerprints look to the table and costs nothing; {@link #realAorStringsSpreadLikeRandomFingerprints}
 * checks that real AOR strings do look like that.
 */
class HomeProxySelectorProperties {

    private static final int MILLION = 1_000_000;
    private static final String FIXED_SEED = "5060";

    // ---- balance -------------------------------------------------------------------------

    @Property(tries = 4, seed = FIXED_SEED, shrinking = ShrinkingMode.OFF)
    void tenEqualBackendsShareAMillionAorsWithinTwoPercent(@ForAll("tenIds") List<String> ids, @ForAll long aorSeed) {
        HomeProxySelector selector = HomeProxySelector.rendezvous(view(ids, Collections.nCopies(ids.size(), 1)));

        int[] counts = counts(homes(selector, fingerprints(aorSeed, MILLION)), ids.size());

        assertThat(maxOverMean(counts)).isLessThanOrEqualTo(1.02);
    }

    @Property(tries = 4, seed = FIXED_SEED, shrinking = ShrinkingMode.OFF)
    void weightsOneTwoThreeFourGetTheirShareWithinTwoPercent(@ForAll("fourIds") List<String> ids, @ForAll long aorSeed) {
        List<Integer> weights = List.of(1, 2, 3, 4);
        BackendView view = view(ids, weights);
        HomeProxySelector selector = HomeProxySelector.rendezvous(view);

        int[] counts = counts(homes(selector, fingerprints(aorSeed, MILLION)), ids.size());

        for (int i = 0; i < ids.size(); i++) {
            double expected = MILLION * view.backend(i).weight() / 10.0;
            assertThat(counts[i] / expected).as("share of %s", view.backend(i)).isBetween(0.98, 1.02);
        }
    }

    @Example
    void realAorStringsSpreadLikeRandomFingerprints() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            ids.add("proxy-" + i);
        }
        HomeProxySelector selector = HomeProxySelector.rendezvous(view(ids, Collections.nCopies(10, 1)));
        long[] aors = new long[200_000];
        for (int i = 0; i < aors.length; i++) {
            aors[i] = AorHasher.fingerprint("user" + i + "@domain" + (i % 7) + ".example.com");
        }

        // 20 000 AORs a backend: sampling noise alone is about 0.7 %
        assertThat(maxOverMean(counts(homes(selector, aors), 10))).isLessThanOrEqualTo(1.05);
    }

    // ---- minimal disruption ----------------------------------------------------------------

    @Property(tries = 4, seed = FIXED_SEED, shrinking = ShrinkingMode.OFF)
    void aFailedBackendShedsOnlyItsOwnAorsEvenlyAndGetsExactlyThemBack(
            @ForAll("tenIds") List<String> ids, @ForAll @IntRange(max = 9) int victim, @ForAll long aorSeed) {
        BackendView view = view(ids, Collections.nCopies(ids.size(), 1));
        HomeProxySelector selector = HomeProxySelector.rendezvous(view);
        long[] aors = fingerprints(aorSeed, MILLION);
        int[] before = homes(selector, aors);

        HomeProxySelector down = selector.withView(view.withState(view.backend(victim).id(), BackendState.DOWN));
        int[] during = homes(down, aors);
        HomeProxySelector back = down.withView(view);
        int[] after = homes(back, aors);

        int[] moved = new int[ids.size()];
        for (int a = 0; a < aors.length; a++) {
            if (before[a] == victim) {
                moved[during[a]]++;
            } else {
                assertThat(during[a]).as("AOR %s of a live backend", a).isEqualTo(before[a]);
            }
        }
        assertThat(moved[victim]).isZero();
        int[] survivors = new int[ids.size() - 1];
        for (int i = 0, j = 0; i < ids.size(); i++) {
            if (i != victim) {
                survivors[j++] = moved[i];
            }
        }
        assertThat(maxOverMean(survivors)).as("spread of the shed AORs").isLessThanOrEqualTo(1.05);
        assertThat(after).as("after recovery").isEqualTo(before);
    }

    @Property(tries = 200)
    void addingABackendMovesAorsOnlyToIt(@ForAll("someIds") List<String> ids, @ForAll long aorSeed) {
        List<String> existing = ids.subList(0, ids.size() - 1);
        HomeProxySelector before = RendezvousTable.build(view(existing, weights(existing.size(), aorSeed)), 12);
        List<Integer> moreWeights = new ArrayList<>(weights(existing.size(), aorSeed));
        moreWeights.add(1 + (int) (aorSeed & 3));
        HomeProxySelector after = RendezvousTable.build(view(ids, moreWeights), 12);
        String added = ids.get(ids.size() - 1);

        for (long aor : fingerprints(aorSeed, 2_000)) {
            String home = after.select(aor).id();
            if (!home.equals(added)) {
                assertThat(home).isEqualTo(before.select(aor).id());
            }
        }
    }

    @Property(tries = 200)
    void removingABackendFromTheListIsLikeItGoingDown(@ForAll("someIds") List<String> ids, @ForAll long aorSeed) {
        List<Integer> weights = weights(ids.size(), aorSeed);
        BackendView full = view(ids, weights);
        String removed = ids.get(0);
        HomeProxySelector down = RendezvousTable.build(full, 12).withView(full.withState(removed, BackendState.DOWN));
        HomeProxySelector without = RendezvousTable.build(view(ids.subList(1, ids.size()), weights.subList(1, ids.size())), 12);

        for (long aor : fingerprints(aorSeed, 2_000)) {
            for (int rank = 0; rank < ids.size(); rank++) {
                assertThat(id(without.select(aor, rank))).isEqualTo(id(down.select(aor, rank)));
            }
        }
    }

    // ---- same mapping everywhere -----------------------------------------------------------

    @Property(tries = 200)
    void listOrderDoesNotMatter(@ForAll("someIds") List<String> ids, @ForAll long shuffleSeed) {
        List<Integer> weights = weights(ids.size(), shuffleSeed);
        List<Backend> backends = backends(ids, weights);
        List<Backend> shuffled = new ArrayList<>(backends);
        Collections.shuffle(shuffled, new Random(shuffleSeed));

        HomeProxySelector a = RendezvousTable.build(BackendView.of(backends), 12);
        HomeProxySelector b = RendezvousTable.build(BackendView.of(shuffled), 12);

        for (long aor : fingerprints(shuffleSeed, 2_000)) {
            assertThat(b.preferenceList(aor)).isEqualTo(a.preferenceList(aor));
        }
    }

    @Example
    void fullSizeTablesFromAnyListOrderAgree() {
        List<Backend> backends = backends(List.of("c", "a", "e", "b", "d"), List.of(1, 2, 1, 3, 1));
        List<Backend> reversed = new ArrayList<>(backends);
        Collections.reverse(reversed);
        HomeProxySelector a = HomeProxySelector.rendezvous(BackendView.of(backends));
        HomeProxySelector b = HomeProxySelector.rendezvous(BackendView.of(reversed));

        long[] aors = fingerprints(7, 100_000);

        assertThat(homes(b, aors)).isEqualTo(homes(a, aors));
    }

    // ---- lookup is the preference order, filtered -----------------------------------------

    /**
     * Exercises both halves of a lookup: the four stored choices and the on-the-fly
     * continuation beyond them, against the full order computed by sorting.
     */
    @Property(tries = 300)
    void lookupIsThePreferenceOrderFilteredByState(
            @ForAll @Size(min = 1, max = 40) List<@IntRange(min = 1, max = 5) Integer> weights,
            @ForAll long stateSeed) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < weights.size(); i++) {
            ids.add("b" + i);
        }
        BackendView view = view(ids, weights);
        Random random = new Random(stateSeed);
        for (Backend b : view.backends()) {
            view = view.withState(b.id(), BackendState.values()[random.nextInt(3)]);
        }
        HomeProxySelector selector = RendezvousTable.build(view, 6);

        for (long aor : fingerprints(stateSeed, 100)) {
            List<Backend> order = selector.preferenceList(aor);
            List<Backend> up = new ArrayList<>();
            List<Backend> serving = new ArrayList<>();
            for (Backend b : order) {
                if (view.state(b.id()) == BackendState.UP) {
                    up.add(b);
                }
                if (view.state(b.id()) != BackendState.DOWN) {
                    serving.add(b);
                }
            }
            for (int rank = 0; rank <= order.size(); rank++) {
                assertThat(selector.select(aor, rank)).isEqualTo(rank < up.size() ? up.get(rank) : null);
                assertThat(selector.selectExisting(aor, rank)).isEqualTo(rank < serving.size() ? serving.get(rank) : null);
            }
        }
    }

    // ---- generators and helpers ------------------------------------------------------------

    @Provide
    Arbitrary<List<String>> tenIds() {
        return ids().list().ofSize(10).uniqueElements();
    }

    @Provide
    Arbitrary<List<String>> fourIds() {
        return ids().list().ofSize(4).uniqueElements();
    }

    @Provide
    Arbitrary<List<String>> someIds() {
        return ids().list().ofMinSize(2).ofMaxSize(12).uniqueElements();
    }

    private static Arbitrary<String> ids() {
        return Arbitraries.strings().alpha().numeric().withChars('-', '.', ':').ofMinLength(1).ofMaxLength(16);
    }

    static long[] fingerprints(long seed, int count) {
        long[] out = new long[count];
        for (int i = 0; i < count; i++) {
            out[i] = AorHasher.fmix64(seed + i);
        }
        return out;
    }

    private static List<Integer> weights(int n, long seed) {
        Random random = new Random(seed);
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(1 + random.nextInt(4));
        }
        return out;
    }

    private static List<Backend> backends(List<String> ids, List<Integer> weights) {
        List<Backend> out = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            out.add(new Backend(ids.get(i), "10.0.0." + (i + 1), 5060, "UDP", weights.get(i)));
        }
        return out;
    }

    private static BackendView view(List<String> ids, List<Integer> weights) {
        return BackendView.of(backends(ids, weights));
    }

    private static String id(Backend backend) {
        return backend == null ? null : backend.id();
    }

    /** The view index of each AOR's home, -1 for none. */
    private static int[] homes(HomeProxySelector selector, long[] aors) {
        Map<Backend, Integer> index = new IdentityHashMap<>();
        List<Backend> backends = selector.view().backends();
        for (int i = 0; i < backends.size(); i++) {
            index.put(backends.get(i), i);
        }
        int[] out = new int[aors.length];
        for (int a = 0; a < aors.length; a++) {
            Backend home = selector.select(aors[a]);
            out[a] = home == null ? -1 : index.get(home);
        }
        return out;
    }

    private static int[] counts(int[] homes, int n) {
        int[] counts = new int[n];
        for (int h : homes) {
            counts[h]++;
        }
        return counts;
    }

    private static double maxOverMean(int[] counts) {
        long sum = 0;
        int max = 0;
        for (int c : counts) {
            sum += c;
            max = Math.max(max, c);
        }
        return max / ((double) sum / counts.length);
    }
}
