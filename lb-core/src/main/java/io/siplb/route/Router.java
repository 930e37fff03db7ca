package io.siplb.route;

import com.google.common.net.InetAddresses;
import io.siplb.hash.Backend;
import io.siplb.hash.BackendState;
import io.siplb.hash.BackendView;
import io.siplb.sip.HeaderName;
import io.siplb.sip.ParseFailure;
import io.siplb.sip.SipMethod;
import io.siplb.sip.SipRequest;
import io.siplb.sip.edit.HeaderWriter;
import io.siplb.sip.edit.MessageEdits;
import io.siplb.sip.header.NameAddr;
import io.siplb.sip.header.SipUri;
import io.siplb.sip.header.Via;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.function.LongSupplier;

import static java.util.Objects.requireNonNull;

/**
 * The stateless proxy's decision for a request (DESIGN.md "Routing rules", RFC 3261 §16):
 * a pure function of the request, where it came from and a snapshot of the backends.
 *
 * <p>Outside (a client): validate, Max-Forwards, received/rport, pop our Route, then either
 * follow a Route that names a backend (in-dialog) or hash the AOR to its home proxy (initial),
 * adding Path to a REGISTER and Record-Route to a dialog-creating request, both carrying the
 * client's {@link FlowToken}. Inside (a home proxy): a Route of ours with a flow token sends the
 * request to that client flow; a Request-URI in a domain we serve goes to that user's home proxy.
 * Every forwarded request gets our Via with a deterministic branch ({@link ViaBranch}).
 *
 * <p>Thread-safe: holds only immutable configuration.
 */
public final class Router {

    /** RFC 3261 §16.6 step 3: a request without Max-Forwards gets 70. */
    private static final byte[] MAX_FORWARDS_70 = "Max-Forwards: 70\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final List<String> NO_HEADERS = List.of();

    /**
     * The Via parameter carrying the send time: epoch milliseconds in base 36 (8 characters
     * until 2059). Outside the branch, so a retransmission still gets the same branch.
     */
    public static final String SEND_TIME_PARAM = "t";

    /** The answer to a request from a backend whose flow token fails verification; counted by identity. */
    public static final Respond INVALID_FLOW_TOKEN = Respond.of(403, "Invalid Flow Token");

    /**
     * The answer to a request from outside whose top Route of ours carries a valid flow token for
     * another flow (a token replayed from another transport or address); counted by identity.
     */
    public static final Respond FOREIGN_FLOW_TOKEN = Respond.of(403, "Foreign Flow Token");

    private final RouterConfig config;
    private final LocalAddresses local;
    private final FlowTokenCodec tokens;
    private final ViaBranch branches;
    private final ConnectionLiveness connections;
    private final RecentInvites recentInvites;
    private final LongSupplier clockMillis;
    private final Respond serviceUnavailable;
    /** The replica marker header line, and its name in lower case for matching received headers. */
    private final byte[] replicaMarkerLine;
    private final byte[] replicaMarkerName;

    /** Which of the two copies of a replicated REGISTER is being routed ({@link Replicate}). */
    private enum Copy { PRIMARY, REPLICA }

    /**
     * Each event loop's working space for the lines it writes: filled and copied into the
     * message's edits at once, so nothing of it outlives one call. The router is shared by all
     * loops; these are not.
     */
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private static final class Scratch {
        final HeaderWriter line = new HeaderWriter(256);
        final StringBuilder branch = new StringBuilder(ViaBranch.MAX_CHARS);
        final StringBuilder sendTime = new StringBuilder(13);
    }

    public Router(RouterConfig config, FlowTokenCodec tokens, ViaBranch branches, ConnectionLiveness connections) {
        this(config, tokens, branches, connections, RecentInvites.withDefaults());
    }

    public Router(RouterConfig config, FlowTokenCodec tokens, ViaBranch branches, ConnectionLiveness connections,
                  RecentInvites recentInvites) {
        this(config, tokens, branches, connections, recentInvites, System::currentTimeMillis);
    }

    /**
     * @param clockMillis wall-clock milliseconds, written into our Via as the send time
     *                    ({@value #SEND_TIME_PARAM}) so that a backend's response time can be
     *                    measured from its response alone, without per-transaction state
     */
    public Router(RouterConfig config, FlowTokenCodec tokens, ViaBranch branches, ConnectionLiveness connections,
                  RecentInvites recentInvites, LongSupplier clockMillis) {
        this.config = requireNonNull(config, "config");
        this.local = config.local();
        this.tokens = requireNonNull(tokens, "tokens");
        this.branches = requireNonNull(branches, "branches");
        this.connections = requireNonNull(connections, "connections");
        this.recentInvites = requireNonNull(recentInvites, "recentInvites");
        this.clockMillis = requireNonNull(clockMillis, "clockMillis");
        this.replicaMarkerLine = (config.replicaMarker() + ": 1\r\n").getBytes(StandardCharsets.US_ASCII);
        this.replicaMarkerName = config.replicaMarker().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
        this.serviceUnavailable = new Respond(503, "Service Unavailable",
                List.of("Retry-After: " + config.retryAfterSeconds()));
    }

    /** The decision for {@code request}, received from {@code source}, against {@code view}. */
    public Decision route(SipRequest request, Source source, RoutingView view) {
        Decision decision = route(request, source, view, Copy.PRIMARY);
        if (decision instanceof Forward primary && isReplicated(request, source, view)) {
            return withReplica(primary, route(request, source, view, Copy.REPLICA));
        }
        return decision;
    }

    /**
     * DESIGN "Home-proxy failure": a REGISTER from outside also goes, marked, to the AOR's second
     * choice. (A REGISTER from inside is a backend's own business.)
     */
    private boolean isReplicated(SipRequest request, Source source, RoutingView view) {
        return config.replicateRegisters() && request.method() == SipMethod.REGISTER
                && view.sideOf(source) == Side.OUTSIDE;
    }

    /**
     * Both copies when the replica goes to another backend; the primary alone when there is no
     * second choice (one backend up) or the REGISTER followed a Route to a backend.
     */
    private static Decision withReplica(Forward primary, Decision replica) {
        if (replica instanceof Forward copy && copy.backendId() != null && !copy.backendId().equals(primary.backendId())) {
            return new Replicate(primary, copy);
        }
        return primary;
    }

    private Decision route(SipRequest request, Source source, RoutingView view, Copy copy) {
        SipMethod method = request.method();
        ParseFailure invalid = request.verify();
        if (invalid != null) {
            if (!invalid.error().isAnswerable()) {
                return Drop.of(DropReason.MALFORMED);
            }
            return refuse(method, new Respond(invalid.error().statusCode(), invalid.error().reason(), NO_HEADERS));
        }
        if (method == SipMethod.ACK && isAckOfLocalResponse(request)) {
            return Drop.of(DropReason.ACK_FOR_LOCAL_RESPONSE);
        }
        int routeH = request.first(HeaderName.ROUTE);
        SipUri ruri = request.requestUri();
        if (routeH < 0 && method == SipMethod.OPTIONS && isSiplbItself(ruri)) {
            return Respond.of(200, "OK"); // monitoring and the VRRP peer ask us directly
        }

        MessageEdits edits = MessageEdits.of(request);
        int maxForwards = request.maxForwards();
        if (maxForwards == 0) {
            return refuse(method, Respond.of(483, "Too Many Hops"));
        }
        if (maxForwards < 0) {
            edits.insertHeaderFirst(MAX_FORWARDS_70);
        } else {
            // RFC 3261 §16.6 step 3
            edits.replaceValueWithNumber(request.first(HeaderName.MAX_FORWARDS), maxForwards - 1);
        }

        ClientVia clientVia = ClientVia.apply(request.topVia(), source, config.forceRport(), edits);
        Side side = view.sideOf(source);

        // Top Routes naming us: remove them (RFC 3261 §16.4; two after a double Record-Route,
        // RFC 5658 §3); remember the flow token they carry.
        FlowToken flow = null;
        while (routeH >= 0) {
            NameAddr route = NameAddr.parse(request.content(), request.valueStart(routeH), request.valueEnd(routeH));
            if (route == null || route.uri() == null) {
                return refuse(method, Respond.of(400, "Bad Route"));
            }
            SipUri uri = route.uri();
            if (!isOurs(uri)) {
                break;
            }
            edits.removeValue(routeH);
            String user = uri.user();
            if (flow == null && user != null && !user.isEmpty()) {
                flow = tokens.decode(user);
                if (flow == null) {
                    // RFC 5626 §5.3: a token that fails verification is refused. From outside
                    // too: a forged or truncated token is never one we issued (issue 8).
                    return refuse(method, INVALID_FLOW_TOKEN);
                }
                if (side == Side.OUTSIDE && !isFlowOf(flow, source)) {
                    // RFC 5626 §5.3 would call this an "incoming" request and send it down the
                    // token's flow: from outside that is a relay to someone else's flow.
                    return refuse(method, FOREIGN_FLOW_TOKEN);
                }
            }
            routeH = request.next(routeH);
        }

        if (side == Side.INSIDE) {
            return fromInside(request, source, view, edits, clientVia, flow, routeH, ruri);
        }
        removeReplicaMarkers(request, edits);
        return fromOutside(request, source, view, edits, clientVia, routeH, ruri, copy);
    }

    private Decision fromOutside(SipRequest request, Source source, RoutingView view, MessageEdits edits,
                                 ClientVia clientVia, int routeH, SipUri ruri, Copy copy) {
        SipMethod method = request.method();
        if (routeH >= 0) {
            // An in-dialog request following Record-Route: the next Route must be a backend.
            NameAddr next = NameAddr.parse(request.content(), request.valueStart(routeH), request.valueEnd(routeH));
            Backend backend = next == null || next.uri() == null ? null : view.backendNamed(next.uri());
            if (backend == null) {
                // not an open relay: from outside we only ever send to a backend
                return refuse(method, Respond.of(403, "Forbidden Route"));
            }
            if (isDown(view, backend)) {
                // its dialogs cannot go on elsewhere: say so at once instead of sending into the void
                return refuse(method, serviceUnavailable);
            }
            return forwardToBackend(request, source, view, backend, edits, clientVia);
        }
        String aor = aorOfInitialRequest(request, ruri);
        if (aor == null) {
            return refuse(method, Respond.of(method == SipMethod.REGISTER ? 400 : 416,
                    method == SipMethod.REGISTER ? "Bad To" : "Unsupported URI Scheme"));
        }
        Backend backend = copy == Copy.REPLICA ? view.secondChoice(aor) : homeOf(request, aor, view);
        if (backend == null) {
            return refuse(method, serviceUnavailable);
        }
        if (method == SipMethod.REGISTER) {
            // RFC 3327: the registrar sends terminating requests back through this flow
            edits.insertHeaderFirst(SCRATCH.get().line.reset()
                    .path(tokens.encode(FlowToken.of(source)), local.advertisedHost(), local.advertisedPort()));
        } else if (config.recordRoute() && isDialogCreating(request)) {
            recordRoute(edits, tokens.encode(FlowToken.of(source)), source.transport(), backendTransport(backend));
        }
        if (copy == Copy.REPLICA) {
            // the second choice stores it unchallenged: it trusts this header from siplb's address only
            edits.insertHeaderFirst(replicaMarkerLine);
        }
        return forwardToBackend(request, source, view, backend, edits, clientVia, copy);
    }

    private Decision fromInside(SipRequest request, Source source, RoutingView view, MessageEdits edits,
                                ClientVia clientVia, FlowToken flow, int routeH, SipUri ruri) {
        SipMethod method = request.method();
        if (flow != null) {
            // A request for a client, routed by our Path or Record-Route: send it to the client's flow.
            if (flow.transport().isStream() && !connections.isOpen(flow.connectionId())) {
                return refuse(method, Respond.of(430, "Flow Failed")); // RFC 5626 §5.3
            }
            if (config.recordRoute() && isDialogCreating(request)) {
                // RFC 5626 §5.3: stay in the path, or the far end's ACK and BYE go to the client's private Contact
                recordRoute(edits, tokens.encode(flow), source.transport(), flow.transport());
            }
            return forward(request, source, flow.target(), null, edits, clientVia);
        }
        if (routeH >= 0) {
            NameAddr next = NameAddr.parse(request.content(), request.valueStart(routeH), request.valueEnd(routeH));
            Backend backend = next == null || next.uri() == null ? null : view.backendNamed(next.uri());
            if (backend != null) {
                return isDown(view, backend) ? refuse(method, serviceUnavailable)
                        : forwardToBackend(request, source, view, backend, edits, clientVia);
            }
            return outbound(request, source, edits, clientVia, next == null ? null : next.uri());
        }
        if (ruri != null && config.servesDomain(ruri.host())) {
            // one home proxy hands a call to a user homed elsewhere
            String aor = aorOf(ruri);
            Backend backend = aor == null ? null : view.selectTerminating(aor);
            if (backend == null) {
                return refuse(method, serviceUnavailable);
            }
            return forwardToBackend(request, source, view, backend, edits, clientVia);
        }
        return outbound(request, source, edits, clientVia, ruri);
    }

    /**
     * The backend for an initial request from outside. A CANCEL or an ACK (of a non-2xx answer:
     * one with no Route) follows its INVITE, even to a draining backend.
     */
    private Backend homeOf(SipRequest request, String aor, RoutingView view) {
        SipMethod method = request.method();
        if (method == SipMethod.CANCEL || method == SipMethod.ACK) {
            String invitedBackend = recentInvites.backendOf(transactionOf(request));
            Backend b = invitedBackend == null ? null : view.backendWithId(invitedBackend);
            return b != null ? b : view.selectExisting(aor);
        }
        Backend backend = isOriginating(request) || method == SipMethod.REGISTER
                ? view.select(aor) : view.selectTerminating(aor);
        if (backend != null && method == SipMethod.INVITE) {
            recentInvites.remember(transactionOf(request), backend.id());
        }
        return backend;
    }

    /**
     * A backend that health checking took out of routing ({@link BackendState#DOWN}; a draining
     * one still takes its dialogs). An in-dialog request for it gets 503 with Retry-After
     * (RFC 3261 §21.5.4) rather than a send that nobody answers, so the UA gives up at once
     * instead of after Timer B/F.
     */
    private static boolean isDown(RoutingView view, Backend backend) {
        BackendView backends = view.backends();
        int i = backends.indexOf(backend.id());
        return i >= 0 && backends.state(i) == BackendState.DOWN;
    }

    /** DESIGN "From inside" rule 4: only where configuration allows, and only to an IP literal. */
    private Decision outbound(SipRequest request, Source source, MessageEdits edits, ClientVia clientVia, SipUri uri) {
        if (!config.outboundFromBackends() || uri == null || uri.host() == null) {
            return refuse(request.method(), Respond.of(403, "Forbidden"));
        }
        String host = NextHop.stripBrackets(uri.host());
        if (!InetAddresses.isInetAddress(host)) {
            return refuse(request.method(), Respond.of(403, "Forbidden"));
        }
        Transport transport = transportOf(uri);
        int port = uri.port() > 0 ? uri.port() : transport == Transport.TLS ? 5061 : 5060;
        InetSocketAddress address = NextHop.address(host, port);
        if (address == null) {
            return refuse(request.method(), Respond.of(403, "Forbidden"));
        }
        return forward(request, source, new Target(transport, address, 0), null, edits, clientVia);
    }

    private Decision forwardToBackend(SipRequest request, Source source, RoutingView view, Backend backend,
                                      MessageEdits edits, ClientVia clientVia) {
        return forwardToBackend(request, source, view, backend, edits, clientVia, Copy.PRIMARY);
    }

    private Decision forwardToBackend(SipRequest request, Source source, RoutingView view, Backend backend,
                                      MessageEdits edits, ClientVia clientVia, Copy copy) {
        return forward(request, source, view.targetOf(backend), backend.id(), edits, clientVia, copy);
    }

    private Decision forward(SipRequest request, Source source, Target target, String backendId,
                             MessageEdits edits, ClientVia clientVia) {
        return forward(request, source, target, backendId, edits, clientVia, Copy.PRIMARY);
    }

    private Decision forward(SipRequest request, Source source, Target target, String backendId,
                             MessageEdits edits, ClientVia clientVia, Copy copy) {
        long connectionId = source.transport().isStream() ? source.connectionId() : 0;
        Scratch scratch = SCRATCH.get();
        StringBuilder branch = scratch.branch;
        branch.setLength(0);
        // a replica's branch says so: its response ends here (ResponseRouter)
        branches.appendBranch(branch, transactionOf(request), clientVia.nextHopHost(), clientVia.nextHopPort(),
                connectionId, copy == Copy.REPLICA);
        StringBuilder sendTime = scratch.sendTime;
        sendTime.setLength(0);
        ViaBranch.appendBase36(sendTime, clockMillis.getAsLong());
        // RFC 3261 §16.6 step 8: our Via goes on top
        edits.insertHeaderBefore(request.first(HeaderName.VIA),
                scratch.line.reset().viaStart(target.transport().name(), local.advertisedHost(target.transport()),
                                local.advertisedPort(target.transport()))
                        .param("branch", branch)
                        // RFC 3261 §8.2.6.2: a response echoes our Via, so the send time comes back with it
                        .param(SEND_TIME_PARAM, sendTime)
                        .crlf());
        return new Forward(target, edits, backendId);
    }

    /**
     * RFC 3261 §16.11: the same branch for a retransmission, and for a CANCEL or non-2xx ACK the
     * branch of the INVITE. The received top Via branch has both properties when it carries the
     * magic cookie; otherwise (RFC 2543) hash the fields that identify the transaction.
     */
    private long transactionOf(SipRequest request) {
        Via via = request.topVia();
        String branch = via.branch();
        if (branch != null && branch.length() > 7 && branch.startsWith("z9hG4bK")) {
            return branches.transaction(branch, via.host(), via.port());
        }
        SipHash24 h = branches.transactionHasher();
        NameAddr from = request.from();
        h.putString(from.tag() == null ? "" : from.tag());
        h.putString(request.callId());
        h.putBytes(request.content(), request.uriStart(), request.uriEnd());
        int viaH = request.first(HeaderName.VIA);
        h.putBytes(request.content(), request.valueStart(viaH), request.valueEnd(viaH));
        h.putLong(request.cseq().number());
        return h.hash();
    }

    /** DESIGN routing rule 5: REGISTER → To; From in a domain we serve → From; else the Request-URI. */
    private String aorOfInitialRequest(SipRequest request, SipUri ruri) {
        if (request.method() == SipMethod.REGISTER) {
            NameAddr to = request.to();
            return to == null ? null : aorOf(to.uri());
        }
        if (isOriginating(request)) {
            return request.from().uri().aor();
        }
        return aorOf(ruri);
    }

    /** A request from one of our users: its From is in a domain we serve (DESIGN routing rule 5). */
    private boolean isOriginating(SipRequest request) {
        NameAddr from = request.from();
        return from != null && from.uri() != null && from.uri().scheme() != SipUri.Scheme.TEL
                && config.servesDomain(from.uri().host());
    }

    /**
     * Removes every replica marker header from a request from outside: only siplb may write one
     * (a registrar trusts it from siplb's address, where every client's REGISTER comes from too).
     */
    private void removeReplicaMarkers(SipRequest request, MessageEdits edits) {
        for (int h = request.first(HeaderName.OTHER); h >= 0; h = request.next(h)) {
            if (isReplicaMarker(request, h)) {
                edits.remove(request.lineStart(h), request.lineEnd(h));
            }
        }
    }

    private boolean isReplicaMarker(SipRequest request, int h) {
        int start = request.nameStart(h);
        if (request.nameEnd(h) - start != replicaMarkerName.length) {
            return false;
        }
        for (int i = 0; i < replicaMarkerName.length; i++) {
            int c = request.content().getByte(start + i);
            if ((c >= 'A' && c <= 'Z' ? c + 32 : c) != replicaMarkerName[i]) {
                return false;
            }
        }
        return true;
    }

    private static String aorOf(SipUri uri) {
        return uri == null ? null : uri.aor();
    }

    /**
     * Whether a request from outside arrived on the flow its Route token names (RFC 5626 §5.3
     * "outgoing"): the same transport and source IP, and for UDP the same port. For TCP/TLS
     * the port and connection are not compared: a client reconnects after a siplb restart or
     * VRRP takeover (DESIGN "Flow tokens") and its dialogs' route sets still carry the old
     * connection; the token is not used to route from outside anyway, the next Route must
     * name a backend.
     */
    private static boolean isFlowOf(FlowToken flow, Source source) {
        InetSocketAddress remote = source.remote();
        return flow.transport() == source.transport()
                && flow.address().equals(remote.getAddress())
                && (flow.transport().isStream() || flow.port() == remote.getPort());
    }

    /**
     * Record-Route with the flow token. When the transport changes here (a TCP client and a UDP
     * backend, say), RFC 5658 §4 double record-routing: the top entry names us as the next hop
     * downstream sees us, the second as upstream sees us, each with its transport, so both ends
     * reach siplb over the transport they already use. One entry when nothing changes.
     *
     * @param upstream   the transport the request arrived on
     * @param downstream the transport it leaves on
     */
    private void recordRoute(MessageEdits edits, String token, Transport upstream, Transport downstream) {
        edits.insertHeaderFirst(recordRouteLine(token, downstream));
        if (upstream != downstream) {
            edits.insertHeaderFirst(recordRouteLine(token, upstream));
        }
    }

    private HeaderWriter recordRouteLine(String token, Transport transport) {
        HeaderWriter line = SCRATCH.get().line.reset(); // copied into the edits before the next use
        if (transport == Transport.UDP) {
            return line.recordRoute(token, local.advertisedHost(), local.advertisedPort());
        }
        // a TLS client is told our TLS address (its own port, RFC 3261 §19.1.2; a name its certificate check accepts)
        return line.ascii("Record-Route: <").sipUri(token, local.advertisedHost(transport), local.advertisedPort(transport))
                .param("transport", transport == Transport.TLS ? "tls" : "tcp").ascii(";lr>").crlf();
    }

    private static Transport backendTransport(Backend backend) {
        return Transport.valueOf(backend.transport());
    }

    /** A Route or Request-URI that names siplb. */
    private boolean isOurs(SipUri uri) {
        return (uri.scheme() == SipUri.Scheme.SIP || uri.scheme() == SipUri.Scheme.SIPS)
                && config.local().isLocal(uri.host(), uri.port(), uri.scheme() == SipUri.Scheme.SIPS ? 5061 : 5060);
    }

    /** An OPTIONS for siplb itself: our address and no user part. */
    private boolean isSiplbItself(SipUri ruri) {
        return ruri != null && ruri.user() == null && isOurs(ruri);
    }

    /** RFC 3261 §12.1: INVITE, SUBSCRIBE and REFER create dialogs, as does a NOTIFY outside one (RFC 6665 §4.4.1). */
    private static boolean isDialogCreating(SipRequest request) {
        SipMethod m = request.method();
        if (m != SipMethod.INVITE && m != SipMethod.SUBSCRIBE && m != SipMethod.REFER && m != SipMethod.NOTIFY) {
            return false;
        }
        NameAddr to = request.to();
        return to != null && to.tag() == null;
    }

    private static boolean isAckOfLocalResponse(SipRequest request) {
        NameAddr to = request.to();
        return to != null && LocalResponse.isLocalTag(to.tag());
    }

    private static Transport transportOf(SipUri uri) {
        if (uri.scheme() == SipUri.Scheme.SIPS) {
            return Transport.TLS;
        }
        Transport t = Transport.fromToken(uri.param("transport"));
        return t == null ? Transport.UDP : t;
    }

    /** An ACK is never answered (RFC 3261 §17.2.1): an error for it becomes a drop. */
    private static Decision refuse(SipMethod method, Respond response) {
        return method == SipMethod.ACK ? Drop.of(DropReason.ACK_NOT_ROUTABLE) : response;
    }
}
