package io.siplb.netty.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus server (the Debian package's binary, started directly: its own temporary
 * configuration and data directory, a free loopback port, stopped by PID) scrapes siplb's
 * {@code /metrics}, and a query through its HTTP API returns siplb's series.
 */
class PrometheusScrapeTest {

    @Test
    void prometheusScrapesSiplbAndAQueryReturnsTheRegisterCount(@TempDir Path dir) throws Exception {
        Path prometheus = Tools.require("prometheus", "prometheus");
        try (Lab lab = new Lab()) {
            lab.register("alice", "");
            lab.register("bob", "");
            int port = Lab.freeTcpPort();
            Path config = dir.resolve("prometheus.yml");
            Files.writeString(config, """
                    global:
                      scrape_interval: 1s
                    scrape_configs:
                      - job_name: siplb
                        scrape_interval: 1s
                        static_configs:
                          - targets: ["127.0.0.1:%d"]
                    """.formatted(lab.server.adminAddress().getPort()));
            Process server = new ProcessBuilder(prometheus.toString(),
                    "--config.file=" + config,
                    "--storage.tsdb.path=" + dir.resolve("data"),
                    "--web.listen-address=127.0.0.1:" + port)
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("prometheus.log").toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            try {
                String query = "siplb_requests_total{job=\"siplb\",method=\"REGISTER\",side=\"outside\"}";
                String body = awaitResult(lab, port, query, dir.resolve("prometheus.log"), server);

                assertThat(body).contains("\"status\":\"success\"")
                        .contains("\"__name__\":\"siplb_requests_total\"")
                        .contains("\"method\":\"REGISTER\"")
                        .contains("\"2\"]");
                String up = query(lab, port, "up{job=\"siplb\"}");
                assertThat(up).contains("\"1\"]");
            } finally {
                server.destroy(); // SIGTERM to this PID only
                if (!server.waitFor(10, TimeUnit.SECONDS)) {
                    server.destroyForcibly().waitFor();
                }
            }
        }
    }

    /** Polls until the query returns a sample (Prometheus starts, then scrapes every second). */
    private static String awaitResult(Lab lab, int port, String query, Path log, Process server) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String last = "";
        while (System.nanoTime() < deadline) {
            if (!server.isAlive()) {
                fail("prometheus exited with " + server.exitValue() + ":\n" + Files.readString(log));
            }
            try {
                last = query(lab, port, query);
                if (last.contains("\"result\":[{")) {
                    return last;
                }
            } catch (java.io.IOException notYetListening) {
                last = notYetListening.toString();
            }
            Thread.sleep(250);
        }
        fail("no result for " + query + " within 60s; last answer: " + last + "\nlog:\n" + Files.readString(log));
        return null;
    }

    private static String query(Lab lab, int port, String promql) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + port + "/api/v1/query?query="
                + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        HttpResponse<String> r = lab.http.send(HttpRequest.newBuilder(uri).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        return r.body();
    }
}
