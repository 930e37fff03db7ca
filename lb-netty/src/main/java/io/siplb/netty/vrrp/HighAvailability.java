package io.siplb.netty.vrrp;

import io.netty.util.concurrent.EventExecutorGroup;
import io.siplb.config.VrrpConfig;
import io.siplb.netty.Assembly;
import io.siplb.health.BackendStatus;
import io.siplb.route.RoutingView;
import java.util.concurrent.CompletableFuture;
import io.siplb.vrrp.VrrpParameters;
import io.siplb.vrrp.VrrpState;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The VRRP side of {@code siplb run}: node health (listeners, backends, event-loop watchdog)
 * and, when {@code vrrp:} is configured, the speaker that it drives. {@code RunCommand} makes
 * one after the server started, gives {@link #healthProblem()} and {@link #healthDetail()} to
 * {@code /health}, calls {@link #handOver()} first on SIGTERM (before any drain, so the node
 * forwards normally until the peer holds the VIP) and {@link #close()} before stopping the
 * server.
 */
public final class HighAvailability implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HighAvailability.class);

    private final NodeHealth health;
    private final EventLoopWatchdog watchdog;
    private final VrrpSpeaker speaker;
    private final Rehearsal rehearsal;
    private final ScheduledExecutorService refresher;
    private volatile boolean refreshWarned;

    /** How often a standby rehearses its SIP path again ({@link Rehearsal#REFRESH_ROUNDS} round trips). */
    static final Duration REHEARSAL_PERIOD = Duration.ofSeconds(30);
    /** The longest one rehearsal may take. */
    static final Duration REHEARSAL_LIMIT = Duration.ofSeconds(10);

    private HighAvailability(NodeHealth health, EventLoopWatchdog watchdog, VrrpSpeaker speaker) {
        this(health, watchdog, speaker, null);
    }

    private HighAvailability(NodeHealth health, EventLoopWatchdog watchdog, VrrpSpeaker speaker, Rehearsal rehearsal) {
        this.health = health;
        this.watchdog = watchdog;
        this.speaker = speaker;
        this.rehearsal = rehearsal;
        if (rehearsal == null) {
            this.refresher = null;
            return;
        }
        // keeps the path warm while standby: a short rehearsal now and then (docs/ha.md)
        this.refresher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "siplb-rehearsal");
            t.setDaemon(true);
            t.setPriority(Thread.MIN_PRIORITY);
            return t;
        });
        long period = REHEARSAL_PERIOD.toMillis();
        refresher.scheduleWithFixedDelay(this::refresh, period, period, TimeUnit.MILLISECONDS);
    }

    /**
     * Rehearses the SIP path on loopback ({@link Rehearsal}); on failure (no loopback in this
     * namespace, a rate limit that stops it) falls back to the in-memory {@link Warmup}.
     * Returns the rehearsal to keep for refreshes, or null.
     */
    private static Rehearsal rehearse(Assembly assembly, Supplier<RoutingView> routing) {
        Rehearsal r = null;
        try {
            r = Rehearsal.open(assembly.config());
            Rehearsal.Result result = r.run(Rehearsal.ROUNDS, REHEARSAL_LIMIT);
            log.info("rehearsed the SIP path on {} (a private copy on loopback): {}", r.address(), result);
            if (result.answered() * 10 >= result.rounds() * 9) {
                return r;
            }
            log.warn("rehearsal of the SIP path mostly unanswered; warming up in memory instead");
        } catch (Exception | LinkageError e) {
            log.warn("cannot rehearse the SIP path on loopback ({}); warming up in memory instead", e.toString());
        }
        if (r != null) {
            r.close();
        }
        try {
            Warmup.run(assembly, routing, Warmup.ROUNDS);
        } catch (RuntimeException e) {
            log.warn("warm-up of the SIP path failed (harmless): {}", e.toString());
        }
        return null;
    }

    private void refresh() {
        if (speaker.state() == VrrpState.MASTER) {
            return; // real traffic keeps the path warm
        }
        try {
            Rehearsal.Result result = rehearsal.run(Rehearsal.REFRESH_ROUNDS, REHEARSAL_LIMIT);
            if (result.answered() < result.rounds() && !refreshWarned) {
                refreshWarned = true;
                log.warn("rehearsal of the SIP path: {} (logged once)", result);
            }
        } catch (RuntimeException e) {
            if (!refreshWarned) {
                refreshWarned = true;
                log.warn("rehearsal of the SIP path failed (logged once): {}", e.toString());
            }
        }
    }

    /**
     * Starts the watchdog on {@code loops} and, when {@code vrrp} is not null, the speaker.
     *
     * @throws VrrpException when the speaker cannot start (capabilities, interface)
     */
    public static HighAvailability start(Assembly assembly, BooleanSupplier listenersReady,
                                         Supplier<RoutingView> routing, List<? extends EventExecutorGroup> loops) {
        return start(assembly, listenersReady, routing, loops, null);
    }

    /**
     * {@link #start(Assembly, BooleanSupplier, Supplier, List)}, with the speaker's meters on
     * {@code registry} (when not null): {@code siplb_vrrp_state{state}} (1 for the current
     * state), {@code siplb_vrrp_healthy}, {@code siplb_vrrp_holds_vips},
     * {@code siplb_vrrp_advertisements_total{direction}}, {@code siplb_vrrp_dropped_total}.
     */
    public static HighAvailability start(Assembly assembly, BooleanSupplier listenersReady,
                                         Supplier<RoutingView> routing, List<? extends EventExecutorGroup> loops,
                                         MeterRegistry registry) {
        return start(assembly, listenersReady, routing, loops, registry, null);
    }

    /**
     * The same, with backend health read from the health checker ({@code statuses}, e.g.
     * {@code HealthMonitor::statuses}; see {@link NodeHealth#watchBackends}) from the start.
     */
    public static HighAvailability start(Assembly assembly, BooleanSupplier listenersReady,
                                         Supplier<RoutingView> routing, List<? extends EventExecutorGroup> loops,
                                         MeterRegistry registry,
                                         Supplier<CompletableFuture<List<BackendStatus>>> statuses) {
        HighAvailability ha = start0(assembly, listenersReady, routing, loops, statuses);
        if (registry != null && ha.speaker != null) {
            ha.register(registry);
        }
        return ha;
    }

    private void register(MeterRegistry registry) {
        VrrpSpeaker s = speaker;
        String vrid = Integer.toString(s.parameters().vrid());
        for (VrrpState st : VrrpState.values()) {
            Gauge.builder("siplb.vrrp.state", s, x -> x.state() == st ? 1 : 0)
                    .description("1 for the current VRRP state of this node")
                    .tags("vrid", vrid, "state", st.name().toLowerCase(java.util.Locale.ROOT)).register(registry);
        }
        Gauge.builder("siplb.vrrp.healthy", s, x -> x.unhealthyReason() == null ? 1 : 0)
                .description("1 when the node competes for mastership").tag("vrid", vrid).register(registry);
        Gauge.builder("siplb.vrrp.holds.vips", s, x -> x.holdsVips() ? 1 : 0)
                .description("1 while the VIPs are configured on this node").tag("vrid", vrid).register(registry);
        FunctionCounter.builder("siplb.vrrp.advertisements", s, VrrpSpeaker::advertisementsSent)
                .description("VRRP advertisements").tags("vrid", vrid, "direction", "sent").register(registry);
        FunctionCounter.builder("siplb.vrrp.advertisements", s, VrrpSpeaker::advertisementsReceived)
                .description("VRRP advertisements").tags("vrid", vrid, "direction", "received").register(registry);
        FunctionCounter.builder("siplb.vrrp.dropped", s, VrrpSpeaker::packetsDropped)
                .description("VRRP packets dropped by the receive checks (TTL, version, checksum)")
                .tag("vrid", vrid).register(registry);
    }

    private static HighAvailability start0(Assembly assembly, BooleanSupplier listenersReady,
                                           Supplier<RoutingView> routing, List<? extends EventExecutorGroup> loops,
                                           Supplier<CompletableFuture<List<BackendStatus>>> statuses) {
        VrrpConfig vrrp = assembly.config().vrrp();
        EventLoopWatchdog watchdog = new EventLoopWatchdog(loops.toArray(new EventExecutorGroup[0]));
        NodeHealth health = new NodeHealth(listenersReady, routing).watch(watchdog);
        if (statuses != null) {
            health.watchBackends(statuses);
            health.get(); // asks the checker now, so its answer is there before the first election
        }
        if (vrrp == null) {
            return new HighAvailability(health, watchdog, null);
        }
        try {
            Capabilities.check(); // first: the clearest message when run without privileges
            NetworkInterfaceInfo nif = NetworkInterfaceInfo.lookup(vrrp.interfaceName(), vrrp.vips());
            VrrpParameters parameters = assembly.vrrpParameters(nif.primary());
            VrrpSpeaker speaker = VrrpSpeaker.open(parameters, nif, health);
            log.info("VRRP vrid {} on {}: priority {}, advert interval {} ms, preempt {}, vips {}", vrrp.vrid(), nif,
                    vrrp.priority(), vrrp.advertIntervalCentis() * 10, vrrp.preempt(), vrrp.vipStrings());
            // a standby's first messages after a takeover should not meet cold code (docs/ha.md)
            Rehearsal rehearsal = rehearse(assembly, routing);
            speaker.start();
            return new HighAvailability(health, watchdog, speaker, rehearsal);
        } catch (RuntimeException | LinkageError e) {
            watchdog.close();
            if (e instanceof VrrpException) {
                throw e;
            }
            throw new VrrpException("cannot start the VRRP speaker: " + e, e);
        }
    }

    /** The reason the node cannot serve, or null: /health answers 503 with it. */
    public Supplier<String> healthProblem() {
        return health;
    }

    /** The VRRP line of /health ({@code vrrp MASTER vrid 77 …}), or null without a speaker. */
    public Supplier<String> healthDetail() {
        return () -> speaker == null ? null : speaker.describe();
    }

    /** The speaker, or null when {@code vrrp:} is not configured. */
    public VrrpSpeaker speaker() {
        return speaker;
    }

    /**
     * SIGTERM: a master sends priority 0 and keeps the VIPs until its successor is heard (or
     * the machine's bound passes); returns at once without a speaker or as a backup.
     */
    public void handOver() {
        if (speaker == null) {
            return;
        }
        Duration bound = speaker.handoverBound();
        long start = System.nanoTime();
        boolean released = speaker.handOver(bound);
        log.info("VRRP vrid {}: {} after {} ms", speaker.parameters().vrid(),
                released ? "handed over" : "no successor heard; releasing the VIPs",
                (System.nanoTime() - start) / 1_000_000);
    }

    @Override
    public void close() {
        if (refresher != null) {
            rehearsal.cancel();
            refresher.shutdownNow();
            try {
                refresher.awaitTermination(REHEARSAL_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            rehearsal.close();
        }
        if (speaker != null) {
            speaker.close();
        }
        watchdog.close();
    }
}
