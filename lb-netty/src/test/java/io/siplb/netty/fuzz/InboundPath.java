package io.siplb.netty.fuzz;

import com.google.common.base.Ticker;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;
import io.siplb.config.BackendConfig;
import io.siplb.config.FlowTokenConfig;
import io.siplb.config.HostPort;
import io.siplb.config.ListenAddress;
import io.siplb.config.SiplbConfig;
import io.siplb.netty.Assembly;
import io.siplb.netty.guard.Guard;
import io.siplb.netty.metrics.SendTime;
import io.siplb.netty.metrics.SipMetrics;
import io.siplb.netty.pipeline.BackendSignals;
import io.siplb.netty.pipeline.Sender;
import io.siplb.netty.pipeline.SipCounters;
import io.siplb.netty.pipeline.SipCounters.Event;
import io.siplb.netty.pipeline.SipRoutingHandler;
import io.siplb.netty.probe.RetryAfterWatcher;
import io.siplb.netty.stream.ConnectionTable;
import io.siplb.netty.stream.SipStreamDecoder;
import io.siplb.netty.stream.StreamConnector;
import io.siplb.netty.udp.SipDatagramDecoder;
import io.siplb.netty.udp.UdpSockets;
import io.siplb.route.FlowToken;
import io.siplb.route.RecentInvites;
import io.siplb.route.ResponseRouter;
import io.siplb.route.Router;
import io.siplb.route.RoutingView;
import io.siplb.route.Transport;
import io.siplb.sip.Framing;
import io.siplb.sip.ParseFailure;
import io.siplb.sip.ParseResult;
import io.siplb.sip.SipLimits;
import io.siplb.sip.SipMessage;
import io.siplb.sip.SipParser;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * siplb's whole inbound path, for the fuzzer and its regression tests: the production handlers
 * ({@link Guard}, {@link SipDatagramDecoder} or {@link SipStreamDecoder}, {@link RetryAfterWatcher},
 * {@link SipRoutingHandler} with lb-core's {@link Router} and {@link ResponseRouter}, {@link Sender},
 * {@code MessageSplicer}, {@code LocalResponse}) wired as {@code SiplbServer} wires them, on
 * {@link EmbeddedChannel}s instead of sockets. A siplb at 192.0.2.1:5060 (and [2001:db8::1]:5060)
 * serving example.com, in front of three UDP backends 10.0.0.1..3:5060, with a fixed flow-token
 * key and a fixed clock.
 *
 * <p>{@link #run(byte[])} pushes one fuzz input through it and checks, for that input alone:
 * <ol>
 *   <li>no exception escapes, and the pipeline caught none either (its {@code INTERNAL_ERROR}
 *       and {@code IO_ERROR} counters do not move: the routing handler turns a core bug into a
 *       count, so the count is what must stay zero);</li>
 *   <li>no leak: every buffer comes from one {@link UnpooledByteBufAllocator} whose live-memory
 *       metric must be back at zero once the outputs are released and the connection closed,
 *       and the input buffer's reference count is 0 (exact, per input; Netty's detector only
 *       samples and reports after a GC);</li>
 *   <li>no open relay: every datagram leaves for a configured backend, for the sender itself, or
 *       for the client addresses whose flow tokens and Via branches this harness's key signed
 *       ({@link #CLIENT_V4}, {@link #CLIENT_V6}); a TCP send goes back on the input's own connection;</li>
 *   <li>every output parses again as one SIP message, and when the input was a datagram that
 *       passed {@code verify()}, every output passes it too.</li>
 * </ol>
 * And each input after the warm-up must take less than {@link #MAX_NANOS_PER_INPUT} (a hang is caught by libFuzzer's
 * {@code -timeout}, set by the {@code fuzz} profile).
 *
 * <p>Not thread-safe: one fuzzer thread.
 */
final class InboundPath implements AutoCloseable {

    static final String SECRET = "fuzz-flow-token-key-0123456789abcdef";
    static final InetSocketAddress SIPLB_V4 = new InetSocketAddress("192.0.2.1", 5060);
    static final InetSocketAddress SIPLB_V6 = new InetSocketAddress("2001:db8::1", 5060);
    static final InetSocketAddress CLIENT_V4 = new InetSocketAddress("198.51.100.7", 40312);
    static final InetSocketAddress CLIENT_V6 = new InetSocketAddress("2001:db8::7", 40312);
    static final InetSocketAddress BACKEND_A = new InetSocketAddress("10.0.0.1", 5060);
    static final Set<InetSocketAddress> BACKENDS = Set.of(BACKEND_A,
            new InetSocketAddress("10.0.0.2", 5060), new InetSocketAddress("10.0.0.3", 5060));
    /** Addresses siplb may send to when this harness's key signed the way there (any port: RFC 3261 §18.2.2). */
    static final Set<InetAddress> SIGNED_CLIENTS = Set.of(CLIENT_V4.getAddress(), CLIENT_V6.getAddress());
    /** Our Via's send time: fixed, so a message gets the same bytes in every run. */
    static final long NOW_MILLIS = 1_764_000_000_000L;

    /**
     * Bounded time per input: a SIP message costs microseconds, so an input that takes seconds is
     * a denial of service. (Generous: a GC pause or a class load on a busy 2-core machine is not a finding.)
     */
    static final long MAX_NANOS_PER_INPUT = 2_000_000_000L;

    /**
     * Inputs not timed: the first ones load and instrument (Jazzer) the classes of every path,
     * seconds on a busy machine.
     */
    static final int WARM_UP_INPUTS = 1_000;

    /** Outputs are parsed with room for what siplb adds (Via, Path, Record-Route, Max-Forwards). */
    private static final int ADDED_HEADERS = 8;
    private static final int ADDED_BYTES = 4096;

    /**
     * Who sends the input: the first byte of a fuzz input. Bits 0-1 the peer, bit 2 IPv6 (clients),
     * bits 3-7 where a TCP input is split into two reads, in 32ths of its length (0: one read).
     */
    enum Peer {
        /** A client over UDP: outside. */
        CLIENT_UDP,
        /** Backend a over UDP: inside. */
        BACKEND_UDP,
        /** A client over TCP: outside; the input is the connection's byte stream. */
        CLIENT_TCP,
        /** A client over TCP whose bytes arrive one byte per read (partial frames everywhere). */
        CLIENT_TCP_TRICKLE
    }

    private final UnpooledByteBufAllocator alloc = new UnpooledByteBufAllocator(false);
    private final SipCounters counters = new SipCounters();
    private final ConnectionTable connections = new ConnectionTable();
    private final UdpSockets udpSockets = new UdpSockets();
    private final List<InetSocketAddress> tcpConnectsTried = new ArrayList<>();
    private final SipLimits limits;
    private final SipLimits outputLimits;
    private final Assembly assembly;
    private final Guard guard;
    private final RetryAfterWatcher watcher;
    private final SipRoutingHandler routing;
    private final SipDatagramDecoder datagrams;
    private final EmbeddedChannel udp;
    private final Router router;
    /** The guard's clock: one second per input, so the rate limit never hides an input from the parser. */
    private final AtomicLong nanos = new AtomicLong();
    private long inputs;

    InboundPath() {
        SiplbConfig config = SiplbConfig.of(
                        List.of(ListenAddress.parse("udp://192.0.2.1:5060"), ListenAddress.parse("tcp://192.0.2.1:5060"),
                                ListenAddress.parse("udp://[2001:db8::1]:5060")),
                        List.of(BackendConfig.of("a", "sip:10.0.0.1:5060"), BackendConfig.of("b", "sip:10.0.0.2:5060"),
                                BackendConfig.of("c", "sip:10.0.0.3:5060")),
                        FlowTokenConfig.ofSecret(SECRET))
                .withAdvertise(HostPort.of("192.0.2.1", 5060))
                .withDomains(List.of("example.com"));
        assembly = Assembly.of(config);
        limits = assembly.limits();
        outputLimits = new SipLimits(limits.maxMessageBytes() + ADDED_BYTES, limits.maxHeaders() + ADDED_HEADERS,
                limits.maxLineBytes() + ADDED_BYTES);
        RoutingView view = assembly.routingView();
        // a small cache on a clock that never moves: CANCEL and ACK still find their INVITE
        router = new Router(assembly.routerConfig(), assembly.flowTokens(), assembly.viaBranch(), connections,
                new RecentInvites(1024, Duration.ofSeconds(32), Ticker.systemTicker()), () -> NOW_MILLIS);
        ResponseRouter responses = assembly.responseRouter();
        guard = new Guard(config.limits().guard(), () -> view, nanos::get);
        BackendSignals signals = new BackendSignals() {
            @Override
            public void retryAfter(InetSocketAddress from, long seconds) {
                // health checking is not part of this path
            }

            @Override
            public void sendFailed(InetSocketAddress to, Throwable cause) {
                tcpConnectsTried.add(to); // a connection siplb tried to open: an output destination
            }
        };
        watcher = new RetryAfterWatcher(signals);
        datagrams = new SipDatagramDecoder(limits, counters);
        udp = new EmbeddedChannel(false, false);
        udp.config().setAllocator(alloc);
        // a TCP target without a connection (a response whose next Via says TCP) tries to connect:
        // on the embedded loop the registration fails at once, and the address is recorded above
        StreamConnector connector = new StreamConnector(new EmbeddedChannel().eventLoop(), connections, new NoHandlers());
        Sender sender = new Sender(udpSockets, connections, connector, counters, signals);
        SipMetrics metrics = new SipMetrics(counters, connections::size);
        routing = new SipRoutingHandler(router, responses, () -> view, sender, counters, metrics, SendTime.viaParam());
        udp.pipeline().addLast("guard-rate", guard.datagramGuard())
                .addLast("sip-decoder", datagrams)
                .addLast("sip-guard", guard.messageGuard())
                .addLast("sip-watcher", watcher)
                .addLast("sip-routing", routing);
        register(udp);
        udpSockets.add(SIPLB_V4, List.of(udp), true);
        udpSockets.add(SIPLB_V6, List.of(udp), false);
    }

    SipCounters counters() {
        return counters;
    }

    /** The flow token siplb puts into Path and Record-Route for {@code flow}. */
    String token(FlowToken flow) {
        return assembly.flowTokens().encode(flow);
    }

    /** A fuzz input: the peer byte, then the bytes it sends. */
    static byte[] input(Peer peer, boolean ipv6, int split32, byte[] payload) {
        byte[] in = new byte[payload.length + 1];
        in[0] = (byte) (peer.ordinal() | (ipv6 ? 4 : 0) | (split32 & 31) << 3);
        System.arraycopy(payload, 0, in, 1, payload.length);
        return in;
    }

    /** One message that siplb sent: where to, and its text. */
    record Output(InetSocketAddress to, Transport transport, String text) {}

    /**
     * Runs one fuzz input through the path and checks the invariants (class comment); throws
     * {@link AssertionError} naming the broken one. Returns what siplb sent.
     */
    List<Output> run(byte[] input) {
        long start = System.nanoTime();
        List<Output> outputs;
        try {
            outputs = handle(input);
        } catch (AssertionError | RuntimeException e) {
            // the input in a form that pastes into a regression test
            throw new AssertionError(e.getMessage() + "\n--- input: " + describe(input), e);
        }
        long elapsed = System.nanoTime() - start;
        check(elapsed < MAX_NANOS_PER_INPUT || inputs <= WARM_UP_INPUTS, "one input took " + elapsed / 1_000_000 + " ms (limit "
                + MAX_NANOS_PER_INPUT / 1_000_000 + " ms): a message must cost microseconds");
        return outputs;
    }

    private List<Output> handle(byte[] input) {
        inputs++;
        nanos.set(inputs * 1_000_000_000L);
        if (input.length == 0) {
            return List.of();
        }
        Peer peer = Peer.values()[input[0] & 3];
        boolean ipv6 = (input[0] & 4) != 0;
        int split32 = (input[0] >>> 3) & 31;
        long internalErrors = counters.get(Event.INTERNAL_ERROR);
        long ioErrors = counters.get(Event.IO_ERROR);
        tcpConnectsTried.clear();
        List<Output> outputs = new ArrayList<>();
        ByteBuf in = alloc.heapBuffer(input.length - 1).writeBytes(input, 1, input.length - 1);
        InetSocketAddress source;
        try {
            if (peer == Peer.CLIENT_UDP || peer == Peer.BACKEND_UDP) {
                source = peer == Peer.BACKEND_UDP ? BACKEND_A : ipv6 ? CLIENT_V6 : CLIENT_V4;
                boolean verified = verifies(input);
                udp.writeInbound(new DatagramPacket(in, source.getAddress() instanceof java.net.Inet6Address
                        ? SIPLB_V6 : SIPLB_V4, source));
                udp.flushOutbound();
                drainUdp(outputs, source, verified);
            } else {
                source = ipv6 ? CLIENT_V6 : CLIENT_V4;
                runStream(in, source, peer == Peer.CLIENT_TCP_TRICKLE ? 1 : split32, outputs);
            }
        } finally {
            releaseAll(udp.inboundMessages(), "a message left the routing handler unhandled");
        }
        check(in.refCnt() == 0, "the input buffer was not released: refCnt " + in.refCnt());
        for (InetSocketAddress to : tcpConnectsTried) {
            checkDestination(to, source);
        }
        check(counters.get(Event.INTERNAL_ERROR) == internalErrors,
                "the routing handler caught an exception from the core (INTERNAL_ERROR)");
        check(counters.get(Event.IO_ERROR) == ioErrors, "an exception reached exceptionCaught (IO_ERROR)");
        long live = alloc.metric().usedHeapMemory() + alloc.metric().usedDirectMemory();
        check(live == 0, "leak: " + live + " bytes of buffers still allocated after the input was handled");
        return outputs;
    }

    /** The stream: split into reads, then the connection closes (the cumulation must be released). */
    private void runStream(ByteBuf in, InetSocketAddress source, int split32, List<Output> outputs) {
        TcpConnection ch = new TcpConnection(source, SIPLB_V4);
        ch.config().setAllocator(alloc);
        connections.register(ch);
        ch.pipeline().addLast("sip-framer", new SipStreamDecoder(Transport.TCP, limits, counters))
                .addLast("sip-guard", guard.messageGuard())
                .addLast("sip-watcher", watcher)
                .addLast("sip-routing", routing);
        register(ch);
        try {
            int length = in.readableBytes();
            if (split32 == 1 && length > 1) {
                // one byte per read: every partial-frame path of the framer
                for (int i = 0; i < length - 1 && ch.isActive(); i++) {
                    ch.writeInbound(in.retainedSlice(in.readerIndex() + i, 1));
                }
                ByteBuf last = in.retainedSlice(in.readerIndex() + length - 1, 1);
                in.release();
                in = last;
            } else if (split32 > 1 && length > 1) {
                int at = length * split32 / 32;
                ByteBuf first = in.retainedSlice(in.readerIndex(), at);
                ByteBuf rest = in.retainedSlice(in.readerIndex() + at, length - at);
                in.release();
                if (ch.isActive()) {
                    ch.writeInbound(first);
                } else {
                    first.release();
                }
                in = rest;
            }
            if (ch.isActive()) {
                ch.writeInbound(in);
            } else {
                in.release();
            }
            if (ch.isOpen()) {
                ch.flushOutbound();
            }
            for (Object o; (o = ch.readOutbound()) != null; ) {
                ByteBuf out = (ByteBuf) o;
                if (isCrlf(out)) {
                    out.release(); // the pong of a CRLFCRLF ping (RFC 5626 §3.5.1)
                    continue;
                }
                outputs.add(checkOutput(out, source, Transport.TCP, Framing.STREAM, false));
            }
            drainUdp(outputs, source, false);
        } finally {
            ch.finishAndReleaseAll();
        }
    }

    private void drainUdp(List<Output> outputs, InetSocketAddress source, boolean inputVerified) {
        for (Object o; (o = udp.readOutbound()) != null; ) {
            DatagramPacket packet = (DatagramPacket) o;
            InetSocketAddress to = packet.recipient();
            try {
                checkDestination(to, source);
            } catch (AssertionError e) {
                packet.release();
                throw e;
            }
            outputs.add(checkOutput(packet.content(), to, Transport.UDP, Framing.DATAGRAM, inputVerified));
        }
    }

    /** Parses {@code out} (and releases it): it must be one SIP message, verified when the input was. */
    private Output checkOutput(ByteBuf out, InetSocketAddress to, Transport transport, Framing framing,
                               boolean inputVerified) {
        String text = out.toString(StandardCharsets.ISO_8859_1);
        ParseResult result = SipParser.parse(out, outputLimits, framing);
        if (!result.isSuccess()) {
            out.release();
            throw new AssertionError("siplb sent bytes to " + to + " that do not parse (" + result.failure() + "):\n"
                    + text);
        }
        SipMessage message = result.message();
        try {
            if (inputVerified) {
                ParseFailure invalid = message.verify();
                check(invalid == null, "the input passed verify() but what siplb sent to " + to + " fails it ("
                        + invalid + "):\n" + text);
            }
        } finally {
            message.release();
        }
        return new Output(to, transport, text);
    }

    /** Whether a datagram input parses and passes verify(): then its outputs must pass it too. */
    private boolean verifies(byte[] input) {
        ByteBuf copy = alloc.heapBuffer(input.length - 1).writeBytes(input, 1, input.length - 1);
        ParseResult result = SipParser.parse(copy, limits, Framing.DATAGRAM);
        if (!result.isSuccess()) {
            copy.release();
            return false;
        }
        try {
            return result.message().verify() == null;
        } finally {
            result.message().release();
        }
    }

    /** No open relay (issue 8): a backend, the sender itself, or a client whose way back we signed. */
    private static void checkDestination(InetSocketAddress to, InetSocketAddress source) {
        check(BACKENDS.contains(to) || to.equals(source) || SIGNED_CLIENTS.contains(to.getAddress()),
                "open relay: a message from " + source + " made siplb send to " + to);
    }

    private static void register(EmbeddedChannel ch) {
        try {
            ch.register();
        } catch (Exception e) {
            throw new IllegalStateException("cannot register " + ch, e);
        }
    }

    private static boolean isCrlf(ByteBuf b) {
        return b.readableBytes() == 2 && b.getByte(b.readerIndex()) == '\r' && b.getByte(b.readerIndex() + 1) == '\n';
    }

    private static void releaseAll(java.util.Queue<Object> queue, String why) {
        boolean any = false;
        for (Object o; (o = queue.poll()) != null; ) {
            ReferenceCountUtil.release(o);
            any = true;
        }
        check(!any, why);
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError(what);
        }
    }

    /** An input as its peer and its bytes in Java string syntax (ISO-8859-1), for failure messages. */
    static String describe(byte[] input) {
        if (input.length == 0) {
            return "(empty)";
        }
        StringBuilder sb = new StringBuilder();
        sb.append(Peer.values()[input[0] & 3]).append((input[0] & 4) != 0 ? " IPv6" : "")
                .append(" split ").append((input[0] >>> 3) & 31).append(", bytes: \"");
        for (int i = 1; i < input.length; i++) {
            int c = input[i] & 0xff;
            if (c == '\r') {
                sb.append("\\r");
            } else if (c == '\n') {
                sb.append("\\n\"\n    + \"");
            } else if (c == '"' || c == '\\') {
                sb.append('\\').append((char) c);
            } else if (c >= 0x20 && c < 0x7f) {
                sb.append((char) c);
            } else {
                sb.append(String.format("\\%03o", c)); // octal: safe in a Java literal, read as ISO-8859-1
            }
        }
        return sb.append('"').toString();
    }

    @Override
    public void close() {
        udp.finishAndReleaseAll();
    }

    /** An accepted client connection: an embedded channel with the socket addresses the decoder reads. */
    private static final class TcpConnection extends EmbeddedChannel {
        private final InetSocketAddress remote;
        private final InetSocketAddress local;

        TcpConnection(InetSocketAddress remote, InetSocketAddress local) {
            super(false, false);
            this.remote = remote;
            this.local = local;
        }

        @Override
        protected SocketAddress remoteAddress0() {
            return remote;
        }

        @Override
        protected SocketAddress localAddress0() {
            return local;
        }
    }

    /** The connector's channel initializer: its connections never get as far as a handler. */
    @ChannelHandler.Sharable
    private static final class NoHandlers extends ChannelInboundHandlerAdapter {
    }
}
