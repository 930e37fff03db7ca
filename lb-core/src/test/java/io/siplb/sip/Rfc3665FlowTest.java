package io.siplb.sip;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The RFC 3665 fixtures (sip/rfc3665) parse as datagrams and as stream frames, and verify. */
class Rfc3665FlowTest {

    @ParameterizedTest
    @ValueSource(strings = {"register-no-auth", "401-unauthorized", "register-auth", "register-200-ok",
        "invite-sdp", "invite-180-ringing", "invite-200-ok", "ack", "bye", "bye-200-ok"})
    void parsesAndVerifies(String name) {
        try (TortureRun run = TortureRun.of("sip/rfc3665/" + name + ".sip")) {
            assertThat(run.failure()).isNull();
            assertThat(run.message().bodyLength()).isEqualTo((int) run.message().contentLength());
        }
    }

    @Test
    void inviteCarriesItsSdpOffer() {
        try (TortureRun run = TortureRun.of("sip/rfc3665/invite-sdp.sip")) {
            SipRequest invite = run.request();
            assertThat(invite.method()).isEqualTo(SipMethod.INVITE);
            assertThat(invite.topVia().transport()).isEqualTo("TCP");
            assertThat(invite.topVia().port()).isEqualTo(5060);
            assertThat(invite.from().uri().user()).isEqualTo("alice");
            assertThat(invite.to().tag()).isNull();
            assertThat(invite.content().toString(invite.bodyStart(), 4, java.nio.charset.StandardCharsets.US_ASCII))
                    .isEqualTo("v=0\r");
        }
    }

    @Test
    void foldedReceivedParameterBelongsToTheVia() {
        try (TortureRun run = TortureRun.of("sip/rfc3665/401-unauthorized.sip")) {
            assertThat(run.response().statusCode()).isEqualTo(401);
            assertThat(run.message().topVia().received()).isEqualTo("192.0.2.201");
            assertThat(run.message().count(HeaderName.WWW_AUTHENTICATE)).isEqualTo(1);
        }
    }
}
