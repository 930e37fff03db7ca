package io.siplb.netty.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.siplb.health.HealthState;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 4, "done when": a home proxy dies under REGISTER load and comes back; a proxy whose port
 * is closed is found through ICMP. siplb in this JVM, three SIPp backends ({@link HealthLab}),
 * 300 users. Measured numbers go to the test output ({@code [health] ...} lines) and docs/health.md.
 */
@Timeout(60)
class HealthFailoverE2ETest {
    private static final int USERS = 300;
    /** Polling of the tracker's state adds up to 10 ms and a few ms of thread hand-off. */
    private static final Duration POLL_SLACK = Duration.ofMillis(100);

    private HealthLab lab;

    @AfterEach
    void stop() {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void movesOnlyTheUsersOfAHungBackendWithinTheDetectionBoundAndBringsThemBackAfterRiseProbes() {
        lab = new HealthLab("HealthFailoverE2ETest-hang", 3, 3);
        lab.awaitAllUp(Duration.ofSeconds(10));
        List<String> users = InjectionFile.users("f", USERS);

        SippProcess before = lab.register("before", users, USERS, 300);
        assertClean(before.awaitResult(Duration.ofSeconds(20)), before, USERS);
        Map<String, String> home = lab.homes(before);
        assertThat(home).hasSize(USERS);
        assertThat(HealthLab.count(home)).as("users per backend").containsOnlyKeys("b1", "b2", "b3");

        // 100 REGISTER/s for 8 s, cycling over the users; b2 hangs (SIGSTOP: port open, no answer) at ~1 s
        int rate = 100;
        SippProcess load = lab.register("load", users, rate * 8L, rate);
        PortProbe.sleep(Duration.ofSeconds(1));
        lab.signal("b2", "STOP");
        Duration detection = lab.awaitState("b2", HealthState.DOWN, Duration.ofSeconds(5));
        Duration bound = HealthLab.INTERVAL.multipliedBy(HealthLab.FALL).plus(HealthLab.TIMEOUT);
        PortProbe.sleep(Duration.ofSeconds(2));
        lab.signal("b2", "CONT");
        Duration recovery = lab.awaitState("b2", HealthState.UP, Duration.ofSeconds(5));
        SippProcess.Result loadResult = load.awaitResult(Duration.ofSeconds(30));

        SippProcess after = lab.register("after", users, USERS, 300);
        assertClean(after.awaitResult(Duration.ofSeconds(20)), after, USERS);

        long b2Users = home.values().stream().filter("b2"::equals).count();
        Map<String, Set<String>> during = lab.registersFrom(load, e -> true);
        long moved = during.entrySet().stream().filter(e -> e.getValue().size() > 1).count();
        System.out.printf("[health] hang: detection %d ms (bound %d ms), back UP %d ms after SIGCONT (rise %d x "
                        + "interval %d ms), load %s, users of b2 %d of %d, users that reached two backends %d%n",
                detection.toMillis(), bound.toMillis(), recovery.toMillis(), HealthLab.RISE,
                HealthLab.INTERVAL.toMillis(), loadResult.stats(), b2Users, USERS, moved);

        assertThat(detection).as("detection").isLessThanOrEqualTo(bound.plus(POLL_SLACK));
        assertThat(recovery).as("back after rise probes")
                .isLessThanOrEqualTo(HealthLab.INTERVAL.multipliedBy(HealthLab.RISE).plus(HealthLab.TIMEOUT)
                        .plus(POLL_SLACK));
        // only b2's users move: everybody else stays on its home during the whole run
        during.forEach((user, where) -> {
            if (!home.get(user).equals("b2")) {
                assertThat(where).as("backends that got %s (home %s)", user, home.get(user))
                        .containsExactly(home.get(user));
            }
        });
        // and they come back: after the recovery every user is on its first home again
        assertThat(lab.homes(after)).as("homes after b2 came back").isEqualTo(home);
        // failures only from the detection window: the REGISTERs b2 swallowed while frozen and not yet
        // known dead (its share of the rate × the window, plus the one in flight per retransmit interval)
        long windowBound = Math.round(rate / 3.0 * (detection.toMillis() + 500) / 1000.0) + 10;
        assertThat(loadResult.stats().failed()).as("failed REGISTERs under load, %s", loadResult.stats())
                .isLessThanOrEqualTo(windowBound);
    }

    @Test
    void findsABackendWhosePortIsClosedWithinOneIntervalThroughIcmp() {
        lab = new HealthLab("HealthFailoverE2ETest-icmp", 3, 3);
        lab.awaitAllUp(Duration.ofSeconds(10));

        lab.backends.get("b3").close(); // SIPp ends: its UDP port is closed, the kernel answers ICMP
        Duration detection = lab.awaitState("b3", HealthState.DOWN, Duration.ofSeconds(5));
        System.out.printf("[health] closed port: b3 DOWN %d ms after its SIPp exited (interval %d ms)%n",
                detection.toMillis(), HealthLab.INTERVAL.toMillis());

        assertThat(detection).isLessThanOrEqualTo(HealthLab.INTERVAL.plus(POLL_SLACK));
        assertThat(lab.states()).containsEntry("b1", HealthState.UP).containsEntry("b2", HealthState.UP);
    }

    private static void assertClean(SippProcess.Result r, SippProcess uac, int calls) {
        assertThat(r.stats().successful()).as("successful, %s\n%s", r.stats(), uac.diagnostics()).isEqualTo(calls);
        assertThat(r.stats().failed()).as("failed, %s", r.stats()).isZero();
    }
}
