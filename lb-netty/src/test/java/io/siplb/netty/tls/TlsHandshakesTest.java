package io.siplb.netty.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import io.siplb.netty.tls.TlsCounters.Failure;
import java.nio.channels.ClosedChannelException;
import java.security.cert.CertificateException;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/** How a failed handshake is labelled, from what the JDK and Netty throw. */
class TlsHandshakesTest {

    @Test
    void aTimeoutIsATimeout() {
        assertThat(TlsHandshakes.reason(new SslHandshakeTimeoutException("handshake timed out after 10000ms")))
                .isEqualTo(Failure.TIMEOUT);
    }

    @Test
    void anOldVersionOrNoCommonCipherOrPlainTextIsAProtocolFailure() {
        assertThat(TlsHandshakes.reason(new SSLHandshakeException(
                "Client requested protocol TLSv1.1 is not enabled or supported in server context")))
                .isEqualTo(Failure.PROTOCOL);
        assertThat(TlsHandshakes.reason(new SSLHandshakeException("no cipher suites in common")))
                .isEqualTo(Failure.PROTOCOL);
        assertThat(TlsHandshakes.reason(new NotSslRecordException("not an SSL/TLS record: 4f5054494f4e53")))
                .isEqualTo(Failure.PROTOCOL);
    }

    @Test
    void aMissingUntrustedOrRefusedCertificateIsACertFailure() {
        assertThat(TlsHandshakes.reason(new SSLHandshakeException("Empty client certificate chain")))
                .isEqualTo(Failure.CERT);
        SSLHandshakeException untrusted = new SSLHandshakeException("PKIX path building failed");
        untrusted.initCause(new CertificateException("unable to find valid certification path"));
        assertThat(TlsHandshakes.reason(new DecoderException(untrusted))).isEqualTo(Failure.CERT);
        assertThat(TlsHandshakes.reason(new SSLHandshakeException("Received fatal alert: certificate_unknown")))
                .isEqualTo(Failure.CERT);
    }

    @Test
    void aClientGoingAwayIsClosed() {
        assertThat(TlsHandshakes.reason(new ClosedChannelException())).isEqualTo(Failure.CLOSED);
        assertThat(TlsHandshakes.reason(new SSLException("Connection reset"))).isEqualTo(Failure.CLOSED);
    }

    @Test
    void anythingElseIsOther() {
        assertThat(TlsHandshakes.reason(new IllegalStateException("boom"))).isEqualTo(Failure.OTHER);
    }
}
