package io.siplb.route;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;

/**
 * SipHash-2-4 (Aumasson and Bernstein, 2012) fed incrementally and reused: the same 64-bit
 * values as Guava's {@code Hashing.sipHash24(k0, k1).newHasher()} given the same
 * {@code putByte}/{@code putInt}/{@code putLong} (little-endian) and {@code putString(s, UTF_8)}
 * calls, without Guava's per-hash hasher, buffer and {@code HashCode} objects or the byte array
 * {@code putString} encodes into. {@link ViaBranch} hashes twice per forwarded request, so
 * that garbage was per message.
 *
 * <p>Not thread-safe: one instance per thread, {@link #reset} before each hash.
 */
final class SipHash24 {

    private final long k0;
    private final long k1;
    private long v0;
    private long v1;
    private long v2;
    private long v3;
    /** Bytes not yet compressed, little-endian in the low {@code 8 * pending} bits. */
    private long tail;
    private int pending;
    private long length;

    SipHash24(long k0, long k1) {
        this.k0 = k0;
        this.k1 = k1;
        reset();
    }

    /** Starts a new hash. */
    SipHash24 reset() {
        v0 = 0x736f6d6570736575L ^ k0;
        v1 = 0x646f72616e646f6dL ^ k1;
        v2 = 0x6c7967656e657261L ^ k0;
        v3 = 0x7465646279746573L ^ k1;
        tail = 0;
        pending = 0;
        length = 0;
        return this;
    }

    SipHash24 putByte(int b) {
        tail |= (b & 0xffL) << (pending << 3);
        length++;
        if (++pending == 8) {
            compress(tail);
            tail = 0;
            pending = 0;
        }
        return this;
    }

    /** Four bytes, little-endian (as Guava's {@code Hasher.putInt}). */
    SipHash24 putInt(int v) {
        return putByte(v).putByte(v >>> 8).putByte(v >>> 16).putByte(v >>> 24);
    }

    /** Eight bytes, little-endian (as Guava's {@code Hasher.putLong}). */
    SipHash24 putLong(long v) {
        if (pending == 0) {
            length += 8;
            compress(v);
            return this;
        }
        for (int i = 0; i < 8; i++, v >>>= 8) {
            putByte((int) v);
        }
        return this;
    }

    /** The UTF-8 bytes of {@code s} (as Guava's {@code putString(s, UTF_8)}). */
    SipHash24 putString(CharSequence s) {
        int n = s.length();
        for (int i = 0; i < n; i++) {
            if (s.charAt(i) >= 0x80) {
                // rare: let the JDK encode (surrogates, replacement of unpaired ones) exactly as Guava does
                byte[] utf8 = s.toString().getBytes(StandardCharsets.UTF_8);
                for (byte b : utf8) {
                    putByte(b);
                }
                return this;
            }
        }
        for (int i = 0; i < n; i++) {
            putByte(s.charAt(i));
        }
        return this;
    }

    /** Bytes {@code [start, end)} of {@code buf}; its indices are not changed. */
    SipHash24 putBytes(ByteBuf buf, int start, int end) {
        for (int i = start; i < end; i++) {
            putByte(buf.getByte(i));
        }
        return this;
    }

    /** The hash of everything put since {@link #reset}; call {@link #reset} before reusing. */
    long hash() {
        long b = (length << 56) | tail;
        v3 ^= b;
        round();
        round();
        v0 ^= b;
        v2 ^= 0xff;
        round();
        round();
        round();
        round();
        return v0 ^ v1 ^ v2 ^ v3;
    }

    private void compress(long m) {
        v3 ^= m;
        round();
        round();
        v0 ^= m;
    }

    private void round() {
        v0 += v1;
        v2 += v3;
        v1 = Long.rotateLeft(v1, 13);
        v3 = Long.rotateLeft(v3, 16);
        v1 ^= v0;
        v3 ^= v2;
        v0 = Long.rotateLeft(v0, 32);
        v2 += v1;
        v0 += v3;
        v1 = Long.rotateLeft(v1, 17);
        v3 = Long.rotateLeft(v3, 21);
        v1 ^= v2;
        v3 ^= v0;
        v2 = Long.rotateLeft(v2, 32);
    }
}
