package io.siplb.hash;

import static java.util.Objects.requireNonNull;

import io.netty.buffer.ByteBuf;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The stable 64-bit fingerprint of an address-of-record: the input to
 * {@link HomeProxySelector#select(long)}.
 *
 * <p>The function is MurmurHash3 x64_128 with seed {@link #SEED} over the UTF-8 bytes of the
 * AOR, keeping the first 64 bits (the same value as Guava's
 * {@code Hashing.murmur3_128(SEED).hashBytes(bytes).asLong()}). It is written out here rather
 * than called through Guava so that it reads straight from a {@link ByteBuf} or a
 * {@link CharSequence} without allocating, and so that no library upgrade can change it:
 * changing this function moves every user to another home proxy at once, which is an outage
 * for everyone whose registration then lives elsewhere. Golden vectors in {@code
 * AorHasherTest} pin it; they must never be edited to make a change pass.
 *
 * <p>The caller normalises: the AOR is {@code user@host} with the host lower-cased and no
 * port, parameters or scheme (DESIGN "Routing rules" step 5), or the bare number for a
 * {@code tel:} URI or {@code user=phone}. Two spellings of one AOR that are not normalised to
 * the same bytes land on different proxies.
 *
 * <p>This is not a keyed or cryptographic hash: anyone can craft AORs that share a proxy. That
 * only lets an attacker concentrate their own traffic, which they can do anyway by reusing one
 * AOR.
 */
public final class AorHasher {

    /** The MurmurHash3 seed; part of the mapping, never to be changed. ASCII "sipl". */
    public static final int SEED = 0x7369_706c;

    private static final long C1 = 0x87c3_7b91_1142_53d5L;
    private static final long C2 = 0x4cf5_ad43_2745_937fL;
    private static final VarHandle LONG_LE =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private AorHasher() {
    }

    /**
     * The fingerprint of a normalised AOR string (hashed as UTF-8). Allocates nothing when the
     * string is ASCII, which every normalised SIP AOR is unless its user part holds unescaped
     * UTF-8.
     */
    public static long fingerprint(CharSequence aor) {
        requireNonNull(aor, "aor");
        int len = aor.length();
        for (int i = 0; i < len; i++) {
            if (aor.charAt(i) >= 0x80) {
                byte[] utf8 = aor.toString().getBytes(StandardCharsets.UTF_8);
                return fingerprint(utf8, 0, utf8.length);
            }
        }
        long h1 = SEED;
        long h2 = SEED;
        int i = 0;
        for (; i + 16 <= len; i += 16) {
            long k1 = asciiWord(aor, i, 8);
            long k2 = asciiWord(aor, i + 8, 8);
            h1 ^= mixK1(k1);
            h1 = Long.rotateLeft(h1, 27) + h2;
            h1 = h1 * 5 + 0x52dc_e729;
            h2 ^= mixK2(k2);
            h2 = Long.rotateLeft(h2, 31) + h1;
            h2 = h2 * 5 + 0x3849_5ab5;
        }
        int tail = len - i;
        long k1 = asciiWord(aor, i, Math.min(tail, 8));
        long k2 = tail > 8 ? asciiWord(aor, i + 8, tail - 8) : 0;
        return finish(h1 ^ mixK1(k1), h2 ^ mixK2(k2), len);
    }

    /** The fingerprint of {@code length} bytes of {@code bytes} from {@code offset}. */
    public static long fingerprint(byte[] bytes, int offset, int length) {
        requireNonNull(bytes, "bytes");
        Objects.checkFromIndexSize(offset, length, bytes.length);
        long h1 = SEED;
        long h2 = SEED;
        int end = offset + length;
        int i = offset;
        for (; i + 16 <= end; i += 16) {
            long k1 = (long) LONG_LE.get(bytes, i);
            long k2 = (long) LONG_LE.get(bytes, i + 8);
            h1 ^= mixK1(k1);
            h1 = Long.rotateLeft(h1, 27) + h2;
            h1 = h1 * 5 + 0x52dc_e729;
            h2 ^= mixK2(k2);
            h2 = Long.rotateLeft(h2, 31) + h1;
            h2 = h2 * 5 + 0x3849_5ab5;
        }
        long k1 = 0;
        long k2 = 0;
        for (int j = end - 1; j >= i; j--) {
            // tail bytes little-endian: byte i+n goes to bits 8n of k1 (n < 8) or k2 (n >= 8)
            int n = j - i;
            if (n >= 8) {
                k2 |= (bytes[j] & 0xffL) << (8 * (n - 8));
            } else {
                k1 |= (bytes[j] & 0xffL) << (8 * n);
            }
        }
        return finish(h1 ^ mixK1(k1), h2 ^ mixK2(k2), length);
    }

    /**
     * The fingerprint of the readable-or-not bytes {@code [start, end)} of {@code buf}, without
     * changing its indices. For an AOR that is already normalised in the received bytes.
     */
    public static long fingerprint(ByteBuf buf, int start, int end) {
        requireNonNull(buf, "buf");
        Objects.checkFromToIndex(start, end, buf.capacity());
        long h1 = SEED;
        long h2 = SEED;
        int i = start;
        for (; i + 16 <= end; i += 16) {
            long k1 = buf.getLongLE(i);
            long k2 = buf.getLongLE(i + 8);
            h1 ^= mixK1(k1);
            h1 = Long.rotateLeft(h1, 27) + h2;
            h1 = h1 * 5 + 0x52dc_e729;
            h2 ^= mixK2(k2);
            h2 = Long.rotateLeft(h2, 31) + h1;
            h2 = h2 * 5 + 0x3849_5ab5;
        }
        long k1 = 0;
        long k2 = 0;
        for (int j = end - 1; j >= i; j--) {
            int n = j - i;
            if (n >= 8) {
                k2 |= (buf.getByte(j) & 0xffL) << (8 * (n - 8));
            } else {
                k1 |= (buf.getByte(j) & 0xffL) << (8 * n);
            }
        }
        return finish(h1 ^ mixK1(k1), h2 ^ mixK2(k2), end - start);
    }

    /** {@code count} (0..8) ASCII chars from {@code from} as a little-endian word. */
    private static long asciiWord(CharSequence s, int from, int count) {
        long w = 0;
        for (int n = count - 1; n >= 0; n--) {
            w = (w << 8) | s.charAt(from + n);
        }
        return w;
    }

    private static long mixK1(long k1) {
        k1 *= C1;
        k1 = Long.rotateLeft(k1, 31);
        return k1 * C2;
    }

    private static long mixK2(long k2) {
        k2 *= C2;
        k2 = Long.rotateLeft(k2, 33);
        return k2 * C1;
    }

    private static long finish(long h1, long h2, int length) {
        h1 ^= length;
        h2 ^= length;
        h1 += h2;
        h2 += h1;
        h1 = fmix64(h1);
        h2 = fmix64(h2);
        return h1 + h2;
    }

    /** MurmurHash3's 64-bit finaliser: a bijection with full avalanche. */
    static long fmix64(long k) {
        k ^= k >>> 33;
        k *= 0xff51_afd7_ed55_8ccdL;
        k ^= k >>> 33;
        k *= 0xc4ce_b9fe_1a85_ec53L;
        k ^= k >>> 33;
        return k;
    }
}
