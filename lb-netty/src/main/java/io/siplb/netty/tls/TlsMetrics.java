package io.siplb.netty.tls;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.time.Instant;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Exports {@link TlsCounters}: {@code siplb_tls_handshakes_total{protocol}},
 * {@code siplb_tls_handshake_failures_total{reason}}, {@code siplb_tls_certificate_reloads_total{result}}
 * (every series from start, at 0, TLS configured or not), and when TLS is configured
 * {@code siplb_tls_certificate_expiry_timestamp_seconds{certificate}}, read at each scrape.
 */
public final class TlsMetrics {

    private TlsMetrics() {}

    /** Registers the counters; call once. */
    public static void bind(MeterRegistry registry, TlsCounters counters) {
        for (TlsCounters.Protocol p : TlsCounters.Protocol.values()) {
            FunctionCounter.builder("siplb.tls.handshakes", counters, c -> c.handshakes(p))
                    .description("TLS handshakes completed on the tls:// listeners, by protocol version")
                    .tag("protocol", p.label()).register(registry);
        }
        for (TlsCounters.Failure f : TlsCounters.Failure.values()) {
            FunctionCounter.builder("siplb.tls.handshake.failures", counters, c -> c.failures(f))
                    .description("TLS handshakes that failed, by reason (protocol: TLS 1.1 and older land here)")
                    .tag("reason", f.label()).register(registry);
        }
        FunctionCounter.builder("siplb.tls.certificate.reloads", counters, TlsCounters::reloads)
                .description("Certificate sets swapped in after start (reload or changed files)")
                .tag("result", "ok").register(registry);
        FunctionCounter.builder("siplb.tls.certificate.reloads", counters, TlsCounters::reloadFailures)
                .description("Certificate sets swapped in after start (reload or changed files)")
                .tag("result", "failed").register(registry);
    }

    /**
     * Registers one expiry gauge per certificate of {@code contexts} as configured at start
     * ({@code default} and each {@code sni} entry's first name); a renewed certificate's new date
     * shows at the next scrape.
     */
    public static void bindExpiries(MeterRegistry registry, TlsContexts contexts) {
        for (String name : contexts.expiries().keySet()) {
            Supplier<Map<String, Instant>> source = contexts::expiries;
            Gauge.builder("siplb.tls.certificate.expiry.timestamp", source, s -> {
                        Instant at = s.get().get(name);
                        return at == null ? Double.NaN : at.getEpochSecond();
                    })
                    .description("When the certificate in use expires (notAfter), seconds since the epoch")
                    .baseUnit("seconds").strongReference(true)
                    .tag("certificate", name).register(registry);
        }
    }
}
