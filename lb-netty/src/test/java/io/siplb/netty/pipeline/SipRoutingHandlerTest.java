package io.siplb.netty.pipeline;

import static io.siplb.netty.pipeline.FakePeers.headers;
import static io.siplb.netty.pipeline.FakePeers.okFor;
import static io.siplb.netty.pipeline.FakePeers.receive;
import static io.siplb.netty.pipeline.FakePeers.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.siplb.config.BackendConfig;
import io.siplb.config.FlowTokenConfig;
import io.siplb.config.HostPort;
import io.siplb.config.ListenAddress;
import io.siplb.config.SiplbConfig;
import io.siplb.netty.Assembly;
import io.siplb.netty.SiplbServer;
import io.siplb.netty.pipeline.FakePeers.Received;
import io.siplb.netty.pipeline.SipCounters.Event;
import io.siplb.route.FlowToken;
import io.siplb.route.Transport;
import java.io.InputStream;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The whole runtime over real loopback sockets: clients on 127.0.0.1 (outside), a fake home
 * proxy on 127.0.1.1 (inside, because it is a configured backend), siplb in between.
 */
class SipRoutingHandlerTest {

    private static final String SECRET = "0123456789abcdef0123456789abcdef";

    private DatagramSocket backend;
    private SiplbServer server;
    private InetSocketAddress siplb;

    @BeforeEach
    void start() throws Exception {
        backend = FakePeers.udp("127.0.1.1");
        int port = FakePeers.freePort("127.0.0.1");
        int admin = FakePeers.freePort("127.0.0.1");
        SiplbConfig config = SiplbConfig.of(
                        List.of(ListenAddress.parse("udp://127.0.0.1:" + port), ListenAddress.parse("tcp://127.0.0.1:" + port)),
                        List.of(BackendConfig.of("a", "sip:127.0.1.1:" + backend.getLocalPort())),
                        FlowTokenConfig.ofSecret(SECRET))
                .withDomains(List.of("example.com"))
                .withAdmin(new io.siplb.config.AdminConfig(HostPort.of("127.0.0.1", admin)))
                // the fake backend reads only what the test sends it: no OPTIONS probes
                .withHealth(io.siplb.config.HealthConfig.DEFAULTS.withEnabled(false));
        server = new SiplbServer(Assembly.of(config), 2);
        server.start();
        siplb = new InetSocketAddress("127.0.0.1", port);
    }

    @AfterEach
    void stop() {
        server.stop();
        backend.close();
    }

    private static String register(String transport, String branch) {
        return "REGISTER sip:example.com SIP/2.0\r\n"
                + "Via: SIP/2.0/" + transport + " 10.0.0.5:5060;branch=" + branch + ";rport\r\n"
                + "Max-Forwards: 70\r\n"
                + "To: <sip:alice@example.com>\r\n"
                + "From: <sip:alice@example.com>;tag=1928301774\r\n"
                + "Call-ID: " + branch + "@10.0.0.5\r\n"
                + "CSeq: 1 REGISTER\r\n"
                + "Contact: <sip:alice@10.0.0.5:5060>\r\n"
                + "Content-Length: 0\r\n\r\n";
    }

    @Test
    void forwardsAUdpRegisterToTheHomeProxyAndItsResponseBackToTheClient() throws Exception {
        try (DatagramSocket client = FakePeers.udp("127.0.0.1")) {
            send(client, register("UDP", "z9hG4bKudp1"), siplb);

            Received forwarded = receive(backend);
            assertThat(forwarded.from()).as("sent from siplb's listen socket").isEqualTo(siplb);
            List<String> vias = headers(forwarded.text(), "Via");
            assertThat(vias).hasSize(2);
            assertThat(vias.get(0)).startsWith("SIP/2.0/UDP 127.0.0.1:" + siplb.getPort() + ";branch=z9hG4bKsl");
            assertThat(vias.get(1)).contains("received=127.0.0.1").contains("rport=" + client.getLocalPort());
            assertThat(headers(forwarded.text(), "Max-Forwards")).containsExactly("69");
            List<String> path = headers(forwarded.text(), "Path");
            assertThat(path).hasSize(1);
            assertThat(path.get(0)).contains("@127.0.0.1:" + siplb.getPort()).contains(";lr");
            assertThat(flowIn(path.get(0))).isEqualTo(new FlowToken(Transport.UDP,
                    client.getLocalAddress(), client.getLocalPort(), 0));

            send(backend, okFor(forwarded.text()), forwarded.from());

            Received response = receive(client);
            assertThat(response.from()).isEqualTo(siplb);
            assertThat(response.text()).startsWith("SIP/2.0 200 OK\r\n");
            assertThat(headers(response.text(), "Via")).as("our Via is removed").hasSize(1);
            assertThat(headers(response.text(), "Via").get(0)).startsWith("SIP/2.0/UDP 10.0.0.5:5060;branch=z9hG4bKudp1");
        }
        assertThat(server.counters().get(Event.FORWARDED)).isEqualTo(2);
    }

    @Test
    void forwardsATcpClientsRegisterOverUdpAndTheResponseBackOverItsConnection() throws Exception {
        try (Socket client = new Socket(siplb.getAddress(), siplb.getPort())) {
            client.setSoTimeout(FakePeers.TIMEOUT_MILLIS);
            client.getOutputStream().write(register("TCP", "z9hG4bKtcp1").getBytes(StandardCharsets.US_ASCII));

            Received forwarded = receive(backend);
            List<String> vias = headers(forwarded.text(), "Via");
            assertThat(vias.get(0)).startsWith("SIP/2.0/UDP 127.0.0.1:" + siplb.getPort() + ";branch=z9hG4bKsl");
            assertThat(vias.get(1)).contains("received=127.0.0.1").contains("rport=" + client.getLocalPort());
            FlowToken flow = flowIn(headers(forwarded.text(), "Path").get(0));
            assertThat(flow.transport()).isEqualTo(Transport.TCP);
            assertThat(flow.port()).isEqualTo(client.getLocalPort());
            assertThat(server.connections().isOpen(flow.connectionId())).isTrue();

            send(backend, okFor(forwarded.text()), forwarded.from());

            InputStream in = client.getInputStream();
            String response = FakePeers.readMessage(in);
            assertThat(response).startsWith("SIP/2.0 200 OK\r\n");
            assertThat(headers(response, "Via")).hasSize(1);
            assertThat(headers(response, "Via").get(0)).startsWith("SIP/2.0/TCP 10.0.0.5:5060;branch=z9hG4bKtcp1");
        }
    }

    @Test
    void answersAnOptionsForSiplbItselfWith200() throws Exception {
        try (DatagramSocket client = FakePeers.udp("127.0.0.1")) {
            send(client, "OPTIONS sip:127.0.0.1:" + siplb.getPort() + " SIP/2.0\r\n"
                    + "Via: SIP/2.0/UDP 127.0.0.1:" + client.getLocalPort() + ";branch=z9hG4bKopt1\r\n"
                    + "Max-Forwards: 70\r\n"
                    + "To: <sip:127.0.0.1:" + siplb.getPort() + ">\r\n"
                    + "From: <sip:monitor@example.com>;tag=mon1\r\n"
                    + "Call-ID: opt1@127.0.0.1\r\n"
                    + "CSeq: 1 OPTIONS\r\n"
                    + "Content-Length: 0\r\n\r\n", siplb);

            Received response = receive(client);
            assertThat(response.from()).isEqualTo(siplb);
            assertThat(response.text()).startsWith("SIP/2.0 200 OK\r\n");
            assertThat(headers(response.text(), "Call-ID")).containsExactly("opt1@127.0.0.1");
            assertThat(headers(response.text(), "To").get(0)).contains(";tag=");
        }
        backend.setSoTimeout(300);
        assertThatThrownBy(() -> receive(backend)).as("nothing reaches the backend")
                .isInstanceOf(SocketTimeoutException.class);
        assertThat(server.counters().get(Event.RESPONDED)).isEqualTo(1);
    }

    /** The flow token in the user part of a Path or Record-Route value. */
    private FlowToken flowIn(String nameAddr) {
        String user = nameAddr.substring(nameAddr.indexOf("sip:") + 4, nameAddr.indexOf('@'));
        return server.assembly().flowTokens().decode(user);
    }
}
