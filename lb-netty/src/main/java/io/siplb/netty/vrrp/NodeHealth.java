package io.siplb.netty.vrrp;

import static java.util.Objects.requireNonNull;

import io.siplb.hash.BackendState;
import io.siplb.hash.BackendView;
import io.siplb.health.BackendStatus;
import io.siplb.health.HealthState;
import io.siplb.route.RoutingView;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Whether this node can serve SIP, as one reason or {@code null}: what decides VRRP mastership
 * and what {@code GET /health} (and so {@code siplb health}, keepalived's track script)
 * answers. Unhealthy when
 * <ul>
 *   <li>the SIP listeners are not (or no longer) bound, or the server drains;</li>
 *   <li>no backend can take traffic: none is UP, SUSPECT or DRAINING for the health checker
 *       ({@link #watchBackends}; without it, none UP or DRAINING in the published
 *       {@link RoutingView});</li>
 *   <li>an event loop stalled ({@link EventLoopWatchdog}).</li>
 * </ul>
 * Reads only volatile state; cheap enough for every speaker pass and every /health request.
 */
public final class NodeHealth implements Supplier<String> {

    private final BooleanSupplier listenersReady;
    private final Supplier<RoutingView> routing;
    private volatile EventLoopWatchdog watchdog;
    private volatile Supplier<CompletableFuture<List<BackendStatus>>> statuses;
    /** From the last completed {@link #statuses} call: whether some backend can take traffic; null before. */
    private volatile Boolean backendServing;
    private volatile CompletableFuture<?> inFlight;

    public NodeHealth(BooleanSupplier listenersReady, Supplier<RoutingView> routing) {
        this.listenersReady = requireNonNull(listenersReady, "listenersReady");
        this.routing = requireNonNull(routing, "routing");
    }

    /** Adds the event-loop check (once the loops exist). */
    public NodeHealth watch(EventLoopWatchdog watchdog) {
        this.watchdog = watchdog;
        return this;
    }

    /**
     * Reads backend health from the health checker's statuses rather than from the routing
     * view: in panic (fewer than panic-threshold up) the view routes to every backend as if
     * it were UP, and a node with no backend up must still give up the VIP. The statuses are
     * asked for asynchronously (they live on the health thread); {@link #get()} uses the last
     * answer and asks again.
     */
    public NodeHealth watchBackends(Supplier<CompletableFuture<List<BackendStatus>>> statuses) {
        this.statuses = statuses;
        return this;
    }

    /** The reason the node cannot serve, or {@code null} when it can. */
    @Override
    public String get() {
        if (!listenersReady.getAsBoolean()) {
            return "not serving (SIP listeners not bound, or draining)";
        }
        Boolean serving = refreshBackends();
        if (serving != null) {
            if (!serving) {
                return "no backend up";
            }
        } else {
            RoutingView view = routing.get();
            BackendView backends = view == null ? null : view.backends();
            if (backends == null || backends.count(BackendState.UP) + backends.count(BackendState.DRAINING) == 0) {
                return "no backend up";
            }
        }
        EventLoopWatchdog w = watchdog;
        return w == null ? null : w.stall();
    }

    private Boolean refreshBackends() {
        Supplier<CompletableFuture<List<BackendStatus>>> source = statuses;
        if (source == null) {
            return null;
        }
        CompletableFuture<?> pending = inFlight;
        if (pending == null || pending.isDone()) {
            try {
                inFlight = source.get().thenAccept(list -> backendServing = anyServing(list));
            } catch (RuntimeException e) {
                return backendServing; // the checker is stopping: keep the last answer
            }
        }
        return backendServing;
    }

    /** UP, SUSPECT (up, one failure seen) and DRAINING backends take traffic. */
    static boolean anyServing(List<BackendStatus> statuses) {
        for (BackendStatus s : statuses) {
            HealthState h = s.state();
            if (h == HealthState.UP || h == HealthState.SUSPECT || h == HealthState.DRAINING) {
                return true;
            }
        }
        return false;
    }
}
