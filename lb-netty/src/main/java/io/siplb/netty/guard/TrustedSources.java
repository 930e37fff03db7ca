package io.siplb.netty.guard;

import java.net.InetAddress;
import java.security.SecureRandom;

import static com.google.common.base.Preconditions.checkArgument;

/**
 * Client addresses a backend has accepted lately: the ones that go first when siplb cannot keep
 * up with a flood ({@link Guard}). A source becomes trusted when a backend answers its REGISTER
 * or INVITE with a 2xx, which a flood of made-up AORs never gets (a registrar challenges what it
 * cannot authenticate), and stays trusted for {@code trustNanos} after the last such answer.
 *
 * <p>A fixed table, like {@link SourceLimiter}'s and keyed the same way (an IPv4 address, an IPv6
 * /64): 4-way set associative with a per-process random seed; a new entry takes an empty or
 * expired slot of its set, else the one that expires first. Only backends' answers write it, so
 * a flood cannot push trusted clients out. Memory: 16 bytes a slot.
 *
 * <p>Threads: written by the loop that routes a backend's answer, read by every UDP socket's
 * loop, without locks. A race can miss an entry for a moment or lose one update: a client is
 * then shed like an unknown one, for one datagram; never unsafe.
 */
public final class TrustedSources {

    private static final int WAYS = 4;

    private final long[] keys;
    private final long[] until;
    private final int setMask;
    private final long trustNanos;
    private final long seed = new SecureRandom().nextLong();

    /**
     * @param slots      table size; rounded up to a power of two, at least {@value #WAYS}
     * @param trustNanos how long a 2xx keeps its source trusted
     */
    public TrustedSources(int slots, long trustNanos) {
        checkArgument(slots >= 1 && trustNanos > 0, "slots %s, trustNanos %s", slots, trustNanos);
        int sets = Integer.highestOneBit(Math.max(1, (slots + WAYS - 1) / WAYS - 1)) << 1;
        this.keys = new long[sets * WAYS];
        this.until = new long[sets * WAYS];
        this.setMask = sets - 1;
        this.trustNanos = trustNanos;
    }

    /** Trusts {@code source} until {@code nowNanos + trustNanos}. */
    public void trust(InetAddress source, long nowNanos) {
        long key = SourceLimiter.key(source, seed);
        int base = setOf(key) * WAYS;
        int victim = base;
        long victimUntil = Long.MAX_VALUE;
        for (int i = base; i < base + WAYS; i++) {
            if (keys[i] == key) {
                until[i] = nowNanos + trustNanos;
                return;
            }
            long u = keys[i] == 0 || until[i] - nowNanos <= 0 ? Long.MIN_VALUE : until[i] - nowNanos;
            if (u < victimUntil) {
                victimUntil = u;
                victim = i;
            }
        }
        until[victim] = nowNanos + trustNanos;
        keys[victim] = key;
    }

    /** Whether {@code source} is trusted at {@code nowNanos}. A hash and four compares; no allocation for IPv4. */
    public boolean isTrusted(InetAddress source, long nowNanos) {
        long key = SourceLimiter.key(source, seed);
        int base = setOf(key) * WAYS;
        for (int i = base; i < base + WAYS; i++) {
            if (keys[i] == key) {
                return until[i] - nowNanos > 0;
            }
        }
        return false;
    }

    /** Sources trusted at {@code nowNanos}; scans the table (for the metrics scrape, not the hot path). */
    public int trustedCount(long nowNanos) {
        int n = 0;
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] != 0 && until[i] - nowNanos > 0) {
                n++;
            }
        }
        return n;
    }

    /** Number of slots. */
    public int capacity() {
        return keys.length;
    }

    private int setOf(long key) {
        return (int) SourceLimiter.mix(key ^ seed) & setMask;
    }
}
