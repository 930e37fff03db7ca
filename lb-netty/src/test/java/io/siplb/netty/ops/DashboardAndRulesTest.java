package io.siplb.netty.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * {@code deploy/grafana/} and {@code deploy/prometheus/}: the dashboard is valid JSON with the
 * panels an operator needs, and every PromQL expression (dashboard and alert rules) reads only
 * metrics that siplb actually exports, as read from a live {@code /metrics}.
 */
class DashboardAndRulesTest {

    private static final Path ROOT = Tools.repoRoot();
    /** Series Prometheus makes itself, not siplb. */
    private static final Set<String> PROMETHEUS_OWN = Set.of("up");
    private static Set<String> exported;

    @BeforeAll
    static void scrapeTheNamesSiplbExports() throws Exception {
        try (Lab lab = new Lab()) {
            exported = new HashSet<>();
            for (String line : lab.get("/metrics").body().split("\n")) {
                if (!line.isEmpty() && !line.startsWith("#")) {
                    int end = 0;
                    while (end < line.length() && line.charAt(end) != '{' && line.charAt(end) != ' ') {
                        end++;
                    }
                    exported.add(line.substring(0, end));
                }
            }
        }
        assertThat(exported).contains("siplb_requests_total", "siplb_backend_state", "jvm_memory_used_bytes");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> dashboard() throws Exception {
        String text = Files.readString(ROOT.resolve("deploy/grafana/siplb-dashboard.json"));
        assertThat(text.strip()).startsWith("{").endsWith("}");
        // YAML 1.2 is a superset of JSON: a strict JSON document loads as the same tree
        return (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromString(text);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> panels() throws Exception {
        return (List<Map<String, Object>>) dashboard().get("panels");
    }

    @SuppressWarnings("unchecked")
    private static List<String> dashboardExpressions() throws Exception {
        List<String> exprs = new ArrayList<>();
        for (Map<String, Object> panel : panels()) {
            for (Map<String, Object> target : (List<Map<String, Object>>) panel.get("targets")) {
                exprs.add((String) target.get("expr"));
            }
        }
        return exprs;
    }

    @Test
    void dashboardIsJsonWithTheOperatorsPanels() throws Exception {
        Map<String, Object> d = dashboard();

        assertThat(d).containsKeys("title", "uid", "panels", "templating", "schemaVersion");
        List<String> titles = panels().stream().map(p -> (String) p.get("title")).toList();
        assertThat(titles).contains("SIP requests by method", "SIP responses by class", "Requests forwarded per backend",
                "Backend response time (p50 / p95)", "Backend states", "Drops by reason", "VRRP state");
        Set<Object> ids = new HashSet<>();
        for (Map<String, Object> p : panels()) {
            assertThat(ids.add(p.get("id"))).as("unique panel id %s", p.get("id")).isTrue();
            assertThat(p).containsKeys("type", "gridPos", "targets", "datasource");
        }
    }

    @Test
    void everyDashboardQueryNamesAMetricSiplbExports() throws Exception {
        List<String> exprs = dashboardExpressions();
        assertThat(exprs).hasSizeGreaterThan(10);
        for (String expr : exprs) {
            Set<String> names = PromQl.metricNames(expr);
            assertThat(names).as("metrics in %s", expr).isNotEmpty();
            assertThat(exported).as("exported metrics (query %s)", expr).containsAll(names);
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyAlertRuleNamesAMetricSiplbExports() throws Exception {
        Map<String, Object> rules = (Map<String, Object>) new Load(LoadSettings.builder().build())
                .loadFromString(Files.readString(ROOT.resolve("deploy/prometheus/siplb-rules.yml")));
        int count = 0;
        for (Map<String, Object> group : (List<Map<String, Object>>) rules.get("groups")) {
            for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
                String expr = (String) rule.get("expr");
                Set<String> names = PromQl.metricNames(expr);
                names.removeAll(PROMETHEUS_OWN);
                assertThat(exported).as("exported metrics (rule %s)", rule.get("alert")).containsAll(names);
                count++;
            }
        }
        assertThat(count).isEqualTo(6);
    }

    @Test
    void metricNamesAreReadFromPromQl() {
        assertThat(PromQl.metricNames("histogram_quantile(0.95, sum by (backend, le) "
                + "(rate(siplb_backend_response_time_seconds_bucket{instance=~\"$instance\"}[$__rate_interval])))"))
                .containsExactly("siplb_backend_response_time_seconds_bucket");
        assertThat(PromQl.metricNames("sum by (job) (a_total) == 0 and on (job, instance) count by (job) (b) > 0"))
                .containsExactly("a_total", "b");
        assertThat(PromQl.metricNames("increase(x_total[15m]) > 4")).containsExactly("x_total");
    }
}
