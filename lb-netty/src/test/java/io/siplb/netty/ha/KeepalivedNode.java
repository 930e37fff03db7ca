package io.siplb.netty.ha;

import io.siplb.netty.e2e.ManagedProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * keepalived (VRRPv3, VRID 77, VIP 10.77.0.50/32, advert_int 0.1) in one lab node, in the
 * foreground of {@code timeout} so its lifetime is bounded; stopped by PID with SIGTERM (it
 * sends priority 0 and removes the VIP).
 */
final class KeepalivedNode implements AutoCloseable {

    private final ManagedProcess process;

    private KeepalivedNode(ManagedProcess process) {
        this.process = process;
    }

    static String config(String node, int priority) {
        return """
                global_defs {
                    router_id %s
                    vrrp_version 3
                }
                vrrp_instance VI_SIP {
                    state BACKUP
                    interface eth0
                    virtual_router_id 77
                    priority %d
                    advert_int 0.1
                    virtual_ipaddress {
                        %s/32 dev eth0
                    }
                }
                """.formatted(node, priority, HaLab.VIP);
    }

    static KeepalivedNode start(HaLab lab, String node, int priority) {
        Path conf = lab.write("keepalived-" + node + ".conf", config(node, priority));
        Path dir = lab.dir();
        ManagedProcess p = lab.start(node, "keepalived-" + node, List.of(
                "timeout", "-k", "5", SiplbNode.LIFETIME.toSeconds() + "s",
                "keepalived", "-n", "-l", "-D", "-P", "-f", conf.toString(),
                "-p", dir.resolve("keepalived-" + node + ".pid").toString(),
                "-r", dir.resolve("keepalived-" + node + "-vrrp.pid").toString()));
        KeepalivedNode k = new KeepalivedNode(p);
        if (!HaLab.await(Duration.ofSeconds(10), () -> !p.isAlive() || k.log().contains("Entering"))) {
            throw new IllegalStateException("keepalived in " + node + " did not start:\n" + p.logTail(3000));
        }
        return k;
    }

    /** keepalived's log so far. */
    String log() {
        try {
            return Files.exists(process.log()) ? Files.readString(process.log()) : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** SIGTERM to keepalived (through timeout, which passes it on); waits for the exit. */
    void stopGracefully() {
        process.signal("TERM");
        process.awaitExit(Duration.ofSeconds(10));
    }

    @Override
    public void close() {
        process.stop(Duration.ofSeconds(5));
    }
}
