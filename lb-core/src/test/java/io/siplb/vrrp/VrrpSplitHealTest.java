package io.siplb.vrrp;

import static io.siplb.vrrp.VrrpPacketTest.ip;
import static org.assertj.core.api.Assertions.assertThat;

import io.siplb.vrrp.VrrpAction.SendAdvertisement;
import io.siplb.vrrp.VrrpAction.SendGratuitousArp;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Two machines on a simulated LAN, split and healed: whichever node speaks first after the
 * heal, the winner ends up master and is the last to send a gratuitous ARP, so no client's
 * ARP entry is left pointing at the loser (the ha-lab's black hole).
 */
class VrrpSplitHealTest {

    private static final List<InetAddress> VIPS = List.of(ip("10.77.0.50"));

    private final ManualTicker ticker = new ManualTicker();
    private final Node lb1 = new Node(ip("10.77.0.11"), 150);
    private final Node lb2 = new Node(ip("10.77.0.12"), 100);
    private final List<Node> garps = new ArrayList<>();
    private boolean linkUp = true;

    @Test
    void winnerReannouncesWhenTheLoserHearsItFirst() {
        splitBrain();

        linkUp = true;
        lb1.timer(); // lb1's periodic advert reaches lb2 first: lb2 steps down

        assertHealed();
    }

    @Test
    void winnerReannouncesWhenItHearsTheLoserFirst() {
        splitBrain();

        linkUp = true;
        lb2.timer(); // lb2's periodic advert reaches lb1 first: lb1 answers at once

        assertHealed();
    }

    /** lb1 master, then the link breaks and lb2 takes over too, with its GARP last. */
    private void splitBrain() {
        lb1.run(lb1.machine.startup());
        lb2.run(lb2.machine.startup());
        ticker.advance(Duration.ofMillis(400));
        lb1.timer();
        lb2.timer();
        assertThat(lb1.machine.state()).isEqualTo(VrrpState.MASTER);
        assertThat(lb2.machine.state()).isEqualTo(VrrpState.BACKUP);

        linkUp = false;
        ticker.advance(Duration.ofMillis(400));
        lb2.timer();
        assertThat(lb2.machine.state()).isEqualTo(VrrpState.MASTER);
        assertThat(garps).last().isSameAs(lb2);
        ticker.advance(Duration.ofMillis(100));
    }

    private void assertHealed() {
        assertThat(lb1.machine.state()).isEqualTo(VrrpState.MASTER);
        assertThat(lb2.machine.state()).isEqualTo(VrrpState.BACKUP);
        assertThat(lb2.machine.holdsVips()).isFalse();
        assertThat(garps).last().isSameAs(lb1);
    }

    private Node other(Node n) {
        return n == lb1 ? lb2 : lb1;
    }

    private final class Node {
        final InetAddress address;
        final VrrpStateMachine machine;

        Node(InetAddress address, int priority) {
            this.address = address;
            this.machine = new VrrpStateMachine(new VrrpParameters(77, priority, 10, true, address, VIPS), ticker);
        }

        void timer() {
            run(machine.onTimer());
        }

        /** Executes the actions; adverts are delivered to the peer at once while the link is up. */
        void run(List<VrrpAction> actions) {
            ArrayDeque<VrrpAction> queue = new ArrayDeque<>(actions);
            while (!queue.isEmpty()) {
                VrrpAction action = queue.poll();
                if (action instanceof SendGratuitousArp) {
                    garps.add(this);
                } else if (action instanceof SendAdvertisement advert && linkUp) {
                    Node peer = other(this);
                    peer.run(peer.machine.onAdvertisement(advert.priority(), 10, address));
                }
            }
        }
    }
}
