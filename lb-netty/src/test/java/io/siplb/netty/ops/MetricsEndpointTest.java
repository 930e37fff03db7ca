package io.siplb.netty.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.siplb.netty.metrics.SendTime;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code GET /metrics} on the admin listener: the series move with traffic, and promtool accepts them. */
class MetricsEndpointTest {

    private Lab lab;

    @BeforeEach
    void start() throws Exception {
        lab = new Lab();
    }

    @AfterEach
    void stop() {
        lab.close();
    }

    @Test
    void countsARegisterByMethodSideBackendAndClass() throws Exception {
        String answer = lab.register("alice", "");

        assertThat(answer).startsWith("SIP/2.0 200 OK");
        String text = lab.get("/metrics").body();
        assertThat(text).contains("siplb_requests_total{method=\"REGISTER\",side=\"outside\"} 1.0");
        assertThat(text).contains("siplb_forwards_total{backend=\"a\"} 1.0");
        assertThat(text).contains("siplb_responses_total{class=\"2xx\",side=\"inside\"} 1.0");
        assertThat(text).contains("siplb_backend_state{backend=\"a\",state=\"up\"} 1.0");
        assertThat(text).contains("siplb_backend_state{backend=\"a\",state=\"down\"} 0.0");
        assertThat(text).contains("siplb_drops_total{reason=\"not_our_via\"} 0.0");
        assertThat(text).contains("siplb_parse_errors_total{reason=\"malformed_header\"} 0.0");
        assertThat(text).contains("siplb_events_total{event=\"forwarded\"} 2.0");
        assertThat(text).contains("siplb_open_connections{transport=\"tcp\"} 0.0");
        assertThat(text).contains("jvm_memory_used_bytes{", "jvm_gc_", "process_cpu_usage", "jvm_threads_live_threads");
    }

    @Test
    void recordsTheBackendResponseTimeFromTheSendTimeInOurVia() throws Exception {
        long sent = System.currentTimeMillis() - 40;

        lab.register("bob", ";" + SendTime.VIA_PARAM + "=" + Long.toString(sent, 36));

        String text = lab.get("/metrics").body();
        assertThat(text).contains("siplb_backend_response_time_seconds_count{backend=\"a\"} 1");
        // 40 ms and a little: not in the 25 ms bucket, in the 50 ms or the 100 ms one
        assertThat(text).contains("siplb_backend_response_time_seconds_bucket{backend=\"a\",le=\"0.025\"} 0");
        assertThat(text).contains("siplb_backend_response_time_seconds_bucket{backend=\"a\",le=\"0.1\"} 1");
    }

    @Test
    void answersOpenMetricsWhenAskedAndText004Otherwise() throws Exception {
        HttpResponse<String> om = lab.get("/metrics", "Accept",
                "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5");
        HttpResponse<String> text = lab.get("/metrics");

        assertThat(om.headers().firstValue("content-type")).hasValueSatisfying(
                ct -> assertThat(ct).startsWith("application/openmetrics-text; version=1.0.0"));
        assertThat(om.body()).endsWith("# EOF\n");
        assertThat(text.headers().firstValue("content-type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
    }

    @Test
    void promtoolAcceptsTheExposition() throws Exception {
        String promtool = Tools.require("promtool", "prometheus").toString();
        lab.register("carol", ";t=" + Long.toString(System.currentTimeMillis(), 36));
        String text = lab.get("/metrics").body();

        Tools.Result r = Tools.run(Duration.ofSeconds(30), text, List.of(promtool, "check", "metrics"));

        // promtool prints lint problems and exits 3 when there are any, 1 on a parse error
        assertThat(r.output()).as("promtool check metrics").isEmpty();
        assertThat(r.exit()).isZero();
    }
}
