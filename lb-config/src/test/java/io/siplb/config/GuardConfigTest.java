package io.siplb.config;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class GuardConfigTest {

    private static final String REQUIRED = """
            listen: [udp://127.0.0.1:5060]
            backends: [{id: a, uri: "sip:10.0.0.11"}]
            flow-token: {secret: "0123456789abcdef"}
            """;

    @Test
    void defaultsWhenLimitsSaysNothingAboutFloods() {
        SiplbConfig config = ConfigLoader.load(REQUIRED, "siplb.yaml");
        assertThat(config.limits().guard()).isEqualTo(GuardConfig.DEFAULTS);
        assertThat(GuardConfig.DEFAULTS.scannerUserAgents()).contains("friendly-scanner", "sipvicious", "vaxsipuseragent");
    }

    @Test
    void readsEveryFloodKeyUnderLimits() {
        SiplbConfig config = ConfigLoader.load(REQUIRED + """
                limits:
                  max-message-bytes: 32768
                  max-connections: 500
                  max-connections-per-source: 8
                  idle-timeout: 2m
                  handshake-timeout: 3s
                  rate: 50
                  burst: 80
                  ban-after: 300
                  ban-duration: 5m
                  tracked-sources: 1024
                  scanner-user-agents: [Friendly-Scanner, evil]
                """, "siplb.yaml");
        GuardConfig g = config.limits().guard();
        assertThat(config.limits().maxMessageBytes()).isEqualTo(32768);
        assertThat(g).isEqualTo(new GuardConfig(500, 8, Duration.ofMinutes(2), Duration.ofSeconds(3), 50, 80, 300,
                Duration.ofMinutes(5), 1024, List.of("friendly-scanner", "evil")));
    }

    @Test
    void anEmptyScannerListTurnsTheCheckOff() {
        SiplbConfig config = ConfigLoader.load(REQUIRED + "limits: {scanner-user-agents: []}\n", "siplb.yaml");
        assertThat(config.limits().guard().scannerUserAgents()).isEmpty();
    }

    @Test
    void reportsABadValueAtItsKey() {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(REQUIRED + """
                limits:
                  max-connections: 10
                  max-connections-per-source: 20
                """, "siplb.yaml"));
        assertThat(e.problems()).hasSize(1);
        assertThat(e.problems().get(0).keyPath()).isEqualTo("limits.max-connections-per-source");
    }
}
