package io.siplb.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

class HostPortTest {

    @Test
    void parsesHostAndPort() {
        assertThat(HostPort.parse("127.0.0.1:8080")).isEqualTo(HostPort.of("127.0.0.1", 8080));
    }

    @Test
    void canonicalisesIpv6SoThatEqualAddressesAreEqual() {
        assertThat(HostPort.parse("[0:0:0:0:0:0:0:1]:5060")).isEqualTo(HostPort.parse("[::1]:5060"));
        assertThat(HostPort.of("[::1]", 5060).toString()).isEqualTo("[::1]:5060");
    }

    @Test
    void portIsOptionalOnlyWhereAllowed() {
        assertThat(HostPort.parseWithOptionalPort("sip.example.com").hasPort()).isFalse();
        assertThatIllegalArgumentException().isThrownBy(() -> HostPort.parse("sip.example.com"))
                .withMessageStartingWith("'sip.example.com' has no port");
    }

    @Test
    void rejectsIpv6WithoutBrackets() {
        assertThatIllegalArgumentException().isThrownBy(() -> HostPort.parse("::1:5060"))
                .withMessage("'::1:5060' (expected: brackets around an IPv6 address, like [::1]:5060)");
    }

    @Test
    void rejectsBracketsAroundIpv4() {
        assertThatIllegalArgumentException().isThrownBy(() -> HostPort.parse("[10.0.0.1]:5060"));
    }

    @Test
    void rejectsHostNamesWithInvalidCharacters() {
        assertThatIllegalArgumentException().isThrownBy(() -> HostPort.parse("sip_proxy:5060"));
    }
}
