package io.siplb.vrrp;

import static io.siplb.vrrp.VrrpPacketTest.ip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class VrrpParametersTest {

    private static final InetAddress PRIMARY = ip("10.0.0.2");
    private static final List<InetAddress> VIPS = List.of(ip("10.0.0.50"));

    @Test
    void defaultsToOneHundredMillisecondsAndPreemption() {
        VrrpParameters p = VrrpParameters.of(51, 100, PRIMARY, VIPS);

        assertThat(p.advertisementIntervalCentis()).isEqualTo(10);
        assertThat(p.preempt()).isTrue();
        assertThat(p.isOwner()).isFalse();
    }

    @Test
    void priority255IsTheOwner() {
        assertThat(VrrpParameters.of(51, 255, PRIMARY, VIPS).isOwner()).isTrue();
    }

    @Test
    void withCopiesChangeOneField() {
        VrrpParameters p = VrrpParameters.of(51, 100, PRIMARY, VIPS);

        assertThat(p.withPriority(200)).isEqualTo(new VrrpParameters(51, 200, 10, true, PRIMARY, VIPS));
        assertThat(p.withPreempt(false).preempt()).isFalse();
        assertThat(p.withAdvertisementIntervalCentis(100).advertisementIntervalCentis()).isEqualTo(100);
    }

    @Test
    void refusesPriorityZeroWhichMeansStopping() {
        assertThatThrownBy(() -> VrrpParameters.of(51, 0, PRIMARY, VIPS))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("priority: 0 (expected: 1 ~ 255)");
    }

    @Test
    void refusesOutOfRangeVridAndInterval() {
        assertThatThrownBy(() -> VrrpParameters.of(256, 100, PRIMARY, VIPS))
                .hasMessage("vrid: 256 (expected: 1 ~ 255)");
        assertThatThrownBy(() -> VrrpParameters.of(51, 100, PRIMARY, VIPS).withAdvertisementIntervalCentis(0))
                .hasMessage("advertisementIntervalCentis: 0 (expected: 1 ~ 4095)");
    }

    @Test
    void refusesNoVips() {
        assertThatThrownBy(() -> VrrpParameters.of(51, 100, PRIMARY, List.of()))
                .hasMessage("vips: 0 of them (expected: 1 ~ 255)");
    }

    @Test
    void refusesVipsOfAnotherFamilyThanThePrimaryAddress() {
        assertThatThrownBy(() -> VrrpParameters.of(51, 100, PRIMARY, List.of(ip("2001:db8::50"))))
                .hasMessageContaining("expected: all of the family of primaryAddress");
    }

    @Test
    void refusesDuplicateVips() {
        assertThatThrownBy(() -> VrrpParameters.of(51, 100, PRIMARY, List.of(ip("10.0.0.50"), ip("10.0.0.50"))))
                .hasMessageEndingWith("(expected: distinct)");
    }

    @Test
    void refusesAMissingPrimaryAddress() {
        assertThatThrownBy(() -> VrrpParameters.of(51, 100, null, VIPS))
                .isInstanceOf(NullPointerException.class).hasMessage("primaryAddress");
    }
}
