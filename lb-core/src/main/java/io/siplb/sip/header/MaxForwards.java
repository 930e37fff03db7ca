package io.siplb.sip.header;

import io.netty.buffer.ByteBuf;

/**
 * The value of a Max-Forwards header (RFC 3261 §20.22): {@code 1*DIGIT}, 0 ~ 255.
 *
 * <p>RFC 3261 §20.22 does not bound the number, but every sender starts at 70 (§8.1.1.6) and a
 * value above 255 is treated as malformed; leading zeros are allowed (RFC 4475 §3.1.1.1 wsinv
 * writes {@code 0068}).
 */
public final class MaxForwards {

    /** The largest value accepted. */
    public static final int MAX = 255;

    private MaxForwards() {
    }

    /**
     * The value spanning {@code [start, end)} (leading and trailing LWS allowed), or -1 when it is
     * not a number in 0 ~ 255. Never throws, never allocates, and reads nothing outside the range.
     */
    public static int parse(ByteBuf buf, int start, int end) {
        if (!Abnf.inBounds(buf, start, end)) {
            return -1;
        }
        int off = Abnf.offset(buf, start);
        return parse(Abnf.array(buf, start, end), start + off, end + off);
    }

    /**
     * Like {@link #parse(ByteBuf, int, int)}, reading the buffer's bytes from an array: byte
     * {@code k} of the buffer is {@code bytes[k + offset]}. {@code [start, end)} are buffer
     * offsets, For the codec, which may hold a message's
     * bytes in an array already.
     */
    public static int parseBytes(byte[] bytes, int offset, int start, int end) {
        return Abnf.inBounds(bytes, offset, start, end) ? parse(bytes, start + offset, end + offset) : -1;
    }

    /** {@link #parse(ByteBuf, int, int)} on array indices. */
    private static int parse(byte[] a, int s, int e) {
        int digitsStart = Abnf.consumeLws(a, s, e);
        int digitsEnd = Abnf.consumeRun(a, digitsStart, e, Abnf.DIGIT);
        if (Abnf.consumeLws(a, digitsEnd, e) != e) {
            return -1;
        }
        return (int) Abnf.decimal(a, digitsStart, digitsEnd, MAX);
    }
}
