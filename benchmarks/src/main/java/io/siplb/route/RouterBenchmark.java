package io.siplb.route;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.siplb.route.Traffic.Kind;
import io.siplb.sip.Framing;
import io.siplb.sip.ParseResult;
import io.siplb.sip.SipLimits;
import io.siplb.sip.SipMessage;
import io.siplb.sip.SipParser;
import io.siplb.sip.SipRequest;
import io.siplb.sip.SipResponse;
import io.siplb.sip.edit.MessageSplicer;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.siplb.hash.Backend;
import io.siplb.hash.BackendView;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The routing decision for each message of a registration and a call ({@link Traffic}): a
 * request from a client to {@link Router}, a response from a home proxy to
 * {@link ResponseRouter}, as the pipeline calls them.
 *
 * <p>Each operation parses the received bytes afresh, as the datagram decoder does (the
 * message's typed headers are parsed lazily and cached per message, so routing a message parsed
 * once would leave most of the header parsing out), then decides:
 * <ul>
 *   <li>{@link #parse}: the parse alone (the index), the baseline to subtract;</li>
 *   <li>{@link #route}: parse and decide: lazy header parsing, Via branch, flow token, hash
 *       lookup, edits;</li>
 *   <li>{@link #routeAndSplice}: and build the outgoing bytes ({@link MessageSplicer}), then release them.</li>
 * </ul>
 * Requests get a new top Via branch each time (6 hex digits written into the received
 * bytes), so every INVITE is a new transaction for the router's CANCEL cache
 * ({@link RecentInvites}), as in real traffic. The received bytes sit in pooled direct buffers,
 * as the epoll transport delivers them. Run with {@code -prof gc}: {@code gc.alloc.rate.norm}
 * is what one message allocates.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Dio.netty.leakDetection.level=disabled")
public class RouterBenchmark {

    @Param({"REGISTER", "REGISTER_OK", "INVITE", "INVITE_OK", "ACK", "BYE_FROM_BACKEND"})
    public Kind message;

    /** Backends behind siplb (10.0.0.1..n). */
    @Param({"8"})
    public int backends;

    private final ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
    private Router router;
    private ResponseRouter responses;
    private RoutingView view;
    private Source source;
    private ByteBuf received;
    private boolean request;
    private int branchAt;
    private int counter;

    @Setup
    public void setUp() {
        byte[] secret = Traffic.SECRET.getBytes(StandardCharsets.US_ASCII);
        LocalAddresses local = LocalAddresses.of(Traffic.SIPLB_HOST, 5060, List.of("lb.example.com"));
        FlowTokenCodec tokens = FlowTokenCodec.of(secret);
        ViaBranch branches = new ViaBranch(secret);
        // as lb-netty's Assembly builds them: the system clock for the send time, no TCP connections
        router = new Router(RouterConfig.of(local, Set.of("atlanta.example.com", "biloxi.example.com")),
                tokens, branches, id -> false);
        responses = new ResponseRouter(local, branches);
        view = RoutingView.of(BackendView.of(Traffic.backends(backends).stream()
                .map(a -> new Backend("b" + a.getAddress().getAddress()[3], a.getAddress().getHostAddress(),
                        a.getPort(), "UDP", 1))
                .toList()));
        Traffic traffic = Traffic.make(router, responses, tokens, view);
        byte[] wire = traffic.bytes(message);
        received = alloc.directBuffer(wire.length).writeBytes(wire);
        source = Source.udp(traffic.source(message), Traffic.SIPLB);
        request = !new String(wire, 0, 4, StandardCharsets.US_ASCII).equals("SIP/");
        branchAt = request ? Traffic.branchOffset(wire) : -1;
    }

    @TearDown
    public void tearDown() {
        received.release();
    }

    private SipMessage receive() {
        if (request) {
            Traffic.writeHex6(received, branchAt, counter++);
        }
        ParseResult r = SipParser.parse(received.retain(), SipLimits.DEFAULTS, Framing.DATAGRAM);
        return r.message(); // the fixture parses (checked in setUp)
    }

    private Decision decide(SipMessage m) {
        return request ? router.route((SipRequest) m, source, view) : responses.route((SipResponse) m, source);
    }

    @Benchmark
    public int parse() {
        SipMessage m = receive();
        int n = m.headerCount();
        m.release();
        return n;
    }

    @Benchmark
    public Decision route() {
        SipMessage m = receive();
        try {
            return decide(m);
        } finally {
            m.release();
        }
    }

    @Benchmark
    public int routeAndSplice() {
        SipMessage m = receive();
        try {
            Forward f = (Forward) decide(m);
            ByteBuf out = MessageSplicer.splice(m, f.edits(), alloc);
            int n = out.readableBytes();
            out.release();
            return n;
        } finally {
            m.release();
        }
    }
}
