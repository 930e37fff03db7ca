package io.siplb.netty.vrrp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.siplb.config.ListenAddress;
import io.siplb.netty.Assembly;
import io.siplb.route.ConnectionLiveness;
import io.siplb.route.Decision;
import io.siplb.route.Forward;
import io.siplb.route.ResponseRouter;
import io.siplb.route.Router;
import io.siplb.route.RoutingView;
import io.siplb.route.Source;
import io.siplb.sip.ParseResult;
import io.siplb.sip.SipMessage;
import io.siplb.sip.SipParser;
import io.siplb.sip.Framing;
import io.siplb.sip.SipLimits;
import io.siplb.sip.edit.MessageSplicer;
import java.util.Locale;
import java.util.function.Function;
import io.siplb.sip.SipRequest;
import io.siplb.sip.SipResponse;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the per-message work of lb-core (parse, verify, route, splice; a request out and its
 * response back) over synthetic OPTIONS, in memory, at start-up, so that a standby's first
 * messages after a takeover do not meet cold code. The ha-lab showed why: without it the
 * first requests through a node that had never forwarded anything took 25-48 ms each on a
 * loaded 2-vCPU box, added to the VIP move. Nothing is sent: the addresses are from
 * TEST-NET-1 (RFC 5737) and the decisions are only spliced and released.
 */
final class Warmup {

    private static final Logger log = LoggerFactory.getLogger(Warmup.class);
    static final int ROUNDS = 3000;

    private Warmup() {}

    /** Runs {@link #ROUNDS} request/response round trips; returns how many were forwarded. */
    static int run(Assembly assembly, Supplier<RoutingView> routing, int rounds) {
        long start = System.nanoTime();
        Router router = assembly.router(ConnectionLiveness.ALWAYS_OPEN);
        ResponseRouter responses = assembly.responseRouter();
        ListenAddress listen = assembly.config().listen().get(0);
        InetSocketAddress local = new InetSocketAddress(listen.host(), listen.port());
        InetSocketAddress client = new InetSocketAddress("192.0.2.1", 5070);
        String host = assembly.config().advertise().toString();
        SipLimits limits = assembly.limits();
        int forwarded = 0;
        for (int i = 0; i < rounds; i++) {
            RoutingView view = routing.get();
            String request = "OPTIONS sip:warmup@" + host + " SIP/2.0\r\n"
                    + "Via: SIP/2.0/UDP 192.0.2.1:5070;branch=z9hG4bK-warm" + i + ";rport\r\n"
                    + "Max-Forwards: 70\r\n"
                    + "From: <sip:warm" + (i % 97) + "@warmup.invalid>;tag=w" + i + "\r\n"
                    + "To: <sip:warmup@" + host + ">\r\n"
                    + "Call-ID: warm" + i + "@192.0.2.1\r\n"
                    + "CSeq: 1 OPTIONS\r\n"
                    + "Content-Length: 0\r\n\r\n";
            String out = roundTrip(request, limits, m -> router.route((SipRequest) m, Source.udp(client, local), view));
            if (out == null) {
                continue;
            }
            forwarded++;
            // the backend's answer: our Via and the client's, as a home proxy would send them
            StringBuilder response = new StringBuilder("SIP/2.0 200 OK\r\n");
            for (String line : out.split("\r\n")) {
                String lower = line.toLowerCase(Locale.ROOT);
                if (lower.startsWith("via:") || lower.startsWith("from:") || lower.startsWith("to:")
                        || lower.startsWith("call-id:") || lower.startsWith("cseq:")) {
                    response.append(line).append("\r\n");
                }
            }
            response.append("Content-Length: 0\r\n\r\n");
            Decision[] unused = new Decision[1];
            InetSocketAddress backend = new InetSocketAddress("192.0.2.2", 5060);
            roundTrip(response.toString(), limits, m -> unused[0] = responses.route((SipResponse) m, Source.udp(backend, local)));
        }
        log.info("warmed up the SIP path in memory: {} round trips in {} ms", forwarded,
                (System.nanoTime() - start) / 1_000_000);
        return forwarded;
    }

    /** Parses {@code text}, decides, and splices a forward; the spliced text or null. */
    private static String roundTrip(String text, SipLimits limits, Function<SipMessage, Decision> decide) {
        ByteBuf frame = Unpooled.copiedBuffer(text, StandardCharsets.UTF_8);
        ParseResult parsed = SipParser.parse(frame, limits, Framing.DATAGRAM);
        if (!parsed.isSuccess()) {
            frame.release();
            return null;
        }
        SipMessage message = parsed.message();
        try {
            if (message.verify() != null) {
                return null;
            }
            Decision decision = decide.apply(message);
            if (decision instanceof Forward f) {
                ByteBuf out = MessageSplicer.splice(message, f.edits(), ByteBufAllocator.DEFAULT);
                try {
                    return out.toString(StandardCharsets.UTF_8);
                } finally {
                    out.release();
                }
            }
            return null;
        } finally {
            message.release();
        }
    }
}
