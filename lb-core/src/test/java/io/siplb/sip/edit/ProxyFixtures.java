package io.siplb.sip.edit;

import io.siplb.sip.HeaderName;
import io.siplb.sip.SipMessage;
import io.siplb.sip.header.Via;

/**
 * Typical messages and the edits a proxy makes to them, shared by the tests and by the
 * benchmarks (through the lb-core test-jar). Texts go through {@code SipText.sip} /
 * {@code SipText.sipBytes}, which turn LF into CRLF.
 */
public final class ProxyFixtures {

    /**
     * An initial INVITE with SDP from a phone behind NAT, sent through siplb as its outbound
     * proxy (RFC 3665 §3.1 F1, over UDP, with the headers a current phone adds): 896 bytes.
     */
    public static final String INVITE_WITH_SDP = """
            INVITE sip:bob@biloxi.example.com SIP/2.0
            Via: SIP/2.0/UDP 192.168.1.20:5060;rport;branch=z9hG4bK74bf9a2c
            Max-Forwards: 70
            Route: <sip:lb.example.com;lr>
            From: Alice <sip:alice@atlanta.example.com>;tag=9fxced76sl
            To: Bob <sip:bob@biloxi.example.com>
            Call-ID: 3848276298220188511@atlanta.example.com
            CSeq: 1 INVITE
            Contact: <sip:alice@192.168.1.20:5060;ob>
            Allow: INVITE, ACK, CANCEL, BYE, OPTIONS, REFER, NOTIFY, UPDATE, PRACK
            Supported: replaces, outbound, timer, 100rel
            Session-Expires: 1800
            Min-SE: 90
            Accept: application/sdp
            User-Agent: Example-Phone/4.2.1
            Content-Type: application/sdp
            Content-Length: 266

            v=0
            o=alice 2890844526 2890844526 IN IP4 192.168.1.20
            s=-
            c=IN IP4 192.168.1.20
            t=0 0
            m=audio 49172 RTP/AVP 0 8 9 101
            a=rtpmap:0 PCMU/8000
            a=rtpmap:8 PCMA/8000
            a=rtpmap:9 G722/8000
            a=rtpmap:101 telephone-event/8000
            a=fmtp:101 0-16
            a=ptime:20
            a=sendrecv
            """;

    /** A REGISTER from a phone behind NAT using outbound (RFC 3665 §2.1 F1, RFC 5626 §3.2): 489 bytes. */
    public static final String REGISTER = """
            REGISTER sip:biloxi.example.com SIP/2.0
            Via: SIP/2.0/UDP 192.168.1.30:5060;rport;branch=z9hG4bKnashds7
            Max-Forwards: 70
            From: Bob <sip:bob@biloxi.example.com>;tag=a73kszlfl
            To: Bob <sip:bob@biloxi.example.com>
            Call-ID: 1j9FpLxk3uxtm8tn@biloxi.example.com
            CSeq: 1 REGISTER
            Contact: <sip:bob@192.168.1.30:5060;ob>;reg-id=1;+sip.instance="<urn:uuid:00000000-0000-1000-8000-000A95A0E128>"
            Supported: path, outbound
            Expires: 3600
            User-Agent: Example-Phone/4.2.1
            Content-Length: 0

            """;

    /** Our address in the fixtures' edits. */
    public static final String LB_HOST = "192.0.2.10";
    public static final int LB_PORT = 5060;
    /** Where the client's packets appear to come from (its NAT's public side). */
    public static final String SOURCE_IP = "203.0.113.7";
    public static final int SOURCE_PORT = 40123;
    /** A flow token as long as a real one (RFC 5626 §5.2: HMAC prefix + flow, base64url). */
    public static final String FLOW_TOKEN = "3Fq2mB8xK1vZ0cYtR7wLhA.VURQAcsAcQfLmw";
    public static final String BRANCH = "z9hG4bK-lb-7f3a9c2d1e5b8a04";

    private ProxyFixtures() {}

    /**
     * What siplb does to an initial INVITE from a client (DESIGN.md, routing rules from
     * outside): decrement Max-Forwards, add {@code received} and fill {@code rport} on the
     * client's Via, insert our Record-Route, push our Via. {@code w} is reused for each line.
     */
    public static MessageEdits proxyEdits(SipMessage msg, HeaderWriter w) {
        Via clientVia = msg.topVia();
        int topVia = msg.first(HeaderName.VIA);
        return MessageEdits.of(msg)
                .replaceValueWithNumber(msg.first(HeaderName.MAX_FORWARDS), msg.maxForwards() - 1)
                .setViaParam(clientVia, "received", SOURCE_IP)
                .setViaParam(clientVia, "rport", SOURCE_PORT)
                .insertHeaderFirst(w.reset().recordRoute(FLOW_TOKEN, LB_HOST, LB_PORT))
                .insertHeaderBefore(topVia, w.reset().via("UDP", LB_HOST, LB_PORT, BRANCH));
    }
}
