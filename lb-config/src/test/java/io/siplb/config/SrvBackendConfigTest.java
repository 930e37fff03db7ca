package io.siplb.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code backends: [{srv: ...}]} and the {@code dns:} section: parsing, defaults, errors with positions. */
class SrvBackendConfigTest {

    private static final String HEAD = "listen: [udp://127.0.0.1:5060]\n";
    private static final String TAIL = "flow-token: {secret: \"0123456789abcdef\"}\n";

    private static List<ConfigProblem> problems(String yaml) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(yaml, "siplb.yaml"));
        assertThat(e).as("expected a ConfigException").isNotNull();
        return e.problems();
    }

    @Test
    void srvEntriesAreKeptApartFromStaticBackendsWithTheirOptions() {
        SiplbConfig c = ConfigLoader.load(HEAD + """
                backends:
                  - {id: a, uri: "sip:10.0.0.11"}
                  - srv: _SIP._TCP.Pool.Example.com.
                    id-prefix: pool-
                    weight: 3
                  - srv: _sip._udp.udp.example.com
                dns: {servers: ["127.0.0.1:5353", "[::1]"], min-ttl: 2s, max-ttl: 10m, timeout: 1s}
                """ + TAIL, "siplb.yaml");

        assertThat(c.backends()).extracting(BackendConfig::id).containsExactly("a");
        assertThat(c.srvBackends()).containsExactly(
                new SrvBackendConfig("_sip._tcp.pool.example.com", "pool-", 3),
                SrvBackendConfig.of("_sip._udp.udp.example.com"));
        assertThat(c.srvBackends()).extracting(SrvBackendConfig::transport)
                .containsExactly(Transport.TCP, Transport.UDP);
        assertThat(SrvBackendConfig.of("_sips._tcp.tls.example.com").transport()).isEqualTo(Transport.TLS);
        assertThat(c.dns().servers()).containsExactly(HostPort.of("127.0.0.1", 5353), HostPort.of("::1", 53));
        assertThat(c.dns().minTtl()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.dns().maxTtl()).isEqualTo(Duration.ofMinutes(10));
        assertThat(c.dns().timeout()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void anSrvEntryAloneIsEnoughAndDnsDefaultsToTheSystemResolver() {
        SiplbConfig c = ConfigLoader.load(HEAD + "backends: [{srv: _sip._udp.pool.example.com}]\n" + TAIL, "x.yaml");

        assertThat(c.backends()).isEmpty();
        assertThat(c.srvBackends()).containsExactly(SrvBackendConfig.of("_sip._udp.pool.example.com"));
        assertThat(c.dns()).isEqualTo(DnsConfig.DEFAULTS);
        assertThat(c.dns().servers()).isEmpty();
        assertThat(c.dns().minTtl()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.dns().maxTtl()).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void uriAndSrvTogetherOrIdWithSrvAreRefusedAtTheirLines() {
        List<ConfigProblem> p = problems(HEAD + """
                backends:
                  - srv: _sip._udp.pool.example.com
                    uri: sip:10.0.0.1
                  - srv: _sip._udp.other.example.com
                    id: x
                """ + TAIL);

        assertThat(p).extracting(ConfigProblem::keyPath).containsExactly("backends[0].uri", "backends[1].id");
        assertThat(p.get(0).line()).isEqualTo(4);
        assertThat(p.get(0).message()).startsWith("both uri and srv are set (expected: exactly one");
        assertThat(p.get(1).line()).isEqualTo(6);
        assertThat(p.get(1).message()).contains("id-prefix");
    }

    @Test
    void aBadSrvNamePrefixOrMultiplierIsReportedAtItsKey() {
        List<ConfigProblem> p = problems(HEAD + """
                backends:
                  - {srv: pool.example.com, id-prefix: "a b", weight: 0}
                """ + TAIL);

        assertThat(p).extracting(ConfigProblem::keyPath)
                .containsExactly("backends[0].srv", "backends[0].id-prefix", "backends[0].weight");
        assertThat(p.get(0).message()).isEqualTo("'pool.example.com' (expected: _sip._udp.DOMAIN, "
                + "_sip._tcp.DOMAIN or _sips._tcp.DOMAIN, like _sip._udp.pool.example.com)");
        assertThat(p).allSatisfy(x -> assertThat(x.line()).isEqualTo(3));
    }

    @Test
    void idPrefixWithoutSrvIsRefused() {
        List<ConfigProblem> p = problems(HEAD + "backends: [{id: a, uri: \"sip:10.0.0.1\", id-prefix: p}]\n" + TAIL);
        assertThat(p).extracting(ConfigProblem::keyPath).containsExactly("backends[0].id-prefix");
    }

    @Test
    void crossEntryProblemsNameTheIndexAsWrittenWhenSrvAndStaticEntriesMix() {
        List<ConfigProblem> p = problems(HEAD + """
                backends:
                  - srv: _sip._udp.pool.example.com
                  - {id: a, uri: "sip:10.0.0.1"}
                  - srv: _sip._udp.pool.example.com
                  - {id: a, uri: "sip:10.0.0.2"}
                """ + TAIL);

        assertThat(p).extracting(ConfigProblem::toString).containsExactly(
                "siplb.yaml:5:10: backends[2].srv: '_sip._udp.pool.example.com' is listed twice "
                        + "(first at backends[0]; expected: one entry per SRV record, or a different id-prefix)",
                "siplb.yaml:6:10: backends[3].id: duplicate backend id 'a' (first at backends[1]; "
                        + "expected: a unique id per backend)");
    }

    @Test
    void dnsServersMustBeIpAddressesAndTtlBoundsOrdered() {
        List<ConfigProblem> p = problems(HEAD + "backends: [{srv: _sip._udp.p.example.com}]\n"
                + "dns: {servers: [ns.example.com], min-ttl: 10s, max-ttl: 5s}\n" + TAIL);

        assertThat(p).extracting(ConfigProblem::keyPath).containsExactly("dns.servers[0]");
        p = problems(HEAD + "backends: [{srv: _sip._udp.p.example.com}]\n"
                + "dns: {min-ttl: 10s, max-ttl: 5s, timeout: 10ms}\n" + TAIL);
        assertThat(p).extracting(ConfigProblem::keyPath).containsExactly("dns.max-ttl", "dns.timeout");
        assertThat(p.get(0).message()).isEqualTo("5s (expected: min-ttl (10s) ~ 1d)");
    }

    @Test
    void noBackendAtAllNamesBothKinds() {
        List<ConfigProblem> p = problems(HEAD + "backends: []\n" + TAIL);
        assertThat(p.get(0).message()).contains("srv: _sip._udp.pool.example.com");
    }
}
