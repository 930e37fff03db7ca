package io.siplb.health;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import io.siplb.hash.Backend;
import io.siplb.hash.BackendState;
import io.siplb.hash.BackendView;
import io.siplb.health.HealthEvent.PanicChanged;
import io.siplb.health.HealthEvent.StateChanged;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The health of every backend of a {@link BackendView}: takes probe results, passive signals,
 * operator commands and clock ticks, decides which backend to probe when, and publishes the
 * {@link BackendView} routing uses.
 *
 * <h2>How the runtime drives it</h2>
 * <pre>{@code
 * tracker = HealthTracker.create(policy, backends, System::nanoTime, seed);
 * on timer:         log(tracker.tick());                        // timeouts, Retry-After ends
 *                   for (Probe p : tracker.takeDueProbes()) send OPTIONS to p.backend(), carrying p.sequence()
 * on OPTIONS reply: log(tracker.onProbeResult(probe, ProbeResult.reply(code, retryAfter)))
 * on ICMP / RST:    log(tracker.onPassiveSignal(id, PassiveSignal.PORT_UNREACHABLE))
 * on 503 forwarded: log(tracker.onRetryAfter(id, seconds))
 * admin:            log(tracker.drain(id)), log(tracker.undrain(id)), tracker.statuses()
 * after each:       if (tracker.view() != published) atomically publish tracker.view();
 *                   re-arm the timer for tracker.nanosUntilNextDeadline()
 * }</pre>
 * Every input returns the {@link HealthEvent}s it caused (one log line each), empty when
 * nothing changed; {@link #view()} returns the same instance until a backend's routing state
 * changes, so the runtime publishes with one atomic swap only then.
 *
 * <h2>Scheduling</h2>
 * One probe per backend at a time. After a probe is sent the next is due an interval later,
 * shortened by up to {@code jitter} (a pseudo-random share derived from the seed, the backend
 * id and the probe's sequence, so a run is reproducible and the two nodes of a pair, given
 * different seeds, do not probe in step); if the probe is still unanswered then, the next one
 * goes when it resolves, at most {@code timeout} after it was sent. Since {@code timeout <
 * interval}, two probes of one backend are never more than an interval apart, and a backend
 * that dies is out of routing within {@code interval × fall + timeout}
 * ({@link HealthPolicy#detectionBound()}). A passive signal on an up backend abandons its
 * probe in flight (its reply might predate the signal) and makes the next one due at once.
 *
 * <h2>Panic</h2>
 * When fewer than {@code panicThreshold} of the backends that are not drained are
 * {@link HealthState#UP UP}, the published view shows all of them {@link BackendState#UP UP}
 * (drained ones {@link BackendState#DRAINING DRAINING}): so many failures at once more likely
 * mean the probes are wrong than the proxies. {@link #statuses()} still shows the real health,
 * and a {@link PanicChanged} event is returned on entering and leaving panic. A tracker that
 * starts with every backend {@link HealthState#PROBING PROBING} therefore starts in panic and
 * routes to all until the first probes come back; {@link #panic()} says so at start.
 *
 * <h2>Poor fits</h2>
 * Not thread-safe: confine it to one thread (the prober's event loop) and share only the
 * views it publishes. Slow start is computed ({@link BackendStatus#slowStartFactor()}) but not
 * yet applied to the view: {@link BackendView} has no per-backend weight factor, and changing
 * a backend's weight rebuilds the rendezvous ranking.
 */
public final class HealthTracker {

    /** {@link #nanosUntilNextDeadline()} when nothing is scheduled (health checking disabled). */
    public static final long NO_DEADLINE = Long.MAX_VALUE;

    private final HealthPolicy policy;
    private final LongSupplier nanoTime;
    private final long seed;
    private final long intervalNanos;
    private final long timeoutNanos;
    private final long maxRetryAfterNanos;
    private final Slot[] slots;
    private BackendView view;
    private boolean panic;
    private long nextSequence;

    private HealthTracker(HealthPolicy policy, LongSupplier nanoTime, long seed, BackendView view,
                          boolean panic, long nextSequence) {
        this.policy = policy;
        this.nanoTime = nanoTime;
        this.seed = seed;
        this.intervalNanos = policy.interval().toNanos();
        this.timeoutNanos = policy.timeout().toNanos();
        this.maxRetryAfterNanos = policy.maxRetryAfter().toNanos();
        this.view = view;
        this.slots = new Slot[view.size()];
        this.panic = panic;
        this.nextSequence = nextSequence;
    }

    /**
     * A tracker for {@code backends}: each starts {@link HealthState#PROBING PROBING} with its
     * first probe due within {@code interval × jitter}, or {@link HealthState#UP UP} when the
     * policy is disabled.
     *
     * @param nanoTime a monotonic clock in nanoseconds ({@code System::nanoTime}); values are
     *                 compared by difference, so they may wrap
     * @param seed     makes the jitter reproducible; give the two nodes of a pair different seeds
     */
    public static HealthTracker create(HealthPolicy policy, Collection<Backend> backends, LongSupplier nanoTime,
                                       long seed) {
        requireNonNull(policy, "policy");
        requireNonNull(nanoTime, "nanoTime");
        BackendView view = BackendView.of(backends);
        HealthTracker tracker = new HealthTracker(policy, nanoTime, seed, view, false, 0);
        long now = nanoTime.getAsLong();
        for (int i = 0; i < view.size(); i++) {
            tracker.slots[i] = tracker.newSlot(view.backend(i), now);
        }
        tracker.publish(now, null);
        return tracker;
    }

    public HealthPolicy policy() {
        return policy;
    }

    /** The view routing should use; the same instance until a backend's routing state changes. */
    public BackendView view() {
        return view;
    }

    /** True while routing treats every backend as up because too few are (see "Panic"). */
    public boolean panic() {
        return panic;
    }

    /**
     * The probes due now, each marked in flight: the runtime sends one OPTIONS per probe and
     * reports how it ended with {@link #onProbeResult}. Empty when health checking is disabled.
     */
    public List<Probe> takeDueProbes() {
        if (!policy.enabled()) {
            return List.of();
        }
        long now = nanoTime.getAsLong();
        List<Probe> due = null;
        for (Slot s : slots) {
            if (!s.inFlight && now - s.nextDue >= 0) {
                long sequence = nextSequence++;
                s.inFlight = true;
                s.sequence = sequence;
                s.sentAt = now;
                s.nextDue = now + jitteredInterval(s.health.backend(), sequence);
                if (due == null) {
                    due = new ArrayList<>();
                }
                due.add(new Probe(s.health.backend(), sequence));
            }
        }
        return due == null ? List.of() : Collections.unmodifiableList(due);
    }

    /**
     * How a probe from {@link #takeDueProbes()} ended. A result for a probe that is no longer
     * in flight (already timed out, abandoned after a passive signal, or of a backend a reload
     * removed or readdressed) is ignored. A 503 with Retry-After also holds the backend out as
     * {@link #onRetryAfter} does.
     */
    public List<HealthEvent> onProbeResult(Probe probe, ProbeResult result) {
        requireNonNull(probe, "probe");
        requireNonNull(result, "result");
        int i = view.indexOf(probe.backend().id());
        if (i < 0 || !slots[i].inFlight || slots[i].sequence != probe.sequence()) {
            return List.of();
        }
        long now = nanoTime.getAsLong();
        List<HealthEvent> events = new ArrayList<>(2);
        resolve(slots[i], result, now - slots[i].sentAt, now, events);
        return finish(events, now);
    }

    /**
     * Evidence from ordinary traffic that a backend may be gone. An up backend becomes
     * {@link HealthState#SUSPECT SUSPECT} (unless {@link HealthPolicy#maxPassiveEjections(int)}
     * backends are already held out by passive evidence) and is probed at once. Ignored for an
     * unknown id and when health checking is disabled.
     */
    public List<HealthEvent> onPassiveSignal(String backendId, PassiveSignal signal) {
        requireNonNull(backendId, "backendId");
        requireNonNull(signal, "signal");
        int i = view.indexOf(backendId);
        if (!policy.enabled() || i < 0) {
            return List.of();
        }
        Slot s = slots[i];
        long now = nanoTime.getAsLong();
        List<HealthEvent> events = new ArrayList<>(2);
        if (s.health.healthUp()) {
            // the reply to a probe already in flight may predate the signal: ask a new question
            s.inFlight = false;
            s.nextDue = now;
        }
        add(events, s.health.signalled(signal, mayEject(s), now));
        return finish(events, now);
    }

    /**
     * A backend answered 503 with {@code Retry-After: retryAfterSeconds}: RFC 3261 §21.5.4 asks
     * that no other request be forwarded to it for that long. It is held out
     * ({@link HealthState#UNAVAILABLE UNAVAILABLE}) for at most
     * {@link HealthPolicy#maxRetryAfter()}, within the passive ejection limit. Ignored when
     * {@code retryAfterSeconds <= 0}, for an unknown id, and when health checking is disabled.
     */
    public List<HealthEvent> onRetryAfter(String backendId, long retryAfterSeconds) {
        requireNonNull(backendId, "backendId");
        int i = view.indexOf(backendId);
        if (!policy.enabled() || i < 0 || retryAfterSeconds <= 0) {
            return List.of();
        }
        long now = nanoTime.getAsLong();
        List<HealthEvent> events = new ArrayList<>(2);
        retryAfter(slots[i], retryAfterSeconds, now, events);
        return finish(events, now);
    }

    /**
     * Drains a backend: no new AORs or dialogs, while the AORs and dialogs it has keep reaching
     * it ({@link BackendState#DRAINING}). It is still probed; the drain survives reloads.
     *
     * @throws IllegalArgumentException when no backend has this id (check with {@link #status})
     */
    public List<HealthEvent> drain(String backendId) {
        Slot s = slots[checkedIndexOf(backendId)];
        long now = nanoTime.getAsLong();
        List<HealthEvent> events = new ArrayList<>(2);
        add(events, s.health.drain(now));
        return finish(events, now);
    }

    /**
     * Ends a drain.
     *
     * @throws IllegalArgumentException when no backend has this id (check with {@link #status})
     */
    public List<HealthEvent> undrain(String backendId) {
        Slot s = slots[checkedIndexOf(backendId)];
        long now = nanoTime.getAsLong();
        List<HealthEvent> events = new ArrayList<>(2);
        add(events, s.health.undrain(now));
        return finish(events, now);
    }

    /**
     * Lets time act: probes unanswered for {@code timeout} fail, Retry-After hold-outs that are
     * over end. Call it at {@link #nanosUntilNextDeadline()} (calling it early is harmless).
     */
    public List<HealthEvent> tick() {
        long now = nanoTime.getAsLong();
        List<HealthEvent> events = new ArrayList<>(2);
        for (Slot s : slots) {
            if (s.inFlight && now - s.sentAt >= timeoutNanos) {
                resolve(s, ProbeResult.timeout(), now - s.sentAt, now, events);
            }
            add(events, s.health.expire(now));
        }
        return finish(events, now);
    }

    /**
     * Nanoseconds until {@link #tick()} or {@link #takeDueProbes()} has something to do: 0 when
     * something is due now, {@link #NO_DEADLINE} when nothing is scheduled.
     */
    public long nanosUntilNextDeadline() {
        long now = nanoTime.getAsLong();
        long next = NO_DEADLINE;
        for (Slot s : slots) {
            if (policy.enabled()) {
                long d = s.inFlight ? s.sentAt + timeoutNanos - now : s.nextDue - now;
                next = Math.min(next, Math.max(0, d));
            }
            if (s.health.unavailable()) {
                next = Math.min(next, Math.max(0, s.health.unavailableUntil() - now));
            }
        }
        return next;
    }

    /** One backend's status, or {@code null} when no backend has this id. */
    public BackendStatus status(String backendId) {
        requireNonNull(backendId, "backendId");
        int i = view.indexOf(backendId);
        return i < 0 ? null : slots[i].health.status(nanoTime.getAsLong());
    }

    /** Every backend's status, in the view's (id) order. */
    public List<BackendStatus> statuses() {
        long now = nanoTime.getAsLong();
        List<BackendStatus> all = new ArrayList<>(slots.length);
        for (Slot s : slots) {
            all.add(s.health.status(now));
        }
        return Collections.unmodifiableList(all);
    }

    /**
     * A tracker for a reloaded backend list; this one is left as it was, so a reload that fails
     * later can keep using it. A backend with the same id and address (host, port, transport)
     * keeps its state, drain, counters and probe in flight, and takes the new weight; a new or
     * readdressed one starts {@link HealthState#PROBING PROBING} (or {@link HealthState#UP UP}
     * when disabled); a removed one is dropped, and a late reply to its probe is ignored. The
     * reload's own change is logged by the caller; compare {@link #panic()} of the two trackers
     * to log a panic change it causes.
     *
     * @throws IllegalArgumentException when ids repeat (the view's validation)
     */
    public HealthTracker withBackends(Collection<Backend> backends) {
        BackendView fresh = BackendView.of(view.version() + 1, backends);
        long now = nanoTime.getAsLong();
        HealthTracker next = new HealthTracker(policy, nanoTime, seed, fresh, panic, nextSequence);
        for (int i = 0; i < fresh.size(); i++) {
            Backend b = fresh.backend(i);
            int old = view.indexOf(b.id());
            next.slots[i] = old >= 0 && sameAddress(slots[old].health.backend(), b)
                    ? slots[old].copy(b, policy)
                    : next.newSlot(b, now);
        }
        next.publish(now, null);
        return next;
    }

    /**
     * A tracker with a reloaded policy and the same backends, each keeping its state. Turning
     * health checking off makes every backend up (drains stay); turning it on keeps them up and
     * starts probing, so that {@code fall} failures are needed to take one down. Like
     * {@link #withBackends}, it returns no events: the caller logs the reload.
     */
    public HealthTracker withPolicy(HealthPolicy policy) {
        requireNonNull(policy, "policy");
        long now = nanoTime.getAsLong();
        HealthTracker next = new HealthTracker(policy, nanoTime, seed, view, panic, nextSequence);
        for (int i = 0; i < slots.length; i++) {
            Slot s = slots[i].copy(slots[i].health.backend(), policy);
            if (!policy.enabled()) {
                s.health.disable(now);
                s.inFlight = false;
            } else if (!this.policy.enabled() || s.nextDue - (now + next.intervalNanos) > 0) {
                s.nextDue = now + next.firstDelay(s.health.backend());
            }
            next.slots[i] = s;
        }
        next.publish(now, null);
        return next;
    }

    // ---- internals ----------------------------------------------------------------------

    private Slot newSlot(Backend backend, long now) {
        Slot s = new Slot(new BackendHealth(backend, policy, now));
        s.nextDue = now + firstDelay(backend);
        return s;
    }

    private void resolve(Slot s, ProbeResult result, long elapsedNanos, long now, List<HealthEvent> events) {
        s.inFlight = false;
        // s.nextDue was set when the probe went out; when it has passed, the next probe is due now
        BackendHealth h = s.health;
        if (result.outcome() == ProbeResult.Outcome.REPLY) {
            add(events, h.replied(result, elapsedNanos, policy.aliveCodes().contains(result.statusCode()), now));
            // RFC 3261 §21.5.4: a 503 with Retry-After asks for no other requests for that long
            if (result.statusCode() == 503 && result.retryAfterSeconds() > 0) {
                retryAfter(s, result.retryAfterSeconds(), now, events);
            }
        } else {
            add(events, h.failed(result, elapsedNanos, now));
        }
    }

    private void retryAfter(Slot s, long seconds, long now, List<HealthEvent> events) {
        if (maxRetryAfterNanos == 0) {
            return;
        }
        long nanos = seconds >= maxRetryAfterNanos / 1_000_000_000L ? maxRetryAfterNanos : seconds * 1_000_000_000L;
        add(events, s.health.retryAfter(nanos, seconds, mayEject(s), now));
    }

    /** The passive ejection limit: may this backend be held out by passive evidence now? */
    private boolean mayEject(Slot s) {
        if (s.health.passivelyEjected()) {
            return true;
        }
        int ejected = 0;
        for (Slot o : slots) {
            if (o.health.passivelyEjected()) {
                ejected++;
            }
        }
        return ejected < policy.maxPassiveEjections(slots.length);
    }

    private List<HealthEvent> finish(List<HealthEvent> events, long now) {
        publish(now, events);
        return events.isEmpty() ? List.of() : Collections.unmodifiableList(events);
    }

    /** Applies the panic rule and replaces the view when a routing state changed. */
    private void publish(long now, List<HealthEvent> events) {
        int eligible = 0;
        int up = 0;
        for (Slot s : slots) {
            if (!s.health.drained()) {
                eligible++;
                if (s.health.state() == HealthState.UP) {
                    up++;
                }
            }
        }
        boolean nowPanic = policy.enabled() && eligible > 0 && up < policy.panicThreshold() * eligible;
        if (nowPanic != panic) {
            panic = nowPanic;
            if (events != null) {
                events.add(new PanicChanged(nowPanic, up, eligible, policy.panicThreshold(), now));
            }
        }
        Map<String, BackendState> changes = null;
        for (int i = 0; i < slots.length; i++) {
            BackendHealth h = slots[i].health;
            BackendState want = !panic ? h.state().routing()
                    : h.drained() ? BackendState.DRAINING : BackendState.UP;
            if (view.state(i) != want) {
                if (changes == null) {
                    changes = new HashMap<>();
                }
                changes.put(h.backend().id(), want);
            }
        }
        if (changes != null) {
            view = view.withStates(changes);
        }
    }

    private long firstDelay(Backend backend) {
        // spread the first probes of a start or reload over interval × jitter
        return (long) (intervalNanos * policy.jitter() * unit(backend, -1));
    }

    private long jitteredInterval(Backend backend, long sequence) {
        // only ever shortened: the detection bound interval × fall + timeout holds with any jitter
        return intervalNanos - (long) (intervalNanos * policy.jitter() * unit(backend, sequence));
    }

    /** A uniform [0, 1) value that depends only on the seed, the backend id and the sequence. */
    private double unit(Backend backend, long sequence) {
        long h = fmix64(seed ^ fmix64(backend.id().hashCode() * 0x9E3779B97F4A7C15L + sequence));
        return (h >>> 11) * 0x1.0p-53;
    }

    /** MurmurHash3's 64-bit finaliser. */
    private static long fmix64(long k) {
        k ^= k >>> 33;
        k *= 0xff51afd7ed558ccdL;
        k ^= k >>> 33;
        k *= 0xc4ceb9fe1a85ec53L;
        k ^= k >>> 33;
        return k;
    }

    private static boolean sameAddress(Backend a, Backend b) {
        return a.host().equals(b.host()) && a.port() == b.port() && a.transport().equals(b.transport());
    }

    private int checkedIndexOf(String backendId) {
        requireNonNull(backendId, "backendId");
        int i = view.indexOf(backendId);
        checkArgument(i >= 0, "backend: '%s' (expected: one of the configured backend ids)", backendId);
        return i;
    }

    private static void add(List<HealthEvent> events, StateChanged event) {
        if (event != null) {
            events.add(event);
        }
    }

    /** A backend's health and its probe schedule. */
    private static final class Slot {
        final BackendHealth health;
        boolean inFlight;
        long sequence;
        long sentAt;
        long nextDue;

        Slot(BackendHealth health) {
            this.health = health;
        }

        Slot copy(Backend backend, HealthPolicy policy) {
            Slot s = new Slot(health.copy(backend, policy));
            s.inFlight = inFlight;
            s.sequence = sequence;
            s.sentAt = sentAt;
            s.nextDue = nextDue;
            return s;
        }
    }
}
