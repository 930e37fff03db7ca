package io.siplb.netty.guard;

import io.netty.buffer.ByteBuf;
import io.siplb.sip.HeaderName;
import io.siplb.sip.SipRequest;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * Recognises requests from SIP scanners by their User-Agent (friendly-scanner is SIPVicious'
 * default, sipcli, VaxSIPUserAgent, …): a case-insensitive substring search over the header's
 * bytes, without allocation.
 *
 * <p>Such requests are dropped silently rather than answered 403: any answer tells the scanner
 * there is a SIP server here (that is all svmap wants to know), costs bandwidth over UDP where
 * the source may be spoofed, and scanners ignore the status anyway. Real phones do not send
 * these User-Agents; an operator who needs one of them lists the others in
 * {@code limits.scanner-user-agents}.
 */
public final class ScannerFilter {

    private final byte[][] patterns;

    /** @param userAgents substrings, matched case-insensitively; empty: nothing matches */
    public ScannerFilter(List<String> userAgents) {
        patterns = new byte[userAgents.size()][];
        for (int i = 0; i < patterns.length; i++) {
            patterns[i] = userAgents.get(i).toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
        }
    }

    /** Whether {@code request}'s User-Agent names a scanner. */
    public boolean isScanner(SipRequest request) {
        if (patterns.length == 0) {
            return false;
        }
        for (int h = request.first(HeaderName.USER_AGENT); h >= 0; h = request.next(h)) {
            if (matches(request.content(), request.valueStart(h), request.valueEnd(h))) {
                return true;
            }
        }
        return false;
    }

    /** Whether bytes {@code [start, end)} of {@code buf} contain one of the patterns, ignoring ASCII case. */
    boolean matches(ByteBuf buf, int start, int end) {
        for (int i = start; i < end; i++) {
            int c = lower(buf.getByte(i));
            for (byte[] p : patterns) {
                if (p[0] == c && i + p.length <= end && rest(buf, i, p)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean rest(ByteBuf buf, int at, byte[] p) {
        for (int j = 1; j < p.length; j++) {
            if (lower(buf.getByte(at + j)) != p[j]) {
                return false;
            }
        }
        return true;
    }

    private static int lower(byte b) {
        return b >= 'A' && b <= 'Z' ? b + 32 : b;
    }
}
