package io.siplb.vrrp;

import static io.siplb.vrrp.VrrpPacketTest.ip;
import static org.assertj.core.api.Assertions.assertThat;

import io.siplb.vrrp.VrrpAction.AddVips;
import io.siplb.vrrp.VrrpAction.CancelTimer;
import io.siplb.vrrp.VrrpAction.RemoveVips;
import io.siplb.vrrp.VrrpAction.ScheduleTimer;
import io.siplb.vrrp.VrrpAction.SendAdvertisement;
import io.siplb.vrrp.VrrpAction.SendGratuitousArp;
import io.siplb.vrrp.VrrpAction.Transition;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * RFC 5798 §6.4, one rule per test. We are 10.0.0.2; peers are 10.0.0.1 (lower address) and
 * 10.0.0.3 (higher). The interval is one second so the RFC's arithmetic reads plainly: at
 * priority 100, Skew_Time is 0.609375 s and Master_Down_Interval 3.609375 s.
 */
class VrrpStateMachineTest {

    private static final InetAddress US = ip("10.0.0.2");
    private static final InetAddress LOWER_PEER = ip("10.0.0.1");
    private static final InetAddress HIGHER_PEER = ip("10.0.0.3");
    private static final List<InetAddress> VIPS = List.of(ip("10.0.0.50"));
    private static final int ONE_SECOND = 100;
    private static final long SECOND = 1_000_000_000L;
    private static final long SKEW_100 = 609_375_000L;
    private static final long MASTER_DOWN_100 = 3 * SECOND + SKEW_100;

    private final ManualTicker ticker = new ManualTicker();

    // ---- Initialize (§6.4.1) ------------------------------------------------------------------

    @Test
    void startsInInitializeWithoutVips() {
        VrrpStateMachine vrrp = machine(100);

        assertThat(vrrp.state()).isEqualTo(VrrpState.INITIALIZE);
        assertThat(vrrp.holdsVips()).isFalse();
    }

    @Test
    void ignoresAdvertisementsAndTimersBeforeStartup() {
        VrrpStateMachine vrrp = machine(100);

        assertThat(vrrp.onAdvertisement(200, ONE_SECOND, HIGHER_PEER)).isEmpty();
        assertThat(vrrp.onTimer()).isEmpty();
        assertThat(vrrp.shutdown()).isEmpty();
    }

    @Test
    void nonOwnerStartsAsBackupWithTheMasterDownTimerArmed() {
        VrrpStateMachine vrrp = machine(100);

        assertThat(vrrp.startup()).containsExactly(
                new Transition(VrrpState.INITIALIZE, VrrpState.BACKUP, VrrpTransitionCause.STARTUP),
                new ScheduleTimer(now() + MASTER_DOWN_100));
        assertThat(vrrp.state()).isEqualTo(VrrpState.BACKUP);
    }

    @Test
    void ownerStartsAsMaster() {
        VrrpStateMachine vrrp = machine(255);

        assertThat(vrrp.startup()).containsExactly(
                new Transition(VrrpState.INITIALIZE, VrrpState.MASTER, VrrpTransitionCause.STARTUP),
                new AddVips(VIPS),
                new SendAdvertisement(255),
                new SendGratuitousArp(VIPS),
                new ScheduleTimer(now() + SECOND));
        assertThat(vrrp.holdsVips()).isTrue();
    }

    @Test
    void startupTwiceIsIgnored() {
        VrrpStateMachine vrrp = machine(100);
        vrrp.startup();

        assertThat(vrrp.startup()).isEmpty();
    }

    // ---- Backup (§6.4.2) -----------------------------------------------------------------------

    @Test
    void backupBecomesMasterAfterMasterDownInterval() {
        VrrpStateMachine vrrp = started(100);
        ticker.advanceNanos(MASTER_DOWN_100);

        assertThat(vrrp.onTimer()).containsExactly(
                new Transition(VrrpState.BACKUP, VrrpState.MASTER, VrrpTransitionCause.MASTER_DOWN),
                new AddVips(VIPS),
                new SendAdvertisement(100),
                new SendGratuitousArp(VIPS),
                new ScheduleTimer(now() + SECOND));
        assertThat(vrrp.state()).isEqualTo(VrrpState.MASTER);
    }

    @Test
    void timerCalledBeforeItsDeadlineOnlyReschedules() {
        VrrpStateMachine vrrp = started(100);
        long deadline = now() + MASTER_DOWN_100;
        ticker.advanceNanos(MASTER_DOWN_100 - 1);

        assertThat(vrrp.onTimer()).containsExactly(new ScheduleTimer(deadline));
        assertThat(vrrp.state()).isEqualTo(VrrpState.BACKUP);
    }

    @Test
    void masterDownIntervalIncludesSkewTime() {
        VrrpStateMachine p100 = machine(100);
        VrrpStateMachine p200 = machine(200);

        // Three intervals plus (256 - priority) / 256 of one: the better backup moves first.
        assertThat(p100.startup()).contains(new ScheduleTimer(now() + 3 * SECOND + 609_375_000L));
        assertThat(p200.startup()).contains(new ScheduleTimer(now() + 3 * SECOND + 218_750_000L));
    }

    @Test
    void backupResetsTheMasterDownTimerOnEachAdvertisement() {
        VrrpStateMachine vrrp = started(100);
        ticker.advance(Duration.ofSeconds(3));
        long deadline = now() + MASTER_DOWN_100;

        assertThat(vrrp.onAdvertisement(150, ONE_SECOND, HIGHER_PEER)).containsExactly(new ScheduleTimer(deadline));
        ticker.advance(Duration.ofSeconds(3)); // past the first deadline, before the new one
        assertThat(vrrp.onTimer()).containsExactly(new ScheduleTimer(deadline));
        assertThat(vrrp.state()).isEqualTo(VrrpState.BACKUP);
    }

    @Test
    void backupLearnsTheMasterAdvertisementInterval() {
        VrrpStateMachine vrrp = started(100);

        // Master_Adver_Interval 0.5 s: 3 × 0.5 s + 156/256 × 0.5 s.
        assertThat(vrrp.onAdvertisement(150, 50, HIGHER_PEER))
                .containsExactly(new ScheduleTimer(now() + 1_500_000_000L + 304_687_500L));
        assertThat(vrrp.masterAdverIntervalCentis()).isEqualTo(50);
    }

    @Test
    void backupWithHigherPriorityPreemptsWhenPreemptIsOn() {
        VrrpStateMachine vrrp = machine(parameters(200));
        long takeover = now() + 3 * SECOND + 218_750_000L;
        vrrp.startup();

        // The lower-priority master's advertisements are discarded: the timer keeps running.
        for (int i = 0; i < 3; i++) {
            ticker.advance(Duration.ofSeconds(1));
            assertThat(vrrp.onAdvertisement(100, ONE_SECOND, LOWER_PEER)).isEmpty();
        }
        ticker.advanceNanos(takeover - now());
        assertThat(vrrp.onTimer()).startsWith(
                new Transition(VrrpState.BACKUP, VrrpState.MASTER, VrrpTransitionCause.MASTER_DOWN));
    }

    @Test
    void backupDoesNotPreemptWhenPreemptIsOff() {
        VrrpStateMachine vrrp = machine(parameters(200).withPreempt(false));
        vrrp.startup();

        for (int i = 0; i < 5; i++) {
            ticker.advance(Duration.ofSeconds(1));
            assertThat(vrrp.onAdvertisement(100, ONE_SECOND, LOWER_PEER))
                    .containsExactly(new ScheduleTimer(now() + 3 * SECOND + 218_750_000L));
        }
        assertThat(vrrp.onTimer()).hasSize(1).allMatch(a -> a instanceof ScheduleTimer);
        assertThat(vrrp.state()).isEqualTo(VrrpState.BACKUP);
    }

    @Test
    void ownerPreemptsEvenWhenPreemptIsOff() {
        // RFC 5798 §6.1: the owner always preempts. An owner starts as master unless unhealthy.
        VrrpStateMachine vrrp = machine(parameters(255).withPreempt(false));
        vrrp.setHealthy(false);
        vrrp.startup();
        long takeover = now() + VrrpTimers.masterDownIntervalNanos(255, ONE_SECOND);
        vrrp.setHealthy(true);

        assertThat(vrrp.onAdvertisement(100, ONE_SECOND, LOWER_PEER)).isEmpty();
        ticker.advanceNanos(takeover - now());
        assertThat(vrrp.onTimer()).startsWith(
                new Transition(VrrpState.BACKUP, VrrpState.MASTER, VrrpTransitionCause.MASTER_DOWN));
    }

    @Test
    void backupTakesOverSkewTimeAfterPriorityZero() {
        VrrpStateMachine vrrp = started(100);
        vrrp.onAdvertisement(150, ONE_SECOND, HIGHER_PEER);
        ticker.advance(Duration.ofMillis(500));

        assertThat(vrrp.onAdvertisement(0, ONE_SECOND, HIGHER_PEER)).containsExactly(new ScheduleTimer(now() + SKEW_100));
        ticker.advanceNanos(SKEW_100);
        assertThat(vrrp.onTimer()).startsWith(
                new Transition(VrrpState.BACKUP, VrrpState.MASTER, VrrpTransitionCause.MASTER_DOWN));
    }

    @Test
    void backupShutdownCancelsTheTimer() {
        VrrpStateMachine vrrp = started(100);

        assertThat(vrrp.shutdown()).containsExactly(
                new Transition(VrrpState.BACKUP, VrrpState.INITIALIZE, VrrpTransitionCause.SHUTDOWN),
                new CancelTimer());
        assertThat(vrrp.onTimer()).isEmpty();
    }

    // ---- Master (§6.4.3) -----------------------------------------------------------------------

    @Test
    void masterAdvertisesEveryInterval() {
        VrrpStateMachine vrrp = master(100);
        ticker.advance(Duration.ofSeconds(1));

        assertThat(vrrp.onTimer()).containsExactly(new SendAdvertisement(100), new ScheduleTimer(now() + SECOND));
    }

    @Test
    void masterYieldsToHigherPriority() {
        VrrpStateMachine vrrp = master(100);

        // The last advertisement before stepping down (keepalived's vrrp_higher_prio_send_advert)
        // makes a winner that was split from us hear a lower priority and re-announce the VIPs.
        assertThat(vrrp.onAdvertisement(150, 50, HIGHER_PEER)).containsExactly(
                new Transition(VrrpState.MASTER, VrrpState.BACKUP, VrrpTransitionCause.PREEMPTED),
                new SendAdvertisement(100),
                new RemoveVips(VIPS),
                new ScheduleTimer(now() + 1_500_000_000L + 304_687_500L));
        assertThat(vrrp.holdsVips()).isFalse();
        assertThat(vrrp.masterAdverIntervalCentis()).isEqualTo(50);
    }

    @Test
    void tieIsBrokenByTheHigherPrimaryAddress() {
        VrrpStateMachine vrrp = master(100);

        assertThat(vrrp.onAdvertisement(100, ONE_SECOND, HIGHER_PEER)).startsWith(
                new Transition(VrrpState.MASTER, VrrpState.BACKUP, VrrpTransitionCause.PREEMPTED));
    }

    @Test
    void tieWithALowerPrimaryAddressKeepsUsMaster() {
        VrrpStateMachine vrrp = master(100);

        assertThat(vrrp.onAdvertisement(100, ONE_SECOND, LOWER_PEER)).containsExactly(
                new SendAdvertisement(100), new SendGratuitousArp(VIPS), new ScheduleTimer(now() + SECOND));
        assertThat(vrrp.state()).isEqualTo(VrrpState.MASTER);
    }

    @Test
    void primaryAddressesCompareAsUnsignedNumbers() {
        // 200.0.0.1 > 10.0.0.2, although 200 is a negative Java byte.
        VrrpStateMachine vrrp = master(100);

        assertThat(vrrp.onAdvertisement(100, ONE_SECOND, ip("200.0.0.1"))).startsWith(
                new Transition(VrrpState.MASTER, VrrpState.BACKUP, VrrpTransitionCause.PREEMPTED));
    }

    @Test
    void masterAnswersLowerPriorityAdvertAtOnceAndSendsGratuitousArp() {
        VrrpStateMachine vrrp = master(150);
        ticker.advance(Duration.ofMillis(300));

        assertThat(vrrp.onAdvertisement(100, ONE_SECOND, HIGHER_PEER)).containsExactly(
                new SendAdvertisement(150), new SendGratuitousArp(VIPS), new ScheduleTimer(now() + SECOND));
        assertThat(vrrp.state()).isEqualTo(VrrpState.MASTER);
    }

    @Test
    void masterAnswersPriorityZeroWithAnAdvertisement() {
        VrrpStateMachine vrrp = master(100);

        assertThat(vrrp.onAdvertisement(0, ONE_SECOND, HIGHER_PEER))
                .containsExactly(new SendAdvertisement(100), new ScheduleTimer(now() + SECOND));
    }

    @Test
    void shutdownSendsPriorityZero() {
        VrrpStateMachine vrrp = master(100);

        assertThat(vrrp.shutdown()).containsExactly(
                new Transition(VrrpState.MASTER, VrrpState.INITIALIZE, VrrpTransitionCause.SHUTDOWN),
                new SendAdvertisement(0),
                new ScheduleTimer(now() + 4 * SECOND));
        assertThat(vrrp.state()).isEqualTo(VrrpState.INITIALIZE);
    }

    @Test
    void shutdownKeepsTheVipsUntilTheSuccessorAdvertises() {
        VrrpStateMachine vrrp = master(100);
        vrrp.shutdown();
        assertThat(vrrp.holdsVips()).isTrue();
        ticker.advanceNanos(SKEW_100);

        assertThat(vrrp.onAdvertisement(0, ONE_SECOND, LOWER_PEER)).isEmpty();
        assertThat(vrrp.onAdvertisement(50, ONE_SECOND, LOWER_PEER))
                .containsExactly(new RemoveVips(VIPS), new CancelTimer());
        assertThat(vrrp.holdsVips()).isFalse();
    }

    @Test
    void shutdownReleasesTheVipsWhenNoSuccessorAppears() {
        VrrpStateMachine vrrp = master(100);
        vrrp.shutdown();
        ticker.advanceNanos(vrrp.handoverTimeoutNanos());

        assertThat(vrrp.onTimer()).containsExactly(new RemoveVips(VIPS));
        assertThat(vrrp.holdsVips()).isFalse();
    }

    @Test
    void restartDuringHandoverAsBackupReleasesTheVips() {
        VrrpStateMachine vrrp = master(100);
        vrrp.shutdown();

        assertThat(vrrp.startup()).containsExactly(
                new Transition(VrrpState.INITIALIZE, VrrpState.BACKUP, VrrpTransitionCause.STARTUP),
                new RemoveVips(VIPS),
                new ScheduleTimer(now() + MASTER_DOWN_100));
    }

    // ---- health decides mastership -------------------------------------------------------------

    @Test
    void unhealthyMasterStepsDownWithPriorityZero() {
        VrrpStateMachine vrrp = master(100);

        assertThat(vrrp.setHealthy(false)).containsExactly(
                new Transition(VrrpState.MASTER, VrrpState.BACKUP, VrrpTransitionCause.UNHEALTHY),
                new SendAdvertisement(0),
                new RemoveVips(VIPS),
                new ScheduleTimer(now() + MASTER_DOWN_100));
        assertThat(vrrp.holdsVips()).isFalse();
    }

    @Test
    void unhealthyOwnerStartsAsBackup() {
        VrrpStateMachine vrrp = machine(255);
        vrrp.setHealthy(false);

        assertThat(vrrp.startup()).startsWith(
                new Transition(VrrpState.INITIALIZE, VrrpState.BACKUP, VrrpTransitionCause.STARTUP));
    }

    @Test
    void unhealthyBackupDoesNotBecomeMasterWhenItsTimerFires() {
        VrrpStateMachine vrrp = started(100);
        vrrp.setHealthy(false);
        ticker.advanceNanos(MASTER_DOWN_100);

        assertThat(vrrp.onTimer()).isEmpty();
        assertThat(vrrp.state()).isEqualTo(VrrpState.BACKUP);
    }

    @Test
    void unhealthyBackupDoesNotPreempt() {
        VrrpStateMachine vrrp = machine(parameters(200));
        vrrp.startup();
        vrrp.setHealthy(false);

        assertThat(vrrp.onAdvertisement(100, ONE_SECOND, LOWER_PEER))
                .containsExactly(new ScheduleTimer(now() + 3 * SECOND + 218_750_000L));
    }

    @Test
    void nodeHealthyAgainTakesOverAtOnceWhenNoMasterWasHeard() {
        VrrpStateMachine vrrp = started(100);
        vrrp.setHealthy(false);
        ticker.advanceNanos(MASTER_DOWN_100);
        vrrp.onTimer();

        assertThat(vrrp.setHealthy(true)).startsWith(
                new Transition(VrrpState.BACKUP, VrrpState.MASTER, VrrpTransitionCause.HEALTHY_AGAIN),
                new AddVips(VIPS));
    }

    @Test
    void nodeHealthyAgainStaysBackupWhileAMasterIsHeard() {
        VrrpStateMachine vrrp = master(100);
        vrrp.setHealthy(false);
        ticker.advanceNanos(SKEW_100);
        vrrp.onAdvertisement(90, ONE_SECOND, LOWER_PEER);

        assertThat(vrrp.setHealthy(true)).isEmpty();
        assertThat(vrrp.state()).isEqualTo(VrrpState.BACKUP);
    }

    @Test
    void unchangedHealthDoesNothing() {
        VrrpStateMachine vrrp = master(100);

        assertThat(vrrp.setHealthy(true)).isEmpty();
    }

    // ---- what is ignored -----------------------------------------------------------------------

    @Test
    void ignoresItsOwnAdvertisements() {
        VrrpStateMachine vrrp = master(100);

        assertThat(vrrp.onAdvertisement(200, ONE_SECOND, US)).isEmpty();
    }

    @Test
    void ignoresAdvertisementsOfAnotherVirtualRouter() {
        VrrpStateMachine vrrp = master(100);

        assertThat(vrrp.onAdvertisement(new VrrpPacket(52, 200, ONE_SECOND, VIPS), HIGHER_PEER)).isEmpty();
        assertThat(vrrp.onAdvertisement(new VrrpPacket(51, 200, ONE_SECOND, VIPS), HIGHER_PEER)).isNotEmpty();
    }

    @Test
    void ignoresAdvertisementsOfTheOtherFamily() {
        VrrpStateMachine vrrp = master(100);

        assertThat(vrrp.onAdvertisement(200, ONE_SECOND, ip("fe80::9"))).isEmpty();
    }

    // ---- helpers -------------------------------------------------------------------------------

    private long now() {
        return ticker.read();
    }

    private static VrrpParameters parameters(int priority) {
        return new VrrpParameters(51, priority, ONE_SECOND, true, US, VIPS);
    }

    private VrrpStateMachine machine(int priority) {
        return machine(parameters(priority));
    }

    private VrrpStateMachine machine(VrrpParameters parameters) {
        return new VrrpStateMachine(parameters, ticker);
    }

    private VrrpStateMachine started(int priority) {
        VrrpStateMachine vrrp = machine(priority);
        vrrp.startup();
        return vrrp;
    }

    /** A master of this priority that took over after Master_Down_Interval, at now(). */
    private VrrpStateMachine master(int priority) {
        VrrpStateMachine vrrp = started(priority);
        ticker.advanceNanos(VrrpTimers.masterDownIntervalNanos(priority, ONE_SECOND));
        vrrp.onTimer();
        assertThat(vrrp.state()).isEqualTo(VrrpState.MASTER);
        return vrrp;
    }
}
