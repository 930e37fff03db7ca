package io.siplb.netty.dns;

import io.siplb.netty.e2e.ManagedProcess;
import io.siplb.netty.e2e.Prerequisites;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A dnsmasq on 127.0.0.1 serving a small zone from a file the test writes: SRV records
 * ({@code srv-host}) and their targets' addresses ({@code host-record}), every answer with
 * {@code --local-ttl} seconds. Changing the zone restarts it on the same port (dnsmasq reads its
 * configuration file only at start; SIGHUP rereads only hosts files). Stopped by its PID.
 */
final class Dnsmasq implements AutoCloseable {

    final int port;
    final int ttlSeconds;
    private final Path dir;
    private final Path conf;
    private ManagedProcess process;
    private int starts;

    Dnsmasq(Path dir, int ttlSeconds) {
        Prerequisites.requireCommands("dnsmasq");
        this.dir = dir;
        this.conf = dir.resolve("zone.conf");
        this.ttlSeconds = ttlSeconds;
        this.port = freePort();
    }

    /** Writes the zone (dnsmasq configuration lines) and (re)starts dnsmasq with it. */
    void serve(List<String> zone) {
        stop();
        try {
            Files.createDirectories(dir);
            Files.write(conf, zone);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String exe = Files.isExecutable(Path.of("/usr/sbin/dnsmasq")) ? "/usr/sbin/dnsmasq" : "dnsmasq";
        process = ManagedProcess.start("dnsmasq", List.of(exe, "--no-daemon", "--port=" + port,
                "--listen-address=127.0.0.1", "--bind-interfaces", "--no-resolv", "--no-hosts", "--pid-file=",
                "--user=" + System.getProperty("user.name"), "--conf-file=" + conf,
                "--local-ttl=" + ttlSeconds, "--log-queries"), dir, dir.resolve("dnsmasq-" + (++starts) + ".log"));
        awaitListening();
    }

    /** Stops dnsmasq (its PID only); queries time out until {@link #serve} again. */
    void stop() {
        if (process != null) {
            process.stop(Duration.ofSeconds(2));
            process = null;
        }
    }

    @Override
    public void close() {
        stop();
    }

    private void awaitListening() {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("dnsmasq exited: " + process.logTail(2000));
            }
            try (ServerSocket probe = new ServerSocket()) {
                probe.bind(new java.net.InetSocketAddress("127.0.0.1", port));
            } catch (IOException inUse) {
                return; // dnsmasq holds its TCP port: it is serving
            }
            sleep(20);
        }
        throw new IllegalStateException("dnsmasq not listening on " + port + ": " + process.logTail(2000));
    }

    static int freePort() {
        for (int i = 0; i < 50; i++) {
            try (ServerSocket tcp = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                int p = tcp.getLocalPort();
                try (DatagramSocket udp = new DatagramSocket(p, InetAddress.getLoopbackAddress())) {
                    return p;
                } catch (IOException busy) {
                    // taken for UDP: try another
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        throw new IllegalStateException("no free port");
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
