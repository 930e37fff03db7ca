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
 * siplb's VRRP speaker and keepalived (VRRPv3, the same VRID, 100 ms adverts) on one LAN:
 * the higher priority is master whichever implementation has it, in both arrangements, and
 * a graceful stop of the master hands the VIP to the other implementation.
 */
class KeepalivedInteropLabTest {

    private static final Duration TAKEOVER = Duration.ofSeconds(5);

    @BeforeAll
    static void prerequisites() {
        Prerequisites.requireRoot();
        Prerequisites.requireNetns();
        Prerequisites.requireCommands("ip", "curl", "timeout", "keepalived");
    }

    @Test
    void siplbWithTheHigherPriorityTakesTheVipFromKeepalived() {
        try (HaLab lab = HaLab.up(RunDirectory.create("vrrp-interop-siplb-high"), Map.of("lb1", 11, "lb2", 12))) {
            KeepalivedNode ka = lab.own(KeepalivedNode.start(lab, "lb2", 100));
            assertThat(HaLab.await(TAKEOVER, () -> lab.hasVip("lb2"))).as(ka.log()).isTrue();

            SiplbNode siplb = lab.own(SiplbNode.start(lab, "lb1", "p150", SiplbNode.config(150, true, "10.77.0.21")));
            assertThat(HaLab.await(TAKEOVER, () -> lab.vipHolders("lb1", "lb2").equals(List.of("lb1"))))
                    .as("siplb (150) preempts keepalived (100); siplb:\n%s\nkeepalived:\n%s", siplb.logTail(), ka.log())
                    .isTrue();
            assertThat(HaLab.holds(Duration.ofSeconds(2), () -> lab.vipHolders("lb1", "lb2").equals(List.of("lb1"))))
                    .isTrue();
            assertThat(ka.log()).contains("higher priority 150, ours 100").contains("Entering BACKUP STATE");
            assertThat(siplb.vrrpState()).isEqualTo("MASTER");

            // siplb stops: priority 0; keepalived takes over within its Skew_Time
            assertThat(siplb.stopGracefully()).isZero();
            assertThat(HaLab.await(TAKEOVER, () -> lab.vipHolders("lb1", "lb2").equals(List.of("lb2"))))
                    .as("keepalived takes over after siplb's priority 0:\n%s", ka.log()).isTrue();
            assertThat(siplb.log()).contains("handed over after");
        }
    }

    @Test
    void keepalivedWithTheHigherPriorityTakesTheVipFromSiplb() {
        try (HaLab lab = HaLab.up(RunDirectory.create("vrrp-interop-ka-high"), Map.of("lb1", 11, "lb2", 12))) {
            SiplbNode siplb = lab.own(SiplbNode.start(lab, "lb1", "p100", SiplbNode.config(100, true, "10.77.0.21")));
            assertThat(HaLab.await(TAKEOVER, () -> lab.hasVip("lb1"))).as(siplb.logTail()).isTrue();

            KeepalivedNode ka = lab.own(KeepalivedNode.start(lab, "lb2", 150));
            assertThat(HaLab.await(TAKEOVER, () -> lab.vipHolders("lb1", "lb2").equals(List.of("lb2"))))
                    .as("keepalived (150) preempts siplb (100); siplb:\n%s\nkeepalived:\n%s", siplb.logTail(), ka.log())
                    .isTrue();
            assertThat(HaLab.holds(Duration.ofSeconds(2), () -> lab.vipHolders("lb1", "lb2").equals(List.of("lb2"))))
                    .isTrue();
            assertThat(siplb.vrrpState()).isEqualTo("BACKUP");
            assertThat(siplb.log()).contains("MASTER -> BACKUP (PREEMPTED)");

            // keepalived stops (priority 0): siplb takes over
            ka.stopGracefully();
            assertThat(HaLab.await(TAKEOVER, () -> lab.vipHolders("lb1", "lb2").equals(List.of("lb1"))))
                    .as("siplb takes over after keepalived's priority 0:\n%s", siplb.logTail()).isTrue();
            assertThat(siplb.vrrpState()).isEqualTo("MASTER");
        }
    }
}
