package io.siplb.netty.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code deploy/prometheus/}: the scrape configuration and the alert rules, checked and unit-tested by promtool. */
class PrometheusRulesTest {

    private static final Path DIR = Tools.repoRoot().resolve("deploy/prometheus");

    private static Tools.Result promtool(String... args) throws Exception {
        String promtool = Tools.require("promtool", "prometheus").toString();
        List<String> command = new java.util.ArrayList<>(List.of(promtool));
        command.addAll(List.of(args));
        // promtool resolves rule_files relative to the file that names them
        return Tools.run(Duration.ofSeconds(60), null, command);
    }

    @Test
    void alertRulesPassPromtoolCheckRules() throws Exception {
        Tools.Result r = promtool("check", "rules", DIR.resolve("siplb-rules.yml").toString());

        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.output()).contains("SUCCESS: 6 rules found");
    }

    @Test
    void alertRulesPassTheirUnitTests() throws Exception {
        Tools.Result r = promtool("test", "rules", DIR.resolve("siplb-rules.test.yml").toString());

        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.output()).contains("SUCCESS");
    }

    @Test
    void scrapeConfigurationPassesPromtoolCheckConfig() throws Exception {
        Tools.Result r = promtool("check", "config", DIR.resolve("prometheus.yml").toString());

        assertThat(r.exit()).as(r.output()).isZero();
    }
}
