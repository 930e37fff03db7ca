package io.siplb.hash;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Pins the whole AOR → backend mapping. If one of these fails, every deployed user would move
 * to another home proxy on upgrade: fix the code, never the vectors.
 */
class GoldenVectorsTest {

    private static final List<Backend> FOUR = List.of(
            new Backend("proxy-a", "10.0.0.1", 5060, "UDP", 1),
            new Backend("proxy-b", "10.0.0.2", 5060, "UDP", 1),
            new Backend("proxy-c", "10.0.0.3", 5060, "TCP", 1),
            new Backend("proxy-d", "10.0.0.4", 5061, "TLS", 1));

    private static final HomeProxySelector EQUAL = HomeProxySelector.rendezvous(BackendView.of(FOUR));
    private static final HomeProxySelector WEIGHTED = HomeProxySelector.rendezvous(BackendView.of(weighted1234()));

    @ParameterizedTest(name = "[{index}] ''{0}''")
    @CsvSource(delimiter = '|', textBlock = """
            # aor                                               | fingerprint      | equal: home, second | weights 1,2,3,4: home, second
            ''                                                  | 00701690f7d90c46 | proxy-c | proxy-a | proxy-c | proxy-d
            alice@example.com                                   | f1c75cd79e671767 | proxy-d | proxy-a | proxy-d | proxy-c
            bob@example.com                                     | 0f72f46a8c24dcfb | proxy-c | proxy-d | proxy-c | proxy-d
            carol@sip.example.org                               | 98e036f1cb14e576 | proxy-a | proxy-d | proxy-d | proxy-a
            +14155550100                                        | cb95a6a2391ef2f3 | proxy-a | proxy-b | proxy-a | proxy-c
            a-very-long-user-name-for-testing@voip.example.net  | ab660c9cdbef0c4d | proxy-a | proxy-b | proxy-b | proxy-d
            jürgen@example.de                                   | 1da2a0f1c4f8a0e4 | proxy-d | proxy-a | proxy-d | proxy-c
            """)
    void aorMapsToThePinnedFingerprintAndBackends(String aor, String fingerprint,
            String equalHome, String equalSecond, String weightedHome, String weightedSecond) {
        long hash = AorHasher.fingerprint(aor);

        assertThat(hash).isEqualTo(Long.parseUnsignedLong(fingerprint, 16));
        assertThat(EQUAL.select(hash).id()).isEqualTo(equalHome);
        assertThat(EQUAL.select(hash, 1).id()).isEqualTo(equalSecond);
        assertThat(WEIGHTED.select(hash).id()).isEqualTo(weightedHome);
        assertThat(WEIGHTED.select(hash, 1).id()).isEqualTo(weightedSecond);
    }

    private static List<Backend> weighted1234() {
        List<Backend> out = new ArrayList<>();
        for (int i = 0; i < FOUR.size(); i++) {
            out.add(FOUR.get(i).withWeight(i + 1));
        }
        return out;
    }
}
