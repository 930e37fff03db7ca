package io.siplb.netty.ha;

import io.siplb.netty.e2e.ManagedProcess;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The e2e tests' Kamailio registrar ({@code e2e/kamailio/registrar.cfg}: registrar with Path
 * support, location in memory, stateful proxy) in one lab node, listening on the node's
 * address, port 5060. In the foreground ({@code -DD -E}, log in the lab directory) under
 * {@code timeout}; its run-time files stay in its own directory; stopped by PID.
 */
final class LabKamailio implements AutoCloseable {

    private static final Duration READY_LIMIT = Duration.ofSeconds(15);

    private final ManagedProcess process;

    private LabKamailio(ManagedProcess process) {
        this.process = process;
    }

    /** Starts the registrar in {@code node} and returns once it listens (bounded). */
    static LabKamailio registrar(HaLab lab, String node, Duration lifetime) {
        Path dir = lab.dir();
        String name = "registrar-" + node;
        Path cfg = dir.resolve(name + ".cfg");
        Path run = dir.resolve(name + "-run");
        try (InputStream in = LabKamailio.class.getResourceAsStream("/e2e/kamailio/registrar.cfg")) {
            if (in == null) {
                throw new IllegalStateException("no test resource /e2e/kamailio/registrar.cfg");
            }
            Files.write(cfg, in.readAllBytes());
            Files.createDirectories(run);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> cmd = new ArrayList<>(List.of("timeout", "-k", "5", lifetime.toSeconds() + "s",
                "kamailio", "-f", cfg.toString(), "-w", dir.toString(), "-Y", run.toString(),
                "-P", run.resolve("kamailio.pid").toString(), "-m", "32", "-M", "4",
                "-A", "REG_LISTEN=udp:" + lab.address(node) + ":5060", "-DD", "-E"));
        LabKamailio k = new LabKamailio(lab.start(node, name, cmd));
        lab.own(k);
        boolean up = HaLab.await(READY_LIMIT, () -> !k.process.isAlive()
                || lab.run(List.of("ip", "netns", "exec", lab.ns(node), "ss", "-Hlun", "sport", "=", ":5060"))
                .contains(lab.address(node) + ":5060"));
        if (!up || !k.process.isAlive()) {
            throw new IllegalStateException(name + " does not listen on " + lab.address(node) + ":5060:\n"
                    + k.process.logTail(3000));
        }
        return k;
    }

    /** Kamailio's log so far (stderr: the xlog lines of registrar.cfg). */
    String log() {
        try {
            return Files.exists(process.log()) ? Files.readString(process.log(), StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** How many REGISTERs for {@code user} it logged ("REGISTER sip:user@..." from registrar.cfg's xlog). */
    int registersOf(String user) {
        String needle = "REGISTER sip:" + user + "@";
        int n = 0;
        for (String line : log().split("\n")) {
            if (line.contains(needle)) {
                n++;
            }
        }
        return n;
    }

    String logTail() {
        return process.logTail(3000);
    }

    @Override
    public void close() {
        process.stop(Duration.ofSeconds(5));
    }
}
