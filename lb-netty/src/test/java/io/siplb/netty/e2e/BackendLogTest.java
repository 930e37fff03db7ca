package io.siplb.netty.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class BackendLogTest {

    @Test
    void parsesTheFieldsTheBackendScenarioLogs() {
        List<BackendLog.Entry> entries = BackendLog.parse("b1", List.of(
                "REGISTER | u1 |  <sip:127.0.0.1:5060;lr;received=sip:127.0.0.1:5061> |  SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK1 |  SIP/2.0/UDP 127.0.0.1:5061;branch=z9hG4bK2;rport=5061",
                "some other SIPp log line"));

        assertThat(entries).containsExactly(new BackendLog.Entry("b1", "REGISTER", "u1",
                "<sip:127.0.0.1:5060;lr;received=sip:127.0.0.1:5061>", "SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK1",
                "SIP/2.0/UDP 127.0.0.1:5061;branch=z9hG4bK2;rport=5061"));
    }

    @Test
    void parsesInDialogRequestsWithTheRouteLeftForTheBackend() {
        List<BackendLog.Entry> entries = BackendLog.parse("b2", List.of(
                "BYE | c1 |  <sip:127.0.1.2:5072;lr> |  SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK3 "
                        + "|  SIP/2.0/TCP 127.0.0.1:5061;branch=z9hG4bK4;rport=5061;received=127.0.0.1",
                "OPTIONS | c1 | - | - | -"));

        assertThat(entries).containsExactly(new BackendLog.Entry("b2", "BYE", "c1", "<sip:127.0.1.2:5072;lr>",
                "SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK3",
                "SIP/2.0/TCP 127.0.0.1:5061;branch=z9hG4bK4;rport=5061;received=127.0.0.1"));
    }
}
