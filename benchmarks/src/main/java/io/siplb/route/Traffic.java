package io.siplb.route;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.siplb.sip.Framing;
import io.siplb.sip.ParseResult;
import io.siplb.sip.SipLimits;
import io.siplb.sip.SipMessage;
import io.siplb.sip.SipParser;
import io.siplb.sip.SipRequest;
import io.siplb.sip.SipResponse;
import io.siplb.sip.SipText;
import io.siplb.sip.edit.MessageSplicer;
import io.siplb.sip.edit.ProxyFixtures;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One registration and one call through siplb, as the benchmarks replay them: the messages a
 * client behind NAT and a home proxy send, made against a real {@link Router} so that flow
 * tokens and our Via branches verify.
 *
 * <p>The setting: siplb at {@value #SIPLB_HOST}:5060 (alias {@code lb.example.com}) serving
 * {@code atlanta.example.com} and {@code biloxi.example.com} in front of UDP backends
 * {@code 10.0.0.1..n:5060}; the client is {@link ProxyFixtures#SOURCE_IP}:{@link
 * ProxyFixtures#SOURCE_PORT} (the public side of its NAT). The requests from the client are
 * the lb-core fixtures {@link ProxyFixtures#REGISTER} (RFC 3665 §2.1 F1) and
 * {@link ProxyFixtures#INVITE_WITH_SDP} (RFC 3665 §3.1 F1); the rest of the call (the 200 OK
 * F9/F10, ACK F11/F12, the callee's BYE F13/F14) follows RFC 3665 §3.1 with siplb as the
 * proxy in front of the caller.
 */
public final class Traffic {

    public static final String SIPLB_HOST = "192.0.2.1";
    public static final InetSocketAddress SIPLB = new InetSocketAddress(SIPLB_HOST, 5060);
    public static final InetSocketAddress CLIENT =
            new InetSocketAddress(ProxyFixtures.SOURCE_IP, ProxyFixtures.SOURCE_PORT);
    public static final String SECRET = "bench-key-0123456789abcdef0123456789abcdef";

    /** What a benchmark replays; the source is where siplb receives it from. */
    public enum Kind {
        /** A REGISTER from the client: Via received/rport, Path with a flow token, our Via. */
        REGISTER,
        /** The registrar's 200 OK to it: our Via checked and removed, sent to received/rport. */
        REGISTER_OK,
        /** An initial INVITE with SDP from the client: Route to us popped, Record-Route with a flow token. */
        INVITE,
        /** The callee's 200 OK to it, through the home proxy. */
        INVITE_OK,
        /** The client's ACK for that 200: our Route (flow token verified) popped, next Route names the backend. */
        ACK,
        /** The callee's BYE, through the home proxy: our Route's flow token sends it to the client. */
        BYE_FROM_BACKEND
    }

    /** Texts (LF line ends, as SipText.sip takes them) of each kind, and where they come from. */
    private final String[] texts = new String[Kind.values().length];
    private final InetSocketAddress[] sources = new InetSocketAddress[Kind.values().length];

    private Traffic() {
    }

    /** The backend addresses {@code 10.0.0.1..n}. */
    public static List<InetSocketAddress> backends(int n) {
        List<InetSocketAddress> out = new ArrayList<>(n);
        for (int i = 1; i <= n; i++) {
            out.add(new InetSocketAddress("10.0.0." + i, 5060));
        }
        return out;
    }

    /** The YAML configuration of this setting, for the runtime (lb-netty's ConfigLoader). */
    public static String yaml(int backends) {
        StringBuilder y = new StringBuilder()
                .append("listen: [udp://").append(SIPLB_HOST).append(":5060]\n")
                .append("advertise: ").append(SIPLB_HOST).append(":5060\n")
                .append("aliases: [lb.example.com]\n")
                .append("domains: [atlanta.example.com, biloxi.example.com]\n")
                .append("backends:\n");
        for (int i = 1; i <= backends; i++) {
            y.append("  - id: b").append(i).append('\n')
             .append("    uri: sip:10.0.0.").append(i).append(":5060\n");
        }
        return y.append("health:\n  enabled: false\n")
                .append("flow-token:\n  secret: \"").append(SECRET).append("\"\n")
                // as the load harness: every benchmark message comes from one source
                .append("limits:\n  rate: 0\n")
                .toString();
    }

    /**
     * The messages of the setting, made by routing the client's requests through {@code router}
     * and answering them as a home proxy would.
     */
    public static Traffic make(Router router, ResponseRouter responses, FlowTokenCodec tokens, RoutingView view) {
        Traffic t = new Traffic();
        Source fromClient = Source.udp(CLIENT, SIPLB);

        t.put(Kind.REGISTER, ProxyFixtures.REGISTER, CLIENT);
        String register = forwarded(router, ProxyFixtures.REGISTER, fromClient, view);
        InetSocketAddress registrar = targetOf(router, ProxyFixtures.REGISTER, fromClient, view);
        t.put(Kind.REGISTER_OK, """
                SIP/2.0 200 OK
                """ + lines(register, "Via: ") + lines(register, "Path: ") + """
                From: Bob <sip:bob@biloxi.example.com>;tag=a73kszlfl
                To: Bob <sip:bob@biloxi.example.com>;tag=37GkEhwl6
                Call-ID: 1j9FpLxk3uxtm8tn@biloxi.example.com
                CSeq: 1 REGISTER
                Contact: <sip:bob@192.168.1.30:5060;ob>;reg-id=1;expires=3600;+sip.instance="<urn:uuid:00000000-0000-1000-8000-000A95A0E128>"
                Supported: path, outbound
                Require: outbound
                Date: Thu, 21 Feb 2002 13:02:03 GMT
                Content-Length: 0

                """, registrar);

        t.put(Kind.INVITE, ProxyFixtures.INVITE_WITH_SDP, CLIENT);
        String invite = forwarded(router, ProxyFixtures.INVITE_WITH_SDP, fromClient, view);
        InetSocketAddress home = targetOf(router, ProxyFixtures.INVITE_WITH_SDP, fromClient, view);
        String homeUri = "sip:" + home.getAddress().getHostAddress() + ";lr";
        String ourRecordRoute = value(invite, "Record-Route: ");
        String sdp = """
                v=0
                o=bob 2890844527 2890844527 IN IP4 192.0.2.100
                s=-
                c=IN IP4 192.0.2.100
                t=0 0
                m=audio 3456 RTP/AVP 0
                a=rtpmap:0 PCMU/8000
                """;
        t.put(Kind.INVITE_OK, """
                SIP/2.0 200 OK
                """ + lines(invite, "Via: ") + "Record-Route: <" + homeUri + ">\n"
                + "Record-Route: " + ourRecordRoute + "\n" + """
                From: Alice <sip:alice@atlanta.example.com>;tag=9fxced76sl
                To: Bob <sip:bob@biloxi.example.com>;tag=314159
                Call-ID: 3848276298220188511@atlanta.example.com
                CSeq: 1 INVITE
                Contact: <sip:bob@192.0.2.100>
                Content-Type: application/sdp
                """ + "Content-Length: " + SipText.sipBytes(sdp).length + "\n\n" + sdp, home);

        // RFC 3261 §12.1.2: the caller's route set is the Record-Route of the 200, reversed
        t.put(Kind.ACK, """
                ACK sip:bob@192.0.2.100 SIP/2.0
                Via: SIP/2.0/UDP 192.168.1.20:5060;rport;branch=z9hG4bK74bd5a
                Max-Forwards: 70
                Route: """ + " " + ourRecordRoute + ", <" + homeUri + ">\n" + """
                From: Alice <sip:alice@atlanta.example.com>;tag=9fxced76sl
                To: Bob <sip:bob@biloxi.example.com>;tag=314159
                Call-ID: 3848276298220188511@atlanta.example.com
                CSeq: 1 ACK
                User-Agent: Example-Phone/4.2.1
                Content-Length: 0

                """, CLIENT);

        // the callee's route set is the Record-Route in order; the home proxy popped its own entry
        t.put(Kind.BYE_FROM_BACKEND, """
                BYE sip:alice@192.168.1.20:5060;ob SIP/2.0
                Via: SIP/2.0/UDP""" + " " + home.getAddress().getHostAddress() + ":5060;branch=z9hG4bK2d4790.1\n" + """
                Via: SIP/2.0/UDP 192.0.2.100:5060;branch=z9hG4bKnashds10;received=192.0.2.100
                Max-Forwards: 69
                Route: """ + " " + ourRecordRoute + "\n" + """
                From: Bob <sip:bob@biloxi.example.com>;tag=314159
                To: Alice <sip:alice@atlanta.example.com>;tag=9fxced76sl
                Call-ID: 3848276298220188511@atlanta.example.com
                CSeq: 231 BYE
                Content-Length: 0

                """, home);

        // every message must be forwarded, or the benchmark measures a refusal
        for (Kind k : Kind.values()) {
            SipMessage m = parse(t.bytes(k));
            try {
                Source s = Source.udp(t.source(k), SIPLB);
                Decision d = m instanceof SipRequest r ? router.route(r, s, view) : responses.route((SipResponse) m, s);
                if (!(d instanceof Forward)) {
                    throw new IllegalStateException(k + " is not forwarded: " + d + "\n" + t.texts[k.ordinal()]);
                }
            } finally {
                m.release();
            }
        }
        return t;
    }

    /** The wire bytes of {@code kind} (CRLF line ends). */
    public byte[] bytes(Kind kind) {
        return SipText.sipBytes(texts[kind.ordinal()]);
    }

    /** Where siplb receives {@code kind} from. */
    public InetSocketAddress source(Kind kind) {
        return sources[kind.ordinal()];
    }

    private void put(Kind kind, String text, InetSocketAddress source) {
        texts[kind.ordinal()] = text;
        sources[kind.ordinal()] = source;
    }

    /**
     * Offset of the 6 characters right after {@code z9hG4bK} in the top Via's branch: writing a
     * counter there makes each request a new transaction, as in real traffic.
     */
    public static int branchOffset(byte[] wire) {
        int i = indexOf(wire, "z9hG4bK".getBytes(StandardCharsets.US_ASCII));
        if (i < 0 || i + 13 > wire.length) {
            throw new IllegalArgumentException("no top Via branch with 6 characters after the cookie");
        }
        return i + 7;
    }

    /** Offset of the send time ({@code ;t=} + 8 base-36 digits) in our Via, or -1. */
    public static int sendTimeOffset(byte[] wire) {
        int i = indexOf(wire, ";t=".getBytes(StandardCharsets.US_ASCII));
        return i < 0 ? -1 : i + 3;
    }

    /** Writes {@code v} as 6 hex digits at {@code at} of {@code buf}, without allocating. */
    public static void writeHex6(ByteBuf buf, int at, int v) {
        for (int i = 5; i >= 0; i--) {
            int d = v & 0xf;
            buf.setByte(at + i, d < 10 ? '0' + d : 'a' + d - 10);
            v >>>= 4;
        }
    }

    /** Writes {@code millis} as 8 base-36 digits at {@code at} of {@code buf}, without allocating. */
    public static void writeBase36x8(ByteBuf buf, int at, long millis) {
        for (int i = 7; i >= 0; i--) {
            int d = (int) (millis % 36);
            buf.setByte(at + i, d < 10 ? '0' + d : 'a' + d - 10);
            millis /= 36;
        }
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** Parses wire bytes into a message over a new heap buffer (release it). */
    public static SipMessage parse(byte[] wire) {
        ByteBuf buf = UnpooledByteBufAllocator.DEFAULT.heapBuffer(wire.length).writeBytes(wire);
        ParseResult r = SipParser.parse(buf, SipLimits.DEFAULTS, Framing.DATAGRAM);
        if (!r.isSuccess()) {
            buf.release();
            throw new IllegalStateException("does not parse: " + r + "\n" + new String(wire, StandardCharsets.UTF_8));
        }
        return r.message();
    }

    private static Forward forward(Router router, String text, Source source, RoutingView view, SipMessage[] holder) {
        SipMessage m = parse(SipText.sipBytes(text));
        holder[0] = m;
        Decision d = router.route((SipRequest) m, source, view);
        if (!(d instanceof Forward f)) {
            m.release();
            throw new IllegalStateException("not forwarded: " + d + "\n" + text);
        }
        return f;
    }

    /** The text siplb forwards for {@code text} (LF line ends). */
    private static String forwarded(Router router, String text, Source source, RoutingView view) {
        SipMessage[] m = new SipMessage[1];
        Forward f = forward(router, text, source, view, m);
        ByteBuf out = MessageSplicer.splice(m[0], f.edits(), UnpooledByteBufAllocator.DEFAULT);
        try {
            return out.toString(StandardCharsets.UTF_8).replace("\r\n", "\n");
        } finally {
            out.release();
            m[0].release();
        }
    }

    private static InetSocketAddress targetOf(Router router, String text, Source source, RoutingView view) {
        SipMessage[] m = new SipMessage[1];
        Forward f = forward(router, text, source, view, m);
        m[0].release();
        return f.target().address();
    }

    /** Every line of {@code text} starting with {@code prefix}, each ending in LF. */
    private static String lines(String text, String prefix) {
        StringBuilder sb = new StringBuilder();
        for (String line : text.split("\n")) {
            if (line.startsWith(prefix)) {
                sb.append(line).append('\n');
            }
        }
        return sb.toString();
    }

    private static String value(String text, String prefix) {
        for (String line : text.split("\n")) {
            if (line.startsWith(prefix)) {
                return line.substring(prefix.length());
            }
        }
        throw new IllegalStateException("no " + prefix + " in\n" + text);
    }
}
