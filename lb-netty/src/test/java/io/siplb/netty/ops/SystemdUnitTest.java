package io.siplb.netty.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * {@code deploy/systemd/siplb.service}: hardened, with exactly the capabilities siplb needs, and
 * accepted by {@code systemd-analyze verify} where systemd is installed (skipped without it, in CI
 * too: a container without systemd is a normal place to build).
 */
class SystemdUnitTest {

    private static final Path UNIT = Tools.repoRoot().resolve("deploy/systemd/siplb.service");

    @Test
    void unitIsHardenedWithOnlyTheNetworkCapabilities() throws Exception {
        String unit = Files.readString(UNIT);

        assertThat(unit).contains("NoNewPrivileges=yes", "ProtectSystem=strict", "PrivateTmp=yes", "ProtectHome=yes",
                "CapabilityBoundingSet=CAP_NET_BIND_SERVICE CAP_NET_RAW CAP_NET_ADMIN",
                "AmbientCapabilities=CAP_NET_BIND_SERVICE CAP_NET_RAW CAP_NET_ADMIN",
                "User=siplb", "KillSignal=SIGTERM", "ExecReload=/bin/kill -HUP $MAINPID");
        // the stop timeout outlasts the longest shutdown.grace (60s)
        assertThat(unit).contains("TimeoutStopSec=75");
    }

    @Test
    void systemdAnalyzeVerifiesTheUnit() throws Exception {
        Path analyze = Tools.which("systemd-analyze");
        Assumptions.assumeTrue(analyze != null, "systemd-analyze not installed");

        Tools.Result r = Tools.run(Duration.ofSeconds(60), null, List.of(analyze.toString(), "verify", UNIT.toString()));

        // verify complains about the unit's own lines only; a missing /opt/siplb is not its business
        assertThat(r.output().lines().filter(l -> l.contains("siplb.service:")).toList()).as(r.output()).isEmpty();
        assertThat(r.exit()).as(r.output()).isZero();
    }
}
