package io.siplb.sip;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Searches in byte arrays for the codec's scanners ({@link SipParser} and the header parsers of
 * {@code io.siplb.sip.header}), which read a buffer's bytes from an array (see {@link FrameBytes}).
 * Not for use outside the codec.
 */
public final class ByteArrays {

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101_0101_0101_0101L;
    private static final long HIGHS = 0x8080_8080_8080_8080L;

    private ByteArrays() {
    }

    /**
     * The index of the first {@code b} in {@code a[from, to)}, or -1: eight bytes at a time (SWAR:
     * a byte equal to {@code b} becomes zero after the XOR, and the subtraction borrows through
     * the lowest zero byte first, so the lowest flagged byte is always a real match). Reads
     * nothing outside {@code [from, to)}.
     */
    public static int indexOf(byte[] a, int from, int to, byte b) {
        long pattern = (b & 0xFFL) * ONES;
        int k = from;
        for (; k + Long.BYTES <= to; k += Long.BYTES) {
            long x = (long) LONGS.get(a, k) ^ pattern;
            long found = (x - ONES) & ~x & HIGHS;
            if (found != 0) {
                return k + (Long.numberOfTrailingZeros(found) >>> 3);
            }
        }
        for (; k < to; k++) {
            if (a[k] == b) {
                return k;
            }
        }
        return -1;
    }

    /**
     * The index of the first byte in {@code a[from, to)} that is {@code b1} or {@code b2}, or -1;
     * eight bytes at a time as {@link #indexOf}: each flag's lowest set byte is a real match, so
     * the lowest of both is the first.
     */
    public static int indexOfEither(byte[] a, int from, int to, byte b1, byte b2) {
        long p1 = (b1 & 0xFFL) * ONES;
        long p2 = (b2 & 0xFFL) * ONES;
        int k = from;
        for (; k + Long.BYTES <= to; k += Long.BYTES) {
            long w = (long) LONGS.get(a, k);
            long x1 = w ^ p1;
            long x2 = w ^ p2;
            long found = ((x1 - ONES) & ~x1 | (x2 - ONES) & ~x2) & HIGHS;
            if (found != 0) {
                return k + (Long.numberOfTrailingZeros(found) >>> 3);
            }
        }
        for (; k < to; k++) {
            if (a[k] == b1 || a[k] == b2) {
                return k;
            }
        }
        return -1;
    }

    /** Eight bytes at {@code a[k]}, the first in the lowest byte; {@code k + 8} must not pass the array. */
    public static long longAt(byte[] a, int k) {
        return (long) LONGS.get(a, k);
    }
}
