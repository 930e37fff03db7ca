package io.siplb.netty.probe;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.siplb.hash.Backend;
import io.siplb.health.Probe;
import io.siplb.health.ProbeResult;
import io.siplb.health.ReplyCodes;
import io.siplb.sip.HeaderName;
import io.siplb.sip.SipResponse;

import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

import static java.util.Objects.requireNonNull;

/**
 * The OPTIONS request a probe sends and how its reply is recognised (RFC 3261 §11: OPTIONS asks
 * a server about itself; any final answer proves it is up and parsing SIP).
 *
 * <pre>
 * OPTIONS sip:10.0.0.2:5060 SIP/2.0
 * Via: SIP/2.0/UDP 10.0.0.9:40312;branch=z9hG4bK-siplb-probe-1f2e3d-17;rport
 * Max-Forwards: 70
 * From: &lt;sip:siplb@10.0.0.9&gt;;tag=1f2e3d
 * To: &lt;sip:10.0.0.2:5060&gt;
 * Call-ID: siplb-probe-1f2e3d-17@10.0.0.9
 * CSeq: 17 OPTIONS
 * Accept: application/sdp
 * User-Agent: siplb
 * Content-Length: 0
 * </pre>
 *
 * Every probe is a new transaction and a new Call-ID (so a stateful UAS such as SIPp sees a new
 * call and an old reply can never be taken for a new one); the probe's sequence, which the
 * tracker uses to discard late replies, is in both the branch and the Call-ID. The Via names the
 * prober's own socket (the node's own address, never the VIP) with {@code rport} (RFC 3581), so
 * the reply comes back to that socket and never reaches the SIP pipeline.
 */
final class ProbeMessages {

    /** Prefix of every probe branch after the RFC 3261 magic cookie: how a probe's Via is recognised. */
    static final String BRANCH_PREFIX = "z9hG4bK-siplb-probe-";
    static final String CALL_ID_PREFIX = "siplb-probe-";

    private final String nodeTag;

    /** @param nodeTag a token unique to this process (From tag, part of every Call-ID and branch) */
    ProbeMessages(String nodeTag) {
        this.nodeTag = requireNonNull(nodeTag, "nodeTag");
    }

    String nodeTag() {
        return nodeTag;
    }

    /** The Call-ID of {@code probe} sent from {@code local}. */
    String callId(Probe probe, InetSocketAddress local) {
        return CALL_ID_PREFIX + nodeTag + '-' + probe.sequence() + '@' + host(local);
    }

    /** The request bytes of {@code probe}, sent from {@code local}. */
    ByteBuf options(Probe probe, InetSocketAddress local, ByteBufAllocator alloc) {
        Backend b = probe.backend();
        String target = (b.host().indexOf(':') >= 0 ? "[" + b.host() + "]" : b.host()) + ':' + b.port();
        String transportParam = b.transport().equals("UDP") ? "" : ";transport=" + b.transport().toLowerCase();
        String localHost = host(local);
        // CSeq is at most 2^31 - 1 (RFC 3261 §8.1.1.5); the sequence is unique anyway through the Call-ID
        long cseq = (probe.sequence() % Integer.MAX_VALUE) + 1;
        String text = "OPTIONS sip:" + target + transportParam + " SIP/2.0\r\n"
                + "Via: SIP/2.0/" + b.transport() + ' ' + localHost + ':' + local.getPort()
                + ";branch=" + BRANCH_PREFIX + nodeTag + '-' + probe.sequence() + ";rport\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:siplb@" + localHost + ">;tag=" + nodeTag + "\r\n"
                + "To: <sip:" + target + transportParam + ">\r\n"
                + "Call-ID: " + callId(probe, local) + "\r\n"
                + "CSeq: " + cseq + " OPTIONS\r\n"
                + "Accept: application/sdp\r\n"
                + "User-Agent: siplb\r\n"
                + "Content-Length: 0\r\n\r\n";
        ByteBuf out = alloc.buffer(text.length());
        out.writeCharSequence(text, StandardCharsets.US_ASCII);
        return out;
    }

    /**
     * How a reply ended the probe: a {@link ProbeResult} for a final response, {@code null} for a
     * provisional one (keep waiting).
     */
    static ProbeResult resultOf(SipResponse response) {
        int code = response.statusCode();
        if (code < ReplyCodes.MIN_FINAL || code > ReplyCodes.MAX_FINAL) {
            return null;
        }
        return ProbeResult.reply(code, code == 503 ? retryAfterSeconds(response) : -1);
    }

    /**
     * The delta-seconds of the response's Retry-After (RFC 3261 §20.33:
     * {@code Retry-After: 18000;duration=3600} or {@code 120 (I'm in a meeting)}), or -1 when it
     * is absent or does not start with digits.
     */
    static long retryAfterSeconds(SipResponse response) {
        int h = response.first(HeaderName.RETRY_AFTER);
        if (h < 0) {
            return -1;
        }
        ByteBuf buf = response.content();
        long seconds = 0;
        int digits = 0;
        for (int i = response.valueStart(h); i < response.valueEnd(h) && digits < 10; i++) {
            byte c = buf.getByte(i);
            if (c < '0' || c > '9') {
                break;
            }
            seconds = seconds * 10 + (c - '0');
            digits++;
        }
        return digits == 0 ? -1 : seconds;
    }

    private static String host(InetSocketAddress address) {
        String ip = address.getAddress().getHostAddress();
        int zone = ip.indexOf('%');
        if (zone >= 0) {
            ip = ip.substring(0, zone);
        }
        return address.getAddress() instanceof Inet6Address ? '[' + ip + ']' : ip;
    }
}
