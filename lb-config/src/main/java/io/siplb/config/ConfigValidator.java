package io.siplb.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntUnaryOperator;

/**
 * Rules that span records, which no single record constructor can check:
 * <ul>
 *   <li>at least one listen address and at least one backend;</li>
 *   <li>no listen address twice; no backend id twice; no two backends at the same address;
 *       no SRV record twice with the same id prefix;
 *       no domain or alias twice;</li>
 *   <li>no backend at one of our own listen addresses (a forwarding loop);</li>
 *   <li>an advertise address that is not a wildcard (it is written into every Via, and
 *       {@code 0.0.0.0} is not where anyone can reach us);</li>
 *   <li>the admin listener not on a TCP/TLS SIP listen address;</li>
 *   <li>a {@code tls:} section exactly when there is a {@code tls://} listener, which shares no
 *       host:port with a {@code tcp://} one; no backend reached over TLS (siplb terminates TLS
 *       from clients and does not open TLS connections).</li>
 * </ul>
 * Rules of one record (a port range, health timeout below interval, rise and fall ≥ 1) are in
 * the records' constructors, so a record that breaks them cannot exist.
 */
public final class ConfigValidator {

    private ConfigValidator() {}

    /**
     * Returns every broken cross-record rule, each with its key path (e.g.
     * {@code backends[2].id}) and no source position; empty when the configuration is fine.
     */
    public static List<ConfigProblem> validate(SiplbConfig config) {
        int statics = config.backends().size();
        return validate(config, i -> i, j -> statics + j, false);
    }

    /**
     * {@link #validate(SiplbConfig)} with the key-path index of each entry: {@code backendAt} maps an
     * index of {@link SiplbConfig#backends()}, {@code srvAt} one of {@link SiplbConfig#srvBackends()},
     * to its position in the file's {@code backends} list (where the two kinds are mixed). The
     * plain overload numbers the SRV entries after the static ones.
     */
    static List<ConfigProblem> validate(SiplbConfig config, IntUnaryOperator backendAt, IntUnaryOperator srvAt,
                                        boolean tlsWritten) {
        List<ConfigProblem> problems = new ArrayList<>();
        if (config.listen().isEmpty()) {
            problems.add(ConfigProblem.at("listen",
                    "no listen address (expected: at least one, like [udp://0.0.0.0:5060])"));
        }
        if (config.backends().isEmpty() && config.srvBackends().isEmpty()) {
            problems.add(ConfigProblem.at("backends",
                    "no backend (expected: at least one, like [{id: a, uri: sip:10.0.0.11:5060}] "
                            + "or [{srv: _sip._udp.pool.example.com}])"));
        }
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < config.listen().size(); i++) {
            ListenAddress address = config.listen().get(i);
            if (address.transport() == Transport.TLS && config.tls() == null && !tlsWritten) {
                // refused rather than skipped: an operator must not find out from missing traffic
                problems.add(ConfigProblem.at("listen[" + i + "]",
                        "'" + address + "' needs a tls section (expected: tls: with certificate and key, "
                                + "see docs/tls.md)"));
            }
            if (address.transport() == Transport.TLS) {
                for (int t = 0; t < config.listen().size(); t++) {
                    ListenAddress other = config.listen().get(t);
                    if (other.transport() == Transport.TCP && other.port() == address.port()
                            && other.host().equals(address.host())) {
                        problems.add(ConfigProblem.at("listen[" + i + "]", "'" + address + "' is also the TCP "
                                + "listen address listen[" + t + "] (expected: a port of its own, usually 5061)"));
                    }
                }
            }
            Integer first = seen.putIfAbsent(address.toString(), i);
            if (first != null) {
                problems.add(ConfigProblem.at("listen[" + i + "]",
                        "'" + address + "' is listed twice (first at listen[" + first + "])"));
            }
        }
        Map<String, Integer> ids = new HashMap<>();
        Map<String, Integer> targets = new HashMap<>();
        for (int i = 0; i < config.backends().size(); i++) {
            BackendConfig backend = config.backends().get(i);
            Integer firstId = ids.putIfAbsent(backend.id(), i);
            if (firstId != null) {
                problems.add(ConfigProblem.at("backends[" + backendAt.applyAsInt(i) + "].id",
                        "duplicate backend id '" + backend.id() + "' (first at backends["
                                + backendAt.applyAsInt(firstId) + "]; expected: a unique id per backend)"));
            }
            Integer firstTarget = targets.putIfAbsent(backend.uri(), i);
            if (firstTarget != null) {
                problems.add(ConfigProblem.at("backends[" + backendAt.applyAsInt(i) + "].uri",
                        "'" + backend.uri() + "' is also backend '"
                                + config.backends().get(firstTarget).id()
                                + "' (expected: one entry per backend; use weight for a larger share)"));
            }
            for (int l = 0; l < config.listen().size(); l++) {
                ListenAddress own = config.listen().get(l);
                if (own.transport() == backend.transport() && own.port() == backend.port()
                        && own.host().equals(backend.host())) {
                    problems.add(ConfigProblem.at("backends[" + backendAt.applyAsInt(i) + "].uri",
                            "'" + backend.uri() + "' is our own listen address listen[" + l
                                    + "] (expected: a home proxy; this would loop)"));
                }
            }
        }
        if (config.tls() != null
                && config.listen().stream().noneMatch(l -> l.transport() == Transport.TLS)) {
            problems.add(ConfigProblem.at("tls", "no tls:// listen address uses it (expected: a listen entry "
                    + "like tls://0.0.0.0:5061, or no tls section)"));
        }
        for (int i = 0; i < config.backends().size(); i++) {
            BackendConfig backend = config.backends().get(i);
            if (backend.transport() == Transport.TLS) {
                problems.add(ConfigProblem.at("backends[" + backendAt.applyAsInt(i) + "].uri",
                        "'" + backend.uri() + "': siplb does not reach backends over TLS (expected: "
                                + "transport=udp or tcp; TLS ends at siplb, see docs/tls.md)"));
            }
        }
        Map<String, Integer> srvNames = new HashMap<>();
        for (int j = 0; j < config.srvBackends().size(); j++) {
            SrvBackendConfig srv = config.srvBackends().get(j);
            // the same record twice with the same prefix gives every target twice under one id
            if (srv.transport() == Transport.TLS) {
                problems.add(ConfigProblem.at("backends[" + srvAt.applyAsInt(j) + "].srv",
                        "'" + srv.name() + "': siplb does not reach backends over TLS (expected: _sip._udp or "
                                + "_sip._tcp; TLS ends at siplb, see docs/tls.md)"));
            }
            Integer first = srvNames.putIfAbsent(srv.name() + " " + srv.idPrefix(), j);
            if (first != null) {
                problems.add(ConfigProblem.at("backends[" + srvAt.applyAsInt(j) + "].srv",
                        "'" + srv.name() + "' is listed twice (first at backends[" + srvAt.applyAsInt(first)
                                + "]; expected: one entry per SRV record, or a different id-prefix)"));
            }
        }
        duplicates(problems, "domains", config.domains());
        duplicates(problems, "aliases", config.aliases().stream().map(HostPort::toString).toList());
        HostPort advertise = config.advertise();
        if (advertise != null && Hosts.isWildcard(advertise.host())) {
            problems.add(ConfigProblem.at("advertise",
                    "'" + advertise + "' is a wildcard address and cannot be written into Via "
                            + "(expected: the address clients reach us at, e.g. the VIP; "
                            + "advertise defaults to the first listen address)"));
        }
        HostPort admin = config.admin().listen();
        for (int l = 0; l < config.listen().size(); l++) {
            ListenAddress own = config.listen().get(l);
            if (own.transport() != Transport.UDP && own.port() == admin.port()
                    && own.host().equals(admin.host())) {
                problems.add(ConfigProblem.at("admin.listen",
                        "'" + admin + "' is also the SIP listen address listen[" + l
                                + "] (expected: a port of its own)"));
            }
        }
        return problems;
    }

    /**
     * Throws a {@link ConfigException} when {@link #validate} finds anything; for
     * configurations built in code rather than loaded.
     */
    public static SiplbConfig check(SiplbConfig config) {
        List<ConfigProblem> problems = validate(config);
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return config;
    }

    private static void duplicates(List<ConfigProblem> problems, String key, List<String> values) {
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < values.size(); i++) {
            Integer first = seen.putIfAbsent(values.get(i), i);
            if (first != null) {
                problems.add(ConfigProblem.at(key + "[" + i + "]",
                        "'" + values.get(i) + "' is listed twice (first at " + key + "[" + first + "])"));
            }
        }
    }
}
