package io.siplb.netty.vrrp;

import static java.util.Objects.requireNonNull;

import io.siplb.hash.BackendState;
import io.siplb.hash.BackendView;
import io.siplb.route.RoutingView;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Whether this node can serve SIP, as one reason or {@code null}: what decides VRRP mastership
 * and what {@code GET /health} (and so {@code siplb health}, keepalived's track script)
 * answers. Unhealthy when
 * <ul>
 *   <li>the SIP listeners are not (or no longer) bound;</li>
 *   <li>no backend can take traffic: none is UP or DRAINING in the published
 *       {@link RoutingView};</li>
 *   <li>an event loop stalled ({@link EventLoopWatchdog}).</li>
 * </ul>
 * Reads only volatile state; cheap enough for every speaker pass and every /health request.
 */
public final class NodeHealth implements Supplier<String> {

    private final BooleanSupplier listenersReady;
    private final Supplier<RoutingView> routing;
    private volatile EventLoopWatchdog watchdog;

    public NodeHealth(BooleanSupplier listenersReady, Supplier<RoutingView> routing) {
        this.listenersReady = requireNonNull(listenersReady, "listenersReady");
        this.routing = requireNonNull(routing, "routing");
    }

    /** Adds the event-loop check (once the loops exist). */
    public NodeHealth watch(EventLoopWatchdog watchdog) {
        this.watchdog = watchdog;
        return this;
    }

    /** The reason the node cannot serve, or {@code null} when it can. */
    @Override
    public String get() {
        if (!listenersReady.getAsBoolean()) {
            return "SIP listeners not bound";
        }
        RoutingView view = routing.get();
        BackendView backends = view == null ? null : view.backends();
        if (backends == null || backends.count(BackendState.UP) + backends.count(BackendState.DRAINING) == 0) {
            return "no backend up";
        }
        EventLoopWatchdog w = watchdog;
        return w == null ? null : w.stall();
    }
}
