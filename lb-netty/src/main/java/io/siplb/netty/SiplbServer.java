package io.siplb.netty;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.siplb.config.ListenAddress;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.siplb.config.AdminConfig;
import io.siplb.hash.BackendState;
import io.siplb.hash.BackendView;
import io.siplb.netty.admin.AdminAuth;
import io.siplb.netty.guard.Guard;
import io.siplb.netty.dns.DnsBackends;
import io.siplb.netty.admin.AdminResponses;
import io.siplb.netty.admin.AdminRoute;
import io.siplb.netty.admin.AdminServer;
import io.siplb.netty.metrics.MetricsRoute;
import io.siplb.netty.metrics.SendTime;
import io.siplb.netty.metrics.SipMetrics;
import io.siplb.netty.pipeline.Sender;
import io.siplb.netty.probe.BackendsAdmin;
import io.siplb.netty.probe.HealthMonitor;
import io.siplb.netty.probe.RetryAfterWatcher;
import io.siplb.netty.reload.ConfigReloader;
import io.siplb.netty.reload.ReloadAdmin;
import io.siplb.netty.pipeline.SipCounters;
import io.siplb.netty.pipeline.SipRoutingHandler;
import io.siplb.netty.stream.ConnectionTable;
import io.siplb.netty.stream.StreamConnector;
import io.siplb.netty.stream.StreamInitializer;
import io.siplb.netty.stream.StreamListener;
import io.siplb.netty.tls.TlsContexts;
import io.siplb.netty.tls.TlsCounters;
import io.siplb.netty.tls.TlsHandshakes;
import io.siplb.netty.tls.TlsMetrics;
import io.siplb.netty.udp.SipDatagramDecoder;
import io.siplb.netty.udp.UdpListener;
import io.siplb.netty.udp.UdpSockets;
import io.siplb.route.RoutingView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.util.concurrent.DefaultThreadFactory;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static com.google.common.base.Preconditions.checkState;
import static java.util.Objects.requireNonNull;

/**
 * The running siplb: owns the event loop groups, binds the SIP listeners and the admin listener,
 * wires the pipelines, and publishes the {@link RoutingView} the pipelines route against.
 *
 * <pre>
 *   UDP socket (one per loop) : SipDatagramDecoder (shared) → SipRoutingHandler (shared)
 *   TCP connection            : SipStreamDecoder (own)     → SipRoutingHandler (shared)
 *   TLS connection            : SniHandler/SslHandler → TlsHandshakes → SipStreamDecoder → SipRoutingHandler
 *   admin                     : HTTP codec → route table (/health)
 * </pre>
 *
 * <p>{@link #start()} and {@link #stop()} block the calling thread (never an event loop) until
 * sockets are bound or closed. A new routing snapshot (health change, reload) is published with
 * one {@code set} on {@link #routingView()}; each message reads it once.
 */
public final class SiplbServer {

    private static final Logger log = LoggerFactory.getLogger(SiplbServer.class);

    private final Assembly assembly;
    private final int ioThreads;
    private final AtomicReference<RoutingView> routingView;
    private final SipCounters counters = new SipCounters();
    private final ConnectionTable connections = new ConnectionTable();
    private final SipMetrics metrics = new SipMetrics(counters, connections::size);
    /** Set by {@link #drain()}: every backend that was UP is DRAINING in it; null until then. */
    private volatile RoutingView drainingView;
    private AdminServer readOnlyAdmin;
    private final UdpSockets udpSockets = new UdpSockets();
    private final List<UdpListener> udpListeners = new ArrayList<>();
    private final List<StreamListener> streamListeners = new ArrayList<>();
    // SIP over TLS (io.siplb.netty.tls): tls:// listeners and their certificates; null without tls:
    private final List<StreamListener> tlsListeners = new ArrayList<>();
    private final TlsCounters tlsCounters = new TlsCounters();
    private volatile TlsContexts tls;
    private volatile boolean ready;
    private EventLoopGroup acceptors;
    private EventLoopGroup workers;
    private AdminServer admin;
    private SipRoutingHandler routing;
    // health checking and reload (io.siplb.netty.probe, io.siplb.netty.reload)
    private volatile Path configFile;
    private EventLoopGroup healthGroup;
    private ExecutorService reloadExecutor;
    private volatile HealthMonitor healthMonitor;
    private volatile ConfigReloader reloader;
    // DNS SRV backends (io.siplb.netty.dns): own loop for the resolver and table builds
    private EventLoopGroup dnsGroup;
    private volatile DnsBackends dnsBackends;
    // flood protection (io.siplb.netty.guard); null before start
    private volatile Guard guard;
    // /health hooks of the VRRP side (healthHooks)
    private volatile java.util.function.Supplier<String> healthProblem;
    private volatile java.util.function.Supplier<String> healthDetail;

    /** A server for {@code assembly}, with one I/O thread per core. */
    public SiplbServer(Assembly assembly) {
        this(assembly, Runtime.getRuntime().availableProcessors());
    }

    /** A server for {@code assembly} with {@code ioThreads} event loops (and as many UDP sockets per address). */
    public SiplbServer(Assembly assembly, int ioThreads) {
        this.assembly = requireNonNull(assembly, "assembly");
        this.ioThreads = ioThreads;
        this.routingView = new AtomicReference<>(assembly.routingView());
        metrics.watch(() -> currentView().backends());
        metrics.watchHoldDowns(() -> currentView().heldDown());
        // per-backend meters exist before the first forward: creating them (histograms) on the
        // first message after a VRRP takeover cost ~3 ms of the client's outage (docs/ha.md)
        metrics.backends(currentView().backends());
        TlsMetrics.bind(metrics.registry(), tlsCounters);
    }

    /** The view messages are routed against: the published one, or the drain's. */
    private RoutingView currentView() {
        RoutingView d = drainingView;
        return d != null ? d : routingView.get();
    }

    /**
     * Binds the admin listener, then every SIP listener; {@code /health} turns 200 when all are
     * bound. On failure everything bound so far is closed again and the cause is thrown.
     */
    public synchronized void start() throws Exception {
        checkState(workers == null, "already started");
        acceptors = Transports.newGroup(1, "siplb-accept");
        workers = Transports.newGroup(ioThreads, "siplb-io");
        try {
            bind();
        } catch (Exception | Error e) {
            stop();
            throw e;
        }
        ready = true;
    }

    private void bind() throws Exception {
        // one thread for the health tracker and its probe sockets (HealthTracker is single-threaded)
        healthGroup = Transports.newGroup(1, "siplb-health");
        healthMonitor = HealthMonitor.start(healthGroup.next(), assembly.healthPolicy(),
                assembly.backendView().backends(), routingView, assembly.limits());
        healthMonitor.holdDown(assembly.holdDown()); // REGISTER replication's recovery hold-down
        startDnsBackends();
        RetryAfterWatcher retryAfter = new RetryAfterWatcher(healthMonitor);
        // flood protection and connection limits (io.siplb.netty.guard, limits: keys)
        Guard guard = new Guard(assembly.config().limits().guard(), this::currentView);
        this.guard = guard;
        metrics.guard(guard.counters(), guard::clientConnections, guard::bannedSources);
        StreamInitializer streams = new StreamInitializer(connections, assembly.limits(), counters, () -> routing,
                retryAfter, guard::initConnection, guard.messageGuard());
        StreamInitializer tlsStreams = null;
        if (assembly.config().tls() != null) {
            // reads nothing: the files were read and checked with the configuration
            TlsContexts contexts = TlsContexts.start(assembly.config().tls(), tlsCounters);
            tls = contexts;
            TlsMetrics.bindExpiries(metrics.registry(), contexts);
            TlsHandshakes handshakes = new TlsHandshakes(contexts,
                    assembly.config().limits().guard().handshakeTimeout().toMillis(),
                    () -> guard.counters().count(io.siplb.netty.guard.GuardEvent.HANDSHAKE_TIMEOUT));
            tlsStreams = streams.forTls(handshakes::install);
        }
        StreamConnector connector = new StreamConnector(workers, connections, streams);
        Sender sender = new Sender(udpSockets, connections, connector, counters, healthMonitor);
        routing = new SipRoutingHandler(assembly.router(connections), assembly.responseRouter(),
                this::currentView, sender, counters, metrics, SendTime.viaParam());
        SipDatagramDecoder datagrams = new SipDatagramDecoder(assembly.limits(), counters);
        SipRoutingHandler routingHandler = routing;
        ChannelInitializer<Channel> udpPipeline = new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast("guard-rate", guard.datagramGuard());
                ch.pipeline().addLast("sip-decoder", datagrams).addLast("sip-guard", guard.messageGuard())
                        .addLast("sip-watcher", retryAfter)
                        .addLast("sip-routing", routingHandler);
            }
        };

        AdminConfig adminConfig = assembly.config().admin();
        AdminRoute health = this::health;
        AdminRoute nodeHealth = this::nodeHealth;
        AdminRoute metricsRoute = new MetricsRoute(metrics);
        String token = adminToken(adminConfig);
        AdminServer.Builder adminRoutes = BackendsAdmin.register(AdminServer.builder(this::isReady), healthMonitor);
        if (configFile != null) {
            reloadExecutor = Executors.newSingleThreadExecutor(new DefaultThreadFactory("siplb-reload", true));
            reloader = new ConfigReloader(configFile, assembly.config(), healthMonitor, reloadExecutor, dnsBackends);
            if (tls != null) {
                reloader.onTls(tls::prepare);
            }
            ReloadAdmin.register(adminRoutes, reloader);
        }
        admin = adminRoutes
                .route("/health", health)
                .route("/health/node", nodeHealth)
                .route("/metrics", metricsRoute)
                .auth(AdminAuth.bearer(token, adminConfig.publicReadOnly() ? AdminAuth.READ_ONLY_PATHS : java.util.Set.of(),
                        metrics::unauthorized))
                .bind(acceptors, new InetSocketAddress(adminConfig.listen().host(), adminConfig.listen().port()));
        if (adminConfig.readOnlyListen() != null) {
            readOnlyAdmin = AdminServer.builder(this::isReady)
                    .route("/health", health)
                    .route("/health/node", nodeHealth)
                    .route("/metrics", metricsRoute)
                    .bind(acceptors, new InetSocketAddress(adminConfig.readOnlyListen().host(),
                            adminConfig.readOnlyListen().port()));
        }

        var advertise = assembly.config().advertise();
        for (ListenAddress listen : assembly.config().listen()) {
            InetSocketAddress address = new InetSocketAddress(listen.host(), listen.port());
            switch (listen.transport()) {
                case UDP: {
                    UdpListener udp = UdpListener.bind(workers, address, ioThreads, udpPipeline);
                    udpListeners.add(udp);
                    udpSockets.add(address, udp.channels(), listen.host().equals(advertise.host()));
                    break;
                }
                case TCP:
                    streamListeners.add(StreamListener.bind(acceptors, workers, address, streams));
                    break;
                case TLS:
                    tlsListeners.add(StreamListener.bind(acceptors, workers, address, tlsStreams));
                    break;
                default:
                    throw new IllegalStateException("unknown transport " + listen);
            }
        }
    }

    /**
     * Closes the listeners and connections and shuts the event loops down, waiting up to a few
     * seconds. Safe to call more than once and after a failed start.
     */
    public synchronized void stop() {
        ready = false;
        for (UdpListener l : udpListeners) {
            l.close();
        }
        for (StreamListener l : streamListeners) {
            l.close();
        }
        for (StreamListener l : tlsListeners) {
            l.close();
        }
        udpListeners.clear();
        streamListeners.clear();
        tlsListeners.clear();
        if (tls != null) {
            tls.close();
        }
        connections.closeAll();
        if (healthMonitor != null) {
            healthMonitor.close();
        }
        if (dnsBackends != null) {
            dnsBackends.close();
            dnsBackends = null;
        }
        shutdown(dnsGroup);
        dnsGroup = null;
        if (reloadExecutor != null) {
            reloadExecutor.shutdownNow();
            reloadExecutor = null;
        }
        shutdown(healthGroup);
        healthGroup = null;
        if (admin != null) {
            admin.close();
            admin = null;
        }
        if (readOnlyAdmin != null) {
            readOnlyAdmin.close();
            readOnlyAdmin = null;
        }
        shutdown(acceptors);
        shutdown(workers);
        acceptors = null;
        workers = null;
    }

    private static void shutdown(EventLoopGroup group) {
        if (group != null) {
            // no quiet period: nothing new arrives once the sockets are closed
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }

    /**
     * Resolves the {@code srv:} backend entries before the SIP listeners bind, so the first request
     * already sees them; waits at most a few DNS timeouts (an entry that fails is retried).
     */
    private void startDnsBackends() throws InterruptedException {
        dnsGroup = Transports.newGroup(1, "siplb-dns");
        dnsBackends = new DnsBackends(dnsGroup.next(), assembly.config().dns(), healthMonitor,
                assembly.backendView().backends(), assembly.healthPolicy());
        if (assembly.config().srvBackends().isEmpty()) {
            return;
        }
        long waitMillis = assembly.config().dns().timeout().toMillis() * 4 + 2_000;
        try {
            dnsBackends.start(assembly.config().srvBackends()).get(waitMillis, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            log.warn("DNS SRV backends not resolved within {}ms, starting without them for now: {}", waitMillis,
                    e.toString());
        }
    }

    /** The DNS SRV backend set (static + SRV targets); null before start. */
    public DnsBackends dnsBackends() {
        return dnsBackends;
    }

    /**
     * Starts the shutdown drain: {@code /health} turns 503 "draining" (a VRRP peer or load balancer
     * in front moves traffic away), and every backend that is UP is routed as DRAINING, so a new
     * initial request finds no backend for a new AOR and lb-core answers it 503 with Retry-After,
     * while CANCEL, non-2xx ACK, in-dialog requests (Route) and all responses still go through.
     * Health changes published during the drain no longer affect routing. Idempotent.
     */
    public void drain() {
        ready = false;
        metrics.draining(true);
        if (drainingView == null) {
            RoutingView view = routingView.get();
            BackendView backends = view.backends();
            Map<String, BackendState> changes = new HashMap<>();
            for (int i = 0; i < backends.size(); i++) {
                if (backends.state(i) == BackendState.UP) {
                    changes.put(backends.backend(i).id(), BackendState.DRAINING);
                }
            }
            drainingView = view.withBackends(backends.withStates(changes));
        }
    }

    /** Whether {@link #drain()} was called. */
    public boolean isDraining() {
        return drainingView != null;
    }

    /**
     * Waits, after {@link #drain()}, until no forwarded request awaits its final response (seen
     * twice, 50ms apart) or {@code grace} is over; never on an event loop.
     *
     * @return true when the drain finished before the grace ran out
     */
    public boolean awaitDrained(Duration grace) throws InterruptedException {
        long deadline = System.nanoTime() + grace.toNanos();
        int quiet = 0;
        while (System.nanoTime() - deadline < 0) {
            quiet = metrics.awaitingAnswers() <= 0 ? quiet + 1 : 0;
            if (quiet >= 2) {
                return true;
            }
            Thread.sleep(50);
        }
        return metrics.awaitingAnswers() <= 0;
    }

    /**
     * {@code GET /health}: 200 once the SIP listeners are bound and siplb is not draining (the
     * operator contract: siplb itself is up and answering, if only with 503s). A node problem
     * (no backend up, a stalled event loop) is reported in the body, not in the status: that is
     * {@link #nodeHealth}'s job.
     */
    private io.netty.handler.codec.http.FullHttpResponse health(io.netty.handler.codec.http.FullHttpRequest request,
                                                                io.netty.buffer.ByteBufAllocator alloc) {
        String problem = nodeProblem();
        String extra = healthDetailLine();
        if (ready) {
            String note = problem == null ? "" : "\nnode unhealthy: " + problem;
            return AdminResponses.text(HttpResponseStatus.OK, "ok" + note + extra, alloc);
        }
        return AdminResponses.text(HttpResponseStatus.SERVICE_UNAVAILABLE, (isDraining() ? "draining" : "starting") + extra,
                alloc);
    }

    /**
     * {@code GET /health/node}: whether this node should hold the VIP: 503 with the reason when it
     * is starting, draining or unhealthy (no backend up, listeners failed, an event loop stalled).
     * keepalived's track script ({@code siplb health}) and the VRRP side read this one.
     */
    private io.netty.handler.codec.http.FullHttpResponse nodeHealth(io.netty.handler.codec.http.FullHttpRequest request,
                                                                    io.netty.buffer.ByteBufAllocator alloc) {
        String problem = nodeProblem();
        String extra = healthDetailLine();
        if (ready && problem == null) {
            return AdminResponses.text(HttpResponseStatus.OK, "ok" + extra, alloc);
        }
        String why = problem != null ? "unhealthy: " + problem : isDraining() ? "draining" : "starting";
        return AdminResponses.text(HttpResponseStatus.SERVICE_UNAVAILABLE, why + extra, alloc);
    }

    /** What the health hook (VRRP side) reports as wrong with this node, or null. */
    private String nodeProblem() {
        java.util.function.Supplier<String> problemHook = healthProblem;
        return ready && problemHook != null ? problemHook.get() : null;
    }

    /** The VRRP state line for the health bodies, or "". */
    private String healthDetailLine() {
        java.util.function.Supplier<String> detailHook = healthDetail;
        String detail = detailHook == null ? null : detailHook.get();
        return detail == null ? "" : "\n" + detail;
    }

    /**
     * Extra {@code /health} inputs (io.siplb.netty.vrrp): {@code problem} returns why the node
     * cannot serve (503 with that reason) or null; {@code detail} returns a line appended to
     * the body (the VRRP state) or null. Either may be null.
     */
    public SiplbServer healthHooks(java.util.function.Supplier<String> problem,
                                   java.util.function.Supplier<String> detail) {
        this.healthProblem = problem;
        this.healthDetail = detail;
        return this;
    }

    /** The event loop groups (acceptors, I/O workers) while running, for the stall watchdog. */
    public List<EventLoopGroup> eventLoopGroups() {
        List<EventLoopGroup> groups = new ArrayList<>(2);
        if (acceptors != null) {
            groups.add(acceptors);
        }
        if (workers != null) {
            groups.add(workers);
        }
        return groups;
    }

    /** The admin token: {@code admin.token-file}, else {@code $SIPLB_ADMIN_TOKEN}, else none. */
    static String adminToken(AdminConfig config) {
        if (config.token() != null) {
            return config.token();
        }
        String env = System.getenv(AdminConfig.TOKEN_ENV);
        if (env == null || env.isBlank()) {
            return null;
        }
        // the same rules as a token file (length, printable ASCII): throws naming the variable
        try {
            return config.withToken(env.trim(), AdminConfig.TOKEN_ENV).token();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(AdminConfig.TOKEN_ENV + ": " + e.getMessage()
                    .replace("token-file: ", ""), e);
        }
    }

    /** Flood protection and connection limits (io.siplb.netty.guard); null before start. */
    public Guard guard() {
        return guard;
    }

    /** The meters, served at {@code /metrics}; the health checker reports to it. */
    public SipMetrics metrics() {
        return metrics;
    }

    /** True once every listener is bound, until {@link #stop()}. */
    public boolean isReady() {
        return ready;
    }

    /** The routing snapshot; {@code set} a new one to change how messages are routed. */
    public AtomicReference<RoutingView> routingView() {
        return routingView;
    }

    /**
     * The configuration file {@code POST /reload} and SIGHUP read again; set before
     * {@link #start()} (without one, there is no {@code /reload}).
     */
    public SiplbServer configFile(Path file) {
        this.configFile = requireNonNull(file, "file");
        return this;
    }

    /**
     * Reloads the configuration file (SIGHUP): the new backends and health policy, or nothing
     * when the file is invalid or changes what cannot change while running.
     */
    public CompletableFuture<ConfigReloader.Result> reload(String trigger) {
        ConfigReloader r = reloader;
        if (r == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("no configuration file to reload"));
        }
        return r.reload(trigger);
    }

    /** Backend health checking (probes, drain, statuses); null before start. */
    public HealthMonitor healthMonitor() {
        return healthMonitor;
    }

    public Assembly assembly() {
        return assembly;
    }

    public SipCounters counters() {
        return counters;
    }

    public ConnectionTable connections() {
        return connections;
    }

    /** The bound UDP addresses (actual ports), in configuration order. */
    public List<InetSocketAddress> udpAddresses() {
        List<InetSocketAddress> out = new ArrayList<>();
        for (UdpListener l : udpListeners) {
            out.add(l.localAddress());
        }
        return out;
    }

    /** The bound TCP addresses (actual ports), in configuration order. */
    public List<InetSocketAddress> tcpAddresses() {
        List<InetSocketAddress> out = new ArrayList<>();
        for (StreamListener l : streamListeners) {
            out.add(l.localAddress());
        }
        return out;
    }

    /** The bound TLS addresses (actual ports), in configuration order. */
    public List<InetSocketAddress> tlsAddresses() {
        List<InetSocketAddress> out = new ArrayList<>();
        for (StreamListener l : tlsListeners) {
            out.add(l.localAddress());
        }
        return out;
    }

    /** The TLS contexts of the tls:// listeners (reload them, read their expiries); null without tls: or before start. */
    public TlsContexts tls() {
        return tls;
    }

    /** TLS handshake and reload counts (all 0 without tls:). */
    public TlsCounters tlsCounters() {
        return tlsCounters;
    }

    /** The bound read-only admin address, or {@code null} when none is configured or before start. */
    public InetSocketAddress readOnlyAdminAddress() {
        AdminServer a = readOnlyAdmin;
        return a == null ? null : a.localAddress();
    }

    /** The bound admin address, or {@code null} before start. */
    public InetSocketAddress adminAddress() {
        AdminServer a = admin;
        return a == null ? null : a.localAddress();
    }
}
