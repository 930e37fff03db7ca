package io.siplb.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Record constructors apply defaults and reject invalid values, saying what was expected. */
class RecordsTest {

    private static final FlowTokenConfig KEY = FlowTokenConfig.ofSecret("0123456789abcdef");

    @Test
    void healthNullDurationsBecomeDefaults() {
        assertThat(new HealthConfig(true, null, null, 2, 2)).isEqualTo(HealthConfig.DEFAULTS);
    }

    @Test
    void healthListsEveryBrokenRule() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new HealthConfig(true, Duration.ofSeconds(1), Duration.ofSeconds(1), 0, 0))
                .withMessage("timeout: 1s (expected: less than interval 1s, so that probes do not overlap); "
                        + "rise: 0 (expected: 1 ~ 100); fall: 0 (expected: 1 ~ 100)");
    }

    @Test
    void limitsRejectLineLongerThanMessage() {
        assertThatIllegalArgumentException().isThrownBy(() -> LimitsConfig.DEFAULTS.withMaxMessageBytes(4096))
                .withMessage("max-line-bytes: 8192 (expected: 256 ~ max-message-bytes 4096)");
    }

    @Test
    void adminRequiresAPort() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new AdminConfig(HostPort.parseWithOptionalPort("127.0.0.1")))
                .withMessageStartingWith("listen: '127.0.0.1' has no port");
    }

    @Test
    void flowTokenNeverShowsTheSecret() {
        FlowTokenConfig token = FlowTokenConfig.ofSecret("s3cr3t-s3cr3t-s3cr3t");

        assertThat(token.toString()).isEqualTo("FlowTokenConfig[20 bytes from secret]").doesNotContain("s3cr3t");
        assertThatIllegalArgumentException().isThrownBy(() -> FlowTokenConfig.ofSecret("s3cr3t"))
                .withMessageStartingWith("secret: 6 bytes (expected: at least 16 bytes")
                .withMessageNotContaining("s3cr3t");
    }

    @Test
    void flowTokenCopiesTheKeyInAndOut() {
        byte[] key = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
        FlowTokenConfig token = new FlowTokenConfig(key, "secret");
        key[0] = 'X';
        token.secret()[1] = 'Y';

        assertThat(token.secret()).isEqualTo("0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
        assertThat(token).isEqualTo(KEY);
    }

    @Test
    void siplbConfigDefaultsAdvertiseToTheFirstListenAddress() {
        SiplbConfig config = SiplbConfig.of(
                List.of(ListenAddress.parse("tcp://192.0.2.10:5070"), ListenAddress.parse("udp://192.0.2.10")),
                List.of(BackendConfig.of("a", "sip:10.0.0.11")), KEY);

        assertThat(config.advertise()).isEqualTo(HostPort.of("192.0.2.10", 5070));
        assertThat(config.health()).isEqualTo(HealthConfig.DEFAULTS);
        assertThat(config.routing()).isEqualTo(RoutingConfig.DEFAULTS);
    }

    @Test
    void siplbConfigLowerCasesDomains() {
        SiplbConfig config = SiplbConfig.of(List.of(), List.of(), KEY).withDomains(List.of("Example.COM"));

        assertThat(config.domains()).containsExactly("example.com");
    }

    @Test
    void siplbConfigRejectsAnInvalidDomain() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> SiplbConfig.of(List.of(), List.of(), KEY).withDomains(List.of("sip:example.com")))
                .withMessage("domains: 'sip:example.com' (expected: a domain name like example.com)");
    }
}
