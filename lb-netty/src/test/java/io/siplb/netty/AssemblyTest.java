package io.siplb.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.siplb.config.BackendConfig;
import io.siplb.config.FlowTokenConfig;
import io.siplb.config.HostPort;
import io.siplb.config.LimitsConfig;
import io.siplb.config.ListenAddress;
import io.siplb.config.SiplbConfig;
import io.siplb.hash.Backend;
import io.siplb.route.FlowToken;
import io.siplb.route.LocalAddresses;
import io.siplb.route.Transport;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class AssemblyTest {

    private static final SiplbConfig CONFIG = SiplbConfig.of(
                    List.of(ListenAddress.parse("udp://0.0.0.0:5060"), ListenAddress.parse("udp://[2001:db8::1]:5062"),
                            ListenAddress.parse("tcp://192.0.2.10:5070")),
                    List.of(BackendConfig.of("b", "sip:10.0.0.12:5080;transport=tcp", 3),
                            BackendConfig.of("a", "sip:10.0.0.11")),
                    FlowTokenConfig.ofSecret("0123456789abcdef0123456789abcdef"))
            .withAdvertise(HostPort.parse("203.0.113.10:5060"))
            .withAliases(List.of(HostPort.parseWithOptionalPort("sip.example.com")))
            .withDomains(List.of("Example.COM"))
            .withLimits(LimitsConfig.DEFAULTS.withMaxHeaders(100));

    @Test
    void ourAddressesAreAdvertiseListenAddressesAndAliases() {
        LocalAddresses local = Assembly.of(CONFIG).localAddresses();

        assertThat(local.advertisedHostPort()).isEqualTo("203.0.113.10:5060");
        assertThat(local.isLocal("203.0.113.10", -1, 5060)).isTrue();
        assertThat(local.isLocal("[2001:db8::1]", 5062, 5060)).as("IPv6 as written in a URI").isTrue();
        assertThat(local.isLocal("192.0.2.10", 5070, 5060)).isTrue();
        assertThat(local.isLocal("sip.example.com", 7000, 5060)).as("an alias without port is any port").isTrue();
        assertThat(local.isLocal("0.0.0.0", 5060, 5060)).as("a wildcard is nobody's address").isFalse();
    }

    @Test
    void backendsKeepIdAddressTransportAndWeight() {
        List<Backend> backends = Assembly.of(CONFIG).backendView().backends();

        assertThat(backends).containsExactly(
                new Backend("a", "10.0.0.11", 5060, "UDP", 1),
                new Backend("b", "10.0.0.12", 5080, "TCP", 3));
    }

    @Test
    void aBackendHostNameIsResolvedOnce() {
        SiplbConfig byName = CONFIG.withBackends(List.of(BackendConfig.of("a", "sip:localhost:5080")));

        assertThat(Assembly.of(byName).backendView().backend(0).host()).isIn("127.0.0.1", "::1");
    }

    @Test
    void anUnresolvableBackendHostIsAnErrorNamingIt() {
        SiplbConfig bad = CONFIG.withBackends(List.of(BackendConfig.of("a", "sip:no-such-host.invalid")));

        assertThatThrownBy(() -> Assembly.of(bad)).hasMessageContaining("no-such-host.invalid");
    }

    @Test
    void limitsDomainsAndTheSecretReachTheCore() throws Exception {
        Assembly assembly = Assembly.of(CONFIG);

        assertThat(assembly.limits().maxHeaders()).isEqualTo(100);
        assertThat(assembly.routerConfig().servesDomain("example.com")).isTrue();
        FlowToken flow = new FlowToken(Transport.UDP, InetAddress.getByName("192.0.2.7"), 5060, 0);
        String token = assembly.flowTokens().encode(flow);
        assertThat(Assembly.of(CONFIG).flowTokens().decode(token)).as("same secret, same tokens").isEqualTo(flow);
    }
}
