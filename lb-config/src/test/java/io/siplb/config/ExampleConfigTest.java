package io.siplb.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The example operators start from must stay loadable. */
class ExampleConfigTest {

    /** SIPLB_REPO_ROOT is set by the parent POM for surefire; else we run in lb-config/. */
    private static Path example() {
        String root = System.getenv("SIPLB_REPO_ROOT");
        Path fromRoot = root == null ? null : Path.of(root, "deploy", "siplb.example.yaml");
        return fromRoot != null && Files.exists(fromRoot) ? fromRoot : Path.of("..", "deploy", "siplb.example.yaml");
    }

    @Test
    void exampleConfigurationLoads() {
        SiplbConfig config = ConfigLoader.load(example());

        assertThat(config.listen()).extracting(ListenAddress::toString)
                .containsExactly("udp://127.0.0.1:5060", "tcp://127.0.0.1:5060");
        assertThat(config.advertise()).isEqualTo(HostPort.of("127.0.0.1", 5060));
        assertThat(config.domains()).containsExactly("example.com");
        assertThat(config.backends()).containsExactly(
                new BackendConfig("a", "127.0.0.1", 5071, Transport.UDP, 1));
        assertThat(config.health()).isEqualTo(HealthConfig.DEFAULTS);
        assertThat(config.flowToken().secret()).hasSize(32);
        assertThat(config.admin()).isEqualTo(AdminConfig.DEFAULTS);
        assertThat(config.limits()).isEqualTo(LimitsConfig.DEFAULTS);
        assertThat(config.routing()).isEqualTo(RoutingConfig.DEFAULTS);
    }
}
