package io.siplb.netty.cli;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.siplb.sip.header.SipUri;

import java.nio.charset.StandardCharsets;

/**
 * An AOR as an operator types it, in the normal form routing hashes: {@code user@host} is read
 * as {@code sip:user@host}; URIs ({@code sip:}, {@code sips:}, {@code tel:}) are parsed as they
 * are. The URI goes through the same parser and {@link SipUri#aor()} normalisation as a To
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

    /**
     * A scheme ({@code ALPHA *(ALPHA / DIGIT / "+" / "-" / ".")}, RFC 3986 §3.1) and its colon
     * before any {@code @}: then the text is a URI, and one of an unknown scheme (mailto:) is
     * reported, rather than read as {@code sip:mailto:...} with a password.
     */
    private static boolean hasScheme(String text) {
        int colon = text.indexOf(':');
        int at = text.indexOf('@');
        if (colon <= 0 || (at >= 0 && at < colon) || !Character.isLetter(text.charAt(0))) {
            return false;
        }
        for (int i = 1; i < colon; i++) {
            char c = text.charAt(i);
            if (!(Character.isLetterOrDigit(c) || c == '+' || c == '-' || c == '.')) {
                return false;
            }
        }
        return true;
    }
}
