package io.siplb.netty.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.siplb.hash.Backend;
import io.siplb.hash.BackendState;
import io.siplb.hash.BackendView;
import io.siplb.health.HealthState;
import io.siplb.netty.pipeline.SipCounters;
import io.siplb.route.DropReason;
import io.siplb.route.Side;
import io.siplb.sip.HeaderName;
import io.siplb.sip.ParseError;
import io.siplb.sip.SipResponse;
import io.siplb.sip.SipMethod;
import io.siplb.vrrp.VrrpState;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * Every siplb meter, in one Micrometer {@link PrometheusMeterRegistry} that the admin listener
 * serves at {@code GET /metrics} (DESIGN "Observability and operation"; {@code docs/metrics.md}
 * lists them all).
 *
 * <p><b>No allocation per message.</b> Every meter of a fixed label set is created here, at start,
 * and kept in arrays indexed by enum ordinal ({@code requests[method][side]}); counting is an index
 * and an add. Per-backend meters live in a map from backend id, refreshed only when a new
 * {@link BackendView} is seen (an identity check per message). Local responses are kept by status
 * code: the codes siplb answers with are created at start, any other once, on first use. The
 * runtime's own event, drop and parse-error counts stay in {@link SipCounters} (one
 * {@code LongAdder} each) and are exported from there as function counters, read only on scrape.
 *
 * <p>The health engineer's probe loop reports through {@link #probeRoundTrip},
 * {@link #backendState} and {@link #panic}; VRRP through {@link #vrrpState}. Thread-safe.
 */
public final class SipMetrics implements AutoCloseable {

    /** Local response codes created at start: the ones lb-core's Router and parser answer with. */
    private static final int[] KNOWN_LOCAL_CODES = {200, 400, 403, 413, 416, 420, 430, 483, 501, 503, 505, 513};

    /**
     * Response-time and probe buckets: SIP answers in milliseconds when healthy and in seconds when
     * not (T1 = 500ms, Timer F = 32s, RFC 3261 §17.1.2.2).
     */
    static final Duration[] RESPONSE_TIME_BUCKETS = {
            Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10),
            Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
            Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
            Duration.ofSeconds(10), Duration.ofSeconds(32)};

    /** A response time longer than Timer F (and any clock step) is not a response time. */
    private static final long MAX_RESPONSE_MILLIS = 64_000;

    private final PrometheusMeterRegistry registry;
    private final Counter[][] requests;
    private final Counter[][] responses;
    private final AtomicReferenceArray<Counter> localResponses = new AtomicReferenceArray<>(700);
    private final Counter[] flowTokenFailures;
    private final Counter unauthorized;
    private final Counter vrrpTransitions;
    private final LongAdder awaitingAnswers = new LongAdder();
    private final Map<String, BackendMeters> backends = new ConcurrentHashMap<>();
    private final List<AutoCloseable> binders = new ArrayList<>();
    private volatile BackendView seenView;
    private volatile Supplier<BackendView> viewSource;
    /** The backends in recovery hold-down, read before each scrape (REGISTER replication). */
    private volatile Supplier<Set<String>> heldDownSource;
    private volatile int panic;
    private volatile int draining;
    private volatile VrrpState vrrp;

    /**
     * Exports flood protection (io.siplb.netty.guard): {@code siplb_guard_events_total{event}},
     * {@code siplb_guard_client_connections} and {@code siplb_guard_banned_sources}. Call once.
     */
    public void guard(io.siplb.netty.guard.GuardCounters counters, IntSupplier clientConnections,
                      IntSupplier bannedSources) {
        for (io.siplb.netty.guard.GuardEvent e : io.siplb.netty.guard.GuardEvent.values()) {
            FunctionCounter.builder("siplb.guard.events", counters, c -> c.get(e))
                    .description("Flood protection: connections refused or closed, messages rate-limited, bans, scanners")
                    .tag("event", label(e)).register(registry);
        }
        Gauge.builder("siplb.guard.client.connections", clientConnections, IntSupplier::getAsInt)
                .description("Open client TCP/TLS connections counted against limits.max-connections")
                .strongReference(true).register(registry);
        Gauge.builder("siplb.guard.banned.sources", bannedSources, IntSupplier::getAsInt)
                .description("Source addresses banned now (they expire by themselves)")
                .strongReference(true).register(registry);
    }

    /** Why a flow token did not lead to its flow (RFC 5626 §5.3). */
    public enum FlowTokenFailure {
        /** A token from inside that fails verification: answered 403. */
        INVALID,
        /** A valid token whose connection is gone: answered 430, or dropped when an ACK. */
        FLOW_GONE,
        /** A valid token from outside naming another flow (replayed from another transport or address): answered 403. */
        FOREIGN
    }

    /** A registry with every siplb meter and the JVM's; {@code counters} are exported as they are. */
    public SipMetrics(SipCounters counters, IntSupplier openTcpConnections) {
        this(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), counters, openTcpConnections);
    }

    SipMetrics(PrometheusMeterRegistry registry, SipCounters counters, IntSupplier openTcpConnections) {
        this.registry = requireNonNull(registry, "registry");
        requireNonNull(counters, "counters");
        requireNonNull(openTcpConnections, "openTcpConnections");
        lintClean(registry);

        SipMethod[] methods = SipMethod.values();
        Side[] sides = Side.values();
        requests = new Counter[methods.length][sides.length];
        for (SipMethod m : methods) {
            for (Side s : sides) {
                requests[m.ordinal()][s.ordinal()] = Counter.builder("siplb.requests")
                        .description("SIP requests received, by method and by the side they came from")
                        .tags("method", m.name(), "side", label(s)).register(registry);
            }
        }
        responses = new Counter[6][sides.length];
        for (int c = 1; c <= 6; c++) {
            for (Side s : sides) {
                responses[c - 1][s.ordinal()] = Counter.builder("siplb.responses")
                        .description("SIP responses received, by status class and by the side they came from")
                        .tags("class", c + "xx", "side", label(s)).register(registry);
            }
        }
        for (int code : KNOWN_LOCAL_CODES) {
            localResponseCounter(code);
        }
        FlowTokenFailure[] failures = FlowTokenFailure.values();
        flowTokenFailures = new Counter[failures.length];
        for (FlowTokenFailure f : failures) {
            flowTokenFailures[f.ordinal()] = Counter.builder("siplb.flow.token.failures")
                    .description("Requests for a client flow whose token failed verification or whose connection is gone")
                    .tag("reason", label(f)).register(registry);
        }
        unauthorized = Counter.builder("siplb.admin.unauthorized")
                .description("Admin requests refused with 401: token missing or wrong")
                .register(registry);

        for (SipCounters.Event e : SipCounters.Event.values()) {
            FunctionCounter.builder("siplb.events", counters, c -> c.get(e))
                    .description("Runtime events: keep-alives, STUN, failed writes, I/O errors, internal errors")
                    .tag("event", label(e)).register(registry);
        }
        for (DropReason r : DropReason.values()) {
            FunctionCounter.builder("siplb.drops", counters, c -> c.get(r))
                    .description("Messages dropped without an answer, by reason")
                    .tag("reason", label(r)).register(registry);
        }
        for (ParseError e : ParseError.values()) {
            FunctionCounter.builder("siplb.parse.errors", counters, c -> c.get(e))
                    .description("Frames that did not parse as SIP, by reason")
                    .tag("reason", label(e)).register(registry);
        }
        Gauge.builder("siplb.open.connections", openTcpConnections, IntSupplier::getAsInt)
                .description("Open TCP connections (clients and backends)")
                .strongReference(true) // a method reference nobody else holds: a weak one would read NaN after a GC
                .tag("transport", "tcp").register(registry);
        Gauge.builder("siplb.panic.mode", this, m -> m.panic)
                .description("1 while health checking is in panic mode (too few backends up: all are used)")
                .register(registry);
        Gauge.builder("siplb.draining", this, m -> m.draining)
                .description("1 while siplb drains before shutting down (new initial requests get 503)")
                .register(registry);
        for (VrrpState s : VrrpState.values()) {
            Gauge.builder("siplb.vrrp.state", this, m -> m.vrrp == s ? 1 : 0)
                    .description("1 for the current VRRP state of this node (all 0 while VRRP is not configured)")
                    .tag("state", label(s)).register(registry);
        }
        vrrpTransitions = Counter.builder("siplb.vrrp.transitions")
                .description("VRRP state changes of this node")
                .register(registry);

        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(registry);
        binders.add(gc);
    }

    /**
     * Keeps {@code promtool check metrics} quiet about Micrometer's own JVM meters: its
     * {@code process.cpu.time} is exported in nanoseconds ({@code process_cpu_time_ns_total}, an
     * abbreviated unit; {@code process_cpu_usage} says the same) and {@code system.cpu.count} ends
     * in {@code _count} without being a histogram. Filters apply to meters registered after them.
     */
    private static void lintClean(PrometheusMeterRegistry registry) {
        registry.config().meterFilter(MeterFilter.deny(id -> id.getName().equals("process.cpu.time")));
        registry.config().meterFilter(new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                return id.getName().equals("system.cpu.count") ? id.withName("system.cpu.processors") : id;
            }
        });
    }

    /** The registry {@code /metrics} serves. */
    public PrometheusMeterRegistry registry() {
        return registry;
    }

    // ---- the message path (event loops): no allocation --------------------------------------

    /** A request received, once per message. */
    public void request(SipMethod method, Side side) {
        requests[method.ordinal()][side.ordinal()].increment();
    }

    /** A response received, once per message. */
    public void response(int statusCode, Side side) {
        int c = statusCode / 100;
        if (c >= 1 && c <= 6) {
            responses[c - 1][side.ordinal()].increment();
        }
    }

    /** A local response sent with {@code statusCode}. */
    public void localResponse(int statusCode) {
        if (statusCode < 100 || statusCode >= 700) {
            return;
        }
        Counter c = localResponses.get(statusCode);
        (c != null ? c : localResponseCounter(statusCode)).increment();
    }

    /** Creates the counter of one code: once per code, not per message (registration is idempotent). */
    private Counter localResponseCounter(int statusCode) {
        Counter c = Counter.builder("siplb.local.responses")
                .description("Responses siplb generated itself, by status code")
                .tag("code", Integer.toString(statusCode)).register(registry);
        localResponses.set(statusCode, c);
        return c;
    }

    public void flowTokenFailure(FlowTokenFailure failure) {
        flowTokenFailures[failure.ordinal()].increment();
    }

    /**
     * A request forwarded to backend {@code backendId}, routed against {@code view} (the view
     * refreshes the per-backend meters when its backends changed).
     *
     * @param expectsAnswer false for an ACK, the one request no response answers
     */
    public void forwarded(BackendView view, String backendId, boolean expectsAnswer) {
        BackendMeters m = meters(view, backendId);
        if (m != null) {
            m.forwards.increment();
        }
        if (expectsAnswer) {
            awaitingAnswers.increment();
        }
    }

    /**
     * A response from backend {@code backendId}, relayed: a final one settles a forwarded request
     * ({@link #awaitingAnswers}); its response time is recorded from the send time in our Via, for
     * a final response to anything but INVITE and for the 100 Trying of an INVITE (the backend's own
     * time, not the callee's ringing).
     */
    public void answered(BackendView view, String backendId, SipResponse response, SendTime sendTime, int status) {
        if (status >= 200) {
            awaitingAnswers.decrement();
        }
        boolean invite = isInvite(response);
        if (invite ? status == 100 : status >= 200) {
            responseTime(view, backendId, sendTime.sentAtMillis(response), System.currentTimeMillis());
        }
    }

    /**
     * Requests forwarded to backends (ACK aside) less final responses relayed from them: about
     * zero when nothing is in flight. An estimate (a lost request or a retransmission skews it),
     * used to end the shutdown drain early.
     */
    public long awaitingAnswers() {
        return awaitingAnswers.sum();
    }

    /** Whether the CSeq method is INVITE, from the bytes: no CSeq object. */
    static boolean isInvite(SipResponse response) {
        int h = response.first(HeaderName.CSEQ);
        if (h < 0) {
            return false;
        }
        int end = response.valueEnd(h);
        int start = end - INVITE.length;
        if (start < response.valueStart(h)) {
            return false;
        }
        for (int i = 0; i < INVITE.length; i++) {
            if (response.content().getByte(start + i) != INVITE[i]) {
                return false;
            }
        }
        int before = start - 1;
        return before < response.valueStart(h) || response.content().getByte(before) == ' '
                || response.content().getByte(before) == '\t';
    }

    private static final byte[] INVITE = {'I', 'N', 'V', 'I', 'T', 'E'};

    /** A response time of {@code backendId}: from the send time in our Via to now. */
    public void responseTime(BackendView view, String backendId, long sentAtMillis, long nowMillis) {
        long elapsed = nowMillis - sentAtMillis;
        if (sentAtMillis < 0 || elapsed < 0 || elapsed > MAX_RESPONSE_MILLIS) {
            return; // no stamp, or clocks that disagree
        }
        BackendMeters m = meters(view, backendId);
        if (m != null) {
            m.responseTime.record(elapsed, TimeUnit.MILLISECONDS);
        }
    }

    // ---- health, admin, VRRP ----------------------------------------------------------------

    /**
     * Where the current backends are read before each scrape, so that backend gauges follow a
     * view published while no message arrives.
     */
    public void watch(Supplier<BackendView> source) {
        this.viewSource = requireNonNull(source, "source");
    }

    /** Brings the per-backend meters up to date with the watched view; called before a scrape. */
    public void refresh() {
        Supplier<BackendView> source = viewSource;
        if (source != null) {
            BackendView view = source.get();
            if (view != null && view != seenView) {
                refresh(view);
            }
        }
        refreshHoldDowns();
    }

    /**
     * Where the backends in recovery hold-down are read before each scrape, for the gauge
     * {@code siplb_backend_hold_down{backend}}.
     */
    public void watchHoldDowns(Supplier<Set<String>> source) {
        this.heldDownSource = requireNonNull(source, "source");
    }

    private void refreshHoldDowns() {
        Supplier<Set<String>> source = heldDownSource;
        Set<String> held = source == null ? Set.of() : source.get();
        for (Map.Entry<String, BackendMeters> e : backends.entrySet()) {
            e.getValue().heldDown = held.contains(e.getKey());
        }
    }

    /** A REGISTER replica sent to backend {@code backendId} (the AOR's second choice). */
    public void replicaSent(BackendView view, String backendId) {
        BackendMeters m = meters(view, backendId);
        if (m != null) {
            m.replicas.increment();
        }
    }

    /** A REGISTER replica that backend {@code backendId} refused (a final non-2xx response). */
    public void replicaFailed(BackendView view, String backendId) {
        BackendMeters m = meters(view, backendId);
        if (m != null) {
            m.replicaFailures.increment();
        }
    }

    /** Creates, keeps and removes per-backend meters to match {@code view}; call on every new view. */
    public void backends(BackendView view) {
        refresh(requireNonNull(view, "view"));
    }

    /** The round-trip time of one answered OPTIONS probe of {@code backendId}. */
    public void probeRoundTrip(String backendId, long nanos) {
        BackendMeters m = backends.get(backendId);
        if (m != null && nanos >= 0) {
            m.probeRoundTrip.record(nanos, TimeUnit.NANOSECONDS);
        }
    }

    /** The health state of {@code backendId}; unknown ids are ignored (a late report after a reload). */
    public void backendState(String backendId, HealthState state) {
        BackendMeters m = backends.get(backendId);
        if (m != null) {
            m.reported = true;
            m.state = requireNonNull(state, "state");
        }
    }

    /** Whether health checking is in panic mode. */
    public void panic(boolean on) {
        panic = on ? 1 : 0;
    }

    /** Whether siplb is draining before shutdown. */
    public void draining(boolean on) {
        draining = on ? 1 : 0;
    }

    /** The VRRP state of this node, or {@code null} when VRRP is not configured. */
    public void vrrpState(VrrpState state) {
        VrrpState before = vrrp;
        vrrp = state;
        if (before != null && state != null && before != state) {
            vrrpTransitions.increment();
        }
    }

    /** An admin request refused with 401. */
    public void unauthorized() {
        unauthorized.increment();
    }

    /** The health state last reported (or derived from the routing view) for {@code backendId}, or null. */
    public HealthState backendState(String backendId) {
        BackendMeters m = backends.get(backendId);
        return m == null ? null : m.state;
    }

    /** Stops the GC listener; the registry stays readable. */
    @Override
    public void close() {
        for (AutoCloseable c : binders) {
            try {
                c.close();
            } catch (Exception ignored) {
                // closing a listener cannot fail in a way worth reporting at shutdown
            }
        }
    }

    // ---- per-backend meters -----------------------------------------------------------------

    private BackendMeters meters(BackendView view, String backendId) {
        if (view != seenView) {
            refresh(view);
        }
        return backendId == null ? null : backends.get(backendId);
    }

    private synchronized void refresh(BackendView view) {
        if (view == seenView) {
            return;
        }
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < view.size(); i++) {
            Backend b = view.backend(i);
            ids.add(b.id());
            BackendMeters m = backends.computeIfAbsent(b.id(), id -> new BackendMeters(registry, id));
            if (!m.reported) {
                m.state = fromRouting(view.state(i));
            }
        }
        for (Map.Entry<String, BackendMeters> e : backends.entrySet()) {
            if (!ids.contains(e.getKey())) {
                e.getValue().remove(registry);
                backends.remove(e.getKey());
            }
        }
        seenView = view;
    }

    private static HealthState fromRouting(BackendState state) {
        switch (state) {
            case UP:
                return HealthState.UP;
            case DRAINING:
                return HealthState.DRAINING;
            default:
                return HealthState.DOWN;
        }
    }

    /** One backend's meters; gauges read {@link #state}. */
    private static final class BackendMeters {
        final Counter forwards;
        final Timer responseTime;
        final Timer probeRoundTrip;
        final List<Meter> all = new ArrayList<>();
        volatile HealthState state = HealthState.PROBING;
        final Counter replicas;
        final Counter replicaFailures;
        volatile boolean heldDown;
        /** True once the health tracker reported a state: the view no longer overrides it. */
        volatile boolean reported;

        BackendMeters(PrometheusMeterRegistry registry, String id) {
            Tags tags = Tags.of("backend", id);
            forwards = Counter.builder("siplb.forwards")
                    .description("Requests forwarded to a backend")
                    .tags(tags).register(registry);
            responseTime = Timer.builder("siplb.backend.response.time")
                    .description("Time from forwarding a request to a backend to its response "
                            + "(final response; for INVITE, the 100 Trying), from the send time in our Via")
                    .tags(tags).serviceLevelObjectives(RESPONSE_TIME_BUCKETS).register(registry);
            probeRoundTrip = Timer.builder("siplb.probe.rtt")
                    .description("Round-trip time of answered OPTIONS health probes")
                    .tags(tags).serviceLevelObjectives(RESPONSE_TIME_BUCKETS).register(registry);
            replicas = Counter.builder("siplb.replicas")
                    .description("REGISTER replicas sent to a backend as the AOR's second choice")
                    .tags(tags).register(registry);
            replicaFailures = Counter.builder("siplb.replica.failures")
                    .description("REGISTER replicas a backend refused (final response >= 300)")
                    .tags(tags).register(registry);
            all.add(replicas);
            all.add(replicaFailures);
            all.add(Gauge.builder("siplb.backend.hold.down", this, m -> m.heldDown ? 1 : 0)
                    .description("1 while a backend back from DOWN is in recovery hold-down: REGISTERs only, "
                            + "terminating requests go to its users' second choice")
                    .tags(tags).register(registry));
            all.add(forwards);
            all.add(responseTime);
            all.add(probeRoundTrip);
            for (HealthState s : HealthState.values()) {
                all.add(Gauge.builder("siplb.backend.state", this, m -> m.state == s ? 1 : 0)
                        .description("1 for the current health state of each backend, 0 for the others")
                        .tags(tags.and("state", label(s))).register(registry));
            }
        }

        void remove(PrometheusMeterRegistry registry) {
            for (Meter m : all) {
                registry.remove(m);
            }
        }
    }

    /** Label values are lower case: {@code OUTSIDE} → {@code outside}, {@code WRITE_FAILED} → {@code write_failed}. */
    static String label(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }
}
