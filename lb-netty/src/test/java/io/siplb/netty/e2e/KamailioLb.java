package io.siplb.netty.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Kamailio as the load balancer under test, with {@code e2e/kamailio/lb.cfg} (adapted from
 * shared/bench/kamailio-lb.cfg: stateless, dispatcher hashing, Path with the client's flow in
 * {@code received=}, Record-Route, rport). It validates the harness and the tests before siplb
 * exists, and stays as the reference siplb is compared with.
 *
 * <p>Backend ids are the dispatcher list order; Kamailio cannot say where an AOR goes without
 * traffic, so {@link #expectedBackends} stays empty.
 */
final class KamailioLb implements LoadBalancerUnderTest {
    private static final Pattern RECEIVED = Pattern.compile(";received=([^;>]+)");
    private static final Pattern RECEIVED_URI = Pattern.compile(
            "sips?:([^:;>]+):(\\d+)(?:;transport=(\\w+))?.*", Pattern.CASE_INSENSITIVE);
    private KamailioProcess kamailio;
    private InetSocketAddress address;

    @Override
    public String name() {
        return "kamailio";
    }

    @Override
    public void start(Setup setup) {
        Prerequisites.requireCommands("kamailio", "timeout");
        try {
            Files.createDirectories(setup.workDir());
            // dispatcher set 1 = the home proxies, in the order given
            Path list = setup.workDir().resolve("dispatcher.list");
            Files.writeString(list, setup.backends().stream()
                    .map(b -> "1 sip:" + b.host() + ":" + b.port())
                    .collect(Collectors.joining("\n", "", "\n")));
            Map<String, String> defines = new LinkedHashMap<>();
            defines.put("LB_LISTEN", "udp:" + setup.host() + ":" + setup.udpPort());
            if (setup.tcpPort() > 0) {
                defines.put("LB_LISTEN_TCP", "tcp:" + setup.host() + ":" + setup.tcpPort());
            }
            defines.put("LB_DS_LIST", "\"" + list + "\"");
            int[] tcp = setup.tcpPort() > 0 ? new int[] {setup.tcpPort()} : new int[0];
            kamailio = KamailioProcess.start("kamailio-lb", resourceText("kamailio/lb.cfg"), defines,
                    setup.workDir(), setup.netns(), setup.lifetime(), new int[] {setup.udpPort()}, tcp);
            address = new InetSocketAddress(setup.host(), setup.udpPort());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public InetSocketAddress address() {
        return address;
    }

    @Override
    public void stop() {
        if (kamailio != null) {
            kamailio.close();
        }
    }

    /**
     * The {@code received=} parameter of the Path or Record-Route URI: the client's source as a
     * SIP URI, escaped ({@code sip:192.0.2.1:5060%3Btransport%3Dtcp}), written by
     * {@code add_path_received()} or our {@code add_rr_param}.
     */
    @Override
    public Optional<Flow> flowOf(String pathOrRecordRoute) {
        Matcher m = RECEIVED.matcher(pathOrRecordRoute);
        if (!m.find()) {
            return Optional.empty();
        }
        String uri = URLDecoder.decode(m.group(1), StandardCharsets.UTF_8);
        Matcher u = RECEIVED_URI.matcher(uri);
        if (!u.matches()) {
            return Optional.empty();
        }
        String transport = u.group(3) == null ? "UDP" : u.group(3).toUpperCase(Locale.ROOT);
        return Optional.of(new Flow(transport, u.group(1), Integer.parseInt(u.group(2))));
    }

    @Override
    public String diagnostics() {
        return kamailio == null ? "(kamailio not started)" : "--- kamailio-lb log:\n" + kamailio.logTail(3000);
    }

    /** The text of classpath resource {@code /e2e/<relative>}. */
    static String resourceText(String relative) {
        try (InputStream in = KamailioLb.class.getResourceAsStream("/e2e/" + relative)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource /e2e/" + relative);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
