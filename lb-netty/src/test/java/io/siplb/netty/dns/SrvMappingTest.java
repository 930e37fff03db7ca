package io.siplb.netty.dns;

import io.siplb.config.SrvBackendConfig;
import io.siplb.hash.Backend;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SrvMappingTest {

    private static final SrvBackendConfig POOL = SrvBackendConfig.of("_sip._udp.pool.example.com");

    @Test
    void namesEachTargetByTargetAndPortAndKeepsTheSrvWeight() {
        List<SrvBackend> out = SrvMapping.backends(POOL, List.of(
                        new SrvRecord(10, 60, 5060, "PBX2.example.com.", 300),
                        new SrvRecord(10, 30, 5060, "pbx1.example.com.", 300)),
                Map.of("pbx1.example.com", addrs("10.0.0.1"), "pbx2.example.com", addrs("10.0.0.2")));

        assertThat(out).extracting(SrvBackend::backend).containsExactly(
                new Backend("pbx1.example.com:5060", "10.0.0.1", 5060, "UDP", 30),
                new Backend("pbx2.example.com:5060", "10.0.0.2", 5060, "UDP", 60));
        assertThat(out).extracting(SrvBackend::priority).containsOnly(10);
    }

    @Test
    void idsAreTheSameWhateverTheOrderOfTheAnswerAndTheAddress() {
        List<SrvRecord> a = List.of(new SrvRecord(10, 1, 5060, "a.example.com", 60),
                new SrvRecord(20, 1, 5060, "b.example.com", 60));
        List<SrvBackend> first = SrvMapping.backends(POOL, a,
                Map.of("a.example.com", addrs("10.0.0.1"), "b.example.com", addrs("10.0.0.2")));
        List<SrvBackend> second = SrvMapping.backends(POOL, List.of(a.get(1), a.get(0)),
                Map.of("a.example.com", addrs("10.0.0.9"), "b.example.com", addrs("10.0.0.2")));

        assertThat(first).extracting(s -> s.backend().id())
                .containsExactly("a.example.com:5060", "b.example.com:5060")
                .isEqualTo(second.stream().map(s -> s.backend().id()).toList());
    }

    @Test
    void weightZeroBecomesOneAndTheEntryWeightMultiplies() {
        SrvBackendConfig doubled = new SrvBackendConfig("_sip._tcp.pool.example.com", "p-", 2);
        List<SrvBackend> out = SrvMapping.backends(doubled, List.of(
                        new SrvRecord(0, 0, 5060, "a.example.com", 60),
                        new SrvRecord(0, 5, 5061, "a.example.com", 60)),
                Map.of("a.example.com", addrs("10.0.0.1")));

        assertThat(out).extracting(s -> s.backend().id() + " " + s.backend().transport() + " w" + s.backend().weight())
                .containsExactly("p-a.example.com:5060 TCP w2", "p-a.example.com:5061 TCP w10");
    }

    @Test
    void leavesOutDotTargetsPortZeroAndTargetsWithoutAddress() {
        List<SrvBackend> out = SrvMapping.backends(POOL, List.of(
                        new SrvRecord(10, 1, 5060, ".", 60),
                        new SrvRecord(10, 1, 0, "a.example.com", 60),
                        new SrvRecord(10, 1, 5060, "gone.example.com", 60),
                        new SrvRecord(10, 1, 5060, "b.example.com", 60)),
                Map.of("a.example.com", addrs("10.0.0.1"), "b.example.com", addrs("10.0.0.2")));

        assertThat(out).extracting(s -> s.backend().id()).containsExactly("b.example.com:5060");
    }

    @Test
    void aTargetListedTwiceKeepsItsLowestPriorityThenHighestWeight() {
        List<SrvBackend> out = SrvMapping.backends(POOL, List.of(
                        new SrvRecord(20, 90, 5060, "a.example.com", 60),
                        new SrvRecord(10, 5, 5060, "a.example.com", 60),
                        new SrvRecord(10, 7, 5060, "a.example.com", 60)),
                Map.of("a.example.com", addrs("10.0.0.1")));

        assertThat(out).singleElement().satisfies(s -> {
            assertThat(s.priority()).isEqualTo(10);
            assertThat(s.backend().weight()).isEqualTo(7);
        });
    }

    @Test
    void picksTheLowestIpv4AddressBeforeAnyIpv6() {
        assertThat(SrvMapping.pick(addrs("2001:db8::1", "10.0.0.20", "10.0.0.3")).getHostAddress())
                .isEqualTo("10.0.0.3");
        assertThat(SrvMapping.pick(addrs("2001:db8::2", "2001:db8::1")).getHostAddress())
                .isEqualTo("2001:db8:0:0:0:0:0:1");
        assertThat(SrvMapping.pick(List.of())).isNull();
    }

    @Test
    void anIpv6TargetIsAnIpLiteralBackendWithoutBrackets() {
        List<SrvBackend> out = SrvMapping.backends(POOL, List.of(new SrvRecord(1, 1, 5060, "v6.example.com", 60)),
                Map.of("v6.example.com", addrs("2001:db8::5")));
        assertThat(out.get(0).backend().host()).isEqualTo("2001:db8::5");
        assertThat(out.get(0).group()).isEqualTo("_sip._udp.pool.example.com");
    }

    static List<InetAddress> addrs(String... literals) {
        return java.util.Arrays.stream(literals).map(l -> {
            try {
                return InetAddress.getByName(l);
            } catch (java.net.UnknownHostException e) {
                throw new IllegalArgumentException(e);
            }
        }).toList();
    }
}
