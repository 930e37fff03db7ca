package io.siplb.route;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.siplb.hash.Backend;
import io.siplb.hash.BackendState;
import io.siplb.hash.BackendView;
import io.siplb.sip.Framing;
import io.siplb.sip.ParseResult;
import io.siplb.sip.SipLimits;
import io.siplb.sip.SipMessage;
import io.siplb.sip.SipParser;
import io.siplb.sip.SipRequest;
import io.siplb.sip.SipResponse;
import io.siplb.sip.SipText;
import io.siplb.sip.edit.MessageSplicer;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A siplb at 192.0.2.1:5060 serving example.com, in front of three UDP backends a, b, c at
 * 10.0.0.1..3:5060, with one flow-token secret: the setting every routing test starts from.
 * Tracks the messages it parses and releases them in {@link #close()}.
 */
final class RouterFixture implements AutoCloseable {

    static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    static final InetSocketAddress SIPLB = new InetSocketAddress("192.0.2.1", 5060);
    static final InetSocketAddress CLIENT = new InetSocketAddress("198.51.100.7", 40312);
    static final InetSocketAddress BACKEND_A = new InetSocketAddress("10.0.0.1", 5060);

    /** TLS clients are told siplb.example.com:5061 (tls.advertise). */
    final LocalAddresses local = LocalAddresses.of("192.0.2.1", 5060, List.of("siplb.example.com"))
            .withTls("siplb.example.com", 5061);
    final FlowTokenCodec tokens = FlowTokenCodec.of(SECRET);
    final ViaBranch branches = new ViaBranch(SECRET);
    final List<Long> openConnections = new ArrayList<>();
    /** The wall clock our Via's send time is read from. */
    static final long NOW_MILLIS = 1_764_000_000_000L;
    final Router router = new Router(RouterConfig.of(local, Set.of("example.com")), tokens, branches,
            id -> openConnections.contains(id), RecentInvites.withDefaults(), () -> NOW_MILLIS);
    final ResponseRouter responseRouter = new ResponseRouter(local, branches);
    RoutingView view = RoutingView.of(BackendView.of(List.of(
            new Backend("a", "10.0.0.1", 5060, "UDP", 1),
            new Backend("b", "10.0.0.2", 5060, "UDP", 1),
            new Backend("c", "10.0.0.3", 5060, "UDP", 1))));
    private final List<SipMessage> parsed = new ArrayList<>();

    SipRequest request(String text) {
        return (SipRequest) parse(text);
    }

    SipResponse response(String text) {
        return (SipResponse) parse(text);
    }

    private SipMessage parse(String text) {
        ByteBuf buf = SipText.sip(text);
        ParseResult result = SipParser.parse(buf, SipLimits.DEFAULTS, Framing.DATAGRAM);
        assertThat(result.isSuccess()).as("parses: %s", result).isTrue();
        parsed.add(result.message());
        return result.message();
    }

    /** The flow token of {@link #CLIENT}'s UDP flow, as siplb puts it into Path and Record-Route. */
    String clientToken() {
        return tokens.encode(FlowToken.udp(CLIENT));
    }

    Decision fromClient(SipRequest request) {
        return router.route(request, Source.udp(CLIENT, SIPLB), view);
    }

    Decision fromBackendA(SipRequest request) {
        return router.route(request, Source.udp(BACKEND_A, SIPLB), view);
    }

    void down(String... ids) {
        BackendView v = view.backends();
        for (String id : ids) {
            v = v.withState(id, BackendState.DOWN);
        }
        view = view.withBackends(v);
    }

    /** The bytes a Forward sends, as text. */
    static String wire(Decision decision) {
        assertThat(decision).isInstanceOf(Forward.class);
        Forward forward = (Forward) decision;
        ByteBuf out = MessageSplicer.splice(forward.edits().message(), forward.edits(), UnpooledByteBufAllocator.DEFAULT);
        try {
            return out.toString(StandardCharsets.UTF_8);
        } finally {
            out.release();
        }
    }

    @Override
    public void close() {
        for (SipMessage m : parsed) {
            m.release();
        }
    }
}
