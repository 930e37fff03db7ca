package io.siplb.netty.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.siplb.health.HealthState;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 4, reload: a fourth backend added by {@code POST /reload} takes about a quarter of the
 * AORs and no AOR moves anywhere else; a broken file is refused with its error while traffic
 * goes on as before.
 */
@Timeout(60)
class HealthReloadE2ETest {
    private static final int USERS = 400;
    private HealthLab lab;

    @AfterEach
    void stop() {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void addingAFourthBackendMovesAboutAQuarterOfTheAorsAllToIt() {
        lab = new HealthLab("HealthReloadE2ETest-add", 4, 3);
        lab.awaitAllUp(Duration.ofSeconds(10));
        List<String> users = InjectionFile.users("r", USERS);
        SippProcess before = lab.register("before", users, USERS, 400);
        assertThat(before.awaitResult(Duration.ofSeconds(20)).stats().failed()).isZero();
        Map<String, String> was = lab.homes(before);

        lab.writeConfig(4, "");
        HttpResponse<String> reload = lab.post("/reload");
        assertThat(reload.statusCode()).as(reload.body()).isEqualTo(200);
        assertThat(reload.body()).contains("added b4");
        Duration up = lab.awaitState("b4", HealthState.UP, Duration.ofSeconds(5));
        assertThat(lab.states()).as("unchanged backends keep their state")
                .containsEntry("b1", HealthState.UP).containsEntry("b2", HealthState.UP)
                .containsEntry("b3", HealthState.UP);

        SippProcess after = lab.register("after", users, USERS, 400);
        assertThat(after.awaitResult(Duration.ofSeconds(20)).stats().failed()).isZero();
        Map<String, String> now = lab.homes(after);
        long moved = users.stream().filter(u -> !was.get(u).equals(now.get(u))).count();
        long movedElsewhere = users.stream()
                .filter(u -> !was.get(u).equals(now.get(u)) && !now.get(u).equals("b4")).count();
        System.out.printf("[health] reload +b4: b4 UP %d ms after the reload answered; moved %d of %d AORs "
                + "(%.1f %%), to another backend than b4: %d; per backend before %s after %s%n",
                up.toMillis(), moved, USERS, 100.0 * moved / USERS, movedElsewhere, HealthLab.count(was),
                HealthLab.count(now));

        assertThat(movedElsewhere).as("AORs that moved anywhere but b4").isZero();
        assertThat((double) moved / USERS).as("share moved to b4").isBetween(0.17, 0.33);
    }

    @Test
    void refusesABrokenFileAndAListenChangeAndKeepsRouting() {
        lab = new HealthLab("HealthReloadE2ETest-broken", 2, 2);
        lab.awaitAllUp(Duration.ofSeconds(10));
        List<String> users = InjectionFile.users("k", 100);
        SippProcess before = lab.register("before", users, users.size(), 200);
        assertThat(before.awaitResult(Duration.ofSeconds(20)).stats().failed()).isZero();

        lab.writeConfig(1, "bogus-key: 1\n");
        HttpResponse<String> broken = lab.post("/reload");
        lab.writeConfig(2, "");
        lab.write(lab.readConfig().replace("udp://127.0.0.1:" + lab.lbPort, "udp://127.0.0.1:" + (lab.lbPort + 1)));
        HttpResponse<String> listen = lab.post("/reload");
        System.out.printf("[health] broken reload: %d %s%n[health] listen change: %d %s%n",
                broken.statusCode(), broken.body().strip(), listen.statusCode(), listen.body().strip());

        assertThat(broken.statusCode()).isEqualTo(400);
        assertThat(broken.body()).contains("siplb.yaml:").contains("unknown key 'bogus-key'");
        assertThat(listen.statusCode()).isEqualTo(400);
        assertThat(listen.body()).contains("listen: cannot change on reload");
        assertThat(lab.states()).as("the old backends stay").containsOnlyKeys("b1", "b2");
        SippProcess after = lab.register("after", users, users.size(), 200);
        assertThat(after.awaitResult(Duration.ofSeconds(20)).stats().failed()).isZero();
        assertThat(lab.homes(after)).isEqualTo(lab.homes(before));
    }
}
