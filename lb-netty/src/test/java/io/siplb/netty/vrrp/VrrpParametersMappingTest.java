package io.siplb.netty.vrrp;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.net.InetAddresses;
import io.siplb.config.ConfigLoader;
import io.siplb.netty.Assembly;
import io.siplb.vrrp.VrrpParameters;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** lb-config's {@code vrrp:} onto lb-core's parameters, in Assembly. */
class VrrpParametersMappingTest {

    private static final String BASE = """
            listen: [udp://10.77.0.50:5060]
            backends: [{id: p1, uri: "sip:10.77.0.21"}]
            flow-token: {secret: "0123456789abcdef0123456789abcdef"}
            """;

    @Test
    void vrrpSectionMapsOntoParametersWithThePrimaryAddress() {
        Assembly a = Assembly.of(ConfigLoader.load(BASE + """
                vrrp: {interface: eth0, vrid: 77, priority: 150, advert-interval: 1s, preempt: false, vips: [10.77.0.50]}
                """, "siplb.yaml"));
        InetAddress primary = InetAddresses.forString("10.77.0.11");

        VrrpParameters p = a.vrrpParameters(primary);

        assertThat(p.vrid()).isEqualTo(77);
        assertThat(p.priority()).isEqualTo(150);
        assertThat(p.advertisementIntervalCentis()).isEqualTo(100);
        assertThat(p.preempt()).isFalse();
        assertThat(p.primaryAddress()).isEqualTo(primary);
        assertThat(p.vips()).containsExactly(InetAddresses.forString("10.77.0.50"));
    }

    @Test
    void noVrrpSectionMeansNoParameters() {
        Assembly a = Assembly.of(ConfigLoader.load(BASE, "siplb.yaml"));

        assertThat(a.vrrpParameters(InetAddresses.forString("10.77.0.11"))).isNull();
    }
}
