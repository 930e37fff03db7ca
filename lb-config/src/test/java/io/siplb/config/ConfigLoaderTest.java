package io.siplb.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a valid configuration turns into. Errors are in {@link ConfigLoaderErrorsTest}. */
class ConfigLoaderTest {

    @Test
    void minimalConfigGetsDefaults() {
        SiplbConfig config = ConfigLoader.load("""
                listen: [udp://127.0.0.1:5060]
                backends:
                  - id: a
                    uri: sip:10.0.0.11
                flow-token:
                  secret: "0123456789abcdef"
                """, "siplb.yaml");

        assertThat(config.listen()).containsExactly(new ListenAddress(Transport.UDP, "127.0.0.1", 5060));
        assertThat(config.advertise()).isEqualTo(HostPort.of("127.0.0.1", 5060));
        assertThat(config.domains()).isEmpty();
        assertThat(config.aliases()).isEmpty();
        assertThat(config.backends()).containsExactly(
                new BackendConfig("a", "10.0.0.11", 5060, Transport.UDP, 1));
        assertThat(config.health()).isEqualTo(HealthConfig.DEFAULTS);
        assertThat(config.health().enabled()).isTrue();
        assertThat(config.health().interval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(config.health().timeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(config.admin().listen()).isEqualTo(HostPort.of("127.0.0.1", 8080));
        assertThat(config.limits()).isEqualTo(new LimitsConfig(65535, 256, 8192));
        assertThat(config.routing()).isEqualTo(new RoutingConfig(false, false, true));
        assertThat(config.flowToken().secret())
                .isEqualTo("0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void fullConfigIsRead() {
        SiplbConfig config = ConfigLoader.load("""
                listen: [udp://0.0.0.0:5060, tcp://0.0.0.0:5060]
                advertise: 192.0.2.10:5060
                domains: [Example.COM, example.net]
                aliases: [sip.example.com, "192.0.2.10:5060"]
                backends:
                  - id: a
                    uri: sip:10.0.0.11:5070;transport=tcp
                    weight: 3
                  - id: b
                    uri: SIP:proxy-b.example.com
                health:
                  enabled: false
                  interval: 2m
                  timeout: 1500ms
                  rise: 3
                  fall: 5
                flow-token:
                  secret: "0123456789abcdef0123456789abcdef"
                admin:
                  listen: "[::1]:9090"
                limits:
                  max-message-bytes: 32768
                  max-headers: 100
                  max-line-bytes: 4096
                routing:
                  force-rport: true
                  outbound-from-backends: true
                  record-route: false
                """, "siplb.yaml");

        assertThat(config.listen()).extracting(ListenAddress::toString)
                .containsExactly("udp://0.0.0.0:5060", "tcp://0.0.0.0:5060");
        assertThat(config.advertise()).isEqualTo(HostPort.of("192.0.2.10", 5060));
        assertThat(config.domains()).containsExactly("example.com", "example.net");
        assertThat(config.aliases()).containsExactly(
                HostPort.of("sip.example.com", HostPort.NO_PORT), HostPort.of("192.0.2.10", 5060));
        assertThat(config.backends()).containsExactly(
                new BackendConfig("a", "10.0.0.11", 5070, Transport.TCP, 3),
                new BackendConfig("b", "proxy-b.example.com", 5060, Transport.UDP, 1));
        assertThat(config.health()).isEqualTo(
                new HealthConfig(false, Duration.ofMinutes(2), Duration.ofMillis(1500), 3, 5));
        assertThat(config.flowToken().secret()).hasSize(32);
        assertThat(config.admin().listen()).isEqualTo(HostPort.of("::1", 9090));
        assertThat(config.limits()).isEqualTo(new LimitsConfig(32768, 100, 4096));
        assertThat(config.routing()).isEqualTo(new RoutingConfig(true, true, false));
    }

    @Test
    void healthPolicyKeysAreRead() {
        SiplbConfig config = ConfigLoader.load("""
                listen: [udp://127.0.0.1:5060]
                backends: [{id: a, uri: "sip:10.0.0.11"}]
                flow-token: {secret: "0123456789abcdef"}
                health:
                  jitter: 0.2
                  alive-codes: 200-299, 404
                  panic-threshold: 0.25
                  max-passive-eject-share: 0.5
                  max-retry-after: 30s
                  slow-start: 10s
                """, "siplb.yaml");

        assertThat(config.health()).isEqualTo(new HealthConfig(true, Duration.ofSeconds(1), Duration.ofMillis(500),
                0.2, 2, 2, "200-299,404", 0.25, 0.5, Duration.ofSeconds(30), Duration.ofSeconds(10)));
    }

    @Test
    void healthPolicyDefaultsAreThoseOfTheCore() {
        HealthConfig h = HealthConfig.DEFAULTS;

        assertThat(h.jitter()).isEqualTo(0.1);
        assertThat(h.aliveCodes()).isEqualTo("200-699");
        assertThat(h.panicThreshold()).isEqualTo(0.5);
        assertThat(h.maxPassiveEjectShare()).isEqualTo(1.0 / 3);
        assertThat(h.maxRetryAfter()).isEqualTo(Duration.ofSeconds(60));
        assertThat(h.slowStart()).isEqualTo(Duration.ZERO);
    }

    @Test
    void aSingleAliveCodeMayBeWrittenAsANumber() {
        SiplbConfig config = ConfigLoader.load("""
                listen: [udp://127.0.0.1:5060]
                backends: [{id: a, uri: "sip:10.0.0.11"}]
                flow-token: {secret: "0123456789abcdef"}
                health: {alive-codes: 200}
                """, "siplb.yaml");

        assertThat(config.health().aliveCodes()).isEqualTo("200");
    }

    @Test
    void ipv6ListenAddressIsReadWithoutBrackets() {
        SiplbConfig config = ConfigLoader.load("""
                listen:
                  - udp://[::1]:5060
                  - "tcp://[2001:DB8:0:0::1]:5070"
                backends: [{id: a, uri: "sip:[::1]:5071"}]
                flow-token: {secret: "0123456789abcdef"}
                """, "siplb.yaml");

        assertThat(config.listen()).containsExactly(
                new ListenAddress(Transport.UDP, "::1", 5060),
                new ListenAddress(Transport.TCP, "2001:db8::1", 5070));
        assertThat(config.listen().get(0).ipv6()).isTrue();
        assertThat(config.advertise().toString()).isEqualTo("[::1]:5060");
        assertThat(config.backends().get(0).host()).isEqualTo("::1");
    }

    @Test
    void singleValueIsAcceptedWhereAListIsExpected() {
        SiplbConfig config = ConfigLoader.load("""
                listen: udp://127.0.0.1:5060
                domains: example.com
                backends: [{id: a, uri: "sip:10.0.0.11"}]
                flow-token: {secret: "0123456789abcdef"}
                """, "siplb.yaml");

        assertThat(config.listen()).hasSize(1);
        assertThat(config.domains()).containsExactly("example.com");
    }

    @Test
    void emptySectionMeansDefaults() {
        SiplbConfig config = ConfigLoader.load("""
                listen: [udp://127.0.0.1:5060]
                backends: [{id: a, uri: "sip:10.0.0.11"}]
                flow-token: {secret: "0123456789abcdef"}
                health:
                routing: {}
                """, "siplb.yaml");

        assertThat(config.health()).isEqualTo(HealthConfig.DEFAULTS);
        assertThat(config.routing()).isEqualTo(RoutingConfig.DEFAULTS);
    }

    @Test
    void secretFileIsReadRelativeToTheConfigurationDirectory(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("flow.key"), "00112233445566778899aabbccddeeff\n");
        Path file = dir.resolve("siplb.yaml");
        Files.writeString(file, """
                listen: [udp://127.0.0.1:5060]
                backends: [{id: a, uri: "sip:10.0.0.11"}]
                flow-token:
                  secret-file: flow.key
                """);

        SiplbConfig config = ConfigLoader.load(file);

        assertThat(config.flowToken().secret())
                .isEqualTo("00112233445566778899aabbccddeeff".getBytes(StandardCharsets.US_ASCII));
        assertThat(config.flowToken().source()).isEqualTo("secret-file " + dir.resolve("flow.key"));
    }

    @Test
    void anchorsAndAliasesAreResolved() {
        SiplbConfig config = ConfigLoader.load("""
                listen: [udp://127.0.0.1:5060]
                backends:
                  - &proxy {id: a, uri: "sip:10.0.0.11"}
                flow-token: {secret: "0123456789abcdef"}
                """, "siplb.yaml");

        assertThat(config.backends()).extracting(BackendConfig::id).containsExactly("a");
    }

    @Test
    void loadedConfigurationPassesTheValidator() {
        SiplbConfig config = ConfigLoader.load("""
                listen: [udp://127.0.0.1:5060]
                backends: [{id: a, uri: "sip:10.0.0.11"}, {id: b, uri: "sip:10.0.0.12"}]
                flow-token: {secret: "0123456789abcdef"}
                """, "siplb.yaml");

        assertThat(ConfigValidator.validate(config)).isEqualTo(List.of());
    }
}
