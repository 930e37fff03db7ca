package io.siplb.netty.guard;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.security.SecureRandom;

import static com.google.common.base.Preconditions.checkArgument;

/**
 * Per-source-address rate limit with a ban list that expires by itself, in a fixed-size table:
 * memory is bounded whatever the number of sources (issue 8), and a message costs a hash, a
 * probe of four slots and a few array writes: no lock, no allocation for IPv4 (an IPv6 source
 * costs one 16-byte copy from {@link InetAddress#getAddress()}).
 *
 * <h2>Rate</h2>
 * Each source has a token bucket in its GCRA form (ITU-T I.371 "virtual scheduling"): one long,
 * the theoretical arrival time {@code tat}. A message at {@code now} passes when
 * {@code max(tat, now) - now <= tolerance} and then moves {@code tat} one emission interval
 * ({@code 1s / rate}) on; {@code tolerance = burst × interval}. A source that is refused
 * {@code banAfter} times in a row is banned for {@code banDuration}; the ban ends by itself (the
 * next message after it finds an expired ban and starts afresh).
 *
 * <h2>Sources</h2>
 * An IPv4 source is its address; an IPv6 source is its /64, since one host can use a whole /64.
 * Keys are spread over the sets with a per-process random seed, so a flooder cannot aim at the
 * set of a victim. The table is 4-way set associative: a new source takes an empty slot of its
 * set, else the least recently seen unbanned one (a ban survives a flood of new sources unless
 * all four slots of its set are banned), else the ban that ends first.
 *
 * <h2>Threads</h2>
 * Event loops call {@link #admit} concurrently without locks. A race between two loops on the
 * same slot can let one extra message through or lose one refusal: the limit is approximate by a
 * message or two, never unsafe, and a slot never becomes unusable. Sources are mostly confined to
 * one loop anyway (the kernel hashes a UDP flow to one {@code SO_REUSEPORT} socket, a
 * connection lives on one loop).
 */
public final class SourceLimiter {

    /** What to do with a message. */
    public enum Verdict {
        /** Within the rate. */
        PASS,
        /** Over the rate: refuse this message. */
        LIMITED,
        /** Over the rate {@code banAfter} times in a row: this message starts a ban. */
        BAN_STARTED,
        /** The source is banned. */
        BANNED
    }

    private static final int WAYS = 4;

    private final long[] keys;
    private final long[] tat;
    private final long[] bannedUntil;
    private final long[] lastSeen;
    private final int[] strikes;
    private final int setMask;
    private final long interval;
    private final long tolerance;
    private final int banAfter;
    private final long banNanos;
    private final long seed;
    private final boolean unlimited;

    /**
     * @param rate        messages per second a source may send on average; 0: no rate limit
     * @param burst       messages above the rate a source may send at once
     * @param banAfter    refusals in a row that start a ban
     * @param banNanos    how long a ban lasts
     * @param slots       table size; rounded up to a power of two, at least {@value #WAYS}
     */
    public SourceLimiter(int rate, int burst, int banAfter, long banNanos, int slots) {
        checkArgument(rate >= 0 && burst >= 1 && banAfter >= 1 && banNanos >= 0 && slots >= 1,
                "rate %s, burst %s, banAfter %s, banNanos %s, slots %s", rate, burst, banAfter, banNanos, slots);
        int sets = Integer.highestOneBit(Math.max(1, (slots + WAYS - 1) / WAYS - 1)) << 1;
        this.keys = new long[sets * WAYS];
        this.tat = new long[sets * WAYS];
        this.bannedUntil = new long[sets * WAYS];
        this.lastSeen = new long[sets * WAYS];
        this.strikes = new int[sets * WAYS];
        this.setMask = sets - 1;
        this.unlimited = rate == 0;
        this.interval = rate == 0 ? 0 : 1_000_000_000L / rate;
        this.tolerance = interval * burst;
        this.banAfter = banAfter;
        this.banNanos = Math.max(1, banNanos);
        this.seed = new SecureRandom().nextLong();
    }

    /** Number of slots (the memory bound: about 36 bytes each). */
    public int capacity() {
        return keys.length;
    }

    /** The verdict for one message from {@code source} at {@code nowNanos} ({@link System#nanoTime()}). */
    public Verdict admit(InetAddress source, long nowNanos) {
        if (unlimited) {
            return Verdict.PASS;
        }
        int slot = slotOf(key(source), nowNanos);
        lastSeen[slot] = nowNanos;
        long ban = bannedUntil[slot];
        if (ban != 0) {
            if (nowNanos - ban < 0) {
                return Verdict.BANNED;
            }
            bannedUntil[slot] = 0; // expired by itself
            strikes[slot] = 0;
            tat[slot] = nowNanos;
        }
        long t = Math.max(tat[slot], nowNanos);
        if (t - nowNanos > tolerance) {
            int s = strikes[slot] + 1;
            strikes[slot] = s;
            if (s >= banAfter) {
                bannedUntil[slot] = nowNanos + banNanos;
                return Verdict.BAN_STARTED;
            }
            return Verdict.LIMITED;
        }
        tat[slot] = t + interval;
        strikes[slot] = 0;
        return Verdict.PASS;
    }

    /** Whether {@code source} is banned at {@code nowNanos}; does not create an entry. */
    public boolean isBanned(InetAddress source, long nowNanos) {
        if (unlimited) {
            return false;
        }
        long key = key(source);
        int base = setOf(key) * WAYS;
        for (int i = base; i < base + WAYS; i++) {
            if (keys[i] == key) {
                long ban = bannedUntil[i];
                return ban != 0 && nowNanos - ban < 0;
            }
        }
        return false;
    }

    /** Sources banned at {@code nowNanos}; scans the table (for the metrics scrape, not the hot path). */
    public int bannedCount(long nowNanos) {
        int n = 0;
        for (int i = 0; i < keys.length; i++) {
            long ban = bannedUntil[i];
            if (keys[i] != 0 && ban != 0 && nowNanos - ban < 0) {
                n++;
            }
        }
        return n;
    }

    private int slotOf(long key, long now) {
        int base = setOf(key) * WAYS;
        int victim = base;
        long victimScore = Long.MAX_VALUE;
        for (int i = base; i < base + WAYS; i++) {
            long k = keys[i];
            if (k == key) {
                return i;
            }
            // empty first, then the least recently seen unbanned, then the ban ending first
            long score;
            if (k == 0) {
                score = Long.MIN_VALUE;
            } else if (bannedUntil[i] != 0 && now - bannedUntil[i] < 0) {
                score = Long.MAX_VALUE / 2 + (bannedUntil[i] - now);
            } else {
                score = lastSeen[i] - now; // <= 0, older is smaller
            }
            if (score < victimScore) {
                victimScore = score;
                victim = i;
            }
        }
        keys[victim] = key;
        tat[victim] = now;
        bannedUntil[victim] = 0;
        strikes[victim] = 0;
        return victim;
    }

    private int setOf(long key) {
        return (int) mix(key ^ seed) & setMask;
    }

    private long key(InetAddress address) {
        return key(address, seed);
    }

    /**
     * The table key of a source: an IPv4 address, an IPv6 /64 (hashed with {@code seed}). Never 0
     * (the empty slot): IPv4 keys have bit 32 set, IPv6 keys the top bit. Shared with
     * {@link TrustedSources}.
     */
    static long key(InetAddress address, long seed) {
        if (address instanceof Inet4Address) {
            return (address.hashCode() & 0xffffffffL) | 1L << 32; // Inet4Address#hashCode is the address
        }
        byte[] a = address.getAddress();
        long prefix = 0;
        for (int i = 0; i < 8 && i < a.length; i++) {
            prefix = prefix << 8 | (a[i] & 0xff);
        }
        return mix(prefix ^ ~seed) | Long.MIN_VALUE;
    }

    /** MurmurHash3's fmix64. */
    static long mix(long k) {
        k ^= k >>> 33;
        k *= 0xff51afd7ed558ccdL;
        k ^= k >>> 33;
        k *= 0xc4ceb9fe1a85ec53L;
        k ^= k >>> 33;
        return k;
    }
}
