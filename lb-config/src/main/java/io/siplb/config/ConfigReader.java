package io.siplb.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * Walks a composed YAML tree against the schema and builds the records, collecting every
 * problem with its position. One instance per load; not thread-safe.
 *
 * <p>How problems are kept apart: a value of the wrong type is reported where it is, and
 * its section is then not built (a placeholder stands in), so that one typo does not cause
 * follow-on complaints about defaults the operator never wrote. The cross-record rules of
 * {@link ConfigValidator} run only when every list item could be read, because their key
 * paths ({@code backends[2]}) are indices into the lists as written.
 */
final class ConfigReader {

    static final List<String> ROOT_KEYS = List.of("listen", "advertise", "domains", "aliases",
            "backends", "health", "flow-token", "admin", "limits", "routing", "logging", "shutdown", "vrrp", "dns", "tls");
    static final List<String> BACKEND_KEYS = List.of("id", "uri", "weight", "srv", "id-prefix");
    static final List<String> DNS_KEYS = List.of("servers", "min-ttl", "max-ttl", "timeout");
    static final List<String> HEALTH_KEYS = List.of("enabled", "interval", "timeout", "jitter", "rise", "fall",
            "alive-codes", "panic-threshold", "max-passive-eject-share", "max-retry-after", "slow-start");
    static final List<String> FLOW_TOKEN_KEYS = List.of("secret", "secret-file");
    static final List<String> ADMIN_KEYS = List.of("listen", "token-file", "public-read-only", "read-only-listen");
    static final List<String> LOGGING_KEYS = List.of("format");
    static final List<String> SHUTDOWN_KEYS = List.of("grace");
    static final List<String> VRRP_KEYS = List.of("interface", "vrid", "priority", "advert-interval", "preempt",
            "vips");
    static final List<String> LIMITS_KEYS = List.of("max-message-bytes", "max-headers", "max-line-bytes",
            "max-connections", "max-connections-per-source", "idle-timeout", "handshake-timeout", "rate", "burst",
            "ban-after", "ban-duration", "tracked-sources", "scanner-user-agents");
    static final List<String> ROUTING_KEYS = List.of("force-rport", "outbound-from-backends", "record-route",
            "replication");
    static final List<String> REPLICATION_KEYS = List.of("enabled", "marker", "hold-down");
    static final List<String> TLS_KEYS = List.of("certificate", "key", "sni", "client-auth", "ca", "protocols",
            "watch-interval", "advertise");
    static final List<String> TLS_SNI_KEYS = List.of("names", "certificate", "key");

    /** Stands in for a flow-token section that failed, so the rest can still be checked. */
    private static final FlowTokenConfig PLACEHOLDER_FLOW_TOKEN =
            new FlowTokenConfig(new byte[FlowTokenConfig.MIN_SECRET_BYTES], "placeholder");

    private final String source;
    private final Path baseDir;
    private final List<ConfigProblem> problems = new ArrayList<>();
    /** Key path → where it is written, for placing {@link ConfigValidator}'s problems. */
    private final Map<String, Mark> marks = new HashMap<>();
    private Mark rootMark;
    /** Some list item could not be read, so list indices no longer match the file. */
    private boolean listIncomplete;
    /** A {@code tls:} section was written (it may have failed: then the validator need not ask for one). */
    private boolean tlsWritten;
    /** Entries of {@code backends} as written: the file index of each static and of each SRV entry. */
    private final List<Integer> staticAt = new ArrayList<>();
    private final List<Integer> srvAt = new ArrayList<>();
    private final List<SrvBackendConfig> srvBackends = new ArrayList<>();

    ConfigReader(String source, Path baseDir) {
        this.source = source;
        this.baseDir = baseDir;
    }

    SiplbConfig read(Node rootNode) {
        rootMark = rootNode.getStartMark().orElse(null);
        Section root = section(rootNode, "", ROOT_KEYS, rootMark);
        if (root == null) {
            throw new ConfigException(problems);
        }
        List<ListenAddress> listen = readList(root, "listen", "a listen address like udp://0.0.0.0:5060",
                ListenAddress::parse);
        HostPort advertise = root.parse("advertise", HostPort::parse);
        List<String> domains = readList(root, "domains", "a domain name like example.com",
                ConfigReader::domain);
        List<HostPort> aliases = readList(root, "aliases", "a host or host:port",
                HostPort::parseWithOptionalPort);
        List<BackendConfig> backends = readBackends(root);
        HealthConfig health = readHealth(root);
        FlowTokenConfig flowToken = readFlowToken(root);
        AdminConfig admin = readAdmin(root);
        LimitsConfig limits = readLimits(root);
        RoutingConfig routing = readRouting(root);
        LoggingConfig logging = readLogging(root);
        ShutdownConfig shutdown = readShutdown(root);
        VrrpConfig vrrp = readVrrp(root);
        DnsConfig dns = readDns(root);
        TlsConfig tls = readTls(root);

        SiplbConfig config = build(root, () -> new SiplbConfig(listen, advertise, domains, aliases,
                backends, health, flowToken == null ? PLACEHOLDER_FLOW_TOKEN : flowToken, admin,
                limits, routing, logging, shutdown, vrrp, srvBackends, dns, tls));
        if (config != null && !listIncomplete) {
            List<ConfigProblem> found = List.copyOf(problems);
            for (ConfigProblem p : ConfigValidator.validate(config, staticAt::get, srvAt::get, tlsWritten)) {
                if (!overlaps(found, p.keyPath())) {
                    Mark m = locate(p.keyPath());
                    problems.add(p.locatedAt(source, line(m), column(m)));
                }
            }
        }
        if (!problems.isEmpty()) {
            // File order reads best; problems without a position go last.
            problems.sort(Comparator
                    .comparingInt((ConfigProblem p) -> p.line() == 0 ? Integer.MAX_VALUE : p.line())
                    .thenComparingInt(ConfigProblem::column));
            throw new ConfigException(problems);
        }
        return config;
    }

    // ---- sections -------------------------------------------------------------------------

    private <T> List<T> readList(Section parent, String key, String expected, Function<String, T> parser) {
        List<T> result = new ArrayList<>();
        List<Node> items = parent.list(key);
        for (int i = 0; i < items.size(); i++) {
            Node item = items.get(i);
            String path = key + "[" + i + "]";
            marks.put(path, mark(item));
            T value = null;
            if (item instanceof ScalarNode scalar && !isNull(item)) {
                try {
                    value = parser.apply(scalar.getValue());
                } catch (IllegalArgumentException e) {
                    add(mark(item), path, e.getMessage());
                }
            } else {
                add(mark(item), path, "expected " + expected + ", got " + describe(item));
            }
            if (value == null) {
                listIncomplete = true;
            } else {
                result.add(value);
            }
        }
        return result;
    }

    private static String domain(String text) {
        String canonical = Hosts.canonical(text);
        if (canonical == null) {
            throw new IllegalArgumentException("'" + text + "' (expected: a domain name like example.com)");
        }
        return canonical;
    }

    /** Reads {@code backends}: static entries ({@code id}, {@code uri}) into the result, {@code srv} entries aside. */
    private List<BackendConfig> readBackends(Section root) {
        List<BackendConfig> result = new ArrayList<>();
        List<Node> items = root.list("backends");
        for (int i = 0; i < items.size(); i++) {
            Node item = items.get(i);
            String path = "backends[" + i + "]";
            marks.put(path, mark(item));
            int before = problems.size();
            Section s = section(item, path, BACKEND_KEYS, mark(item));
            if (s != null && s.value("srv") != null) {
                SrvBackendConfig srv = readSrvBackend(s, before);
                if (srv == null) {
                    listIncomplete = true;
                } else {
                    srvAt.add(i);
                    srvBackends.add(srv);
                }
                continue;
            }
            BackendConfig backend = null;
            if (s != null) {
                String id = s.string("id");
                BackendConfig.SipTarget target = s.parse("uri", BackendConfig::parseUri);
                Integer weight = s.integer("weight");
                if (s.value("id") == null) {
                    add(s.anchor, s.child("id"), "missing (expected: a unique short name like a or proxy-1)");
                }
                if (s.value("uri") == null) {
                    add(s.anchor, s.child("uri"), "missing (expected: sip:host[:port][;transport=udp|tcp|tls])");
                }
                if (s.value("id-prefix") != null) {
                    add(s.markOf("id-prefix"), s.child("id-prefix"),
                            "only with srv (expected: id for a backend given by uri)");
                }
                if (id != null && !(s.value("weight") != null && weight == null)) {
                    // Run the constructor's id and weight rules even when the URI failed, so all
                    // of a backend's mistakes are reported together; a stand-in target is used then.
                    BackendConfig.SipTarget t = target != null ? target
                            : new BackendConfig.SipTarget("localhost", 5060, Transport.UDP);
                    BackendConfig built = build(s, () -> new BackendConfig(id, t.host(), t.port(),
                            t.transport(), weight == null ? BackendConfig.DEFAULT_WEIGHT : weight));
                    backend = problems.size() == before ? built : null;
                }
            }
            if (backend == null) {
                listIncomplete = true;
            } else {
                staticAt.add(i);
                result.add(backend);
            }
        }
        return result;
    }

    /** A {@code srv:} entry: exactly one of uri or srv; id-prefix instead of id. */
    private SrvBackendConfig readSrvBackend(Section s, int before) {
        String name = s.string("srv");
        String prefix = s.string("id-prefix");
        Integer weight = s.integer("weight");
        if (s.value("uri") != null) {
            add(s.markOf("uri"), s.child("uri"),
                    "both uri and srv are set (expected: exactly one; srv names a DNS SRV record of backends)");
        }
        if (s.value("id") != null) {
            add(s.markOf("id"), s.child("id"),
                    "not with srv: each SRV target is named <id-prefix><target>:<port> (expected: id-prefix, or no id)");
        }
        if (problems.size() > before || name == null) {
            return null;
        }
        SrvBackendConfig built = build(s, () -> new SrvBackendConfig(name, prefix,
                weight == null ? BackendConfig.DEFAULT_WEIGHT : weight));
        return problems.size() == before ? built : null;
    }

    private DnsConfig readDns(Section root) {
        Section s = root.section("dns", DNS_KEYS);
        if (s == null) {
            return DnsConfig.DEFAULTS;
        }
        int before = problems.size();
        List<HostPort> servers = new ArrayList<>();
        List<Node> items = s.list("servers");
        for (int i = 0; i < items.size(); i++) {
            Node item = items.get(i);
            String path = s.child("servers") + "[" + i + "]";
            marks.put(path, mark(item));
            if (item instanceof ScalarNode scalar && !isNull(item)) {
                try {
                    servers.add(DnsConfig.server(scalar.getValue()));
                } catch (IllegalArgumentException e) {
                    add(mark(item), path, e.getMessage());
                }
            } else {
                add(mark(item), path, "expected an IP address with an optional port like 127.0.0.1:5353, got "
                        + describe(item));
            }
        }
        Duration minTtl = s.duration("min-ttl");
        Duration maxTtl = s.duration("max-ttl");
        Duration timeout = s.duration("timeout");
        if (problems.size() > before) {
            return DnsConfig.DEFAULTS;
        }
        DnsConfig dns = build(s, () -> new DnsConfig(servers, minTtl, maxTtl, timeout));
        return dns == null ? DnsConfig.DEFAULTS : dns;
    }

    /**
     * The optional {@code tls:} section: {@code null} when absent or broken (its problems are
     * reported). The PEM files are read and checked here, so a missing file, an unreadable key or a
     * key that is not the certificate's is reported at its key's line.
     */
    private TlsConfig readTls(Section root) {
        if (root.value("tls") == null) {
            return null;
        }
        tlsWritten = true;
        Section s = root.section("tls", TLS_KEYS);
        if (s == null) {
            return null;
        }
        int before = problems.size();
        TlsCertificate main = readCertificate(s, null);
        List<TlsCertificate> sni = new ArrayList<>();
        List<Node> items = s.list("sni");
        for (int i = 0; i < items.size(); i++) {
            Node item = items.get(i);
            String path = s.child("sni") + "[" + i + "]";
            marks.put(path, mark(item));
            Section e = section(item, path, TLS_SNI_KEYS, mark(item));
            if (e == null) {
                continue;
            }
            List<String> names = new ArrayList<>();
            List<Node> nameNodes = e.list("names");
            for (int n = 0; n < nameNodes.size(); n++) {
                Node name = nameNodes.get(n);
                String namePath = e.child("names") + "[" + n + "]";
                String text = name instanceof ScalarNode scalar && !isNull(name)
                        ? scalar.getValue().toLowerCase(java.util.Locale.ROOT) : null;
                if (text == null || !TlsConfig.isServerName(text)) {
                    add(mark(name), namePath, "expected a host name like sip.example.com or a wildcard like "
                            + "*.example.com, got " + describe(name));
                } else {
                    names.add(text);
                }
            }
            TlsCertificate c = readCertificate(e, names);
            if (c != null) {
                sni.add(c);
            }
        }
        TlsConfig.ClientAuth clientAuth = s.parse("client-auth", TlsConfig.ClientAuth::parse);
        String caText = s.string("ca");
        Path caFile = null;
        List<java.security.cert.X509Certificate> trusted = null;
        if (caText != null) {
            caFile = path(s, "ca", caText);
            if (caFile != null) {
                try {
                    trusted = TlsConfig.readCas(caFile);
                } catch (IllegalArgumentException ex) {
                    add(s.markOf("ca"), s.child("ca"), ex.getMessage());
                }
            }
        }
        List<String> protocols = null;
        if (s.value("protocols") != null) {
            protocols = new ArrayList<>();
            List<Node> nodes = s.list("protocols");
            for (int i = 0; i < nodes.size(); i++) {
                Node p = nodes.get(i);
                String protocolPath = s.child("protocols") + "[" + i + "]";
                try {
                    if (!(p instanceof ScalarNode scalar) || isNull(p)) {
                        throw new IllegalArgumentException("expected TLSv1.3 or TLSv1.2, got " + describe(p));
                    }
                    protocols.add(TlsConfig.protocol(scalar.getValue()));
                } catch (IllegalArgumentException ex) {
                    add(mark(p), protocolPath, ex.getMessage());
                }
            }
        }
        Duration watch = s.duration("watch-interval");
        HostPort advertise = s.parse("advertise", HostPort::parse);
        if (problems.size() > before || main == null) {
            return null;
        }
        Path ca = caFile;
        List<java.security.cert.X509Certificate> cas = trusted;
        List<String> versions = protocols;
        TlsConfig tls = build(s, () -> new TlsConfig(main, sni, clientAuth, ca, cas, versions, watch, advertise));
        return problems.size() == before ? tls : null;
    }

    /**
     * {@code certificate} and {@code key} of {@code s} (the {@code tls:} section or an {@code sni}
     * entry), read and checked; {@code null} after reporting a problem. {@code names} null: the
     * default certificate; empty: the certificate's DNS subjectAltNames.
     */
    private TlsCertificate readCertificate(Section s, List<String> names) {
        String certText = s.string("certificate");
        String keyText = s.string("key");
        if (certText == null && s.value("certificate") == null) {
            add(s.anchor, s.child("certificate"), "missing (expected: the PEM certificate chain, "
                    + "like /etc/siplb/tls/fullchain.pem)");
        }
        if (keyText == null && s.value("key") == null) {
            add(s.anchor, s.child("key"), "missing (expected: the PEM private key, like /etc/siplb/tls/privkey.pem)");
        }
        if (certText == null || keyText == null) {
            return null;
        }
        Path cert = path(s, "certificate", certText);
        Path key = path(s, "key", keyText);
        if (cert == null || key == null) {
            return null;
        }
        int before = problems.size();
        TlsCertificate loaded = build(s, () -> TlsCertificate.load(cert, key, names == null ? List.of() : names));
        if (loaded != null && names != null && names.isEmpty()) {
            List<String> san = TlsCertificate.dnsNames(loaded.leaf());
            List<String> usable = san.stream().filter(TlsConfig::isServerName).toList();
            if (usable.isEmpty()) {
                add(s.anchor, s.child("names"), "missing, and '" + cert + "' has no DNS subjectAltName "
                        + "(expected: names: [sip.example.com])");
                return null;
            }
            loaded = new TlsCertificate(cert, key, usable, loaded.chain(), loaded.key());
        }
        return problems.size() == before ? loaded : null;
    }

    /** A file path relative to the configuration's directory, or null after reporting it. */
    private Path path(Section s, String key, String text) {
        try {
            return baseDir.resolve(text);
        } catch (InvalidPathException e) {
            add(s.markOf(key), s.child(key), "'" + text + "' (expected: a file path)");
            return null;
        }
    }

    private HealthConfig readHealth(Section root) {
        Section s = root.section("health", HEALTH_KEYS);
        if (s == null) {
            return HealthConfig.DEFAULTS;
        }
        int before = problems.size();
        Boolean enabled = s.bool("enabled");
        Duration interval = s.duration("interval");
        Duration timeout = s.duration("timeout");
        Double jitter = s.decimal("jitter");
        Integer rise = s.integer("rise");
        Integer fall = s.integer("fall");
        // codes and ranges, "200-299,404"; a single code may be written as a YAML number
        String aliveCodes = s.string("alive-codes");
        Double panicThreshold = s.decimal("panic-threshold");
        Double ejectShare = s.decimal("max-passive-eject-share");
        Duration maxRetryAfter = s.duration("max-retry-after");
        Duration slowStart = s.duration("slow-start");
        if (problems.size() > before) {
            return HealthConfig.DEFAULTS;
        }
        HealthConfig health = build(s, () -> new HealthConfig(
                enabled == null ? HealthConfig.DEFAULT_ENABLED : enabled, interval, timeout,
                jitter == null ? HealthConfig.DEFAULT_JITTER : jitter,
                rise == null ? HealthConfig.DEFAULT_RISE : rise,
                fall == null ? HealthConfig.DEFAULT_FALL : fall,
                aliveCodes,
                panicThreshold == null ? HealthConfig.DEFAULT_PANIC_THRESHOLD : panicThreshold,
                ejectShare == null ? HealthConfig.DEFAULT_MAX_PASSIVE_EJECT_SHARE : ejectShare,
                maxRetryAfter, slowStart));
        return health == null ? HealthConfig.DEFAULTS : health;
    }

    private FlowTokenConfig readFlowToken(Section root) {
        if (root.value("flow-token") == null) {
            add(root.markOf("flow-token"), "flow-token",
                    "missing (expected: flow-token with secret or secret-file, "
                            + "the same on both nodes of a pair)");
            return null;
        }
        Section s = root.section("flow-token", FLOW_TOKEN_KEYS);
        if (s == null) {
            return null;
        }
        int before = problems.size();
        // Never echo the secret: string() describes only non-scalar values.
        String secret = s.string("secret");
        String file = s.string("secret-file");
        if (problems.size() > before) {
            return null;
        }
        if (secret != null && file != null) {
            add(s.markOf("secret-file"), "flow-token",
                    "both secret and secret-file are set (expected: exactly one)");
            return null;
        }
        if (secret == null && file == null) {
            add(s.anchor, "flow-token",
                    "no secret (expected: exactly one of secret or secret-file, at least "
                            + FlowTokenConfig.MIN_SECRET_BYTES + " bytes)");
            return null;
        }
        if (secret != null) {
            return build(s, () -> FlowTokenConfig.ofSecret(secret));
        }
        byte[] key;
        Path path;
        try {
            path = baseDir.resolve(file);
            key = stripLineBreak(Files.readAllBytes(path));
        } catch (IOException e) {
            add(s.markOf("secret-file"), "flow-token.secret-file",
                    "cannot read the secret: " + ConfigLoader.describe(e));
            return null;
        } catch (InvalidPathException e) {
            add(s.markOf("secret-file"), "flow-token.secret-file",
                    "'" + file + "' (expected: a file path)");
            return null;
        }
        return build(s, () -> new FlowTokenConfig(key, "secret-file " + path));
    }

    /** Drops one trailing LF or CRLF, which {@code echo} and {@code openssl rand -hex} add. */
    private static byte[] stripLineBreak(byte[] bytes) {
        int n = bytes.length;
        if (n > 0 && bytes[n - 1] == '\n') {
            n--;
            if (n > 0 && bytes[n - 1] == '\r') {
                n--;
            }
        }
        return n == bytes.length ? bytes : Arrays.copyOf(bytes, n);
    }

    private AdminConfig readAdmin(Section root) {
        Section s = root.section("admin", ADMIN_KEYS);
        if (s == null) {
            return AdminConfig.DEFAULTS;
        }
        int before = problems.size();
        HostPort listen = s.parse("listen", HostPort::parse);
        String tokenFile = s.string("token-file");
        Boolean publicReadOnly = s.bool("public-read-only");
        HostPort readOnlyListen = s.parse("read-only-listen", HostPort::parse);
        if (problems.size() > before) {
            return AdminConfig.DEFAULTS;
        }
        String token = null;
        String tokenSource = null;
        if (tokenFile != null) {
            Path path;
            try {
                path = baseDir.resolve(tokenFile);
                // Never echo the token: only its length and file appear in messages.
                token = new String(stripLineBreak(Files.readAllBytes(path)), java.nio.charset.StandardCharsets.ISO_8859_1);
                tokenSource = "token-file " + path;
            } catch (IOException e) {
                add(s.markOf("token-file"), "admin.token-file",
                        "cannot read the token: " + ConfigLoader.describe(e));
                return AdminConfig.DEFAULTS;
            } catch (InvalidPathException e) {
                add(s.markOf("token-file"), "admin.token-file", "'" + tokenFile + "' (expected: a file path)");
                return AdminConfig.DEFAULTS;
            }
        }
        String t = token;
        String ts = tokenSource;
        AdminConfig admin = build(s, () -> new AdminConfig(listen, t, ts,
                publicReadOnly == null ? AdminConfig.DEFAULT_PUBLIC_READ_ONLY : publicReadOnly, readOnlyListen));
        return admin == null ? AdminConfig.DEFAULTS : admin;
    }

    private LoggingConfig readLogging(Section root) {
        Section s = root.section("logging", LOGGING_KEYS);
        if (s == null) {
            return LoggingConfig.DEFAULTS;
        }
        String text = s.string("format");
        if (text == null) {
            return LoggingConfig.DEFAULTS;
        }
        LoggingConfig.Format format = LoggingConfig.Format.parse(text);
        if (format == null) {
            add(s.markOf("format"), s.child("format"), "'" + text + "' (expected: text or json)");
            return LoggingConfig.DEFAULTS;
        }
        return new LoggingConfig(format);
    }

    private ShutdownConfig readShutdown(Section root) {
        Section s = root.section("shutdown", SHUTDOWN_KEYS);
        if (s == null) {
            return ShutdownConfig.DEFAULTS;
        }
        int before = problems.size();
        Duration grace = s.duration("grace");
        if (problems.size() > before) {
            return ShutdownConfig.DEFAULTS;
        }
        ShutdownConfig shutdown = build(s, () -> new ShutdownConfig(grace));
        return shutdown == null ? ShutdownConfig.DEFAULTS : shutdown;
    }

    /** The optional {@code vrrp:} section: {@code null} when absent (no speaker). */
    private VrrpConfig readVrrp(Section root) {
        if (root.value("vrrp") == null) {
            return null;
        }
        Section s = root.section("vrrp", VRRP_KEYS);
        if (s == null) {
            return null;
        }
        int before = problems.size();
        String iface = s.string("interface");
        Integer vrid = s.integer("vrid");
        Integer priority = s.integer("priority");
        Duration interval = s.duration("advert-interval");
        Boolean preempt = s.bool("preempt");
        List<java.net.InetAddress> vips = new ArrayList<>();
        List<Node> items = s.list("vips");
        for (int i = 0; i < items.size(); i++) {
            Node item = items.get(i);
            String path = s.child("vips") + "[" + i + "]";
            marks.put(path, mark(item));
            if (item instanceof ScalarNode scalar && !isNull(item)) {
                try {
                    vips.add(VrrpConfig.vip(scalar.getValue()));
                } catch (IllegalArgumentException e) {
                    add(mark(item), path, e.getMessage());
                }
            } else {
                add(mark(item), path, "expected an IPv4 address like 192.0.2.10, got " + describe(item));
            }
        }
        if (iface == null) {
            add(s.anchor, s.child("interface"), "missing (expected: the interface of the VIPs, like eth0)");
        }
        if (vrid == null && s.value("vrid") == null) {
            add(s.anchor, s.child("vrid"), "missing (expected: a virtual router id 1 ~ 255, the same on both nodes)");
        }
        if (s.value("vips") == null) {
            add(s.anchor, s.child("vips"), "missing (expected: a list of IPv4 addresses like [192.0.2.10])");
        }
        Integer centis = null;
        if (interval != null) {
            try {
                centis = VrrpConfig.centis(interval);
            } catch (IllegalArgumentException e) {
                add(s.markOf("advert-interval"), s.child("advert-interval"), e.getMessage());
            }
        }
        if (problems.size() > before) {
            return null;
        }
        int c = centis == null ? VrrpConfig.centis(VrrpConfig.DEFAULT_ADVERT_INTERVAL) : centis;
        return build(s, () -> new VrrpConfig(iface, vrid, priority == null ? VrrpConfig.DEFAULT_PRIORITY : priority,
                c, preempt == null ? VrrpConfig.DEFAULT_PREEMPT : preempt, vips));
    }

    private LimitsConfig readLimits(Section root) {
        Section s = root.section("limits", LIMITS_KEYS);
        if (s == null) {
            return LimitsConfig.DEFAULTS;
        }
        int before = problems.size();
        Integer maxMessageBytes = s.integer("max-message-bytes");
        Integer maxHeaders = s.integer("max-headers");
        Integer maxLineBytes = s.integer("max-line-bytes");
        // flood protection (GuardConfig): the same section, flat keys
        Integer maxConnections = s.integer("max-connections");
        Integer maxConnectionsPerSource = s.integer("max-connections-per-source");
        Duration idleTimeout = s.duration("idle-timeout");
        Duration handshakeTimeout = s.duration("handshake-timeout");
        Integer rate = s.integer("rate");
        Integer burst = s.integer("burst");
        Integer banAfter = s.integer("ban-after");
        Duration banDuration = s.duration("ban-duration");
        Integer trackedSources = s.integer("tracked-sources");
        List<String> scanners = s.value("scanner-user-agents") == null ? null
                : readList(s, "scanner-user-agents", "a User-Agent substring like friendly-scanner", t -> t);
        if (problems.size() > before) {
            return LimitsConfig.DEFAULTS;
        }
        LimitsConfig limits = build(s, () -> new LimitsConfig(
                maxMessageBytes == null ? LimitsConfig.DEFAULT_MAX_MESSAGE_BYTES : maxMessageBytes,
                maxHeaders == null ? LimitsConfig.DEFAULT_MAX_HEADERS : maxHeaders,
                maxLineBytes == null ? LimitsConfig.DEFAULT_MAX_LINE_BYTES : maxLineBytes,
                new GuardConfig(
                        maxConnections == null ? GuardConfig.DEFAULT_MAX_CONNECTIONS : maxConnections,
                        maxConnectionsPerSource == null ? GuardConfig.DEFAULT_MAX_CONNECTIONS_PER_SOURCE
                                : maxConnectionsPerSource,
                        idleTimeout, handshakeTimeout,
                        rate == null ? GuardConfig.DEFAULT_RATE : rate,
                        burst == null ? GuardConfig.DEFAULT_BURST : burst,
                        banAfter == null ? GuardConfig.DEFAULT_BAN_AFTER : banAfter,
                        banDuration,
                        trackedSources == null ? GuardConfig.DEFAULT_TRACKED_SOURCES : trackedSources,
                        scanners)));
        return limits == null ? LimitsConfig.DEFAULTS : limits;
    }

    private RoutingConfig readRouting(Section root) {
        Section s = root.section("routing", ROUTING_KEYS);
        if (s == null) {
            return RoutingConfig.DEFAULTS;
        }
        Boolean forceRport = s.bool("force-rport");
        Boolean outbound = s.bool("outbound-from-backends");
        Boolean recordRoute = s.bool("record-route");
        return new RoutingConfig(
                forceRport == null ? RoutingConfig.DEFAULT_FORCE_RPORT : forceRport,
                outbound == null ? RoutingConfig.DEFAULT_OUTBOUND_FROM_BACKENDS : outbound,
                recordRoute == null ? RoutingConfig.DEFAULT_RECORD_ROUTE : recordRoute,
                readReplication(s));
    }

    private ReplicationConfig readReplication(Section routing) {
        Section s = routing.section("replication", REPLICATION_KEYS);
        if (s == null) {
            return ReplicationConfig.DEFAULTS;
        }
        int before = problems.size();
        Boolean enabled = s.bool("enabled");
        String marker = s.string("marker");
        Duration holdDown = s.duration("hold-down");
        if (problems.size() > before) {
            return ReplicationConfig.DEFAULTS;
        }
        ReplicationConfig replication = build(s, () -> new ReplicationConfig(
                enabled == null ? ReplicationConfig.DEFAULT_ENABLED : enabled, marker, holdDown));
        return replication == null ? ReplicationConfig.DEFAULTS : replication;
    }

    /**
     * Runs a record constructor; its violations are reported at the keys they name, and
     * {@code null} is returned when there were any.
     */
    private <T> T build(Section s, Supplier<T> constructor) {
        try {
            return constructor.get();
        } catch (InvalidFieldsException e) {
            for (InvalidFieldsException.Violation v : e.violations()) {
                add(s.markOf(v.field()), s.child(v.field()), v.message());
            }
        } catch (IllegalArgumentException | NullPointerException e) {
            add(s.anchor, s.path, String.valueOf(e.getMessage()));
        }
        return null;
    }

    // ---- mappings and scalars -------------------------------------------------------------

    /**
     * Checks that {@code node} is a mapping of known keys, reporting unknown keys (with the
     * nearest valid one) and duplicates; {@code null} node = an absent section, all defaults.
     * Returns {@code null} when the node is not a mapping.
     */
    private Section section(Node node, String path, List<String> keys, Mark anchor) {
        if (node == null) {
            return new Section(path, Map.of(), anchor);
        }
        if (!(node instanceof MappingNode mapping)) {
            add(mark(node), path, "expected a mapping with keys " + String.join(", ", keys)
                    + ", got " + describe(node));
            return null;
        }
        Map<String, NodeTuple> entries = new LinkedHashMap<>();
        for (NodeTuple tuple : mapping.getValue()) {
            Node keyNode = tuple.getKeyNode();
            if (!(keyNode instanceof ScalarNode scalarKey) || isNull(keyNode)) {
                add(mark(keyNode), path, "expected a plain key, got " + describe(keyNode));
                continue;
            }
            String key = scalarKey.getValue();
            String child = child(path, key);
            NodeTuple first = entries.get(key);
            if (first != null) {
                add(mark(keyNode), child, "duplicate key '" + key + "' (first at line "
                        + line(mark(first.getKeyNode())) + ")");
            } else if (!keys.contains(key)) {
                add(mark(keyNode), child, unknownKey(key, path, keys));
            } else {
                entries.put(key, tuple);
                marks.put(child, markOf(tuple));
            }
        }
        return new Section(path, entries, mark(node));
    }

    private static String unknownKey(String key, String path, List<String> keys) {
        String where = path.isEmpty() ? "the top level" : path;
        String nearest = KeySuggester.nearest(key, keys);
        return "unknown key '" + key + "' at " + where + (nearest != null
                ? " (did you mean '" + nearest + "'?)"
                : " (expected one of: " + String.join(", ", keys) + ")");
    }

    /** One mapping of the configuration, with typed readers that report what they expected. */
    private final class Section {
        final String path;
        final Map<String, NodeTuple> entries;
        /** Where problems about the section as a whole (or a missing key) are reported. */
        final Mark anchor;

        Section(String path, Map<String, NodeTuple> entries, Mark anchor) {
            this.path = path;
            this.entries = entries;
            this.anchor = anchor;
        }

        String child(String key) {
            return ConfigReader.child(path, key);
        }

        /** The value of {@code key}, or {@code null} when absent or written empty / null. */
        Node value(String key) {
            NodeTuple tuple = entries.get(key);
            return tuple == null || isNull(tuple.getValueNode()) ? null : tuple.getValueNode();
        }

        Mark markOf(String key) {
            NodeTuple tuple = entries.get(key);
            return tuple == null ? anchor : ConfigReader.markOf(tuple);
        }

        Section section(String key, List<String> keys) {
            return ConfigReader.this.section(value(key), child(key), keys, markOf(key));
        }

        String string(String key) {
            Node v = value(key);
            if (v == null) {
                return null;
            }
            if (v instanceof ScalarNode scalar) {
                return scalar.getValue();
            }
            add(mark(v), child(key), "expected a string, got " + describe(v));
            return null;
        }

        <T> T parse(String key, Function<String, T> parser) {
            String text = string(key);
            if (text == null) {
                return null;
            }
            try {
                return parser.apply(text);
            } catch (IllegalArgumentException e) {
                add(mark(value(key)), child(key), e.getMessage());
                return null;
            }
        }

        Boolean bool(String key) {
            Node v = value(key);
            if (v == null) {
                return null;
            }
            // YAML 1.2 core schema booleans only; "yes" / "on" are strings in YAML 1.2.
            String text = v instanceof ScalarNode s ? s.getValue() : null;
            if ("true".equals(text) || "True".equals(text) || "TRUE".equals(text)) {
                return true;
            }
            if ("false".equals(text) || "False".equals(text) || "FALSE".equals(text)) {
                return false;
            }
            add(mark(v), child(key), "expected true or false, got " + describe(v));
            return null;
        }

        Integer integer(String key) {
            Node v = value(key);
            if (v == null) {
                return null;
            }
            String text = v instanceof ScalarNode s ? s.getValue() : "";
            int digits = text.startsWith("-") ? text.length() - 1 : text.length();
            boolean ok = digits >= 1 && digits <= 10
                    && text.chars().skip(text.startsWith("-") ? 1 : 0).allMatch(c -> c >= '0' && c <= '9');
            if (ok) {
                long value = Long.parseLong(text);
                if (value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE) {
                    return (int) value;
                }
            }
            add(mark(v), child(key), "expected an integer, got " + describe(v));
            return null;
        }

        /** A plain decimal number such as {@code 0.5} or {@code 1}: no sign, exponent, NaN or infinity. */
        Double decimal(String key) {
            Node v = value(key);
            if (v == null) {
                return null;
            }
            String text = v instanceof ScalarNode s ? s.getValue() : "";
            int dot = text.indexOf('.');
            boolean ok = !text.isEmpty() && text.length() <= 20 && dot != 0 && dot != text.length() - 1
                    && text.indexOf('.', dot + 1) < 0
                    && text.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'));
            if (ok) {
                return Double.parseDouble(text);
            }
            add(mark(v), child(key), "expected a decimal number like 0.5, got " + describe(v));
            return null;
        }

        Duration duration(String key) {
            Node v = value(key);
            if (v == null) {
                return null;
            }
            String text = v instanceof ScalarNode s ? s.getValue() : null;
            Duration d = text == null ? null : Durations.parse(text);
            if (d == null) {
                boolean noUnit = text != null && !text.isEmpty()
                        && text.chars().allMatch(c -> c >= '0' && c <= '9');
                add(mark(v), child(key), "expected " + Durations.EXPECTED + ", got " + describe(v)
                        + (noUnit ? " (a unit is required: ms, s, m or h)" : ""));
            }
            return d;
        }

        /** A list; a single scalar counts as a list of one. */
        List<Node> list(String key) {
            Node v = value(key);
            if (v == null) {
                return List.of();
            }
            if (v instanceof SequenceNode sequence) {
                return sequence.getValue();
            }
            if (v instanceof ScalarNode) {
                return List.of(v);
            }
            add(mark(v), child(key), "expected a list, got " + describe(v));
            listIncomplete = true;
            return List.of();
        }
    }

    // ---- positions ------------------------------------------------------------------------

    private void add(Mark mark, String path, String message) {
        problems.add(new ConfigProblem(source, line(mark), column(mark), path, message));
    }

    private static String child(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    /** A scalar value is placed at the value; a mapping or list at its key (the "health:" line). */
    private static Mark markOf(NodeTuple tuple) {
        Node value = tuple.getValueNode();
        return value instanceof ScalarNode && !isNull(value) ? mark(value) : mark(tuple.getKeyNode());
    }

    private static Mark mark(Node node) {
        return node.getStartMark().orElse(null);
    }

    private static int line(Mark mark) {
        return mark == null ? 0 : mark.getLine() + 1;
    }

    private static int column(Mark mark) {
        return mark == null ? 0 : mark.getColumn() + 1;
    }

    /** The position of a key path, or of its nearest written ancestor. */
    private Mark locate(String path) {
        String p = path;
        while (!p.isEmpty()) {
            Mark m = marks.get(p);
            if (m != null) {
                return m;
            }
            int cut = p.endsWith("]") ? p.lastIndexOf('[') : p.lastIndexOf('.');
            p = cut < 0 ? "" : p.substring(0, cut);
        }
        return rootMark;
    }

    /**
     * Whether a cross-record problem at {@code path} is about something already reported
     * (the same key, a key inside it, or the same section), and would only repeat it.
     */
    private static boolean overlaps(List<ConfigProblem> found, String path) {
        String section = sectionOf(path);
        for (ConfigProblem p : found) {
            String q = p.keyPath();
            if (q.equals(path) || q.startsWith(path + ".") || q.startsWith(path + "[")
                    || sectionOf(q).equals(section)) {
                return true;
            }
        }
        return false;
    }

    private static String sectionOf(String path) {
        int dot = path.indexOf('.');
        return dot < 0 ? path : path.substring(0, dot);
    }

    private static boolean isNull(Node node) {
        return node instanceof ScalarNode && Tag.NULL.equals(node.getTag());
    }

    /** A value as an operator would recognise it: quoted scalars, or its kind. */
    private static String describe(Node node) {
        if (node instanceof MappingNode) {
            return "a mapping";
        }
        if (node instanceof SequenceNode) {
            return "a list";
        }
        if (isNull(node)) {
            return "nothing";
        }
        String value = ((ScalarNode) node).getValue();
        return "'" + (value.length() > 40 ? value.substring(0, 37) + "..." : value) + "'";
    }
}
