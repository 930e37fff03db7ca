package io.siplb.route;

import com.google.common.hash.Hashing;
import com.google.common.net.InetAddresses;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.siplb.sip.HeaderName;
import io.siplb.sip.SipRequest;
import io.siplb.sip.header.NameAddr;
import io.siplb.sip.header.Via;

import java.nio.charset.StandardCharsets;

/**
 * Builds the bytes of a response siplb sends itself (RFC 3261 §8.2.6): the request's Via
 * header lines (the top one with received/rport, §18.2.1 and RFC 3581 §4), From, To with a tag,
 * Call-ID and CSeq copied byte for byte, then the decision's extra headers and an empty body.
 *
 * <p>The To tag is derived from the request, so a retransmission gets the same response, and it
 * starts with {@value #TAG_PREFIX}, so the ACK of a local non-2xx answer is recognised and
 * absorbed instead of being forwarded to a backend that never saw the INVITE. Header lines the
 * request lacks (RFC 4475 insuf.dat) are left out rather than invented.
 */
public final class LocalResponse {

    static final String TAG_PREFIX = "siplb.";

    private LocalResponse() {}

    /** True when {@code tag} is a To tag siplb gave one of its own responses. */
    public static boolean isLocalTag(String tag) {
        return tag != null && tag.startsWith(TAG_PREFIX);
    }

    /** The response to {@code request} described by {@code respond}; the caller owns the result. */
    public static ByteBuf encode(SipRequest request, Respond respond, Source source, ByteBufAllocator alloc) {
        ByteBuf out = alloc.buffer(256 + request.headersEnd() / 2);
        boolean ok = false;
        try {
            ascii(out, "SIP/2.0 ").writeCharSequence(Integer.toString(respond.status()), StandardCharsets.US_ASCII);
            out.writeByte(' ');
            ascii(out, respond.reason()).writeShort(CRLF);
            copyViaLines(request, source, out);
            copyLine(request, HeaderName.FROM, out);
            copyTo(request, respond.status(), out);
            copyLine(request, HeaderName.CALL_ID, out);
            copyLine(request, HeaderName.CSEQ, out);
            for (String header : respond.extraHeaders()) {
                ascii(out, header).writeShort(CRLF);
            }
            ascii(out, "Server: siplb\r\nContent-Length: 0\r\n\r\n");
            ok = true;
            return out;
        } finally {
            if (!ok) {
                out.release();
            }
        }
    }

    private static final int CRLF = ('\r' << 8) | '\n';

    private static void copyViaLines(SipRequest request, Source source, ByteBuf out) {
        int top = request.first(HeaderName.VIA);
        if (top < 0) {
            return;
        }
        Via via = request.topVia();
        int lastLine = -1;
        for (int h = top; h >= 0; h = request.next(h)) {
            if (request.lineStart(h) == lastLine) {
                continue; // several values on one line: copied with the first
            }
            lastLine = request.lineStart(h);
            if (h == top && via != null) {
                copyTopVia(request, h, via, source, out);
            } else {
                out.writeBytes(request.content(), request.lineStart(h), request.lineEnd(h) - request.lineStart(h));
            }
        }
    }

    /** The top Via line with received and a filled rport: where the response will be sent. */
    private static void copyTopVia(SipRequest request, int h, Via via, Source source, ByteBuf out) {
        ByteBuf in = request.content();
        int lineStart = request.lineStart(h);
        int valueEnd = request.valueEnd(h);
        long rport = via.paramRange("rport");
        long received = via.paramRange("received");
        int cut = valueEnd;
        // drop an existing received/rport (we write ours), keeping everything else as it was
        int skipFrom1 = received < 0 ? -1 : (int) (received >>> 32);
        int skipTo1 = received < 0 ? -1 : (int) received;
        int skipFrom2 = rport < 0 ? -1 : (int) (rport >>> 32);
        int skipTo2 = rport < 0 ? -1 : (int) rport;
        int pos = lineStart;
        int[][] skips = order(skipFrom1, skipTo1, skipFrom2, skipTo2);
        for (int[] skip : skips) {
            if (skip[0] >= 0) {
                out.writeBytes(in, pos, skip[0] - pos);
                pos = skip[1];
            }
        }
        out.writeBytes(in, pos, cut - pos);
        ascii(out, ";received=").writeCharSequence(
                InetAddresses.toAddrString(source.remote().getAddress()), StandardCharsets.US_ASCII);
        if (via.hasRport()) {
            ascii(out, ";rport=").writeCharSequence(Integer.toString(source.remote().getPort()), StandardCharsets.US_ASCII);
        }
        // the rest of the line: other values sharing it, then the CRLF
        out.writeBytes(in, valueEnd, request.lineEnd(h) - valueEnd);
    }

    private static int[][] order(int a0, int a1, int b0, int b1) {
        return a0 <= b0 ? new int[][] {{a0, a1}, {b0, b1}} : new int[][] {{b0, b1}, {a0, a1}};
    }

    private static void copyTo(SipRequest request, int status, ByteBuf out) {
        int h = request.first(HeaderName.TO);
        if (h < 0) {
            return;
        }
        NameAddr to = request.to();
        ByteBuf in = request.content();
        if (to == null || to.tag() != null || status == 100) {
            out.writeBytes(in, request.lineStart(h), request.lineEnd(h) - request.lineStart(h));
            return;
        }
        // RFC 3261 §8.2.6.2: a final response carries a To tag
        out.writeBytes(in, request.lineStart(h), request.valueEnd(h) - request.lineStart(h));
        ascii(out, ";tag=").writeCharSequence(tagFor(request), StandardCharsets.US_ASCII);
        out.writeBytes(in, request.valueEnd(h), request.lineEnd(h) - request.valueEnd(h));
    }

    private static void copyLine(SipRequest request, HeaderName name, ByteBuf out) {
        int h = request.first(name);
        if (h >= 0) {
            out.writeBytes(request.content(), request.lineStart(h), request.lineEnd(h) - request.lineStart(h));
        }
    }

    /** Stable across retransmissions: derived from Call-ID, From tag and the top Via branch. */
    private static String tagFor(SipRequest request) {
        NameAddr from = request.from();
        Via via = request.topVia();
        long h = Hashing.farmHashFingerprint64().newHasher()
                .putString(nullToEmpty(request.callId()), StandardCharsets.UTF_8)
                .putString(from == null || from.tag() == null ? "" : from.tag(), StandardCharsets.UTF_8)
                .putString(via == null || via.branch() == null ? "" : via.branch(), StandardCharsets.UTF_8)
                .hash().asLong();
        return TAG_PREFIX + Long.toHexString(h);
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    private static ByteBuf ascii(ByteBuf out, String s) {
        out.writeCharSequence(s, StandardCharsets.US_ASCII);
        return out;
    }
}
