package io.siplb.netty.pipeline;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import io.siplb.config.ConfigLoader;
import io.siplb.config.SiplbConfig;
import io.siplb.netty.Assembly;
import io.siplb.netty.guard.Guard;
import io.siplb.netty.metrics.SendTime;
import io.siplb.netty.metrics.SipMetrics;
import io.siplb.netty.probe.RetryAfterWatcher;
import io.siplb.netty.stream.ConnectionTable;
import io.siplb.netty.stream.StreamConnector;
import io.siplb.netty.udp.SipDatagramDecoder;
import io.siplb.netty.udp.UdpSockets;
import io.siplb.route.RoutingView;
import io.siplb.route.Traffic;
import io.siplb.route.Traffic.Kind;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

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
 * The whole inbound path of a UDP message through the production handlers, in the order
 * {@code SiplbServer} installs them on each UDP socket:
 * <pre>
 *   guard-rate → SipDatagramDecoder → sip-guard → RetryAfterWatcher → SipRoutingHandler → Sender
 * </pre>
 * on an {@link EmbeddedChannel} that stands in for the epoll datagram channel (it is also the
 * one UDP socket {@link UdpSockets} sends from, as the socket of the current event loop is in
 * production). Each operation is one datagram: a {@link DatagramPacket} whose content is a new
 * pooled direct buffer holding the message (what the epoll transport reads into), through the
 * pipeline (parse, guard, route, splice, write, flush at read-complete), and the forwarded
 * {@code DatagramPacket} taken off the channel and released, as the transport does once it has
 * sent it. Metrics are on ({@link SipMetrics}, as in production).
 *
 * <p>{@link #harness} is the same channel with an echo handler instead of siplb: the cost of
 * the buffer, the packet and {@code EmbeddedChannel} itself, to subtract. Not measured here:
 * the system calls, and the {@code InetSocketAddress} the epoll transport creates for each
 * received datagram's sender (the benchmark reuses one).
 *
 * <p>The configuration is {@link Traffic#yaml}, loaded by lb-config's {@code ConfigLoader} and
 * assembled by lb-netty's {@code Assembly}, as {@code siplb run} does: per-source rate limit
 * off, as in the load harness (every message comes from one source).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Dio.netty.leakDetection.level=disabled")
public class InboundPathBenchmark {

    @Param({"REGISTER", "REGISTER_OK", "INVITE", "INVITE_OK", "ACK", "BYE_FROM_BACKEND"})
    public Kind message;

    @Param({"8"})
    public int backends;

    /**
     * The capacity of the buffer a datagram is read into: {@code 65535}, what UdpListener's
     * receive allocator asks for (a datagram may be that long), or {@code 0} for just the
     * message's length.
     */
    @Param({"65535"})
    public int receiveBuffer;

    private EmbeddedChannel channel;
    private EmbeddedChannel echo;
    private ByteBufAllocator alloc;
    private SipCounters counters;
    private SipMetrics metrics;
    private byte[] wire;
    private InetSocketAddress sender;
    private int branchAt;
    private int sendTimeAt;
    private int counter;

    @Setup
    public void setUp() {
        SiplbConfig config = ConfigLoader.load(Traffic.yaml(backends), "bench.yaml");
        Assembly assembly = Assembly.of(config);
        AtomicReference<RoutingView> view = new AtomicReference<>(assembly.routingView());
        counters = new SipCounters();
        ConnectionTable connections = new ConnectionTable();
        metrics = new SipMetrics(counters, connections::size);
        metrics.watch(() -> view.get().backends());

        channel = new EmbeddedChannel();
        alloc = channel.alloc();
        UdpSockets udp = new UdpSockets();
        udp.add(Traffic.SIPLB, List.of(channel), true);
        // TCP is not used: the connector is never asked for a connection
        StreamConnector connector = new StreamConnector(channel.eventLoop(), connections, new ChannelInboundHandlerAdapter());
        Sender send = new Sender(udp, connections, connector, counters, BackendSignals.NONE);
        SipRoutingHandler routing = new SipRoutingHandler(assembly.router(connections), assembly.responseRouter(),
                view::get, send, counters, metrics, SendTime.viaParam());
        Guard guard = new Guard(config.limits().guard(), view::get);
        channel.pipeline()
                .addLast("guard-rate", guard.datagramGuard())
                .addLast("sip-decoder", new SipDatagramDecoder(assembly.limits(), counters))
                .addLast("sip-guard", guard.messageGuard())
                .addLast("sip-watcher", new RetryAfterWatcher(BackendSignals.NONE))
                .addLast("sip-routing", routing);

        Traffic traffic = Traffic.make(assembly.router(connections), assembly.responseRouter(), assembly.flowTokens(),
                view.get());
        wire = traffic.bytes(message);
        sender = traffic.source(message);
        boolean request = !(wire[0] == 'S' && wire[1] == 'I' && wire[2] == 'P' && wire[3] == '/');
        branchAt = request ? Traffic.branchOffset(wire) : -1;
        sendTimeAt = request ? -1 : Traffic.sendTimeOffset(wire);

        echo = new EmbeddedChannel(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                DatagramPacket p = (DatagramPacket) msg;
                ctx.write(new DatagramPacket(p.content(), p.sender()));
            }

            @Override
            public void channelReadComplete(ChannelHandlerContext ctx) {
                ctx.flush();
            }
        });

        // the message must be forwarded, or the benchmark measures something else
        if (inboundPath() <= 0 || counters.get(SipCounters.Event.FORWARDED) != 1
                || counters.get(SipCounters.Event.INTERNAL_ERROR) != 0) {
            throw new IllegalStateException(message + " is not forwarded");
        }
    }

    @TearDown
    public void tearDown() {
        channel.finishAndReleaseAll();
        echo.finishAndReleaseAll();
        metrics.close();
    }

    /** What the transport reads: a pooled direct buffer with the datagram, the branch or send time made current. */
    private DatagramPacket received() {
        ByteBuf content = alloc.directBuffer(Math.max(receiveBuffer, wire.length)).writeBytes(wire);
        if (branchAt >= 0) {
            Traffic.writeHex6(content, branchAt, counter++);
        }
        if (sendTimeAt >= 0) {
            // our Via's send time, so the backend's response time is recorded as in production
            Traffic.writeBase36x8(content, sendTimeAt, System.currentTimeMillis() - 3);
        }
        return new DatagramPacket(content, Traffic.SIPLB, sender);
    }

    /** One datagram in, the forwarded one out and released; returns its length. */
    @Benchmark
    public int inboundPath() {
        channel.writeInbound(received());
        DatagramPacket out = channel.readOutbound();
        int n = out.content().readableBytes();
        out.release();
        return n;
    }

    /** The harness alone: the same datagram echoed by a handler that does nothing else. */
    @Benchmark
    public int harness() {
        echo.writeInbound(received());
        DatagramPacket out = echo.readOutbound();
        int n = out.content().readableBytes();
        out.release();
        return n;
    }
}
