package io.siplb.netty.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 4, drain: {@code POST /backends/b1/drain} while calls on b1 are up. No new AOR reaches
 * b1 afterwards, while the BYEs of its calls still do (in-dialog requests follow Route).
 */
@Timeout(60)
class HealthDrainE2ETest {
    private HealthLab lab;

    @AfterEach
    void stop() {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void sendsNoNewAorToADrainedBackendWhileTheByeOfAnExistingCallStillReachesIt() {
        lab = new HealthLab("HealthDrainE2ETest", 3, 3);
        lab.awaitAllUp(Duration.ofSeconds(10));
        List<String> callers = InjectionFile.users("d", 60);
        SippProcess reg = lab.register("callers", callers, callers.size(), 100);
        assertThat(reg.awaitResult(Duration.ofSeconds(20)).stats().failed()).isZero();
        Map<String, String> home = lab.homes(reg);
        List<String> onB1 = callers.stream().filter(u -> home.get(u).equals("b1")).toList();
        assertThat(onB1).isNotEmpty();

        // calls held 4 s (uac-health-call.xml); drain b1 once their INVITEs are through
        SippProcess calls = lab.uac("calls", "uac-health-call.xml", onB1, onB1.size(), 50);
        PortProbe.sleep(Duration.ofMillis(1500));
        HttpResponse<String> drained = lab.post("/backends/b1/drain");
        assertThat(drained.statusCode()).as(drained.body()).isEqualTo(200);
        assertThat(lab.get("/backends").body()).contains("\"id\":\"b1\"").containsPattern(
                "\"id\":\"b1\"[^}]*\"state\":\"DRAINING\"[^}]*\"drained\":true");

        List<String> newUsers = InjectionFile.users("n", 200);
        SippProcess fresh = lab.register("new-users", newUsers, newUsers.size(), 200);
        SippProcess.Result freshResult = fresh.awaitResult(Duration.ofSeconds(20));
        SippProcess.Result callResult = calls.awaitResult(Duration.ofSeconds(30));

        Map<String, Set<String>> freshHomes = lab.registersFrom(fresh, e -> true);
        Set<String> byesOnB1 = lab.entries().stream()
                .filter(e -> e.backend().equals("b1") && e.method().equals("BYE"))
                .map(BackendLog.Entry::user).collect(Collectors.toSet());
        long freshOnB1 = freshHomes.values().stream().filter(s -> s.contains("b1")).count();
        System.out.printf("[health] drain: %d calls on b1 held across the drain, BYEs that reached b1: %d; "
                        + "new AORs registered: %d, of them on b1: %d%n",
                onB1.size(), byesOnB1.size(), freshHomes.size(), freshOnB1);

        assertThat(freshResult.stats().failed()).as("new REGISTERs, %s", freshResult.stats()).isZero();
        assertThat(freshHomes).hasSize(newUsers.size());
        assertThat(freshOnB1).as("new AORs on the drained b1").isZero();
        assertThat(callResult.stats().successful()).as("calls, %s\n%s", callResult.stats(), calls.diagnostics())
                .isEqualTo(onB1.size());
        assertThat(byesOnB1).as("BYEs of the calls on b1").containsExactlyInAnyOrderElementsOf(onB1);
    }

    @Test
    void answers404ToADrainOfAnUnknownBackend() {
        lab = new HealthLab("HealthDrainE2ETest-404", 1, 1);

        assertThat(lab.post("/backends/nope/drain").statusCode()).isEqualTo(404);
        assertThat(lab.post("/backends/b1/undrain").statusCode()).isEqualTo(200);
    }
}
