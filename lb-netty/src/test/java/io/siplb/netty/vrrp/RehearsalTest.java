package io.siplb.netty.vrrp;

import static org.assertj.core.api.Assertions.assertThat;

import io.siplb.config.ConfigLoader;
import io.siplb.config.SiplbConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The standby's rehearsal: a private copy of the node's SIP path on loopback, through which
 * OPTIONS and REGISTER go out to a backend and back, and requests come back in from the backend
 * along a REGISTER's Path to the client (no root needed: 127.0.0.0/8 only).
 */
class RehearsalTest {

    private static final SiplbConfig NODE = ConfigLoader.load("""
            listen: [udp://10.77.0.50:5060]
            backends: [{id: p1, uri: "sip:10.77.0.21"}, {id: p2, uri: "sip:10.77.0.22"}]
            flow-token: {secret: "0123456789abcdef0123456789abcdef"}
            vrrp: {interface: eth0, vrid: 77, vips: [10.77.0.50]}
            """, "siplb.yaml");

    @Test
    void everyRoundTripThroughTheLoopbackCopyOfTheSipPathIsAnswered() throws Exception {
        try (Rehearsal r = Rehearsal.open(NODE)) {
            Rehearsal.Result result = r.run(200, Duration.ofSeconds(20));

            assertThat(result.rounds()).isEqualTo(200);
            assertThat(result.answered()).as("%s", result).isEqualTo(200);
            assertThat(r.address().getAddress().isLoopbackAddress()).isTrue();
        }
    }

    @Test
    void aRehearsalCanBeRepeatedWhileTheNodeIsStandby() throws Exception {
        try (Rehearsal r = Rehearsal.open(NODE)) {
            r.run(40, Duration.ofSeconds(20));

            assertThat(r.run(40, Duration.ofSeconds(20)).answered()).isEqualTo(40);
        }
    }

    @Test
    void theBackendsAnswerEchoesTheViasAndTagsTheTo() {
        String request = "OPTIONS sip:x@127.0.0.1:5 SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:5;branch=z9hG4bK-lb\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.100:7;branch=z9hG4bK-c;rport=7\r\n"
                + "From: <sip:a@rehearsal.invalid>;tag=1\r\n"
                + "To: <sip:x@127.0.0.1:5>\r\n"
                + "Call-ID: c1\r\n"
                + "CSeq: 1 OPTIONS\r\n"
                + "Contact: <sip:a@127.0.0.100:7>\r\n"
                + "Content-Length: 0\r\n\r\n";

        assertThat(Rehearsal.answer(request, false)).isEqualTo("SIP/2.0 200 OK\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:5;branch=z9hG4bK-lb\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.100:7;branch=z9hG4bK-c;rport=7\r\n"
                + "From: <sip:a@rehearsal.invalid>;tag=1\r\n"
                + "To: <sip:x@127.0.0.1:5>;tag=rehearsal\r\n"
                + "Call-ID: c1\r\n"
                + "CSeq: 1 OPTIONS\r\n"
                + "Content-Length: 0\r\n\r\n");
    }

    @Test
    void aHeaderIsFoundByItsNameInAnyCase() {
        assertThat(Rehearsal.header("REGISTER sip:d SIP/2.0\r\npath: <sip:t@h;lr>\r\n\r\n", "Path"))
                .isEqualTo("<sip:t@h;lr>");
        assertThat(Rehearsal.header("REGISTER sip:d SIP/2.0\r\n\r\nPath: body\r\n", "Path")).isNull();
    }
}
