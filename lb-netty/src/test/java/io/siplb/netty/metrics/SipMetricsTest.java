package io.siplb.netty.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.siplb.hash.Backend;
import io.siplb.hash.BackendState;
import io.siplb.hash.BackendView;
import io.siplb.health.HealthState;
import io.siplb.netty.pipeline.SipCounters;
import io.siplb.route.Side;
import io.siplb.sip.SipMethod;
import io.siplb.vrrp.VrrpState;
import java.lang.management.ManagementFactory;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SipMetricsTest {

    private final SipCounters counters = new SipCounters();
    private final SipMetrics metrics = new SipMetrics(counters, () -> 3);

    @AfterEach
    void close() {
        metrics.close();
    }

    private String scrape() {
        metrics.refresh();
        return metrics.registry().scrape();
    }

    private static BackendView view(String... ids) {
        return BackendView.of(java.util.Arrays.stream(ids).map(id -> Backend.of("10.0.0." + (id.charAt(0) - 'a' + 1), 5060)
                .withId(id)).toList());
    }

    @Test
    void perBackendMetersFollowTheViewAndHealthReportsWin() {
        BackendView ab = view("a", "b");
        metrics.forwarded(ab, "a", true);
        metrics.backendState("b", HealthState.SUSPECT);

        assertThat(scrape()).contains("siplb_forwards_total{backend=\"a\"} 1.0", "siplb_forwards_total{backend=\"b\"} 0.0",
                "siplb_backend_state{backend=\"b\",state=\"suspect\"} 1.0",
                "siplb_backend_state{backend=\"a\",state=\"up\"} 1.0");

        metrics.backends(view("a").withState("a", BackendState.DRAINING));

        assertThat(scrape()).doesNotContain("backend=\"b\"")
                .contains("siplb_backend_state{backend=\"a\",state=\"draining\"} 1.0");
    }

    @Test
    void awaitingAnswersCountsForwardsLessFinalResponses() {
        BackendView a = view("a");
        metrics.forwarded(a, "a", true);
        metrics.forwarded(a, "a", false); // an ACK expects nothing

        assertThat(metrics.awaitingAnswers()).isEqualTo(1);
    }

    @Test
    void gaugesForPanicDrainingVrrpAndConnections() {
        metrics.panic(true);
        metrics.draining(true);
        metrics.vrrpState(VrrpState.BACKUP);
        metrics.vrrpState(VrrpState.MASTER);

        assertThat(scrape()).contains("siplb_panic_mode 1.0", "siplb_draining 1.0",
                "siplb_vrrp_state{state=\"master\"} 1.0", "siplb_vrrp_state{state=\"backup\"} 0.0",
                "siplb_vrrp_transitions_total 1.0", "siplb_open_connections{transport=\"tcp\"} 3.0");
    }

    @Test
    void localResponsesOfUnusualCodesAppearOnFirstUse() {
        metrics.localResponse(503);
        metrics.localResponse(482);

        assertThat(scrape()).contains("siplb_local_responses_total{code=\"503\"} 1.0",
                "siplb_local_responses_total{code=\"482\"} 1.0", "siplb_local_responses_total{code=\"400\"} 0.0");
    }

    @Test
    void runtimeCountersAreExportedFromSipCounters() {
        counters.count(SipCounters.Event.KEEP_ALIVE);
        counters.drop(io.siplb.route.DropReason.NOT_OUR_VIA);

        assertThat(scrape()).contains("siplb_events_total{event=\"keep_alive\"} 1.0",
                "siplb_drops_total{reason=\"not_our_via\"} 1.0");
    }

    @Test
    void sendTimeIsBase36EpochMillis() {
        assertThat(SendTime.parseBase36(Long.toString(1_795_638_296_092L, 36))).isEqualTo(1_795_638_296_092L);
        assertThat(SendTime.parseBase36(null)).isEqualTo(-1);
        assertThat(SendTime.parseBase36("")).isEqualTo(-1);
        assertThat(SendTime.parseBase36("zz-1")).isEqualTo(-1);
        assertThat(SendTime.parseBase36("1234567890123")).isEqualTo(-1);
    }

    @Test
    void theMessagePathAllocatesNothing() {
        BackendView a = view("a");
        metrics.forwarded(a, "a", true); // first use registers; warm up the JIT
        for (int i = 0; i < 20_000; i++) {
            hotPath(a);
        }
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 100_000; i++) {
            hotPath(a);
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        // a LongAdder cell or two may appear under contention; 100k messages must not allocate per message
        assertThat(allocated).isLessThan(10_000);
    }

    private void hotPath(BackendView a) {
        metrics.request(SipMethod.REGISTER, Side.OUTSIDE);
        metrics.forwarded(a, "a", true);
        metrics.response(200, Side.INSIDE);
        metrics.responseTime(a, "a", 1_000, 1_020);
        metrics.localResponse(503);
    }

    @Test
    void labelsAreLowerCase() {
        assertThat(SipMetrics.label(Side.OUTSIDE)).isEqualTo("outside");
        assertThat(List.of(SipMetrics.label(HealthState.UNAVAILABLE))).containsExactly("unavailable");
    }
}
