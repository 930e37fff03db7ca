package io.siplb.netty.tls;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.DomainWildcardMappingBuilder;
import io.netty.util.Mapping;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.siplb.config.TlsCertificate;
import io.siplb.config.TlsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * The server-side TLS contexts of the {@code tls://} listeners, chosen per connection by the name
 * the client asks for (SNI, RFC 6066 §3), and swapped when the certificates change.
 *
 * <p>Every context allows exactly {@code tls.protocols} (TLS 1.3 and 1.2 by default), set
 * explicitly rather than left to the JDK's defaults, so TLS 1.1 and older are refused whatever the
 * JVM's {@code jdk.tls.disabledAlgorithms} says (RFC 8996). The JDK provider is used: no native
 * library to ship, and TLS is not siplb's bottleneck.
 *
 * <p>Reloading: {@link #prepare} builds the contexts of a new {@link TlsConfig} (SIGHUP or
 * {@code POST /reload}, whose configuration load has already read and checked the files), and the
 * returned action swaps them in. A watcher thread also checks the files' modification times and
 * sizes every {@code tls.watch-interval} and reloads them when they change (certbot renewing a
 * certificate). A swap affects new handshakes only: open connections keep the context they were
 * made with. A new certificate set that cannot be read, or whose key does not match, is refused
 * with one log line and counted; the old set stays in use.
 *
 * <p>File reads and context builds happen on the caller's thread (the reload thread) or the
 * watcher's, never on an event loop; the event loops only read a volatile reference in
 * {@link #map}.
 */
public final class TlsContexts implements Mapping<String, SslContext>, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TlsContexts.class);

    private final TlsCounters counters;
    private final Supplier<Instant> clock;
    private volatile State state;
    /** The file stamps of the set in use (or of the last refused attempt): the watcher compares against it. */
    private volatile List<String> stamps;
    private ScheduledExecutorService watcher;

    /** The contexts of one {@link TlsConfig}. */
    private record State(TlsConfig config, Mapping<String, SslContext> byName, Map<String, Instant> expiries) {}

    private TlsContexts(TlsConfig config, TlsCounters counters, Supplier<Instant> clock) {
        this.counters = requireNonNull(counters, "counters");
        this.clock = requireNonNull(clock, "clock");
        this.state = build(config);
        this.stamps = stamps(config);
    }

    /**
     * Builds the contexts of {@code config} and, when {@code tls.watch-interval} is not 0s, starts
     * watching its files.
     *
     * @throws IllegalArgumentException when a context cannot be built (the key type is not usable
     *                                  for TLS, say)
     */
    public static TlsContexts start(TlsConfig config, TlsCounters counters) {
        TlsContexts contexts = new TlsContexts(requireNonNull(config, "config"), counters, Instant::now);
        contexts.describe("TLS certificates loaded");
        long every = config.watchInterval().toMillis();
        if (every > 0) {
            contexts.watcher = Executors.newSingleThreadScheduledExecutor(new DefaultThreadFactory("siplb-tls-watch", true));
            contexts.watcher.scheduleWithFixedDelay(contexts::checkFiles, every, every, TimeUnit.MILLISECONDS);
        }
        return contexts;
    }

    /**
     * Builds the contexts of {@code config} and drops them: what {@code siplb check-config} does to
     * find what only the TLS engine refuses (a key type it cannot use). No watcher, no log line.
     *
     * @throws IllegalArgumentException naming the certificate and key files
     */
    public static void check(TlsConfig config) {
        new TlsContexts(requireNonNull(config, "config"), new TlsCounters(), Instant::now);
    }

    /** The context for a client that asked for {@code hostname} (null: no SNI): that name's, else the default. */
    @Override
    public SslContext map(String hostname) {
        return state.byName().map(hostname);
    }

    /** The configuration in use. */
    public TlsConfig config() {
        return state.config();
    }

    /** When each certificate in use expires: {@code default}, then each {@code sni} entry by its first name. */
    public Map<String, Instant> expiries() {
        return state.expiries();
    }

    public TlsCounters counters() {
        return counters;
    }

    /**
     * Builds the contexts of {@code next} and returns the action that puts them in use; nothing
     * changes until it runs. Counted as a failed reload when building fails.
     *
     * @throws IllegalArgumentException saying why the contexts cannot be built
     */
    public Runnable prepare(TlsConfig next, String trigger) {
        return prepare(next, trigger, stamps(next));
    }

    /** {@code nextStamps}: the files' stamps taken before they were read, so a later change is seen. */
    private Runnable prepare(TlsConfig next, String trigger, List<String> nextStamps) {
        State built;
        try {
            built = build(requireNonNull(next, "next"));
        } catch (IllegalArgumentException e) {
            counters.reloadFailed();
            throw e;
        }
        return () -> {
            synchronized (this) {
                state = built;
                stamps = nextStamps;
            }
            counters.reloaded();
            describe("TLS certificates reloaded (" + trigger + ")");
        };
    }

    /**
     * Reads the files of the configuration in use again and puts them in use; false (logged once,
     * counted) when they are missing, unreadable or do not belong together: the old set stays.
     */
    public boolean reloadFiles(String trigger) {
        TlsConfig current = state.config();
        List<String> seen = stamps(current);
        try {
            prepare(rereadOrCount(current), trigger, seen).run();
            return true;
        } catch (IllegalArgumentException e) {
            stamps = seen; // not again until the files change again
            log.warn("TLS certificates not reloaded ({}), still serving the previous ones: {}", trigger, e.getMessage());
            return false;
        }
    }

    private TlsConfig rereadOrCount(TlsConfig current) {
        try {
            return current.reread();
        } catch (IllegalArgumentException e) {
            counters.reloadFailed();
            throw e;
        }
    }

    /** The watcher's task: reload when a file's modification time or size changed. */
    void checkFiles() {
        try {
            if (!stamps(state.config()).equals(stamps)) {
                reloadFiles("files changed");
            }
        } catch (RuntimeException e) {
            // the scheduler would stop the task for good on an exception
            log.warn("TLS certificate watch failed: {}", e.toString());
        }
    }

    @Override
    public void close() {
        if (watcher != null) {
            watcher.shutdownNow();
            watcher = null;
        }
    }

    private State build(TlsConfig config) {
        SslContext fallback = context(config.certificate(), config);
        DomainWildcardMappingBuilder<SslContext> names = new DomainWildcardMappingBuilder<>(fallback);
        Map<String, Instant> expiries = new LinkedHashMap<>();
        expiries.put("default", config.certificate().notAfter());
        for (TlsCertificate c : config.sni()) {
            SslContext ctx = context(c, config);
            for (String name : c.names()) {
                names.add(name, ctx);
            }
            expiries.put(c.names().get(0), c.notAfter());
        }
        return new State(config, names.build(), Map.copyOf(expiries));
    }

    private static SslContext context(TlsCertificate c, TlsConfig config) {
        try {
            SslContextBuilder b = SslContextBuilder.forServer(c.key(), c.chain().toArray(new X509Certificate[0]))
                    .sslProvider(SslProvider.JDK)
                    // explicit: TLS 1.1 and older are refused by siplb, not by a JDK default (RFC 8996)
                    .protocols(config.protocols())
                    .clientAuth(clientAuth(config.clientAuth()));
            if (config.clientAuth() != TlsConfig.ClientAuth.NONE) {
                b.trustManager(config.trusted().toArray(new X509Certificate[0]));
            }
            return b.build();
        } catch (SSLException | RuntimeException e) {
            throw new IllegalArgumentException("'" + c.certificateFile() + "' with '" + c.keyFile()
                    + "' cannot serve TLS: " + e.getMessage(), e);
        }
    }

    private static ClientAuth clientAuth(TlsConfig.ClientAuth c) {
        return switch (c) {
            case NONE -> ClientAuth.NONE;
            case OPTIONAL -> ClientAuth.OPTIONAL;
            case REQUIRE -> ClientAuth.REQUIRE;
        };
    }

    /** One line naming every certificate in use; a warning for one that is expired or not yet valid. */
    private void describe(String what) {
        State s = state;
        TlsConfig c = s.config();
        List<String> parts = new ArrayList<>();
        parts.add("default " + c.certificate().subject() + " until " + c.certificate().notAfter());
        for (TlsCertificate sni : c.sni()) {
            parts.add(sni.names() + " " + sni.subject() + " until " + sni.notAfter());
        }
        log.info("{}: {}; protocols {}, client-auth {}", what, String.join("; ", parts), c.protocols(),
                c.clientAuth().word());
        Instant now = clock.get();
        List<TlsCertificate> all = new ArrayList<>(c.sni());
        all.add(0, c.certificate());
        for (TlsCertificate t : all) {
            X509Certificate leaf = t.leaf();
            if (leaf.getNotAfter().toInstant().isBefore(now) || leaf.getNotBefore().toInstant().isAfter(now)) {
                log.warn("TLS certificate {} ({}) is not valid now: valid from {} until {}", t.certificateFile(),
                        t.subject(), leaf.getNotBefore().toInstant(), leaf.getNotAfter().toInstant());
            }
        }
    }

    /** Modification time and size of every file, in order; a missing file stamps as such. */
    private static List<String> stamps(TlsConfig config) {
        List<String> out = new ArrayList<>();
        for (Path p : config.files()) {
            try {
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
                out.add(a.lastModifiedTime().toMillis() + "/" + a.size());
            } catch (IOException e) {
                out.add("missing");
            }
        }
        return out;
    }
}
