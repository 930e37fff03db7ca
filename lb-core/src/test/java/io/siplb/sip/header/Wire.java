package io.siplb.sip.header;

import io.netty.buffer.ByteBuf;
import io.siplb.sip.SipText;

/**
 * Header values as wire bytes for the parser tests, built with {@link SipText#sip} (line ends in
 * text blocks become CRLF, so folded values are written as they appear on the wire).
 */
final class Wire {

    /** A typed header parser under test. */
    @FunctionalInterface
    interface Parser<T> {
        T parse(ByteBuf buf, int start, int end);
    }

    private Wire() {
    }

    /** {@code text} as UTF-8 bytes with every LF turned into CRLF, in a buffer of exactly that size; the caller releases it. */
    static ByteBuf bytes(String text) {
        return SipText.sip(text);
    }

    /** Parses all of {@code text} and releases the bytes (values keep no reference to them). */
    static <T> T parse(Parser<T> parser, String text) {
        ByteBuf buf = bytes(text);
        try {
            return parser.parse(buf, 0, buf.writerIndex());
        } finally {
            buf.release();
        }
    }

    /** The packed range of {@code part}'s first occurrence in {@code text} (after CRLF conversion). */
    static long rangeOf(String text, String part) {
        String wire = text.replace("\n", "\r\n");
        int start = wire.indexOf(part);
        if (start < 0) {
            throw new IllegalArgumentException(part + " not in " + text);
        }
        return (long) start << 32 | (start + part.length());
    }
}
