package io.siplb.hash;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RendezvousTableTest implements HomeProxySelectorContract {

    @Override
    public HomeProxySelector create(BackendView view) {
        return HomeProxySelector.rendezvous(view);
    }

    @Test
    void hasAMillionBuckets() {
        assertThat(RendezvousTable.build(HomeProxySelectorContract.view(3)).bucketCount()).isEqualTo(1 << 20);
    }

    @Test
    void stateChangeReusesTheRanking() {
        BackendView view = HomeProxySelectorContract.view(4);
        RendezvousTable table = RendezvousTable.build(view, 10);

        RendezvousTable changed = (RendezvousTable) table.withView(view.withState("proxy-2", BackendState.DOWN));

        assertThat(changed.sharesRankingWith(table)).isTrue();
    }

    @Test
    void weightChangeBuildsANewRanking() {
        RendezvousTable table = RendezvousTable.build(HomeProxySelectorContract.view(2), 10);
        BackendView reweighted = BackendView.of(List.of(
                Backend.of("10.0.0.1", 5060).withId("proxy-0").withWeight(3),
                Backend.of("10.0.0.2", 5060).withId("proxy-1")));

        RendezvousTable changed = (RendezvousTable) table.withView(reweighted);

        assertThat(changed.sharesRankingWith(table)).isFalse();
        assertThat(changed.bucketCount()).isEqualTo(table.bucketCount());
    }

    @Test
    void findsAnUpBackendBeyondTheFourStoredChoices() {
        BackendView view = HomeProxySelectorContract.view(6);
        RendezvousTable table = RendezvousTable.build(view, 8);
        long aor = 0x1234_5678_9abc_def0L;
        List<Backend> order = table.preferenceList(aor);
        BackendView firstFourDown = view;
        for (int i = 0; i < 4; i++) {
            firstFourDown = firstFourDown.withState(order.get(i).id(), BackendState.DOWN);
        }

        HomeProxySelector degraded = table.withView(firstFourDown);

        assertThat(degraded.select(aor)).isEqualTo(order.get(4));
        assertThat(degraded.select(aor, 1)).isEqualTo(order.get(5));
        assertThat(degraded.select(aor, 2)).isNull();
    }

    @Test
    void aorsInOneBucketShareTheirPreferenceOrder() {
        RendezvousTable table = RendezvousTable.build(HomeProxySelectorContract.view(5), 8);

        // the top 8 bits pick the bucket; the low bits do not matter
        assertThat(table.preferenceList(0xab00_0000_0000_0000L)).isEqualTo(table.preferenceList(0xabff_ffff_ffff_ffffL));
    }
}
