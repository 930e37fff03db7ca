package io.siplb.netty.ha;

import io.siplb.netty.e2e.RunDirectory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The lab of the traffic tests: the ha-lab's LAN with the NAT ({@link HaLab}), SIPp backends
 * on proxy1 and proxy2 ({@code uas-backend.xml}: OPTIONS and REGISTER), and a siplb pair,
 * lb1 priority 150 master and lb2 priority 100 backup ({@link SiplbNode#pairConfig}), ready
 * when {@link #up} returns. Clients are started per test ({@link #optionsClient},
 * {@link #registerClient}). Closing it ends every process and removes the namespaces.
 */
final class TrafficLab implements AutoCloseable {

    static final String CLIENT = "client";
    static final String CLIENT_ADDRESS = "10.77.0.100";
    static final int CLIENT_PORT = 5070;
    /** Requests per second of each client: the issue asks for 100/s or more. */
    static final int RATE = 100;
    static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration ELECTION = Duration.ofSeconds(10);
    private static final Duration BACKEND_LIFETIME = Duration.ofSeconds(150);

    final HaLab lab;
    final SiplbNode lb1;
    final SiplbNode lb2;

    private TrafficLab(HaLab lab, SiplbNode lb1, SiplbNode lb2) {
        this.lab = lab;
        this.lb1 = lb1;
        this.lb2 = lb2;
    }

    /** Builds everything and waits until lb1 holds the VIP alone and lb2 is its backup (bounded). */
    static TrafficLab up(String name, Map<String, Integer> extraNodes) {
        return up(name, extraNodes, TrafficLab::sippBackends);
    }

    /** SIPp backends on proxy1 and proxy2 ({@code uas-backend.xml}), named in X-LB. */
    static void sippBackends(HaLab lab) {
        Path backend = LabSipp.scenario(lab, "/ha/uas-backend.xml");
        for (String proxy : List.of("proxy1", "proxy2")) {
            lab.own(LabSipp.start(lab, proxy, "uas-" + proxy, backend, lab.address(proxy), 5060, BACKEND_LIFETIME,
                    List.of("-key", "node", proxy, "-bind_local")));
        }
    }

    /** {@link #up(String, Map)} with other backends on proxy1 and proxy2, started by {@code backends}. */
    static TrafficLab up(String name, Map<String, Integer> extraNodes, java.util.function.Consumer<HaLab> backends) {
        Path dir = RunDirectory.create(name);
        Map<String, Integer> nodes = new java.util.LinkedHashMap<>(Map.of("lb1", 11, "lb2", 12, "proxy1", 21,
                "proxy2", 22, CLIENT, 100));
        nodes.putAll(extraNodes);
        HaLab lab = HaLab.up(dir, nodes, true);
        try {
            backends.accept(lab);
            // the two JVMs start (and warm up) in parallel; lb1 preempts if lb2 was quicker
            SiplbNode lb1 = SiplbNode.launch(lab, "lb1", "p150", SiplbNode.pairConfig(150));
            SiplbNode lb2 = SiplbNode.launch(lab, "lb2", "p100", SiplbNode.pairConfig(100));
            lb1.awaitReady();
            lb2.awaitReady();
            if (!HaLab.await(ELECTION, () -> lab.vipHolders("lb1", "lb2").equals(List.of("lb1"))
                    && lb2.vrrpState().equals("BACKUP"))) {
                throw new IllegalStateException("lb1 is not master with lb2 its backup:\nlb1:\n" + lb1.logTail()
                        + "\nlb2:\n" + lb2.logTail());
            }
            return new TrafficLab(lab, lb1, lb2);
        } catch (RuntimeException | Error e) {
            lab.close();
            throw e;
        }
    }

    /**
     * A LAN client sending one OPTIONS per call to VIP:5060 at {@link #RATE}/s, {@code count}
     * calls, no retransmissions, {@link #ANSWER_TIMEOUT} per answer ({@code options-uac.xml}).
     */
    LabSipp optionsClient(String name, String node, String address, int count) {
        return client(name, node, address, "/ha/options-uac.xml", count, List.of());
    }

    /** The same with REGISTERs ({@code register-uac.xml}), a new AOR per call in {@code domain}. */
    LabSipp registerClient(String name, String node, String address, int count, String domain) {
        return client(name, node, address, "/ha/register-uac.xml", count, List.of("-key", "domain", domain));
    }

    private LabSipp client(String name, String node, String address, String scenario, int count, List<String> keys) {
        Path sf = LabSipp.scenario(lab, scenario);
        Duration lifetime = Duration.ofSeconds(count / RATE + 20);
        List<String> args = new java.util.ArrayList<>(List.of("-nr", "-recv_timeout",
                Long.toString(ANSWER_TIMEOUT.toMillis()), "-r", Integer.toString(RATE), "-rp", "1000", "-m",
                Integer.toString(count), "-l", Integer.toString(RATE * 4)));
        args.addAll(keys);
        args.add(HaLab.VIP + ":5060");
        return lab.own(LabSipp.start(lab, node, name, sf, address, CLIENT_PORT, lifetime, args));
    }

    /** The wall clock in microseconds, as SIPp's gettimeofday logs it. */
    static long nowMicros() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }

    /** Sleeps, bounded; an interrupt ends the sleep early. */
    static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits for a client to finish its calls (bounded: its own -timeout ends it too). */
    static ClientLog finish(LabSipp client, int count) {
        client.awaitExit(Duration.ofSeconds(count / RATE + 25));
        return ClientLog.parse(client.logLines());
    }

    @Override
    public void close() {
        lab.close();
    }
}
