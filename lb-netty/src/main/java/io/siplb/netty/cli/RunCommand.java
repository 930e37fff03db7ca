package io.siplb.netty.cli;

import io.siplb.config.SiplbConfig;
import io.siplb.netty.Assembly;
import io.siplb.netty.SiplbServer;
import io.siplb.netty.Transports;
import io.siplb.netty.pipeline.SipCounters;
import io.siplb.route.DropReason;
import io.siplb.netty.vrrp.HighAvailability;
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
 * and runs until SIGTERM or SIGINT; then drains for up to {@code shutdown.grace} (new initial
 * requests 503 with Retry-After, in-flight ones finish), closes everything and exits 0.
 */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Run siplb until SIGTERM or SIGINT.")
final class RunCommand implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(RunCommand.class);

    @Mixin
    ConfigOption config;

    @Override
    public Integer call() throws Exception {
        SiplbConfig loaded = config.load();
        LogFormat.apply(loaded.logging().format());
        SiplbServer server = new SiplbServer(Assembly.of(loaded)).configFile(config.file);
        if (!Signals.onHangup(() -> server.reload("SIGHUP"))) {
            log.warn("SIGHUP does not reload: it is ignored by this process (started under nohup?) or cannot be"
                    + " handled on this JVM; reload with POST /reload");
        }
        CountDownLatch stop = new CountDownLatch(1);
        Signals.onTermination(stop::countDown);
        try {
            server.start();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start: " + e.getMessage(), e);
        }
        log.info("siplb started ({}): udp {} tcp {} tls {} advertise {} admin {}; backends {}",
                Transports.name(), server.udpAddresses(), server.tcpAddresses(), server.tlsAddresses(), loaded.advertise(),
                server.adminAddress(), backends(loaded));
        // node health for /health, and the VRRP speaker when vrrp: is configured (io.siplb.netty.vrrp)
        HighAvailability ha;
        try {
            ha = HighAvailability.start(server.assembly(), server::isReady, server.routingView()::get,
                    server.eventLoopGroups(), server.metrics().registry(), () -> server.healthMonitor().statuses());
        } catch (RuntimeException e) {
            server.stop();
            throw new IllegalStateException("cannot start: " + e.getMessage(), e);
        }
        server.healthHooks(ha.healthProblem(), ha.healthDetail());
        stop.await();
        log.info("siplb stopping");
        // First, before any drain: a VRRP master hands the VIP over with priority 0 while it
        // still forwards normally, so a planned stop loses nothing (bounded by the speaker).
        ha.handOver();
        // Then drain (shutdown.grace): new initial requests get 503 + Retry-After, in-flight ones finish.
        long drainStart = System.nanoTime();
        server.drain();
        boolean drained = server.awaitDrained(loaded.shutdown().grace());
        long drainMillis = (System.nanoTime() - drainStart) / 1_000_000;
        ha.close();
        server.stop();
        SipCounters c = server.counters();
        log.info("siplb stopped: drain {} after {}ms; requests_in={} responses_in={} forwarded={} local_responses={} "
                        + "dropped={} awaiting_answers={}",
                drained ? "complete" : "cut short by shutdown.grace", drainMillis, c.get(SipCounters.Event.REQUEST_IN),
                c.get(SipCounters.Event.RESPONSE_IN), c.get(SipCounters.Event.FORWARDED),
                c.get(SipCounters.Event.RESPONDED), dropped(c), server.metrics().awaitingAnswers());
        return 0;
    }

    private static long dropped(SipCounters c) {
        long n = 0;
        for (DropReason r : DropReason.values()) {
            n += c.get(r);
        }
        return n;
    }

    private static List<String> backends(SiplbConfig config) {
        List<String> out = new ArrayList<>();
        for (var b : config.backends()) {
            out.add(b.id() + "=" + b.uri() + (b.weight() == 1 ? "" : " w" + b.weight()));
        }
        return out;
    }
}
