package io.siplb.netty.dns;

import io.siplb.config.ConfigLoader;
import io.siplb.hash.Backend;
import io.siplb.hash.BackendState;
import io.siplb.netty.Assembly;
import io.siplb.netty.SiplbServer;
import io.siplb.netty.e2e.RunDirectory;
import io.siplb.netty.reload.ConfigReloader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * siplb with a {@code srv:} backend entry against a real DNS server (dnsmasq on loopback, TTL
 * 1 s, {@code dns.min-ttl: 1s}): the targets become backends; a changed zone changes the backend
 * set within about one TTL; a DNS outage keeps the last good set. Prints {@code [dns]} lines
 * with the measured times (docs/health.md).
 */
@Timeout(90)
class DnsSrvBackendsTest {

    private static final String SRV = "_sip._udp.pool.test";

    private Dnsmasq dns;
    private SiplbServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
        if (dns != null) {
            dns.close();
        }
    }

    @Test
    void followsTheZoneWithinOneTtlAndKeepsTheLastGoodSetWhileDnsIsDown() throws Exception {
        Path dir = RunDirectory.create("dns-srv");
        dns = new Dnsmasq(dir, 1);
        dns.serve(zone(target("b1", 5071, 10, 10), target("b2", 5072, 10, 20)));
        Path config = dir.resolve("siplb.yaml");
        Files.writeString(config, """
                listen: [udp://127.0.0.1:%d]
                backends:
                  - srv: %s
                dns: {servers: ["127.0.0.1:%d"], min-ttl: 1s, timeout: 300ms}
                health: {enabled: false}
                flow-token: {secret: "dns-test-key-0123456789abcdef"}
                admin: {listen: "127.0.0.1:%d"}
                """.formatted(Dnsmasq.freePort(), SRV, dns.port, Dnsmasq.freePort()));
        server = new SiplbServer(Assembly.of(ConfigLoader.load(config)), 1).configFile(config);
        server.start();

        // started: both targets, ids <target>:<port>, SRV weights as siplb weights
        assertThat(backends()).containsExactly(
                Map.entry("b1.pool.test:5071", "127.0.0.1:5071 w10"),
                Map.entry("b2.pool.test:5072", "127.0.0.1:5072 w20"));
        assertThat(adminBackends()).contains("\"id\":\"b1.pool.test:5071\"", "\"id\":\"b2.pool.test:5072\"");

        // the zone changes: b1 leaves, b3 arrives
        dns.serve(zone(target("b2", 5072, 10, 20), target("b3", 5073, 10, 10)));
        long changed = System.nanoTime(); // the new zone is served from here
        long tookMs = awaitIds(List.of("b2.pool.test:5072", "b3.pool.test:5073"), changed, Duration.ofSeconds(10));
        System.out.println("[dns] zone change (b1 out, b3 in) seen after " + tookMs + " ms (TTL 1 s, min-ttl 1 s)");
        assertThat(tookMs).isLessThan(1_000 + 1_500); // one TTL + a query round and the table build
        assertThat(adminBackends()).contains("\"id\":\"b3.pool.test:5073\"").doesNotContain("b1.pool.test");

        // DNS down: every refresh times out; the last good set stays
        dns.stop();
        long down = System.nanoTime();
        while (System.nanoTime() - down < Duration.ofSeconds(3).toNanos()) {
            assertThat(backends().keySet()).containsExactly("b2.pool.test:5072", "b3.pool.test:5073");
            Dnsmasq.sleep(100);
        }
        System.out.println("[dns] DNS down for 3 s: backend set unchanged");

        // DNS back with another change: picked up again
        dns.serve(zone(target("b3", 5073, 10, 10), target("b4", 5074, 10, 10)));
        long back = System.nanoTime();
        long recoveredMs = awaitIds(List.of("b3.pool.test:5073", "b4.pool.test:5074"), back, Duration.ofSeconds(10));
        System.out.println("[dns] after the outage, zone change seen after " + recoveredMs + " ms");
        assertThat(recoveredMs).isLessThan(1_000 + 1_500);
    }

    @Test
    void aReloadAddsAndRemovesAnSrvEntryNextToStaticBackends() throws Exception {
        Path dir = RunDirectory.create("dns-srv-reload");
        dns = new Dnsmasq(dir, 1);
        dns.serve(zone(target("b1", 5071, 10, 10), target("b2", 5072, 20, 10)));
        Path config = dir.resolve("siplb.yaml");
        String head = """
                listen: [udp://127.0.0.1:%d]
                dns: {servers: ["127.0.0.1:%d"], min-ttl: 1s, timeout: 300ms}
                health: {enabled: false}
                flow-token: {secret: "dns-test-key-0123456789abcdef"}
                admin: {listen: "127.0.0.1:%d"}
                backends:
                  - {id: s1, uri: "sip:127.0.0.1:5090"}
                """.formatted(Dnsmasq.freePort(), dns.port, Dnsmasq.freePort());
        Files.writeString(config, head);
        server = new SiplbServer(Assembly.of(ConfigLoader.load(config)), 1).configFile(config);
        server.start();
        assertThat(backends().keySet()).containsExactly("s1");

        Files.writeString(config, head + "  - {srv: " + SRV + ", id-prefix: p-}\n");
        ConfigReloader.Result added = server.reload("test").get(10, TimeUnit.SECONDS);
        assertThat(added.applied()).as(added.text()).isTrue();
        assertThat(added.changes()).containsExactly("added srv " + SRV + " id-prefix p-");
        assertThat(backends().keySet()).containsExactly("p-b1.pool.test:5071", "p-b2.pool.test:5072", "s1");
        // priority 20 stands by while the priority 10 target is up (health off: always)
        assertThat(server.routingView().get().backends().state("p-b2.pool.test:5072")).isEqualTo(BackendState.DRAINING);
        assertThat(server.routingView().get().backends().state("p-b1.pool.test:5071")).isEqualTo(BackendState.UP);

        Files.writeString(config, head);
        ConfigReloader.Result removed = server.reload("test").get(10, TimeUnit.SECONDS);
        assertThat(removed.applied()).as(removed.text()).isTrue();
        assertThat(removed.changes()).containsExactly("removed srv " + SRV + " id-prefix p-");
        assertThat(backends().keySet()).containsExactly("s1");
    }

    /** A target's SRV record and its address record (127.0.0.1, told apart by port). */
    private static List<String> target(String host, int port, int priority, int weight) {
        return List.of("srv-host=" + SRV + "," + host + ".pool.test," + port + "," + priority + "," + weight,
                "host-record=" + host + ".pool.test,127.0.0.1");
    }

    @SafeVarargs
    private static List<String> zone(List<String>... targets) {
        return java.util.Arrays.stream(targets).flatMap(List::stream).toList();
    }

    /** id → "host:port wW" of the routing view in force. */
    private Map<String, String> backends() {
        Map<String, String> m = new TreeMap<>();
        for (Backend b : server.routingView().get().backends().backends()) {
            m.put(b.id(), b.host() + ":" + b.port() + " w" + b.weight());
        }
        return m;
    }

    private long awaitIds(List<String> ids, long sinceNanos, Duration limit) {
        while (System.nanoTime() - sinceNanos < limit.toNanos()) {
            if (List.copyOf(backends().keySet()).equals(ids)) {
                return (System.nanoTime() - sinceNanos) / 1_000_000;
            }
            Dnsmasq.sleep(10);
        }
        throw new AssertionError("backends not " + ids + " within " + limit + ": " + backends());
    }

    private String adminBackends() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.adminAddress().getPort() + "/backends")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }
}
