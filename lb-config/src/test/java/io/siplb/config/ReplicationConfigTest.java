package io.siplb.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ReplicationConfigTest {

    private static SiplbConfig load(String routing) {
        return ConfigLoader.load("""
                listen: [udp://127.0.0.1:5060]
                backends:
                  - id: a
                    uri: sip:10.0.0.11
                flow-token:
                  secret: "0123456789abcdef"
                """ + routing, "siplb.yaml");
    }

    @Test
    void isOffByDefaultWithAnHourOfHoldDownAndTheStandardMarker() {
        ReplicationConfig r = load("").routing().replication();
        assertThat(r).isEqualTo(ReplicationConfig.DEFAULTS);
        assertThat(r.enabled()).isFalse();
        assertThat(r.marker()).isEqualTo("X-Siplb-Replica");
        assertThat(r.holdDown()).isEqualTo(Duration.ofHours(1));
        assertThat(r.effectiveHoldDown()).as("no hold-down without replicas").isZero();
    }

    @Test
    void readsEveryKey() {
        ReplicationConfig r = load("""
                routing:
                  replication: {enabled: true, marker: X-Copy, hold-down: 5s}
                """).routing().replication();
        assertThat(r).isEqualTo(new ReplicationConfig(true, "X-Copy", Duration.ofSeconds(5)));
        assertThat(r.effectiveHoldDown()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void refusesAMarkerThatIsNoHeaderName() {
        assertThatThrownBy(() -> load("""
                routing:
                  replication: {enabled: true, marker: "X-Copy: 1"}
                """)).isInstanceOf(ConfigException.class).hasMessageContaining("routing.replication.marker");
    }

    @Test
    void refusesANegativeOrMissingUnitHoldDown() {
        assertThatThrownBy(() -> load("""
                routing:
                  replication: {hold-down: 3600}
                """)).isInstanceOf(ConfigException.class).hasMessageContaining("routing.replication.hold-down");
    }
}
