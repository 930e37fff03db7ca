package io.siplb.vrrp;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import com.google.common.base.Ticker;
import io.siplb.vrrp.VrrpAction.AddVips;
import io.siplb.vrrp.VrrpAction.CancelTimer;
import io.siplb.vrrp.VrrpAction.RemoveVips;
import io.siplb.vrrp.VrrpAction.ScheduleTimer;
import io.siplb.vrrp.VrrpAction.SendAdvertisement;
import io.siplb.vrrp.VrrpAction.SendGratuitousArp;
import io.siplb.vrrp.VrrpAction.Transition;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * One virtual router's state machine (RFC 5798 §6.4): Initialize, Backup, Master.
 *
 * <p>Pure: every event is a method call, every effect is a {@link VrrpAction} in the returned
 * list, to be executed in order. Time comes from the injected {@link Ticker}; the machine has
 * one timer (Master_Down_Timer in Backup, Adver_Timer in Master), which it asks the runtime to
 * arm with {@link VrrpAction.ScheduleTimer}, and it checks the deadline itself when
 * {@link #onTimer()} is called, so an early or stale wake-up does no harm.
 *
 * <p>Beyond the RFC:
 * <ul>
 *   <li><b>Split heal.</b> A master that hears a lower priority (or an equal priority from a
 *       lower address) answers at once with its own advertisement and a gratuitous ARP, and
 *       a master that yields to a higher priority sends one last advertisement before
 *       stepping down. keepalived does the first by default and the second with
 *       {@code vrrp_higher_prio_send_advert}; together they make the winner of a healed split
 *       re-announce the VIP, which the ha-lab showed is needed to avoid a black hole.</li>
 *   <li><b>Health decides mastership.</b> {@link #setHealthy(boolean) setHealthy(false)} on a
 *       master sends a priority-0 advertisement and steps down at once, so the peer takes
 *       over after its Skew_Time rather than after a whole Master_Down_Interval (a lowered
 *       priority would only be noticed when the peer's timer runs out, the ha-lab's
 *       "procdeath" case). An unhealthy node never becomes master and never preempts; if its
 *       Master_Down_Timer fires meanwhile, it takes over the moment it is healthy again.
 *       Poor fit: when both nodes are unhealthy nobody holds the VIP, so clients time out
 *       instead of getting a 503 from a master with no backend.</li>
 *   <li><b>Handover on shutdown.</b> A master that shuts down sends priority 0 but keeps the
 *       VIPs (the runtime keeps forwarding) until it hears the new master's advertisement,
 *       or for at most {@link #handoverTimeoutNanos()}, so a planned stop loses nothing;
 *       the ha-lab saw a gap of Skew_Time when the VIP goes at once.</li>
 *   <li>Advertisements from our own primary address or of the other family are ignored.</li>
 * </ul>
 *
 * <p>Not thread-safe: the speaker calls it from one thread. Advertisements must have passed
 * the receive checks of RFC 5798 §7.1 (TTL 255, version, checksum: {@link VrrpPacket#decode})
 * before they get here.
 */
public final class VrrpStateMachine {

    private final VrrpParameters parameters;
    private final Ticker ticker;

    private VrrpState state = VrrpState.INITIALIZE;
    private boolean healthy = true;
    private int masterAdverIntervalCentis;
    private boolean timerArmed;
    private long deadlineNanos;
    private boolean holdsVips;
    /** The Master_Down_Timer fired while unhealthy: no master is heard from. */
    private boolean masterDownWhileUnhealthy;

    /** A machine in Initialize, healthy. */
    public VrrpStateMachine(VrrpParameters parameters, Ticker ticker) {
        this.parameters = requireNonNull(parameters, "parameters");
        this.ticker = requireNonNull(ticker, "ticker");
        this.masterAdverIntervalCentis = parameters.advertisementIntervalCentis();
    }

    public VrrpParameters parameters() {
        return parameters;
    }

    public VrrpState state() {
        return state;
    }

    public boolean isHealthy() {
        return healthy;
    }

    /** Whether the VIPs are configured: as master, or while handing over after shutdown. */
    public boolean holdsVips() {
        return holdsVips;
    }

    /** The interval learned from the master's advertisements (our own until one is heard). */
    public int masterAdverIntervalCentis() {
        return masterAdverIntervalCentis;
    }

    /** Skew_Time for our priority and the current Master_Adver_Interval. */
    public long skewTimeNanos() {
        return VrrpTimers.skewTimeNanos(parameters.priority(), masterAdverIntervalCentis);
    }

    /** Master_Down_Interval for our priority and the current Master_Adver_Interval. */
    public long masterDownIntervalNanos() {
        return VrrpTimers.masterDownIntervalNanos(parameters.priority(), masterAdverIntervalCentis);
    }

    /**
     * How long a master that shut down keeps its VIPs waiting for a successor: 4 ×
     * Advertisement_Interval, longer than any backup on our interval waits after our last
     * advertisement (3 × interval + Skew_Time, and Skew_Time is below one interval), even if
     * the priority-0 advertisement was lost.
     */
    public long handoverTimeoutNanos() {
        return 4 * VrrpTimers.centisToNanos(parameters.advertisementIntervalCentis());
    }

    /** Startup event (RFC 5798 §6.4.1). Ignored unless in Initialize. */
    public List<VrrpAction> startup() {
        if (state != VrrpState.INITIALIZE) {
            return List.of();
        }
        masterDownWhileUnhealthy = false;
        if (parameters.isOwner() && healthy) {
            return becomeMaster(VrrpTransitionCause.STARTUP);
        }
        List<VrrpAction> actions = new ArrayList<>(3);
        actions.add(new Transition(VrrpState.INITIALIZE, VrrpState.BACKUP, VrrpTransitionCause.STARTUP));
        state = VrrpState.BACKUP;
        if (holdsVips) { // restarted while handing over
            holdsVips = false;
            actions.add(new RemoveVips(parameters.vips()));
        }
        masterAdverIntervalCentis = parameters.advertisementIntervalCentis();
        actions.add(arm(ticker.read() + masterDownIntervalNanos()));
        return actions;
    }

    /**
     * Shutdown event (RFC 5798 §6.4.2, §6.4.3). A master sends priority 0 and keeps its VIPs
     * until a successor is heard or {@link #handoverTimeoutNanos()} passes (a
     * {@link RemoveVips} then follows from {@link #onAdvertisement} or {@link #onTimer}).
     */
    public List<VrrpAction> shutdown() {
        switch (state) {
            case BACKUP -> {
                state = VrrpState.INITIALIZE;
                timerArmed = false;
                return List.of(new Transition(VrrpState.BACKUP, VrrpState.INITIALIZE, VrrpTransitionCause.SHUTDOWN),
                        new CancelTimer());
            }
            case MASTER -> {
                state = VrrpState.INITIALIZE;
                return List.of(new Transition(VrrpState.MASTER, VrrpState.INITIALIZE, VrrpTransitionCause.SHUTDOWN),
                        new SendAdvertisement(0),
                        arm(ticker.read() + handoverTimeoutNanos()));
            }
            default -> {
                return List.of();
            }
        }
    }

    /** {@link #onAdvertisement(int, int, InetAddress)} for a decoded packet; other VRIDs are ignored. */
    public List<VrrpAction> onAdvertisement(VrrpPacket packet, InetAddress source) {
        if (packet.vrid() != parameters.vrid()) {
            return List.of();
        }
        return onAdvertisement(packet.priority(), packet.maxAdverIntervalCentis(), source);
    }

    /**
     * An advertisement for our VRID was received (RFC 5798 §6.4.2, §6.4.3).
     *
     * @param priority               0..255
     * @param maxAdverIntervalCentis 1..4095
     * @param source                 the sender's primary address (the IP source)
     */
    public List<VrrpAction> onAdvertisement(int priority, int maxAdverIntervalCentis, InetAddress source) {
        checkArgument(priority >= 0 && priority <= 255, "priority: %s (expected: 0 ~ 255)", priority);
        checkArgument(maxAdverIntervalCentis >= 1 && maxAdverIntervalCentis <= VrrpPacket.MAX_ADVER_INTERVAL_CENTIS,
                "maxAdverIntervalCentis: %s (expected: 1 ~ 4095)", maxAdverIntervalCentis);
        requireNonNull(source, "source");
        InetAddress primary = parameters.primaryAddress();
        if ((source instanceof Inet6Address) != (primary instanceof Inet6Address) || source.equals(primary)) {
            return List.of();
        }
        return switch (state) {
            case INITIALIZE -> handingOverHears(priority);
            case BACKUP -> backupHears(priority, maxAdverIntervalCentis);
            case MASTER -> masterHears(priority, maxAdverIntervalCentis, source);
        };
    }

    /**
     * The timer armed by the last {@link ScheduleTimer} may have expired: call at (or after)
     * its deadline. Before the deadline it only re-arms; with no timer armed it does nothing.
     */
    public List<VrrpAction> onTimer() {
        if (!timerArmed) {
            return List.of();
        }
        long now = ticker.read();
        if (now - deadlineNanos < 0) {
            return List.of(new ScheduleTimer(deadlineNanos));
        }
        timerArmed = false;
        switch (state) {
            case MASTER -> {
                // RFC 5798 §6.4.3: Adver_Timer fired: advertise and re-arm.
                return List.of(new SendAdvertisement(parameters.priority()),
                        arm(now + VrrpTimers.centisToNanos(parameters.advertisementIntervalCentis())));
            }
            case BACKUP -> {
                // RFC 5798 §6.4.2: Master_Down_Timer fired.
                if (!healthy) {
                    masterDownWhileUnhealthy = true;
                    return List.of();
                }
                return becomeMaster(VrrpTransitionCause.MASTER_DOWN);
            }
            default -> {
                // The handover after shutdown timed out: nobody took over; let go anyway.
                if (holdsVips) {
                    holdsVips = false;
                    return List.of(new RemoveVips(parameters.vips()));
                }
                return List.of();
            }
        }
    }

    /**
     * The node's SIP side became healthy or unhealthy. An unhealthy master steps down with
     * priority 0 at once; an unhealthy node never becomes master; a node that becomes healthy
     * again follows the normal rules (and takes over at once if its Master_Down_Timer fired
     * while it was unhealthy).
     */
    public List<VrrpAction> setHealthy(boolean healthy) {
        if (this.healthy == healthy) {
            return List.of();
        }
        this.healthy = healthy;
        if (!healthy && state == VrrpState.MASTER) {
            state = VrrpState.BACKUP;
            holdsVips = false;
            masterAdverIntervalCentis = parameters.advertisementIntervalCentis();
            // Priority 0, not a lowered priority: the peer takes over after its Skew_Time
            // instead of after a full Master_Down_Interval (ha-lab, "procdeath").
            return List.of(new Transition(VrrpState.MASTER, VrrpState.BACKUP, VrrpTransitionCause.UNHEALTHY),
                    new SendAdvertisement(0),
                    new RemoveVips(parameters.vips()),
                    arm(ticker.read() + masterDownIntervalNanos()));
        }
        if (healthy && state == VrrpState.BACKUP && masterDownWhileUnhealthy) {
            return becomeMaster(VrrpTransitionCause.HEALTHY_AGAIN);
        }
        return List.of();
    }

    private List<VrrpAction> handingOverHears(int priority) {
        // After our shutdown: a successor's advertisement means it holds the VIPs now.
        if (!holdsVips || priority == 0) {
            return List.of();
        }
        holdsVips = false;
        timerArmed = false;
        return List.of(new RemoveVips(parameters.vips()), new CancelTimer());
    }

    private List<VrrpAction> backupHears(int priority, int maxAdverIntervalCentis) {
        if (priority == 0) {
            // RFC 5798 §6.4.2: the master is stopping; take over after Skew_Time, so that the
            // highest-priority backup goes first.
            masterDownWhileUnhealthy = false;
            return List.of(arm(ticker.read() + skewTimeNanos()));
        }
        // RFC 5798 §6.4.2: accept the master unless preempting it. The owner always preempts
        // (§6.1); an unhealthy node never does.
        boolean preempting = (parameters.preempt() || parameters.isOwner()) && healthy
                && priority < parameters.priority();
        if (preempting) {
            return List.of(); // discard: the Master_Down_Timer runs out and we take over
        }
        masterAdverIntervalCentis = maxAdverIntervalCentis;
        masterDownWhileUnhealthy = false;
        return List.of(arm(ticker.read() + masterDownIntervalNanos()));
    }

    private List<VrrpAction> masterHears(int priority, int maxAdverIntervalCentis, InetAddress source) {
        int ours = parameters.priority();
        long now = ticker.read();
        long nextAdvert = now + VrrpTimers.centisToNanos(parameters.advertisementIntervalCentis());
        if (priority == 0) {
            // RFC 5798 §6.4.3: a stopping router: advertise at once so backups keep quiet.
            return List.of(new SendAdvertisement(ours), arm(nextAdvert));
        }
        if (priority > ours || (priority == ours && compareUnsigned(source, parameters.primaryAddress()) > 0)) {
            // RFC 5798 §6.4.3: yield. One last advertisement first (keepalived's
            // vrrp_higher_prio_send_advert): if this was a split, the winner hears a lower
            // priority and re-announces the VIPs (below), so no client stays pointed at us.
            state = VrrpState.BACKUP;
            holdsVips = false;
            masterAdverIntervalCentis = maxAdverIntervalCentis;
            return List.of(new Transition(VrrpState.MASTER, VrrpState.BACKUP, VrrpTransitionCause.PREEMPTED),
                    new SendAdvertisement(ours),
                    new RemoveVips(parameters.vips()),
                    arm(now + masterDownIntervalNanos()));
        }
        // Lower priority (or equal from a lower address): another router believes it is master,
        // so a split has just healed. RFC 5798 §6.4.3 says discard; we answer with an
        // advertisement (it steps down) and a gratuitous ARP (clients whose ARP entry follows
        // its GARP come back to us), as keepalived does.
        return List.of(new SendAdvertisement(ours), new SendGratuitousArp(parameters.vips()), arm(nextAdvert));
    }

    private List<VrrpAction> becomeMaster(VrrpTransitionCause cause) {
        // RFC 5798 §6.4.1 / §6.4.2: advertise, announce the addresses, arm the Adver_Timer.
        List<VrrpAction> actions = new ArrayList<>(5);
        actions.add(new Transition(state, VrrpState.MASTER, cause));
        state = VrrpState.MASTER;
        masterDownWhileUnhealthy = false;
        if (!holdsVips) {
            holdsVips = true;
            actions.add(new AddVips(parameters.vips()));
        }
        actions.add(new SendAdvertisement(parameters.priority()));
        actions.add(new SendGratuitousArp(parameters.vips()));
        actions.add(arm(ticker.read() + VrrpTimers.centisToNanos(parameters.advertisementIntervalCentis())));
        return actions;
    }

    private ScheduleTimer arm(long deadline) {
        timerArmed = true;
        deadlineNanos = deadline;
        return new ScheduleTimer(deadline);
    }

    /** RFC 5798 §6.4.3 compares primary addresses as unsigned numbers in network byte order. */
    private static int compareUnsigned(InetAddress a, InetAddress b) {
        byte[] x = a.getAddress();
        byte[] y = b.getAddress();
        for (int i = 0; i < x.length; i++) {
            int c = Integer.compare(x[i] & 0xFF, y[i] & 0xFF);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    @Override
    public String toString() {
        return "VrrpStateMachine{vrid=" + parameters.vrid() + ", state=" + state + ", healthy=" + healthy + '}';
    }
}
