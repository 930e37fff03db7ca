package io.siplb.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Cross-record rules, on configurations built in code. */
class ConfigValidatorTest {

    private static final SiplbConfig VALID = SiplbConfig.of(
            List.of(ListenAddress.parse("udp://192.0.2.10:5060")),
            List.of(BackendConfig.of("a", "sip:10.0.0.11"), BackendConfig.of("b", "sip:10.0.0.12")),
            FlowTokenConfig.ofSecret("0123456789abcdef"));

    @Test
    void validConfigurationHasNoProblems() {
        assertThat(ConfigValidator.validate(VALID)).isEmpty();
        assertThat(ConfigValidator.check(VALID)).isSameAs(VALID);
    }

    @Test
    void aTlsListenerWithoutATlsSectionIsRefused() {
        SiplbConfig config = VALID.withListen(List.of(ListenAddress.parse("tls://192.0.2.10:5061")));

        assertThat(ConfigValidator.validate(config)).singleElement().satisfies(p -> {
            assertThat(p.keyPath()).isEqualTo("listen[0]");
            assertThat(p.message()).contains("needs a tls section");
        });
    }

    @Test
    void twoBackendsAtTheSameAddressAreRejected() {
        SiplbConfig config = VALID.withBackends(List.of(
                BackendConfig.of("a", "sip:10.0.0.11"), BackendConfig.of("b", "sip:10.0.0.11:5060")));

        assertThat(ConfigValidator.validate(config)).singleElement().satisfies(p -> {
            assertThat(p.keyPath()).isEqualTo("backends[1].uri");
            assertThat(p.message()).startsWith("'sip:10.0.0.11:5060' is also backend 'a'");
        });
    }

    @Test
    void backendAtOurOwnListenAddressIsALoop() {
        SiplbConfig config = VALID.withBackends(List.of(BackendConfig.of("a", "sip:192.0.2.10")));

        assertThat(ConfigValidator.validate(config)).singleElement()
                .extracting(ConfigProblem::message).asString().contains("this would loop");
    }

    @Test
    void duplicateDomainsAreRejected() {
        SiplbConfig config = VALID.withDomains(List.of("example.com", "EXAMPLE.com"));

        assertThat(ConfigValidator.validate(config)).singleElement()
                .extracting(ConfigProblem::toString)
                .isEqualTo("domains[1]: 'example.com' is listed twice (first at domains[0])");
    }

    @Test
    void adminOnATcpSipAddressIsRejected() {
        SiplbConfig config = VALID
                .withListen(List.of(ListenAddress.parse("tcp://127.0.0.1:8080")))
                .withAdvertise(HostPort.of("192.0.2.10", 5060));

        assertThat(ConfigValidator.validate(config)).extracting(ConfigProblem::keyPath)
                .containsExactly("admin.listen");
    }

    @Test
    void checkThrowsWithEveryProblem() {
        SiplbConfig config = SiplbConfig.of(List.of(), List.of(), FlowTokenConfig.ofSecret("0123456789abcdef"));

        assertThatThrownBy(() -> ConfigValidator.check(config))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("2 configuration problems:\n  listen: no listen address");
    }
}
