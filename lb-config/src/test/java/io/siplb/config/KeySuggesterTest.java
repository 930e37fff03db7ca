package io.siplb.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class KeySuggesterTest {

    @Test
    void levenshteinCountsInsertionsDeletionsAndSubstitutions() {
        assertThat(KeySuggester.distance("interval", "interval")).isZero();
        assertThat(KeySuggester.distance("intervall", "interval")).isEqualTo(1);
        assertThat(KeySuggester.distance("kitten", "sitting")).isEqualTo(3);
        assertThat(KeySuggester.distance("", "abc")).isEqualTo(3);
    }

    @Test
    void suggestsTheNearestKeyIgnoringCase() {
        assertThat(KeySuggester.nearest("secret_file", ConfigReader.FLOW_TOKEN_KEYS)).isEqualTo("secret-file");
        assertThat(KeySuggester.nearest("Timeout", ConfigReader.HEALTH_KEYS)).isEqualTo("timeout");
    }

    @Test
    void suggestsNothingWhenNoKeyIsClose() {
        assertThat(KeySuggester.nearest("nat", ConfigReader.ROUTING_KEYS)).isNull();
        assertThat(KeySuggester.nearest("ix", List.of("id"))).isEqualTo("id");
        assertThat(KeySuggester.nearest("xyz", List.of("id"))).isNull();
    }
}
