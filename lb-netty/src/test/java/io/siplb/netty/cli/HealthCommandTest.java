package io.siplb.netty.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code siplb health}: the exit status follows GET /health/node, for keepalived's track_script. */
class HealthCommandTest {

    private HttpServer http;
    private final AtomicInteger status = new AtomicInteger(200);
    private final AtomicReference<String> authorization = new AtomicReference<>();
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void startAdmin() throws IOException {
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.createContext("/health/node", exchange -> {
            authorization.set(exchange.getRequestHeaders().getFirst("Authorization"));
            byte[] body = (status.get() == 200 ? "ok\nvrrp MASTER vrid 77" : "unhealthy: no backend up")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status.get(), body.length);
            try (OutputStream o = exchange.getResponseBody()) {
                o.write(body);
            }
        });
        http.start();
    }

    @AfterEach
    void stopAdmin() {
        http.stop(0);
    }

    private int run(String... args) {
        CommandLine cl = Main.commandLine(new ByteArrayInputStream(new byte[0]));
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    private String admin() {
        return "http://127.0.0.1:" + http.getAddress().getPort();
    }

    @Test
    void healthyNodeExitsZeroAndPrintsTheBody() {
        assertThat(run("health", "--admin", admin())).isZero();
        assertThat(out.toString()).contains("ok").contains("vrrp MASTER");
    }

    @Test
    void unhealthyNodeExitsOne() {
        status.set(503);

        assertThat(run("health", "--admin", admin())).isEqualTo(1);
        assertThat(out.toString()).contains("unhealthy: no backend up");
        assertThat(err.toString()).contains("answered 503");
    }

    @Test
    void noAnswerExitsOne() {
        int port = http.getAddress().getPort();
        http.stop(0);

        assertThat(run("health", "--admin", "127.0.0.1:" + port, "--timeout", "300")).isEqualTo(1);
        assertThat(err.toString()).startsWith("siplb health: http://127.0.0.1:" + port + "/health/node");
    }

    @Test
    void tokenFileIsSentAsBearer(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws IOException {
        java.nio.file.Path token = java.nio.file.Files.writeString(dir.resolve("admin.token"), "s3cret-token-0123456789\n");

        assertThat(run("health", "--admin", admin(), "--token-file", token.toString())).isZero();
        assertThat(authorization.get()).isEqualTo("Bearer s3cret-token-0123456789");
    }

    @Test
    void adminUrlWithoutAPathGetsHealth() {
        assertThat(HealthCommand.healthUri("127.0.0.1:8080").toString()).isEqualTo("http://127.0.0.1:8080/health/node");
        assertThat(HealthCommand.healthUri("http://10.0.0.1:9090/").toString()).isEqualTo("http://10.0.0.1:9090/health/node");
        assertThat(HealthCommand.healthUri("http://10.0.0.1:9090/ready").toString()).isEqualTo("http://10.0.0.1:9090/ready");
    }
}
