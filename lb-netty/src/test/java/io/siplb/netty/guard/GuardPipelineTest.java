package io.siplb.netty.guard;

import io.siplb.config.BackendConfig;
import io.siplb.config.FlowTokenConfig;
import io.siplb.config.GuardConfig;
import io.siplb.config.HealthConfig;
import io.siplb.config.HostPort;
import io.siplb.config.LimitsConfig;
import io.siplb.config.ListenAddress;
import io.siplb.config.SiplbConfig;
import io.siplb.netty.Assembly;
import io.siplb.netty.SiplbServer;
import io.siplb.route.DropReason;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Flood protection and the open-relay guarantees through the whole runtime, over loopback:
 * siplb on 127.0.0.1, a fake home proxy on 127.0.1.1, clients on other 127.0.0.0/8 addresses.
 */
class GuardPipelineTest {

    private static final String SECRET = "0123456789abcdef0123456789abcdef";
    private static final int RATE = 20;
    private static final int BURST = 10;

    private DatagramSocket backend;
    private SiplbServer server;
    private InetSocketAddress siplb;

    @BeforeEach
    void start() throws Exception {
        backend = new DatagramSocket(new InetSocketAddress("127.0.1.1", 0));
        backend.setSoTimeout(300);
        int port = freePort();
        GuardConfig guard = new GuardConfig(3, 2, Duration.ofMillis(IDLE_MILLIS), Duration.ofSeconds(5), RATE, BURST, 40,
                Duration.ofSeconds(30), 1024, GuardConfig.DEFAULT_SCANNER_USER_AGENTS);
        SiplbConfig config = SiplbConfig.of(
                        List.of(ListenAddress.parse("udp://127.0.0.1:" + port), ListenAddress.parse("tcp://127.0.0.1:" + port)),
                        List.of(BackendConfig.of("a", "sip:127.0.1.1:" + backend.getLocalPort())),
                        FlowTokenConfig.ofSecret(SECRET))
                .withDomains(List.of("example.com"))
                .withAdmin(new io.siplb.config.AdminConfig(HostPort.of("127.0.0.1", freePort())))
                .withHealth(HealthConfig.DEFAULTS.withEnabled(false))
                .withLimits(LimitsConfig.DEFAULTS.withGuard(guard));
        server = new SiplbServer(Assembly.of(config), 2);
        server.start();
        siplb = new InetSocketAddress("127.0.0.1", port);
    }

    @AfterEach
    void stop() {
        server.stop();
        backend.close();
    }

    @Test
    void dropsAUdpFloodOverTheRateBansItsSourceAndStillServesOthers() throws Exception {
        try (DatagramSocket flooder = udp("127.0.0.2"); DatagramSocket good = udp("127.0.0.3")) {
            for (int i = 0; i < 200; i++) {
                send(flooder, register("flood" + i, null), siplb);
            }
            int forwarded = drainBackend();
            assertThat(forwarded).as("at most the burst and what the rate allows").isBetween(BURST, BURST + 20);
            GuardCounters c = server.guard().counters();
            assertThat(c.get(GuardEvent.RATE_LIMITED_DROPPED) + c.get(GuardEvent.BANNED)
                    + c.get(GuardEvent.BANNED_DROPPED)).isEqualTo(200 - forwarded);
            assertThat(c.get(GuardEvent.BANNED)).isEqualTo(1);
            assertThat(server.guard().bannedSources()).isEqualTo(1);

            send(good, register("good1", null), siplb);
            assertThat(receive(backend)).contains("Call-ID: good1@");
            // still banned, even at a slow rate
            send(flooder, register("flood-late", null), siplb);
            assertThat(drainBackend()).isZero();
        }
    }

    @Test
    void dropsARequestFromAScannerSilently() throws Exception {
        try (DatagramSocket scanner = udp("127.0.0.4")) {
            send(scanner, register("scan1", "friendly-scanner"), siplb);
            send(scanner, register("scan2", "SIPVicious 0.3.4"), siplb);
            send(scanner, register("phone1", "Linphone/5.2"), siplb);
            assertThat(receive(backend)).contains("Call-ID: phone1@");
            assertThat(drainBackend()).isZero();
            scanner.setSoTimeout(300);
            assertThat(tryReceive(scanner)).as("no answer to a scanner").isNull();
            assertThat(server.guard().counters().get(GuardEvent.SCANNER_DROPPED)).isEqualTo(2);
        }
    }

    @Test
    void closesConnectionsOverThePerSourceLimitAndIdleOnes() throws Exception {
        // each accepted connection is counted on its own event loop: wait for the count before
        // opening the one that must be refused, or the two race
        try (Socket a = connect("127.0.0.5"); Socket b = connect("127.0.0.5")) {
            waitUntil(() -> server.guard().clientConnections() == 2);
            try (Socket c = connect("127.0.0.5")) {
                assertThat(readEof(c)).as("the third from one source is closed").isTrue();
                waitUntil(() -> server.guard().counters().get(GuardEvent.CONNECTION_REFUSED_PER_SOURCE) == 1);
            }
            try (Socket d = connect("127.0.0.6")) {
                waitUntil(() -> server.guard().clientConnections() == 3);
                try (Socket e = connect("127.0.0.7")) {
                    assertThat(readEof(e)).as("the fourth in total is closed").isTrue();
                    waitUntil(() -> server.guard().counters().get(GuardEvent.CONNECTION_REFUSED_TOTAL) == 1);
                }
                // then the idle timeout closes the open ones
                assertThat(readEof(a)).isTrue();
                assertThat(readEof(d)).isTrue();
            }
        }
        assertThat(server.guard().counters().get(GuardEvent.IDLE_CLOSED)).isGreaterThanOrEqualTo(3);
        waitUntil(() -> server.guard().clientConnections() == 0);
    }

    @Test
    void answers503WithRetryAfterToATcpClientOverTheRate() throws Exception {
        try (Socket s = connect("127.0.0.8")) {
            StringBuilder burst = new StringBuilder();
            for (int i = 0; i < BURST + 5; i++) {
                burst.append(register("tcp" + i, null).replace("SIP/2.0/UDP", "SIP/2.0/TCP"));
            }
            s.getOutputStream().write(burst.toString().getBytes(StandardCharsets.US_ASCII));
            String answer = readMessage(s.getInputStream());
            assertThat(answer).startsWith("SIP/2.0 503 ").contains("Retry-After: ");
            assertThat(server.guard().counters().get(GuardEvent.RATE_LIMITED_ANSWERED)).isGreaterThanOrEqualTo(1);
        }
    }

    @Test
    void refusesAForgedFlowTokenFromOutsideWith403AndCountsIt() throws Exception {
        try (DatagramSocket client = udp("127.0.0.9")) {
            String bye = "BYE sip:bob@127.0.0.9 SIP/2.0\r\n"
                    + "Via: SIP/2.0/UDP 127.0.0.9:" + client.getLocalPort() + ";branch=z9hG4bKforged1\r\n"
                    + "Max-Forwards: 70\r\n"
                    + "Route: <sip:AAAAAAAAAAAAAAAAAAAAAAA@127.0.0.1:" + siplb.getPort() + ";lr>, <sip:203.0.113.9;lr>\r\n"
                    + "From: <sip:alice@example.com>;tag=1\r\nTo: <sip:bob@example.com>;tag=2\r\n"
                    + "Call-ID: forged1@x\r\nCSeq: 2 BYE\r\nContent-Length: 0\r\n\r\n";
            send(client, bye, siplb);
            client.setSoTimeout(3000);
            assertThat(tryReceive(client)).startsWith("SIP/2.0 403 Invalid Flow Token");
            assertThat(drainBackend()).isZero();
            String metrics = server.metrics().registry().scrape();
            assertThat(metrics).containsPattern("siplb_flow_token_failures_total\\{reason=\"invalid\"} 1");
        }
    }

    @Test
    void dropsAResponseFromOutsideWhoseTopViaIsForged() throws Exception {
        try (DatagramSocket attacker = udp("127.0.0.10"); DatagramSocket victim = udp("127.0.0.11")) {
            String response = "SIP/2.0 200 OK\r\n"
                    + "Via: SIP/2.0/UDP 127.0.0.1:" + siplb.getPort() + ";branch=z9hG4bKslAAAAAAAAAAAAAAAAAAAAAAAA\r\n"
                    + "Via: SIP/2.0/UDP 127.0.0.11:" + victim.getLocalPort() + ";branch=z9hG4bKvictim\r\n"
                    + "From: <sip:a@example.com>;tag=1\r\nTo: <sip:b@example.com>;tag=2\r\n"
                    + "Call-ID: forged2@x\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n";
            send(attacker, response, siplb);
            victim.setSoTimeout(500);
            assertThat(tryReceive(victim)).as("siplb relays nothing to the victim").isNull();
            waitUntil(() -> server.counters().get(DropReason.NOT_OUR_VIA) == 1);
        }
    }

    // ---- helpers -------------------------------------------------------------------------

    private static String register(String callId, String userAgent) {
        return "REGISTER sip:example.com SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 10.0.0.5:5060;branch=z9hG4bK" + callId + ";rport\r\n"
                + "Max-Forwards: 70\r\n"
                + "To: <sip:" + callId + "@example.com>\r\n"
                + "From: <sip:" + callId + "@example.com>;tag=1928301774\r\n"
                + "Call-ID: " + callId + "@10.0.0.5\r\n"
                + "CSeq: 1 REGISTER\r\n"
                + (userAgent == null ? "" : "User-Agent: " + userAgent + "\r\n")
                + "Contact: <sip:alice@10.0.0.5:5060>\r\n"
                + "Content-Length: 0\r\n\r\n";
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
             DatagramSocket d = new DatagramSocket(new InetSocketAddress("127.0.0.1", s.getLocalPort()))) {
            return s.getLocalPort();
        }
    }

    private static DatagramSocket udp(String host) throws IOException {
        return new DatagramSocket(new InetSocketAddress(host, 0));
    }

    private Socket connect(String fromHost) throws IOException {
        Socket s = new Socket();
        s.bind(new InetSocketAddress(fromHost, 0));
        s.connect(siplb, 2000);
        s.setSoTimeout(6000); // more than IDLE_MILLIS: an idle close is seen as EOF, not a timeout
        return s;
    }

    private static void send(DatagramSocket socket, String text, InetSocketAddress to) throws IOException {
        byte[] b = text.getBytes(StandardCharsets.US_ASCII);
        socket.send(new DatagramPacket(b, b.length, to));
    }

    private static String receive(DatagramSocket socket) throws IOException {
        String s = tryReceive(socket);
        assertThat(s).as("a datagram").isNotNull();
        return s;
    }

    private static String tryReceive(DatagramSocket socket) throws IOException {
        byte[] buf = new byte[65535];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        try {
            socket.receive(p);
        } catch (SocketTimeoutException e) {
            return null;
        }
        return new String(buf, 0, p.getLength(), StandardCharsets.US_ASCII);
    }

    /** Reads what reached the backend until it is quiet for 300ms; bounded. */
    private int drainBackend() throws IOException {
        int n = 0;
        for (int i = 0; i < 10_000 && tryReceive(backend) != null; i++) {
            n++;
        }
        return n;
    }

    private static boolean readEof(Socket s) throws IOException {
        try {
            return s.getInputStream().read() == -1;
        } catch (java.net.SocketException reset) {
            return true; // closed with a reset
        }
    }

    private static String readMessage(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 65536; i++) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            sb.append((char) b);
            if (sb.length() >= 4 && sb.lastIndexOf("\r\n\r\n") == sb.length() - 4) {
                break;
            }
        }
        return sb.toString();
    }

    /**
     * Long enough that the connections of one test are all still open when the last one is
     * refused, even on a loaded 2-core machine; short enough to watch them close.
     */
    private static final long IDLE_MILLIS = 2_500;

    private static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!condition.getAsBoolean() && System.nanoTime() - deadline < 0) {
            Thread.sleep(20);
        }
        assertThat(condition.getAsBoolean()).as("condition within 5s").isTrue();
    }
}
