package io.siplb.netty.vrrp;

import static org.assertj.core.api.Assertions.assertThat;

import io.siplb.config.ConfigLoader;
import io.siplb.netty.Assembly;
import org.junit.jupiter.api.Test;

/** The in-memory warm-up forwards every synthetic request, and leaks no buffer (paranoid detection). */
class WarmupTest {

    @Test
    void everySyntheticRequestIsRoutedAndItsResponseRelayed() {
        Assembly a = Assembly.of(ConfigLoader.load("""
                listen: [udp://10.77.0.50:5060]
                backends: [{id: p1, uri: "sip:10.77.0.21"}, {id: p2, uri: "sip:10.77.0.22"}]
                flow-token: {secret: "0123456789abcdef0123456789abcdef"}
                """, "siplb.yaml"));

        assertThat(Warmup.run(a, a::routingView, 200)).isEqualTo(200);
    }
}
