package io.siplb.hash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import org.junit.jupiter.api.Test;

class BackendTest {

    @Test
    void ofUsesHostAndPortAsIdUdpAndWeightOne() {
        assertThat(Backend.of("10.0.0.5", 5060)).isEqualTo(new Backend("10.0.0.5:5060", "10.0.0.5", 5060, "UDP", 1));
    }

    @Test
    void ofBracketsAnIpv6HostInTheId() {
        assertThat(Backend.of("2001:db8::5", 5060).id()).isEqualTo("[2001:db8::5]:5060");
    }

    @Test
    void withCopiesChangeOneComponent() {
        Backend b = Backend.of("10.0.0.5", 5060).withWeight(2).withTransport("tls").withId("proxy-5");

        assertThat(b).isEqualTo(new Backend("proxy-5", "10.0.0.5", 5060, "TLS", 2));
    }

    @Test
    void transportIsStoredUpperCase() {
        assertThat(new Backend("p", "h", 5060, "tcp", 1).transport()).isEqualTo("TCP");
    }

    @Test
    void rejectsWeightBelowOneSayingWhatIsExpected() {
        assertThatIllegalArgumentException().isThrownBy(() -> Backend.of("h", 5060).withWeight(0))
                .withMessage("weight: 0 (expected: >= 1)");
    }

    @Test
    void rejectsPortOutOfRange() {
        assertThatIllegalArgumentException().isThrownBy(() -> Backend.of("h", 65536))
                .withMessage("port: 65536 (expected: 1 ~ 65535)");
    }

    @Test
    void rejectsUnknownTransport() {
        assertThatIllegalArgumentException().isThrownBy(() -> Backend.of("h", 5060).withTransport("SCTP"))
                .withMessage("transport: 'SCTP' (expected: UDP, TCP or TLS)");
    }

    @Test
    void rejectsIdWithSpaces() {
        assertThatIllegalArgumentException().isThrownBy(() -> Backend.of("h", 5060).withId("proxy a"))
                .withMessageContaining("(expected: non-empty printable ASCII without spaces)");
    }

    @Test
    void rejectsEmptyHost() {
        assertThatIllegalArgumentException().isThrownBy(() -> Backend.of("", 5060))
                .withMessageContaining("(expected: an IP literal or host name)");
    }

    @Test
    void rejectsNullComponentsByName() {
        assertThatNullPointerException().isThrownBy(() -> new Backend(null, "h", 5060, "UDP", 1)).withMessage("id");
    }
}
