package io.siplb.netty.vrrp;

import io.siplb.config.AdminConfig;
import io.siplb.config.BackendConfig;
import io.siplb.config.HostPort;
import io.siplb.config.ListenAddress;
import io.siplb.config.SiplbConfig;
import io.siplb.config.Transport;
import io.siplb.netty.Assembly;
import io.siplb.netty.SiplbServer;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A private copy of this node's SIP path on the loopback interface, through which a standby
 * sends real datagrams, so that its first messages after a takeover do not meet cold code.
 *
 * <p>Why: the ha-lab's captures of a takeover (docs/ha.md) showed the new master's first
 * forward leaving 30-45 ms after the first request arrived, and its first response another
 * 1-18 ms after the backend's answer, while later messages took 0.1-1 ms. The JVM's class
 * loading log put the time into the first use of the epoll read and write path, the guard,
 * the per-backend meters (histograms) and the buffer allocator's events: code the in-memory
 * {@link Warmup} does not reach, because the standby's sockets receive nothing until the VIP
 * arrives.
 *
 * <p>How: a second {@link SiplbServer} with the node's own routing, limits and flow-token
 * settings, but listening on 127.0.0.1 only, one event loop, health checks off, its own
 * meters (nothing is counted in the node's metrics) and one backend: a socket of this class
 * on 127.0.0.1. The driver plays client and backend on one thread, each round waiting for
 * its answer: OPTIONS and REGISTER from clients (64 source addresses in 127.0.0.0/8, so the
 * per-source rate limit is not hit) through the server to the backend and back, and an
 * OPTIONS from the backend along the Path of the last REGISTER (the flow token) to its
 * client and back. Every packet stays on the loopback interface.
 *
 * <p>Not thread-safe: one thread runs it at a time ({@link HighAvailability}).
 */
final class Rehearsal implements AutoCloseable {

    /** Round trips at start-up: enough for the JIT to compile the path (measured in docs/ha.md). */
    static final int ROUNDS = 2000;
    /** Round trips of a refresh while the node is standby. */
    static final int REFRESH_ROUNDS = 200;
    static final int SOURCES = 64;
    private static final int ANSWER_TIMEOUT_MS = 250;
    /** A rehearsal that loses this many answers stops: something blocks the path (e.g. a tiny rate limit). */
    private static final int MAX_MISSES = 20;
    private static final String DOMAIN = "rehearsal.invalid";
    private static final String BACKEND_ID = "rehearsal";

    private final SiplbServer server;
    private final InetSocketAddress lb;
    private final DatagramSocket backend;
    private final List<DatagramSocket> clients;
    private final byte[] buffer = new byte[8192];
    private volatile boolean cancelled;
    private long round;
    private String lastPath;
    private int lastPathClient = -1;

    private Rehearsal(SiplbServer server, InetSocketAddress lb, DatagramSocket backend, List<DatagramSocket> clients) {
        this.server = server;
        this.lb = lb;
        this.backend = backend;
        this.clients = clients;
    }

    /** What one {@link #run} did. */
    record Result(int rounds, int answered, long millis) {
        @Override
        public String toString() {
            return answered + " of " + rounds + " round trips in " + millis + " ms";
        }
    }

    /**
     * Starts the copy of {@code real}'s SIP path on 127.0.0.1 and the driver's sockets.
     *
     * @throws IOException when loopback sockets cannot be bound (no {@code lo} in this namespace)
     */
    static Rehearsal open(SiplbConfig real) throws Exception {
        List<DatagramSocket> opened = new ArrayList<>();
        SiplbServer server = null;
        try {
            InetAddress loopback = InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
            DatagramSocket backend = bind(opened, new InetSocketAddress(loopback, 0));
            List<DatagramSocket> clients = new ArrayList<>(SOURCES);
            for (int i = 0; i < SOURCES; i++) {
                // 127.0.0.0/8 is local as a whole: each client is a source of its own for the guard
                InetAddress source = InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) (100 + i)});
                clients.add(bind(opened, new InetSocketAddress(source, 0)));
            }
            int port = freeUdpPort(loopback);
            SiplbConfig config = real
                    .withListen(List.of(new ListenAddress(Transport.UDP, "127.0.0.1", port)))
                    .withAdvertise(HostPort.of("127.0.0.1", port))
                    .withAliases(List.of())
                    .withBackends(List.of(BackendConfig.of(BACKEND_ID, "sip:127.0.0.1:" + backend.getLocalPort())))
                    .withSrvBackends(List.of())
                    .withDns(null)
                    .withHealth(real.health().withEnabled(false))
                    .withAdmin(new AdminConfig(HostPort.of("127.0.0.1", freeTcpPort(loopback))))
                    .withVrrp(null);
            server = new SiplbServer(Assembly.of(config), 1);
            server.start();
            return new Rehearsal(server, new InetSocketAddress(loopback, port), backend, List.copyOf(clients));
        } catch (Exception | Error e) {
            if (server != null) {
                stop(server);
            }
            for (DatagramSocket s : opened) {
                s.close();
            }
            throw e;
        }
    }

    /** Where the copy listens. */
    InetSocketAddress address() {
        return lb;
    }

    /**
     * Sends {@code rounds} round trips (bounded: stops after {@code limit} or {@link #MAX_MISSES}
     * unanswered ones).
     */
    Result run(int rounds, Duration limit) {
        long start = System.nanoTime();
        long deadline = start + limit.toNanos();
        int answered = 0;
        int misses = 0;
        int done = 0;
        for (; done < rounds && misses < MAX_MISSES && !cancelled && System.nanoTime() - deadline < 0; done++) {
            long n = round++;
            boolean ok;
            try {
                ok = switch ((int) (n & 3)) {
                    case 2 -> register(n);
                    case 3 -> lastPath != null ? towardsClient(n) : options(n);
                    default -> options(n);
                };
            } catch (IOException e) {
                ok = false;
            }
            if (ok) {
                answered++;
            } else {
                misses++;
            }
        }
        return new Result(done, answered, (System.nanoTime() - start) / 1_000_000);
    }

    /** Makes a {@link #run} in progress (on another thread) stop after its current round trip. */
    void cancel() {
        cancelled = true;
    }

    /** Client → siplb → backend → siplb → client: an OPTIONS. */
    private boolean options(long n) throws IOException {
        int c = (int) (n % SOURCES);
        DatagramSocket client = clients.get(c);
        String callId = "rh" + n + "@" + DOMAIN;
        String request = "OPTIONS sip:rehearsal@" + hostPort(lb) + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP " + hostPort(client) + ";branch=z9hG4bK-rh" + n + ";rport\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:u" + (n % 97) + "@" + DOMAIN + ">;tag=r" + n + "\r\n"
                + "To: <sip:rehearsal@" + hostPort(lb) + ">\r\n"
                + "Call-ID: " + callId + "\r\n"
                + "CSeq: 1 OPTIONS\r\n"
                + "Content-Length: 0\r\n\r\n";
        return throughBackend(client, request, callId, false);
    }

    /** Client → siplb (Path with the client's flow token) → backend, and the 200 back. */
    private boolean register(long n) throws IOException {
        int c = (int) (n % SOURCES);
        DatagramSocket client = clients.get(c);
        String user = "u" + c;
        String callId = "rr" + n + "@" + DOMAIN;
        String request = "REGISTER sip:" + DOMAIN + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP " + hostPort(client) + ";branch=z9hG4bK-rr" + n + ";rport\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:" + user + "@" + DOMAIN + ">;tag=r" + n + "\r\n"
                + "To: <sip:" + user + "@" + DOMAIN + ">\r\n"
                + "Call-ID: " + callId + "\r\n"
                + "CSeq: 1 REGISTER\r\n"
                + "Contact: <sip:" + user + "@" + hostPort(client) + ">\r\n"
                + "Expires: 60\r\n"
                + "Supported: path\r\n"
                + "Content-Length: 0\r\n\r\n";
        boolean ok = throughBackend(client, request, callId, true);
        if (ok) {
            lastPathClient = c;
        }
        return ok;
    }

    /** Backend → siplb (Route: the Path of a REGISTER) → that client, and the 200 back. */
    private boolean towardsClient(long n) throws IOException {
        DatagramSocket client = clients.get(lastPathClient);
        String callId = "rb" + n + "@" + DOMAIN;
        String request = "OPTIONS sip:u" + lastPathClient + "@" + hostPort(client) + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP " + hostPort(backend) + ";branch=z9hG4bK-rb" + n + "\r\n"
                + "Route: " + lastPath + "\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:home@" + DOMAIN + ">;tag=b" + n + "\r\n"
                + "To: <sip:u" + lastPathClient + "@" + DOMAIN + ">\r\n"
                + "Call-ID: " + callId + "\r\n"
                + "CSeq: 1 OPTIONS\r\n"
                + "Content-Length: 0\r\n\r\n";
        send(backend, request, lb);
        Received at = receive(client, callId);
        if (at == null) {
            return false;
        }
        send(client, answer(at.text, false), at.from);
        Received back = receive(backend, callId);
        return back != null && back.text.startsWith("SIP/2.0 200");
    }

    private boolean throughBackend(DatagramSocket client, String request, String callId, boolean register)
            throws IOException {
        send(client, request, lb);
        Received at = receive(backend, callId);
        if (at == null) {
            return false;
        }
        if (register) {
            lastPath = header(at.text, "Path");
        }
        send(backend, answer(at.text, register), at.from);
        Received back = receive(client, callId);
        return back != null && back.text.startsWith("SIP/2.0 200");
    }

    /** A 200 to {@code request}: its Vias, From, To (with a tag), Call-ID, CSeq; for REGISTER, Path and Contact. */
    static String answer(String request, boolean register) {
        StringBuilder b = new StringBuilder("SIP/2.0 200 OK\r\n");
        for (String line : request.split("\r\n")) {
            String lower = line.toLowerCase(Locale.ROOT);
            if (lower.startsWith("via:") || lower.startsWith("from:") || lower.startsWith("call-id:")
                    || lower.startsWith("cseq:")
                    || (register && (lower.startsWith("path:") || lower.startsWith("contact:")))) {
                b.append(line).append("\r\n");
            } else if (lower.startsWith("to:")) {
                b.append(line).append(lower.contains(";tag=") ? "" : ";tag=rehearsal").append("\r\n");
            } else if (line.isEmpty()) {
                break;
            }
        }
        return b.append("Content-Length: 0\r\n\r\n").toString();
    }

    /** The value of the first header {@code name} in {@code message}, or null. */
    static String header(String message, String name) {
        String prefix = name.toLowerCase(Locale.ROOT) + ":";
        for (String line : message.split("\r\n")) {
            if (line.isEmpty()) {
                return null;
            }
            if (line.toLowerCase(Locale.ROOT).startsWith(prefix)) {
                return line.substring(prefix.length()).strip();
            }
        }
        return null;
    }

    private record Received(String text, SocketAddress from) {}

    private void send(DatagramSocket socket, String text, SocketAddress to) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        socket.send(new DatagramPacket(bytes, bytes.length, to));
    }

    /** The next datagram on {@code socket} of call {@code callId} (late ones of earlier rounds are skipped), or null. */
    private Received receive(DatagramSocket socket, String callId) throws IOException {
        long deadline = System.nanoTime() + ANSWER_TIMEOUT_MS * 1_000_000L;
        while (true) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                return null;
            }
            socket.setSoTimeout((int) left);
            DatagramPacket p = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(p);
            } catch (SocketTimeoutException e) {
                return null;
            }
            String text = new String(p.getData(), 0, p.getLength(), StandardCharsets.ISO_8859_1);
            if (callId.equals(header(text, "Call-ID"))) {
                return new Received(text, p.getSocketAddress());
            }
        }
    }

    private static String hostPort(InetSocketAddress a) {
        return a.getAddress().getHostAddress() + ":" + a.getPort();
    }

    private static String hostPort(DatagramSocket s) {
        return s.getLocalAddress().getHostAddress() + ":" + s.getLocalPort();
    }

    private static DatagramSocket bind(List<DatagramSocket> opened, InetSocketAddress at) throws IOException {
        DatagramSocket s = new DatagramSocket(null);
        opened.add(s);
        s.bind(at);
        return s;
    }

    /** A UDP port free on {@code address} a moment ago (the copy binds it right after). */
    private static int freeUdpPort(InetAddress address) throws IOException {
        try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(address, 0))) {
            return probe.getLocalPort();
        }
    }

    /** A TCP port free on {@code address} a moment ago: the copy's admin listener (which it must have). */
    private static int freeTcpPort(InetAddress address) throws IOException {
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, address)) {
            return probe.getLocalPort();
        }
    }

    private static void stop(SiplbServer server) {
        server.stop();
        server.metrics().close();
    }

    @Override
    public void close() {
        stop(server);
        backend.close();
        for (DatagramSocket s : clients) {
            s.close();
        }
    }
}
