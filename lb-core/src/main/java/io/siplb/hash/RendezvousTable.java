package io.siplb.hash;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A bucketed weighted rendezvous table: the {@link HomeProxySelector} siplb uses.
 *
 * <h2>How it maps</h2>
 * The top {@code bucketBits} bits of the AOR fingerprint pick one of M buckets. Each bucket
 * ranks every backend by its weighted rendezvous score (Schindelhauer and Schomaker's weighted
 * HRW, the "logarithmic method"):
 * <pre>
 *   u(bucket, b) = top 52 bits of fmix64(hash(b.id) ^ salt(bucket)), mapped into (0,1)
 *   score(bucket, b) = b.weight / -ln(u)          (highest first; ties by canonical index)
 * </pre>
 * {@code -ln(u)} is exponential with rate 1, so {@code -ln(u)/w} is exponential with rate
 * {@code w}, and the backend with the smallest of those (the highest score) is backend
 * {@code b} with probability exactly {@code w_b / Σw}. The same holds after removing any
 * backends, which gives the weighted shares both for the home and for every fallback rank.
 * A lookup returns the first eligible backend of the bucket's order. Because a bucket's order
 * never depends on states, a backend going down changes only the buckets it was first
 * eligible in (only its AORs move), each of them moves to its own next choice (so they spread
 * in proportion to weight), and when it comes back exactly those buckets return.
 * Because the order depends only on (id, weight) pairs, the list order does not matter, and
 * adding a backend moves only the AORs the new backend wins.
 *
 * <h2>Sizing</h2>
 * M = 2<sup>20</sup> buckets by default. The balance is limited by bucket granularity: with n
 * equal backends a backend owns Binomial(M, 1/n) buckets, a relative spread of about
 * {@code sqrt(n / M)}. DESIGN asks for max/mean ≤ 1.02 over 10 backends, which needs that
 * spread well under 0.5 %: 4 096 buckets give 4.7 % (fails), 65 536 give 1.2 % (fails
 * often), 2<sup>20</sup> give 0.3 %, comparable to the sampling noise of 1 M AORs themselves.
 * Measured over 20 random sets of 10 backend ids and 1 M AORs: worst max/mean 1.013, worst
 * weighted share off by 0.8 % (weights 1, 2, 3, 4), worst spread of a failed backend's AORs
 * 1.034. The AORs a failed backend sheds (~M/n buckets split n-1 ways) are balanced to
 * about {@code sqrt(n²/M)} ≈ 1 % for 10 backends, inside the 1.05 goal.
 *
 * <p>Storing every bucket's full order would cost {@code M × n × 2} bytes (128 MiB at 64
 * backends), so a bucket keeps only its first {@value #STORED_CHOICES} choices, packed as
 * 16-bit indices in one {@code long}: 8 MiB for any n, one memory access per lookup. When all
 * stored choices are ineligible (at least four of a bucket's top backends down at once, or
 * a rank beyond the fourth), the lookup continues the same order by scoring the bucket's
 * backends on the fly: still exact and allocation-free, but O(n) per further candidate.
 *
 * <h2>Costs and poor fits</h2>
 * <ul>
 *   <li>A state change reuses the ranking ({@link #withView}): only two n-element
 *       {@code boolean[]} are new.
 *   <li>A change of ids or weights rebuilds M × n scores: about 0.2 s for 10 equal backends and
 *       1.3 s for 256 on a 2-core EPYC, up to twice that with unequal weights (a logarithm
 *       per score that survives a cheap bound). That is a configuration reload, not a
 *       per-message cost, but build the new selector before swapping it in.
 *   <li>With hundreds of backends the bucket granularity ({@code sqrt(n / M)}, 1.6 % at 256)
 *       dominates the balance; a deployment that needs tight balance over that many proxies
 *       wants a larger M.
 *   <li>{@link StrictMath#log} (not {@code Math.log}, whose intrinsic may differ by an ulp
 *       between CPUs) keeps the two nodes of a pair bit-identical even on different hardware.
 * </ul>
 */
final class RendezvousTable implements HomeProxySelector {

    /** log2 of the default bucket count M; see "Sizing". */
    static final int DEFAULT_BUCKET_BITS = 20;
    /** Choices kept per bucket: four 16-bit indices fill one {@code long}. */
    static final int STORED_CHOICES = 4;
    /** Marks an unused slot (fewer backends than {@link #STORED_CHOICES}). */
    private static final int NONE = 0xffff;

    private final BackendView view;
    private final Ranking ranking;
    private final Backend[] backends;
    private final boolean[] acceptsNew;
    private final boolean[] acceptsExisting;

    private RendezvousTable(BackendView view, Ranking ranking) {
        this.view = view;
        this.ranking = ranking;
        this.backends = view.backends().toArray(new Backend[0]);
        this.acceptsNew = view.acceptsNew;
        this.acceptsExisting = view.acceptsExisting;
    }

    static RendezvousTable build(BackendView view) {
        return build(view, DEFAULT_BUCKET_BITS);
    }

    /** A table with 2^bucketBits buckets; tests use small tables where balance is not the point. */
    static RendezvousTable build(BackendView view, int bucketBits) {
        requireNonNull(view, "view");
        checkArgument(bucketBits >= 1 && bucketBits <= 30, "bucketBits: %s (expected: 1 ~ 30)", bucketBits);
        return new RendezvousTable(view, new Ranking(view, bucketBits));
    }

    @Override
    public BackendView view() {
        return view;
    }

    @Override
    public Backend select(long aorHash, int rank) {
        return pick(aorHash, rank, acceptsNew);
    }

    @Override
    public Backend selectExisting(long aorHash, int rank) {
        return pick(aorHash, rank, acceptsExisting);
    }

    private Backend pick(long aorHash, int rank, boolean[] eligible) {
        checkArgument(rank >= 0, "rank: %s (expected: >= 0)", rank);
        long[] choices = ranking.choices;
        if (choices == null) {
            return null;
        }
        int bucket = (int) (aorHash >>> ranking.shift);
        long packed = choices[bucket];
        int remaining = rank;
        int last = NONE;
        for (int k = 0; k < STORED_CHOICES; k++, packed >>>= 16) {
            int index = (int) packed & NONE;
            if (index == NONE) {
                return null; // the bucket's whole order was stored and is used up
            }
            if (eligible[index]) {
                if (remaining == 0) {
                    return backends[index];
                }
                remaining--;
            }
            last = index;
        }
        if (backends.length <= STORED_CHOICES) {
            return null; // nothing beyond the stored choices
        }
        int index = ranking.continueAfter(bucket, last, remaining, eligible);
        return index < 0 ? null : backends[index];
    }

    @Override
    public List<Backend> preferenceList(long aorHash) {
        if (ranking.choices == null) {
            return List.of();
        }
        int[] order = ranking.fullOrder((int) (aorHash >>> ranking.shift));
        List<Backend> out = new ArrayList<>(order.length);
        for (int index : order) {
            out.add(backends[index]);
        }
        return out;
    }

    @Override
    public HomeProxySelector withView(BackendView newView) {
        requireNonNull(newView, "view");
        if (newView == view) {
            return this;
        }
        return view.ranksLike(newView)
                ? new RendezvousTable(newView, ranking)
                : new RendezvousTable(newView, new Ranking(newView, ranking.bucketBits));
    }

    int bucketCount() {
        return 1 << ranking.bucketBits;
    }

    /** True when this table and {@code other} share one ranking (tests: state changes reuse it). */
    boolean sharesRankingWith(RendezvousTable other) {
        return ranking == other.ranking;
    }

    @Override
    public String toString() {
        return "RendezvousTable{buckets=" + bucketCount() + ", " + view + '}';
    }

    /**
     * The state-independent part: every bucket's first choices and what is needed to score the
     * rest. Shared by all tables whose views rank alike.
     */
    private static final class Ranking {
        private static final long SALT_MULTIPLIER = 0x9e37_79b9_7f4a_7c15L; // 2^64 / golden ratio
        private static final long SALT_SEED = 0x6275_636b_6574_7321L;      // ASCII "buckets!"
        /** Relative slack on the cheap upper bound, far above the rounding error of either side. */
        private static final double BOUND_SLACK = 1 - 1e-9;

        final int bucketBits;
        final int shift;
        final long[] idHashes;
        final double[] weights;
        final boolean equalWeights;
        /** Per bucket, up to four 16-bit backend indices, first choice in the low bits; null when empty. */
        final long[] choices;

        Ranking(BackendView view, int bucketBits) {
            this.bucketBits = bucketBits;
            this.shift = 64 - bucketBits;
            int n = view.size();
            idHashes = new long[n];
            weights = new double[n];
            boolean equal = true;
            for (int i = 0; i < n; i++) {
                Backend b = view.backend(i);
                idHashes[i] = AorHasher.fingerprint(b.id());
                weights[i] = b.weight();
                equal &= b.weight() == view.backend(0).weight();
            }
            equalWeights = equal;
            choices = n == 0 ? null : buildChoices(n);
        }

        private long[] buildChoices(int n) {
            int m = 1 << bucketBits;
            int keep = Math.min(n, STORED_CHOICES);
            long[] out = new long[m];
            double[] topScore = new double[keep];
            int[] topIndex = new int[keep];
            for (int bucket = 0; bucket < m; bucket++) {
                long salt = salt(bucket);
                int filled = 0;
                for (int i = 0; i < n; i++) {
                    if (filled == keep && !equalWeights) {
                        // -ln(u) >= 1 - u, so w / (1 - u) bounds the score from above: most
                        // candidates are rejected without computing a logarithm.
                        double u = unit(AorHasher.fmix64(idHashes[i] ^ salt));
                        if (weights[i] / (1 - u) < topScore[keep - 1] * BOUND_SLACK) {
                            continue;
                        }
                    }
                    double s = score(salt, i);
                    if (filled == keep) {
                        // indices rise, so an equal score loses to the lower index already kept
                        if (s <= topScore[keep - 1]) {
                            continue;
                        }
                        filled--;
                    }
                    int j = filled;
                    while (j > 0 && s > topScore[j - 1]) { // ties keep the lower index first
                        topScore[j] = topScore[j - 1];
                        topIndex[j] = topIndex[j - 1];
                        j--;
                    }
                    topScore[j] = s;
                    topIndex[j] = i;
                    filled++;
                }
                long packed = -1L; // all slots NONE
                for (int k = keep - 1; k >= 0; k--) {
                    packed = (packed << 16) | topIndex[k];
                }
                out[bucket] = packed;
            }
            return out;
        }

        /**
         * The eligible backend {@code rank} places after {@code last} in the bucket's order
         * (counting eligible ones only), or -1. O(n) per step.
         */
        int continueAfter(int bucket, int last, int rank, boolean[] eligible) {
            long salt = salt(bucket);
            double prevScore = score(salt, last);
            int prev = last;
            for (int step = 0; ; step++) {
                int best = -1;
                double bestScore = 0;
                for (int i = 0; i < idHashes.length; i++) {
                    if (!eligible[i]) {
                        continue;
                    }
                    double s = score(salt, i);
                    boolean after = s < prevScore || (s == prevScore && i > prev);
                    if (after && (best < 0 || s > bestScore)) { // i ascends: ties keep the lower index
                        best = i;
                        bestScore = s;
                    }
                }
                if (best < 0 || step == rank) {
                    return best;
                }
                prev = best;
                prevScore = bestScore;
            }
        }

        /** The bucket's whole order, by sorting; for {@link #preferenceList} and tests. */
        int[] fullOrder(int bucket) {
            long salt = salt(bucket);
            int n = idHashes.length;
            Integer[] order = new Integer[n];
            double[] scores = new double[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
                scores[i] = score(salt, i);
            }
            Arrays.sort(order, (a, b) -> scores[a] != scores[b]
                    ? Double.compare(scores[b], scores[a])
                    : Integer.compare(a, b));
            return Arrays.stream(order).mapToInt(Integer::intValue).toArray();
        }

        private double score(long salt, int i) {
            double u = unit(AorHasher.fmix64(idHashes[i] ^ salt));
            // equal weights rank by u alone: w / -ln(u) is increasing in u, and this skips the log
            return equalWeights ? u : weights[i] / -StrictMath.log(u);
        }

        private static long salt(int bucket) {
            return AorHasher.fmix64(bucket * SALT_MULTIPLIER + SALT_SEED);
        }

        /**
         * The top 52 bits as a double strictly inside (0, 1): (k + 0.5) / 2^52 is exact for
         * k < 2^52, ranging from 2^-53 to 1 - 2^-53, so -ln(u) is never 0 or infinite. (With 53
         * bits the largest value would round to 1.0.)
         */
        private static double unit(long h) {
            return ((h >>> 12) + 0.5) * 0x1.0p-52;
        }
    }
}
