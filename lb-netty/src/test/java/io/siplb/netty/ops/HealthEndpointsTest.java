package io.siplb.netty.ops;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /health} is the operator contract (200 once the SIP listeners are bound, whatever the
 * backends do); {@code /health/node} says whether this node should hold the VIP.
 */
class HealthEndpointsTest {

    private Lab lab;

    @BeforeEach
    void start() throws Exception {
        lab = new Lab();
    }

    @AfterEach
    void stop() throws Exception {
        lab.close();
    }

    @Test
    void healthAnswers200WhileNoBackendIsUpAndSaysSoInTheBody() throws Exception {
        lab.server.healthHooks(() -> "no backend up", () -> "vrrp BACKUP vrid 77");

        HttpResponse<String> health = lab.get("/health");

        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).startsWith("ok").contains("node unhealthy: no backend up").contains("vrrp BACKUP");
    }

    @Test
    void nodeHealthAnswers503WhileTheNodeIsUnhealthy() throws Exception {
        lab.server.healthHooks(() -> "no backend up", null);

        HttpResponse<String> node = lab.get("/health/node");

        assertThat(node.statusCode()).isEqualTo(503);
        assertThat(node.body().strip()).isEqualTo("unhealthy: no backend up");
    }

    @Test
    void nodeHealthAnswers200WhenTheNodeIsHealthy() throws Exception {
        lab.server.healthHooks(() -> null, null);

        assertThat(lab.get("/health/node").statusCode()).isEqualTo(200);
        assertThat(lab.get("/health").body().strip()).isEqualTo("ok");
    }
}
