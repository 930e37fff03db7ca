package io.siplb.netty.ha;

import io.siplb.netty.e2e.ManagedProcess;
import io.siplb.netty.e2e.Prerequisites;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * The ha-lab's LAN (../shared/ha-lab/topology.sh) built from Java for one test: a bridge in
 * its own namespace and one namespace per node with {@code eth0} on it, 10.77.0.0/24, VIP
 * 10.77.0.50, no link to the host and no default route, so no packet leaves the lab. Names
 * carry a per-run prefix ({@code ha<pid>x<n>-}); {@link #close()} ends what still runs in
 * them (by PID, from {@code ip netns pids}: only processes this lab started live there) and
 * deletes exactly the namespaces it created; a JVM shutdown hook does the same if the run is
 * cut short. Every command is bounded in time.
 */
final class HaLab implements AutoCloseable {

    static final String VIP = "10.77.0.50";
    static final String LAN_PREFIX = "10.77.0.";
    /** The NAT node on the LAN (10.77.0.254) and the client behind it (10.77.1.100). */
    static final String NAT = "nat";
    static final String NAT_CLIENT = "natcl";
    static final String NAT_LAN_ADDRESS = "10.77.0.254";
    static final String NAT_CLIENT_ADDRESS = "10.77.1.100";
    /** The MAC of a LAN node: 02:77:00:00:00:&lt;last octet in hex&gt;. */
    static String mac(int lastOctet) {
        return String.format("02:77:00:00:00:%02x", lastOctet);
    }

    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final Duration COMMAND_LIMIT = Duration.ofSeconds(20);

    private final String prefix;
    private final Path dir;
    private final Map<String, String> addresses = new LinkedHashMap<>();
    private final List<String> created = new ArrayList<>();
    private final List<AutoCloseable> owned = new ArrayList<>();
    private final Thread hook;
    private boolean down;

    private HaLab(Path dir) {
        this.dir = dir;
        this.prefix = "ha" + ProcessHandle.current().pid() + "x" + COUNTER.incrementAndGet() + "-";
        this.hook = new Thread(this::down, "ha-lab-down-" + prefix);
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /**
     * Builds the bridge and the nodes {@code name → last octet} (e.g. lb1 → 11). Both LBs get
     * {@code ip_nonlocal_bind} off: siplb must bind the VIP by IP_FREEBIND on its own.
     */
    static HaLab up(Path dir, Map<String, Integer> nodes) {
        return up(dir, nodes, false);
    }

    /**
     * {@link #up(Path, Map)}, and with {@code nat} a client behind a NAT as in the ha-lab's
     * topology.sh: node {@value #NAT} (10.77.0.254 on the LAN, 10.77.1.1 on its eth1) masquerades
     * node {@value #NAT_CLIENT} (10.77.1.100, default route via the NAT) to source ports
     * 40000-40999, so the client's public port always differs from its Via and Contact (as the
     * e2e nat-lab.sh does). Needs nft or iptables.
     */
    static HaLab up(Path dir, Map<String, Integer> nodes, boolean nat) {
        HaLab lab = new HaLab(dir);
        try {
            lab.addNamespace("sw");
            lab.ip("-n", lab.ns("sw"), "link", "add", "br0", "type", "bridge", "stp_state", "0", "forward_delay", "0",
                    "mcast_snooping", "0");
            lab.ip("-n", lab.ns("sw"), "link", "set", "br0", "up");
            for (var e : nodes.entrySet()) {
                String node = e.getKey();
                String address = LAN_PREFIX + e.getValue();
                lab.addNamespace(node);
                lab.ip("-n", lab.ns("sw"), "link", "add", "p-" + node, "type", "veth", "peer", "name", "eth0", "netns",
                        lab.ns(node));
                lab.ip("-n", lab.ns("sw"), "link", "set", "p-" + node, "master", "br0", "up");
                lab.ip("-n", lab.ns(node), "link", "set", "eth0", "address", mac(e.getValue()));
                lab.ip("-n", lab.ns(node), "addr", "add", address + "/24", "dev", "eth0");
                lab.ip("-n", lab.ns(node), "link", "set", "eth0", "up");
                lab.addresses.put(node, address);
            }
            if (nat) {
                lab.natUp();
            }
            return lab;
        } catch (RuntimeException e) {
            lab.close();
            throw e;
        }
    }

    private void natUp() {
        String nat = NAT;
        addNamespace(nat);
        ip("-n", ns("sw"), "link", "add", "p-" + nat, "type", "veth", "peer", "name", "eth0", "netns", ns(nat));
        ip("-n", ns("sw"), "link", "set", "p-" + nat, "master", "br0", "up");
        ip("-n", ns(nat), "link", "set", "eth0", "address", mac(254));
        ip("-n", ns(nat), "addr", "add", NAT_LAN_ADDRESS + "/24", "dev", "eth0");
        ip("-n", ns(nat), "link", "set", "eth0", "up");
        addNamespace(NAT_CLIENT);
        ip("-n", ns(nat), "link", "add", "eth1", "type", "veth", "peer", "name", "eth0", "netns", ns(NAT_CLIENT));
        ip("-n", ns(nat), "addr", "add", "10.77.1.1/24", "dev", "eth1");
        ip("-n", ns(nat), "link", "set", "eth1", "up");
        ip("-n", ns(NAT_CLIENT), "addr", "add", NAT_CLIENT_ADDRESS + "/24", "dev", "eth0");
        ip("-n", ns(NAT_CLIENT), "link", "set", "eth0", "up");
        ip("-n", ns(NAT_CLIENT), "route", "add", "default", "via", "10.77.1.1");
        runChecked(List.of("ip", "netns", "exec", ns(nat), "sysctl", "-qw", "net.ipv4.ip_forward=1"));
        if (Prerequisites.which("nft") != null) {
            nft(nat, """
                    table ip halab_nat {
                      chain postrouting {
                        type nat hook postrouting priority srcnat; policy accept;
                        ip saddr 10.77.1.0/24 oifname "eth0" meta l4proto { udp, tcp } masquerade to :40000-40999
                        ip saddr 10.77.1.0/24 oifname "eth0" masquerade
                      }
                    }
                    """);
        } else {
            for (String proto : List.of("udp", "tcp")) {
                runChecked(List.of("ip", "netns", "exec", ns(nat), "iptables", "-t", "nat", "-A", "POSTROUTING",
                        "-s", "10.77.1.0/24", "-o", "eth0", "-p", proto, "-j", "MASQUERADE", "--to-ports",
                        "40000-40999"));
            }
        }
        addresses.put(nat, NAT_LAN_ADDRESS);
        addresses.put(NAT_CLIENT, NAT_CLIENT_ADDRESS);
    }

    /** Loads an nft ruleset in {@code node} (bounded); fails with nft's output. */
    void nft(String node, String ruleset) {
        Path file = write("nft-" + node + "-" + Integer.toHexString(ruleset.hashCode()) + ".nft", ruleset);
        runChecked(List.of("ip", "netns", "exec", ns(node), "nft", "-f", file.toString()));
    }

    /**
     * Cuts the VRRP path of {@code node}: IP protocol 112 dropped in and out (the ha-lab's split
     * scenario), so its peer and it no longer hear each other while SIP still flows.
     */
    void blockVrrp(String node) {
        nft(node, """
                table inet halab_split {
                  chain in  { type filter hook input  priority 0; policy accept; ip protocol vrrp drop; }
                  chain out { type filter hook output priority 0; policy accept; ip protocol vrrp drop; }
                }
                """);
    }

    /** Undoes {@link #blockVrrp}. */
    void allowVrrp(String node) {
        runChecked(List.of("ip", "netns", "exec", ns(node), "nft", "delete", "table", "inet", "halab_split"));
    }

    /** Takes {@code node}'s eth0 down: the host falls silent. */
    void linkDown(String node) {
        ip("-n", ns(node), "link", "set", "eth0", "down");
    }

    /** The MAC {@code node}'s neighbour table holds for {@code address} ("" when none). */
    String neighbour(String node, String address) {
        String line = run(List.of("ip", "-n", ns(node), "neigh", "show", address)).strip();
        int i = line.indexOf("lladdr ");
        if (i < 0) {
            return "";
        }
        String rest = line.substring(i + 7);
        int sp = rest.indexOf(' ');
        return sp < 0 ? rest : rest.substring(0, sp);
    }

    /** The namespace name of {@code node}. */
    String ns(String node) {
        return prefix + node;
    }

    String address(String node) {
        return addresses.get(node);
    }

    Path dir() {
        return dir;
    }

    /** Closes {@code resource} (a process) before the namespaces go. */
    <T extends AutoCloseable> T own(T resource) {
        owned.add(resource);
        return resource;
    }

    /** Whether the VIP is configured on {@code node}'s eth0. */
    boolean hasVip(String node) {
        return !run(List.of("ip", "-n", ns(node), "-4", "-o", "addr", "show", "dev", "eth0", "to", VIP + "/32"))
                .isBlank();
    }

    /** Which of {@code nodes} hold the VIP. */
    List<String> vipHolders(String... nodes) {
        List<String> out = new ArrayList<>();
        for (String n : nodes) {
            if (hasVip(n)) {
                out.add(n);
            }
        }
        return out;
    }

    /** GET {@code url} with curl inside {@code node}; the body, or "" when no answer (bounded: 2 s). */
    String curl(String node, String url) {
        return run(List.of("ip", "netns", "exec", ns(node), "curl", "-s", "-m", "2", url));
    }

    /** Polls {@code condition} every 20 ms up to {@code limit}; whether it came true. */
    static boolean await(Duration limit, BooleanSupplier condition) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            if (condition.getAsBoolean()) {
                return true;
            }
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    /** Whether {@code condition} holds at every 50 ms poll for {@code period}. */
    static boolean holds(Duration period, BooleanSupplier condition) {
        long deadline = System.nanoTime() + period.toNanos();
        while (System.nanoTime() - deadline < 0) {
            if (!condition.getAsBoolean()) {
                return false;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return condition.getAsBoolean();
    }

    private void addNamespace(String node) {
        String name = ns(node);
        created.add(name); // before creating: close() removes it even if a later step fails
        ip("netns", "add", name);
        ip("-n", name, "link", "set", "lo", "up");
        run(List.of("ip", "netns", "exec", name, "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1",
                "net.ipv6.conf.default.disable_ipv6=1"));
    }

    private void ip(String... args) {
        List<String> cmd = new ArrayList<>(List.of("ip"));
        cmd.addAll(List.of(args));
        runChecked(cmd);
    }

    private void runChecked(List<String> cmd) {
        Result r = exec(cmd);
        if (r.code != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed (" + r.code + "): " + r.output);
        }
    }

    /** Runs {@code cmd} (bounded), its output whatever the exit code. */
    String run(List<String> cmd) {
        return exec(cmd).output;
    }

    private record Result(int code, String output) {}

    private Result exec(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getOutputStream().close();
            if (!p.waitFor(COMMAND_LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                return new Result(-1, "timed out: " + cmd);
            }
            return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        }
    }

    /** Writes {@code text} to {@code name} in the lab's directory. */
    Path write(String name, String text) {
        try {
            Files.createDirectories(dir);
            return Files.writeString(dir.resolve(name), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        down();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook runs or ran
        }
    }

    private synchronized void down() {
        if (down) {
            return;
        }
        down = true;
        for (int i = owned.size() - 1; i >= 0; i--) {
            try {
                owned.get(i).close();
            } catch (Exception e) {
                // keep going: the namespaces must go
            }
        }
        for (String name : created) {
            // whatever still runs in our namespaces was started by this lab
            for (String line : exec(List.of("ip", "netns", "pids", name)).output.split("\\s+")) {
                if (line.matches("\\d+")) {
                    ProcessHandle.of(Long.parseLong(line)).ifPresent(ProcessHandle::destroyForcibly);
                }
            }
        }
        for (String name : created) {
            exec(List.of("ip", "netns", "del", name));
        }
    }

    /** Starts {@code command} inside {@code node} as a managed process with its log in the lab dir. */
    ManagedProcess start(String node, String name, List<String> command) {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns(node)));
        cmd.addAll(command);
        return own(ManagedProcess.start(name, cmd, dir, dir.resolve(name + ".log")));
    }
}
