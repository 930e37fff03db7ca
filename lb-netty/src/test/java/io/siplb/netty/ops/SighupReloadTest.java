package io.siplb.netty.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import io.siplb.netty.e2e.JavaLauncher;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code systemctl reload siplb} ({@code ExecReload=/bin/kill -HUP $MAINPID}): siplb, started as
 * its own JVM, reads its configuration file again on SIGHUP. A backend added to the file appears
 * in {@code GET /backends}; a file that no longer parses is refused, logged with its error, and
 * the running configuration stays. A SIGHUP inherited as ignored ({@code nohup}) cannot be handled,
 * and siplb says so at start instead of failing silently on the first reload.
 */
class SighupReloadTest {

    @Test
    void anIgnoredSighupIsReportedAtStart(@TempDir Path dir) throws Exception {
        int adminPort = Lab.freeTcpPort();
        Path config = dir.resolve("siplb.yaml");
        Files.writeString(config, config(Lab.freeUdpPort(), adminPort, "[{id: a, uri: \"sip:127.0.0.1:25901\"}]"));
        Process siplb = start(dir, List.of("env", "--ignore-signal=HUP"), config);
        try {
            awaitBackends(adminPort, siplb, dir, body -> body.contains("\"a\""));
            assertThat(log(dir)).contains("SIGHUP does not reload: it is ignored by this process");
        } finally {
            stop(siplb);
        }
    }

    @Test
    void sighupAppliesAnEditedFileAndKeepsTheRunningConfigurationWhenTheFileIsBroken(@TempDir Path dir)
            throws Exception {
        int adminPort = Lab.freeTcpPort();
        int sipPort = Lab.freeUdpPort();
        Path config = dir.resolve("siplb.yaml");
        Files.writeString(config, config(sipPort, adminPort, "[{id: a, uri: \"sip:127.0.0.1:25901\"}]"));
        // SIGHUP as systemd leaves it, even when this build itself runs under nohup
        Process siplb = start(dir, List.of("env", "--default-signal=HUP"), config);
        try {
            awaitBackends(adminPort, siplb, dir, body -> body.contains("\"a\""));

            Files.writeString(config, config(sipPort, adminPort,
                    "[{id: a, uri: \"sip:127.0.0.1:25901\"}, {id: b, uri: \"sip:127.0.0.1:25902\"}]"));
            hangUp(siplb);
            String withB = awaitBackends(adminPort, siplb, dir, body -> body.contains("\"b\""));
            assertThat(withB).contains("\"a\"");
            assertThat(log(dir)).contains("configuration reloaded from").contains("SIGHUP");

            Files.writeString(config, "backends: [this is not yaml\n");
            hangUp(siplb);
            awaitLog(dir, siplb, "refused, still running the previous configuration");
            assertThat(get(adminPort, "/backends")).as("backends after a refused reload").contains("\"a\"", "\"b\"");
            assertThat(siplb.isAlive()).as("siplb still running; log:\n" + log(dir)).isTrue();
        } finally {
            stop(siplb);
        }
    }

    /** siplb as its own JVM, its output in siplb.log; {@code prefix} sets up its signals. */
    private static Process start(Path dir, List<String> prefix, Path config) throws IOException {
        List<String> command = new ArrayList<>(prefix);
        command.addAll(List.of(JavaLauncher.java(), JavaLauncher.ENABLE_NATIVE_ACCESS,
                "-cp", System.getProperty("java.class.path"), "io.siplb.netty.cli.Main", "run", "--config", config.toString()));
        return Lab.startProcess(dir, "siplb", command);
    }

    private static void stop(Process siplb) throws InterruptedException {
        siplb.destroy();
        if (!siplb.waitFor(10, TimeUnit.SECONDS)) {
            siplb.destroyForcibly();
        }
    }

    private static String config(int sipPort, int adminPort, String backends) {
        return """
                listen: [udp://127.0.0.1:%d]
                backends: %s
                health: {enabled: false}
                flow-token: {secret: "%s"}
                admin: {listen: 127.0.0.1:%d}
                shutdown: {grace: 0s}
                """.formatted(sipPort, backends, Lab.SECRET, adminPort);
    }

    private static void hangUp(Process siplb) throws Exception {
        Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(siplb.pid())).inheritIO().start();
        assertThat(kill.waitFor(5, TimeUnit.SECONDS) && kill.exitValue() == 0).as("kill -HUP").isTrue();
    }

    /** The body of {@code GET /backends} once it satisfies {@code ready}; fails after 20 s. */
    private static String awaitBackends(int adminPort, Process siplb, Path dir, Predicate<String> ready) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        String body = "";
        while (System.nanoTime() < deadline) {
            if (!siplb.isAlive()) {
                fail("siplb exited with " + siplb.exitValue() + ":\n" + log(dir));
            }
            try {
                body = get(adminPort, "/backends");
                if (ready.test(body)) {
                    return body;
                }
            } catch (IOException notYet) {
                // admin not listening yet
            }
            Thread.sleep(100);
        }
        return fail("GET /backends never became ready; last body: " + body + "\nlog:\n" + log(dir));
    }

    private static void awaitLog(Path dir, Process siplb, String text) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline && siplb.isAlive()) {
            if (log(dir).contains(text)) {
                return;
            }
            Thread.sleep(100);
        }
        fail("no \"" + text + "\" in the log:\n" + log(dir));
    }

    private static String get(int adminPort, String path) throws IOException, InterruptedException {
        HttpResponse<String> r = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        return r.body();
    }

    private static String log(Path dir) throws IOException {
        return Files.readString(dir.resolve("siplb.log"));
    }
}
