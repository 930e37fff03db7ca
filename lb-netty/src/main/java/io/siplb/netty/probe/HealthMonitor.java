package io.siplb.netty.probe;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import io.siplb.hash.Backend;
import io.siplb.hash.BackendView;
import io.siplb.health.BackendStatus;
import io.siplb.health.HealthEvent;
import io.siplb.health.HealthPolicy;
import io.siplb.health.HealthState;
import io.siplb.health.HealthTracker;
import io.siplb.health.PassiveSignal;
import io.siplb.health.Probe;
import io.siplb.health.ProbeResult;
import io.siplb.netty.pipeline.BackendSignals;
import io.siplb.route.RoutingView;
import io.siplb.sip.SipLimits;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

import static java.util.Objects.requireNonNull;

/**
 * Runs backend health checking: owns the {@link HealthTracker} and the {@link OptionsProber}, both
 * confined to one event loop, and publishes the tracker's view as the server's
 * {@link RoutingView} with one atomic swap whenever a backend's routing state changes.
 *
 * <p>The loop, as {@link HealthTracker}'s Javadoc describes it: a timer fires at
 * {@link HealthTracker#nanosUntilNextDeadline()}; each pass lets time act ({@code tick}), sends the
 * probes that are due, publishes the view if it changed and re-arms the timer. Probe replies,
 * ICMP errors on the probe sockets, passive signals from routed traffic ({@link BackendSignals},
 * called on the I/O threads) and operator commands are all handed to the loop with
 * {@code execute}, so the tracker only ever sees one thread. Each {@link HealthEvent} is logged as
 * one line; nothing is logged per probe or per message.
 *
 * <p>With health checking disabled the tracker shows every backend up and schedules nothing; the
 * monitor still serves drain, undrain, reload and {@code GET /backends}.
 */
public final class HealthMonitor implements BackendSignals, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HealthMonitor.class);

    private final EventLoop loop;
    private final AtomicReference<RoutingView> routingView;
    private final OptionsProber prober;
    // confined to loop
    private HealthTracker tracker;
    private BackendView published;
    /** Applied to each published view: DNS SRV priorities ({@code io.siplb.netty.dns.SrvStandby}); identity without. */
    private UnaryOperator<BackendView> viewFilter = UnaryOperator.identity();
    /** Recovery hold-downs of backends back from DOWN ({@link #holdDown}); none until set. */
    private HoldDowns holdDowns = new HoldDowns(java.time.Duration.ZERO, System::nanoTime);
    private ScheduledFuture<?> timer;
    private boolean passPending;
    private boolean closed;

    private HealthMonitor(EventLoop loop, AtomicReference<RoutingView> routingView, HealthTracker tracker,
                          SipLimits limits) {
        this.loop = loop;
        this.routingView = routingView;
        this.tracker = tracker;
        this.prober = new OptionsProber(loop, new Listener(), limits,
                Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffffL), tracker.policy().timeout());
    }

    /**
     * Starts checking {@code backends} on {@code loop} and publishing to {@code routingView}, whose
     * current value must rank the same backends (the server's first view).
     */
    public static HealthMonitor start(EventLoop loop, HealthPolicy policy, Collection<Backend> backends,
                                      AtomicReference<RoutingView> routingView, SipLimits limits) {
        requireNonNull(loop, "loop");
        requireNonNull(routingView, "routingView");
        // different seeds on the two nodes of a pair, so their probes do not go out in step
        HealthTracker tracker = HealthTracker.create(policy, backends, System::nanoTime,
                ThreadLocalRandom.current().nextLong());
        HealthMonitor m = new HealthMonitor(loop, routingView, tracker, requireNonNull(limits, "limits"));
        log.info("health checking {}: {} backends, {}", policy.enabled() ? "on" : "off", backends.size(),
                describe(policy));
        loop.execute(m::pass);
        return m;
    }

    // ---- thread-safe API ------------------------------------------------------------------

    /** Every backend's status, in id order, read on the health loop. */
    public CompletableFuture<List<BackendStatus>> statuses() {
        return call(() -> tracker.statuses());
    }

    /** True while routing treats every backend as up because too few are. */
    public CompletableFuture<Boolean> panic() {
        return call(() -> tracker.panic());
    }

    /** Drains a backend; completes with false when no backend has this id. */
    public CompletableFuture<Boolean> drain(String backendId) {
        return call(() -> {
            if (tracker.status(backendId) == null) {
                return false;
            }
            apply(tracker.drain(backendId));
            return true;
        });
    }

    /** Ends a drain; completes with false when no backend has this id. */
    public CompletableFuture<Boolean> undrain(String backendId) {
        return call(() -> {
            if (tracker.status(backendId) == null) {
                return false;
            }
            apply(tracker.undrain(backendId));
            return true;
        });
    }

    /**
     * Swaps in a reloaded backend set and policy at once: unchanged backends keep their health,
     * drain and probe in flight ({@link HealthTracker#withBackends}). {@code ranking} is a
     * routing view over the new backends built off the loop (building a new ranking table takes
     * a while); the published view reuses it.
     */
    public CompletableFuture<Void> reload(Collection<Backend> backends, HealthPolicy policy, RoutingView ranking) {
        return reload(backends, policy, ranking, null);
    }

    /**
     * {@link #reload(Collection, HealthPolicy, RoutingView)} that also replaces the filter applied to
     * every published view ({@code null}: keep the current one), in the same swap: the DNS SRV
     * backends ({@code io.siplb.netty.dns.DnsBackends}) route fallback priorities as standby with it.
     */
    public CompletableFuture<Void> reload(Collection<Backend> backends, HealthPolicy policy, RoutingView ranking,
                                          UnaryOperator<BackendView> filter) {
        requireNonNull(backends, "backends");
        requireNonNull(policy, "policy");
        requireNonNull(ranking, "ranking");
        return call(() -> {
            boolean wasPanic = tracker.panic();
            HealthTracker next = tracker.withBackends(backends);
            if (!next.policy().equals(policy)) {
                next = next.withPolicy(policy);
            }
            tracker = next;
            prober.retain(backends);
            prober.connectTimeout(policy.timeout());
            if (wasPanic != next.panic()) {
                log.warn("health panic {} after reload", next.panic() ? "entered" : "over");
            }
            if (filter != null) {
                viewFilter = filter;
            }
            published = tracker.view();
            routingView.set(ranking.withBackends(viewFilter.apply(published)));
            publishHoldDowns(); // the new ranking has none
            reschedule();
            return null;
        });
    }

    /**
     * Holds a backend back from DOWN out of terminating traffic for {@code duration} (REGISTER
     * replication's recovery hold-down, {@link HoldDowns}); {@code Duration.ZERO}: never.
     */
    public void holdDown(java.time.Duration duration) {
        requireNonNull(duration, "duration");
        loop.execute(() -> {
            holdDowns = new HoldDowns(duration, System::nanoTime);
            publishHoldDowns();
        });
    }

    /** The backends in recovery hold-down, read on the health loop. */
    public CompletableFuture<java.util.Set<String>> heldDown() {
        return call(() -> holdDowns.active());
    }

    @Override
    public void retryAfter(InetSocketAddress from, long seconds) {
        Backend b = routingView.get().backendAt(from);
        if (b != null && seconds > 0) {
            loop.execute(() -> apply(tracker.onRetryAfter(b.id(), seconds)));
        }
    }

    @Override
    public void sendFailed(InetSocketAddress to, Throwable cause) {
        Backend b = routingView.get().backendAt(to);
        PassiveSignal signal = OptionsProber.signalOf(cause);
        if (b != null && signal != null) {
            loop.execute(() -> apply(tracker.onPassiveSignal(b.id(), signal)));
        }
    }

    /** Stops probing and closes the probe sockets (waits briefly for the loop). */
    @Override
    public void close() {
        if (loop.isShuttingDown()) {
            return;
        }
        try {
            call(() -> {
                closed = true;
                if (timer != null) {
                    timer.cancel(false);
                }
                prober.close();
                return null;
            }).get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.debug("health monitor did not close cleanly", e);
        }
    }

    // ---- on the loop ----------------------------------------------------------------------

    /** One pass: time acts, due probes go out, the view is published, the timer re-armed. */
    private void pass() {
        passPending = false;
        if (closed) {
            return;
        }
        log(tracker.tick());
        for (Probe p : tracker.takeDueProbes()) {
            prober.send(p);
        }
        publish();
        reschedule();
    }

    /**
     * After an input (a probe result, a signal, a command): logs its events, publishes, and runs a
     * pass soon, since a probe may now be due. Never called by {@link #pass} itself.
     */
    private void apply(List<HealthEvent> events) {
        log(events);
        holdDowns.observe(events);
        publish();
        if (!passPending && !closed) {
            passPending = true;
            loop.execute(this::pass); // not inline: a probe that fails at once must not recurse
        }
    }

    private static void log(List<HealthEvent> events) {
        for (HealthEvent e : events) {
            if (e instanceof HealthEvent.StateChanged s && s.to() != HealthState.UP && s.to() != HealthState.DRAINING
                    || e instanceof HealthEvent.PanicChanged p && p.panic()) {
                log.warn("{}", e);
            } else {
                log.info("{}", e);
            }
        }
    }

    private void publish() {
        BackendView v = tracker.view();
        if (v != published) {
            published = v;
            BackendView routed = viewFilter.apply(v);
            routingView.updateAndGet(current -> current.withBackends(routed));
        }
        publishHoldDowns();
    }

    /** Publishes the current hold-downs when they differ from the routed view's (one started or ended). */
    private void publishHoldDowns() {
        java.util.Set<String> held = holdDowns.active();
        if (!held.equals(routingView.get().heldDown())) {
            routingView.updateAndGet(current -> current.withHeldDown(held));
        }
    }

    private void reschedule() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
        long delay = holdDowns.earlierDeadline(tracker.nanosUntilNextDeadline()); // a hold-down's end is published by a pass
        if (delay != HealthTracker.NO_DEADLINE && !closed) {
            timer = loop.schedule(this::pass, Math.max(delay, 0), TimeUnit.NANOSECONDS);
        }
    }

    private <T> CompletableFuture<T> call(Supplier<T> task) {
        CompletableFuture<T> f = new CompletableFuture<>();
        try {
            loop.execute(() -> {
                try {
                    f.complete(task.get());
                } catch (RuntimeException e) {
                    f.completeExceptionally(e);
                }
            });
        } catch (RuntimeException e) { // rejected: the loop is shutting down
            f.completeExceptionally(e);
        }
        return f;
    }

    static String describe(HealthPolicy p) {
        return "interval " + p.interval().toMillis() + "ms, timeout " + p.timeout().toMillis() + "ms, rise "
                + p.rise() + ", fall " + p.fall() + ", alive " + p.aliveCodes() + ", detection within "
                + p.detectionBound().toMillis() + "ms";
    }

    /** Probe outcomes, already on the loop. */
    private final class Listener implements ProbeListener {
        @Override
        public void onProbeResult(Probe probe, ProbeResult result) {
            apply(tracker.onProbeResult(probe, result));
        }

        @Override
        public void onPassiveSignal(String backendId, PassiveSignal signal) {
            apply(tracker.onPassiveSignal(backendId, signal));
        }
    }
}
