package io.siplb.route;

import com.google.common.base.Ticker;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class RecentInvitesTest {

    private final AtomicLong nanos = new AtomicLong(123_456_789L);
    private final Ticker ticker = new Ticker() {
        @Override
        public long read() {
            return nanos.get();
        }
    };

    private void advance(Duration d) {
        nanos.addAndGet(d.toNanos());
    }

    @Test
    void remembersTheBackendOfATransaction() {
        RecentInvites invites = new RecentInvites(1024, Duration.ofSeconds(32), ticker);
        invites.remember(0x1234_5678_9abc_def0L, "b1");
        invites.remember(0x0fed_cba9_8765_4321L, "b2");
        assertThat(invites.backendOf(0x1234_5678_9abc_def0L)).isEqualTo("b1");
        assertThat(invites.backendOf(0x0fed_cba9_8765_4321L)).isEqualTo("b2");
        assertThat(invites.backendOf(42)).isNull();
    }

    @Test
    void forgetsATransactionAfterTheTtl() {
        RecentInvites invites = new RecentInvites(1024, Duration.ofSeconds(32), ticker);
        invites.remember(7, "b1");
        advance(Duration.ofSeconds(31));
        assertThat(invites.backendOf(7)).isEqualTo("b1");
        advance(Duration.ofSeconds(2));
        assertThat(invites.backendOf(7)).isNull();
    }

    @Test
    void aRetransmittedInviteUpdatesItsEntry() {
        RecentInvites invites = new RecentInvites(1024, Duration.ofSeconds(32), ticker);
        invites.remember(7, "b1");
        invites.remember(7, "b2");
        assertThat(invites.backendOf(7)).isEqualTo("b2");
    }

    @Test
    void staysBoundedAndKeepsTheNewestWhenFull() {
        RecentInvites invites = new RecentInvites(64, Duration.ofSeconds(32), ticker);
        for (long t = 1; t <= 10_000; t++) {
            invites.remember(t * 0x9e37_79b9_7f4a_7c15L, (t & 1) == 0 ? "even" : "odd");
            advance(Duration.ofMillis(1));
        }
        long newest = 10_000 * 0x9e37_79b9_7f4a_7c15L;
        assertThat(invites.backendOf(newest)).isEqualTo("even");
        int remembered = 0;
        for (long t = 1; t <= 10_000; t++) {
            if (invites.backendOf(t * 0x9e37_79b9_7f4a_7c15L) != null) {
                remembered++;
            }
        }
        assertThat(remembered).isLessThanOrEqualTo(64);
    }

    @Test
    void keepsWorkingAcrossTheWrapOfItsMillisecondClock() {
        RecentInvites invites = new RecentInvites(1024, Duration.ofSeconds(32), ticker);
        advance(Duration.ofMillis(Integer.MAX_VALUE - 1_000L));
        invites.remember(9, "b1");
        advance(Duration.ofSeconds(10));
        assertThat(invites.backendOf(9)).isEqualTo("b1");
        advance(Duration.ofSeconds(30));
        assertThat(invites.backendOf(9)).isNull();
    }
}
