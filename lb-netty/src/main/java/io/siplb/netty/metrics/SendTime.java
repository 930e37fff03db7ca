package io.siplb.netty.metrics;

import io.siplb.sip.SipResponse;
import io.siplb.sip.header.Via;

/**
 * When siplb sent the request a response answers, read from the response itself: the send time
 * rides in siplb's own Via (DESIGN "Observability"), so measuring a backend's response time keeps
 * no state per transaction.
 *
 * <p>{@code io.siplb.route.Router} writes it into our Via: {@code ;t=} and the send time in epoch milliseconds, base 36
 * (8 characters until the year 2059), e.g. {@code Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKsl…;t=mb6f4x2k}.
 * A Via parameter is echoed in the response (RFC 3261 §8.2.6.2: the Via header field values of the
 * response equal those of the request), and leaves the §16.11 branch untouched, so a retransmission
 * still matches. Wall-clock milliseconds keep the two nodes of a pair comparable after a takeover.
 */
@FunctionalInterface
public interface SendTime {

    /** The Via parameter that carries the send time. */
    String VIA_PARAM = io.siplb.route.Router.SEND_TIME_PARAM;

    /** The send time in epoch milliseconds, or -1 when the response does not say. */
    long sentAtMillis(SipResponse response);

    /** Reads {@link #VIA_PARAM} from the response's top Via (ours: the response router checked it). */
    static SendTime viaParam() {
        return response -> {
            Via top = response.topVia();
            return top == null ? -1 : parseBase36(top.param(VIA_PARAM));
        };
    }

    /** A base-36 number of at most 12 digits, or -1; allocates nothing. */
    static long parseBase36(CharSequence text) {
        if (text == null || text.length() == 0 || text.length() > 12) {
            return -1;
        }
        long value = 0;
        for (int i = 0; i < text.length(); i++) {
            int d = Character.digit(text.charAt(i), 36);
            if (d < 0) {
                return -1;
            }
            value = value * 36 + d;
        }
        return value;
    }
}
