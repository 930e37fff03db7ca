package io.siplb.netty.ha;

import static org.assertj.core.api.Assertions.assertThat;

import io.siplb.netty.e2e.ManagedProcess;
import io.siplb.netty.e2e.Prerequisites;
import io.siplb.netty.e2e.RunDirectory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Health decides mastership, in the runtime: both nodes probe one backend (a SIPp UAS in its
 * own namespace). While it does not answer, no node is healthy and nobody holds the VIP;
 * when it answers, the higher priority takes the VIP; when it stops, the master steps down
 * with priority 0 and, its peer being just as unhealthy, the VIP goes.
 */
class HealthDecidesMastershipLabTest {

    private static final Duration LIMIT = Duration.ofSeconds(10);

    @BeforeAll
    static void prerequisites() {
        Prerequisites.requireRoot();
        Prerequisites.requireNetns();
        Prerequisites.requireCommands("ip", "curl", "timeout", "sipp");
    }

    private static ManagedProcess backend(HaLab lab) {
        Path scenario = lab.dir().resolve("options-uas.xml");
        try (InputStream in = HealthDecidesMastershipLabTest.class.getResourceAsStream("/ha/options-uas.xml")) {
            Files.copy(in, scenario, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return lab.start("proxy1", "uas-proxy1", List.of("sipp", "-sf", scenario.toString(), "-i",
                lab.address("proxy1"), "-p", "5060", "-nostdin", "-timeout", "120", "-bind_local"));
    }

    @Test
    void noBackendUpMeansNoMasterAndABackendUpMakesOne() {
        Map<String, Integer> nodes = Map.of("lb1", 11, "lb2", 12, "proxy1", 21);
        try (HaLab lab = HaLab.up(RunDirectory.create("vrrp-health"), nodes)) {
            SiplbNode lb1 = lab.own(SiplbNode.start(lab, "lb1", "probe", SiplbNode.probingConfig(150, "10.77.0.21")));
            SiplbNode lb2 = lab.own(SiplbNode.start(lab, "lb2", "probe", SiplbNode.probingConfig(100, "10.77.0.21")));

            assertThat(HaLab.holds(Duration.ofSeconds(2), () -> lab.vipHolders("lb1", "lb2").isEmpty()))
                    .as("no backend answers: nobody is master; lb1:\n%s", lb1.logTail()).isTrue();
            assertThat(lb1.health()).contains("unhealthy: no backend up").contains("vrrp BACKUP");

            ManagedProcess uas = backend(lab);
            assertThat(HaLab.await(LIMIT, () -> lab.vipHolders("lb1", "lb2").equals(List.of("lb1"))))
                    .as("the backend answers: lb1 takes the VIP; lb1:\n%s\nuas:\n%s", lb1.logTail(), uas.logTail(2000))
                    .isTrue();
            assertThat(lb1.health()).startsWith("ok").contains("vrrp MASTER");

            uas.stop(Duration.ofSeconds(3));
            assertThat(HaLab.await(LIMIT, () -> lab.vipHolders("lb1", "lb2").isEmpty()))
                    .as("the backend is gone: the master steps down; lb1:\n%s", lb1.logTail()).isTrue();
            assertThat(lb1.log()).contains("unhealthy (no backend up): stepping down with priority 0")
                    .contains("MASTER -> BACKUP (UNHEALTHY)");
            assertThat(lb2.vrrpState()).isEqualTo("BACKUP");
        }
    }
}
