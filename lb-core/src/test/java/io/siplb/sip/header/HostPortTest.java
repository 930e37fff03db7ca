package io.siplb.sip.header;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HostPortTest {

    private static HostPort hostPort(String text) {
        return Wire.parse(HostPort::parse, text);
    }

    @Test
    void readsHostAndPort() {
        assertThat(hostPort("proxy.example.com:5061")).isEqualTo(new HostPort("proxy.example.com", 5061));
    }

    @Test
    void portIsMinusOneWhenAbsent() {
        assertThat(hostPort("192.0.2.1")).isEqualTo(new HostPort("192.0.2.1", -1));
    }

    @Test
    void keepsTheBracketsOfAnIpv6Reference() {
        HostPort hp = hostPort("[2001:db8::10:5070]");

        assertThat(hp.host()).isEqualTo("[2001:db8::10:5070]");
        assertThat(hp.port()).isEqualTo(-1);
        assertThat(hp.ipv6()).isTrue();
    }

    @Test
    void portOrFallsBackToTheDefault() {
        assertThat(new HostPort("h", -1).portOr(5060)).isEqualTo(5060);
        assertThat(new HostPort("h", 5070).portOr(5060)).isEqualTo(5070);
    }

    @Test
    void hostEqualsIgnoresCase() {
        assertThat(new HostPort("Proxy.Example.COM", -1).hostEquals("proxy.example.com")).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ":5060", "h:", "h:65536", "h:x", "2001:db8::1", "h :5060", "h;lr"})
    void rejectsMalformedValues(String text) {
        assertThat(hostPort(text)).isNull();
    }

    @Test
    void constructorSaysWhatItExpected() {
        assertThatThrownBy(() -> new HostPort("h", 70000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("port: 70000 (expected: -1 or 0 ~ 65535)");
    }
}
