package io.siplb.netty.guard;

import io.netty.buffer.Unpooled;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;
import io.siplb.config.GuardConfig;
import io.siplb.hash.Backend;
import io.siplb.hash.BackendView;
import io.siplb.netty.pipeline.SipInbound;
import io.siplb.route.RoutingView;
import io.siplb.route.Source;
import io.siplb.sip.Framing;
import io.siplb.sip.ParseResult;
import io.siplb.sip.SipLimits;
import io.siplb.sip.SipParser;
import io.siplb.sip.SipText;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Overload shedding on one UDP socket (issue 8, flood): read batches of 16 say whether siplb is
 * behind; while it is, sources no backend has accepted get a shrinking budget per batch, and
 * trusted clients and backends are never shed.
 */
class OverloadSheddingTest {

    private static final InetSocketAddress SIPLB = new InetSocketAddress("127.0.0.1", 5060);
    private static final InetSocketAddress BACKEND = new InetSocketAddress("127.0.1.1", 5060);
    private static final InetSocketAddress CLIENT = new InetSocketAddress("127.0.0.2", 40000);

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final RoutingView view = RoutingView.of(BackendView.of(List.of(new Backend("a", "127.0.1.1", 5060, "UDP", 1))));
    // no per-source rate limit: this is about many sources, each under it
    private final Guard guard = new Guard(new GuardConfig(10, 10, null, null, 0, 1, 1, null, 1024, List.of()),
            () -> view, nanos::get);
    private final EmbeddedChannel socket = new EmbeddedChannel(false, false);

    OverloadSheddingTest() throws Exception {
        FixedRecvByteBufAllocator batchOf16 = new FixedRecvByteBufAllocator(2048);
        batchOf16.maxMessagesPerRead(16);
        socket.config().setRecvByteBufAllocator(batchOf16);
        socket.pipeline().addLast(guard.datagramGuard());
        socket.register();
    }

    @AfterEach
    void close() {
        socket.finishAndReleaseAll();
    }

    /** One read batch: the datagrams, then read-complete. Returns the senders that got through. */
    private List<InetSocketAddress> batch(List<InetSocketAddress> senders) {
        List<Object> packets = new ArrayList<>();
        for (InetSocketAddress from : senders) {
            packets.add(new DatagramPacket(Unpooled.copiedBuffer("x", StandardCharsets.US_ASCII), SIPLB, from));
        }
        socket.writeInbound(packets.toArray());
        List<InetSocketAddress> passed = new ArrayList<>();
        for (Object o; (o = socket.readInbound()) != null; ) {
            passed.add(((DatagramPacket) o).sender());
            ReferenceCountUtil.release(o);
        }
        return passed;
    }

    private static List<InetSocketAddress> unknown(int n) {
        List<InetSocketAddress> senders = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            senders.add(new InetSocketAddress("127.1.0." + (i + 1), 5060));
        }
        return senders;
    }

    @Test
    void letsEverythingThroughWhileTheSocketKeepsUp() {
        for (int i = 0; i < 50; i++) {
            assertThat(batch(unknown(15))).hasSize(15);
        }
        assertThat(guard.counters().get(GuardEvent.OVERLOAD_DROPPED)).isZero();
    }

    @Test
    void shedsUnknownSourcesBeforeParsingWhenBehindButNeverATrustedClientOrABackend() {
        guard.trusted().trust(CLIENT.getAddress(), nanos.get());
        assertThat(batch(unknown(16))).as("the first full batch only tells siplb it is behind").hasSize(16);

        List<InetSocketAddress> mixed = unknown(14);
        mixed.add(CLIENT);
        mixed.add(BACKEND);
        List<InetSocketAddress> passed = batch(mixed);

        assertThat(passed).contains(CLIENT, BACKEND);
        assertThat(passed).hasSize(2 + 8); // budget: half of 16
        assertThat(guard.counters().get(GuardEvent.OVERLOAD_DROPPED)).isEqualTo(6);
    }

    @Test
    void halvesTheBudgetOnEachFullBatchDownToOne() {
        batch(unknown(16));
        assertThat(batch(unknown(16))).hasSize(8);
        assertThat(batch(unknown(16))).hasSize(4);
        assertThat(batch(unknown(16))).hasSize(2);
        assertThat(batch(unknown(16))).hasSize(1);
        assertThat(batch(unknown(16))).hasSize(1);
    }

    @Test
    void givesTheBudgetBackOneByOneOnceTheSocketIsEmptyAgain() {
        for (int i = 0; i < 6; i++) {
            batch(unknown(16)); // budget 1
        }
        for (int i = 0; i < 15; i++) {
            assertThat(batch(unknown(1))).hasSize(1); // one datagram per wake-up: keeping up
        }
        assertThat(batch(unknown(15))).as("back to unlimited").hasSize(15);
        assertThat(guard.counters().get(GuardEvent.OVERLOAD_DROPPED)).isEqualTo(8 + 12 + 14 + 15 + 15);
    }

    @Test
    void trustsTheClientABackendAcceptsWithA2xxToItsRegisterAndNotOneItChallenges() throws Exception {
        EmbeddedChannel messages = new EmbeddedChannel(guard.messageGuard());
        try {
            messages.writeInbound(fromBackend(answer("401 Unauthorized", "127.0.0.7", "REGISTER")));
            assertThat(guard.trusted().isTrusted(InetAddress.getByName("127.0.0.7"), nanos.get())).isFalse();

            messages.writeInbound(fromBackend(answer("200 OK", "127.0.0.7", "REGISTER")));
            messages.writeInbound(fromBackend(answer("200 OK", "127.0.0.8", "OPTIONS")));

            assertThat(guard.trusted().isTrusted(InetAddress.getByName("127.0.0.7"), nanos.get())).isTrue();
            assertThat(guard.trusted().isTrusted(InetAddress.getByName("127.0.0.8"), nanos.get()))
                    .as("a 200 to OPTIONS says nothing about the client").isFalse();
            nanos.addAndGet(Guard.TRUST_NANOS);
            assertThat(guard.trusted().isTrusted(InetAddress.getByName("127.0.0.7"), nanos.get()))
                    .as("an hour later").isFalse();
        } finally {
            messages.finishAndReleaseAll();
        }
    }

    @Test
    void doesNotTrustAClientBecauseAnotherClientSentA2xxForIt() throws Exception {
        EmbeddedChannel messages = new EmbeddedChannel(guard.messageGuard());
        try {
            SipInbound forged = new SipInbound(parse(answer("200 OK", "127.0.0.9", "REGISTER")),
                    Source.udp(new InetSocketAddress("127.0.0.3", 5060), SIPLB));
            messages.writeInbound(forged);
            assertThat(guard.trusted().isTrusted(InetAddress.getByName("127.0.0.9"), nanos.get())).isFalse();
        } finally {
            messages.finishAndReleaseAll();
        }
    }

    private static SipInbound fromBackend(String response) {
        return new SipInbound(parse(response), Source.udp(BACKEND, SIPLB));
    }

    private static io.siplb.sip.SipMessage parse(String text) {
        ParseResult r = SipParser.parse(SipText.sip(text), SipLimits.DEFAULTS, Framing.DATAGRAM);
        assertThat(r.isSuccess()).isTrue();
        return r.message();
    }

    private static String answer(String status, String client, String method) {
        return """
                SIP/2.0 %s
                Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKslAAAA
                Via: SIP/2.0/UDP 10.9.9.9:5060;branch=z9hG4bKc;received=%s;rport=40000
                From: <sip:u@example.com>;tag=1
                To: <sip:u@example.com>;tag=2
                Call-ID: trust-1
                CSeq: 1 %s
                Content-Length: 0

                """.formatted(status, client, method);
    }
}
