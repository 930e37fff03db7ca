package io.siplb.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

class BackendConfigTest {

    @Test
    void uriDefaultsToPort5060AndUdp() {
        assertThat(BackendConfig.of("a", "sip:10.0.0.11"))
                .isEqualTo(new BackendConfig("a", "10.0.0.11", 5060, Transport.UDP, 1));
    }

    @Test
    void uriCarriesPortAndTransport() {
        BackendConfig backend = BackendConfig.of("a", "sip:proxy.example.com:5070;Transport=TCP");

        assertThat(backend.port()).isEqualTo(5070);
        assertThat(backend.transport()).isEqualTo(Transport.TCP);
        assertThat(backend.uri()).isEqualTo("sip:proxy.example.com:5070;transport=tcp");
    }

    @Test
    void tlsDefaultsToPort5061() {
        assertThat(BackendConfig.of("a", "sip:10.0.0.11;transport=tls").port()).isEqualTo(5061);
    }

    @Test
    void ipv6UriKeepsBracketsInItsCanonicalForm() {
        BackendConfig backend = BackendConfig.of("a", "sip:[2001:db8::11]:5071");

        assertThat(backend.host()).isEqualTo("2001:db8::11");
        assertThat(backend.uri()).isEqualTo("sip:[2001:db8::11]:5071");
    }

    @Test
    void rejectsOtherSchemes() {
        assertThatIllegalArgumentException().isThrownBy(() -> BackendConfig.of("a", "sips:10.0.0.11"))
                .withMessage("'sips:10.0.0.11' (expected: sip:host[:port][;transport=udp|tcp|tls])");
    }

    @Test
    void rejectsParametersOtherThanTransport() {
        assertThatIllegalArgumentException().isThrownBy(() -> BackendConfig.of("a", "sip:10.0.0.11;lr"))
                .withMessageStartingWith("'sip:10.0.0.11;lr' has an unsupported parameter 'lr'");
    }

    @Test
    void rejectsIdWithSpacesAndZeroWeightTogether() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new BackendConfig("a b", "10.0.0.11", 5060, Transport.UDP, 0))
                .withMessageContaining("id: 'a b' (expected:")
                .withMessageContaining("; weight: 0 (expected: 1 ~ 1000)");
    }

    @Test
    void withWeightCopies() {
        BackendConfig backend = BackendConfig.of("a", "sip:10.0.0.11");

        assertThat(backend.withWeight(5).weight()).isEqualTo(5);
        assertThat(backend.weight()).isEqualTo(1);
    }
}
