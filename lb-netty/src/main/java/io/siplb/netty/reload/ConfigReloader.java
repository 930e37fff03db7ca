package io.siplb.netty.reload;

import io.siplb.config.BackendConfig;
import io.siplb.config.ConfigException;
import io.siplb.config.ConfigLoader;
import io.siplb.config.ConfigProblem;
import io.siplb.config.SiplbConfig;
import io.siplb.config.SrvBackendConfig;
import io.siplb.config.TlsConfig;
import io.siplb.netty.Assembly;
import io.siplb.netty.dns.DnsBackends;
import io.siplb.netty.probe.HealthMonitor;
import io.siplb.route.RoutingView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

import static java.util.Objects.requireNonNull;

/**
 * Reloads the configuration file ({@code POST /reload}, SIGHUP): reads and validates it, and
 * either swaps the new backend set and health policy in at once or refuses the whole file and
 * keeps running the old configuration.
 *
 * <p>What a reload can change: {@code backends} (added, removed, readdressed, reweighted; an
 * unchanged backend keeps its health state and drain), {@code health}, and {@code tls} but its
 * {@code advertise} and {@code watch-interval} (the certificate files are read again with the
 * file, so a reload also picks up renewed certificates; see {@link #onTls}). Everything else is
 * bound into sockets or into the routing core when siplb starts, so a change there is refused
 * with the key named and "restart siplb" ({@code listen} and {@code admin}: sockets;
 * {@code advertise}, {@code aliases}, {@code domains}, {@code routing}, {@code flow-token},
 * {@code limits}: the router and decoders). Refusing is safer than applying half a file.
 *
 * <p>The work (file I/O, DNS for backends given by name, building the new ranking table) runs
 * on {@code executor}, never on an event loop; reloads are serialised by it being one thread.
 * The swap itself happens on the health loop ({@link HealthMonitor#reload}).
 */
public final class ConfigReloader {

    private static final Logger log = LoggerFactory.getLogger(ConfigReloader.class);

    private final Path file;
    private final HealthMonitor health;
    private final Executor executor;
    /** The backend set with DNS SRV entries; null: static backends only, published straight to {@code health}. */
    private final DnsBackends dns;
    private volatile SiplbConfig current;
    /** Builds a new tls: section's contexts and returns the swap (io.siplb.netty.tls), or null: no TLS. */
    private volatile BiFunction<TlsConfig, String, Runnable> tls;

    /**
     * @param file     the configuration file to read again
     * @param running  the configuration siplb is running
     * @param executor one thread for reloads
     */
    public ConfigReloader(Path file, SiplbConfig running, HealthMonitor health, Executor executor) {
        this(file, running, health, executor, null);
    }

    /**
     * A reloader whose new backend sets go through {@code dns} ({@link DnsBackends#configure}),
     * which adds the targets of the {@code srv:} entries; {@code null}: static backends only.
     */
    public ConfigReloader(Path file, SiplbConfig running, HealthMonitor health, Executor executor,
                          DnsBackends dns) {
        this.dns = dns;
        this.file = requireNonNull(file, "file");
        this.current = requireNonNull(running, "running");
        this.health = requireNonNull(health, "health");
        this.executor = requireNonNull(executor, "executor");
    }

    /**
     * Lets a reload change the {@code tls:} section: {@code prepare} builds the new contexts (or
     * throws {@link IllegalArgumentException}, refusing the whole reload) and returns the action
     * that swaps them in, run when the rest of the file is applied.
     */
    public ConfigReloader onTls(BiFunction<TlsConfig, String, Runnable> prepare) {
        this.tls = requireNonNull(prepare, "prepare");
        return this;
    }

    /** The configuration in force. */
    public SiplbConfig current() {
        return current;
    }

    /**
     * Reloads; the result says what changed, or why nothing did. Logged either way (one line,
     * or one per problem).
     */
    public CompletableFuture<Result> reload(String trigger) {
        return CompletableFuture.supplyAsync(() -> reloadNow(trigger), executor);
    }

    private Result reloadNow(String trigger) {
        Result r;
        try {
            r = apply(ConfigLoader.load(file), trigger);
        } catch (ConfigException e) {
            List<String> lines = new ArrayList<>();
            for (ConfigProblem p : e.problems()) {
                lines.add(p.toString());
            }
            r = Result.refused(lines);
        } catch (RuntimeException e) {
            r = Result.refused(List.of(file + ": " + e.getMessage()));
        }
        if (r.applied()) {
            log.info("configuration reloaded from {} ({}): {}", file, trigger,
                    r.changes().isEmpty() ? "nothing changed" : String.join("; ", r.changes()));
        } else {
            log.warn("configuration reload from {} ({}) refused, still running the previous configuration: {}",
                    file, trigger, String.join("; ", r.problems()));
        }
        return r;
    }

    private Result apply(SiplbConfig next, String trigger) throws ConfigException {
        SiplbConfig old = current;
        List<String> fixed = new ArrayList<>();
        refuseChange(fixed, "listen", old.listen(), next.listen());
        refuseChange(fixed, "advertise", old.advertise(), next.advertise());
        refuseChange(fixed, "admin", old.admin(), next.admin());
        refuseChange(fixed, "domains", old.domains(), next.domains());
        refuseChange(fixed, "aliases", old.aliases(), next.aliases());
        refuseChange(fixed, "routing", old.routing(), next.routing());
        refuseChange(fixed, "flow-token", old.flowToken(), next.flowToken());
        refuseChange(fixed, "limits", old.limits(), next.limits());
        refuseChange(fixed, "dns", old.dns(), next.dns());
        if (dns == null && !next.srvBackends().equals(old.srvBackends())) {
            fixed.add("backends: srv entries cannot change without DNS support in this server; restart siplb");
        }
        TlsConfig oldTls = old.tls();
        TlsConfig nextTls = next.tls();
        if (oldTls != null && nextTls != null) {
            refuseChange(fixed, "tls.advertise", oldTls.advertise(), nextTls.advertise());
            refuseChange(fixed, "tls.watch-interval", oldTls.watchInterval(), nextTls.watchInterval());
        }
        if (fixed.isEmpty() && !next.withBackends(old.backends()).withSrvBackends(old.srvBackends())
                .withHealth(old.health()).withTls(oldTls).equals(old)) {
            // a section added since this list was written: refuse rather than pretend to apply it
            fixed.add("a setting other than backends and health changed; restart siplb to change it");
        }
        if (!fixed.isEmpty()) {
            return Result.refused(fixed);
        }
        Runnable tlsSwap = () -> { };
        List<String> tlsChanges = new ArrayList<>();
        if (!Objects.equals(oldTls, nextTls)) {
            BiFunction<TlsConfig, String, Runnable> prepare = tls;
            if (prepare == null || nextTls == null) {
                return Result.refused(List.of("tls: cannot change on reload without TLS listeners; restart siplb"));
            }
            try {
                tlsSwap = prepare.apply(nextTls, trigger); // built before anything changes: a failure refuses all
            } catch (IllegalArgumentException e) {
                return Result.refused(List.of("tls: " + e.getMessage()));
            }
            tlsChanges.add("tls: certificates and settings reloaded");
        }
        Assembly assembly;
        try {
            assembly = Assembly.of(next); // resolves backend host names: off the event loops
        } catch (IllegalArgumentException e) {
            return Result.refused(List.of(file + ": " + e.getMessage()));
        }
        List<String> changes = backendChanges(old.backends(), next.backends());
        for (SrvBackendConfig s : next.srvBackends()) {
            if (!old.srvBackends().contains(s)) {
                changes.add("added " + s);
            }
        }
        for (SrvBackendConfig s : old.srvBackends()) {
            if (!next.srvBackends().contains(s)) {
                changes.add("removed " + s);
            }
        }
        if (!old.health().equals(next.health())) {
            changes.add("health: " + describe(next.health()));
        }
        if (dns != null) {
            // DnsBackends resolves new srv entries, adds their targets and publishes through health.reload
            try {
                dns.configure(assembly.backendView().backends(), next.srvBackends(), assembly.healthPolicy(), true)
                        .get(next.dns().timeout().toMillis() * 4 + 5_000, TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                return Result.refused(List.of("the new backends were not applied: " + e));
            }
            tlsSwap.run();
            changes.addAll(tlsChanges);
            current = next;
            return Result.applied(changes);
        }
        RoutingView ranking = RoutingView.of(assembly.backendView()); // the table build, here, not on the loop
        try {
            health.reload(assembly.backendView().backends(), assembly.healthPolicy(), ranking).get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            return Result.refused(List.of("the health loop did not take the new backends: " + e));
        }
        tlsSwap.run();
        changes.addAll(tlsChanges);
        current = next;
        return Result.applied(changes);
    }

    private static void refuseChange(List<String> problems, String key, Object was, Object now) {
        if (!Objects.equals(was, now)) {
            problems.add(key + ": cannot change on reload (was " + was + ", now " + now + "); restart siplb to change it");
        }
    }

    /** "added b4 (sip:10.0.0.4:5060)", "removed b2", "b1: sip:… -> sip:…", "b3: weight 1 -> 2". */
    static List<String> backendChanges(List<BackendConfig> was, List<BackendConfig> now) {
        Map<String, BackendConfig> before = new LinkedHashMap<>();
        for (BackendConfig b : was) {
            before.put(b.id(), b);
        }
        List<String> changes = new ArrayList<>();
        for (BackendConfig b : now) {
            BackendConfig old = before.remove(b.id());
            if (old == null) {
                changes.add("added " + b.id() + " (" + b.uri() + (b.weight() == 1 ? "" : " weight " + b.weight()) + ")");
            } else {
                if (!old.uri().equals(b.uri())) {
                    changes.add(b.id() + ": " + old.uri() + " -> " + b.uri());
                }
                if (old.weight() != b.weight()) {
                    changes.add(b.id() + ": weight " + old.weight() + " -> " + b.weight());
                }
            }
        }
        for (String id : before.keySet()) {
            changes.add("removed " + id);
        }
        return changes;
    }

    private static String describe(io.siplb.config.HealthConfig h) {
        return (h.enabled() ? "on" : "off") + ", interval " + h.interval().toMillis() + "ms, timeout "
                + h.timeout().toMillis() + "ms, rise " + h.rise() + ", fall " + h.fall()
                + ", alive-codes " + h.aliveCodes();
    }

    /**
     * How a reload went.
     *
     * @param applied  true when the new configuration is in force
     * @param changes  what changed (applied), one line each
     * @param problems why it was refused, one line each ({@code file:line:col: key: message})
     */
    public record Result(boolean applied, List<String> changes, List<String> problems) {

        public Result {
            changes = List.copyOf(changes);
            problems = List.copyOf(problems);
        }

        static Result applied(List<String> changes) {
            return new Result(true, changes, List.of());
        }

        static Result refused(List<String> problems) {
            return new Result(false, List.of(), problems);
        }

        /** The admin answer's body. */
        public String text() {
            if (!applied) {
                return "reload refused, still running the previous configuration:\n" + String.join("\n", problems);
            }
            return changes.isEmpty() ? "reloaded: nothing changed" : "reloaded:\n" + String.join("\n", changes);
        }
    }
}
