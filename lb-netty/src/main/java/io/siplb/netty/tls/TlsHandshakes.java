package io.siplb.netty.tls;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SniCompletionEvent;
import io.netty.handler.ssl.SniHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import io.siplb.netty.tls.TlsCounters.Failure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLException;
import java.nio.channels.ClosedChannelException;
import java.security.GeneralSecurityException;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import static java.util.Objects.requireNonNull;

/**
 * Puts TLS in front of an accepted connection's SIP pipeline and counts how its handshake went.
 *
 * <pre>
 *   [guard: idle timeout] → tls (SniHandler, then the SslHandler it picks) → tls-events → sip-framer → …
 * </pre>
 *
 * <p>The handshake must finish within {@code limits.handshake-timeout}, counted from the accept:
 * the SNI handler waits for the ClientHello that long, and the SslHandler it installs gets what
 * is left. A connection that takes longer is closed and counted ({@code timeout}), so a client
 * that connects and stays silent holds no slot of {@code limits.max-connections} for long.
 *
 * <p>A failed handshake is counted once, by reason, and logged at debug level only (a scanner can
 * make thousands); its exception does not travel further down the pipeline, since the SSL
 * handler has already closed the connection. Thread-safe; one instance per listener set.
 */
@Sharable
public final class TlsHandshakes extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(TlsHandshakes.class);

    private final TlsContexts contexts;
    private final long timeoutMillis;
    private final TlsCounters counters;
    private final Runnable onTimeout;

    /**
     * @param timeoutMillis {@code limits.handshake-timeout}
     * @param onTimeout     also told of each timeout (flood protection's {@code handshake_timeout} event)
     */
    public TlsHandshakes(TlsContexts contexts, long timeoutMillis, Runnable onTimeout) {
        this.contexts = requireNonNull(contexts, "contexts");
        this.counters = contexts.counters();
        this.timeoutMillis = timeoutMillis;
        this.onTimeout = requireNonNull(onTimeout, "onTimeout");
    }

    /** Adds TLS to a newly accepted connection, before its SIP framer. */
    public void install(Channel ch) {
        ch.pipeline().addLast("tls", new TimedSniHandler(contexts, timeoutMillis)).addLast("tls-events", this);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof SslHandshakeCompletionEvent done) {
            if (done.isSuccess()) {
                SslHandler ssl = ctx.pipeline().get(SslHandler.class);
                counters.handshake(ssl == null ? "" : ssl.engine().getSession().getProtocol());
            } else {
                failed(ctx, done.cause());
            }
        } else if (evt instanceof SniCompletionEvent sni && sni.cause() instanceof SslHandshakeTimeoutException) {
            // no ClientHello in time: the SNI handler closes without a handshake event of its own
            failed(ctx, sni.cause());
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof SSLException || cause instanceof DecoderException && cause.getCause() instanceof SSLException) {
            ctx.close(); // counted by its handshake event; the SSL handler has closed already
            return;
        }
        ctx.fireExceptionCaught(cause);
    }

    private void failed(ChannelHandlerContext ctx, Throwable cause) {
        Failure reason = reason(cause);
        counters.failure(reason);
        if (reason == Failure.TIMEOUT) {
            onTimeout.run();
        }
        if (log.isDebugEnabled()) {
            log.debug("TLS handshake with {} failed ({}): {}", ctx.channel().remoteAddress(), reason.label(),
                    cause.toString());
        }
    }

    /** Why a handshake failed, from its exception (the JDK says so only in messages and alert names). */
    static Failure reason(Throwable cause) {
        if (cause instanceof SslHandshakeTimeoutException) {
            return Failure.TIMEOUT;
        }
        if (cause instanceof NotSslRecordException) {
            return Failure.PROTOCOL; // plain text (SIP over TCP?) on a TLS port
        }
        if (cause instanceof ClosedChannelException) {
            return Failure.CLOSED;
        }
        StringBuilder text = new StringBuilder();
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof java.security.cert.CertificateException
                    || t instanceof java.security.cert.CertPathValidatorException
                    || t instanceof java.security.cert.CertPathBuilderException) {
                return Failure.CERT;
            }
            if (t instanceof GeneralSecurityException || t instanceof SSLException || t.getMessage() != null) {
                text.append(' ').append(t.getMessage());
            }
        }
        String m = text.toString().toLowerCase(Locale.ROOT);
        if (m.contains("certificate") || m.contains("unknown_ca") || m.contains("pkix")) {
            return Failure.CERT;
        }
        if (m.contains("protocol") || m.contains("cipher") || m.contains("handshake_failure")
                || m.contains("insufficient_security") || m.contains("unsupported")) {
            return Failure.PROTOCOL;
        }
        if (m.contains("closed") || m.contains("terminated") || m.contains("reset") || m.contains("eof")) {
            return Failure.CLOSED;
        }
        return Failure.OTHER;
    }

    /**
     * Netty's SNI handler with one handshake deadline counted from the accept: the SslHandler it
     * creates gets only the time left, not a fresh timeout.
     */
    private static final class TimedSniHandler extends SniHandler {

        private final long startNanos = System.nanoTime();
        private final long timeoutMillis;

        TimedSniHandler(TlsContexts contexts, long timeoutMillis) {
            super(contexts, timeoutMillis);
            this.timeoutMillis = timeoutMillis;
        }

        @Override
        protected SslHandler newSslHandler(SslContext context, ByteBufAllocator allocator) {
            SslHandler ssl = super.newSslHandler(context, allocator);
            if (timeoutMillis > 0) {
                long spent = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
                ssl.setHandshakeTimeoutMillis(Math.max(1, timeoutMillis - spent));
            }
            return ssl;
        }
    }
}
