package io.siplb.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The optional {@code vrrp:} section: defaults, centiseconds, and errors with line and key. */
class VrrpConfigTest {

    private static final String REQUIRED = """
            listen: [udp://10.77.0.50:5060]
            backends: [{id: a, uri: "sip:10.77.0.21"}]
            flow-token: {secret: "0123456789abcdef"}
            """;

    private static List<ConfigProblem> problems(String yaml) {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> ConfigLoader.load(yaml, "siplb.yaml"));
        assertThat(e).as("expected a ConfigException").isNotNull();
        return e.problems();
    }

    @Test
    void absentSectionMeansNoSpeaker() {
        assertThat(ConfigLoader.load(REQUIRED, "siplb.yaml").vrrp()).isNull();
    }

    @Test
    void fullSectionIsReadWithTheIntervalInCentiseconds() throws Exception {
        SiplbConfig c = ConfigLoader.load(REQUIRED + """
                vrrp:
                  interface: eth0
                  vrid: 77
                  priority: 150
                  advert-interval: 100ms
                  preempt: false
                  vips: [10.77.0.50, 10.77.0.51]
                """, "siplb.yaml");

        VrrpConfig v = c.vrrp();
        assertThat(v.interfaceName()).isEqualTo("eth0");
        assertThat(v.vrid()).isEqualTo(77);
        assertThat(v.priority()).isEqualTo(150);
        assertThat(v.advertIntervalCentis()).isEqualTo(10);
        assertThat(v.preempt()).isFalse();
        assertThat(v.vips()).containsExactly(InetAddress.getByName("10.77.0.50"), InetAddress.getByName("10.77.0.51"));
    }

    @Test
    void omittedKeysTakeTheirDefaults() {
        VrrpConfig v = ConfigLoader.load(REQUIRED + """
                vrrp: {interface: eth0, vrid: 1, vips: [192.0.2.10]}
                """, "siplb.yaml").vrrp();

        assertThat(v.priority()).isEqualTo(100);
        assertThat(v.advertIntervalCentis()).isEqualTo(10);
        assertThat(v.preempt()).isTrue();
    }

    @Test
    void intervalOfOneSecondIsOneHundredCentiseconds() {
        assertThat(VrrpConfig.centis(Duration.ofSeconds(1))).isEqualTo(100);
        assertThat(VrrpConfig.centis(Duration.ofMillis(40950))).isEqualTo(4095);
    }

    @Test
    void intervalThatIsNotWholeCentisecondsIsRejectedAtItsLine() {
        List<ConfigProblem> p = problems(REQUIRED + """
                vrrp:
                  interface: eth0
                  vrid: 77
                  advert-interval: 105ms
                  vips: [10.77.0.50]
                """);

        assertThat(p).hasSize(1);
        assertThat(p.get(0).keyPath()).isEqualTo("vrrp.advert-interval");
        assertThat(p.get(0).line()).isEqualTo(7);
        assertThat(p.get(0).message()).contains("whole centiseconds");
    }

    @Test
    void everyMistakeOfTheSectionIsReportedWithItsKey() {
        List<ConfigProblem> p = problems(REQUIRED + """
                vrrp:
                  vrid: 0
                  priority: 256
                  vips: [10.77.0.50, fe80::1, vip.example.com]
                """);

        assertThat(p).extracting(ConfigProblem::keyPath)
                .containsExactlyInAnyOrder("vrrp.interface", "vrrp.vips[1]", "vrrp.vips[2]");
        assertThat(p).filteredOn(x -> x.keyPath().equals("vrrp.vips[1]"))
                .singleElement().satisfies(x -> {
                    assertThat(x.line()).isEqualTo(7);
                    assertThat(x.message()).contains("IPv4");
                });
    }

    @Test
    void rangeRulesNameTheirKeys() {
        List<ConfigProblem> p = problems(REQUIRED + """
                vrrp:
                  interface: eth0
                  vrid: 0
                  priority: 256
                  vips: [10.77.0.50]
                """);

        assertThat(p).extracting(ConfigProblem::keyPath).containsExactlyInAnyOrder("vrrp.vrid", "vrrp.priority");
        assertThat(p).filteredOn(x -> x.keyPath().equals("vrrp.priority"))
                .singleElement().satisfies(x -> assertThat(x.line()).isEqualTo(7));
    }

    @Test
    void unknownKeyInTheSectionSuggestsTheNearest() {
        List<ConfigProblem> p = problems(REQUIRED + """
                vrrp:
                  interface: eth0
                  vrid: 77
                  advert_interval: 100ms
                  vips: [10.77.0.50]
                """);

        assertThat(p).singleElement().satisfies(x ->
                assertThat(x.message()).contains("did you mean 'advert-interval'"));
    }

    @Test
    void duplicateVipsAreRejected() {
        assertThatThrownBy(() -> new VrrpConfig("eth0", 1, 100, 10, true,
                List.of(InetAddress.getByName("10.0.0.1"), InetAddress.getByName("10.0.0.1"))))
                .hasMessageContaining("distinct");
    }
}
