package io.siplb.netty.cli;

import io.siplb.config.SiplbConfig;
import io.siplb.netty.Assembly;
import io.siplb.netty.SiplbServer;
import io.siplb.netty.Transports;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code siplb run --config FILE}: starts siplb, logs one line naming its listeners and backends,
 * and runs until SIGTERM or SIGINT; then closes everything and exits 0.
 */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Run siplb until SIGTERM or SIGINT.")
final class RunCommand implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(RunCommand.class);

    @Mixin
    ConfigOption config;

    @Override
    public Integer call() throws Exception {
        SiplbConfig loaded = config.load();
        SiplbServer server = new SiplbServer(Assembly.of(loaded));
        CountDownLatch stop = new CountDownLatch(1);
        TerminationSignals.onTermination(stop::countDown);
        try {
            server.start();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start: " + e.getMessage(), e);
        }
        log.info("siplb started ({}): udp {} tcp {} advertise {} admin {}; backends {}",
                Transports.name(), server.udpAddresses(), server.tcpAddresses(), loaded.advertise(),
                server.adminAddress(), backends(loaded));
        stop.await();
        log.info("siplb stopping");
        server.stop();
        log.info("siplb stopped");
        return 0;
    }

    private static List<String> backends(SiplbConfig config) {
        List<String> out = new ArrayList<>();
        for (var b : config.backends()) {
            out.add(b.id() + "=" + b.uri() + (b.weight() == 1 ? "" : " w" + b.weight()));
        }
        return out;
    }
}
