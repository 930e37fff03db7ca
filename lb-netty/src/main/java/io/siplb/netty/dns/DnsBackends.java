package io.siplb.netty.dns;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import io.siplb.config.DnsConfig;
import io.siplb.config.SrvBackendConfig;
import io.siplb.hash.Backend;
import io.siplb.hash.BackendView;
import io.siplb.health.HealthPolicy;
import io.siplb.netty.probe.HealthMonitor;
import io.siplb.route.RoutingView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static java.util.Objects.requireNonNull;

/**
 * The backend set of a running siplb: the static backends of the configuration plus the targets
 * of its DNS SRV entries, refreshed by the records' TTL. Every change reaches routing the way a
 * reload does: {@link HealthMonitor#reload} ({@code HealthTracker.withBackends}, so unchanged
 * backends keep their health) and one atomic swap of the {@code RoutingView}, logged once.
 *
 * <p>All state lives on one event loop of its own ({@code siplb-dns}), which also runs the DNS
 * resolver and builds the new ranking tables, so no SIP loop ever waits for DNS or a rebuild.
 * Refresh: each entry again after its answer's smallest TTL, kept within {@code dns.min-ttl} ~
 * {@code dns.max-ttl}. A refresh that fails (timeout, SERVFAIL, NXDOMAIN, no record, no target
 * with an address) keeps the entry's last good set and is tried again after {@code min-ttl}; the
 * failure and the recovery are logged once each. A target that stops resolving while others do
 * leaves the set (the answer is authoritative about it).
 */
public final class DnsBackends implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DnsBackends.class);

    private final EventLoop loop;
    private final DnsConfig dns;
    private final HealthMonitor health;
    // confined to loop
    private SrvResolver resolver;
    private List<Backend> statics;
    private HealthPolicy policy;
    private final Map<SrvBackendConfig, Entry> entries = new LinkedHashMap<>();
    private List<Backend> published;
    private SrvStandby standby;
    private boolean closed;

    /** One SRV entry: its last good backends and its refresh timer. */
    private static final class Entry {
        final SrvBackendConfig config;
        List<SrvBackend> good = List.of();
        boolean resolvedOnce;
        boolean failing;
        ScheduledFuture<?> timer;
        long lastRefreshNanos;

        Entry(SrvBackendConfig config) {
            this.config = config;
        }
    }

    /**
     * @param loop    a loop of its own for DNS and table builds
     * @param statics the static backends the health monitor starts with
     */
    public DnsBackends(EventLoop loop, DnsConfig dns, HealthMonitor health, List<Backend> statics,
                       HealthPolicy policy) {
        this.loop = requireNonNull(loop, "loop");
        this.dns = requireNonNull(dns, "dns");
        this.health = requireNonNull(health, "health");
        this.statics = List.copyOf(statics);
        this.policy = requireNonNull(policy, "policy");
        this.published = this.statics;
    }

    /**
     * Resolves the SRV entries and publishes the full set; completes when it is published (also
     * when some entries failed: they are retried). With no SRV entries it publishes nothing.
     */
    public CompletableFuture<Void> start(List<SrvBackendConfig> srv) {
        return configure(statics, srv, policy, false);
    }

    /**
     * A reload: the new static backends, SRV entries and policy. Entries kept from before keep
     * their resolution and timer; new ones are resolved first. Completes when the set is
     * published (always, with {@code force}, so that a policy change alone is applied).
     */
    public CompletableFuture<Void> configure(List<Backend> statics, List<SrvBackendConfig> srv, HealthPolicy policy,
                                             boolean force) {
        List<Backend> s = List.copyOf(statics);
        List<SrvBackendConfig> wanted = List.copyOf(srv);
        CompletableFuture<Void> done = new CompletableFuture<>();
        loop.execute(() -> {
            this.statics = s;
            this.policy = policy;
            entries.keySet().removeIf(c -> {
                if (!wanted.contains(c)) {
                    Entry e = entries.get(c);
                    if (e.timer != null) {
                        e.timer.cancel(false);
                    }
                    return true;
                }
                return false;
            });
            List<Entry> fresh = new ArrayList<>();
            Map<SrvBackendConfig, Entry> ordered = new LinkedHashMap<>();
            for (SrvBackendConfig c : wanted) {
                Entry e = entries.get(c);
                if (e == null) {
                    e = new Entry(c);
                    fresh.add(e);
                }
                ordered.put(c, e);
            }
            entries.clear();
            entries.putAll(ordered); // configuration order: it decides which of two equal targets wins
            if (fresh.isEmpty()) {
                publish(force, done);
                return;
            }
            int[] pending = {fresh.size()};
            for (Entry e : fresh) {
                refresh(e, () -> {
                    if (--pending[0] == 0) {
                        publish(force, done);
                    }
                });
            }
        });
        return done;
    }

    /** Stops refreshing and closes the resolver (waits briefly for the loop). */
    @Override
    public void close() {
        if (loop.isShuttingDown()) {
            return;
        }
        CompletableFuture<Void> f = new CompletableFuture<>();
        try {
            loop.execute(() -> {
                closed = true;
                for (Entry e : entries.values()) {
                    if (e.timer != null) {
                        e.timer.cancel(false);
                    }
                }
                if (resolver != null) {
                    resolver.close();
                }
                f.complete(null);
            });
            f.get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.debug("DNS backends did not close cleanly", e);
        }
    }

    // ---- on the loop ----------------------------------------------------------------------

    /** Resolves one entry, keeps the good answer or the old set, re-arms its timer, then {@code after}. */
    private void refresh(Entry e, Runnable after) {
        if (resolver == null) {
            resolver = new SrvResolver(loop, dns);
        }
        long started = System.nanoTime();
        resolver.resolve(e.config.name()).addListener(f -> {
            if (closed || entries.get(e.config) != e) {
                after.run();
                return; // removed by a reload meanwhile
            }
            long delaySeconds;
            if (f.isSuccess()) {
                SrvResolver.Answer a = (SrvResolver.Answer) f.getNow();
                List<SrvBackend> backends = SrvMapping.backends(e.config, a.records(), a.addresses());
                if (backends.isEmpty()) {
                    delaySeconds = failed(e, "no target has an address (" + String.join(", ", a.unresolved()) + ")");
                } else {
                    if (e.failing) {
                        log.info("SRV {}: resolves again ({} backends)", e.config.name(), backends.size());
                    } else if (!a.unresolved().isEmpty() && !backends.equals(e.good)) {
                        log.warn("SRV {}: targets without an address left out: {}", e.config.name(),
                                String.join(", ", a.unresolved()));
                    }
                    e.failing = false;
                    e.resolvedOnce = true;
                    e.good = backends;
                    delaySeconds = clamp(a.ttlSeconds());
                }
            } else {
                delaySeconds = failed(e, String.valueOf(f.cause().getMessage()));
            }
            e.lastRefreshNanos = System.nanoTime() - started;
            e.timer = loop.schedule(() -> refresh(e, () -> publish(false, null)), delaySeconds, TimeUnit.SECONDS);
            after.run();
        });
    }

    private long failed(Entry e, String why) {
        if (!e.failing) {
            e.failing = true;
            if (e.resolvedOnce) {
                log.warn("SRV {}: refresh failed ({}); keeping the last good set of {} backends, retrying every {}s",
                        e.config.name(), why, e.good.size(), dns.minTtl().toSeconds());
            } else {
                log.warn("SRV {}: does not resolve ({}); no backends from it yet, retrying every {}s",
                        e.config.name(), why, dns.minTtl().toSeconds());
            }
        }
        return dns.minTtl().toSeconds();
    }

    private long clamp(long ttlSeconds) {
        return Math.max(dns.minTtl().toSeconds(), Math.min(dns.maxTtl().toSeconds(), ttlSeconds));
    }

    /** Publishes static + SRV backends when they differ from the last published set (or {@code force}). */
    private void publish(boolean force, CompletableFuture<Void> done) {
        if (closed) {
            complete(done, null);
            return;
        }
        List<Backend> merged = new ArrayList<>(statics);
        List<SrvBackend> srv = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        Set<String> addresses = new HashSet<>();
        for (Backend b : statics) {
            ids.add(b.id());
            addresses.add(address(b));
        }
        List<String> skipped = new ArrayList<>();
        for (Entry e : entries.values()) {
            for (SrvBackend s : e.good) {
                Backend b = s.backend();
                // one backend per address: the side of a message is found by its source address
                if (!ids.add(b.id()) || !addresses.add(address(b))) {
                    skipped.add(b.id() + " (" + address(b) + ")");
                    continue;
                }
                merged.add(b);
                srv.add(s);
            }
        }
        if (!force && merged.equals(published)) {
            complete(done, null);
            return;
        }
        List<Backend> before = published;
        published = merged; // now: a publish queued behind this one compares against the new set
        // the table build, here on the DNS loop, not on the health loop or a SIP loop
        RoutingView ranking = RoutingView.of(BackendView.of(merged));
        SrvStandby nextStandby = new SrvStandby(srv, standby);
        standby = nextStandby;
        health.reload(merged, policy, ranking, nextStandby).whenComplete((v, t) -> {
            if (t != null) {
                log.warn("backend set from DNS not applied: {}", t.toString());
                complete(done, t);
                return;
            }
            loop.execute(() -> {
                String change = describeChange(before, merged);
                if (!change.isEmpty()) {
                    log.info("backend set changed ({}): {}{}", force ? "reload" : "DNS SRV refresh", change,
                            skipped.isEmpty() ? "" : "; left out as duplicates of another backend: " + skipped);
                }
                complete(done, null);
            });
        });
    }

    private static void complete(CompletableFuture<Void> done, Throwable t) {
        if (done != null) {
            if (t == null) {
                done.complete(null);
            } else {
                done.completeExceptionally(t);
            }
        }
    }

    private static String address(Backend b) {
        return b.transport() + ":" + b.host() + ":" + b.port();
    }

    /** "added x (10.0.0.1:5060 w10), removed y, z: 10.0.0.2:5060 -> 10.0.0.3:5060". */
    static String describeChange(List<Backend> was, List<Backend> now) {
        Map<String, Backend> before = new LinkedHashMap<>();
        for (Backend b : was) {
            before.put(b.id(), b);
        }
        List<String> parts = new ArrayList<>();
        for (Backend b : now) {
            Backend old = before.remove(b.id());
            if (old == null) {
                parts.add("added " + b.id() + " (" + b.host() + ":" + b.port() + " w" + b.weight() + ")");
            } else if (!old.equals(b)) {
                parts.add(b.id() + ": " + old.host() + ":" + old.port() + " w" + old.weight() + " -> "
                        + b.host() + ":" + b.port() + " w" + b.weight());
            }
        }
        for (String id : before.keySet()) {
            parts.add("removed " + id);
        }
        return String.join(", ", parts);
    }
}
