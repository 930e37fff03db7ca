package io.siplb.route;

import com.google.common.base.Ticker;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

/**
 * Which backend recent initial INVITEs went to, keyed by the client's transaction (the
 * {@link ViaBranch#transaction transaction identity} siplb's branch is made from: top Via
 * branch and sent-by, or the RFC 2543 fields), so that a CANCEL and the ACK of a non-2xx answer
 * reach the backend that got the INVITE even when the backend view changed in between (DESIGN.md
 * routing rule 5). The only state the router keeps: bounded in size and age (64 × T1 = 32 s, the
 * INVITE transaction's longest life, RFC 3261 §17.1.1.2), so memory is capped whatever the
 * traffic. Losing an entry only falls back to hashing, which gives the same backend unless the
 * view changed.
 *
 * <p>A fixed table of {@code long}s, written on every INVITE from every event loop: no lock, no
 * object per entry (so no garbage that lives 32 s and ages into the old generation), no
 * allocation at all once each backend id has been seen. A transaction hashes to a slot and
 * takes the first of {@value #PROBES} that is free, expired or its own, else the one that
 * expires first. A reader matches the whole 64-bit key and, in the value, 16 more bits of it:
 * a key and value torn apart by two event loops writing the same slot at the same instant read
 * as a miss, not as another transaction's backend.
 *
 * <p>Thread-safe; time comes from the injected ticker.
 */
public final class RecentInvites {

    public static final int DEFAULT_MAX_ENTRIES = 65_536;
    public static final Duration DEFAULT_TTL = Duration.ofSeconds(32);

    /** Slots looked at per insert and lookup, from the transaction's own. */
    static final int PROBES = 4;
    /** Backend ids a table can name: 16 bits of the value. */
    private static final int MAX_BACKEND_IDS = 0xffff;

    private final Ticker ticker;
    private final long ttlMillis;
    private final long epochNanos;
    private final int mask;
    /**
     * Per slot two longs: the transaction key, then the value: 16 bits of the key (check),
     * 16 bits of backend code + 1 (0 = empty), 32 bits of expiry in milliseconds since
     * {@link #epochNanos} (wrapping; compared by difference, TTLs are far below 2^31 ms).
     */
    private final AtomicLongArray slots;
    /** Backend id → code, and back. Ids are few and only grow (configured backends, reloads). */
    private final ConcurrentHashMap<String, Integer> codes = new ConcurrentHashMap<>();
    private volatile String[] ids = new String[0];

    /**
     * @param maxEntries the table size, rounded up to a power of two
     * @param ttl        how long an INVITE is remembered
     */
    public RecentInvites(int maxEntries, Duration ttl, Ticker ticker) {
        checkArgument(maxEntries > 0 && maxEntries <= 1 << 24, "maxEntries: %s (expected: 1 ~ 2^24)", maxEntries);
        checkArgument(!ttl.isNegative() && !ttl.isZero() && ttl.toMillis() < Integer.MAX_VALUE / 2,
                "ttl: %s (expected: > 0 and < 12 days)", ttl);
        this.ticker = requireNonNull(ticker, "ticker");
        this.ttlMillis = Math.max(1, ttl.toMillis());
        int size = Integer.highestOneBit(Math.max(maxEntries, PROBES) - 1) << 1;
        this.mask = size - 1;
        this.slots = new AtomicLongArray(2 * size);
        this.epochNanos = ticker.read();
    }

    /** Defaults on the system clock. */
    public static RecentInvites withDefaults() {
        return new RecentInvites(DEFAULT_MAX_ENTRIES, DEFAULT_TTL, Ticker.systemTicker());
    }

    /** Remembers that the INVITE of {@code transaction} went to {@code backendId}. */
    void remember(long transaction, String backendId) {
        int code = codeOf(backendId);
        if (code < 0) {
            return; // more distinct backend ids than a table can name: forget, fall back to hashing
        }
        int now = nowMillis();
        int home = slot(transaction);
        int victim = home;
        int soonest = Integer.MAX_VALUE;
        for (int i = 0; i < PROBES; i++) {
            int s = (home + i) & mask;
            long key = slots.get(2 * s);
            long value = slots.get(2 * s + 1);
            if (key == transaction || value == 0 || remaining(value, now) <= 0) {
                victim = s;
                break;
            }
            int left = remaining(value, now);
            if (left < soonest) {
                soonest = left;
                victim = s;
            }
        }
        long value = (transaction >>> 48) << 48 | (long) (code + 1) << 32 | ((now + ttlMillis) & 0xffff_ffffL);
        slots.set(2 * victim, transaction);
        slots.set(2 * victim + 1, value);
    }

    /** The backend the INVITE of {@code transaction} went to, or null when unknown or expired. */
    String backendOf(long transaction) {
        int now = nowMillis();
        int home = slot(transaction);
        for (int i = 0; i < PROBES; i++) {
            int s = (home + i) & mask;
            if (slots.get(2 * s) != transaction) {
                continue;
            }
            long value = slots.get(2 * s + 1);
            if (value >>> 48 != transaction >>> 48 || remaining(value, now) <= 0) {
                return null;
            }
            int code = (int) (value >>> 32 & 0xffff) - 1;
            String[] known = ids;
            return code >= 0 && code < known.length ? known[code] : null;
        }
        return null;
    }

    private int slot(long transaction) {
        return (int) (transaction ^ transaction >>> 32) & mask;
    }

    private int nowMillis() {
        return (int) TimeUnit.NANOSECONDS.toMillis(ticker.read() - epochNanos);
    }

    /** Milliseconds until {@code value} expires (<= 0: expired); wraps correctly for TTLs far under 2^31 ms. */
    private static int remaining(long value, int now) {
        return (int) value - now;
    }

    private int codeOf(String backendId) {
        Integer code = codes.get(backendId);
        return code != null ? code : addCode(backendId);
    }

    private synchronized int addCode(String backendId) {
        Integer code = codes.get(backendId);
        if (code != null) {
            return code;
        }
        String[] known = ids;
        if (known.length >= MAX_BACKEND_IDS) {
            return -1;
        }
        String[] more = Arrays.copyOf(known, known.length + 1);
        more[known.length] = backendId;
        ids = more; // published before the code can be read from a slot
        codes.put(backendId, known.length);
        return known.length;
    }
}
