package io.siplb.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

class ListenAddressTest {

    @Test
    void parsesTransportHostAndPort() {
        assertThat(ListenAddress.parse("tcp://10.0.0.1:5070"))
                .isEqualTo(new ListenAddress(Transport.TCP, "10.0.0.1", 5070));
    }

    @Test
    void parsesIpv6InBracketsAndKeepsTheHostWithoutThem() {
        ListenAddress address = ListenAddress.parse("udp://[::1]:5060");

        assertThat(address.host()).isEqualTo("::1");
        assertThat(address.ipv6()).isTrue();
        assertThat(address.toString()).isEqualTo("udp://[::1]:5060");
    }

    @Test
    void portDefaultsPerTransport() {
        assertThat(ListenAddress.parse("udp://10.0.0.1").port()).isEqualTo(5060);
        assertThat(ListenAddress.parse("tls://10.0.0.1").port()).isEqualTo(5061);
    }

    @Test
    void transportAndHostNameAreCaseInsensitive() {
        assertThat(ListenAddress.parse("UDP://SIP.Example.com:5060").toString())
                .isEqualTo("udp://sip.example.com:5060");
    }

    @Test
    void wildcardIsRecognised() {
        assertThat(ListenAddress.parse("udp://0.0.0.0:5060").wildcard()).isTrue();
        assertThat(ListenAddress.parse("udp://[::]:5060").wildcard()).isTrue();
    }

    @Test
    void rejectsMissingScheme() {
        assertThatIllegalArgumentException().isThrownBy(() -> ListenAddress.parse("10.0.0.1:5060"))
                .withMessageStartingWith("'10.0.0.1:5060' (expected: transport://host:port");
    }

    @Test
    void rejectsUnknownTransport() {
        assertThatIllegalArgumentException().isThrownBy(() -> ListenAddress.parse("sctp://10.0.0.1:5060"))
                .withMessage("'sctp://10.0.0.1:5060' has an unknown transport 'sctp' (expected: udp, tcp or tls)");
    }

    @Test
    void rejectsPortOutOfRange() {
        assertThatIllegalArgumentException().isThrownBy(() -> ListenAddress.parse("udp://10.0.0.1:65536"))
                .withMessageStartingWith("'udp://10.0.0.1:65536' (expected:")
                .withMessageEndingWith("port 1 ~ 65535)");
    }

    @Test
    void rejectsAMistypedIpv4Address() {
        assertThatIllegalArgumentException().isThrownBy(() -> ListenAddress.parse("udp://10.0.0.256:5060"));
    }

    @Test
    void rejectsAPath() {
        assertThatIllegalArgumentException().isThrownBy(() -> ListenAddress.parse("udp://10.0.0.1:5060/"));
    }
}
