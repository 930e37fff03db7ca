package io.siplb.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class FlowTokenTest {

    private static final InetSocketAddress CLIENT = new InetSocketAddress("198.51.100.7", 49152);

    @Test
    void isTheFlowAMessageArrivedOn() {
        Source source = new Source(Transport.TCP, CLIENT, new InetSocketAddress("192.0.2.1", 5060), 17);

        assertThat(FlowToken.of(source)).isEqualTo(new FlowToken(Transport.TCP, CLIENT.getAddress(), 49152, 17));
    }

    @Test
    void targetsTheFlowsOwnConnection() {
        FlowToken flow = FlowToken.of(Transport.TLS, CLIENT, 99);

        assertThat(flow.target()).isEqualTo(new Target(Transport.TLS, CLIENT, 99));
    }

    @Test
    void rejectsAConnectionIdForUdp() {
        assertThatIllegalArgumentException().isThrownBy(() -> FlowToken.of(Transport.UDP, CLIENT, 5))
                .withMessage("connectionId: 5 (expected: 0 for UDP)");
    }

    @Test
    void rejectsPortZero() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new FlowToken(Transport.UDP, CLIENT.getAddress(), 0, 0))
                .withMessage("port: 0 (expected: 1 ~ 65535)");
    }

    @Test
    void rejectsAnUnresolvedAddress() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> FlowToken.udp(InetSocketAddress.createUnresolved("client.example.com", 5060)))
                .withMessageContaining("(expected: a resolved address)");
    }
}
