package io.siplb.netty.ha;

import static org.assertj.core.api.Assertions.assertThat;

import io.siplb.netty.e2e.Prerequisites;
import io.siplb.netty.e2e.RunDirectory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two siplb nodes with their built-in VRRP speakers in network namespaces (the ha-lab LAN,
 * see {@link HaLab}): they elect one master, the VIP is on it alone, and preemption works
 * both ways. Each node is its own JVM running {@code siplb run}. As root; when CI=true a
 * missing prerequisite fails, otherwise it skips.
 */
class VrrpPairLabTest {

    private static final Duration TAKEOVER = Duration.ofSeconds(5);

    @BeforeAll
    static void prerequisites() {
        Prerequisites.requireRoot();
        Prerequisites.requireNetns();
        Prerequisites.requireCommands("ip", "curl", "timeout");
    }

    @Test
    void twoNodesElectOneMasterAndTheVipIsOnItAlone() {
        try (HaLab lab = HaLab.up(RunDirectory.create("vrrp-pair-elect"), Map.of("lb1", 11, "lb2", 12))) {
            SiplbNode lb1 = lab.own(SiplbNode.start(lab, "lb1", "p150", SiplbNode.config(150, true, "10.77.0.21")));
            SiplbNode lb2 = lab.own(SiplbNode.start(lab, "lb2", "p100", SiplbNode.config(100, true, "10.77.0.21")));

            assertThat(HaLab.await(TAKEOVER, () -> lab.vipHolders("lb1", "lb2").equals(List.of("lb1"))))
                    .as("VIP on lb1 alone; lb1:\n%s\nlb2:\n%s", lb1.logTail(), lb2.logTail()).isTrue();
            assertThat(HaLab.holds(Duration.ofSeconds(2), () -> lab.vipHolders("lb1", "lb2").equals(List.of("lb1"))))
                    .as("the VIP stays on lb1 alone").isTrue();
            assertThat(lb1.vrrpState()).isEqualTo("MASTER");
            assertThat(lb2.vrrpState()).isEqualTo("BACKUP");
            assertThat(lb1.health()).startsWith("ok").contains("vrrp MASTER vrid 77 priority 150 eth0 vips [10.77.0.50]");
            assertThat(lab.curl("lb1", "http://127.0.0.1:8080/metrics"))
                    .contains("siplb_vrrp_state{state=\"master\",vrid=\"77\"} 1")
                    .contains("siplb_vrrp_holds_vips{vrid=\"77\"} 1");

            // a planned stop of the master: priority 0, the VIP moves, lb1 logs the handover
            assertThat(lb1.stopGracefully()).isZero();
            assertThat(HaLab.await(TAKEOVER, () -> lab.vipHolders("lb1", "lb2").equals(List.of("lb2"))))
                    .as("VIP on lb2 alone after lb1 stopped:\n%s", lb2.logTail()).isTrue();
            assertThat(lb1.log()).contains("MASTER -> INITIALIZE (SHUTDOWN)").contains("handed over after");
            assertThat(lb2.log()).contains("BACKUP -> MASTER (MASTER_DOWN)");
        }
    }

    @Test
    void preemptionWorksBothWays() {
        try (HaLab lab = HaLab.up(RunDirectory.create("vrrp-pair-preempt"), Map.of("lb1", 11, "lb2", 12))) {
            // lb2 alone: master
            SiplbNode lb2 = lab.own(SiplbNode.start(lab, "lb2", "p100", SiplbNode.config(100, true, "10.77.0.21")));
            assertThat(HaLab.await(TAKEOVER, () -> lab.hasVip("lb2"))).as(lb2.logTail()).isTrue();

            // lb1 with the higher priority joins and takes over
            SiplbNode lb1 = lab.own(SiplbNode.start(lab, "lb1", "p150", SiplbNode.config(150, true, "10.77.0.21")));
            assertThat(HaLab.await(TAKEOVER, () -> lab.vipHolders("lb1", "lb2").equals(List.of("lb1"))))
                    .as("lb1 (150) preempts lb2 (100); lb1:\n%s\nlb2:\n%s", lb1.logTail(), lb2.logTail()).isTrue();
            assertThat(lb2.log()).contains("MASTER -> BACKUP (PREEMPTED)");

            // lb2 comes back with 200 and takes over from lb1
            assertThat(lb2.stopGracefully()).isZero();
            SiplbNode lb2high = lab.own(SiplbNode.start(lab, "lb2", "p200", SiplbNode.config(200, true, "10.77.0.21")));
            assertThat(HaLab.await(TAKEOVER, () -> lab.vipHolders("lb1", "lb2").equals(List.of("lb2"))))
                    .as("lb2 (200) preempts lb1 (150); lb1:\n%s\nlb2:\n%s", lb1.logTail(), lb2high.logTail()).isTrue();
            assertThat(HaLab.holds(Duration.ofSeconds(1), () -> lab.vipHolders("lb1", "lb2").equals(List.of("lb2"))))
                    .isTrue();
            assertThat(lb1.vrrpState()).isEqualTo("BACKUP");
            assertThat(lb2high.vrrpState()).isEqualTo("MASTER");
        }
    }

    @Test
    void withoutPreemptionAHigherPriorityBackupWaits() {
        try (HaLab lab = HaLab.up(RunDirectory.create("vrrp-pair-nopreempt"), Map.of("lb1", 11, "lb2", 12))) {
            SiplbNode lb2 = lab.own(SiplbNode.start(lab, "lb2", "p100", SiplbNode.config(100, false, "10.77.0.21")));
            assertThat(HaLab.await(TAKEOVER, () -> lab.hasVip("lb2"))).as(lb2.logTail()).isTrue();

            SiplbNode lb1 = lab.own(SiplbNode.start(lab, "lb1", "p150", SiplbNode.config(150, false, "10.77.0.21")));
            assertThat(HaLab.holds(Duration.ofSeconds(2), () -> lab.vipHolders("lb1", "lb2").equals(List.of("lb2"))))
                    .as("lb1 (150, preempt false) leaves lb2 master; lb1:\n%s", lb1.logTail()).isTrue();
            assertThat(lb1.vrrpState()).isEqualTo("BACKUP");

            // a crash of lb2 (SIGKILL of its JVM): lb1 takes over after Master_Down_Interval
            lb2.kill9();
            assertThat(HaLab.await(TAKEOVER, () -> lab.hasVip("lb1"))).as(lb1.logTail()).isTrue();
        }
    }
}
