package io.siplb.sip.header;

import io.netty.buffer.ByteBuf;
import io.siplb.sip.SipMethod;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

/**
 * The value of a CSeq header (RFC 3261 §20.16): {@code 1*DIGIT LWS Method}.
 *
 * <p>The number must be expressible as a 32-bit unsigned integer (§8.1.1.5, §20.16); leading
 * zeros are allowed (RFC 4475 §3.1.1.1 wsinv writes {@code 0009}). The method is compared
 * case-sensitively (§7.1), so {@code invite} is {@link SipMethod#OTHER} with {@link #methodName()}
 * "invite".
 *
 * @param number     0 ~ 4294967295
 * @param method     the method, {@link SipMethod#OTHER} for an extension method
 * @param methodName the method as written
 */
public record CSeq(long number, SipMethod method, String methodName) {

    /** The largest sequence number: 2^32 - 1. */
    public static final long MAX_NUMBER = 0xFFFF_FFFFL;

    public CSeq {
        checkArgument(number >= 0 && number <= MAX_NUMBER, "number: %s (expected: 0 ~ %s)", number, MAX_NUMBER);
        requireNonNull(method, "method");
        requireNonNull(methodName, "methodName");
    }

    /**
     * Parses a CSeq value spanning {@code [start, end)} (leading and trailing LWS, including
     * folded lines, are allowed); null when malformed. Never throws and reads nothing outside the
     * range.
     */
    public static CSeq parse(ByteBuf buf, int start, int end) {
        if (!Abnf.inBounds(buf, start, end)) {
            return null;
        }
        int off = Abnf.offset(buf, start);
        return parse(Abnf.array(buf, start, end), start + off, end + off);
    }

    /**
     * Like {@link #parse(ByteBuf, int, int)}, reading the buffer's bytes from an array: byte
     * {@code k} of the buffer is {@code bytes[k + offset]}. {@code [start, end)} are buffer
     * offsets, and so are the offsets of the result. For the codec, which may hold a message's
     * bytes in an array already.
     */
    public static CSeq parseBytes(byte[] bytes, int offset, int start, int end) {
        return Abnf.inBounds(bytes, offset, start, end) ? parse(bytes, start + offset, end + offset) : null;
    }

    /** {@link #parse(ByteBuf, int, int)} on array indices (a CSeq keeps no offsets). */
    private static CSeq parse(byte[] a, int s, int e) {
        int numberStart = Abnf.consumeLws(a, s, e);
        int numberEnd = Abnf.expectDigits(a, numberStart, e);
        if (numberEnd < 0) {
            return null;
        }
        long number = Abnf.decimal(a, numberStart, numberEnd, MAX_NUMBER);
        int methodStart = Abnf.expectLws(a, numberEnd, e);
        int methodEnd = methodStart < 0 ? -1 : Abnf.expectToken(a, methodStart, e);
        if (number < 0 || methodEnd < 0 || Abnf.consumeLws(a, methodEnd, e) != e) {
            return null;
        }
        SipMethod method = SipMethod.lookup(a, methodStart, methodEnd - methodStart);
        String name = method == SipMethod.OTHER ? Abnf.ascii(a, methodStart, methodEnd) : method.name();
        return new CSeq(number, method, name);
    }

    @Override
    public String toString() {
        return number + " " + methodName;
    }
}
