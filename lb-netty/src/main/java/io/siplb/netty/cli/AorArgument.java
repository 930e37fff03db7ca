package io.siplb.netty.cli;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.siplb.sip.header.SipUri;

import java.nio.charset.StandardCharsets;

/**
 * An AOR as an operator types it, in the normal form routing hashes: {@code user@host} is read
 * as {@code sip:user@host}; {@code sip:}, {@code sips:} and {@code tel:} URIs are parsed as
 * they are. The URI goes through the same parser and {@link SipUri#aor()} normalisation as a To
 * or Request-URI in a message, so {@code siplb hash} names the backend routing would pick.
 */
final class AorArgument {

    private AorArgument() {}

    /** The normal form, or {@code null} when {@code text} is not a URI with an AOR. */
    static String normalise(String text) {
        String uri = hasScheme(text) ? text : "sip:" + text;
        ByteBuf buf = Unpooled.wrappedBuffer(uri.getBytes(StandardCharsets.UTF_8));
        try {
            SipUri parsed = SipUri.parse(buf, 0, buf.writerIndex());
            return parsed == null ? null : parsed.aor();
        } finally {
            buf.release();
        }
    }

    private static boolean hasScheme(String text) {
        return text.regionMatches(true, 0, "sip:", 0, 4)
                || text.regionMatches(true, 0, "sips:", 0, 5)
                || text.regionMatches(true, 0, "tel:", 0, 4);
    }
}
