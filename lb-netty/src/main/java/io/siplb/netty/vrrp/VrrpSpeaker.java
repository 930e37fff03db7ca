package io.siplb.netty.vrrp;

import static java.util.Objects.requireNonNull;

import com.google.common.base.Ticker;
import io.siplb.vrrp.VrrpAction;
import io.siplb.vrrp.VrrpDecodeResult;
import io.siplb.vrrp.VrrpPacket;
import io.siplb.vrrp.VrrpParameters;
import io.siplb.vrrp.VrrpState;
import io.siplb.vrrp.VrrpStateMachine;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The built-in VRRPv3 speaker (RFC 5798; DESIGN.md "High availability"): one small thread of
 * its own, never a Netty event loop, that owns a {@link VrrpStateMachine} and executes what it
 * returns: advertisements on the {@link VrrpLink}, VIPs and gratuitous ARP through
 * {@link VipControl}, its one timer by waiting in {@link VrrpLink#receive} no longer than the
 * deadline.
 *
 * <p><b>Health decides mastership.</b> Every pass of the loop (at least every
 * {@link #HEALTH_PERIOD}) it asks the health source; a reason (non-null) makes the machine
 * unhealthy at once (a master steps down with priority 0), and the node counts as healthy
 * again only after {@link #HEALTH_RISE} without a reason, so a flapping check cannot bounce
 * the VIP. Each health change and each state transition is logged once.
 *
 * <p><b>Stop.</b> {@link #handOver(Duration)} (SIGTERM) sends priority 0 and keeps the VIPs,
 * and the caller keeps forwarding, until the successor's advertisement is heard or the bound
 * passes; {@link #close()} then ends the thread and removes whatever VIP is still held.
 *
 * <p>Gratuitous ARP is sent at takeover and repeated at {@link #GARP_REPEATS} while master,
 * since one lost ARP would leave a client on the old node (keepalived sends 5 + 5 after 5 s).
 */
public final class VrrpSpeaker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(VrrpSpeaker.class);

    /** The longest wait between two health checks. */
    static final Duration HEALTH_PERIOD = Duration.ofMillis(20);
    /** How long health must hold before an unhealthy node competes again. */
    static final Duration HEALTH_RISE = Duration.ofSeconds(1);
    /**
     * After a planned stop, how long the VIPs stay once the successor has been heard: its
     * gratuitous ARP goes out right after its advertisement, and a request that a client sent
     * by the old ARP entry in between still finds the VIP here (ha-lab: 1 request lost in 5
     * graceful runs without it).
     */
    static final Duration HANDOVER_LINGER = Duration.ofMillis(150);
    /** Offsets of the gratuitous ARPs after a takeover (the first two at once). */
    static final List<Duration> GARP_REPEATS = List.of(Duration.ZERO, Duration.ZERO, Duration.ofMillis(500),
            Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5));

    private final VrrpParameters parameters;
    private final String interfaceName;
    private final VrrpLink link;
    private final VipControl vips;
    private final Supplier<String> health;
    private final Ticker ticker;
    private final VrrpStateMachine machine;
    private final Thread thread;
    private final CountDownLatch handedOver = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicLong advertsSent = new AtomicLong();
    private final AtomicLong advertsReceived = new AtomicLong();
    private final AtomicLong packetsDropped = new AtomicLong();

    private volatile VrrpState state = VrrpState.INITIALIZE;
    private volatile boolean holdsVips;
    private volatile String unhealthyReason;
    private volatile boolean shutdownRequested;
    private volatile boolean closing;
    private volatile String lastError;

    // speaker thread only
    private boolean timerArmed;
    private long timerDeadline;
    private final ArrayDeque<Long> garpDue = new ArrayDeque<>();
    private String pendingReason;
    private long healthySince;
    private boolean healthyInMachine = true;
    private String lastDropReason;
    private String lastErrorLogged;
    private Class<?> failingKind;
    private List<java.net.InetAddress> pendingRemoval;
    private long removeAt;

    VrrpSpeaker(VrrpParameters parameters, String interfaceName, VrrpLink link, VipControl vips,
                Supplier<String> health, Ticker ticker) {
        this.parameters = requireNonNull(parameters, "parameters");
        this.interfaceName = requireNonNull(interfaceName, "interfaceName");
        this.link = requireNonNull(link, "link");
        this.vips = requireNonNull(vips, "vips");
        this.health = requireNonNull(health, "health");
        this.ticker = requireNonNull(ticker, "ticker");
        this.machine = new VrrpStateMachine(parameters, ticker);
        this.thread = new Thread(this::run, "siplb-vrrp-" + parameters.vrid());
        this.thread.setDaemon(true);
    }

    /**
     * A speaker on a real interface: checks capabilities, opens the raw socket, the netlink and
     * packet sockets, and removes VIPs a crashed predecessor left configured.
     *
     * @param health the reason the node should not be master, or {@code null} when healthy;
     *               called on the speaker thread, must be quick and non-blocking
     * @throws VrrpException with "VRRP needs CAP_NET_RAW and CAP_NET_ADMIN: …" when a
     *                       capability is missing, or what else went wrong
     */
    public static VrrpSpeaker open(VrrpParameters parameters, NetworkInterfaceInfo nif, Supplier<String> health) {
        Capabilities.check();
        VrrpSocket socket = VrrpSocket.open(nif);
        VipManager manager;
        try {
            manager = VipManager.open(nif);
        } catch (RuntimeException e) {
            socket.close();
            throw e;
        }
        try {
            int stale = manager.removeStale(parameters.vips());
            if (stale > 0) {
                log.info("VRRP vrid {}: removed {} VIP(s) left on {} by an earlier run", parameters.vrid(), stale,
                        nif.name());
            }
        } catch (RuntimeException e) {
            socket.close();
            manager.close();
            throw e;
        }
        return new VrrpSpeaker(parameters, nif.name(), socket, manager, health, Ticker.systemTicker());
    }

    /** Starts the speaker thread: the machine's startup event, then the loop. */
    public void start() {
        thread.start();
    }

    public VrrpParameters parameters() {
        return parameters;
    }

    /** The current state, as last set by the speaker thread. */
    public VrrpState state() {
        return state;
    }

    /** Whether this node has the VIPs configured (master, or handing over after a stop). */
    public boolean holdsVips() {
        return holdsVips;
    }

    /** Why the node is not competing for mastership, or {@code null} when healthy. */
    public String unhealthyReason() {
        return unhealthyReason;
    }

    /** The last error of an action (sending, adding a VIP), or {@code null}. */
    public String lastError() {
        return lastError;
    }

    public long advertisementsSent() {
        return advertsSent.get();
    }

    public long advertisementsReceived() {
        return advertsReceived.get();
    }

    public long packetsDropped() {
        return packetsDropped.get();
    }

    /** One line for /health and logs: {@code vrrp MASTER vrid 77 priority 150 eth0 vips [...]}. */
    public String describe() {
        String reason = unhealthyReason;
        return "vrrp " + state + " vrid " + parameters.vrid() + " priority " + parameters.priority()
                + " " + interfaceName + " vips " + vipList() + (holdsVips ? " (held)" : "")
                + (reason == null ? "" : " unhealthy: " + reason);
    }

    private String vipList() {
        StringBuilder b = new StringBuilder("[");
        for (var a : parameters.vips()) {
            if (b.length() > 1) {
                b.append(", ");
            }
            b.append(a.getHostAddress());
        }
        return b.append(']').toString();
    }

    /**
     * The planned stop (SIGTERM): priority 0 now, VIPs kept (the caller keeps forwarding)
     * until the successor's advertisement arrives or {@code bound} passes. Returns whether
     * the VIPs were released within the bound. Call {@link #close()} afterwards.
     */
    public boolean handOver(Duration bound) {
        shutdownRequested = true;
        link.wakeUp();
        try {
            handedOver.await(bound.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !holdsVips;
    }

    /** The longest {@link #handOver} worth waiting: the machine's own handover timeout, plus margin. */
    public Duration handoverBound() {
        return Duration.ofNanos(machine.handoverTimeoutNanos()).plusMillis(500);
    }

    /** Stops the thread (bounded: 2 s) and removes the VIPs if still held. Idempotent. */
    @Override
    public void close() {
        closing = true;
        link.wakeUp();
        if (thread.isAlive()) {
            try {
                stopped.await(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (!thread.isAlive() || stopped.getCount() == 0) {
            link.close();
            vips.close();
        }
    }

    private void run() {
        try {
            initialHealth();
            execute(machine.startup());
            loop();
        } catch (RuntimeException | Error e) {
            log.error("VRRP vrid {}: speaker failed: {}", parameters.vrid(), e.toString(), e);
            lastError = e.toString();
        } finally {
            if (holdsVips || pendingRemoval != null) {
                try {
                    vips.remove(parameters.vips());
                    log.info("VRRP vrid {}: removed VIPs {} on stop", parameters.vrid(), vipList());
                } catch (RuntimeException e) {
                    log.warn("VRRP vrid {}: cannot remove VIPs on stop: {}", parameters.vrid(), e.getMessage());
                }
                holdsVips = false;
            }
            state = VrrpState.INITIALIZE;
            handedOver.countDown();
            stopped.countDown();
        }
    }

    private void loop() {
        boolean shutdownDone = false;
        while (!closing) {
            long now = ticker.read();
            checkHealth(now);
            if (shutdownRequested && !shutdownDone) {
                shutdownDone = true;
                log.info("VRRP vrid {}: stopping: priority 0, keeping the VIPs until the successor is heard",
                        parameters.vrid());
                execute(machine.shutdown());
            }
            if (pendingRemoval != null && now - removeAt >= 0) {
                List<java.net.InetAddress> vipsToRemove = pendingRemoval;
                pendingRemoval = null;
                try {
                    vips.remove(vipsToRemove);
                } catch (VrrpException e) {
                    failed(VrrpAction.RemoveVips.class, e);
                }
                holdsVips = machine.holdsVips();
            }
            if (shutdownDone && !machine.holdsVips() && pendingRemoval == null) {
                handedOver.countDown();
            }
            if (timerArmed && now - timerDeadline >= 0) {
                timerArmed = false;
                execute(machine.onTimer());
            }
            sendDueGarps(now);
            long wait = HEALTH_PERIOD.toNanos();
            if (timerArmed) {
                wait = Math.min(wait, timerDeadline - now);
            }
            if (!garpDue.isEmpty()) {
                wait = Math.min(wait, garpDue.peekFirst() - now);
            }
            if (pendingRemoval != null) {
                wait = Math.min(wait, removeAt - now);
            }
            ReceivedPacket packet = link.receive(Math.max(0, wait));
            if (packet != null) {
                onPacket(packet);
            }
        }
    }

    private void initialHealth() {
        String reason = safeHealth();
        long now = ticker.read();
        if (reason != null) {
            unhealthyReason = reason;
            pendingReason = reason;
            healthyInMachine = false;
            log.warn("VRRP vrid {}: unhealthy at start ({}): not competing for master", parameters.vrid(), reason);
            execute(machine.setHealthy(false));
        }
        healthySince = now;
    }

    private void checkHealth(long now) {
        String reason = safeHealth();
        if (reason != null) {
            healthySince = now;
            if (healthyInMachine || !reason.equals(pendingReason)) {
                if (healthyInMachine) {
                    log.warn("VRRP vrid {}: unhealthy ({}): {}", parameters.vrid(), reason,
                            machine.state() == VrrpState.MASTER ? "stepping down with priority 0"
                                    : "not competing for master");
                }
                pendingReason = reason;
                unhealthyReason = reason;
                healthyInMachine = false;
                execute(machine.setHealthy(false));
            }
        } else if (!healthyInMachine && now - healthySince >= HEALTH_RISE.toNanos()) {
            log.info("VRRP vrid {}: healthy again (was: {})", parameters.vrid(), pendingReason);
            healthyInMachine = true;
            pendingReason = null;
            unhealthyReason = null;
            execute(machine.setHealthy(true));
        }
    }

    private String safeHealth() {
        try {
            return health.get();
        } catch (RuntimeException e) {
            return "health check failed: " + e;
        }
    }

    private void onPacket(ReceivedPacket packet) {
        if (!packet.usable()) {
            drop(packet.problem());
            return;
        }
        if (!VrrpPacket.IPV4_GROUP.equals(packet.destination())) {
            drop("destination " + packet.destination().getHostAddress() + " (expected: 224.0.0.18)");
            return;
        }
        VrrpDecodeResult result = VrrpPacket.decode(packet.payload(), packet.source());
        if (!result.isSuccess()) {
            drop(result.error() + " from " + packet.source().getHostAddress());
            return;
        }
        VrrpPacket advert = result.packet();
        if (advert.vrid() != parameters.vrid()) {
            return; // another virtual router on the LAN: not ours, not an error
        }
        advertsReceived.incrementAndGet();
        if (!advert.addresses().equals(parameters.vips())) {
            // RFC 5798 §6.4.2/§6.4.3 MAY log a misconfiguration; keepalived goes on too
            dropOnce("VRID " + advert.vrid() + " from " + packet.source().getHostAddress() + " lists "
                    + advert.addresses() + ", we have " + parameters.vips() + " (misconfiguration?)");
        }
        execute(machine.onAdvertisement(advert, packet.source()));
    }

    /**
     * An action failed (e.g. an advertisement that a firewall drops: EPERM at every interval).
     * Logged when the error differs from the last one logged, never once per packet; the next
     * success of the same kind of action logs that it works again.
     */
    private void failed(Class<?> kind, VrrpException e) {
        lastError = e.getMessage();
        if (!e.getMessage().equals(lastErrorLogged)) {
            lastErrorLogged = e.getMessage();
            failingKind = kind;
            log.error("VRRP vrid {}: {} (logged once until it changes)", parameters.vrid(), e.getMessage());
        }
    }

    /** An action of {@code kind} succeeded: if that kind was failing, say so once. */
    private void succeeded(Class<?> kind) {
        if (failingKind == kind) {
            log.info("VRRP vrid {}: working again after: {}", parameters.vrid(), lastErrorLogged);
            failingKind = null;
            lastErrorLogged = null;
            lastError = null;
        }
    }

    private void drop(String why) {
        packetsDropped.incrementAndGet();
        dropOnce(why);
    }

    /** Logs a drop reason when it differs from the last one: no log line per packet. */
    private void dropOnce(String why) {
        if (!why.equals(lastDropReason)) {
            lastDropReason = why;
            log.warn("VRRP vrid {}: ignoring advertisement: {}", parameters.vrid(), why);
        }
    }

    private void execute(List<VrrpAction> actions) {
        VrrpAction.Transition transition = null;
        for (VrrpAction action : actions) {
            try {
                if (action instanceof VrrpAction.Transition t) {
                    transition = t;
                }
                executeOne(action);
            } catch (VrrpException e) {
                failed(action.getClass(), e);
            }
        }
        holdsVips = machine.holdsVips() || pendingRemoval != null;
        state = machine.state();
        if (transition != null) {
            // logged after the batch: the VIPs, the advertisement and the gratuitous ARP of a
            // takeover do not wait for a log write (stderr may be a slow pipe on a busy host)
            log.info("VRRP vrid {} on {}: {} -> {} ({}), priority {}{}", parameters.vrid(), interfaceName,
                    transition.from(), transition.to(), transition.cause(), parameters.priority(),
                    unhealthyReason == null ? "" : ", unhealthy: " + unhealthyReason);
        }
    }

    private void executeOne(VrrpAction action) {
        if (action instanceof VrrpAction.Transition t) {
            if (t.to() != VrrpState.MASTER) {
                garpDue.clear();
            }
            state = t.to();
        } else if (action instanceof VrrpAction.SendAdvertisement a) {
            link.send(VrrpPacket.advertisement(parameters, a.priority()).encode(parameters.primaryAddress()));
            advertsSent.incrementAndGet();
            succeeded(VrrpAction.SendAdvertisement.class);
        } else if (action instanceof VrrpAction.AddVips a) {
            vips.add(a.vips());
            holdsVips = true;
        } else if (action instanceof VrrpAction.RemoveVips a) {
            if (shutdownRequested && machine.state() == VrrpState.INITIALIZE) {
                // the handover: the successor is heard; let its GARP reach the clients first
                pendingRemoval = a.vips();
                removeAt = ticker.read() + HANDOVER_LINGER.toNanos();
                return;
            }
            holdsVips = false;
            vips.remove(a.vips());
        } else if (action instanceof VrrpAction.SendGratuitousArp a) {
            long now = ticker.read();
            garpDue.clear();
            for (Duration d : GARP_REPEATS) {
                garpDue.addLast(now + d.toNanos());
            }
            sendDueGarps(now);
        } else if (action instanceof VrrpAction.ScheduleTimer s) {
            timerArmed = true;
            timerDeadline = s.deadlineNanos();
        } else if (action instanceof VrrpAction.CancelTimer) {
            timerArmed = false;
        }
    }

    private void sendDueGarps(long now) {
        while (!garpDue.isEmpty() && now - garpDue.peekFirst() >= 0) {
            garpDue.pollFirst();
            if (!machine.holdsVips()) {
                garpDue.clear();
                return;
            }
            try {
                vips.announce(parameters.vips());
            } catch (VrrpException e) {
                failed(VrrpAction.SendGratuitousArp.class, e);
                garpDue.clear();
            }
        }
    }

    @Override
    public String toString() {
        return describe();
    }
}
