package io.siplb.route;

import io.siplb.sip.HeaderName;
import io.siplb.sip.SipResponse;
import io.siplb.sip.edit.MessageEdits;
import io.siplb.sip.header.Via;

import java.net.InetSocketAddress;

import static java.util.Objects.requireNonNull;

/**
 * The stateless proxy's decision for a response (RFC 3261 §16.7, §18.2.2): check that the top
 * Via is one siplb wrote, remove it, and send the response to the next Via: to
 * {@code received}/{@code rport} when present, else sent-by; over the client's TCP/TLS
 * connection when our branch names one.
 *
 * <p>Our Via is recognised by its sent-by (one of our addresses) and a branch that
 * {@link ViaBranch#verify verifies} against the next hop, so a forged response cannot make
 * siplb send anywhere it was not asked to by the matching request. The response to a REGISTER
 * replica ({@link Replicate}) is verified the same way and then dropped: the client gets only
 * its home proxy's answer. Thread-safe.
 */
public final class ResponseRouter {

    private final LocalAddresses local;
    private final ViaBranch branches;

    public ResponseRouter(LocalAddresses local, ViaBranch branches) {
        this.local = requireNonNull(local, "local");
        this.branches = requireNonNull(branches, "branches");
    }

    public Decision route(SipResponse response, Source source) {
        int topH = response.first(HeaderName.VIA);
        Via ours = response.topVia();
        if (topH < 0 || ours == null || !local.isLocal(ours.host(), ours.port(), 5060)
                || !ViaBranch.looksOurs(ours.branch())) {
            return Drop.of(DropReason.NOT_OUR_VIA);
        }
        int nextH = response.next(topH);
        if (nextH < 0) {
            return Drop.of(DropReason.NO_NEXT_HOP); // §16.7 step 3: it was meant for us
        }
        Via next = Via.parse(response.content(), response.valueStart(nextH), response.valueEnd(nextH));
        if (next == null) {
            return Drop.of(DropReason.INVALID_RESPONSE);
        }
        String host = NextHop.host(next);
        int port = NextHop.port(next);
        long connectionId = branches.verify(ours.branch(), host, port);
        if (connectionId < 0) {
            return Drop.of(DropReason.NOT_OUR_VIA);
        }
        if (ViaBranch.isReplica(ours.branch())) {
            return Drop.of(DropReason.REPLICA_RESPONSE); // the client already has the home proxy's answer
        }
        Transport transport = Transport.fromToken(next.transport());
        if (transport == null) {
            return Drop.of(DropReason.UNSUPPORTED_TRANSPORT);
        }
        InetSocketAddress address = NextHop.address(host, port);
        if (address == null) {
            return Drop.of(DropReason.BAD_NEXT_HOP);
        }
        MessageEdits edits = MessageEdits.of(response).removeValue(topH);
        return new Forward(new Target(transport, address, connectionId), edits, null);
    }
}
