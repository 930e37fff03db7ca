package io.siplb.vrrp;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import com.google.common.collect.ImmutableList;
import java.net.InetAddress;
import java.util.List;

/**
 * What the runtime must do, as returned by {@link VrrpStateMachine}: the machine decides,
 * the speaker only executes, in the order given.
 */
public sealed interface VrrpAction {

    /** The state changed: log one line, update the state gauge. Comes first in its list. */
    record Transition(VrrpState from, VrrpState to, VrrpTransitionCause cause) implements VrrpAction {
        public Transition {
            requireNonNull(from, "from");
            requireNonNull(to, "to");
            requireNonNull(cause, "cause");
        }
    }

    /**
     * Send one advertisement with this priority, built with
     * {@link VrrpPacket#advertisement(VrrpParameters, int)}.
     */
    record SendAdvertisement(int priority) implements VrrpAction {
        public SendAdvertisement {
            checkArgument(priority >= 0 && priority <= 255, "priority: %s (expected: 0 ~ 255)", priority);
        }
    }

    /** Configure the virtual addresses on the interface. */
    record AddVips(List<InetAddress> vips) implements VrrpAction {
        public AddVips {
            vips = ImmutableList.copyOf(vips);
        }
    }

    /** Remove the virtual addresses from the interface. */
    record RemoveVips(List<InetAddress> vips) implements VrrpAction {
        public RemoveVips {
            vips = ImmutableList.copyOf(vips);
        }
    }

    /**
     * Announce the virtual addresses: a gratuitous ARP for each IPv4 address, an unsolicited
     * Neighbor Advertisement for each IPv6 one (RFC 5798 §6.4.2).
     */
    record SendGratuitousArp(List<InetAddress> vips) implements VrrpAction {
        public SendGratuitousArp {
            vips = ImmutableList.copyOf(vips);
        }
    }

    /**
     * (Re)arm the one timer to fire at {@code deadlineNanos} on the machine's ticker, then
     * call {@link VrrpStateMachine#onTimer()}; replaces any timer armed before.
     */
    record ScheduleTimer(long deadlineNanos) implements VrrpAction {
    }

    /** Disarm the timer. */
    record CancelTimer() implements VrrpAction {
    }
}
