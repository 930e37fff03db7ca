package io.siplb.netty.pipeline;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;
import io.siplb.netty.pipeline.SipCounters.Event;
import io.siplb.netty.stream.ConnectionTable;
import io.siplb.netty.stream.StreamConnector;
import io.siplb.netty.udp.UdpSockets;
import io.siplb.route.Source;
import io.siplb.route.Target;

import java.net.InetSocketAddress;

import static java.util.Objects.requireNonNull;

/**
 * Puts outgoing bytes on the wire: a routing {@link Target} or the source of a request that is
 * answered locally, mapped to a channel.
 *
 * <ul>
 *   <li>UDP: a datagram from one of siplb's own UDP sockets ({@link UdpSockets}: the advertised
 *       address, the socket of the current event loop), so replies leave from the address peers
 *       sent to.</li>
 *   <li>TCP with a connection id: that client connection (RFC 5626 §5.3: a flow is a
 *       connection; never open a new one towards a client). Gone: counted, dropped.</li>
 *   <li>TCP without: siplb's connection to that backend address, opened on first use.</li>
 *   <li>TLS with a connection id: that client connection, through its SslHandler. siplb opens no
 *       TLS connection: a TLS target without one is counted as a failed write.</li>
 * </ul>
 *
 * <p>Every method takes ownership of {@code out}: it is written or released, never leaked.
 * A failed write is counted ({@link Event#WRITE_FAILED}), never thrown: a peer that went away
 * must not disturb anyone else's traffic. A write to the channel the message arrived on is not
 * flushed here; {@link SipRoutingHandler} flushes once per read batch. Writes to other channels
 * are flushed at once. Thread-safe and stateless.
 */
public final class Sender {

    private final UdpSockets udp;
    private final ConnectionTable connections;
    private final StreamConnector connector;
    private final SipCounters counters;
    private final BackendSignals signals;
    /** One listener for every write: counting a failure allocates nothing per message. */
    private final ChannelFutureListener countFailure;

    public Sender(UdpSockets udp, ConnectionTable connections, StreamConnector connector, SipCounters counters) {
        this(udp, connections, connector, counters, BackendSignals.NONE);
    }

    /**
     * @param signals told when a connection to a backend cannot be opened (refused, timed out):
     *                passive health evidence. ICMP errors for datagrams sent from the shared,
     *                unconnected listener sockets are not reported by the kernel, so UDP sends
     *                give none; the prober's connected sockets see those.
     */
    public Sender(UdpSockets udp, ConnectionTable connections, StreamConnector connector, SipCounters counters,
                  BackendSignals signals) {
        this.signals = requireNonNull(signals, "signals");
        this.udp = requireNonNull(udp, "udp");
        this.connections = requireNonNull(connections, "connections");
        this.connector = requireNonNull(connector, "connector");
        this.counters = requireNonNull(counters, "counters");
        this.countFailure = f -> {
            if (!f.isSuccess()) {
                counters.count(Event.WRITE_FAILED);
            }
        };
    }

    /** Sends {@code out} to {@code target}; {@code current} is the channel the message arrived on. */
    public void send(Channel current, Target target, ByteBuf out) {
        switch (target.transport()) {
            case UDP:
                sendDatagram(current, target.address(), out);
                return;
            case TCP:
                if (target.connectionId() != 0) {
                    sendOnConnection(current, target.connectionId(), out);
                } else {
                    sendToBackend(current, target.address(), out);
                }
                return;
            case TLS:
                if (target.connectionId() != 0) {
                    sendOnConnection(current, target.connectionId(), out); // the SslHandler encrypts it
                } else {
                    // siplb accepts TLS but opens none (backends are UDP/TCP, lb-config refuses TLS ones):
                    // this is a backend's outbound request to a sips: or transport=tls URI
                    fail(out, Event.WRITE_FAILED);
                }
                return;
            default:
                fail(out, Event.WRITE_FAILED);
        }
    }

    /**
     * Sends a locally generated response back where the request came from: over the same
     * connection for TCP, else to the source address and port (RFC 3261 §18.2.2, RFC 3581 §4:
     * received/rport are the source), from the socket it arrived on.
     */
    public void reply(Channel current, Source source, ByteBuf out) {
        if (source.transport().isStream()) {
            write(current, current, out);
        } else {
            write(current, current, new DatagramPacket(out, source.remote()));
        }
    }

    private void sendDatagram(Channel current, InetSocketAddress address, ByteBuf out) {
        Channel socket = udp.pick(address, current.eventLoop());
        if (socket == null) {
            fail(out, Event.WRITE_FAILED); // no UDP listener of the target's address family
            return;
        }
        write(current, socket, new DatagramPacket(out, address));
    }

    private void sendOnConnection(Channel current, long connectionId, ByteBuf out) {
        Channel connection = connections.get(connectionId);
        if (connection == null) {
            fail(out, Event.CONNECTION_GONE);
            return;
        }
        write(current, connection, out);
    }

    private void sendToBackend(Channel current, InetSocketAddress address, ByteBuf out) {
        ChannelFuture connecting = connector.connection(address);
        if (connecting.isDone()) {
            if (connecting.isSuccess()) {
                write(current, connecting.channel(), out);
            } else {
                signals.sendFailed(address, connecting.cause());
                fail(out, Event.WRITE_FAILED);
            }
            return;
        }
        // The first messages to a backend wait for its connection; later ones find it open.
        connecting.addListener((ChannelFuture f) -> {
            if (f.isSuccess()) {
                f.channel().writeAndFlush(out).addListener(countFailure);
            } else {
                signals.sendFailed(address, f.cause());
                fail(out, Event.WRITE_FAILED);
            }
        });
    }

    private void write(Channel current, Channel target, Object msg) {
        if (!target.isWritable()) {
            // Past the high water mark: the peer or the socket is not keeping up. Queueing more
            // would only grow memory; SIP over UDP recovers by retransmission, and a TCP peer this
            // far behind is better served by failing than by an ever longer queue.
            ReferenceCountUtil.release(msg);
            counters.count(Event.UNWRITABLE);
            return;
        }
        if (target == current) {
            target.write(msg).addListener(countFailure); // flushed at the end of the read batch
        } else {
            target.writeAndFlush(msg).addListener(countFailure);
        }
    }

    private void fail(ByteBuf out, Event event) {
        out.release();
        counters.count(event);
    }
}
